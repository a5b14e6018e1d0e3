#!/usr/bin/env bash
# Extra copies of platform services next to a running platform (run.sh, or platform.sh start-services):
#
#   deploy/local/copies.sh SERVICE=N [SERVICE=N ...]     e.g. copies.sh dispatcher=2 sla-timer=1
#   HOTLINE_COPIES_dispatcher=2 deploy/local/copies.sh   the same from the environment (dashes as _)
#
# Every copy runs with the same environment as the first one (same broker user, database, profile),
# its own HTTP port (/health, /metrics) from HOTLINE_COPIES_PORT_BASE (default 8101) upwards and its
# own log, .local/logs/<service>-<k>.log. Copies share the work through the broker and the database
# (see docs/operations.md); runs in the foreground, Ctrl-C stops the copies only.
set -euo pipefail
# shellcheck source=deploy/local/platform.sh
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"

declare -A wanted=()
for service in "${SERVICES[@]}"; do
    var="HOTLINE_COPIES_${service//-/_}"
    [[ -n "${!var:-}" ]] && wanted[$service]="${!var}"
done
for spec in "$@"; do
    [[ "$spec" =~ ^([a-z-]+)=([0-9]+)$ ]] || die "copies: expected SERVICE=N, got '$spec'"
    wanted[${BASH_REMATCH[1]}]="${BASH_REMATCH[2]}"
done
((${#wanted[@]} > 0)) || { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

start_copy() {
    local name="$1" copy="$2" port="$3" bin="$BIN_DIR/hotline-$1" url db log
    [[ -x "$bin" ]] || die "$bin is missing (run: swift build)"
    url=$(amqp_url_for "svc.$name")
    db=$(database_url_for "$name")
    log="$LOG_DIR/$name-$copy.log"
    printf '\n==== %s copy %s start %s ====\n' "$name" "$copy" "$(date -Is)" >>"$log"
    local secrets
    mapfile -t secrets < <(service_settings "$name" "$port")
    env "${secrets[@]}" HOTLINE_AMQP_URL="$url" HOTLINE_DATABASE_URL="$db" HOTLINE_HTTP_PORT="$port" \
        "$bin" </dev/null 9>&- >>"$log" 2>&1 &
    SERVICE_PIDS+=("$!")
    SERVICE_NAMES+=("$name-$copy")
    plog "started $name copy $copy (pid $!, http 127.0.0.1:$port, log .local/logs/$name-$copy.log)"
}

mkdir -p "$LOG_DIR"
trap on_signal INT TERM HUP
port="${HOTLINE_COPIES_PORT_BASE:-8101}"
for service in "${!wanted[@]}"; do
    [[ " ${SERVICES[*]} " == *" $service "* ]] || die "copies: no service '$service' (one of: ${SERVICES[*]})"
    for ((k = 2; k < wanted[$service] + 2; k++)); do
        start_copy "$service" "$k" "$port"
        port=$((port + 1))
    done
done
plog "copies started; Ctrl-C stops them"
while :; do
    sleep 1 &
    wait $! 2>/dev/null || true
    alive=0
    for pid in "${SERVICE_PIDS[@]}"; do pid_alive "$pid" && alive=1; done
    ((alive)) || { plog "every copy has exited"; exit 1; }
done
