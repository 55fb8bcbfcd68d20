"""The composite GitHub Action (`action.yml`), its steps run as a script the way the runner
runs them: each `run:` step through `bash --noprofile --norc -eo pipefail`, with its `env:`
expressions resolved from the inputs (defaults, overridden per test), `github.action_path`
(a copy of this checkout), `runner.temp`, and `GITHUB_OUTPUT`. Steps that `uses:` another
action are GitHub's to run: the test checks when their `if:` lets them run.

The install step really installs promptlint into a fresh virtual environment from the
action's checkout, with pip pointed at a wheelhouse of the test environment (offline).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_cli import PLANTED
from wheelhouse import copy_checkout, offline_pip_environment

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")



class Runner:
    """Just enough of the Actions runner for this action: contexts and `if:` conditions."""

    def __init__(self, inputs: dict[str, str], action_path: Path, temp: Path) -> None:
        unknown = set(inputs) - set(ACTION["inputs"])
        assert not unknown, f"not inputs of action.yml: {unknown}"
        defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        self.context = {
            "inputs": {**defaults, **inputs},
            "github": {"action_path": str(action_path)},
            "runner": {"temp": str(temp)},
        }

    def value(self, expression: str) -> Any:
        expression = expression.strip()
        if expression.startswith("'") and expression.endswith("'"):
            return expression[1:-1]
        scope, _, name = expression.partition(".")
        return self.context[scope][name]

    def condition(self, text: str) -> bool:
        """`a == 'x' && b == 'y'` style conditions, which is all action.yml uses."""
        results = []
        for clause in text.split("&&"):
            left, operator, right = re.fullmatch(r"\s*(\S+)\s*(==|!=)\s*(\S+)\s*", clause).groups()
            equal = str(self.value(left)) == str(self.value(right))
            results.append(equal if operator == "==" else not equal)
        return all(results)

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: str(self.value(match.group(1))), text)


def run_action(inputs: dict[str, str], workspace: Path, action_path: Path, wheelhouse: Path, temp: Path):
    """Run the action's steps in order, as the runner would; returns (completed steps, skipped uses:)."""
    runner = Runner(inputs, action_path, temp)
    output_file = temp / "github_output"
    output_file.touch()
    completed: list[tuple[str, subprocess.CompletedProcess[str]]] = []
    uses: list[str] = []
    for step in ACTION["runs"]["steps"]:
        if "if" in step and not runner.condition(step["if"]):
            continue
        if "uses" in step:
            uses.append(step["uses"])
            continue
        assert step["shell"] == "bash"
        assert not EXPRESSION.search(step["run"]), "inputs reach scripts through env:, never spliced into them"
        env = {
            **os.environ,
            **offline_pip_environment(wheelhouse),
            **{key: runner.substitute(str(value)) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(temp),
        }
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        completed.append((step["name"], process))
        if process.returncode != 0:
            break
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
    return completed, uses, outputs


@pytest.fixture(scope="module")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The action's checkout, as `uses: OWNER/promptlint@REF` fetches it."""
    return copy_checkout(tmp_path_factory.mktemp("action"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    (path / "src").mkdir(parents=True)
    (path / "src" / "bot.py").write_text(PLANTED, encoding="utf-8")
    return path


def test_action_declares_a_documented_composite_action() -> None:
    assert ACTION["runs"]["using"] == "composite"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ACTION["inputs"]:
        assert f"`{name}`" in readme, f"input {name} is not documented in the README"


def test_annotations_fail_the_step_on_findings(workspace: Path, action_path: Path, offline_wheelhouse: Path, tmp_path: Path) -> None:
    steps, uses, _ = run_action({"paths": "src"}, workspace, action_path, offline_wheelhouse, tmp_path)
    (install_name, install), (check_name, check) = steps
    assert install.returncode == 0, install.stdout + install.stderr
    assert re.match(r"promptlint, version ", install.stdout)
    assert check.returncode == 1, check.stderr  # findings fail the job
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(re.match(r"::(warning|error) file=src/bot\.py,line=\d+,", line) for line in annotations)
    assert uses == []  # nothing to upload


def test_sarif_is_written_and_uploaded(workspace: Path, action_path: Path, offline_wheelhouse: Path, tmp_path: Path) -> None:
    steps, uses, outputs = run_action(
        {"output": "sarif", "args": "--select PRM4"}, workspace, action_path, offline_wheelhouse, tmp_path
    )
    assert [process.returncode for _, process in steps] == [0, 0], [p.stderr for _, p in steps]
    assert uses == ["github/codeql-action/upload-sarif@v3"]
    report = json.loads((workspace / outputs["sarif-file"]).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(report)
    (run,) = report["runs"]
    assert {result["ruleId"] for result in run["results"]} == {"PRM402"}  # args reached the command
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]}
    assert uris == {"src/bot.py"}
    upload = next(step for step in ACTION["runs"]["steps"] if "uses" in step)
    runner = Runner({"output": "sarif", "upload-sarif": "false"}, action_path, tmp_path)
    assert not runner.condition(upload["if"])

    # A tool error (an unknown rule code: exit 2) fails the step, findings do not.
    steps, _, _ = run_action({"output": "sarif", "args": "--select PRM999"}, workspace, action_path, offline_wheelhouse, tmp_path)
    (_, install), (_, check) = steps
    assert install.returncode == 0
    assert check.returncode == 2 and "unknown rule code 'PRM999'" in check.stderr
