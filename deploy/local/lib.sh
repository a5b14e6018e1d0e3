# shellcheck shell=bash disable=SC2034,SC2019
# (SC2034: the settings below are used by the scripts that source this file)
# Common code of the local stack scripts (sourced by stack.sh, platform.sh, run.sh and test.sh).
#
# Everything lives under the project-local folder .local/ (git-ignored):
#   .local/pg/            PostgreSQL cluster (data/, run/ socket dir, postgresql.log), owned by `postgres`
#   .local/rabbitmq/      RabbitMQ config, Erlang cookie (home/), mnesia/ data, pid file
#   .local/logs/          logs: postgresql.log (link), rabbitmq/, one file per service
#   .local/tls/           the local certificate authority (ca.pem) and the servers' certificate and key
#   .local/passwords.yaml broker users' passwords (written by hotlinectl), .local/definitions.json
#   .local/citizen-key    intake's citizen-key secret (random, 0600; docs/security.md "Citizen keys")
#   .local/database-passwords-<database>.yaml  the services' database roles' passwords (written by hotlinectl migrate)
#
# Settings (environment):
#   HOTLINE_PG_PORT            PostgreSQL port on 127.0.0.1 (5432)
#   HOTLINE_AMQP_PORT          RabbitMQ AMQP port on 127.0.0.1 (5672); the Erlang distribution port is +20000
#   HOTLINE_AMQPS_PORT         RabbitMQ AMQP-over-TLS port on 127.0.0.1 (the AMQP port - 1: 5671)
#   HOTLINE_RABBITMQ_NODENAME  node name (hotline@localhost; hotline<port>@localhost on another port)
#   HOTLINE_PG_BIN             PostgreSQL server binaries (/usr/lib/postgresql/15/bin, else the newest installed)
#   HOTLINE_RABBITMQ_BIN       RabbitMQ scripts (/usr/lib/rabbitmq/bin)
#   HOTLINE_PG_SYSTEM_CLUSTER  what to do when the PostgreSQL port is already served by a Debian cluster:
#                              `reuse` (default: create the role and database there) or `stop` (stop it, run ours)

if [[ -n "${HOTLINE_LIB_LOADED:-}" ]]; then return 0; fi
HOTLINE_LIB_LOADED=1

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LIB_DIR/../.." && pwd)
STACK_SCRIPT="$LIB_DIR/stack.sh"
PLATFORM_SCRIPT="$LIB_DIR/platform.sh"
LOCAL_DIR="$REPO_ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"

PG_PORT="${HOTLINE_PG_PORT:-5432}"
AMQP_PORT="${HOTLINE_AMQP_PORT:-5672}"
DIST_PORT=$((AMQP_PORT + 20000))
AMQPS_PORT="${HOTLINE_AMQPS_PORT:-$((AMQP_PORT - 1))}"
TLS_DIR="$LOCAL_DIR/tls"
if [[ "$AMQP_PORT" == 5672 ]]; then
    RMQ_NODE="${HOTLINE_RABBITMQ_NODENAME:-hotline@localhost}"
else
    RMQ_NODE="${HOTLINE_RABBITMQ_NODENAME:-hotline${AMQP_PORT}@localhost}"
fi
RMQ_BIN="${HOTLINE_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}"
RMQ_DIR="$LOCAL_DIR/rabbitmq"
RMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
RMQ_LOG_DIR="$LOG_DIR/rabbitmq"

PG_HOME="$LOCAL_DIR/pg"
# .local/pg is a link when the postgres user cannot reach .local (see pg_make_home): use the real path
if [[ -L "$PG_HOME" ]]; then PG_HOME=$(readlink -f "$PG_HOME"); fi
PG_DATA="$PG_HOME/data"
PG_EXTERNAL_FILE="$LOCAL_DIR/pg.external"

