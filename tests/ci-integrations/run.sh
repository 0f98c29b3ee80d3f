#!/usr/bin/env bash
# Tests the channels the checker ships through, as their users run them:
#   1. release/build.sh: the artifacts and their checksums; the static binary links no shared
#      library and checks the bundled demo;
#   2. the GitHub Action (action.yml's steps run as the runner runs them);
#   3. the pre-commit hooks (`pre-commit try-repo` on a sample repository);
#   4. the GitLab CI job (its before_script and script lines).
# Uses the page in dist/ when Trunk has built it (SMIC_SKIP_TRUNK=1), as tests/run-all.sh does
# before this; needs the pre-commit venv that tests/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
TOOLS="${SMIC_TOOLS_DIR:-$HOME/.cache/sm-image-check-tools}"
PRE_COMMIT="$TOOLS/pre-commit/bin/pre-commit"
PYYAML="$TOOLS/pre-commit/bin/python"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
OUT="${SMIC_RELEASE_OUT:-target/release-artifacts}"

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() { # WANT COMMAND...: runs it, fails unless it exits with WANT
  local want=$1 status=0
  shift
  "$@" || status=$?
  [ "$status" = "$want" ] || fail "exit status $status, expected $want: $*"
}

echo "--- 1. release artifacts"
[ -f dist/index.html ] && export SMIC_SKIP_TRUNK=1
bash release/build.sh "$OUT" >"$WORK/release.log" 2>&1 || { cat "$WORK/release.log"; fail "release/build.sh"; }
(cd "$OUT" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
VERSION="$(cargo pkgid -p sm-image-check | sed 's/.*[#@]//')"
BIN="$REPO/$OUT/sm-image-check-$VERSION-x86_64-unknown-linux-musl"
ARM="$OUT/sm-image-check-$VERSION-aarch64-unknown-linux-musl"
PAGE="$OUT/sm-image-check-$VERSION.html"
for artifact in "$BIN" "$ARM" "$PAGE"; do [ -s "$artifact" ] || fail "$artifact is missing"; done
grep -q '<html' "$PAGE" || fail "$PAGE is not the page"
for binary in "$BIN" "$ARM"; do
  # No program interpreter and no DT_NEEDED: the kernel runs it with no dynamic loader or library.
  readelf -lW "$binary" | grep -q 'INTERP' && fail "$binary asks for a program interpreter"
  readelf -dW "$binary" | grep -q '(NEEDED)' && fail "$binary needs a shared library"
  echo "$(basename "$binary"): $(stat -c %s "$binary") bytes; $(file -b "$binary" | cut -d, -f1-5)"
done
ldd "$BIN" 2>&1 | grep -Eq 'statically linked|not a dynamic executable' || fail "ldd: $(ldd "$BIN" 2>&1)"
echo "ldd: $(ldd "$BIN" 2>&1 | tr -d '\t')"
cargo run --quiet --locked -p smic-engine --example write_demo "$WORK/demo" >/dev/null
expect_status 1 "$BIN" check "$WORK/demo/demo-image.tar" --dockerfile "$WORK/demo/Dockerfile" \
  --app-image-config "$WORK/demo/app-image-config.json" --format json -o "$WORK/demo.json"
python3 - "$WORK/demo.json" <<'PY' || fail "the static binary's report of the demo"
import json, sys
report = json.load(open(sys.argv[1]))
errors = [f["rule"] for f in report["findings"] if f["severity"] == "error"]
assert report["image"]["layers"] and len(errors) == 5, errors
print(f"static binary on the demo: {len(errors)} errors ({', '.join(errors)}), as the dynamic build reports")
PY

GOOD="$WORK/good"
mkdir -p "$GOOD"
cat >"$GOOD/Dockerfile" <<'DOCKERFILE'
FROM public.ecr.aws/docker/library/python:3.11-slim
RUN pip install --no-cache-dir ipykernel && python -m ipykernel install --sys-prefix
RUN useradd --create-home --shell /bin/bash --uid 1000 --gid 100 sagemaker-user
USER sagemaker-user
DOCKERFILE
printf '{"AppImageConfigName": "good", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}\n' >"$GOOD/app-image-config.json"

echo "--- 2. GitHub Action"
run_action() { # FOLDER NAME=VALUE...: runs action.yml's steps in FOLDER as the runner does
  local folder=$1
  shift
  export GITHUB_OUTPUT="$WORK/github-output" GITHUB_STEP_SUMMARY="$WORK/summary.md" RUNNER_TEMP="$WORK/runner-temp"
  : >"$GITHUB_STEP_SUMMARY"
  mkdir -p "$RUNNER_TEMP"
  (cd "$folder" && "$PYYAML" "$REPO/tests/ci-integrations/ci_yaml.py" action "$REPO/action.yml" binary="$BIN" "$@")
}
expect_status 1 run_action "$WORK/demo" image=demo-image.tar dockerfile=Dockerfile app-image-config=app-image-config.json >"$WORK/action.log"
python3 - "$WORK/demo/sm-image-check.sarif" "$WORK/summary.md" "$WORK/action.log" <<'PY' || fail "the action's SARIF, summary or log"
import json, sys
sarif = json.load(open(sys.argv[1]))
results = sarif["runs"][0]["results"]
assert sum(r["level"] == "error" for r in results) == 5, results
summary = open(sys.argv[2]).read()
assert summary.startswith("## ") and "5 errors" in summary and "| Archive | `demo-image.tar`" in summary, summary[:300]
log = open(sys.argv[3]).read()
assert "Summary: 5 errors" in log and "::error title=sm-image-check::findings at or above 'error'" in log, log[-500:]
print(f"action: SARIF with {len(results)} results, a {len(summary.splitlines())}-line Markdown summary, the human report in the log")
PY
expect_status 0 run_action "$GOOD" dockerfile=Dockerfile app-image-config=app-image-config.json format=json >"$WORK/action-good.log"
grep -q '"verdict"' "$WORK/action-good.log" || fail "format=json did not print the JSON report"
if "$BIN" check --help | grep -q -- '--profile'; then
  expect_status 0 run_action "$GOOD" dockerfile=Dockerfile profile=studio-classic >/dev/null
else
  expect_status 2 run_action "$GOOD" dockerfile=Dockerfile profile=studio-classic >"$WORK/action-profile.log"
  grep -q 'has no --profile option' "$WORK/action-profile.log" || fail "the profile input on a CLI without --profile"
fi
# With no `binary`, the action builds the CLI from its source (cargo reuses target/release here).
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}" run_action "$GOOD" binary= dockerfile=Dockerfile >"$WORK/action-build.log" 2>&1 ||
  { cat "$WORK/action-build.log"; fail "the action building its CLI"; }
