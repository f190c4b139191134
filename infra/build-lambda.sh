#!/usr/bin/env bash
# Builds the one Lambda artifact every function runs: functions/bootstrap, release profile, for
# arm64 (Graviton) with cargo-lambda (zig links it), into target/lambda/bootstrap/bootstrap.
# `sam build` calls this through the Makefile once per function; cargo does the work once and
# finds it done the other times. LAMBDA_ARCH=x86_64 builds for x86-64 instead.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
ensure_venv deploy
export PATH="$REPO/.venv-deploy/bin:$PATH"
case "${LAMBDA_ARCH:-arm64}" in
  arm64) target=aarch64-unknown-linux-gnu; flag=--arm64 ;;
  x86_64) target=x86_64-unknown-linux-gnu; flag=--x86-64 ;;
  *) log "LAMBDA_ARCH is arm64 or x86_64"; exit 1 ;;
esac
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
cargo lambda build --release "$flag" --package bootstrap --bin bootstrap --quiet
ls -l "$REPO/target/lambda/bootstrap/bootstrap" >&2
