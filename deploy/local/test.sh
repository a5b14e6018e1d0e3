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
#   HOTLINE_DATABASE_URL    postgres://hotline:hotline@127.0.0.1:PORT/hotline?sslmode=disable (loopback)
#   HOTLINE_AMQP_URL        amqp://guest:guest@127.0.0.1:PORT/%2f (administrator, loopback only)
#   HOTLINE_PASSWORDS_FILE  .local/passwords.yaml (absolute): passwords of the broker users
#   HOTLINE_DATABASE_PASSWORDS_FILE .local/database-passwords-hotline.yaml (absolute): the services' database roles' passwords
#   HOTLINE_CITIZEN_KEY_FILE .local/citizen-key (absolute): intake's citizen-key secret (tests give it to intake only)
#   HOTLINE_STACK_SCRIPT    deploy/local/stack.sh (absolute): restart-rabbitmq, kill-rabbitmq, ...
#   HOTLINE_BIN_DIR         .build/debug (absolute): hotlinectl and the services
#   HOTLINE_REPO_ROOT       the package root
#   HOTLINE_TLS_CA_FILE     .local/tls/ca.pem (absolute): the authority of the servers' TLS certificates
#   HOTLINE_AMQPS_PORT      the broker's AMQP-over-TLS port (5671)
#   HOTLINE_PG_TLS          1 when PostgreSQL is ours and serves TLS (a reused Debian cluster may not)
# The integration tests connect over TLS (amqps://, sslmode=verify-full) whenever these are given, every
# service and client they start included; HOTLINE_TEST_TLS=0 runs them over plain loopback connections.
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
export HOTLINE_DATABASE_PASSWORDS_FILE="$DB_PASSWORDS_FILE"
export HOTLINE_CITIZEN_KEY_FILE="$CITIZEN_KEY_FILE"
export HOTLINE_STACK_SCRIPT="$STACK_SCRIPT"
export HOTLINE_BIN_DIR="$BIN_DIR"
export HOTLINE_REPO_ROOT="$REPO_ROOT"
export HOTLINE_TLS_CA_FILE="$TLS_DIR/ca.pem"
export HOTLINE_AMQPS_PORT="$AMQPS_PORT"
if [[ -f "$PG_EXTERNAL_FILE" ]]; then export HOTLINE_PG_TLS=0; else export HOTLINE_PG_TLS=1; fi

# Every message the services publish during the tests is recorded from the broker's firehose and checked
# against the contract's schemas (docs/asyncapi.yaml) afterwards, so the document cannot drift from the code.
capture="$LOG_DIR/contract-messages.jsonl"
rm -f "$capture"
trace_on=("$STACK_SCRIPT" rabbitmqctl -q trace_on -p "$VHOST")
/usr/bin/python3 deploy/contract/capture.py --amqp-url "$ADMIN_AMQP_URL" --out "$capture" \
    --on-connect "${trace_on[*]@Q}" 2>"$LOG_DIR/contract-capture.log" &
capture_pid=$!
for _ in $(seq 60); do
    grep -q '^capture: recording' "$LOG_DIR/contract-capture.log" 2>/dev/null && break
    kill -0 "$capture_pid" 2>/dev/null || die "the message capture did not start (see $LOG_DIR/contract-capture.log)"
    sleep 0.5
done
grep -q '^capture: recording' "$LOG_DIR/contract-capture.log" || die "the message capture did not start in 30 s"

log "swift test $*"
status=0
swift test --skip-build "$@" || status=$?
log "swift test finished with status $status"

kill "$capture_pid" && wait "$capture_pid" || true
"$STACK_SCRIPT" rabbitmqctl -q trace_off -p "$VHOST" >/dev/null || true
log "checking the messages the services published against docs/asyncapi.yaml"
# A whole run must have published messages to check; a filtered one (arguments given) may have none.
minimum=$(( $# == 0 ? 1000 : 0 ))
/usr/bin/python3 deploy/contract/check-messages.py --min "$minimum" docs/asyncapi.yaml "$capture" || status=1
exit "$status"
