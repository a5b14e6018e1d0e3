#!/bin/sh
# Container entrypoint of the hotline image.
#
# When HOTLINE_AMQP_URL is not set and BROKER_USER is, builds
#   HOTLINE_AMQP_URL=amqps://BROKER_USER:PASSWORD@BROKER_HOST:BROKER_PORT/BROKER_VHOST?cacertfile=BROKER_CA_FILE
# with PASSWORD taken from BROKER_PASSWORD when set (the setup service's broker administrator), else
# read from BROKER_PASSWORD_FILE (default /run/hotline/amqp-password): a file holding only this
# service's password, which the setup service writes into this service's own volume. User and
# password are percent-encoded. Defaults: BROKER_SCHEME amqps (or amqp: no TLS, no query; refused in
# production for a broker on another host), BROKER_HOST rabbitmq, BROKER_PORT 5671 (5672 for amqp),
# BROKER_VHOST %2f (given percent-encoded), BROKER_CA_FILE /run/hotline-tls/ca.pem (the `tls-ca`
# volume of docker-compose.yml; set it empty to trust the system's authorities instead).
#
# Likewise, when HOTLINE_DATABASE_URL is not set and DATABASE_USER is (a service's own role), builds
#   HOTLINE_DATABASE_URL=postgres://DATABASE_USER:PASSWORD@DATABASE_HOST:DATABASE_PORT/DATABASE_NAME?sslmode=verify-full&sslrootcert=DATABASE_CA_FILE
# with PASSWORD read from DATABASE_PASSWORD_FILE (default /run/hotline/database-password, written by
# the setup service). Defaults: DATABASE_HOST postgres, DATABASE_PORT 5432, DATABASE_NAME hotline,
# DATABASE_CA_FILE /run/hotline-tls/ca.pem.
# Then runs the command.
set -eu

# Percent-encodes $1 for a URL: every byte but RFC 3986's unreserved characters (and "/" when $2 is
# "path").
percent_encode() {
    printf '%s' "$1" | od -An -v -tx1 | awk -v path="${2:-}" '
        BEGIN { hex = "0123456789abcdef" }
        {
            for (i = 1; i <= NF; i++) {
                n = (index(hex, substr($i, 1, 1)) - 1) * 16 + index(hex, substr($i, 2, 1)) - 1
                if ((n >= 48 && n <= 57) || (n >= 65 && n <= 90) || (n >= 97 && n <= 122) \
                    || n == 45 || n == 46 || n == 95 || n == 126 || (n == 47 && path == "path"))
                    printf "%c", n
                else
                    printf "%%%s", toupper($i)
            }
        }'
}

if [ -z "${HOTLINE_AMQP_URL:-}" ] && [ -n "${BROKER_USER:-}" ]; then
    if [ -n "${BROKER_PASSWORD:-}" ]; then
        pass="$BROKER_PASSWORD"
    else
        file="${BROKER_PASSWORD_FILE:-/run/hotline/amqp-password}"
        if [ ! -r "$file" ]; then
            echo "entrypoint: cannot read $file (the setup service writes it)" >&2
            exit 1
        fi
        pass=$(cat "$file")
    fi
    scheme="${BROKER_SCHEME:-amqps}"
    case "$scheme" in
        amqps) port="${BROKER_PORT:-5671}" ;;
        amqp) port="${BROKER_PORT:-5672}" ;;
        *)
            echo "entrypoint: BROKER_SCHEME=$scheme: use amqps (TLS) or amqp" >&2
            exit 1
            ;;
    esac
    query=
    if [ "$scheme" = amqps ]; then
        ca="${BROKER_CA_FILE-/run/hotline-tls/ca.pem}"
        if [ -n "$ca" ]; then
            if [ ! -r "$ca" ]; then
                echo "entrypoint: cannot read $ca (the certificates service writes it into the tls-ca volume)" >&2
                exit 1
            fi
            query="?cacertfile=$(percent_encode "$ca" path)"
        fi
    fi
    user=$(percent_encode "$BROKER_USER")
    pass=$(percent_encode "$pass")
    HOTLINE_AMQP_URL="${scheme}://${user}:${pass}@${BROKER_HOST:-rabbitmq}:${port}/${BROKER_VHOST:-%2f}${query}"
    export HOTLINE_AMQP_URL
fi

if [ -z "${HOTLINE_DATABASE_URL:-}" ] && [ -n "${DATABASE_USER:-}" ]; then
    file="${DATABASE_PASSWORD_FILE:-/run/hotline/database-password}"
    if [ ! -r "$file" ]; then
        echo "entrypoint: cannot read $file (the setup service writes it)" >&2
        exit 1
    fi
    ca="${DATABASE_CA_FILE:-/run/hotline-tls/ca.pem}"
    user=$(percent_encode "$DATABASE_USER")
    pass=$(percent_encode "$(cat "$file")")
    HOTLINE_DATABASE_URL="postgres://${user}:${pass}@${DATABASE_HOST:-postgres}:${DATABASE_PORT:-5432}/${DATABASE_NAME:-hotline}?sslmode=verify-full&sslrootcert=$(percent_encode "$ca" path)"
    export HOTLINE_DATABASE_URL
fi

exec "$@"
