#!/usr/bin/env bash
# The pre-commit hooks' entry (.pre-commit-hooks.yaml): `pre-commit-hook.sh dockerfile|app-image-config
# [--option=value]... FILE...` checks each file on its own with `sm-image-check check --dockerfile
# FILE` or `--app-image-config FILE`. Arguments that start with `-` are passed to every check
# (pre-commit puts a hook's `args` before the file names, so an option and its value must be one
# argument: `--fail-on=warning`). Exit status: the worst of the checks (0, 1 findings, 2 bad input).
#
# The CLI used: $SMIC_BINARY, else `sm-image-check` on PATH, else one built from this repository's
# source with cargo (once; pre-commit keeps its copy of the repository between runs).
set -uo pipefail
HOOK_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "${1:-}" in
  dockerfile) flag=--dockerfile ;;
  app-image-config) flag=--app-image-config ;;
  *) echo "usage: $0 dockerfile|app-image-config [--option=value]... FILE..." >&2; exit 2 ;;
esac
shift

options=()
files=()
for arg in "$@"; do
  case "$arg" in
    -*) options+=("$arg") ;;
    *) files+=("$arg") ;;
  esac
done

BIN="${SMIC_BINARY:-}"
if [ -z "$BIN" ]; then
  BIN="$(command -v sm-image-check || true)"
fi
if [ -z "$BIN" ]; then
  target_dir="${CARGO_TARGET_DIR:-$HOOK_REPO/target}"
  BIN="$target_dir/release/sm-image-check"
  if [ ! -x "$BIN" ]; then
    echo "sm-image-check: building the CLI from the hook's source (once; a few minutes)" >&2
    cargo build --quiet --release --locked -p sm-image-check --manifest-path "$HOOK_REPO/Cargo.toml" --target-dir "$target_dir" ||
      exit 2
  fi
fi

worst=0
for file in "${files[@]}"; do
  "$BIN" check "$flag" "$file" --color never --progress never ${options[@]+"${options[@]}"}
  status=$?
  [ "$status" -gt "$worst" ] && worst=$status
done
exit "$worst"
