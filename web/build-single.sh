#!/usr/bin/env bash
# Builds the page as ONE self-contained HTML file, dist-single/sm-image-check.html, that works
# when opened from disk (file://): scripts, styles and both WebAssembly modules inline, the
# worker started from a blob: URL, and a Content-Security-Policy of hashes with
# connect-src 'none' — the page cannot send anything anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
[ "${SMIC_SKIP_TRUNK:-}" = 1 ] || trunk build --release
python3 web/single_file.py dist dist-single/sm-image-check.html
