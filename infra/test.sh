#!/usr/bin/env bash
# Command 2: every test. Installs what is missing, starts the local services the tests need
# (DynamoDB Local; moto for SES, EventBridge and SQS), runs the Rust tests (unit, property,
# integration), fuzzes the API from openapi.yaml with schemathesis, drives the guest's pages in
# headless Chromium, checks template.yaml (cfn-lint, sam validate --lint, checkov), then stops
# what it started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_tools
ensure_venv
trap stop_services EXIT INT TERM
start_dynamodb_local
start_moto

log "cargo test (workspace)"
cargo test --workspace --quiet

log "schemathesis against the local server (openapi.yaml)"
./infra/fuzz-api.sh

log "the calendar-feed reader under libFuzzer"
./infra/fuzz-feeds.sh

log "the guest's pages in headless Chromium"
./infra/e2e.sh

log "template.yaml: cfn-lint, sam validate --lint, checkov"
./infra/lint-template.sh
log "all tests passed"
