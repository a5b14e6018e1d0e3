# shellcheck shell=bash
# Sourced by sandbox.sh, fault-test.sh and fault/bench.sh: prepares the sandbox NAME (database
# hotline_NAME, virtual host hotline-NAME) on the running local stack and exports the environment the
# tests, hotline-bench and the services read.
#
#   SANDBOX_NAME=bench SANDBOX_BIN=.build-rules/debug source deploy/local/sandbox-env.sh
#
# With SANDBOX_CLUSTER=1 the sandbox is on the local cluster of cluster.sh (started if it is down)
# instead of the single-node stack.

[[ "${SANDBOX_NAME:-}" =~ ^[a-z0-9_]+$ ]] || { echo "sandbox-env: SANDBOX_NAME must be lowercase letters, digits, _" >&2; exit 2; }
[[ -d "${SANDBOX_BIN:-}" ]] || { echo "sandbox-env: SANDBOX_BIN (built executables) is not a folder: ${SANDBOX_BIN:-}" >&2; exit 2; }

export HOTLINE_DB_NAME="hotline_$SANDBOX_NAME" HOTLINE_VHOST="hotline-$SANDBOX_NAME"
HOTLINE_BUILD_BIN_DIR=$(cd "$SANDBOX_BIN" && pwd)
export HOTLINE_BUILD_BIN_DIR
if [[ "${SANDBOX_CLUSTER:-}" == 1 ]]; then
    # On the local cluster (cluster.sh): every URL names the three broker nodes and both PostgreSQL
    # instances (libpq picks the one that takes writes); the CLI calls go to node 1.
    # shellcheck source=deploy/local/cluster-lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"
    CLUSTER_SCRIPT="$LIB_DIR/cluster.sh"
    "$CLUSTER_SCRIPT" up >/dev/null
    use_rmq_node 1
    AMQP_NODE_PORTS=""
    for n in "${CLUSTER_NODES[@]}"; do AMQP_NODE_PORTS+="${AMQP_NODE_PORTS:+ }$((CLUSTER_AMQP_BASE + n))"; done
    PG_HOSTS="127.0.0.1:$CLUSTER_PG_PORT,127.0.0.1:$CLUSTER_STANDBY_PORT"
    PG_URL_OPTIONS="sslmode=disable&target_session_attrs=read-write"
    DATABASE_URL="postgres://hotline:hotline@$PG_HOSTS/$DB_NAME?$PG_URL_OPTIONS"
    ADMIN_AMQP_URL=$(cluster_admin_amqp_url)
    export HOTLINE_CLUSTER_SCRIPT="$CLUSTER_SCRIPT"
    # shellcheck source=deploy/local/platform.sh
    source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"
    cd "$REPO_ROOT" || exit 1
    "$CLUSTER_SCRIPT" rabbitmqctl 1 -q add_vhost "$VHOST" >/dev/null 2>&1 || true
    "$CLUSTER_SCRIPT" rabbitmqctl 1 -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
    admin_database="postgres://hotline:hotline@$PG_HOSTS/hotline?$PG_URL_OPTIONS"
else
    # shellcheck source=deploy/local/lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
    # shellcheck source=deploy/local/platform.sh
    source "$PLATFORM_SCRIPT"
    cd "$REPO_ROOT" || exit 1
    "$STACK_SCRIPT" up >/dev/null
    "$STACK_SCRIPT" rabbitmqctl -q add_vhost "$VHOST" >/dev/null 2>&1 || true
    "$STACK_SCRIPT" rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
    admin_database="postgres://hotline:hotline@127.0.0.1:${PG_PORT}/hotline"
fi
if ! psql -Atq "$admin_database" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql -q "$admin_database" -c "CREATE DATABASE $DB_NAME"
fi
platform_prepare

export HOTLINE_DATABASE_URL="$DATABASE_URL" HOTLINE_AMQP_URL="$ADMIN_AMQP_URL"
export HOTLINE_PASSWORDS_FILE="$PASSWORDS_FILE" HOTLINE_DATABASE_PASSWORDS_FILE="$DB_PASSWORDS_FILE"
export HOTLINE_STACK_SCRIPT="$STACK_SCRIPT"
export HOTLINE_BIN_DIR="$BIN_DIR" HOTLINE_REPO_ROOT="$REPO_ROOT"
