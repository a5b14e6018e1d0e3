# shellcheck shell=bash disable=SC2034,SC2019
# (SC2034: the settings below are used by cluster.sh and by the lib.sh functions they are handed to)
# Common code of deploy/local/cluster.sh: a three-node RabbitMQ cluster and a PostgreSQL primary with a
# synchronous streaming standby, next to (never instead of) the single-node stack of stack.sh.
#
# The lib.sh functions work on globals (RMQ_NODE, AMQP_PORT, RMQ_DIR…, PG_PORT, PG_HOME, PG_DATA…);
# use_rmq_node N and use_pg primary|standby point those globals at one cluster member, so that lib.sh's
# settings (rmq_write_config, pg_write_config) and helpers (rmq_env, rmq_stop, pg_admin_psql…) are reused.
#
# Everything lives under .local/cluster/ (git-ignored with .local/):
#   rabbitmq/erlang.cookie     the cluster's Erlang cookie, copied into each node's home/ (HOME of the node
#                              and of the CLI tools run against it)
#   rabbitmq/cN/               node N's rabbitmq.conf, enabled_plugins, home/, mnesia/, pid files
#   pg/primary/, pg/standby/   PostgreSQL data/, run/ (socket), tls/, postgresql.log (owned by `postgres`
#                              when run as root; linked from /var/lib/hotline-local/… when postgres cannot
#                              reach .local)
#   replication-password       password of the replication role (random, 0600)
#   logs/                      rabbitmq-cN/ (node logs, startup.log), postgresql-*.log (links), initdb.log
#
# Settings (environment):
#   HOTLINE_CLUSTER_AMQP_BASE   node N's AMQP port is BASE+N (5680: 5681, 5682, 5683); AMQP over TLS +10
#                               (5691…), Erlang distribution +20000 (25681…), management +10000 (15681…)
#   HOTLINE_CLUSTER_PG_PORT     the primary's port (5441); the standby's is the next one (5442)
#   HOTLINE_CLUSTER_MANAGEMENT  1: enable rabbitmq_management on every node (otherwise only when lib.sh's
#                               single-node configuration enables it)

if [[ -n "${HOTLINE_CLUSTER_LIB_LOADED:-}" ]]; then return 0; fi
HOTLINE_CLUSTER_LIB_LOADED=1

# Nothing of the caller's RabbitMQ environment may leak into the cluster's servers or CLI calls.
while read -r _var; do unset "$_var"; done < <(compgen -e | grep '^RABBITMQ_' || true)
unset _var

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The single-node stack's identity: the cluster must never use any of it.
STACK_RMQ_NODE="$RMQ_NODE"
STACK_RMQ_DIR="$RMQ_DIR"
STACK_RMQ_PORTS=" $AMQP_PORT $AMQPS_PORT $DIST_PORT 15672 "
STACK_PG_PORT="$PG_PORT"
STACK_PG_DATA="$PG_DATA"

CLUSTER_DIR="$LOCAL_DIR/cluster"
CLUSTER_LOG_DIR="$CLUSTER_DIR/logs"
CLUSTER_LOCK_FILE="$LOCAL_DIR/.cluster.lock"
CLUSTER_NODES=(1 2 3)
CLUSTER_AMQP_BASE="${HOTLINE_CLUSTER_AMQP_BASE:-5680}"
CLUSTER_COOKIE_FILE="$CLUSTER_DIR/rabbitmq/erlang.cookie"
CLUSTER_PG_PORT="${HOTLINE_CLUSTER_PG_PORT:-5441}"
CLUSTER_STANDBY_PORT=$((CLUSTER_PG_PORT + 1))
CLUSTER_PG_HOME="$CLUSTER_DIR/pg"
if [[ -L "$CLUSTER_PG_HOME" ]]; then CLUSTER_PG_HOME=$(readlink -f "$CLUSTER_PG_HOME"); fi
# the standby's application_name (named by synchronous_standby_names) and its replication slot
CLUSTER_STANDBY_NAME=hotline_standby
CLUSTER_REPLICATION_ROLE=hotline_replication
CLUSTER_REPLICATION_PASSWORD_FILE="$CLUSTER_DIR/replication-password"

