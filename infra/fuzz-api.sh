#!/usr/bin/env bash
# Fuzzes the API from openapi.yaml with schemathesis against the local server (part of
# infra/test.sh): every operation, valid credentials, and the checks that no response is a 5xx
# and every response matches the contract (status, content type, headers, body schema).
# Expects DynamoDB Local's endpoint in the environment (test.sh starts it) and the .venv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
trap stop_local_server EXIT
EXAMPLES=${FUZZ_EXAMPLES:-40}
start_local_server fuzz

# One worker: schemathesis runs workers as threads, and CPython 3.11 (this machine's) can
# raise "AST constructor recursion depth mismatch" when two threads build ASTs at once (cpython
# gh-106905); hypothesis parses source when it describes a strategy, and that failed a CI run.
log "schemathesis: $EXAMPLES examples per operation against $LOCAL_URL"
SCHEMATHESIS_TELEMETRY=false "$REPO/.venv/bin/schemathesis" --config-file infra/schemathesis.toml --no-color \
  run openapi.yaml --url "$LOCAL_URL" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --seed 20271024 --workers 1 \
  --report ndjson --report-dir "$STATE/schemathesis"
