#!/usr/bin/env bash
# The guest's pages and the agents' console in a real browser (part of infra/test.sh): Debian's
# headless Chromium driven by playwright-core against the local server, axe-core for the
# accessibility checks. Screenshots land in infra/.state/screenshots, the console's measurements
# (bytes and time to interactive of each screen) in infra/.state/console-measures.md. The test
# files share one server (and its clock), so they run one at a time.
# Expects DynamoDB Local's endpoint in the environment (test.sh starts it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_browser
trap stop_local_server EXIT
start_local_server e2e
mkdir -p "$STATE/screenshots"
E2E_BASE_URL=$LOCAL_URL E2E_OUTBOX="$STATE/e2e-outbox" E2E_AGENT_TOKEN=$AGENT_TOKEN E2E_SCREENSHOTS="$STATE/screenshots" \
  E2E_MEASURES="$STATE/console-measures.md" node --test --test-concurrency=1 tests/e2e/
