#!/usr/bin/env bash
# The platform on top of the local stack (stack.sh up), with the package built in .build/debug.
#
#   platform.sh prepare                    schema, topology, catalogue, calendars, broker users (idempotent)
#   platform.sh start-services [--stop-servers]
#                                          run the eight services in the foreground until Ctrl-C / SIGTERM;
#                                          then stop them (and, with --stop-servers, the local stack too)
#   platform.sh amqp-url USER              amqp://USER:PASSWORD@127.0.0.1:PORT/%2f from .local/passwords.yaml
#   platform.sh env                        export lines for a shell that runs hotlinectl or a service by hand
#
# Sourcing this file only defines the functions (amqp_url_for, platform_prepare, start_services, ...).
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=(intake dispatcher sla-timer escalation-notifier survey knowledge open311 console)
# The broker nodes' AMQP ports and the database hosts the services' URLs name: the single-node stack's
# by default, the local cluster's when sandbox-env.sh runs with SANDBOX_CLUSTER=1.
AMQP_NODE_PORTS="${AMQP_NODE_PORTS:-$AMQP_PORT}"
PG_HOSTS="${PG_HOSTS:-127.0.0.1:$PG_PORT}"
PG_URL_OPTIONS="${PG_URL_OPTIONS:-sslmode=disable}"
JURISDICTION_FILE="$REPO_ROOT/deploy/jurisdictions/pingshan.yaml"

plog() { printf '[platform %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# urlencode STRING: percent-encode everything but RFC 3986 unreserved characters
urlencode() {
    local s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [a-zA-Z0-9.~_-]) out+="$c" ;;
            *) printf -v c '%%%02X' "'$c"; out+="$c" ;;
        esac
    done
    printf '%s' "$out"
}

