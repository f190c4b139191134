#!/usr/bin/env bash
# The deployment's own checks (part of infra/test.sh), offline: cfn-lint, SAM's validation with
# its linter, and checkov's security checks. The checkov findings the stack accepts are skipped
# in template.yaml itself, each with its reason (docs/deploy.md lists them).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_venv deploy
export SAM_CLI_TELEMETRY=0
log "cfn-lint template.yaml"
"$REPO/.venv-deploy/bin/cfn-lint" template.yaml
# Both: the linter checks resources against their schemas; plain validation runs SAM's own
# translation, which catches what only it knows (an intrinsic where SAM takes none).
log "sam validate, sam validate --lint"
"$REPO/.venv-deploy/bin/sam" validate --region us-east-1 --template-file template.yaml
"$REPO/.venv-deploy/bin/sam" validate --lint --region us-east-1 --template-file template.yaml
log "checkov (CloudFormation)"
"$REPO/.venv-deploy/bin/checkov" --quiet --compact --skip-download --framework cloudformation -f template.yaml
