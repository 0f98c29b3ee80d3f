#!/usr/bin/env bash
# The GitHub Action's work (action.yml runs it; tests/ci-integrations/run.sh runs it the same way):
# checks the inputs given in SMIC_* variables, writes the SARIF report, appends the Markdown report
# to the job summary, prints the report in SMIC_FORMAT, and hands the CLI's exit status to the
# action's last step as the output `exit-code` — so the findings reach code scanning and the
# summary before the step fails.
set -euo pipefail
ACTION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMP="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
OUTPUT="${GITHUB_OUTPUT:-/dev/null}"

fail() { echo "::error title=sm-image-check::$*"; exit 2; }

BIN="${SMIC_BINARY:-}"
if [ -z "$BIN" ]; then
  BIN="$TEMP/sm-image-check/bin/sm-image-check"
  if [ ! -x "$BIN" ]; then
    echo "::group::Building sm-image-check from the action's source"
    cargo install --locked --quiet --path "$ACTION_DIR/crates/cli" --root "$TEMP/sm-image-check"
    echo "::endgroup::"
  fi
fi
[ -x "$BIN" ] || fail "the binary '$BIN' does not exist or is not executable"

args=()
[ -n "${SMIC_IMAGE:-}" ] && args+=(--image "$SMIC_IMAGE")
[ -n "${SMIC_DOCKERFILE:-}" ] && args+=(--dockerfile "$SMIC_DOCKERFILE")
[ -n "${SMIC_APP_IMAGE_CONFIG:-}" ] && args+=(--app-image-config "$SMIC_APP_IMAGE_CONFIG")
[ ${#args[@]} -gt 0 ] || fail "nothing to check: set at least one of the inputs image, dockerfile, app-image-config"
if [ -n "${SMIC_PROFILE:-}" ]; then
  # The profile is only passed to a CLI that knows the option, so older binaries keep working
  # when it is empty; asking one of them for a profile is an error, not a silently different check.
  "$BIN" check --help | grep -q -- '--profile' ||
    fail "this sm-image-check ($("$BIN" --version)) has no --profile option; leave the input 'profile' empty or use a newer binary"
  args+=(--profile "$SMIC_PROFILE")
fi
args+=(--fail-on "${SMIC_FAIL_ON:-error}" --color never --progress never)

FORMAT="${SMIC_FORMAT:-human}"
case "$FORMAT" in
  human | json | markdown | sarif) ;;
  *) fail "the input 'format' is '$FORMAT'; expected human, json, markdown or sarif" ;;
esac
SARIF="${SMIC_SARIF_FILE:-sm-image-check.sarif}"
REPORT="$TEMP/sm-image-check-report.$FORMAT"

# The exit status of the SARIF run is the verdict; the other formats are the same report.
status=0
rm -f "$SARIF" # a SARIF left by an earlier step must not pass for this one's
"$BIN" check "${args[@]}" --format sarif -o "$SARIF" || status=$?
if [ "$status" -gt 1 ] && [ ! -s "$SARIF" ]; then
  echo "exit-code=$status" >>"$OUTPUT"
  fail "sm-image-check could not run (exit status $status)"
fi
markdown="$TEMP/sm-image-check-report.markdown"
"$BIN" check "${args[@]}" --format markdown -o "$markdown" 2>/dev/null || true
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
fi
case "$FORMAT" in
  sarif) cp "$SARIF" "$REPORT" ;;
  markdown) ;;
  *) "$BIN" check "${args[@]}" --format "$FORMAT" -o "$REPORT" 2>/dev/null || true ;;
esac
cat "$REPORT"

{
  echo "exit-code=$status"
  echo "sarif-file=$SARIF"
  echo "report-file=$REPORT"
} >>"$OUTPUT"
case "$status" in
  0) ;;
  1) echo "::error title=sm-image-check::findings at or above '${SMIC_FAIL_ON:-error}' (see the job summary)" ;;
  *) echo "::error title=sm-image-check::the input could not be read (exit status $status; see the messages above)" ;;
esac
