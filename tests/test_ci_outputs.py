"""CI outputs of the installed `promptlint`: repository-relative paths, --output-file, the
baseline, and the JSON Schemas of the machine-readable outputs (issue 11); output that never
crashes on hostile names and text (issue 12)."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest
from test_cli import HEADER, PLANTED, SARIF_SCHEMA, _json_report, copy_fixtures, promptlint
from wheelhouse import git

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "promptlint" / "output" / "schemas"
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")

def validator(path: Path) -> jsonschema.protocols.Validator:
    document = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(document)(document)


# ----------------------------------------------------------------------------- repository root


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git work tree with the planted file in `service/app/bot.py`."""
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    root = tmp_path / "repo"
    (root / "service" / "app").mkdir(parents=True)
    (root / "service" / "app" / "bot.py").write_text(PLANTED, encoding="utf-8")
    git("init", "-q", cwd=root)
    return root


def ci_paths(run_dir: Path, env: dict[str, str] | None = None) -> dict[str, set[str]]:
    """The file each CI format names, for a run of `check .` from `run_dir`."""
    paths: dict[str, set[str]] = {}
    sarif = promptlint("check", ".", "--output-format", "sarif", cwd=run_dir, env=env)
    (run,) = sarif.json()["runs"]
    paths["sarif"] = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    paths["srcroot"] = {run["originalUriBaseIds"]["%SRCROOT%"]["uri"]}
    github = promptlint("check", ".", "--output-format", "github", cwd=run_dir, env=env)
    paths["github"] = {line.split("file=", 1)[1].split(",", 1)[0] for line in github.out.splitlines()}
    gitlab = promptlint("check", ".", "--output-format", "gitlab", cwd=run_dir, env=env)
    paths["gitlab"] = {issue["location"]["path"] for issue in gitlab.json()}
    junit = promptlint("check", ".", "--output-format", "junit", cwd=run_dir, env=env)
    paths["junit"] = {case.get("file") for case in ElementTree.fromstring(junit.out).iter("testcase")}
    return paths


def test_ci_paths_are_relative_to_the_git_top_level_from_a_subdirectory(repository: Path) -> None:
    env = {"CI_PROJECT_DIR": ""}
    found = ci_paths(repository / "service", env)
    assert found.pop("srcroot") == {repository.resolve().as_uri() + "/"}
    assert found == {fmt: {"service/app/bot.py"} for fmt in ("sarif", "github", "gitlab", "junit")}
    # The human formats keep the path as typed, relative to the working directory.
    concise = promptlint("check", ".", "--output-format", "concise", cwd=repository / "service")
    assert concise.out.startswith("app/bot.py:8:15: PRM402 ")


def test_gitlab_honours_ci_project_dir(repository: Path) -> None:
    run = promptlint(
        "check", ".", "--output-format", "gitlab", cwd=repository / "service" / "app",
        env={"CI_PROJECT_DIR": str(repository / "service")},
    )
    assert {issue["location"]["path"] for issue in run.json()} == {"app/bot.py"}


def test_without_git_paths_are_relative_to_the_configuration_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "bot.py").write_text(PLANTED, encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.promptlint]\n", encoding="utf-8")
    run = promptlint("check", ".", "--output-format", "github", cwd=project / "src", env={"CI_PROJECT_DIR": ""})
    assert run.out.startswith("::error file=src/bot.py,")


# ----------------------------------------------------------------------------- --output-file


