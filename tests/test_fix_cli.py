"""Fixes on disk through the installed `promptlint`: `--fix`, `--unsafe-fixes`, `--diff`.

Fix safety is checked on copies of `examples/` and of the fixture projects: after
`--fix --unsafe-fixes` every file still compiles, a second run changes nothing, `--diff`
writes nothing, and the exit code says whether findings remain.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import FIXTURES, copy_fixtures, promptlint

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIXTURE_PROJECTS = ("plain", "configured", "suppressed", "crossfile")
SUMMARY = re.compile(r"Found \d+ problems? \((?P<fixed>\d+) fixed, (?P<remaining>\d+) remaining")


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `root` (the results cache aside): its bytes and its mode."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mode)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".promptlint_cache" not in path.parts
    }


def changed(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    assert set(before) == set(after), set(before) ^ set(after)
    return {name for name in before if before[name] != after[name]}


def assert_compiles(root: Path, tmp_path: Path) -> None:
    """`python -m py_compile` on every Python file below `root`, bytecode kept out of the tree."""
    sources = sorted(str(path) for path in root.rglob("*.py"))
    assert sources
    process = subprocess.run(
        [sys.executable, "-m", "py_compile", *sources],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")},
        timeout=300,
    )
    assert process.returncode == 0, process.stderr


def json_findings(cwd: Path, *args: str) -> list[dict]:
    run = promptlint("check", "--no-cache", "--output-format", "json", *args, cwd=cwd)
    assert run.code in (0, 1), run.err
    return run.json()


def _write_windows_style_copy(source: Path, target: Path) -> None:
    """`source` saved with a UTF-8 BOM, CRLF line endings and an executable mode."""
    text = source.read_text(encoding="utf-8").replace("\n", "\r\n")
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    target.chmod(0o755)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Copies of examples/ (when present) and of every fixture project, under `tmp_path/tree`."""
    root = tmp_path / "tree"
    root.mkdir()
    copy_fixtures(root, *FIXTURE_PROJECTS)
    if EXAMPLES.is_dir():
        shutil.copytree(EXAMPLES, root / "examples")
    (root / "windows").mkdir()
    _write_windows_style_copy(FIXTURES / "plain" / "app.py", root / "windows" / "app.py")
    return root


def test_unsafe_fixes_keep_every_file_compiling_and_reach_a_fixed_point(tree: Path, tmp_path: Path) -> None:
    paths = sorted(entry.name for entry in tree.iterdir())
    before = snapshot(tree)
    fixable = [
        f for f in json_findings(tree, *paths) if f["fix"] is not None and f["fix"]["applicability"] != "display-only"
    ]
    assert fixable

    first = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", *paths, cwd=tree)
    assert first.code in (0, 1), first.err
    after_first = snapshot(tree)
    assert {f["filename"] for f in fixable} <= changed(before, after_first)
    assert_compiles(tree, tmp_path)
    summary = SUMMARY.search(first.out)
    assert summary and int(summary["fixed"]) >= len(fixable)
    remaining = json_findings(tree, *paths)
    assert int(summary["remaining"]) == len(remaining)
    assert first.code == (1 if remaining else 0)

    second = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", *paths, cwd=tree)
    assert second.code == first.code
    assert "fixed" not in second.out
    assert snapshot(tree) == after_first  # byte for byte, modes included


def test_fix_keeps_bom_line_endings_and_mode(tree: Path) -> None:
    target = tree / "windows" / "app.py"
    before = target.read_bytes()
    run = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", "windows", cwd=tree)
    assert run.code in (0, 1), run.err
    after = target.read_bytes()
    assert after != before
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\n") == after.count(b"\r\n") == before.count(b"\r\n")
    assert target.stat().st_mode & 0o777 == 0o755
    compile(after, str(target), "exec")


def test_fix_reports_what_it_changed_and_exits_0_when_nothing_remains(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "plain")
    select = ("--select", "PRM101,PRM402")
    findings = json_findings(project, "plain/app.py", *select)
    assert findings and all(f["fix"]["applicability"] in ("safe", "unsafe") for f in findings)
    run = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", "plain/app.py", *select, cwd=project)
    assert run.code == 0, run.out + run.err
    summary = SUMMARY.search(run.out)
    assert summary and (int(summary["fixed"]), int(summary["remaining"])) == (len(findings), 0)
    assert json_findings(project, "plain/app.py", *select) == []


