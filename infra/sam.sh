#!/usr/bin/env bash
# The SAM CLI from the deployment venv (.venv-deploy, installed on first use), with telemetry off:
#   ./infra/sam.sh build
#   ./infra/sam.sh deploy --parameter-overrides SenderEmail=noreply@example.com OperatorKeySha256=<hash>
# Settings come from samconfig.toml; docs/deploy.md walks through a first deploy.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_venv deploy
export SAM_CLI_TELEMETRY=0 PATH="$REPO/.venv-deploy/bin:$PATH"
exec sam "$@"
