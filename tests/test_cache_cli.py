"""The results cache through the installed `promptlint`: `.promptlint_cache/` is written,
read back on an unchanged tree, invalidated by edits (also of imported modules) and by a
configuration change, and a corrupt or foreign entry is ignored, never trusted.

No timings are asserted (speed is for the bench). That a run really *reads* the cache is
shown by editing the stored analyses: a retired model renamed inside the entries
disappears from the next report, and comes back with `--no-cache`, after an edit, or
when the entry's key no longer matches.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import Run, copy_fixtures, promptlint

CACHE = ".promptlint_cache"
FINDINGS = "findings.json"  # the whole-run findings
RETIRED, CURRENT = "gpt-3.5-turbo", "gpt-6-luna"


def check(cwd: Path, *args: str) -> Run:
    run = promptlint("check", "--output-format", "json", *args, cwd=cwd)
    assert run.code in (0, 1), run.err
    return run


def entries(project: Path) -> list[Path]:
    """The per-file analyses: entries named by a hash (not findings, stats or prices)."""
    return sorted(p for p in (project / CACHE).glob("*.json") if re.fullmatch(r"[0-9a-f]{32}\.json", p.name))


def rename_model_in_entries(project: Path) -> None:
    """Rewrite the cached analyses as if the code called a current model (and drop the
    whole-run findings, so the rules run again on those analyses)."""
    (project / CACHE / FINDINGS).unlink()
    touched = 0
    for entry in entries(project):
        text = entry.read_text(encoding="utf-8")
        if f'"{RETIRED}"' in text:
            entry.write_text(text.replace(f'"{RETIRED}"', f'"{CURRENT}"'), encoding="utf-8")
            touched += 1
    assert touched, "no cached analysis mentions the retired model"


def test_an_unchanged_tree_reuses_the_last_runs_findings(project: Path) -> None:
    first = check(project)
    findings = project / CACHE / FINDINGS
    assert findings.is_file()
    findings.write_text(findings.read_text(encoding="utf-8").replace("PRM402", "PRM499"), encoding="utf-8")
    assert "PRM499" in check(project).out  # read back, not recomputed
    (project / "app.py").write_text((project / "app.py").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = check(project)
    assert "PRM499" not in again.out and has_retired_model_finding(again)
    assert again.code == first.code


def has_retired_model_finding(run: Run) -> bool:
    return any(finding["code"] == "PRM402" for finding in run.json())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the `plain` fixture project, linted from inside it (so the cache is there)."""
    return copy_fixtures(tmp_path, "plain") / "plain"


def test_second_run_reads_the_cache_and_reports_the_same(project: Path) -> None:
    first = check(project)
    assert (project / CACHE).is_dir()
    assert (project / CACHE / ".gitignore").read_text(encoding="utf-8").split() == ["*"]
    assert entries(project)
    stored = {entry.name: entry.read_bytes() for entry in entries(project)}

    second = check(project)
    assert (second.code, second.out) == (first.code, first.out)
    assert {entry.name: entry.read_bytes() for entry in entries(project)} == stored

    rename_model_in_entries(project)
    assert has_retired_model_finding(first)
    assert not has_retired_model_finding(check(project))  # the analyses came from the cache
    fresh = check(project, "--no-cache")
    assert (fresh.code, fresh.out) == (first.code, first.out)


def test_text_output_is_identical_on_a_cached_run(project: Path) -> None:
    first = promptlint("check", cwd=project)
    second = promptlint("check", cwd=project)
    assert first.code == second.code == 1
    assert second.out == first.out


def test_editing_a_file_changes_the_result(project: Path) -> None:
    assert has_retired_model_finding(check(project))
    app = project / "app.py"
    original = app.read_text(encoding="utf-8")
    app.write_text(original.replace(RETIRED, CURRENT), encoding="utf-8")
    assert not has_retired_model_finding(check(project))
    app.write_text(original, encoding="utf-8")
    assert has_retired_model_finding(check(project))