# A sandbox (deploy/local/sandbox.sh) runs a second platform on the same servers in its own database
# and virtual host.
DB_NAME="${HOTLINE_DB_NAME:-hotline}"
VHOST="${HOTLINE_VHOST:-/}"
if [[ "$VHOST" == / ]]; then VHOST_PATH="%2f"; else VHOST_PATH="$VHOST"; fi
# Loopback connections go without TLS, as in production (docs/security.md); the servers also serve TLS
# with the certificates of .local/tls (tls_ensure), which deploy/local/test.sh gives the TLS tests.
DATABASE_URL="postgres://hotline:hotline@127.0.0.1:${PG_PORT}/${DB_NAME}?sslmode=disable"
ADMIN_AMQP_URL="amqp://guest:guest@127.0.0.1:${AMQP_PORT}/${VHOST_PATH}"
PASSWORDS_FILE="$LOCAL_DIR/passwords.yaml"
CITIZEN_KEY_FILE="$LOCAL_DIR/citizen-key"
# The console's first account `admin` (hotlinectl console user) and its password.
CONSOLE_PASSWORD_FILE="$LOCAL_DIR/console-admin-password"
# The Open311 clients (hotlinectl open311 client) and the key of the local client `local`.
OPEN311_CLIENTS_FILE="$LOCAL_DIR/open311-clients.yaml"
OPEN311_KEY_FILE="$LOCAL_DIR/open311-api-key"
DB_PASSWORDS_FILE="$LOCAL_DIR/database-passwords-${DB_NAME}.yaml"
DEFINITIONS_FILE="$LOCAL_DIR/definitions-${DB_NAME}.json"
BIN_DIR="${HOTLINE_BUILD_BIN_DIR:-$REPO_ROOT/.build/debug}"

# python3-*: the contract check of deploy/local/test.sh (deploy/contract/)
REQUIRED_PACKAGES=(postgresql rabbitmq-server librabbitmq-dev libpq-dev faketime curl openssl
    python3-pika python3-jsonschema python3-yaml python3-venv
    chromium chromium-driver fonts-wqy-zenhei)   # the console's browser test (headless chromium, Chinese glyphs)
# The Open311 API's conformance checks (schemathesis, the georeport client library) from PyPI, in a
# virtual environment of Debian's python3: deploy/open311/requirements.txt.
VENV_DIR="$LOCAL_DIR/venv"

# ---------------------------------------------------------------------------------------------- helpers

log() { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# ensure_citizen_key: intake's citizen-key secret, made once (48 random bytes as base64, mode 0600) and
# kept: a new one makes intake re-key every stored citizen key.
ensure_citizen_key() {
    [[ -s "$CITIZEN_KEY_FILE" ]] && return 0
    mkdir -p "$LOCAL_DIR"
    (umask 077 && openssl rand -base64 48 >"$CITIZEN_KEY_FILE.new") && mv "$CITIZEN_KEY_FILE.new" "$CITIZEN_KEY_FILE"
}

# service_settings NAME PORT: the settings of NAME's own secrets and listeners, as `env` arguments, for
# the copy whose /health is on PORT (intake: its citizen key; open311: its clients file, and its API
# on PORT + 224: 8311 beside the health port 8087; console: its web pages on PORT + 224, 8312 beside 8088)
service_settings() {
    [[ "$1" == intake ]] && printf 'HOTLINE_CITIZEN_KEY_FILE=%s\n' "$CITIZEN_KEY_FILE"
    if [[ "$1" == open311 ]]; then
        printf 'HOTLINE_OPEN311_CLIENTS_FILE=%s\n' "$OPEN311_CLIENTS_FILE"
        printf 'HOTLINE_OPEN311_PORT=%s\n' "$(($2 + 224))"
    fi
    [[ "$1" == console ]] && printf 'HOTLINE_CONSOLE_PORT=%s\n' "$(($2 + 224))"
    return 0
}

# as_root CMD...: run as root (sudo when not root)
as_root() {
    if is_root; then "$@" 9>&-
    elif command -v sudo >/dev/null 2>&1; then sudo "$@" 9>&-
    else die "need root for: $*"
    fi
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_closed() { ! port_open "$1"; }

# pid_alive PID: the process exists and is not a zombie (this container's PID 1 is slow to reap orphans)
pid_alive() {
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 0
    [[ "$state" != Z ]]
}
pid_gone() { ! pid_alive "$1"; }

# wait_for SECONDS CMD...: retry CMD every 0.5 s until it succeeds or time runs out
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

ensure_swift_on_path() {
    if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || die "swift not found (expected on PATH or in /opt/swift/usr/bin)"
}

# ---------------------------------------------------------------------------------------------- install

missing_packages() {
    local p
    for p in "${REQUIRED_PACKAGES[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || printf '%s\n' "$p"
    done
}

stack_install() {
    packages_install
    venv_install
}

# venv_install: .local/venv with deploy/open311/requirements.txt, made again when they change
venv_install() {
    local requirements="$REPO_ROOT/deploy/open311/requirements.txt"
    cmp -s "$requirements" "$VENV_DIR/requirements.txt" && return 0
    log "installing the Python packages of $requirements into $VENV_DIR"
    rm -rf "$VENV_DIR"
    /usr/bin/python3 -m venv "$VENV_DIR"
    "$VENV_DIR/bin/pip" install -q --disable-pip-version-check -r "$requirements" >"$(mktemp_log pip)" 2>&1 \
        || die "pip install failed (see $LOG_DIR/pip.log)"
    cp "$requirements" "$VENV_DIR/requirements.txt"
}

packages_install() {
    local missing
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local apt=(apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}")
    if ! as_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null 2>"$(mktemp_log apt)"; then
        log "apt-get install failed; running apt-get update and retrying"
        as_root apt-get update -qq >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
    fi
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]}"
    # A Debian package may have started its own server (when no policy-rc.d forbids it); `up` copes.
}

