#!/usr/bin/env bash
# Fault test: nothing lost, nothing done twice, while the platform is knocked over.
#
#   deploy/local/fault-test.sh [--count N] [--short] [--malformed M] [--rate R] [--bin DIR]
#                              [--sandbox NAME] [--port-base P] [--no-server-restarts] [--cluster]
#
# In a sandbox (database hotline_NAME, virtual host hotline-NAME; default NAME fault) on the running local
# stack, starts the eight services (HTTP ports P+1 … P+8, default 19810) and then:
#   1. fault run: streams N submissions (default 10,000 at 100/s; --short 1,000 at 25/s) as the gateway, 1 % of them sent
#      again under a new message_id, with a publisher that retries with the same message_id after a
#      connection loss; meanwhile SIGKILLs and restarts each service in turn, restarts RabbitMQ
#      (stack.sh restart-rabbitmq) and PostgreSQL (stack.sh restart-postgres). Then waits for quiescence
#      and audits: every submission exactly one outcome, every accepted ticket exactly one live
#      assignment that reached its unit, no fact published under two ids, the outbox drained, nothing
#      unacked in any queue, nothing new in hotline.dead.
#   2. bad-input run: M malformed messages (default 10,000; --short 2,000: not JSON, not UTF-8, over
#      256 KiB, wrong types, missing fields, unknown and undecodable commands) mixed into a stream of
#      good submissions: every one answered (submission.invalid / command.rejected) and the good ones
#      all handled, while every service's /health answers 200 throughout.
# With --cluster (sandbox NAME default cluster) the platform runs on a fresh local cluster (cluster.sh:
# three RabbitMQ nodes, a PostgreSQL primary with a synchronous standby; every URL names all of them),
# and the faults of the fault run are the cluster's instead of the services' and servers': SIGKILL of
# the node leading the submissions queue and its restart, then of another node, then the primary
# stopped (-m immediate) and the standby promoted. It reports the longest time without a new decided
# submission after each.
# Prints sent / accepted / not accepted / duplicates / lost per run; exits non-zero on any failure.
# BIN_DIR holds the built executables including hotline-bench (default .build/debug).
# The server restarts affect every sandbox on the same stack: run it when no other test runs there, or
# pass --no-server-restarts.
set -euo pipefail

count=10000 malformed=10000 rate=100 bad_rate=400 bad_good=2000 bin=.build/debug sandbox=fault port_base=19810
fault_interval=6
server_restarts=1 cluster=0 sandbox_given=0
while (($#)); do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --malformed) malformed="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --short) count=1000 malformed=2000 rate=25 bad_rate=200 bad_good=300 fault_interval=3; shift ;;
        --bin) bin="$2"; shift 2 ;;
        --sandbox) sandbox="$2" sandbox_given=1; shift 2 ;;
        --cluster) cluster=1; shift ;;
        --port-base) port_base="$2"; shift 2 ;;
        --no-server-restarts) server_restarts=0; shift ;;
        -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fault-test: unknown argument $1" >&2; exit 2 ;;
    esac
done

if ((cluster)); then
    ((sandbox_given)) || sandbox=cluster
    # A fresh pair every time: the previous run promoted the standby.
    "$(dirname "${BASH_SOURCE[0]}")/cluster.sh" down --purge >/dev/null
    SANDBOX_CLUSTER=1
fi
SANDBOX_NAME="$sandbox" SANDBOX_BIN="$bin"
# shellcheck source=deploy/local/sandbox-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/sandbox-env.sh" >/dev/null
BENCH="$BIN_DIR/hotline-bench"
[[ -x "$BENCH" ]] || die "$BENCH is missing (swift build --product hotline-bench)"

