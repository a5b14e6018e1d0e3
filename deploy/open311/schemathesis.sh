#!/usr/bin/env bash
# A property-based API tester (schemathesis) against the live Open311 API with its OpenAPI document:
# every response must match docs/open311.openapi.yaml (status code, content type, headers, schema),
# no request may make the service answer 5xx, and a method a path does not take must get 405 with Allow.
#
#   deploy/open311/schemathesis.sh BASE_URL API_KEY [schemathesis run options]
#
# Runs .local/venv's schemathesis (stack.sh install makes it); exits non-zero when a check fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -ge 2 ]] || { echo "usage: schemathesis.sh BASE_URL API_KEY [options]" >&2; exit 2; }
base="$1" key="$2"
shift 2
bin="$root/.local/venv/bin/schemathesis"
[[ -x "$bin" ]] || { echo "schemathesis.sh: $bin is missing (run: deploy/local/stack.sh install)" >&2; exit 2; }
export OPEN311_API_KEY="$key"
cd "$root/.local"   # its report folder and example database stay out of the tree
# --max-examples and --seed keep the run bounded (about a minute) and repeatable; --request-timeout makes a
# request that hangs a failure rather than a stalled run; the key comes from schemathesis.toml's
# [parameters] (query.api_key and the form's body.api_key), never from the document.
exec "$bin" --config-file "$root/deploy/open311/schemathesis.toml" run "$root/docs/open311.openapi.yaml" \
    --url "$base" --no-color --max-examples 40 --seed 311 --generation-database none --request-timeout 15 \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,allow_header_conformance \
    "$@"