def test_fix_exits_1_when_findings_remain(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "plain")
    findings = json_findings(project, "plain")
    display_only = [f for f in findings if f["fix"] is None or f["fix"]["applicability"] == "display-only"]
    assert display_only  # the over-budget policy prompt: only a person can cut it
    run = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", "plain", cwd=project)
    assert run.code == 1
    remaining = json_findings(project, "plain")
    assert {(f["filename"], f["code"], f["message"]) for f in display_only} <= {
        (f["filename"], f["code"], f["message"]) for f in remaining
    }
    summary = SUMMARY.search(run.out)
    assert summary and int(summary["remaining"]) == len(remaining)


def test_fix_without_unsafe_fixes_applies_only_safe_fixes(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "plain", "crossfile")
    findings = json_findings(project, "plain", "crossfile")
    safe_files = {f["filename"] for f in findings if f["fix"] is not None and f["fix"]["applicability"] == "safe"}
    before = snapshot(project)
    run = promptlint("check", "--no-cache", "--fix", "plain", "crossfile", cwd=project)
    assert run.code == 1  # unsafe and display-only findings remain
    assert changed(before, snapshot(project)) == safe_files


def test_fix_edits_the_module_that_defines_the_prompt(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "crossfile")
    before = snapshot(project)
    (finding,) = json_findings(project, "crossfile")
    assert finding["filename"] == "crossfile/helpdesk/prompts.py"
    run = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", "crossfile", cwd=project)
    assert run.code == 0, run.out
    assert changed(before, snapshot(project)) == {"crossfile/helpdesk/prompts.py"}
    assert json_findings(project, "crossfile") == []


def test_diff_writes_nothing_and_shows_what_fix_would_write(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path / "diffed", "plain", "crossfile")
    twin = copy_fixtures(tmp_path / "fixed", "plain", "crossfile")
    before = snapshot(project)
    run = promptlint("check", "--no-cache", "--diff", "--unsafe-fixes", "plain", "crossfile", cwd=project)
    assert run.code == 1, run.err
    assert snapshot(project) == before

    fixed = promptlint("check", "--no-cache", "--fix", "--unsafe-fixes", "plain", "crossfile", cwd=twin)
    assert fixed.code in (0, 1)
    fixed_files = changed(before, snapshot(twin))
    headers = re.findall(r"^\+\+\+ b/(\S+)$", run.out, re.M)
    assert set(headers) == fixed_files
    assert set(re.findall(r"^--- a/(\S+)$", run.out, re.M)) == fixed_files
    for name in fixed_files:
        section = run.out.split(f"+++ b/{name}\n", 1)[1].split("\n--- a/", 1)[0]
        added = [line[1:] for line in section.splitlines() if line.startswith("+")]
        removed = [line[1:] for line in section.splitlines() if line.startswith("-")]
        assert added and removed
        fixed_lines = (twin / name).read_text(encoding="utf-8").splitlines()
        original_lines = (project / name).read_text(encoding="utf-8").splitlines()
        assert all(line in fixed_lines for line in added)
        assert all(line in original_lines for line in removed)


def test_diff_exits_0_when_there_is_nothing_to_fix(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "plain")
    clean = promptlint("check", "--no-cache", "--diff", "--unsafe-fixes", "plain/clean.py", cwd=project)
    assert (clean.code, clean.out) == (0, "")
    # Without --unsafe-fixes, only safe fixes would be applied: none here.
    findings = json_findings(project, "plain")
    has_safe = any(f["fix"] is not None and f["fix"]["applicability"] == "safe" for f in findings)
    before = snapshot(project)
    run = promptlint("check", "--no-cache", "--diff", "plain", cwd=project)
    assert run.code == (1 if has_safe else 0)
    assert (run.out == "") is not has_safe
    assert snapshot(project) == before
