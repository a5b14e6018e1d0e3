#!/usr/bin/env bash
# The end-to-end benchmark in its own sandbox (database hotline_bench, virtual host hotline-bench) on the
# running local stack; hotline-bench starts the seven services itself (HTTP ports PORT_BASE+1 … +7; open311's
# API on its HTTP port + 224; a build without hotline-open311 runs the other six).
#
#   deploy/local/fault/bench.sh [BIN_DIR] [hotline-bench run options]
#
#   BIN_DIR   built executables, default .build/release (build: swift build -c release)
#   e.g.      deploy/local/fault/bench.sh .build/release --count 10000 --rates 0,500
#             deploy/local/fault/bench.sh .build/release --count 10000 --rates 0,500 --via amqp,open311
#             (each rate published as the gateway, then posted to the Open311 API; compared side by side)
set -euo pipefail
bin="${1:-.build/release}"
shift || true
SANDBOX_NAME="${HOTLINE_BENCH_SANDBOX:-bench}" SANDBOX_BIN="$bin"
# shellcheck source=deploy/local/sandbox-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../sandbox-env.sh" >/dev/null
[[ -x "$BIN_DIR/hotline-bench" ]] || die "$BIN_DIR/hotline-bench is missing (swift build --product hotline-bench)"
exec "$BIN_DIR/hotline-bench" run --bin-dir "$BIN_DIR" "$@"
