"""The pre-commit hooks, run by the real pre-commit in a throwaway git repository.

The hooks from `.pre-commit-hooks.yaml` are used as a local-repo configuration with
`language: system`, pointing at the installed `promptlint`, so the test needs no network
(pre-commit would otherwise build a fresh environment from PyPI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
PROMPTLINT = shutil.which("promptlint") or str(Path(sys.executable).parent / "promptlint")
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

PLANTED = '''\
from openai import OpenAI

client = OpenAI()


def answer(question: str) -> str:
    response = client.chat.completions.create(
        model="gpt-3.5-turbo",
        messages=[{"role": "user", "content": question}],
    )
    return response.choices[0].message.content or ""
'''
CLEAN = PLANTED.replace('"gpt-3.5-turbo"', '"gpt-6-luna"')


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None or not Path(PRE_COMMIT).exists():
        pytest.skip("git and pre-commit are needed")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    project = tmp_path / "project"
    project.mkdir()
    _run(["git", "init", "-q"], project, env)
    hooks = []
    for hook in HOOKS:
        command = hook["entry"].split()
        assert command[0] == "promptlint"
        hooks.append(
            {
                "id": hook["id"],
                "name": hook["name"],
                "entry": " ".join([PROMPTLINT, *command[1:], "--no-cache"]),
                "language": "system",
                "types": hook["types"],
            }
        )
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project, env


def test_manifest_declares_check_and_fix_hooks() -> None:
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert set(by_id) == {"promptlint", "promptlint-fix"}
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
    assert "--fix" in by_id["promptlint-fix"]["entry"]


def test_hook_fails_on_planted_problem_and_passes_on_clean_file(repo) -> None:
    project, env = repo
    (project / "bot.py").write_text(PLANTED, encoding="utf-8")
    _run(["git", "add", "-A"], project, env)
    failing = _run([PRE_COMMIT, "run", "promptlint", "--all-files"], project, env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "PRM402" in failing.stdout

    (project / "bot.py").write_text(CLEAN, encoding="utf-8")
    _run(["git", "add", "-A"], project, env)
    passing = _run([PRE_COMMIT, "run", "promptlint", "--all-files"], project, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
