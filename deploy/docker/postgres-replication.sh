#!/bin/sh
# One-shot `postgres-replication` service of docker-compose.yml's `cluster` profile (idempotent; runs on
# every `docker compose --profile cluster up`, after `postgres` is healthy and before `postgres-standby`
# starts). In the postgres:15 image, as user postgres (uid 999, the owner of the primary's files), it
# prepares the primary `postgres` for a streaming standby:
#   - pg_hba.conf of the primary (its data volume `pgdata`, mounted here where the primary has it, at
#     PGDATA; no PostgreSQL runs on it in this container) lets the replication role connect over TLS with
#     its password: "hostssl replication hotline_replication all scram-sha-256";
#   - the role hotline_replication (LOGIN REPLICATION, password HOTLINE_REPLICATION_PASSWORD) and the
#     physical replication slot hotline_standby, which keeps the WAL the standby has not received yet;
#   - max_slot_wal_keep_size = 2GB (ALTER SYSTEM): a standby stopped for long loses its slot (and must be
#     made again: remove its volume `pgdata-standby`) instead of filling the primary's disk.
# It connects as the schema's owner `hotline` (a superuser) with the PG* variables docker-compose.yml sets
# (host postgres, sslmode=verify-full against the `tls-ca` volume's ca.pem).
#
# It does NOT set synchronous_standby_names: that setting is kept in the primary's data volume, and with
# it set the primary's commits wait for a standby that the default profile never starts. docs/deployment.md
# ("Trying it with Docker") gives the command that makes the replication synchronous, and the one that
# undoes it.
set -eu

role=hotline_replication
slot=hotline_standby
hba="${PGDATA:-/var/lib/postgresql/data}/pg_hba.conf"
line="hostssl replication $role all scram-sha-256"

[ -n "${HOTLINE_REPLICATION_PASSWORD:-}" ] || { echo "postgres-replication: HOTLINE_REPLICATION_PASSWORD is empty" >&2; exit 1; }
[ -w "$hba" ] || { echo "postgres-replication: cannot write $hba (mount the primary's data volume there)" >&2; exit 1; }

if ! grep -qxF "$line" "$hba"; then
    printf '# added by deploy/docker/postgres-replication.sh (docker-compose.yml, profile cluster)\n%s\n' "$line" >>"$hba"
    echo "postgres-replication: allowed $role in $hba"
fi

psql -X -q -v ON_ERROR_STOP=1 -v role="$role" -v pw="$HOTLINE_REPLICATION_PASSWORD" -v slot="$slot" <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN REPLICATION PASSWORD :'pw';
SELECT pg_create_physical_replication_slot(:'slot')
    WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = :'slot');
ALTER SYSTEM SET max_slot_wal_keep_size = '2GB';
SELECT pg_reload_conf();
SQL
echo "postgres-replication: done (role $role, slot $slot)"
