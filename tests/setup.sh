#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine (idempotent: quick when done).
# Pinned versions; why each one is said beside it (and in web/tools.sh for the page's tools).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"

step() { local s; s=$(date +%s); echo "::: $*"; "$@"; echo "::: $(( $(date +%s) - s ))s  $1"; }

step rustup target add wasm32-unknown-unknown
step rustup component add clippy rustfmt

# SARIF Multitool (a self-contained binary from the npm registry) validates our SARIF with the
# schema and GitHub code-scanning rules.
TOOLS="${SMIC_TOOLS_DIR:-$HOME/.cache/sm-image-check-tools}"
MULTITOOL="$TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$MULTITOOL" ]; then
  step npm install --prefix "$TOOLS" --no-audit --no-fund --silent @microsoft/sarif-multitool@5.7.0
  chmod u+x "$MULTITOOL"
fi

# BuildKit's own parser (PyPI `dockerfile`, a Go extension module) as the oracle of the
# Dockerfile differential test (crates/dockerfile/tests/oracle_differential.rs runs it through
# tests/tools/dockerfile_oracle.py).
ORACLE="$TOOLS/dockerfile-oracle"
if [ ! -x "$ORACLE/bin/python" ] || ! "$ORACLE/bin/python" -c 'import dockerfile' 2>/dev/null; then
  step python3 -m venv "$ORACLE"
  step "$ORACLE/bin/pip" install --quiet --disable-pip-version-check dockerfile==3.4.0
fi

# The page (web/): trunk, wasm-bindgen-cli, wasm-opt and playwright-core (npm ci), Chromium.
. web/tools.sh
step install_page_build_tools
step install_browser

# pre-commit (PyPI) for the test of the pre-commit hooks (tests/ci-integrations/run.sh); its
# PyYAML also reads action.yml and the GitLab job there.
PRE_COMMIT="$TOOLS/pre-commit"
if [ ! -x "$PRE_COMMIT/bin/pre-commit" ]; then
  step python3 -m venv "$PRE_COMMIT"
  step "$PRE_COMMIT/bin/pip" install --quiet --disable-pip-version-check pre-commit==4.7.0
fi

# The static Linux binaries of the release (release/build.sh): aarch64 is linked with rust-lld.
step rustup target add x86_64-unknown-linux-musl aarch64-unknown-linux-musl
