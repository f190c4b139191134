#!/usr/bin/env bash
# Fuzzes the API from openapi.yaml with schemathesis against the local server (part of
# infra/test.sh): every operation, valid credentials, and the checks that no response is a 5xx
# and every response matches the contract (status, content type, headers, body schema).
# Expects DynamoDB Local's endpoint in the environment (test.sh starts it) and the .venv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

EXAMPLES=${FUZZ_EXAMPLES:-40}
port=$(free_port)
export OPERATOR_KEY
OPERATOR_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
cargo build -q -p local-server
PORT=$port TABLE_NAME="fuzz-$port" MAIL_OUTBOX_DIR="$STATE/fuzz-outbox" DISPATCH_INTERVAL_SECONDS=3600 \
  SCHEDULER_START_AT=2027-03-24T08:00:00Z \
  ./target/debug/local-server >"$STATE/fuzz-server.out" 2>"$STATE/fuzz-server.log" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "booking slug" "$STATE/fuzz-server.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "booking slug" "$STATE/fuzz-server.out" || { log "the local server did not start; see $STATE/fuzz-server.log"; exit 1; }
export ADMIN_KEY AGENT_TOKEN
ADMIN_KEY=$(awk '/admin key/ {print $3}' "$STATE/fuzz-server.out")
AGENT_TOKEN=$(awk '/agent token/ {print $3}' "$STATE/fuzz-server.out")

log "schemathesis: $EXAMPLES examples per operation against http://127.0.0.1:$port"
SCHEMATHESIS_TELEMETRY=false "$REPO/.venv/bin/schemathesis" --config-file infra/schemathesis.toml --no-color \
  run openapi.yaml --url "http://127.0.0.1:$port" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --seed 20271024 --workers 2 \
  --report ndjson --report-dir "$STATE/schemathesis"
