#!/usr/bin/env bash
# Every test of the project, from a fresh machine: installs what is missing, then runs the Rust
# tests (native), the no_std crates' wasm builds and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
TOOLS="${SMIC_TOOLS_DIR:-$HOME/.cache/sm-image-check-tools}"
export SMIC_SARIF_MULTITOOL="$TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
export SMIC_DOCKERFILE_ORACLE_PYTHON="$TOOLS/dockerfile-oracle/bin/python"
T0=$(date +%s)
step() { local s; s=$(date +%s); echo "::: $*"; "$@"; echo "::: $(( $(date +%s) - s ))s  $1 $2"; }

# The habits: formatted, and no clippy warning anywhere (tests, benches and examples included).
step cargo fmt --all --check
step cargo clippy --workspace --all-targets --locked -- -D warnings
# The page's browser-only code is compiled for wasm32 alone: lint it there too.
step cargo clippy -p smic-web --lib --bins --target wasm32-unknown-unknown --locked -- -D warnings
step cargo test --workspace --locked
step cargo build --locked -p smic-rules -p smic-dockerfile --target wasm32-unknown-unknown

# The page: built by Trunk (and as one file), then driven in Chromium (tests/e2e/run.sh).
export PATH="$PWD/node_modules/.bin:$PATH"
step cargo fetch --locked
step trunk build --release --offline=true
step env SMIC_SKIP_TRUNK=1 bash web/build-single.sh
step bash tests/e2e/run.sh
# Every JSON report the page exported in that run follows the report's schema.
step cargo test --locked -q -p smic-tests --test schema -- --ignored
# The CI channels as each CI service runs them (the Action, pre-commit, the GitLab job) and the
# release script with its static binaries; it needs dist/ and reuses target/release from above.
step bash tests/ci-integrations/run.sh
# Hostile inputs: each case's answer, time and peak memory, through the CLI and a sample through
# the page. A bug found there goes on record with run.py --known-failure CASE or
# E2E_HOSTILE_KNOWN_FAILURES=CASE (either fails the run once the case passes); none is on record.
step python3 tests/hostile/run.py
step node tests/e2e/hostile.mjs
echo "::: all tests passed in $(( $(date +%s) - T0 ))s"
