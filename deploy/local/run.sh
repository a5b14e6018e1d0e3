#!/usr/bin/env bash
# README command 1: run the whole platform locally, in the foreground, until Ctrl-C.
#
#   deploy/local/run.sh
#
# Installs what is missing (apt), starts PostgreSQL and RabbitMQ under .local/ (stack.sh up), builds the
# package, prepares schema/topology/catalogue/calendars/broker users (platform.sh prepare), and runs the
# eight services with their output prefixed on the terminal and kept in .local/logs/<service>.log.
# Ctrl-C (or SIGTERM) stops the services, then the servers when this run started them.
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

"$STACK_SCRIPT" install

servers_were_up=0
"$STACK_SCRIPT" status >/dev/null 2>&1 && servers_were_up=1

stop_started_servers() {
    ((servers_were_up)) || "$STACK_SCRIPT" down || true
}
# until the services run (they take over signal handling), an interruption or failure stops the servers
trap 'stop_started_servers' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$STACK_SCRIPT" up

ensure_swift_on_path
log "swift build"
swift build

"$PLATFORM_SCRIPT" prepare

trap - EXIT INT TERM
if ((servers_were_up)); then
    exec "$PLATFORM_SCRIPT" start-services
else
    exec "$PLATFORM_SCRIPT" start-services --stop-servers
fi
