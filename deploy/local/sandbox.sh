#!/usr/bin/env bash
# A second, isolated platform on the running local stack: its own database `hotline_NAME` and virtual
# host `hotline-NAME`, prepared like the main one, so that parallel test runs (or a developer's
# experiment) never share queues or tables with another.
#
#   deploy/local/sandbox.sh NAME BIN_DIR PORT_BASE [swift test arguments]
#
# BIN_DIR holds the built executables (e.g. .build-mine/debug); PORT_BASE is the first HTTP port the
# test services use. Runs `swift test` with the sandbox's environment (add --scratch-path to match
# BIN_DIR).
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
name="$1" bin="$2" ports="$3"
shift 3

SANDBOX_NAME="$name" SANDBOX_BIN="$bin"
# shellcheck source=deploy/local/sandbox-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/sandbox-env.sh"
export HOTLINE_TEST_PORT_BASE="$ports"
exec swift test "$@"
