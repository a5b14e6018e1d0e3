#!/usr/bin/env bash
# A second, isolated platform on the running local stack: its own database `hotline_NAME` and virtual
# host `hotline-NAME`, prepared like the main one, so that parallel test runs (or a developer's
# experiment) never share queues or tables with another.
#
#   deploy/local/sandbox.sh NAME BIN_DIR PORT_BASE [swift test arguments]
#
# BIN_DIR holds the built executables (e.g. .build-mine/debug); PORT_BASE is the first HTTP port the
# test services use. Runs `swift test` with the sandbox's environment (add --scratch-path to match
# BIN_DIR).
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
name="$1" bin="$2" ports="$3"
shift 3
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "sandbox: NAME must be lowercase letters, digits, _" >&2; exit 2; }

export HOTLINE_DB_NAME="hotline_$name" HOTLINE_VHOST="hotline-$name" HOTLINE_BUILD_BIN_DIR
HOTLINE_BUILD_BIN_DIR=$(cd "$bin" && pwd)
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

"$STACK_SCRIPT" up >/dev/null
"$STACK_SCRIPT" rabbitmqctl -q add_vhost "$VHOST" >/dev/null 2>&1 || true
"$STACK_SCRIPT" rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
if ! psql -Atq "postgres://hotline:hotline@127.0.0.1:${PG_PORT}/hotline" \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql -q "postgres://hotline:hotline@127.0.0.1:${PG_PORT}/hotline" -c "CREATE DATABASE $DB_NAME"
fi
"$PLATFORM_SCRIPT" prepare

export HOTLINE_DATABASE_URL="$DATABASE_URL" HOTLINE_AMQP_URL="$ADMIN_AMQP_URL"
export HOTLINE_PASSWORDS_FILE="$PASSWORDS_FILE" HOTLINE_STACK_SCRIPT="$STACK_SCRIPT"
export HOTLINE_BIN_DIR="$BIN_DIR" HOTLINE_REPO_ROOT="$REPO_ROOT" HOTLINE_TEST_PORT_BASE="$ports"
exec swift test "$@"
