#!/bin/sh
# Command of the `postgres-standby` service of docker-compose.yml's `cluster` profile (postgres:15 image):
# a streaming standby of the primary `postgres`.
#
# On its first start (no data in its volume `pgdata-standby`) it copies the primary with
#   pg_basebackup -R -X stream -S hotline_standby
# as the replication role hotline_replication (made by the one-shot `postgres-replication` service), over
# TLS that verifies the primary's certificate (sslmode=verify-full, the `tls-ca` volume's ca.pem). -R
# writes standby.signal and primary_conninfo, with application_name=hotline_standby: the name that
# synchronous_standby_names on the primary refers to (docs/deployment.md). Later starts resume streaming.
# It then runs PostgreSQL with the primary's settings (TLS with the `tls-postgres` volume's certificate,
# max_connections no lower than the primary's, which a standby requires).
#
# Environment: PRIMARY_HOST (default postgres), HOTLINE_REPLICATION_PASSWORD, PGDATA (the image's).
set -eu

data="${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = 0 ]; then
    # the volume is created owned by root or with the image's mode: PostgreSQL wants its own, 0700
    mkdir -p "$data"
    chown postgres:postgres "$data"
    chmod 0700 "$data"
    exec gosu postgres sh "$0" "$@"
fi

if [ ! -s "$data/PG_VERSION" ]; then
    [ -n "${HOTLINE_REPLICATION_PASSWORD:-}" ] || { echo "postgres-standby: HOTLINE_REPLICATION_PASSWORD is empty" >&2; exit 1; }
    primary="${PRIMARY_HOST:-postgres}"
    echo "postgres-standby: copying the primary $primary (pg_basebackup)"
    # a failed copy leaves nothing behind, so that the next start tries again
    if ! PGPASSWORD="$HOTLINE_REPLICATION_PASSWORD" pg_basebackup -D "$data" -R -X stream -S hotline_standby -c fast \
        -d "host=$primary port=5432 user=hotline_replication application_name=hotline_standby sslmode=verify-full sslrootcert=/run/hotline-tls/ca.pem"; then
        find "$data" -mindepth 1 -delete
        echo "postgres-standby: pg_basebackup from $primary failed" >&2
        exit 1
    fi
    chmod 0700 "$data"
fi

exec postgres \
    -c max_connections=200 \
    -c idle_in_transaction_session_timeout=60s \
    -c synchronous_commit=on \
    -c fsync=on \
    -c hot_standby=on \
    -c ssl=on \
    -c ssl_cert_file=/tls/server.pem \
    -c ssl_key_file=/tls/server.key \
    -c ssl_min_protocol_version=TLSv1.2
