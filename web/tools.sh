# Installs what building the page needs, and the browser its tests drive. Sourced by
# tests/setup.sh (everything) and web/serve.sh (the build tools only). Idempotent: quick when
# done. Why these versions: the comment beside each.

TRUNK_VERSION=0.21.14          # 0.22.x needs rustc >= 1.96.1
WASM_BINDGEN_VERSION=0.2.130   # == wasm-bindgen in Cargo.lock and [tools] wasm_bindgen in Trunk.toml

install_page_build_tools() {
  rustup target add wasm32-unknown-unknown
  # The two installs are independent: side by side, without the crates' own fat LTO (which
  # dominates their build time).
  local pids=()
  if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install --locked trunk --version "$TRUNK_VERSION" --quiet & pids+=($!)
  fi
  # No --locked: its published lockfile pins a webpki-roots the registry here does not serve.
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet & pids+=($!)
  fi
  local pid
  for pid in "${pids[@]}"; do wait "$pid"; done
  # wasm-opt (npm binaryen) and playwright-core, at the versions of package-lock.json.
  if [ "$(node -p 'require("./node_modules/binaryen/package.json").version + " " + require("./node_modules/playwright-core/package.json").version' 2>/dev/null)" \
       != "$(node -p 'const l = require("./package-lock.json").packages; l["node_modules/binaryen"].version + " " + l["node_modules/playwright-core"].version')" ]; then
    npm ci --no-audit --no-fund --silent
  fi
}

install_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
}
