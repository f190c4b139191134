#!/usr/bin/env bash
# The guest's pages in a real browser (part of infra/test.sh): Debian's headless Chromium driven
# by playwright-core against the local server. Screenshots land in infra/.state/screenshots.
# Expects DynamoDB Local's endpoint in the environment (test.sh starts it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_browser
trap stop_local_server EXIT
start_local_server e2e
mkdir -p "$STATE/screenshots"
E2E_BASE_URL=$LOCAL_URL E2E_OUTBOX="$STATE/e2e-outbox" E2E_AGENT_TOKEN=$AGENT_TOKEN E2E_SCREENSHOTS="$STATE/screenshots" node --test tests/e2e/