def test_output_file_holds_the_report(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(PLANTED, encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        expected = promptlint("check", "bot.py", "--output-format", fmt, cwd=tmp_path)
        target = tmp_path / "reports" / f"out.{fmt}"
        run = promptlint("check", "bot.py", "--output-format", fmt, "-o", str(target), cwd=tmp_path, env={"FORCE_COLOR": ""})
        assert run.code == expected.code == 1
        assert run.out == ""
        assert target.read_text(encoding="utf-8") == expected.out
    stats = tmp_path / "stats.json"
    promptlint("check", "bot.py", "--statistics", "--output-format", "json", "--output-file", str(stats), cwd=tmp_path)
    assert json.loads(stats.read_text())[0]["code"] == "PRM402"
    calls = tmp_path / "calls.json"
    assert promptlint("calls", "bot.py", "--output-format", "json", "-o", str(calls), cwd=tmp_path).code == 0
    assert len(json.loads(calls.read_text())) == 1
    (tmp_path / "adir").mkdir()
    refused = promptlint("check", "bot.py", "-o", "adir", cwd=tmp_path)
    assert refused.code == 2 and "adir" in refused.err


# ----------------------------------------------------------------------------- baseline


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    project = copy_fixtures(tmp_path, "plain") / "plain"
    git("init", "-q", cwd=project)
    before = _json_report(project, ".")
    baseline = project / ".promptlint-baseline.json"
    written = promptlint("check", ".", "--write-baseline", str(baseline), cwd=project)
    assert written.code == 0, written.err
    assert f"Wrote a baseline of {len(before)} findings" in written.err
    document = json.loads(baseline.read_text(encoding="utf-8"))
    validator(SCHEMAS / "baseline.schema.json").validate(document)
    assert len(document["findings"]) == len(before)

    known = promptlint("check", ".", "--baseline", str(baseline), cwd=project)
    assert known.code == 0, known.out
    assert "All checks passed!" in known.out
    assert f"{len(before)} known findings in the baseline not shown." in known.out

    # Lines moved by an edit above: still known. A new problem: reported, alone.
    app = project / "app.py"
    app.write_text("# A new comment line.\n\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "new_bot.py").write_text(PLANTED, encoding="utf-8")
    run = promptlint("check", ".", "--baseline", str(baseline), "--output-format", "json", cwd=project)
    assert run.code == 1
    assert {(f["filename"], f["code"]) for f in run.json()} == {("new_bot.py", "PRM402")}
    # The same baseline from a subdirectory (paths are repository-relative).
    (project / "sub").mkdir()
    shutil.move(project / "new_bot.py", project / "sub" / "new_bot.py")
    sub = promptlint("check", "..", "--baseline", "../.promptlint-baseline.json", "--output-format", "json", cwd=project / "sub")
    # Files are named relative to the working directory however the path was typed.
    assert {(f["filename"], f["code"]) for f in sub.json()} == {("new_bot.py", "PRM402")}


def test_a_bad_baseline_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    for name, needle in (("missing.json", "cannot read the baseline"), ("bad.json", "not a promptlint baseline")):
        run = promptlint("check", "bot.py", "--baseline", name, cwd=tmp_path)
        assert run.code == 2 and needle in run.err and name in run.err
    both = promptlint("check", "bot.py", "--baseline", "bad.json", "--write-baseline", "b.json", cwd=tmp_path)
    assert both.code == 2 and "cannot be combined" in both.err


# ----------------------------------------------------------------------------- JSON Schemas


def test_json_outputs_follow_their_schemas(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    check = promptlint("check", "examples", "--output-format", "json", "--unsafe-fixes", cwd=tmp_path)
    assert check.code == 1
    findings = check.json()
    validator(SCHEMAS / "check.schema.json").validate(findings)
    assert any(f["fix"] for f in findings) and any(f["cost"] for f in findings)  # the optional parts are exercised
    calls = promptlint("calls", "examples", "--output-format", "json", cwd=tmp_path)
    assert calls.code == 0
    rows = calls.json()
    validator(SCHEMAS / "calls.schema.json").validate(rows)
    assert any(row["dynamic_segments"] for row in rows) and any(row["handler"] for row in rows)


def test_schemas_refuse_what_the_outputs_never_hold() -> None:
    check = validator(SCHEMAS / "check.schema.json")
    assert not check.is_valid([{"code": "PRM101"}])  # required fields
    calls = validator(SCHEMAS / "calls.schema.json")
    assert not calls.is_valid([{"filename": "a.py", "surprise": 1}])


# ----------------------------------------------------------------------------- hostile names and text


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Beside a good file: an undecodable file name, a newline in a file name, and a model
    id holding a lone surrogate (written as an escape in the literal: valid Python)."""
    project = tmp_path / "hostile"
    project.mkdir()
    (project / "good.py").write_text(PLANTED, encoding="utf-8")
    with open(os.path.join(os.fsencode(project), b"bad\xffname.py"), "w", encoding="utf-8") as handle:
        handle.write(PLANTED)
    (project / "new\nline.py").write_text(PLANTED, encoding="utf-8")
    (project / "surrogate.py").write_text(PLANTED.replace("gpt-3.5-turbo", "gpt-4o-mini\\ud800"), encoding="utf-8")
    return project


def test_every_format_survives_hostile_names_and_text(hostile: Path) -> None:
    reference = promptlint("check", ".", "--output-format", "json", "--no-cache", cwd=hostile)  # decodes as UTF-8
    assert reference.code == 1
    findings = reference.json()
    assert {f["code"] for f in findings} == {"PRM402", "PRM403"}
    assert len(findings) == 4
    assert any("\udcff" in f["filename"] for f in findings)  # the name's byte, escaped in JSON
    assert any("\ud800" in f["message"] for f in findings)
    for fmt in FORMATS:
        run = promptlint("check", ".", "--output-format", fmt, cwd=hostile)
        assert run.code == 1, (fmt, run.err)
        if fmt in ("json", "gitlab"):
            assert len(run.json()) == 4
        elif fmt == "sarif":
            jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(run.json())
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run.json()["runs"][0]["results"]}
            assert {"bad%FFname.py", "new%0Aline.py"} <= uris
        elif fmt == "junit":
            ElementTree.fromstring(run.out)
        elif fmt == "github":
            assert len(run.out.splitlines()) == 4  # one annotation a finding
        else:
            headers = [line for line in run.out.splitlines() if HEADER.match(line)]
            assert len(headers) == 4, run.out  # a newline in a name does not split a finding
            assert any(line.startswith("bad\\xffname.py:") for line in headers)
            assert any(line.startswith("new\\nline.py:") for line in headers)
            assert any("gpt-4o-mini\\ud800" in line for line in headers)


def test_a_terminal_that_cannot_show_a_character_gets_an_escape(hostile: Path) -> None:
    run = promptlint("check", "surrogate.py", "good.py", env={"PYTHONIOENCODING": "ascii"}, cwd=hostile)
    assert run.code == 1
    assert run.out.isascii()
    assert "gpt-4o-mini\\ud800" in run.out
    json_run = promptlint("check", ".", "--output-format", "json", env={"PYTHONIOENCODING": "ascii"}, cwd=hostile)
    assert len(json_run.json()) == 4  # machine formats are UTF-8 whatever the terminal
