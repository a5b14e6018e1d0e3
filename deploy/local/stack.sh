#!/usr/bin/env bash
# Local PostgreSQL 15 + RabbitMQ for development and tests, as plain background processes on loopback,
# with all their state under .local/ (see lib.sh for the layout and the settings).
#
#   stack.sh install            apt-get install what is missing (postgresql rabbitmq-server librabbitmq-dev
#                               libpq-dev faketime curl python3-pika python3-jsonschema python3-yaml)
#   stack.sh up                 start both (idempotent), create role/database hotline, wait until they answer
#   stack.sh down               stop both (only what this script started)
#   stack.sh status             print the state; exit 0 when both are up
#   stack.sh restart-rabbitmq   graceful broker stop (rabbitmqctl stop), start, wait
#   stack.sh kill-rabbitmq      kill -9 of the broker's beam process, start, wait
#   stack.sh restart-postgres   pg_ctl restart -m fast, wait
#   stack.sh outage-postgres N  stop PostgreSQL (-m fast), wait N seconds, start it again, wait
#   stack.sh rabbitmqctl ARGS   rabbitmqctl against our node (e.g. import_definitions FILE)
#   stack.sh rabbitmq-diagnostics ARGS   likewise rabbitmq-diagnostics
#   stack.sh env                export lines for HOTLINE_DATABASE_URL and HOTLINE_ADMIN_AMQP_URL
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
    exit 2
}

stack_status() {
    local ok=0
    if [[ -f "$PG_EXTERNAL_FILE" ]] && pg_ready; then
        echo "postgresql: up (reused: $(tr '\n' ' ' <"$PG_EXTERNAL_FILE")) on 127.0.0.1:$PG_PORT"
    elif pg_ours_running && pg_ready; then
        echo "postgresql: up (ours, $PG_DATA) on 127.0.0.1:$PG_PORT"
    else
        echo "postgresql: down"; ok=1
    fi
    local pid
    if pid=$(rmq_beam_pid) && port_open "$AMQP_PORT"; then
        echo "rabbitmq: up (node $RMQ_NODE, pid $pid) on 127.0.0.1:$AMQP_PORT"
    else
        echo "rabbitmq: down"; ok=1
    fi
    return $ok
}

cmd="${1:-}"
[[ -n "$cmd" ]] || usage
shift

case "$cmd" in
    install)
        stack_install
        ;;
    up)
        stack_lock
        pg_up
        rmq_up
        log "up: PostgreSQL 127.0.0.1:$PG_PORT, RabbitMQ $RMQ_NODE 127.0.0.1:$AMQP_PORT"
        ;;
    down)
        stack_lock
        rmq_stop
        pg_down
        ;;
    status)
        stack_status
        ;;
    restart-rabbitmq)
        stack_lock
        t0=$SECONDS
        rmq_stop
        rmq_start
        rmq_ctl -q status >/dev/null
        log "restart-rabbitmq took $((SECONDS - t0)) s"
        ;;
    kill-rabbitmq)
        stack_lock
        t0=$SECONDS
        rmq_kill9
        rmq_start
        rmq_ctl -q status >/dev/null
        log "kill-rabbitmq took $((SECONDS - t0)) s"
        ;;
    restart-postgres)
        stack_lock
        pg_restart
        ;;
    outage-postgres)
        [[ "${1:-}" =~ ^[0-9]+$ ]] || die "outage-postgres SECONDS"
        stack_lock
        pg_outage "$1"
        ;;
    rabbitmqctl)
        rmq_ctl "$@"
        ;;
    rabbitmq-diagnostics)
        rmq_diag "$@"
        ;;
    env)
        printf 'export HOTLINE_DATABASE_URL=%q\n' "$DATABASE_URL"
        printf 'export HOTLINE_ADMIN_AMQP_URL=%q\n' "$ADMIN_AMQP_URL"
        ;;
    -h|--help|help)
        usage
        ;;
    *)
        log "unknown command: $cmd"
        usage
        ;;
esac