CLUSTER_DATABASE_URL="postgres://hotline:hotline@127.0.0.1:${CLUSTER_PG_PORT},127.0.0.1:${CLUSTER_STANDBY_PORT}/${DB_NAME}?sslmode=disable&target_session_attrs=read-write"

cluster_node_name() { printf 'hotline-c%s@localhost' "$1"; }

cluster_admin_amqp_url() {
    local n urls=()
    for n in "${CLUSTER_NODES[@]}"; do
        urls+=("amqp://guest:guest@127.0.0.1:$((CLUSTER_AMQP_BASE + n))/${VHOST_PATH}")
    done
    (IFS=,; printf '%s' "${urls[*]}")
}

# cluster_lock: serialise the cluster.sh commands that change state (fd 9, as stack_lock; its own file,
# so that cluster.sh never waits for stack.sh nor the other way round)
cluster_lock() {
    mkdir -p "$LOCAL_DIR"
    exec 9>"$CLUSTER_LOCK_FILE"
    flock -w 300 9 || die "another cluster.sh holds $CLUSTER_LOCK_FILE"
}

# ---------------------------------------------------------------------------------------------- RabbitMQ

# use_rmq_node N: point lib.sh's RabbitMQ globals at cluster node N (1..3)
use_rmq_node() {
    [[ "$1" =~ ^[123]$ ]] || die "node number must be 1, 2 or 3 (got '$1')"
    RMQ_NODE=$(cluster_node_name "$1")
    AMQP_PORT=$((CLUSTER_AMQP_BASE + $1))
    AMQPS_PORT=$((AMQP_PORT + 10))
    DIST_PORT=$((AMQP_PORT + 20000))
    MGMT_PORT=$((AMQP_PORT + 10000))
    RMQ_DIR="$CLUSTER_DIR/rabbitmq/c$1"
    RMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
    RMQ_LOG_DIR="$CLUSTER_LOG_DIR/rabbitmq-c$1"
    local p
    for p in "$AMQP_PORT" "$AMQPS_PORT" "$DIST_PORT" "$MGMT_PORT"; do
        [[ "$STACK_RMQ_PORTS" != *" $p "* ]] || die "cluster node $1 would use port $p of the single-node stack"
    done
    [[ "$RMQ_NODE" != "$STACK_RMQ_NODE" && "$RMQ_DIR" != "$STACK_RMQ_DIR" ]] \
        || die "cluster node $1 would be the single-node stack's node $STACK_RMQ_NODE"
}

# cluster_ctl ARGS...: rabbitmqctl against the current node, given at most CTL_TIMEOUT seconds
cluster_ctl() { cluster_cli rabbitmqctl "$@"; }

# cluster_cli TOOL ARGS...: a RabbitMQ CLI tool (rabbitmqctl, rabbitmq-queues…) against the current node
cluster_cli() {
    local tool=$1; shift
    (rmq_env; exec timeout "${CTL_TIMEOUT:-120}" "$RMQ_BIN/$tool" -n "$RMQ_NODE" "$@" 9>&-)
}

cluster_management_enabled() {
    [[ "${HOTLINE_CLUSTER_MANAGEMENT:-}" == 1 ]] || grep -q rabbitmq_management "$RMQ_DIR/enabled_plugins" 2>/dev/null
}

