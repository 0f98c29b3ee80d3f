#!/usr/bin/env python3
"""Runs the CLI on every hostile input (tests/hostile/make_corpus.py builds them into a temporary
folder) and asserts what it must answer — the exit status, a precise input error naming the
entry, or a specific finding — within a wall-time and peak-memory bound per case. Image archives
are checked twice: as a file (read with seeks) and piped to standard input (streamed).

    python3 tests/hostile/run.py [--cli BINARY] [--known-failure CASE]... [--keep DIR] [CASE...]

Exit status 0 when every case meets its expectation; the table says which did not and why. A
case named with --known-failure is expected to fail (a bug on record): it does not fail the run,
but passing does, so the flag is removed once the bug is fixed.
"""
import argparse
import glob
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_corpus  # noqa: E402

MB = 1024 * 1024
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@dataclass
class Expect:
    """What the CLI must answer for one case. `error` is a regex that one input error's `at` +
    message must match; `no_errors` forbids any; `findings` must all be reported."""
    exit: tuple = (1,)
    error: str = None
    no_errors: bool = False
    findings: tuple = ()
    stderr: str = None
    check: object = None  # a function of the JSON report returning an error text or None
    seconds: float = 10
    megabytes: int = 64
    input: str = "image"


CASES = {
    # Docker refuses a layer whose names climb out of it ("breakout"); the report must say which entry
    # (kept inside the root, as containerd does).
    "path-traversal": Expect(
        error=r"layer\.tar.*file /tmp/escaped: Layer 0 has an entry named \.\./\.\./\.\./\.\./tmp/escaped, which climbs out of "
        r"the layer's root\..*it is checked as /tmp/escaped\.",
        check=lambda r: None if not any(e["fatal"] for e in r["input_errors"]) else "a fatal input error",
    ),
    # Symbolic links may dangle or loop in a valid image: nothing to report, nothing to hang on.
    "symlink-loops": Expect(no_errors=True),
    # A hard link to a file not (yet) in the layer makes `docker load` fail: name the entry.
    "hardlink-loops": Expect(
        error=r"Layer 0 has a hard link /h/a to /h/b, which is neither earlier in the layer nor in a lower layer: `docker load` fails",
        check=lambda r: None
        if sum("hard link /h/" in e["message"] for e in r["input_errors"]) == 3
        else f"not 3 hard links reported (/h/a, /h/self, /h/nowhere): {[e['message'][:60] for e in r['input_errors']]}",
    ),
    # 2 GiB of zeros inflated from 2 MB, half of it in /etc/passwd: streamed, and the user is not found.
    "gzip-bomb": Expect(findings=("UID004",), seconds=30),
    "pax-100mb": Expect(error=r"layer\.tar.*extended.*header.*104857619 bytes"),
    "base256-size": Expect(error=r"layer\.tar.*ends in the middle of an entry"),
    "negative-size": Expect(error=r"layer\.tar.*bad size field"),
    "size-past-end": Expect(error=r"layer\.tar.*ends in the middle of an entry"),
    # Memory grows with the number of files; a million empty ones stay well under this bound.
    "million-entries": Expect(
        no_errors=True,
        check=lambda r: None if r["image"]["file_count"] >= 1_000_000 else f"file_count {r['image']['file_count']}",
        seconds=60,
        megabytes=512,
    ),
    # Three entries 20,000 bytes deep (10,000 folders): Linux allows 4,096 bytes (PATH_MAX), so extraction
    # would fail. Each is reported and left out, at no cost growing with the depth.
    "deep-paths": Expect(
        error=r"layer\.tar at offset \d+, offset \d+ inside the layer, file /d/d/d.*….*/d/file: Layer 0 has an entry whose path "
        r"is 20005 bytes long \(/d/d/d.*….*/d/file\), but Linux allows at most 4096 bytes \(PATH_MAX\).* left out of the checks\.",
        check=lambda r: None
        if len(r["input_errors"]) == 3 and not any(e["fatal"] for e in r["input_errors"])
        else f"{len(r['input_errors'])} input errors, expected 3 non-fatal",
        seconds=2,
        megabytes=16,
    ),
    "manifest-one-layer-1000-times": Expect(
        no_errors=True, check=lambda r: None if len(r["image"]["layers"]) == 1000 else f"{len(r['image']['layers'])} layers"
    ),
    "manifest-outside": Expect(error=r"names layer 0 as .*etc/passwd, which is not in the archive"),
    "manifest-absolute": Expect(error=r"names layer 0 as .*etc/passwd, which is not in the archive"),
    # The config is in the archive but larger than a config can be: say that, not "missing".
    "config-50mb": Expect(
        error=r"image config [0-9a-f]{64}\.json, which is in the archive but too large to read: 5\d{7} bytes, over the limit of 16 MiB"
    ),
    "config-deep": Expect(error=r"\.json.*recursion limit"),
    # Docker (Go's JSON decoder) keeps the last of duplicate keys; so must the check.
    "config-duplicate-keys": Expect(
        no_errors=True, check=lambda r: None if r["image"]["user"] == "sagemaker-user" else f"user {r['image']['user']!r}"
    ),
    "non-utf8-names": Expect(no_errors=True, check=lambda r: None if r["image"]["file_count"] >= 5 else "entries lost"),
    "app-image-config-50mb": Expect(input="app-image-config", findings=("KERN006",), seconds=30, megabytes=320),
    "app-image-config-deep": Expect(
        input="app-image-config", exit=(2,), stderr=r"aic-deep\.json \(line 1, column \d+\): not valid JSON: recursion limit"
    ),
    "app-image-config-duplicate-keys": Expect(
        input="app-image-config",
        findings=("KERN006",),
        check=lambda r: None if "dup2" in json.dumps(r["findings"]) else "the last AppImageConfigName did not win",
    ),
    "app-image-config-non-utf8": Expect(input="app-image-config", exit=(2,), stderr=r"aic-non-utf8\.json \(line 1, column \d+\)"),
    "app-image-config-too-large": Expect(input="app-image-config", exit=(2,), stderr=r"aic-too-large\.json: \d+ bytes is too large"),
}
assert set(CASES) == set(make_corpus.BUILDERS), "every built case has an expectation"


