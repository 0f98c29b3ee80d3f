#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine (idempotent: quick when done).
# Pinned versions: see ../shared/research/toolchain.md for why each one.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"

step() { local s; s=$(date +%s); echo "::: $*"; "$@"; echo "::: $(( $(date +%s) - s ))s  $1"; }

step rustup target add wasm32-unknown-unknown
