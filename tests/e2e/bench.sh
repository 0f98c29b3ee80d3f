#!/usr/bin/env bash
# Benchmark of the page against the CLI on a realistic image (not a test; prints numbers and
# writes tests/e2e/out/bench-<archive>.json, then one table over every archive measured).
# ARCHIVE... defaults to every kind of archive of the 1.4 GB image that
# tests/tools/build_real_image.py DIR big writes into DIR/out (docker-archive, the same gzipped
# as a whole, oci-archive with gzip layers, the containerd export, oci-archive with zstd layers);
# build it once (as root, ~5-8 min) with: python3 tests/tools/build_real_image.py /tmp/realimg big
# RUNS (default 3) runs of each, the CLI and the page interleaved, the browser's floor in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
REAL="${SMIC_REAL_IMAGE_DIR:-/tmp/realimg/out}"
if [ "$#" -eq 0 ]; then
  set --
  for kind in docker.tar docker.tar.gz oci.tar containerd.tar oci-zstd.tar; do
    [ -f "$REAL/sagemaker-real-big.$kind" ] && set -- "$@" "$REAL/sagemaker-real-big.$kind"
  done
  [ "$#" -gt 0 ] || { echo "bench.sh: no archive in $REAL; build them: python3 tests/tools/build_real_image.py /tmp/realimg big" >&2; exit 2; }
fi
for archive in "$@"; do
  [ -f "$archive" ] || { echo "bench.sh: $archive not found" >&2; exit 2; }
done
trunk build --release
cargo build --release --locked --quiet -p sm-image-check
for archive in "$@"; do
  node tests/e2e/bench.mjs "$archive" "${RUNS:-3}"
done
# One table over the archives just measured.
node - "$@" <<'JS'
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');
const rows = process.argv.slice(2).map(a => JSON.parse(readFileSync(`tests/e2e/out/bench-${basename(a)}.json`, 'utf8')));
const s = x => `${x.toFixed(2)} s`;
console.log('\n| archive | MB | page | CLI | page / CLI | browser floor | page / floor | same JSON |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${basename(r.archive)} | ${(r.archive_bytes / 1e6).toFixed(0)} | ${s(r.page_median_s)} | ${s(r.cli_median_s)} | ${r.page_vs_cli.toFixed(2)}× | ${s(r.blob_floor_median_s)} | ${(r.page_median_s / r.blob_floor_median_s).toFixed(2)}× | ${r.same_json} |`);
}
JS