[ -x "$WORK/runner-temp/sm-image-check/bin/sm-image-check" ] || fail "the action did not install the CLI"
expect_status 2 run_action "$GOOD" >"$WORK/action-empty.log"
grep -q 'nothing to check' "$WORK/action-empty.log" || fail "the action with no input"
expect_status 2 run_action "$GOOD" dockerfile=Dockerfile format=xml >"$WORK/action-format.log"
grep -q "the input 'format' is 'xml'" "$WORK/action-format.log" || fail "a bad format input"
expect_status 2 run_action "$GOOD" dockerfile=Dockerfile fail-on=never >"$WORK/action-fail-on.log" 2>&1
grep -q 'could not run (exit status 2)' "$WORK/action-fail-on.log" || fail "a bad fail-on input"
echo "action: a clean Dockerfile passes; no input, a profile the CLI lacks, a bad format or fail-on fail with a message"

echo "--- 3. pre-commit hooks"
[ -x "$PRE_COMMIT" ] || fail "pre-commit is not installed (bash tests/setup.sh)"
SAMPLE="$WORK/sample"
mkdir -p "$SAMPLE/bad" "$SAMPLE/good"
cp "$GOOD/Dockerfile" "$GOOD/app-image-config.json" "$SAMPLE/good/"
cp "$WORK/demo/Dockerfile" "$SAMPLE/bad/Dockerfile"
printf '{"AppImageConfigName": "bad", "KernelGatewayImageConfig": {"KernelSpecs": []}}\n' >"$SAMPLE/bad/app-image-config.json"
git -C "$SAMPLE" init --quiet
git -C "$SAMPLE" add -A
try_repo() { # HOOK FILE...: the hook on these files, from this repository's HEAD and worktree
  (cd "$SAMPLE" && SMIC_BINARY="$BIN" PRE_COMMIT_HOME="$WORK/pre-commit-home" "$PRE_COMMIT" try-repo "$REPO" "$1" --files "${@:2}")
}
try_repo sm-image-check-dockerfile good/Dockerfile >"$WORK/hook.log" 2>&1 || { cat "$WORK/hook.log"; fail "a good Dockerfile fails the hook"; }
grep -q 'sm-image-check (Dockerfile)\.*Passed' "$WORK/hook.log" || fail "the Dockerfile hook did not run: $(cat "$WORK/hook.log")"
expect_status 1 try_repo sm-image-check-dockerfile bad/Dockerfile >"$WORK/hook.log" 2>&1
grep -q 'sm-image-check (Dockerfile)\.*Failed' "$WORK/hook.log" && grep -q 'UID001' "$WORK/hook.log" ||
  fail "the bad Dockerfile's findings are not shown: $(cat "$WORK/hook.log")"
