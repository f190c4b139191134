#!/usr/bin/env bash
# Coverage-guided fuzzing of the calendar-feed reader (part of infra/test.sh): libFuzzer, through
# the libfuzzer-sys crate, built with the stable toolchain (coverage instrumentation comes from
# stable rustc flags; no sanitizer, so no nightly). It runs for a bounded time, seeded with the
# shapes that once hurt the service (shared/feed-reader/fuzz/seeds), and fails if it finds a
# crash: a panic, an abort, an input over the per-input timeout or the memory limit.
#
#   FEED_FUZZ_SECONDS=60   how long to fuzz (default 60)
#
# A crash is written to infra/.state/feed-fuzz/crash-*. Keep it as a regression test: move it to
# shared/feed-reader/fuzz/regressions/ (tests/regressions.rs reads every file there), fix the
# reader, and run `cargo test -p feed-reader`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
SECONDS_TO_RUN=${FEED_FUZZ_SECONDS:-60}
WORK="$STATE/feed-fuzz"
mkdir -p "$WORK/corpus"
rm -f "$WORK"/crash-* "$WORK"/timeout-* "$WORK"/oom-*

# libFuzzer itself is C++, compiled by the libfuzzer-sys crate.
command -v c++ >/dev/null || ensure_apt g++
HOST=$(rustc -vV | sed -n 's/^host: //p')
log "building the feed-reader fuzz target (instrumented, release)"
# --target keeps the instrumented artifacts apart from the normal ones in the one target dir.
# The flags are cargo-fuzz's with `--sanitizer none`: coverage only, all stable.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cdebug-assertions --cfg fuzzing" \
  cargo build --quiet --release --manifest-path shared/feed-reader/fuzz/Cargo.toml \
  --target "$HOST" --target-dir "$REPO/target"

log "fuzzing the feed reader for ${SECONDS_TO_RUN}s"
set +e
"$REPO/target/$HOST/release/feed" "$WORK/corpus" shared/feed-reader/fuzz/seeds \
  shared/feed-reader/fuzz/regressions \
  -dict=shared/feed-reader/fuzz/feed.dict -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 \
  -rss_limit_mb=1024 -timeout=5 -max_len=65536 -artifact_prefix="$WORK/" >"$WORK/run.log" 2>&1
status=$?
set -e
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$WORK/run.log" >&2 || true
if [ "$status" -ne 0 ] || ls "$WORK"/crash-* "$WORK"/timeout-* "$WORK"/oom-* >/dev/null 2>&1; then
  tail -n 40 "$WORK/run.log" >&2
  log "the feed reader fuzzer found a crash: see $WORK (and the header of this script)"
  exit 1
fi