def test_editing_an_imported_prompt_invalidates_the_importer(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "crossfile") / "crossfile"
    first = check(project)
    assert {(f["filename"], f["code"]) for f in first.json()} == {("helpdesk/prompts.py", "PRM101")}
    prompts = project / "helpdesk" / "prompts.py"
    original = prompts.read_text(encoding="utf-8")
    prompts.write_text(
        original.replace("You are a helpful AI assistant. It is very important that you always make sure to ", "Always ")
        .replace("Please note that the ticket", "The ticket"),
        encoding="utf-8",
    )
    assert check(project).json() == []  # triage.py did not change; its cached analysis is stale
    prompts.write_text(original, encoding="utf-8")
    assert check(project).out == first.out


@pytest.mark.parametrize(
    "corrupt",
    [b"", b"\x00\xff garbage", b'{"key": ', b"[]", b'{"key": {}, "analysis": 42}', b"null"],
    ids=["empty", "binary", "truncated", "list", "wrong-shape", "null"],
)
def test_corrupt_entries_are_ignored_and_replaced(project: Path, corrupt: bytes) -> None:
    first = check(project)
    (project / CACHE / FINDINGS).unlink()  # else the unchanged tree reuses the whole last run
    for entry in entries(project):
        entry.write_bytes(corrupt)
    again = check(project)
    assert (again.code, again.out) == (first.code, first.out)
    for entry in entries(project):
        json.loads(entry.read_bytes())  # rewritten with a valid entry


def test_an_entry_with_an_analysis_that_does_not_decode_is_ignored(project: Path) -> None:
    first = check(project)
    (project / CACHE / FINDINGS).unlink()
    for entry in entries(project):
        stored = json.loads(entry.read_bytes())
        stored["analysis"] = {"filename": 7, "calls": "not a list"}
        entry.write_text(json.dumps(stored), encoding="utf-8")
    again = check(project)
    assert (again.code, again.out) == (first.code, first.out)


@pytest.mark.parametrize("field", ["version", "fingerprint", "path", "content_hash"])
def test_foreign_entries_are_not_trusted(project: Path, field: str) -> None:
    first = check(project)
    rename_model_in_entries(project)
    for entry in entries(project):
        stored = json.loads(entry.read_bytes())
        stored["key"][field] = "something-else"
        entry.write_text(json.dumps(stored), encoding="utf-8")
    again = check(project)
    assert has_retired_model_finding(again)
    assert again.out == first.out


def test_a_configuration_change_invalidates_the_cache(project: Path) -> None:
    first = check(project)
    rename_model_in_entries(project)
    (project / "pyproject.toml").write_text("[tool.promptlint]\ncalls-per-month = 1000\n", encoding="utf-8")
    again = check(project)
    assert has_retired_model_finding(again)
    assert again.out == first.out


def test_no_cache_neither_reads_nor_writes(project: Path) -> None:
    run = check(project, "--no-cache")
    assert run.code == 1
    assert not (project / CACHE).exists()


def test_a_cache_that_cannot_be_written_costs_nothing_but_speed(project: Path) -> None:
    (project / CACHE).write_text("a file where the cache directory would go\n", encoding="utf-8")
    first = check(project)
    fresh = check(project, "--no-cache")
    assert (first.code, first.out) == (fresh.code, fresh.out)
    assert first.code == 1 and not first.err


def test_a_cached_text_report_loads_no_analysis_no_rule_and_not_the_fixer(project: Path) -> None:
    """An unchanged tree is answered from the cache, so what such a run (pre-commit, an
    editor) pays is its start: the text report imports neither the analysis, the rules nor
    the fixer, though it shows findings and whether `--fix` would fix them."""
    check(project)
    script = (
        "import sys\n"
        "from promptlint.cli import main\n"
        "try:\n"
        "    main(['check', '.'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    process = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True)
    report, _, modules = process.stdout.rpartition("MODULES ")
    assert "PRM402" in report
    loaded = set(modules.split())
    assert "promptlint.engine" in loaded
    assert not {"promptlint.fixes", "promptlint.checks", "promptlint.rule", "promptlint.analysis", "promptlint.index"} & loaded
