#!/usr/bin/env bash
# Benchmark of the page against the CLI on a realistic image (not a test; prints numbers and
# writes tests/e2e/out/bench.json). ARCHIVE defaults to the 1.4 GB image that
# tests/tools/build_real_image.py DIR big writes (DIR/out/sagemaker-real-big.docker.tar);
# build it once (as root, ~8 min) with: python3 tests/tools/build_real_image.py /tmp/realimg big
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
ARCHIVE="${1:-/tmp/realimg/out/sagemaker-real-big.docker.tar}"
[ -f "$ARCHIVE" ] || { echo "bench.sh: $ARCHIVE not found; build it: python3 tests/tools/build_real_image.py /tmp/realimg big" >&2; exit 2; }
trunk build --release
cargo build --release --locked --quiet -p sm-image-check
node tests/e2e/bench.mjs "$ARCHIVE" "${RUNS:-3}"
