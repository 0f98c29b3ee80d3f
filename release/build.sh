#!/usr/bin/env bash
# Builds the release artifacts into OUT (default target/release-artifacts/):
#   sm-image-check-VERSION-x86_64-unknown-linux-musl    the CLI, a static Linux binary
#   sm-image-check-VERSION-aarch64-unknown-linux-musl   the same for arm64 (cross-linked with
#                                                       rust-lld: no system cross toolchain needed)
#   sm-image-check-VERSION.html                         the page as one self-contained file
#   SHA256SUMS                                          `sha256sum -c SHA256SUMS` verifies them
# Needs rustup (the musl targets are added when missing) and, for the page, what tests/setup.sh
# installs; SMIC_SKIP_TRUNK=1 reuses a `dist/` already built by Trunk, SMIC_RELEASE_SKIP_PAGE=1
# leaves the page out, SMIC_RELEASE_TARGETS="x86_64-unknown-linux-musl" builds fewer binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
OUT="${1:-target/release-artifacts}"
TARGETS="${SMIC_RELEASE_TARGETS:-x86_64-unknown-linux-musl aarch64-unknown-linux-musl}"
VERSION="$(cargo pkgid -p sm-image-check | sed 's/.*[#@]//')"

rm -rf "$OUT"
mkdir -p "$OUT"
for target in $TARGETS; do
  rustup target list --installed | grep -qx "$target" || rustup target add "$target"
  # musl targets link statically by default; rust-lld with Rust's own musl start files links
  # the arm64 binary without a cross C toolchain (no dependency of the CLI compiles C).
  linker_var="CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_LINKER"
  if [ "${target%%-*}" != "$(uname -m)" ]; then
    export "$linker_var=${!linker_var:-rust-lld}"
  fi
  cargo build --release --locked -p sm-image-check --target "$target" --config 'profile.release.strip="symbols"'
  cp "${CARGO_TARGET_DIR:-target}/$target/release/sm-image-check" "$OUT/sm-image-check-$VERSION-$target"
done

if [ "${SMIC_RELEASE_SKIP_PAGE:-}" != 1 ]; then
  bash web/build-single.sh
  cp dist-single/sm-image-check.html "$OUT/sm-image-check-$VERSION.html"
fi

(cd "$OUT" && sha256sum -- * >SHA256SUMS)
echo "release artifacts in $OUT:"
(cd "$OUT" && ls -l && cat SHA256SUMS)
