"""The pre-commit hooks, installed and run by the real pre-commit, offline.

Each test writes the README's pre-commit snippet into a throwaway git repository, with
`repo:` pointing at a copy of this checkout committed in its own git repository and `rev:`
at that commit: exactly what the README tells a user to do before promptlint is published.
pre-commit then clones it and builds the hook's environment with pip, pointed at a
wheelhouse made from the test environment (`PIP_NO_INDEX`, `PIP_FIND_LINKS`). The hook
environment is built once per session (a shared `PRE_COMMIT_HOME`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_cli import PLANTED
from wheelhouse import git, offline_pip_environment

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
PLACEHOLDER_REPO, PLACEHOLDER_REV = "/path/to/promptlint", "0" * 40

CLEAN = PLANTED.replace('"gpt-3.5-turbo"', '"gpt-6-luna"')


def readme_snippet() -> str:
    """The YAML of the README's pre-commit section, exactly as documented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- pre-commit-snippet:start -->\n```yaml\n(.*?)```\n<!-- pre-commit-snippet:end -->", readme, re.S)
    assert match, "the README's pre-commit snippet markers are missing"
    return match.group(1)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(PRE_COMMIT).exists():
        pytest.skip("pre-commit (a test extra) is needed")
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path, checkout_repository, offline_wheelhouse, pre_commit_home):
    """A git repository using the README's snippet; returns (path, run-pre-commit)."""
    hook_repo, sha = checkout_repository
    snippet = readme_snippet()
    assert PLACEHOLDER_REPO in snippet and PLACEHOLDER_REV in snippet
    config = snippet.replace(PLACEHOLDER_REPO, str(hook_repo)).replace(PLACEHOLDER_REV, sha)
    path = tmp_path / "project"
    path.mkdir()
    git("init", "-q", cwd=path)
    (path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {
        **os.environ,
        **offline_pip_environment(offline_wheelhouse),
        "PRE_COMMIT_HOME": str(pre_commit_home),
        "NO_COLOR": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PRE_COMMIT, "run", *args], cwd=path, env=env, capture_output=True, text=True, timeout=600)

    return path, run


def test_manifest_declares_check_and_fix_hooks() -> None:
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert set(by_id) == {"promptlint", "promptlint-fix"}
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
        assert hook["entry"].split()[:2] == ["promptlint", "check"]
    assert "--fix" in by_id["promptlint-fix"]["entry"]
    assert "--unsafe-fixes" in by_id["promptlint-fix"]["description"]  # how to make it do something


def test_readme_snippet_fails_on_a_planted_problem_and_passes_on_a_clean_file(project) -> None:
    path, run = project
    (path / "bot.py").write_text(PLANTED, encoding="utf-8")
    git("add", "-A", cwd=path)
    failing = run("promptlint", "--all-files")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert re.search(r"^bot\.py:8:15: PRM402 ", failing.stdout, re.M), failing.stdout

    (path / "bot.py").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=path)
    passing = run("promptlint", "--all-files")
    assert passing.returncode == 0, passing.stdout + passing.stderr


def test_fix_hook_writes_only_the_files_it_was_given(project) -> None:
    path, run = project
    shutil.copytree(ROOT / "tests" / "fixtures" / "cli" / "crossfile" / "helpdesk", path / "helpdesk")
    triage = path / "helpdesk" / "triage.py"
    prompts = path / "helpdesk" / "prompts.py"
    git("add", "-A", cwd=path)
    git("commit", "-q", "--no-verify", "-m", "help desk", cwd=path)
    # The documented way to use the fix hook: uncomment it, with its args.
    config = path / ".pre-commit-config.yaml"
    config.write_text(re.sub(r"^(\s*)# (- id: promptlint-fix|  args: \[--unsafe-fixes\])", r"\1\2", config.read_text(), flags=re.M))
    assert "- id: promptlint-fix" in config.read_text() and "args: [--unsafe-fixes]" in config.read_text()
    # A change to triage.py only; the prompt it sends (in prompts.py) has an unsafe fix too.
    triage.write_text(triage.read_text().replace('"gpt-6-luna"', '"gpt-3.5-turbo"'), encoding="utf-8")
    git("add", "-A", cwd=path)
    before = prompts.read_bytes()

    fixing = run("promptlint-fix")  # pre-commit passes the staged files: triage.py
    output = fixing.stdout + fixing.stderr
    assert fixing.returncode == 1, output  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in output
    assert '"gpt-3.5-turbo"' not in triage.read_text()  # the given file was fixed ...
    assert prompts.read_bytes() == before  # ... the other one was not touched
    assert re.search(r"helpdesk/prompts\.py:\d+:\d+: PRM101 fix not applied .*not among the paths given", output), output

    git("add", "-A", cwd=path)
    again = run("promptlint-fix")
    assert "files were modified by this hook" not in again.stdout + again.stderr
    assert prompts.read_bytes() == before


def test_a_commit_changing_only_a_prompts_module_rechecks_the_calls_that_send_it(project) -> None:
    """prompts.py holds no SDK call; the call in triage.py sends its TRIAGE. Committing a
    wordier TRIAGE alone must fail the hook, with the finding in prompts.py."""
    path, run = project
    shutil.copytree(ROOT / "tests" / "fixtures" / "cli" / "crossfile" / "helpdesk", path / "helpdesk")
    prompts = path / "helpdesk" / "prompts.py"
    verbose = prompts.read_text(encoding="utf-8")
    prompts.write_text('TRIAGE = "Answer with one word: billing, bug, account or other."\n', encoding="utf-8")
    git("add", "-A", cwd=path)
    git("commit", "-q", "--no-verify", "-m", "help desk", cwd=path)
    assert run("promptlint").returncode == 0  # nothing staged yet

    prompts.write_text(verbose, encoding="utf-8")
    git("add", "-A", cwd=path)
    checked = run("promptlint")  # pre-commit passes the staged files: prompts.py only
    output = checked.stdout + checked.stderr
    assert checked.returncode == 1, output
    assert re.search(r"^helpdesk/prompts\.py:\d+:\d+: PRM101 ", checked.stdout, re.M), output
    assert "triage.py:" not in checked.stdout  # read for its call, not reported