flog() { printf '[fault %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

declare -A PIDS=() PORTS=()
health_ports=""
i=0
for s in "${SERVICES[@]}"; do
    i=$((i + 1))
    PORTS[$s]=$((port_base + i))
    health_ports+="${health_ports:+,}$((port_base + i))"
done

start_one() {
    local name="$1" url db secrets
    url=$(amqp_url_for "svc.$name")
    db=$(database_url_for "$name")
    mapfile -t secrets < <(service_settings "$name" "${PORTS[$name]}")
    mkdir -p "$LOG_DIR"
    printf '\n==== %s start %s ====\n' "$name" "$(date -Is)" >>"$LOG_DIR/fault-$name.log"
    env "${secrets[@]}" HOTLINE_AMQP_URL="$url" HOTLINE_DATABASE_URL="$db" HOTLINE_HTTP_PORT="${PORTS[$name]}" \
        "$BIN_DIR/hotline-$name" </dev/null >>"$LOG_DIR/fault-$name.log" 2>&1 9>&- &
    PIDS[$name]=$!
}

healthy() { curl -fsS -m 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1; }

wait_healthy() {
    local name="$1"
    wait_for 90 healthy "${PORTS[$name]}" || die "$name did not become healthy (see $LOG_DIR/fault-$name.log)"
}

stop_all() {
    local s
    for s in "${!PIDS[@]}"; do kill -TERM "${PIDS[$s]}" 2>/dev/null || true; done
    for s in "${!PIDS[@]}"; do wait_for 20 pid_gone "${PIDS[$s]}" || kill -KILL "${PIDS[$s]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
stream_pid="" sampler_pid=""
cleanup() {
    [[ -n "$stream_pid" ]] && kill -TERM "$stream_pid" 2>/dev/null || true
    [[ -n "$sampler_pid" ]] && kill -TERM "$sampler_pid" 2>/dev/null || true
    stop_all
    if ((cluster)); then "$CLUSTER_SCRIPT" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

submitted() {
    psql -Atq "$DATABASE_URL" -c "SELECT count(*) FROM submissions WHERE submission_id LIKE '$1-%'" 2>/dev/null || echo 0
}

# rabbitmqctl ARGS against the single-node stack, or against the first running node of the cluster
ctl() {
    if ((cluster)); then
        local n
        for n in 1 2 3; do "$CLUSTER_SCRIPT" rabbitmqctl "$n" "$@" 2>/dev/null && return 0; done
        return 1
    fi
    "$STACK_SCRIPT" rabbitmqctl "$@" 2>/dev/null
}
queue_table() { ctl -q list_queues -p "$VHOST" name messages messages_unacknowledged; }
dead_count() { queue_table | awk '$1 == "hotline.dead" && $2 ~ /^[0-9]+$/ {print $2}' | head -n1; }

# audit_queues DEAD_BEFORE: nothing unacked anywhere, nothing new dead-lettered
audit_queues() {
    local before="$1" unacked dead deadline=$((SECONDS + 60))
    while :; do
        unacked=$(queue_table | awk '$3 ~ /^[0-9]+$/ && $3 > 0 {printf "%s(%s) ", $1, $3}')
        [[ -z "$unacked" ]] && break
        ((SECONDS < deadline)) || break
        sleep 1
    done
    dead=$(dead_count)
    printf '  queues: unacked: %s; hotline.dead %s (before %s)\n' "${unacked:-none}" "${dead:-0}" "${before:-0}"
    [[ -z "$unacked" ]] && ((${dead:-0} <= ${before:-0}))
}

flog "sandbox $DB_NAME / $VHOST; services on ports $health_ports; $BIN_DIR"
for s in "${SERVICES[@]}"; do start_one "$s"; done
for s in "${SERVICES[@]}"; do wait_healthy "$s"; done
flog "platform up"
failed=0
stamp=$(date +%H%M%S)

# ------------------------------------------------------------------------------------------ 1. faults
run="FAULT$stamp"
done_file=$(mktemp -u "${TMPDIR:-/tmp}/fault-done.XXXXXX")
dead_before=$(dead_count)
flog "fault run $run: $count submissions at $rate/s"
"$BENCH" fault-stream --run "$run" --count "$count" --rate "$rate" --done-file "$done_file" \
    --health-ports "$health_ports" >"$LOG_DIR/fault-stream-$run.txt" 2> >(grep -v ' warning hotline-bench' >&2) &
stream_pid=$!
# The faults come at fixed intervals while the stream is published (progress-based timing would let a
# slow platform drain the stream before the last fault).
sleep "$fault_interval"
# The services' own SIGKILLs are the single-node run's; the cluster run spends the stream on the servers'.
killed_services=("${SERVICES[@]}")
if ((cluster)); then killed_services=(); fi
for s in "${killed_services[@]}"; do
    flog "SIGKILL $s (pid ${PIDS[$s]}) at $(submitted "$run") decided"
    kill -KILL "${PIDS[$s]}"
    wait "${PIDS[$s]}" 2>/dev/null || true
    start_one "$s"
    wait_healthy "$s"
    flog "$s restarted (pid ${PIDS[$s]})"
    sleep "$fault_interval"
done
if ((cluster)); then
    # Progress samples (time, decided) every half second, for the longest stall after each failover.
    progress_file=$(mktemp "${TMPDIR:-/tmp}/fault-progress.XXXXXX")
    (while :; do printf '%s %s\n' "$(date +%s.%N)" "$(submitted "$run")"; sleep 0.5; done) >"$progress_file" 2>/dev/null &
    sampler_pid=$!
    faults_file=$(mktemp "${TMPDIR:-/tmp}/fault-windows.XXXXXX")
    fault_at() { printf '%s %s\n' "$(date +%s.%N)" "$1" >>"$faults_file"; flog "$1 at $(submitted "$run") decided"; }
    leader=$(ctl -q list_queues -p "$VHOST" name leader | awk '$1 == "hotline.intake.submissions" {print $2}' | sed -E 's/^hotline-c([0-9])@.*/\1/')
    [[ "$leader" =~ ^[123]$ ]] || die "no leader of hotline.intake.submissions found"
    fault_at "kill-node $leader (leader of hotline.intake.submissions)"
    "$CLUSTER_SCRIPT" kill-node "$leader"
    sleep "$fault_interval"
    "$CLUSTER_SCRIPT" start-node "$leader"
    sleep "$fault_interval"
    other=$((leader % 3 + 1))
    fault_at "kill-node $other"
    "$CLUSTER_SCRIPT" kill-node "$other"
    sleep "$fault_interval"
    "$CLUSTER_SCRIPT" start-node "$other"
    sleep "$fault_interval"
    fault_at "promote-standby (primary stopped -m immediate)"
    "$CLUSTER_SCRIPT" promote-standby
    sleep "$fault_interval"
elif ((server_restarts)); then
    flog "restarting RabbitMQ at $(submitted "$run") decided"
    "$STACK_SCRIPT" restart-rabbitmq
    sleep "$fault_interval"
    flog "restarting PostgreSQL at $(submitted "$run") decided"
    "$STACK_SCRIPT" restart-postgres
else
    flog "server restarts skipped (--no-server-restarts)"
fi
touch "$done_file"
flog "faults done; the stream audits once the platform is quiet"
rc=0
wait "$stream_pid" || rc=$?
stream_pid=""
rm -f "$done_file"
cat "$LOG_DIR/fault-stream-$run.txt"
((rc == 0)) || failed=1
if ((cluster)); then
    kill "$sampler_pid" 2>/dev/null || true
    sampler_pid=""
    # The longest time without a new decided submission from each fault to the next, or to the moment
    # the last submission was decided.
    sort -n "$faults_file" | awk -v progress="$progress_file" '
        { at[NR] = $1; $1 = ""; name[NR] = substr($0, 2) }
        END {
            while ((getline line < progress) > 0) { split(line, f, " "); if (f[2] ~ /^[0-9]+$/) { t[++n] = f[1]; c[n] = f[2] } }
            finished = t[n]
            for (j = n; j > 1 && c[j - 1] == c[n]; j--) finished = t[j - 1]
            for (i = 1; i <= NR; i++) {
                end = (i < NR) ? at[i + 1] : finished; if (end > finished) end = finished
                last = at[i]; worst = 0; prev = -1
                for (j = 1; j <= n; j++) {
                    if (t[j] < at[i] || t[j] > end) continue
                    if (prev >= 0 && c[j] > prev) { if (t[j] - last > worst) worst = t[j] - last; last = t[j] }
                    prev = c[j]
                }
                if (end - last > worst) worst = end - last
                printf "  longest stall after %s: %.1f s\n", name[i], worst
            }
        }'
    rm -f "$progress_file" "$faults_file"
fi
audit_queues "$dead_before" || { echo "  FAIL: queues"; failed=1; }

# ------------------------------------------------------------------------------------------ 2. bad input
for s in "${SERVICES[@]}"; do wait_healthy "$s"; done
run="BADIN$stamp"
dead_before=$(dead_count)
flog "bad-input run $run: $malformed malformed among $bad_good submissions at $bad_rate/s, /health polled"
rc=0
"$BENCH" fault-stream --run "$run" --count "$bad_good" --malformed "$malformed" --rate "$bad_rate" \
    --health-ports "$health_ports" --require-healthy >"$LOG_DIR/fault-stream-$run.txt" || rc=$?
cat "$LOG_DIR/fault-stream-$run.txt"
((rc == 0)) || failed=1
for s in "${SERVICES[@]}"; do
    pid_alive "${PIDS[$s]}" || { echo "  FAIL: $s exited during the bad-input run"; failed=1; }
done
audit_queues "$dead_before" || { echo "  FAIL: queues"; failed=1; }

if ((failed)); then
    flog "FAILED (logs: $LOG_DIR/fault-*.log)"
    exit 1
fi
flog "passed"
