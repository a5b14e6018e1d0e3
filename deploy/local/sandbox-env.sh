# shellcheck shell=bash
# Sourced by sandbox.sh, fault-test.sh and fault/bench.sh: prepares the sandbox NAME (database
# hotline_NAME, virtual host hotline-NAME) on the running local stack and exports the environment the
# tests, hotline-bench and the services read.
#
#   SANDBOX_NAME=bench SANDBOX_BIN=.build-rules/debug source deploy/local/sandbox-env.sh

[[ "${SANDBOX_NAME:-}" =~ ^[a-z0-9_]+$ ]] || { echo "sandbox-env: SANDBOX_NAME must be lowercase letters, digits, _" >&2; exit 2; }
[[ -d "${SANDBOX_BIN:-}" ]] || { echo "sandbox-env: SANDBOX_BIN (built executables) is not a folder: ${SANDBOX_BIN:-}" >&2; exit 2; }

export HOTLINE_DB_NAME="hotline_$SANDBOX_NAME" HOTLINE_VHOST="hotline-$SANDBOX_NAME"
HOTLINE_BUILD_BIN_DIR=$(cd "$SANDBOX_BIN" && pwd)
export HOTLINE_BUILD_BIN_DIR
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=deploy/local/platform.sh
source "$PLATFORM_SCRIPT"
cd "$REPO_ROOT" || exit 1

"$STACK_SCRIPT" up >/dev/null
"$STACK_SCRIPT" rabbitmqctl -q add_vhost "$VHOST" >/dev/null 2>&1 || true
"$STACK_SCRIPT" rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
if ! psql -Atq "postgres://hotline:hotline@127.0.0.1:${PG_PORT}/hotline" \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql -q "postgres://hotline:hotline@127.0.0.1:${PG_PORT}/hotline" -c "CREATE DATABASE $DB_NAME"
fi
platform_prepare

export HOTLINE_DATABASE_URL="$DATABASE_URL" HOTLINE_AMQP_URL="$ADMIN_AMQP_URL"
export HOTLINE_PASSWORDS_FILE="$PASSWORDS_FILE" HOTLINE_DATABASE_PASSWORDS_FILE="$DB_PASSWORDS_FILE"
export HOTLINE_STACK_SCRIPT="$STACK_SCRIPT"
export HOTLINE_BIN_DIR="$BIN_DIR" HOTLINE_REPO_ROOT="$REPO_ROOT"
