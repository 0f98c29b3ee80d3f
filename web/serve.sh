#!/usr/bin/env bash
# Builds the page and serves it on http://127.0.0.1:8080/ (PORT=… to change). Installs what the
# build needs when it is missing (see web/tools.sh): the first run takes minutes, later ones seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$PWD/node_modules/.bin:$CARGO_HOME/bin:$PATH"
. web/tools.sh
install_page_build_tools
trunk build --release
PORT="${PORT:-8080}"
echo "Serving the page on http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
