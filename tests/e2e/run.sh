#!/usr/bin/env bash
# The page's browser tests: playwright-core drives Debian's Chromium (headless) over the built
# page — dist/ served by Python's static server, dist-single/ from file:// — and compares what
# it shows and exports with the CLI's JSON for the same files. Needs the page built first
# (tests/run-all.sh does: trunk build, web/build-single.sh). Screenshots and metrics.json go to
# tests/e2e/out/. Arguments: an optional filter on test names.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
[ -f dist/index.html ] || { echo "tests/e2e/run.sh: no dist/; build the page first (trunk build)" >&2; exit 2; }

# The CLI the page is compared with.
cargo build --release --locked --quiet -p sm-image-check

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 tests/e2e/make_archives.py "$WORK"
# 4.3 GB apparent, about 10 MB on disk: the bulk is holes (see the generator's notes).
python3 tests/tools/gen_sparse_archive.py "$WORK/sparse-4g.tar" --layout docker25 --layers 2 \
  --files 20000 --big-files 2 --big-size 2G >/dev/null

E2E_WORK="$WORK" E2E_SPARSE_ARCHIVE="$WORK/sparse-4g.tar" node tests/e2e/e2e.mjs "$@"
