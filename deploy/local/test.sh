#!/usr/bin/env bash
# README command 2: build and run every test (unit and integration) against the local stack.
#
#   deploy/local/test.sh [swift test arguments, e.g. --filter IntegrationTests]
#
# Installs what is missing (apt), starts PostgreSQL and RabbitMQ under .local/ (stack.sh up), builds the
# executables the integration tests launch, prepares the platform (platform.sh prepare) and runs
# `swift test` with the environment below. The servers stay up afterwards unless HOTLINE_STOP_AFTER_TESTS=1.
#
# Environment given to the tests:
#   HOTLINE_DATABASE_URL    postgres://hotline:hotline@127.0.0.1:PORT/hotline
#   HOTLINE_AMQP_URL        amqp://guest:guest@127.0.0.1:PORT/%2f (administrator, loopback only)
#   HOTLINE_PASSWORDS_FILE  .local/passwords.yaml (absolute): passwords of the broker users
#   HOTLINE_STACK_SCRIPT    deploy/local/stack.sh (absolute): restart-rabbitmq, kill-rabbitmq, ...
#   HOTLINE_BIN_DIR         .build/debug (absolute): hotlinectl and the services
#   HOTLINE_REPO_ROOT       the package root
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if [[ "${HOTLINE_STOP_AFTER_TESTS:-0}" == 1 ]]; then
    trap '"$STACK_SCRIPT" down || true' EXIT
fi

"$STACK_SCRIPT" install
"$STACK_SCRIPT" up

ensure_swift_on_path
# One build with testing enabled serves both the executables the tests launch and the tests
# (a plain `swift build` followed by `swift test` would compile everything twice).
log "swift build --build-tests"
swift build --build-tests

"$PLATFORM_SCRIPT" prepare

export HOTLINE_DATABASE_URL="$DATABASE_URL"
export HOTLINE_AMQP_URL="$ADMIN_AMQP_URL"
export HOTLINE_PASSWORDS_FILE="$PASSWORDS_FILE"
export HOTLINE_STACK_SCRIPT="$STACK_SCRIPT"
export HOTLINE_BIN_DIR="$BIN_DIR"
export HOTLINE_REPO_ROOT="$REPO_ROOT"

log "swift test $*"
status=0
swift test --skip-build "$@" || status=$?
log "swift test finished with status $status"
exit "$status"
