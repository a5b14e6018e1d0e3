#!/usr/bin/env bash
# A local RabbitMQ cluster and a replicated PostgreSQL pair on 127.0.0.1, next to the single-node stack of
# stack.sh (which it never touches), as plain background processes with their state in .local/cluster/
# (see cluster-lib.sh for the layout and the settings):
#   RabbitMQ  nodes hotline-c1@localhost, hotline-c2@localhost, hotline-c3@localhost, one cluster (quorum
#             queues get a member on each node), AMQP 5681/5682/5683, AMQP over TLS 5691/5692/5693,
#             Erlang distribution 25681/25682/25683, the same cookie; lib.sh's node settings
#   PostgreSQL primary 5441 and a streaming standby 5442 (pg_basebackup -R, physical slot hotline_standby),
#             synchronous: the primary's commits wait for the standby (while the standby is down, they hang)
#
#   cluster.sh up               start everything (idempotent), join nodes 2 and 3 to node 1, create the
#                               role/database hotline and the standby, wait until all answer
#   cluster.sh down [--purge]   stop what cluster.sh started; --purge also deletes .local/cluster
#   cluster.sh status           a line per node and instance, the cluster's running nodes and the
#                               replication state; exit 0 when everything is up
#   cluster.sh kill-node N      SIGKILL of RabbitMQ node N's beam process (N = 1, 2, 3)
#   cluster.sh start-node N     start node N again, wait until it is a running cluster member
#   cluster.sh stop-primary     stop the PostgreSQL primary (pg_ctl stop -m immediate)
#   cluster.sh promote-standby  stop-primary, then pg_ctl promote the standby and wait until it takes writes;
#                               the old primary stays down: `down --purge` + `up` rebuilds the pair
#   cluster.sh rabbitmqctl N ARGS   rabbitmqctl against node N (e.g. list_queues name type members);
#                               likewise rabbitmq-queues (e.g. quorum_status Q) and rabbitmq-diagnostics
#   cluster.sh env              export lines for HOTLINE_DATABASE_URL (both instances, read-write target)
#                               and HOTLINE_ADMIN_AMQP_URL (the three nodes, comma-separated)
set -euo pipefail

# shellcheck source=deploy/local/cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
    exit 2
}

cluster_status() {
    local ok=0 n pid running="" via=""
    for n in "${CLUSTER_NODES[@]}"; do
        use_rmq_node "$n"
        if pid=$(rmq_beam_pid) && port_open "$AMQP_PORT"; then
            echo "rabbitmq c$n: up (node $RMQ_NODE, pid $pid) on 127.0.0.1:$AMQP_PORT"
            [[ -n "$via" ]] || via=$n
        else
            echo "rabbitmq c$n: down (node $RMQ_NODE) on 127.0.0.1:$AMQP_PORT"; ok=1
        fi
    done
    if [[ -n "$via" ]]; then
        use_rmq_node "$via"
        running=$(cluster_rmq_nodes running_nodes | paste -sd' ') || running=""
        echo "rabbitmq cluster: running nodes (per $RMQ_NODE): ${running:-?}"
        [[ "$(wc -w <<<"$running")" == "${#CLUSTER_NODES[@]}" ]] || ok=1
    else
        echo "rabbitmq cluster: no node runs"
    fi
    local name role want sync="" primary_up=""
    for name in primary standby; do
        use_pg "$name"
        if pg_ours_running && pg_ready; then
            role=$(pg_psql_at 'SELECT pg_is_in_recovery()' 2>/dev/null) || role=""
            case "$role" in t) role=standby ;; f) role=primary; primary_up=$name ;; *) role=unknown ;; esac
            echo "postgresql $name: up on 127.0.0.1:$PG_PORT, role $role"
            want=$name
            [[ "$name" == standby ]] || want=primary
            [[ "$role" == "$want" ]] || ok=1
        else
            echo "postgresql $name: down on 127.0.0.1:$PG_PORT"; ok=1
        fi
    done
    if [[ -n "$primary_up" ]]; then
        use_pg "$primary_up"
        sync=$(pg_psql_at "SELECT string_agg(application_name || ' ' || state || ' ' || sync_state, ', ') FROM pg_stat_replication" 2>/dev/null) || sync=""
        echo "postgresql replication (on $primary_up): ${sync:-no standby connected}"
    fi
    [[ "$sync" == "$CLUSTER_STANDBY_NAME streaming sync" ]] || ok=1
    return $ok
}

# print_export NAME VALUE: an export line, the value in single quotes (readable, and safe for eval)
print_export() {
    if [[ "$2" == *"'"* ]]; then printf 'export %s=%q\n' "$1" "$2"; else printf "export %s='%s'\n" "$1" "$2"; fi
}

cluster_down() {
    cluster_rmq_down
    cluster_pg_down
    if [[ "${1:-}" == --purge ]]; then
        local n name
        for n in "${CLUSTER_NODES[@]}"; do
            use_rmq_node "$n"
            ! rmq_ours_running || die "node $RMQ_NODE still runs; not purging"
        done
        for name in primary standby; do
            use_pg "$name"
            ! pg_ours_running || die "PostgreSQL $name still runs; not purging"
        done
        log "deleting $CLUSTER_DIR"
        rm -rf "$CLUSTER_PG_HOME" "$CLUSTER_DIR"
    fi
}

cmd="${1:-}"
[[ -n "$cmd" ]] || usage
shift

case "$cmd" in
    up)
        cluster_lock
        t0=$SECONDS
        cluster_rmq_up
        cluster_pg_up
        log "up ($((SECONDS - t0)) s): RabbitMQ $(cluster_node_name 1)..c3 on 127.0.0.1:$((CLUSTER_AMQP_BASE + 1))-$((CLUSTER_AMQP_BASE + 3)), PostgreSQL primary 127.0.0.1:$CLUSTER_PG_PORT, synchronous standby 127.0.0.1:$CLUSTER_STANDBY_PORT"
        ;;
    down)
        [[ -z "${1:-}" || "$1" == --purge ]] || usage
        cluster_lock
        cluster_down "${1:-}"
        ;;
    status)
        cluster_status
        ;;
    kill-node)
        [[ "${1:-}" =~ ^[123]$ ]] || usage
        cluster_lock
        cluster_rmq_kill "$1"
        ;;
    start-node)
        [[ "${1:-}" =~ ^[123]$ ]] || usage
        cluster_lock
        cluster_rmq_start_node "$1"
        ;;
    stop-primary)
        cluster_lock
        cluster_pg_stop_primary
        ;;
    promote-standby)
        cluster_lock
        cluster_pg_promote
        ;;
    rabbitmqctl|rabbitmq-queues|rabbitmq-diagnostics)
        [[ "${1:-}" =~ ^[123]$ ]] || usage
        use_rmq_node "$1"
        shift
        CTL_TIMEOUT=600 cluster_cli "$cmd" "$@"
        ;;
    env)
        print_export HOTLINE_DATABASE_URL "$CLUSTER_DATABASE_URL"
        print_export HOTLINE_ADMIN_AMQP_URL "$(cluster_admin_amqp_url)"
        ;;
    -h|--help|help)
        usage
        ;;
    *)
        log "unknown command: $cmd"
        usage
        ;;
esac
