#!/bin/sh
# Container entrypoint of the hotline image.
#
# When HOTLINE_AMQP_URL is not set and BROKER_USER is, builds
#   HOTLINE_AMQP_URL=amqp://BROKER_USER:PASSWORD@BROKER_HOST:BROKER_PORT/BROKER_VHOST
# with PASSWORD read from HOTLINE_PASSWORDS_FILE (YAML `user: password` lines, as written by
# `hotlinectl broker definitions --passwords`). Then runs the command.
set -eu

if [ -z "${HOTLINE_AMQP_URL:-}" ] && [ -n "${BROKER_USER:-}" ]; then
    file="${HOTLINE_PASSWORDS_FILE:-/shared/passwords.yaml}"
    if [ ! -r "$file" ]; then
        echo "entrypoint: cannot read $file (the setup service writes it)" >&2
        exit 1
    fi
    pass=$(awk -v user="$BROKER_USER" '
        /^[[:space:]]*(#|$)/ { next }
        {
            line = $0
            sub(/\r$/, "", line)
            i = index(line, ":")
            if (i == 0) next
            key = substr(line, 1, i - 1); val = substr(line, i + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key)
            gsub(/^["\047]|["\047]$/, "", key)
            sub(/[[:space:]]+#.*$/, "", val)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            gsub(/^["\047]|["\047]$/, "", val)
            if (key == user) { print val; found = 1; exit }
        }
        END { if (!found) exit 1 }' "$file") || {
        echo "entrypoint: no password for $BROKER_USER in $file" >&2
        exit 1
    }
    HOTLINE_AMQP_URL="amqp://${BROKER_USER}:${pass}@${BROKER_HOST:-rabbitmq}:${BROKER_PORT:-5672}/${BROKER_VHOST:-%2f}"
    export HOTLINE_AMQP_URL
fi

exec "$@"
