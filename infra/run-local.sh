#!/usr/bin/env bash
# Command 1: the whole system on localhost. Installs what is missing, starts DynamoDB Local (in
# memory), builds and runs the local server with a demo tenant and agent, and prints how to use
# them. Ctrl-C stops everything.
#   PORT=3000                             the API's port
#   SCHEDULER_START_AT=2027-03-20T08:00:00Z   start the clock at this instant
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_tools
trap stop_services EXIT INT TERM
start_dynamodb_local "${DYNAMODB_PORT:-}"
export TABLE_NAME=${TABLE_NAME:-meeting-scheduler-local}
export PORT=${PORT:-3000}
local_profile
log "building the local server"
cargo build -q -p local-server
./target/debug/local-server
