#!/usr/bin/env bash
# The cold-start bench: release builds (for this machine) of the bootstrap and of a minimal
# lambda_http function with the same profile, each started 20 times against a local stand-in of
# the Lambda Runtime API (infra/cold-start) and DynamoDB Local; prints the median, 90th percentile
# and fastest time from exec to the first request for work and to the first response.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_tools
trap stop_services EXIT INT TERM
start_bench_table cold-start
log "release builds of the bootstrap, the minimal function, the health-only function and the bench"
cargo build -q --release -p bootstrap -p cold-start
bench="$REPO/target/release/cold-start"
runs=${RUNS:-20}
# The event is GET /v1/health: the health function answers it (200, after a read of the table);
# another function answers it 404 without touching the table, which times its start alone.
bench_bootstrap() { # function expected-status runs
  "$bench" --bootstrap target/release/bootstrap --runs "$3" --expect "$2" \
    --label "bootstrap as $1" --env SCHEDULER_FUNCTION="$1" "${BENCH_ENV[@]}"
}
# A first, untimed pass warms DynamoDB Local's JVM, so that first responses time the bootstrap and
# not the database's just-in-time compiler.
bench_bootstrap health 200 40 >/dev/null
bench_bootstrap health 200 "$runs"
bench_bootstrap pages 404 "$runs"
# The health check built alone, carrying only what it needs (one artifact was chosen instead:
# docs/deploy.md says why).
"$bench" --bootstrap target/release/health-only --runs "$runs" --expect 200 --label "health-only function" \
  "${BENCH_ENV[@]}"
"$bench" --bootstrap target/release/minimal-lambda --runs "$runs" --expect 200 --label "minimal lambda_http"