# password_for USER [FILE]: the password of USER in FILE (default .local/passwords.yaml; plain
# `key: value` lines, either side possibly quoted; comments and blank lines ignored)
password_for() {
    local user="$1" file="${2:-$PASSWORDS_FILE}" line key val
    [[ -r "$file" ]] || die "$file is missing (run: platform.sh prepare)"
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="${line%$'\r'}"
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        if [[ "$line" =~ ^[[:space:]]*\"([^\"]*)\"[[:space:]]*:[[:space:]]*(.*)$ ]] \
            || [[ "$line" =~ ^[[:space:]]*\'([^\']*)\'[[:space:]]*:[[:space:]]*(.*)$ ]] \
            || [[ "$line" =~ ^[[:space:]]*([^:[:space:]]+)[[:space:]]*:[[:space:]]*(.*)$ ]]; then
            key="${BASH_REMATCH[1]}"
            val="${BASH_REMATCH[2]}"
        else
            continue
        fi
        [[ "$key" == "$user" ]] || continue
        # strip a trailing comment (only after whitespace) and trailing blanks, then one pair of quotes
        val="${val%%[[:space:]]#*}"
        val="${val%"${val##*[![:space:]]}"}"
        if [[ "$val" =~ ^\"(.*)\"$ || "$val" =~ ^\'(.*)\'$ ]]; then
            val="${BASH_REMATCH[1]}"
        fi
        printf '%s' "$val"
        return 0
    done <"$file"
    die "no password for user '$user' in $file"
}

# password_users: the user names in .local/passwords.yaml
password_users() {
    sed -nE "s/^[[:space:]]*[\"']?([^\"':#[:space:]]+)[\"']?[[:space:]]*:.*/\1/p" "$PASSWORDS_FILE"
}

# broker_has_users: every user of .local/passwords.yaml but the units' exists in the broker (the CLI's
# import is announced as asynchronous; a retired unit's user may have been pruned since)
broker_has_users() {
    local have u
    have=$(rmq_ctl -q list_users 2>/dev/null | awk '{print $1}') || return 1
    for u in $(password_users); do
        [[ "$u" == unit.* ]] && continue
        grep -qxF -- "$u" <<<"$have" || return 1
    done
}

# amqp_url_for USER: the broker URL for USER with its password from .local/passwords.yaml (every node
# of AMQP_NODE_PORTS: the first as a URL, the others as host:port after it)
amqp_url_for() {
    local user="$1" pass ports p
    pass=$(password_for "$user")
    read -ra ports <<<"$AMQP_NODE_PORTS"
    printf 'amqp://%s:%s@127.0.0.1:%s/%s' "$(urlencode "$user")" "$(urlencode "$pass")" "${ports[0]}" "$VHOST_PATH"
    for p in "${ports[@]:1}"; do printf ',127.0.0.1:%s' "$p"; done
    printf '\n'
}

# database_url_for SERVICE: the database URL for SERVICE's own role (<database>_<service>, made by
# `hotlinectl migrate`) with its password from .local/database-passwords-<database>.yaml
database_url_for() {
    local role="${DB_NAME}_${1//-/_}" pass
    pass=$(password_for "$role" "$DB_PASSWORDS_FILE")
    printf 'postgres://%s:%s@%s/%s?%s\n' "$role" "$(urlencode "$pass")" "$PG_HOSTS" "$DB_NAME" "$PG_URL_OPTIONS"
}

hotlinectl() {
    local bin="$BIN_DIR/hotlinectl"
    [[ -x "$bin" ]] || die "$bin is missing (run: swift build)"
    plog "hotlinectl $*"
    HOTLINE_DATABASE_URL="$DATABASE_URL" HOTLINE_AMQP_URL="$ADMIN_AMQP_URL" "$bin" "$@"
}

# ensure_console_admin: the console account `admin` (administrator), made once with a generated
# password that stays in $CONSOLE_PASSWORD_FILE
ensure_console_admin() {
    if [[ ! -s "$CONSOLE_PASSWORD_FILE" ]]; then
        (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$CONSOLE_PASSWORD_FILE")
    fi
    hotlinectl console user add admin --role administrator --display-name 管理员 --if-missing --password-stdin \
        <"$CONSOLE_PASSWORD_FILE" >/dev/null
}

platform_prepare() {
    mkdir -p "$LOCAL_DIR"
    cd "$REPO_ROOT"
    if "$BIN_DIR/hotlinectl" migrate --help 2>/dev/null | grep -q -- --passwords; then
        hotlinectl migrate --passwords "$DB_PASSWORDS_FILE"
    else
        hotlinectl migrate   # a build from before the services' database roles (benchmarks of older builds)
    fi
    ensure_citizen_key
    hotlinectl broker setup
    hotlinectl catalogue load "$JURISDICTION_FILE"
    local cal found=0
    for cal in "$REPO_ROOT"/deploy/calendars/[0-9][0-9][0-9][0-9].yaml; do
        [[ -e "$cal" ]] || continue
        hotlinectl calendar load "$cal"
        found=1
    done
    ((found)) || plog "warning: no calendar in deploy/calendars/"
    # The Open311 client `local`, whose key the README's curl and the tests use.
    if "$BIN_DIR/hotlinectl" --help 2>/dev/null | grep -q '^ *open311 '; then
        hotlinectl open311 client add local --if-missing --requests-per-minute 100000 \
            --clients "$OPEN311_CLIENTS_FILE" --key-out "$OPEN311_KEY_FILE"
        open311_clients=(--open311-clients "$OPEN311_CLIENTS_FILE")
    else
        open311_clients=()   # a build from before the Open311 API (benchmarks of older builds)
    fi
    # The console's first account `admin`, its password kept in .local/console-admin-password (0600).
    if "$BIN_DIR/hotlinectl" --help 2>/dev/null | grep -q '^ *console '; then
        ensure_console_admin
    fi
    # after the catalogue: the definitions include one user and one queue per unit
    hotlinectl broker definitions --out "$DEFINITIONS_FILE" --passwords "$PASSWORDS_FILE" --vhost "$VHOST" "${open311_clients[@]}"
    chmod 600 "$PASSWORDS_FILE" 2>/dev/null || true
    plog "rabbitmqctl import_definitions $DEFINITIONS_FILE"
    rmq_ctl -q import_definitions "$DEFINITIONS_FILE" >/dev/null
    wait_for 30 broker_has_users || die "the broker lacks users of $PASSWORDS_FILE after import_definitions"
    plog "prepared"
}

# ---------------------------------------------------------------------------------------------- services

SERVICE_PIDS=()
SERVICE_NAMES=()
STOP_SERVERS=0
STOPPING=0

start_service() {
    local name="$1" port="$2" bin="$BIN_DIR/hotline-$1" url db log
    [[ -x "$bin" ]] || die "$bin is missing (run: swift build)"
    url=$(amqp_url_for "svc.$name")
    db=$(database_url_for "$name")
    log="$LOG_DIR/$name.log"
    printf '\n==== %s start %s ====\n' "$name" "$(date -Is)" >>"$log"
    # The service's output goes to its log and, prefixed with its name, to the terminal. The tee/sed pair
    # ignores SIGINT/SIGTERM (a Ctrl-C reaches the whole process group), so that a service shutting down
    # gracefully never writes into a closed pipe; it ends when the service closes its output.
    local secrets
    mapfile -t secrets < <(service_settings "$name" "$port")
    env "${secrets[@]}" HOTLINE_AMQP_URL="$url" HOTLINE_DATABASE_URL="$db" HOTLINE_HTTP_PORT="$port" \
        "$bin" </dev/null 9>&- > >(trap '' INT TERM HUP; tee -a "$log" | sed -u "s/^/[$name] /") 2>&1 &
    SERVICE_PIDS+=("$!")
    SERVICE_NAMES+=("$name")
    plog "started $name (pid $!, http 127.0.0.1:$port, log .local/logs/$name.log)"
}

stop_services() {
    local i pid alive deadline
    for i in "${!SERVICE_PIDS[@]}"; do
        pid="${SERVICE_PIDS[$i]}"
        if pid_alive "$pid"; then
            plog "stopping ${SERVICE_NAMES[$i]} (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "${SERVICE_PIDS[@]}"; do pid_alive "$pid" && alive=1; done
        ((alive)) || break
        sleep 0.3
    done
    for i in "${!SERVICE_PIDS[@]}"; do
        pid="${SERVICE_PIDS[$i]}"
        if pid_alive "$pid"; then
            plog "${SERVICE_NAMES[$i]} did not stop within 15 s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    wait 2>/dev/null || true
}

on_signal() {
    ((STOPPING)) && return 0
    STOPPING=1
    trap '' INT TERM
    plog "stopping"
    stop_services
    if ((STOP_SERVERS)); then
        "$STACK_SCRIPT" down || true
    fi
    exit 0
}

# start_services [--stop-servers]: run the eight services until SIGINT/SIGTERM
start_services() {
    [[ "${1:-}" == --stop-servers ]] && STOP_SERVERS=1
    mkdir -p "$LOG_DIR"
    trap on_signal INT TERM HUP
    local i port=8081
    for i in "${SERVICES[@]}"; do
        start_service "$i" "$port"
        port=$((port + 1))
    done
    plog "all services started; Ctrl-C stops them$( ((STOP_SERVERS)) && printf ' and the local servers')"
    local -A reported=()
    while :; do
        sleep 1 &
        wait $! 2>/dev/null || true
        for i in "${!SERVICE_PIDS[@]}"; do
            if [[ -z "${reported[$i]:-}" ]] && pid_gone "${SERVICE_PIDS[$i]}"; then
                local rc=0
                wait "${SERVICE_PIDS[$i]}" 2>/dev/null || rc=$?
                plog "${SERVICE_NAMES[$i]} exited (status $rc); see .local/logs/${SERVICE_NAMES[$i]}.log"
                reported[$i]=1
            fi
        done
        if ((${#reported[@]} == ${#SERVICE_PIDS[@]})); then
            plog "every service has exited"
            ((STOP_SERVERS)) && { "$STACK_SCRIPT" down || true; }
            return 1
        fi
    done
}

platform_env() {
    printf 'export HOTLINE_DATABASE_URL=%q\n' "$DATABASE_URL"
    printf 'export HOTLINE_AMQP_URL=%q\n' "$ADMIN_AMQP_URL"
    printf 'export HOTLINE_PASSWORDS_FILE=%q\n' "$PASSWORDS_FILE"
    printf 'export HOTLINE_CITIZEN_KEY_FILE=%q\n' "$CITIZEN_KEY_FILE"
    printf 'export HOTLINE_OPEN311_CLIENTS_FILE=%q\n' "$OPEN311_CLIENTS_FILE"
    printf 'export HOTLINE_STACK_SCRIPT=%q\n' "$STACK_SCRIPT"
    printf 'export HOTLINE_BIN_DIR=%q\n' "$BIN_DIR"
    printf 'export HOTLINE_REPO_ROOT=%q\n' "$REPO_ROOT"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    cmd="${1:-}"
    shift || true
    case "$cmd" in
        prepare) platform_prepare ;;
        start-services) start_services "$@" ;;
        amqp-url) [[ $# == 1 ]] || die "usage: platform.sh amqp-url USER"; amqp_url_for "$1" ;;
        env) platform_env ;;
        *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
    esac
fi
