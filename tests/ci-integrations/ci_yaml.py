#!/usr/bin/env python3
"""Runs the shell of a CI definition here, the way its CI service would, so tests exercise the
files users copy rather than a paraphrase of them. Needs PyYAML (the pre-commit venv has it).

    ci_yaml.py action ACTION_YML NAME=VALUE...   run action.yml's `run:` steps with these inputs
    ci_yaml.py gitlab GITLAB_YML NAME=VALUE...   run the job's before_script and script with these variables

Both run in the current folder and exit with the job's status. For the action, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY and RUNNER_TEMP come from the environment; `uses:` steps (the SARIF upload)
cannot run here and are only checked to read the check step's output.
"""
import os
import re
import subprocess
import sys

import yaml


def action(path, values):
    spec = yaml.safe_load(open(path))
    inputs = {name: str(d.get("default", "")) for name, d in spec["inputs"].items()}
    unknown = set(values) - set(inputs)
    if unknown:
        raise ValueError(f"action.yml has no input(s) {sorted(unknown)}")
    inputs.update(values)
    outputs = {}
    output_file = os.environ["GITHUB_OUTPUT"]

    def expand(text):
        def value(match):
            expression = match.group(1).strip()
            if expression == "github.action_path":
                return os.path.dirname(os.path.abspath(path))
            if m := re.fullmatch(r"inputs\.([\w-]+)", expression):
                return inputs[m.group(1)]
            if m := re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", expression):
                return outputs.get(m.group(1), {}).get(m.group(2), "")
            raise ValueError(f"cannot evaluate ${{{{ {expression} }}}} here")

        return re.sub(r"\$\{\{(.*?)\}\}", value, str(text))

    for step in spec["runs"]["steps"]:
        if "uses" in step:
            assert "steps.check.outputs.sarif-file" in step["with"]["sarif_file"], "the upload reads the check's SARIF"
            continue
        env = dict(os.environ, **{k: expand(v) for k, v in step.get("env", {}).items()})
        open(output_file, "w").close()
        # GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
        assert step["shell"] == "bash"
        status = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"])], env=env).returncode
        if step.get("id"):
            with open(output_file) as f:
                outputs[step["id"]] = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        if status != 0:
            return status
    return 0


def gitlab(path, values):
    spec = yaml.safe_load(open(path))
    (job,) = [v for k, v in spec.items() if isinstance(v, dict) and "script" in v]
    variables = {k: str(v) for k, v in job.get("variables", {}).items()}
    variables.update(values)
    # The runner stops at the first command that fails, as `set -e` does.
    script = "set -eo pipefail\n" + "\n".join(job.get("before_script", []) + job["script"])
    return subprocess.run(["bash", "-c", script], env=dict(os.environ, **variables)).returncode


if __name__ == "__main__":
    kind, path, *pairs = sys.argv[1:]
    values = dict(pair.split("=", 1) for pair in pairs)
    try:
        status = {"action": action, "gitlab": gitlab}[kind](path, values)
    except Exception as e:  # a broken CI file: not to be mistaken for the job's own status 1 or 2
        print(f"ci_yaml.py: {path}: {type(e).__name__}: {e}", file=sys.stderr)
        status = 3
    sys.exit(status)