try_repo sm-image-check-app-image-config good/app-image-config.json >"$WORK/hook.log" 2>&1 || fail "a good config fails the hook"
expect_status 1 try_repo sm-image-check-app-image-config bad/app-image-config.json >"$WORK/hook.log" 2>&1
grep -q 'KERN006' "$WORK/hook.log" || fail "the bad config's finding is not shown: $(cat "$WORK/hook.log")"
echo "pre-commit: the good Dockerfile and config pass, the bad ones fail with their findings"

echo "--- 4. GitLab CI job"
run_gitlab() { # FOLDER NAME=VALUE...: the job's lines in FOLDER
  local folder=$1
  shift
  (cd "$folder" && "$PYYAML" "$REPO/tests/ci-integrations/ci_yaml.py" gitlab "$REPO/integrations/gitlab-ci.yml" "$@")
}
# The download lines too: a file: URL stands in for the release's, with its checksum.
expect_status 1 run_gitlab "$WORK/demo" SMIC_BINARY_URL="file://$BIN" SMIC_BINARY_SHA256="$(sha256sum "$BIN" | cut -d' ' -f1)" \
  SMIC_IMAGE=demo-image.tar SMIC_APP_IMAGE_CONFIG=app-image-config.json >"$WORK/gitlab.log" 2>&1
[ -x "$WORK/demo/sm-image-check" ] || fail "before_script did not fetch the binary: $(cat "$WORK/gitlab.log")"
python3 - "$WORK/demo/gl-code-quality-report.json" <<'PY' || fail "the Code Quality report"
import json, sys
issues = json.load(open(sys.argv[1]))
assert sum(i["severity"] == "critical" for i in issues) == 5, issues
for i in issues:
    assert i["check_name"] and i["description"] and i["location"]["path"] and i["location"]["lines"]["begin"] >= 1, i
assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints are unique"
print(f"gitlab: a Code Quality report of {len(issues)} issues from the SARIF")
PY
expect_status 0 run_gitlab "$GOOD" SMIC_BINARY="$BIN" SMIC_APP_IMAGE_CONFIG=app-image-config.json >"$WORK/gitlab.log" 2>&1
grep -q '"check_name"' "$GOOD/gl-code-quality-report.json" || fail "the clean run wrote no report"
# docs/ci.md shows the job; it must be the file the test runs.
python3 - docs/ci.md integrations/gitlab-ci.yml <<'PY' || fail "docs/ci.md's GitLab job differs from integrations/gitlab-ci.yml"
import sys
docs, job = open(sys.argv[1]).read(), open(sys.argv[2]).read()
assert "```yaml\n" + job + "```" in docs
PY
echo "gitlab: the job fails on the demo's errors and passes a clean Dockerfile"
echo "ci integrations: all passed"
