#!/bin/sh
# Container entrypoint of the hotline image.
#
# When HOTLINE_AMQP_URL is not set and BROKER_USER is, builds
#   HOTLINE_AMQP_URL=amqp://BROKER_USER:PASSWORD@BROKER_HOST:BROKER_PORT/BROKER_VHOST
# with PASSWORD read from BROKER_PASSWORD_FILE (default /run/hotline/amqp-password): a file holding
# only this service's password, which the setup service writes into this service's own volume.
# Then runs the command.
set -eu

if [ -z "${HOTLINE_AMQP_URL:-}" ] && [ -n "${BROKER_USER:-}" ]; then
    file="${BROKER_PASSWORD_FILE:-/run/hotline/amqp-password}"
    if [ ! -r "$file" ]; then
        echo "entrypoint: cannot read $file (the setup service writes it)" >&2
        exit 1
    fi
    pass=$(cat "$file")
    HOTLINE_AMQP_URL="amqp://${BROKER_USER}:${pass}@${BROKER_HOST:-rabbitmq}:${BROKER_PORT:-5672}/${BROKER_VHOST:-%2f}"
    export HOTLINE_AMQP_URL
fi

exec "$@"
