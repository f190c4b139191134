#!/usr/bin/env bash
# The deployment artifact, tried before it is deployed: builds the functions as `sam build` does
# (the Makefile, one arm64 bootstrap), then runs the health function's bootstrap under qemu-user
# (Debian's) against a local stand-in of the Lambda Runtime API and DynamoDB Local, and checks it
# answers an API Gateway health request with 200. Not part of ./infra/test.sh: the arm64 release
# build takes several minutes (docs/deploy.md has the figures).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_tools
ensure_apt qemu-user libc6-arm64-cross libgcc-s1-arm64-cross file
trap stop_services EXIT INT TERM
started=$(date +%s)

log "sam build (one arm64 bootstrap for every function)"
./infra/sam.sh build
artifact="$REPO/.aws-sam/build/HealthFunction/bootstrap"
file "$artifact" | grep -q 'ARM aarch64' || { log "$artifact is not an arm64 executable"; exit 1; }

start_bench_table arm64-health
cargo build -q -p cold-start

log "the arm64 health bootstrap under qemu-aarch64, through the Runtime API stand-in"
./target/debug/cold-start --bootstrap "$artifact" --wrapper qemu-aarch64 --runs 3 --expect 200 \
  --label "arm64 bootstrap (health) under qemu" --timeout-seconds 60 \
  --env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu --env SCHEDULER_FUNCTION=health "${BENCH_ENV[@]}"
log "the arm64 artifact answered 200 (in $(($(date +%s) - started)) s, build included)"
