#!/bin/sh
# Second step of the image's entrypoint in deploy/docker/compose.cluster.yml (docker-compose.yml's
# `cluster` profile with the services on the cluster): entrypoint.sh has built HOTLINE_AMQP_URL for
# BROKER_HOST and HOTLINE_DATABASE_URL for DATABASE_HOST (or they were given); this adds the cluster's
# other servers, then runs the command:
#   BROKER_MORE_NODES    comma-separated host:port entries appended to HOTLINE_AMQP_URL, which then names
#                        every node (the same user, password, virtual host and TLS settings for each;
#                        each connection starts at a random node and tries the others in turn)
#   DATABASE_MORE_HOSTS  comma-separated host:port entries added after the database URL's host, with
#                        target_session_attrs=read-write: libpq connects to whichever takes writes
# A URL that already names several nodes or hosts is left as it is. Without these variables nothing
# changes.
set -eu

if [ -n "${BROKER_MORE_NODES:-}" ] && [ -n "${HOTLINE_AMQP_URL:-}" ]; then
    case "$HOTLINE_AMQP_URL" in
        *,*) ;;
        *) HOTLINE_AMQP_URL="$HOTLINE_AMQP_URL,$BROKER_MORE_NODES"; export HOTLINE_AMQP_URL ;;
    esac
fi

if [ -n "${DATABASE_MORE_HOSTS:-}" ] && [ -n "${HOTLINE_DATABASE_URL:-}" ]; then
    url=$HOTLINE_DATABASE_URL
    case "$url" in
        postgres://* | postgresql://*) ;;
        *) echo "cluster-urls: HOTLINE_DATABASE_URL is not a postgres:// URL" >&2; exit 1 ;;
    esac
    scheme=${url%%://*}
    rest=${url#*://}
    # user:password@host:port (user and password percent-encoded: no "/" in them), then /database?options
    authority=${rest%%/*}
    tail=${rest#"$authority"}
    case "$authority" in
        *,*) ;;
        *)
            case "$tail" in
                *\?*) tail="$tail&target_session_attrs=read-write" ;;
                *) tail="$tail?target_session_attrs=read-write" ;;
            esac
            HOTLINE_DATABASE_URL="$scheme://$authority,$DATABASE_MORE_HOSTS$tail"
            export HOTLINE_DATABASE_URL
            ;;
    esac
fi

exec "$@"