GNU_TIME = "/usr/bin/time"


def measure(cli, args, stdin_path, out_json, limit):
    """Runs the CLI, killed after `limit` s; returns (exit status, seconds, peak resident MB or
    None, stderr). The peak comes from GNU time (`%M`): a child forked from this Python process
    would count Python's own pages before the exec, so getrusage here would overstate small peaks."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r") as peak_file, tempfile.TemporaryFile() as err:
        command = [cli, *args, "--format", "json", "-o", out_json]
        if os.access(GNU_TIME, os.X_OK):
            command = [GNU_TIME, "-f", "%M", "-o", peak_file.name, *command]
        started = time.monotonic()
        child = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        seconds = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        peak = peak_file.read().strip().splitlines()
    if stdin_path:
        stdin.close()
    # GNU time reports the command's status on its first line when it is not 0.
    stderr = "\n".join(line for line in stderr.splitlines() if not line.startswith("Command exited with non-zero status"))
    megabytes = int(peak[-1]) / 1024 if peak and peak[-1].isdigit() else None
    return child.returncode, seconds, megabytes, stderr


def judge(name, expect, status, seconds, megabytes, stderr, out_json):
    problems = []
    if status not in expect.exit:
        problems.append(f"exit status {status}, expected {' or '.join(map(str, expect.exit))}")
    if "panicked" in stderr or status == 101:
        problems.append("panic: " + stderr.strip().splitlines()[-1] if stderr.strip() else "panic")
    if seconds > expect.seconds:
        problems.append(f"{seconds:.1f} s > {expect.seconds} s")
    if megabytes is not None and megabytes > expect.megabytes:
        problems.append(f"{megabytes:.0f} MB > {expect.megabytes} MB")
    if expect.stderr and not re.search(expect.stderr, stderr):
        problems.append(f"stderr does not match /{expect.stderr}/: {stderr.strip()[:300]!r}")
    report = None
    if os.path.exists(out_json) and os.path.getsize(out_json) > 0:
        with open(out_json, encoding="utf-8") as f:
            report = json.load(f)
    needs_report = expect.error or expect.no_errors or expect.findings or expect.check
    if needs_report and report is None:
        problems.append("no JSON report written")
    if report is not None:
        errors = [f"{e.get('file', '')} {e.get('at') or ''}: {e['message']}" for e in report.get("input_errors", [])]
        if expect.error and not any(re.search(expect.error, e) for e in errors):
            problems.append(f"no input error matches /{expect.error}/; input errors: {errors[:3]}")
        if expect.no_errors and errors:
            problems.append(f"unexpected input errors: {errors[:3]}")
        rules = {f["rule"] for f in report.get("findings", [])}
        for rule in expect.findings:
            if rule not in rules:
                problems.append(f"finding {rule} missing (found {sorted(rules)})")
        if expect.check and (problem := expect.check(report)):
            problems.append(problem)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", help="the sm-image-check binary to test (default: the static one release/build.sh made)")
    parser.add_argument("--keep", help="build the corpus into this folder and keep it")
    parser.add_argument("--known-failure", action="append", default=[], metavar="CASE", help="a case expected to fail")
    parser.add_argument("cases", nargs="*", help="cases to run (default: all)")
    options = parser.parse_intermixed_args()
    names = options.cases or list(CASES)
    unknown = (set(names) | set(options.known_failure)) - set(CASES)
    if unknown:
        sys.exit(f"unknown case(s): {', '.join(sorted(unknown))}")
    if not options.cli:
        built = glob.glob(os.path.join(REPO, "target/release-artifacts/sm-image-check-*-x86_64-unknown-linux-musl"))
        if len(built) != 1:
            sys.exit("no --cli, and not one release binary in target/release-artifacts/ (run release/build.sh)")
        options.cli = built[0]
    cli = os.path.abspath(options.cli)
    with tempfile.TemporaryDirectory(prefix="smic-hostile-") as temp:
        folder = options.keep or temp
        started = time.monotonic()
        paths = make_corpus.write(folder, names)
        print(f"built {len(paths)} hostile inputs in {time.monotonic() - started:.0f} s ({folder})")
        failed, known, fixed = [], set(), set()
        print(f"{'case':34} {'read':6} {'exit':>4} {'seconds':>8} {'peak MB':>8}  result")
        for name in names:
            expect, path = CASES[name], paths[name]
            modes = [("file", [path], None)]
            if expect.input == "image":
                modes.append(("stdin", ["-"], path))
            else:
                modes = [("file", ["--app-image-config", path], None)]
            for mode, target, stdin_path in modes:
                out_json = os.path.join(temp, f"{name}.{mode}.json")
                status, seconds, megabytes, stderr = measure(cli, ["check", *target], stdin_path, out_json, expect.seconds * 5)
                problems = judge(name, expect, status, seconds, megabytes, stderr, out_json)
                verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
                if name in options.known_failure:
                    verdict = "known failure: " + "; ".join(problems) if problems else "FIXED (drop --known-failure)"
                    (known if problems else fixed).add(name)
                    problems = []
                peak = "n/a" if megabytes is None else f"{megabytes:.0f}"
                print(f"{name:34} {mode:6} {status:>4} {seconds:>8.2f} {peak:>8}  {verdict}", flush=True)
                if problems:
                    failed.append(f"{name} ({mode})")
    if known:
        print(f"\nknown failures (bugs on record): {', '.join(sorted(known))}")
    fixed -= known
    if fixed:
        print(f"\nnow passing, drop --known-failure: {', '.join(sorted(fixed))}")
        return 1
    if failed:
        print(f"\n{len(failed)} hostile case(s) failed: {', '.join(failed)}")
        print(f"reproduce one: python3 tests/hostile/make_corpus.py DIR CASE, then {options.cli} check DIR/FILE --format json")
        return 1
    print("\nevery hostile case met its expectation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