mktemp_log() { mkdir -p "$LOG_DIR"; printf '%s/%s.log' "$LOG_DIR" "$1"; }

# ---------------------------------------------------------------------------------------------- PostgreSQL

pg_bin_dir() {
    if [[ -n "${HOTLINE_PG_BIN:-}" ]]; then printf '%s' "$HOTLINE_PG_BIN"; return; fi
    if [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then printf '%s' /usr/lib/postgresql/15/bin; return; fi
    local d
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1)
    [[ -n "$d" ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (run: stack.sh install)"
    printf '%s' "$d"
}

# The OS user that owns and runs our cluster: postgres when we are root (initdb refuses root), else ourselves.
pg_os_user() { if is_root; then printf postgres; else id -un; fi; }

# as_pg CMD...: run CMD as the cluster's OS user, without our lock fd
as_pg() {
    if is_root; then (cd / && exec runuser -u postgres -- "$@" 9>&-)   # cd /: the cwd may be closed to postgres
    else "$@" 9>&-
    fi
}

pg_socket_dir() {
    local d="$PG_HOME/run"
    # unix socket paths are limited to ~107 bytes
    if ((${#d} + 20 > 100)); then d="/tmp/hotline-pg-$PG_PORT"; fi
    printf '%s' "$d"
}

pg_ours_running() {
    [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 2>/dev/null; }

# psql as the superuser of our cluster (or of the reused Debian cluster), through the unix socket
pg_admin_psql() {
    local host port="$PG_PORT" user
    if [[ -f "$PG_EXTERNAL_FILE" ]]; then
        host=$(sed -n 's/^socket_dir=//p' "$PG_EXTERNAL_FILE")
        user=postgres
        (cd / && as_root runuser -u postgres -- "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres "$@")
    else
        host=$(pg_socket_dir)
        user=$(pg_os_user)
        as_pg "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres "$@"
    fi
}

# Debian cluster serving PG_PORT, as "VERSION NAME" (empty when none)
debian_cluster_on_port() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port && $4 ~ /online/ {print $1, $2; exit}'
}

# pg_writable_dir DIR NAME: makes DIR a folder PostgreSQL's OS user can write and prints its real
# path. When that user cannot reach DIR (e.g. the clone is under /root), the folder is kept under
# /var/lib/hotline-local/<this clone>/NAME instead, and DIR becomes a link to it.
pg_writable_dir() {
    local dir="$1" name="$2" real
    if [[ ! -e "$dir" ]]; then
        mkdir -p "$dir"
        chown "$(pg_os_user)" "$dir" 2>/dev/null || true
    fi
    if is_root && ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
        real="/var/lib/hotline-local/$(printf '%s' "$REPO_ROOT" | md5sum | cut -c1-12)/$name"
        log "postgres cannot write $dir; using $real (linked)"
        mkdir -p "$real"
        chown postgres "$real"
        chmod 755 "$(dirname "$real")"
        [[ -L "$dir" ]] || rmdir "$dir" 2>/dev/null || mv "$dir" "$dir.unusable.$$"
        ln -sfn "$real" "$dir"
        printf '%s\n' "$real"
    else
        printf '%s\n' "$dir"
    fi
}

pg_make_home() {
    mkdir -p "$LOCAL_DIR" "$LOG_DIR"
    PG_HOME=$(pg_writable_dir "$PG_HOME" pg)
    PG_DATA="$PG_HOME/data"
    local sock
    sock=$(pg_socket_dir)
    as_pg mkdir -p "$sock"
    as_pg chmod 700 "$sock"
    as_pg touch "$PG_HOME/postgresql.log"
    ln -sfn "$PG_HOME/postgresql.log" "$LOG_DIR/postgresql.log"
}

pg_write_config() {
    local sock
    sock=$(pg_socket_dir)
    as_pg tee "$PG_DATA/hotline.conf" >/dev/null <<EOF
# Written by deploy/local/stack.sh on every \`up\`; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 200
shared_buffers = 128MB
idle_in_transaction_session_timeout = '60s'
synchronous_commit = on
fsync = on
full_page_writes = on
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_connections = off
log_disconnections = off
ssl = on
ssl_cert_file = '$PG_HOME/tls/server.pem'
ssl_key_file = '$PG_HOME/tls/server.key'
ssl_min_protocol_version = 'TLSv1.2'
EOF
    if ! grep -q "^include_if_exists = 'hotline.conf'" "$PG_DATA/postgresql.conf"; then
        printf "\ninclude_if_exists = 'hotline.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
    fi
}

pg_initdb() {
    log "initialising PostgreSQL cluster in $PG_DATA"
    as_pg "$(pg_bin_dir)/initdb" -D "$PG_DATA" -U "$(pg_os_user)" -E UTF8 --no-locale \
        --auth-local=peer --auth-host=scram-sha-256 >>"$LOG_DIR/initdb.log" 2>&1 \
        || die "initdb failed, see $LOG_DIR/initdb.log"
}

pg_ensure_role_and_db() {
    pg_admin_psql <<'SQL' >/dev/null
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotline') THEN
        CREATE ROLE hotline LOGIN CREATEDB CREATEROLE PASSWORD 'hotline';
    ELSE
        ALTER ROLE hotline LOGIN CREATEDB CREATEROLE PASSWORD 'hotline';
    END IF;
END
$$;
ALTER ROLE hotline SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE hotline SET synchronous_commit = on;
SQL
    if [[ -z "$(pg_admin_psql -At -c "SELECT 1 FROM pg_database WHERE datname = 'hotline'")" ]]; then
        pg_admin_psql -c "CREATE DATABASE hotline OWNER hotline TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
        log "created database hotline"
    fi
}

# The servers' certificate and key where the cluster's OS user can read them (the key for it alone).
pg_install_certificate() {
    tls_ensure
    as_pg mkdir -p "$PG_HOME/tls"
    install -o "$(pg_os_user)" -m 0644 "$TLS_DIR/server.pem" "$PG_HOME/tls/server.pem"
    install -o "$(pg_os_user)" -m 0600 "$TLS_DIR/server.key" "$PG_HOME/tls/server.key"
}

pg_start_ours() {
    pg_make_home
    [[ -f "$PG_DATA/PG_VERSION" ]] || pg_initdb
    pg_install_certificate
    pg_write_config
    rm -f "$PG_EXTERNAL_FILE"
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgresql.log" -w -t 60 start >/dev/null \
        || die "PostgreSQL did not start, see $LOG_DIR/postgresql.log"
}

pg_up() {
    if pg_ours_running; then
        rm -f "$PG_EXTERNAL_FILE"
        wait_for 30 pg_ready || die "our PostgreSQL runs but does not answer on 127.0.0.1:$PG_PORT"
        pg_ensure_role_and_db
        return 0
    fi
    if port_open "$PG_PORT"; then
        local cluster
        cluster=$(debian_cluster_on_port)
        if [[ -n "$cluster" && "${HOTLINE_PG_SYSTEM_CLUSTER:-reuse}" == stop ]]; then
            log "stopping Debian PostgreSQL cluster $cluster on port $PG_PORT"
            # shellcheck disable=SC2086
            as_root pg_ctlcluster $cluster stop -m fast
            wait_for 30 port_closed "$PG_PORT" \
                || die "port $PG_PORT still in use"
        elif [[ -n "$cluster" ]]; then
            local sock
            # shellcheck disable=SC2086
            sock=$(pg_conftool $cluster show unix_socket_directories 2>/dev/null | sed -E "s/.*= *'?([^,']*).*/\1/")
            [[ -n "$sock" ]] || sock=/var/run/postgresql
            mkdir -p "$LOCAL_DIR"
            printf 'cluster=%s\nsocket_dir=%s\n' "$cluster" "$sock" >"$PG_EXTERNAL_FILE"
            log "port $PG_PORT is served by Debian cluster $cluster: reusing it (HOTLINE_PG_SYSTEM_CLUSTER=stop runs ours instead)"
            pg_ensure_role_and_db
            local maxc
            maxc=$(pg_admin_psql -At -c 'SHOW max_connections')
            ((maxc >= 200)) || log "warning: that cluster has max_connections = $maxc (ours uses 200)"
            return 0
        elif PGPASSWORD=hotline PGCONNECT_TIMEOUT=3 "$(pg_bin_dir)/psql" -X -q -At "$DATABASE_URL" -c 'select 1' >/dev/null 2>&1; then
            mkdir -p "$LOCAL_DIR"
            printf 'cluster=\nsocket_dir=\n' >"$PG_EXTERNAL_FILE"
            log "port $PG_PORT is served by another PostgreSQL that already has hotline/hotline: reusing it"
            return 0
        else
            die "port $PG_PORT is in use by something that is not our PostgreSQL; set HOTLINE_PG_PORT"
        fi
    fi
    pg_start_ours
    wait_for 30 pg_ready || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
    pg_ensure_role_and_db
}

pg_down() {
    if pg_ours_running; then
        log "stopping PostgreSQL"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    fi
}

pg_restart() {
    if [[ -f "$PG_EXTERNAL_FILE" ]]; then
        local cluster
        cluster=$(sed -n 's/^cluster=//p' "$PG_EXTERNAL_FILE")
        [[ -n "$cluster" ]] || die "the PostgreSQL on port $PG_PORT is not ours; cannot restart it"
        log "restarting Debian cluster $cluster"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster restart -m fast
    else
        pg_ours_running || die "our PostgreSQL is not running (stack.sh up)"
        log "restarting PostgreSQL (fast)"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgresql.log" -m fast -w -t 60 restart >/dev/null
    fi
    wait_for 30 pg_ready || die "PostgreSQL does not answer after restart"
}

# pg_outage N: PostgreSQL stopped for N seconds (a drill and a test of how the services wait for it).
pg_outage() {
    local seconds=$1 cluster=""
    [[ -f "$PG_EXTERNAL_FILE" ]] && cluster=$(sed -n 's/^cluster=//p' "$PG_EXTERNAL_FILE")
    log "stopping PostgreSQL for $seconds s"
    if [[ -f "$PG_EXTERNAL_FILE" ]]; then
        [[ -n "$cluster" ]] || die "the PostgreSQL on port $PG_PORT is not ours; cannot stop it"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster stop -m fast
        sleep "$seconds"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start
    else
        pg_ours_running || die "our PostgreSQL is not running (stack.sh up)"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
        sleep "$seconds"
        as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgresql.log" -w -t 60 start >/dev/null
    fi
    wait_for 30 pg_ready || die "PostgreSQL does not answer after the outage"
    log "PostgreSQL is back"
}

# ---------------------------------------------------------------------------------------------- RabbitMQ

# rmq_env: exported in a subshell before running any RabbitMQ script, so that the server and the CLI tools
# agree on node name, cookie (HOME) and files, and nothing of the Debian system node is used.
rmq_env() {
    export HOME="$RMQ_DIR/home"
    export LANG=C.UTF-8 LC_ALL=C.UTF-8
    export RABBITMQ_NODENAME="$RMQ_NODE"
    export RABBITMQ_USE_LONGNAME=false
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$AMQP_PORT"
    export RABBITMQ_DIST_PORT="$DIST_PORT"
    export RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
    export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
    export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
    export RABBITMQ_LOG_BASE="$RMQ_LOG_DIR"
    export RABBITMQ_PID_FILE="$RMQ_PID_FILE"
    # epmd started by us listens on loopback only; distribution (server and CLI) binds loopback only
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_DIST_PORT_MIN=$((AMQP_PORT + 30000))
    export RABBITMQ_CTL_DIST_PORT_MAX=$((AMQP_PORT + 30050))
    unset RABBITMQ_ALLOW_INPUT RABBITMQ_SERVER_START_ARGS RABBITMQ_CTL_DIST_PORT RABBITMQ_ENABLED_PLUGINS
}

# rmq_ctl ARGS...: rabbitmqctl against our node
# (run from the caller's directory: relative paths, e.g. of import_definitions, are read by the CLI)
rmq_ctl() { (rmq_env; exec "$RMQ_BIN/rabbitmqctl" -n "$RMQ_NODE" "$@" 9>&-); }
rmq_diag() { (rmq_env; exec "$RMQ_BIN/rabbitmq-diagnostics" -n "$RMQ_NODE" "$@" 9>&-); }

rmq_beam_pid() {
    local pid
    [[ -f "$RMQ_PID_FILE" ]] || return 1
    pid=$(tr -dc '0-9' <"$RMQ_PID_FILE")
    pid_alive "$pid" || return 1
    # the pid file may be stale and the number reused by something else
    grep -q beam "/proc/$pid/cmdline" 2>/dev/null || return 1
    printf '%s' "$pid"
}

rmq_ours_running() { rmq_beam_pid >/dev/null; }

rmq_write_config() {
    mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_LOG_DIR"
    chmod 700 "$RMQ_DIR/home"
    if [[ ! -s "$RMQ_DIR/home/.erlang.cookie" ]]; then
        local cookie=""
        while ((${#cookie} < 32)); do cookie+=$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Z'); done
        (umask 077; printf '%s' "${cookie:0:32}" >"$RMQ_DIR/home/.erlang.cookie")
        chmod 400 "$RMQ_DIR/home/.erlang.cookie"
    fi
    : >"$RMQ_DIR/rabbitmq-env.conf"
    printf '[].\n' >"$RMQ_DIR/enabled_plugins"
    cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
# Written by deploy/local/stack.sh on every \`up\`; edits are overwritten.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
# AMQP over TLS, with the local authority's certificate (clients are not asked for one)
listeners.ssl.default = 127.0.0.1:$AMQPS_PORT
ssl_options.cacertfile = $TLS_DIR/ca.pem
ssl_options.certfile = $TLS_DIR/server.pem
ssl_options.keyfile = $TLS_DIR/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
ssl_options.versions.1 = tlsv1.3
ssl_options.versions.2 = tlsv1.2
distribution.listener.interface = 127.0.0.1
distribution.listener.port_range.min = $DIST_PORT
distribution.listener.port_range.max = $DIST_PORT
loopback_users.guest = true
log.file.level = info
log.console = false
disk_free_limit.absolute = 100MB
vm_memory_high_watermark.relative = 0.6
# the contract's bodies are at most 256 KiB; larger ones up to this are answered invalid, beyond it refused
max_message_size = 1048576
# quorum queues need nothing more on a single node
EOF
}

# The Debian package may have started its own node (rabbit@<host>, user rabbitmq) on 5672 when no
# policy-rc.d prevented it: stop it so that ours, with its own data and loopback-only listeners, can run.
rmq_stop_system_broker() {
    local sys_pids
    sys_pids=$(pgrep -u rabbitmq -f 'beam.*-s rabbit boot' 2>/dev/null || true)
    if [[ -n "$sys_pids" ]]; then
        log "stopping the RabbitMQ node started by the Debian package (pids $sys_pids)"
        if [[ -x /etc/init.d/rabbitmq-server ]]; then
            as_root /etc/init.d/rabbitmq-server stop >/dev/null 2>&1 || true
        fi
        if pgrep -u rabbitmq -f 'beam.*-s rabbit boot' >/dev/null 2>&1; then
            as_root timeout 60 /usr/sbin/rabbitmqctl stop >/dev/null 2>&1 || true
        fi
        local p
        for p in $sys_pids; do
            wait_for 30 pid_gone "$p" || as_root kill -9 "$p" 2>/dev/null || true
        done
    fi
}

# An epmd started without ERL_EPMD_ADDRESS (by the Debian node, or by a bare `rabbitmqctl` call) listens on
# every interface. Replace it by one on loopback (started by our node) when it serves no node; else reuse it.
rmq_replace_open_epmd() {
    command -v ss >/dev/null 2>&1 || return 0
    ss -ltnH 'sport = :4369' 2>/dev/null | awk '{print $4}' | grep -Eqv '^(127\.0\.0\.1|\[::1\]):' || return 0
    if epmd -names 2>/dev/null | grep -q '^name '; then
        log "note: epmd on port 4369 listens on all interfaces and serves other nodes; reusing it"
        return 0
    fi
    local pids
    pids=$(pgrep -x epmd 2>/dev/null || true)
    [[ -n "$pids" ]] || return 0
    log "replacing the idle epmd listening on all interfaces (pids $pids) by a loopback-only one"
    # shellcheck disable=SC2086
    as_root kill $pids 2>/dev/null || true
    wait_for 10 port_closed "4369" || true
}

rmq_wait_ready() {
    local timeout=${1:-90} deadline server_pid=${2:-}
    deadline=$((SECONDS + timeout))
    until port_open "$AMQP_PORT"; do
        if [[ -n "$server_pid" ]] && ! pid_alive "$server_pid"; then
            tail -n 30 "$RMQ_LOG_DIR/startup.log" >&2 || true
            die "RabbitMQ exited during start, see $RMQ_LOG_DIR/"
        fi
        ((SECONDS < deadline)) || die "RabbitMQ did not open 127.0.0.1:$AMQP_PORT within ${timeout}s"
        sleep 0.5
    done
    local left=$((deadline - SECONDS))
    ((left > 5)) || left=5
    rmq_ctl -q await_startup --timeout "$left" >/dev/null || die "RabbitMQ node $RMQ_NODE did not finish booting"
}

rmq_start() {
    if port_open "$AMQP_PORT"; then
        rmq_stop_system_broker
        wait_for 30 port_closed "$AMQP_PORT" \
            || die "port $AMQP_PORT is in use by something that is not our RabbitMQ; set HOTLINE_AMQP_PORT"
    fi
    if port_open "$DIST_PORT"; then
        die "port $DIST_PORT (Erlang distribution of our node) is in use"
    fi
    if port_open "$AMQPS_PORT"; then
        die "port $AMQPS_PORT (AMQP over TLS) is in use; set HOTLINE_AMQPS_PORT"
    fi
    tls_ensure
    rmq_replace_open_epmd
    rmq_write_config
    rm -f "$RMQ_PID_FILE"
    log "starting RabbitMQ node $RMQ_NODE on 127.0.0.1:$AMQP_PORT"
    local t0=$SECONDS
    (
        rmq_env
        cd "$RMQ_DIR" || exit 1
        exec setsid "$RMQ_BIN/rabbitmq-server" </dev/null >>"$RMQ_LOG_DIR/startup.log" 2>&1 9>&-
    ) &
    local server_pid=$!
    printf '%s\n' "$server_pid" >"$RMQ_DIR/server-script.pid"
    rmq_wait_ready 90 "$server_pid"
    log "RabbitMQ is up ($((SECONDS - t0)) s)"
}

rmq_up() {
    if rmq_ours_running; then
        if ! port_open "$AMQP_PORT"; then
            rmq_wait_ready 90
        fi
    else
        rmq_start
    fi
    # Quorum queues need a proper (distributed, named) node: check that the CLI reaches it by name.
    rmq_ctl -q status >/dev/null 2>&1 || die "rabbitmqctl -n $RMQ_NODE status failed"
}

rmq_stop() {
    local pid
    pid=$(rmq_beam_pid) || return 0
    log "stopping RabbitMQ node $RMQ_NODE (pid $pid)"
    if ! (rmq_env; exec timeout 45 "$RMQ_BIN/rabbitmqctl" -n "$RMQ_NODE" -q stop "$RMQ_PID_FILE" 9>&-) >/dev/null 2>&1; then
        log "graceful stop failed or took too long; sending SIGTERM"
        kill -TERM "$pid" 2>/dev/null || true
    fi
    if ! wait_for 15 pid_gone "$pid"; then
        log "RabbitMQ still running; SIGKILL"
        kill -9 "$pid" 2>/dev/null || true
        wait_for 10 pid_gone "$pid" || die "cannot stop RabbitMQ pid $pid"
    fi
    rm -f "$RMQ_PID_FILE"
}

rmq_kill9() {
    local pid
    pid=$(rmq_beam_pid) || die "our RabbitMQ is not running (stack.sh up)"
    log "kill -9 RabbitMQ (pid $pid)"
    kill -9 "$pid"
    wait_for 15 pid_gone "$pid" || die "RabbitMQ pid $pid survived kill -9"
    # wait until the listener and the epmd registration are gone before starting again
    wait_for 15 port_closed "$AMQP_PORT" || true
    rm -f "$RMQ_PID_FILE"
}

# ---------------------------------------------------------------------------------------------- TLS

# tls_ensure: a local certificate authority (kept) and a certificate for localhost and 127.0.0.1 signed
# by it (made again when it expires within 30 days or the authority changed), in .local/tls. Clients
# trust ca.pem: amqps://…:5671/…?cacertfile=.local/tls/ca.pem and
# postgres://…?sslmode=verify-full&sslrootcert=.local/tls/ca.pem.
tls_ensure() {
    command -v openssl >/dev/null 2>&1 || die "openssl is missing (run: stack.sh install)"
    mkdir -p "$TLS_DIR"
    chmod 755 "$TLS_DIR"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    if [[ ! -s "$TLS_DIR/ca.pem" || ! -s "$TLS_DIR/ca.key" ]]; then
        log "creating the local certificate authority in $TLS_DIR"
        (umask 077; openssl req -x509 "${ec[@]}" -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" -days 3650 \
            -subj "/CN=hotline local certificate authority" 2>/dev/null) || die "openssl could not create the authority"
        chmod 644 "$TLS_DIR/ca.pem"
        rm -f "$TLS_DIR/server.pem"
    fi
    if [[ -s "$TLS_DIR/server.pem" && -s "$TLS_DIR/server.key" ]] \
        && openssl x509 -checkend $((30 * 86400)) -noout -in "$TLS_DIR/server.pem" >/dev/null 2>&1 \
        && openssl verify -CAfile "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem" >/dev/null 2>&1; then
        return 0
    fi
    log "creating the servers' certificate for localhost and 127.0.0.1"
    printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n' \
        >"$TLS_DIR/server.ext"
    (
        umask 077
        openssl req -new "${ec[@]}" -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" -subj "/CN=localhost" 2>/dev/null &&
        openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
            -days 825 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.pem" 2>/dev/null
    ) || die "openssl could not create the servers' certificate"
    chmod 644 "$TLS_DIR/server.pem"
    rm -f "$TLS_DIR/server.csr" "$TLS_DIR/server.ext"
}

# ---------------------------------------------------------------------------------------------- locking

# stack_lock: serialise up/down/restarts of concurrent callers (fd 9; every server is started with 9>&-)
stack_lock() {
    mkdir -p "$LOCAL_DIR"
    exec 9>"$LOCAL_DIR/.stack.lock"
    flock -w 300 9 || die "another stack.sh holds $LOCAL_DIR/.stack.lock"
}