cluster_ensure_cookie() {
    [[ -s "$CLUSTER_COOKIE_FILE" ]] && return 0
    mkdir -p "$(dirname "$CLUSTER_COOKIE_FILE")"
    local cookie=""
    while ((${#cookie} < 32)); do cookie+=$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Z'); done
    (umask 077; printf '%s' "${cookie:0:32}" >"$CLUSTER_COOKIE_FILE")
}

# cluster_rmq_write_config: lib.sh's node configuration (the same listeners, TLS, limits, loopback
# users…) for the current node, with the cluster's cookie and the cluster settings added.
cluster_rmq_write_config() {
    cluster_ensure_cookie
    mkdir -p "$RMQ_DIR/home"
    chmod 700 "$RMQ_DIR/home"
    if ! cmp -s "$CLUSTER_COOKIE_FILE" "$RMQ_DIR/home/.erlang.cookie"; then
        rm -f "$RMQ_DIR/home/.erlang.cookie"
        install -m 0400 "$CLUSTER_COOKIE_FILE" "$RMQ_DIR/home/.erlang.cookie"
    fi
    rmq_write_config
    sed -i -e '1s|.*|# Written by deploy/local/cluster.sh (lib.sh rmq_write_config + cluster settings); edits are overwritten.|' \
        -e '/^# quorum queues need nothing more on a single node$/d' "$RMQ_DIR/rabbitmq.conf"
    cat >>"$RMQ_DIR/rabbitmq.conf" <<EOF
# cluster.sh: one of three nodes joined with rabbitmqctl join_cluster; quorum queues get a member on
# each node. A node cut off from the majority pauses instead of serving a minority.
cluster_partition_handling = pause_minority
cluster_name = hotline-local-cluster
EOF
    if cluster_management_enabled; then
        printf '[rabbitmq_management].\n' >"$RMQ_DIR/enabled_plugins"
        printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$MGMT_PORT" >>"$RMQ_DIR/rabbitmq.conf"
    fi
}

# cluster_rmq_launch: start the current node in the background (cluster_rmq_wait waits for it)
cluster_rmq_launch() {
    local p ports=("$AMQP_PORT" "$AMQPS_PORT" "$DIST_PORT")
    cluster_rmq_write_config
    cluster_management_enabled && ports+=("$MGMT_PORT")
    for p in "${ports[@]}"; do
        port_closed "$p" || die "port $p (of node $RMQ_NODE) is in use by something else"
    done
    rm -f "$RMQ_PID_FILE"
    log "starting RabbitMQ node $RMQ_NODE on 127.0.0.1:$AMQP_PORT"
    (
        rmq_env
        cd "$RMQ_DIR" || exit 1
        exec setsid "$RMQ_BIN/rabbitmq-server" </dev/null >>"$RMQ_LOG_DIR/startup.log" 2>&1 9>&-
    ) &
    printf '%s\n' "$!" >"$RMQ_DIR/server-script.pid"
}

# cluster_rmq_wait [SECONDS]: until the current node has booted (a restarted node first waits for the
# cluster peers it last saw, so all stopped nodes are launched before any is waited for)
cluster_rmq_wait() {
    local server_pid=""
    [[ -f "$RMQ_DIR/server-script.pid" ]] && server_pid=$(tr -dc '0-9' <"$RMQ_DIR/server-script.pid")
    rmq_wait_ready "${1:-300}" "$server_pid"
}

# cluster_rmq_nodes KIND: the disk_nodes or running_nodes the current node reports, one a line
cluster_rmq_nodes() {
    local json
    json=$(CTL_TIMEOUT=30 cluster_ctl -q cluster_status --formatter json 2>/dev/null) || return 1
    tr -d ' \n' <<<"$json" | grep -o "\"$1\":\[[^]]*\]" | grep -o '"[^"]*@[^"]*"' | tr -d '"' | sort
}

# cluster_rmq_alive_nodes: the names of the cluster nodes whose beam process runs, one a line
cluster_rmq_alive_nodes() {
    local n
    for n in "${CLUSTER_NODES[@]}"; do
        (use_rmq_node "$n"; rmq_ours_running && printf '%s\n' "$RMQ_NODE") || true
    done | sort
}

# cluster_rmq_join N: make node N a member of node 1's cluster (nothing when it is one)
cluster_rmq_join() {
    local name seed
    name=$(cluster_node_name "$1")
    seed=$(cluster_node_name 1)
    [[ "$name" != "$seed" ]] || return 0
    use_rmq_node "$1"
    # a member knows the seed as one of its cluster's nodes (even while the seed is down)
    if cluster_rmq_nodes disk_nodes | grep -qxF "$seed"; then return 0; fi
    log "joining $name to the cluster of $seed"
    # (the CLI's output, with harmless errors about tracking tables, goes to the node's log folder)
    local out="$RMQ_LOG_DIR/join_cluster.log"
    cluster_ctl -q stop_app >>"$out" 2>&1 || die "rabbitmqctl stop_app failed on $name, see $out"
    cluster_ctl -q join_cluster "$seed" >>"$out" 2>&1 || die "rabbitmqctl join_cluster $seed failed on $name, see $out"
    cluster_ctl -q start_app >>"$out" 2>&1 || die "rabbitmqctl start_app failed on $name, see $out"
    cluster_ctl -q await_startup --timeout 120 >/dev/null || die "$name did not start again after joining"
}

# cluster_rmq_in_cluster N: node N runs and its running cluster nodes are exactly the nodes that run
cluster_rmq_in_cluster() {
    local alive seen name
    name=$(cluster_node_name "$1")
    alive=$(cluster_rmq_alive_nodes)
    grep -qxF "$name" <<<"$alive" || return 1
    seen=$(use_rmq_node "$1"; cluster_rmq_nodes running_nodes) || return 1
    [[ "$seen" == "$alive" ]]
}

# cluster_rmq_start_node N: start node N if it is down, and wait until it is a running cluster member
cluster_rmq_start_node() {
    use_rmq_node "$1"
    if rmq_ours_running; then
        log "node $RMQ_NODE already runs (pid $(rmq_beam_pid))"
    else
        local t0=$SECONDS
        cluster_rmq_launch
        cluster_rmq_wait 300
        log "node $RMQ_NODE is up ($((SECONDS - t0)) s)"
    fi
    cluster_rmq_join "$1"
    wait_for 120 cluster_rmq_in_cluster "$1" || die "node $(cluster_node_name "$1") did not rejoin the cluster"
    log "node $(cluster_node_name "$1") is a running member of the cluster"
}

cluster_rmq_up() {
    local n launched=()
    tls_ensure
    for n in "${CLUSTER_NODES[@]}"; do
        use_rmq_node "$n"
        rmq_ours_running && continue
        cluster_rmq_launch
        launched+=("$n")
    done
    for n in "${CLUSTER_NODES[@]}"; do
        use_rmq_node "$n"
        cluster_rmq_wait 300
        cluster_ctl -q status >/dev/null 2>&1 || die "rabbitmqctl -n $RMQ_NODE status failed"
    done
    ((${#launched[@]} == 0)) || log "RabbitMQ nodes ${launched[*]} started"
    for n in "${CLUSTER_NODES[@]}"; do cluster_rmq_join "$n"; done
    for n in "${CLUSTER_NODES[@]}"; do
        wait_for 120 cluster_rmq_in_cluster "$n" || die "node $(cluster_node_name "$n") is not a running cluster member"
    done
}

cluster_rmq_down() {
    local n
    # node 1 last: it is the one that starts without waiting for the others next time
    for n in 3 2 1; do
        use_rmq_node "$n"
        rmq_stop
    done
}

# cluster_rmq_kill N: SIGKILL of node N's beam process
cluster_rmq_kill() {
    use_rmq_node "$1"
    rmq_ours_running || die "node $RMQ_NODE is not running"
    rmq_kill9
    wait_for 15 port_closed "$DIST_PORT" || true
}

# ---------------------------------------------------------------------------------------------- PostgreSQL

# use_pg primary|standby: point lib.sh's PostgreSQL globals at that instance
use_pg() {
    case "$1" in
        primary) PG_PORT=$CLUSTER_PG_PORT ;;
        standby) PG_PORT=$CLUSTER_STANDBY_PORT ;;
        *) die "use_pg: primary or standby, not '$1'" ;;
    esac
    PG_NAME=$1
    PG_HOME="$CLUSTER_PG_HOME/$1"
    PG_DATA="$PG_HOME/data"
    LOG_DIR="$CLUSTER_LOG_DIR"
    PG_EXTERNAL_FILE="$CLUSTER_DIR/pg.external"   # never written: the cluster only runs its own servers
    [[ "$PG_PORT" != "$STACK_PG_PORT" && "$PG_DATA" != "$STACK_PG_DATA" ]] \
        || die "the cluster's $1 would be the single-node stack's PostgreSQL"
}

pg_psql_at() { pg_admin_psql -At -c "$1"; }

# cluster_pg_make_home: the instances' folders, where the cluster's OS user can write
cluster_pg_make_home() {
    local name
    mkdir -p "$CLUSTER_DIR" "$CLUSTER_LOG_DIR"
    CLUSTER_PG_HOME=$(pg_writable_dir "$CLUSTER_PG_HOME" cluster-pg)
    for name in primary standby; do
        use_pg "$name"
        as_pg mkdir -p "$PG_HOME" "$(pg_socket_dir)"
        as_pg chmod 700 "$(pg_socket_dir)"
        as_pg touch "$PG_HOME/postgresql.log"
        ln -sfn "$PG_HOME/postgresql.log" "$CLUSTER_LOG_DIR/postgresql-$name.log"
    done
}

cluster_replication_password() {
    if [[ ! -s "$CLUSTER_REPLICATION_PASSWORD_FILE" ]]; then
        mkdir -p "$CLUSTER_DIR"
        (umask 077 && openssl rand -hex 16 >"$CLUSTER_REPLICATION_PASSWORD_FILE")
    fi
    tr -dc '0-9a-f' <"$CLUSTER_REPLICATION_PASSWORD_FILE"
}

# cluster_pg_write_config [SYNC_NAMES]: lib.sh's settings (pg_write_config) plus the replication ones,
# for the current instance; SYNC_NAMES is the primary's synchronous_standby_names (empty on a standby).
cluster_pg_write_config() {
    pg_install_certificate
    pg_write_config
    as_pg tee "$PG_DATA/cluster.conf" >/dev/null <<EOF
# Written by deploy/local/cluster.sh; edits are overwritten.
cluster_name = 'hotline_$PG_NAME'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
# the slot keeps WAL for a stopped standby, up to this much
max_slot_wal_keep_size = '2GB'
hot_standby = on
hot_standby_feedback = on
# on the primary: commits wait until this standby has flushed them (synchronous_commit = on, hotline.conf)
synchronous_standby_names = '${1:-}'
EOF
    if ! grep -q "^include_if_exists = 'cluster.conf'" "$PG_DATA/postgresql.conf"; then
        printf "include_if_exists = 'cluster.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
    fi
}

cluster_pg_start() {
    log "starting PostgreSQL $PG_NAME on 127.0.0.1:$PG_PORT"
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgresql.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL $PG_NAME did not start, see $PG_HOME/postgresql.log"
    wait_for 60 pg_ready || die "PostgreSQL $PG_NAME does not answer on 127.0.0.1:$PG_PORT"
}

# cluster_pg_run: start the current instance, or make a running one read its configuration again
cluster_pg_run() {
    if pg_ours_running; then
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" reload >/dev/null
        wait_for 30 pg_ready || die "PostgreSQL $PG_NAME does not answer on 127.0.0.1:$PG_PORT"
    else
        cluster_pg_start
    fi
}

# the standby's data was promoted (promote-standby): it has no standby.signal any more
cluster_pg_standby_promoted() {
    use_pg standby
    [[ -f "$PG_DATA/PG_VERSION" && ! -f "$PG_DATA/standby.signal" ]]
}

cluster_pg_ensure_replication() {
    local pw
    pw=$(cluster_replication_password)
    pg_admin_psql -v role="$CLUSTER_REPLICATION_ROLE" -v pw="$pw" -v slot="$CLUSTER_STANDBY_NAME" <<'SQL' >/dev/null
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN REPLICATION PASSWORD :'pw';
SELECT pg_create_physical_replication_slot(:'slot')
    WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = :'slot');
SQL
}

# cluster_pg_basebackup: the standby's data, copied from the running primary with pg_basebackup -R
cluster_pg_basebackup() {
    use_pg standby
    log "creating the standby in $PG_DATA (pg_basebackup from 127.0.0.1:$CLUSTER_PG_PORT)"
    as_pg rm -rf "$PG_DATA"
    if ! PGPASSWORD=$(cluster_replication_password) as_pg "$(pg_bin_dir)/pg_basebackup" -D "$PG_DATA" \
        -d "host=127.0.0.1 port=$CLUSTER_PG_PORT user=$CLUSTER_REPLICATION_ROLE application_name=$CLUSTER_STANDBY_NAME sslmode=disable" \
        -R -S "$CLUSTER_STANDBY_NAME" -X stream -c fast >>"$CLUSTER_LOG_DIR/basebackup.log" 2>&1; then
        as_pg rm -rf "$PG_DATA"
        die "pg_basebackup failed, see $CLUSTER_LOG_DIR/basebackup.log"
    fi
}

# cluster_pg_sync: the primary reports the standby as streaming and synchronous
cluster_pg_sync() {
    use_pg primary
    [[ "$(pg_psql_at "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '$CLUSTER_STANDBY_NAME'" 2>/dev/null)" == "streaming sync" ]]
}

cluster_pg_up() {
    cluster_pg_make_home
    if cluster_pg_standby_promoted; then
        pg_ours_running || cluster_pg_start
        die "the standby was promoted and is the primary on 127.0.0.1:$CLUSTER_STANDBY_PORT; the old primary stays down (rebuild the pair: cluster.sh down --purge && cluster.sh up)"
    fi
    local standby_exists=0
    use_pg standby
    [[ -f "$PG_DATA/PG_VERSION" ]] && standby_exists=1
    # the primary (synchronous only once there is a standby, or its commits would wait for ever)
    use_pg primary
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        ((standby_exists == 0)) || die "the standby exists without a primary (rebuild: cluster.sh down --purge && cluster.sh up)"
        pg_initdb
    fi
    local sync_names=""
    ((standby_exists)) && sync_names=$CLUSTER_STANDBY_NAME
    cluster_pg_write_config "$sync_names"
    cluster_pg_run
    if ((standby_exists == 0)); then
        pg_ensure_role_and_db
        cluster_pg_ensure_replication
        cluster_pg_basebackup
    fi
    # the standby
    use_pg standby
    cluster_pg_write_config ""
    cluster_pg_run
    # now the primary's commits wait for the standby
    use_pg primary
    cluster_pg_write_config "$CLUSTER_STANDBY_NAME"
    cluster_pg_run
    wait_for 90 cluster_pg_sync || die "the standby does not stream synchronously from the primary (see $CLUSTER_LOG_DIR/postgresql-*.log)"
    use_pg primary
    pg_ensure_role_and_db
    cluster_pg_ensure_replication
}

cluster_pg_down() {
    local name
    # the primary first: its WAL senders hand the standby everything before they exit
    for name in primary standby; do
        use_pg "$name"
        if pg_ours_running; then
            log "stopping PostgreSQL $name"
            as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
        fi
    done
}

cluster_pg_stop_primary() {
    use_pg primary
    if pg_ours_running; then
        log "stopping the primary (pg_ctl stop -m immediate)"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m immediate -w -t 60 stop >/dev/null
    else
        log "the primary is not running"
    fi
}

cluster_pg_writable() {
    [[ "$(PGPASSWORD=hotline PGCONNECT_TIMEOUT=3 "$(pg_bin_dir)/psql" -X -q -At \
        "postgres://hotline@127.0.0.1:$PG_PORT/hotline?sslmode=disable" -c 'SELECT pg_current_xact_id() IS NOT NULL' 2>/dev/null)" == t ]]
}

cluster_pg_promote() {
    cluster_pg_stop_primary
    use_pg standby
    pg_ours_running || die "the standby is not running"
    if [[ "$(pg_psql_at 'SELECT pg_is_in_recovery()')" == t ]]; then
        log "promoting the standby on 127.0.0.1:$PG_PORT"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -w -t 60 promote >/dev/null || die "pg_ctl promote failed"
    else
        log "the standby was already promoted"
    fi
    wait_for 60 cluster_pg_writable || die "the promoted standby does not accept writes"
    log "127.0.0.1:$PG_PORT is the primary and accepts writes"
}
