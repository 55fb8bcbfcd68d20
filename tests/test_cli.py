"""End-to-end tests of the installed `promptlint` command: every output format and flag.

Each test copies fixture projects from `tests/fixtures/cli/` to a temporary directory and
runs the console script installed next to this interpreter in a subprocess, so what is
tested is what a user (or pre-commit, or CI) runs. Expected findings are located in the
fixture sources by their text (`line_of`), and the formats are checked against each other
(the JSON report is the reference), never against numbers copied from an earlier run.

The helpers at the top are shared with `test_cli_errors.py`, `test_fix_cli.py` and
`test_cache_cli.py`.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROMPTLINT = Path(sys.executable).parent / "promptlint"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
# The official schema, copied with its source (tests/data/README.md).
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
# Variables that turn colour on or off; removed so each test states the ones it wants.
COLOR_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE")
ANSI = re.compile(r"\x1b\[")
HEADER = re.compile(r"^(?P<file>[^\s:]+):(?P<row>\d+):(?P<column>\d+): (?P<code>PRM\d{3}) (?P<rest>.*)$")


# One SDK call with a planted problem (PRM402: a retired model) on line 8, column 15.
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


@dataclass
class Run:
    """A finished `promptlint` process, its output decoded."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def promptlint(
    *args: str,
    cwd: Path,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
    traceback: bool = False,
) -> Run:
    """Run the installed console script; no run may ever end in a traceback (unless
    `traceback`: PROMPTLINT_DEBUG=1 asks for one)."""
    environment = {key: value for key, value in os.environ.items() if key not in COLOR_VARIABLES}
    environment.update(env or {})
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    process = subprocess.run(
        [str(PROMPTLINT), *args],
        cwd=cwd,
        input=data,
        stdin=None if data is not None else subprocess.DEVNULL,
        capture_output=True,
        env=environment,
        timeout=300,
    )
    run = Run(process.returncode, process.stdout.decode("utf-8"), process.stderr.decode("utf-8"))
    assert traceback or "Traceback" not in run.err, run.err
    return run


def copy_fixtures(tmp_path: Path, *names: str) -> Path:
    """Copy fixture projects into `tmp_path` (by name, keeping the name); returns `tmp_path`."""
    for name in names:
        shutil.copytree(FIXTURES / name, tmp_path / name)
    return tmp_path


def line_of(path: Path, needle: str) -> int:
    """The 1-based row of the one line of `path` containing `needle`."""
    rows = [row for row, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(rows) == 1, f"{needle!r} occurs on rows {rows} of {path}"
    return rows[0]


def column_of(path: Path, row: int, needle: str) -> int:
    """The 1-based column where `needle` starts on `row` of `path`."""
    line = path.read_text(encoding="utf-8").splitlines()[row - 1]
    return line.index(needle) + 1


def where(findings: list[dict[str, Any]]) -> set[tuple[str, int, str]]:
    """(filename, row, code) of each JSON finding."""
    return {(f["filename"], f["location"]["row"], f["code"]) for f in findings}


def codes(findings: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in findings}


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """A copy of the `plain` fixture project (no configuration); the working directory."""
    return copy_fixtures(tmp_path, "plain")


def _json_report(cwd: Path, *args: str) -> list[dict[str, Any]]:
    run = promptlint("check", "--output-format", "json", *args, cwd=cwd)
    assert run.code in (0, 1), run.err
    findings = run.json()
    assert (run.code == 1) == bool(findings)
    return findings


# ----------------------------------------------------------------------------- basics


def test_version_is_the_installed_distribution_version(tmp_path: Path) -> None:
    run = promptlint("--version", cwd=tmp_path)
    assert run.code == 0
    assert importlib.metadata.version("promptlint-static") in run.out


def test_clean_files_exit_0(plain: Path) -> None:
    run = promptlint("check", "plain/clean.py", "plain/util.py", cwd=plain)
    assert run.code == 0, run.out + run.err
    assert "All checks passed!" in run.out
    assert run.err == ""


def test_default_path_is_the_working_directory(plain: Path) -> None:
    assert _json_report(plain / "plain") == [
        {**finding, "filename": finding["filename"].removeprefix("plain/")} for finding in _json_report(plain, "plain")
    ]


def test_planted_problems_are_found_where_they_are(plain: Path) -> None:
    app, support = plain / "plain" / "app.py", plain / "plain" / "support.py"
    findings = _json_report(plain, "plain")
    model_row = line_of(app, 'model="gpt-3.5-turbo"')
    call_row = line_of(support, "client.messages.create(")
    assert {
        ("plain/app.py", line_of(app, "You are a helpful AI assistant."), "PRM101"),
        ("plain/app.py", model_row, "PRM402"),
        ("plain/support.py", call_row, "PRM201"),
    } <= where(findings)
    assert not [f for f in findings if f["filename"] in ("plain/clean.py", "plain/util.py")]
    retired = next(f for f in findings if f["code"] == "PRM402")
    assert retired["location"]["column"] == column_of(app, model_row, '"gpt-3.5-turbo"')


# ----------------------------------------------------------------------------- formats


def test_text_format_shows_each_finding_with_excerpt_and_summary(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", cwd=plain)
    assert run.code == 1
    lines = run.out.splitlines()
    for finding in findings:
        row, column = finding["location"]["row"], finding["location"]["column"]
        prefix = f"{finding['filename']}:{row}:{column}: {finding['code']} "
        index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        assert lines[index].endswith(finding["message"])
        assert "[*]" not in lines[index]  # every fix here is unsafe or display-only
        source = (plain / finding["filename"]).read_text(encoding="utf-8").splitlines()[row - 1]
        assert lines[index + 2] == f"{row} | {source}".rstrip()
        carets = lines[index + 3]
        assert carets.index("^") == len(f"{row} | ") + column - 1
        if finding["fix"] is not None:
            assert any(finding["fix"]["message"] in line for line in lines[index + 4 : index + 8])
    assert f"Found {len(findings)} problems" in run.out
    assert "per 1M calls" in run.out


def test_unsafe_fixes_mark_fixable_findings(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--unsafe-fixes", "--output-format", "concise", cwd=plain)
    headers = [HEADER.match(line) for line in run.out.splitlines()]
    marked = {(m["file"], int(m["row"]), m["code"]) for m in headers if m and m["rest"].startswith("[*] ")}
    fixable = {
        (f["filename"], f["location"]["row"], f["code"])
        for f in findings
        if f["fix"] is not None and f["fix"]["applicability"] in ("safe", "unsafe")
    }
    assert fixable and marked == fixable
    assert f"{len(fixable)} fixable with --fix" in run.out


def test_json_objects_carry_the_documented_fields(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    assert findings
    for finding in findings:
        assert set(finding) == {
            "code", "name", "message", "severity", "filename", "location", "end_location", "fix", "cost", "url",
        }  # fmt: skip
        assert re.fullmatch(r"PRM\d{3}", finding["code"])
        assert finding["severity"] in ("warning", "error")
        for key in ("location", "end_location"):
            assert set(finding[key]) == {"row", "column"}
            assert finding[key]["row"] >= 1 and finding[key]["column"] >= 1
        assert (finding["location"]["row"], finding["location"]["column"]) <= (
            finding["end_location"]["row"],
            finding["end_location"]["column"],
        )
        if finding["fix"] is not None:
            assert finding["fix"]["applicability"] in ("safe", "unsafe", "display-only")
            assert finding["fix"]["message"]
            assert isinstance(finding["fix"]["edits"], list)
            for edit in finding["fix"]["edits"]:
                assert {"content", "location", "end_location"} <= set(edit)
        if finding["cost"] is not None:
            assert {"tokens_per_call", "model", "usd_per_1m_calls", "assumptions"} <= set(finding["cost"])
        assert finding["url"].startswith("https://") and finding["name"] in finding["url"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["PRM101"]["cost"]["usd_per_1m_calls"] > 0
    assert by_code["PRM402"]["fix"]["applicability"] == "unsafe"
    assert any(edit["content"] != "" for edit in by_code["PRM402"]["fix"]["edits"])


def test_concise_format_is_one_line_per_finding(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--output-format", "concise", cwd=plain)
    assert run.code == 1
    headers = [line for line in run.out.splitlines() if HEADER.match(line)]
    assert headers == [
        f"{f['filename']}:{f['location']['row']}:{f['location']['column']}: {f['code']} {f['message']}"
        for f in findings
    ]
    assert "|" not in run.out.replace(findings[0]["message"], "")  # no source excerpts


def test_sarif_validates_against_the_schema_and_matches_json(plain: Path) -> None:
    import jsonschema

    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--output-format", "sarif", cwd=plain)
    assert run.code == 1
    report = run.json()
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    (sarif_run,) = report["runs"]
    rules = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    results = sarif_run["results"]
    assert len(results) == len(findings)
    located = set()
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        located.add((location["physicalLocation"]["artifactLocation"]["uri"], region["startLine"], result["ruleId"]))
        assert result["partialFingerprints"]
    assert located == where(findings)
    fixable = sum(1 for f in findings if f["fix"] and f["fix"]["applicability"] != "display-only")
    assert sum(1 for result in results if result.get("fixes")) == fixable


def test_sarif_fingerprints_survive_an_unrelated_edit(plain: Path) -> None:
    def fingerprints() -> dict[tuple[str, str], str]:
        run = promptlint("check", "plain", "--output-format", "sarif", cwd=plain)
        return {
            (result["ruleId"], result["message"]["text"]): next(iter(result["partialFingerprints"].values()))
            for result in run.json()["runs"][0]["results"]
        }

    before = fingerprints()
    for name in ("app.py", "support.py"):
        path = plain / "plain" / name
        path.write_text("# An unrelated comment that moves every line down.\n\n" + path.read_text(encoding="utf-8"))
    after = fingerprints()
    assert before and after == before
    assert len(set(before.values())) == len(before)


def test_github_annotations_match_exactly(tmp_path: Path) -> None:
    # A comma in the path must be escaped in the `file` property (%2C), as GitHub documents.
    (tmp_path / "a,b").mkdir()
    shutil.copy(FIXTURES / "plain" / "app.py", tmp_path / "a,b" / "app.py")
    findings = _json_report(tmp_path, "a,b")
    run = promptlint("check", "a,b", "--output-format", "github", cwd=tmp_path)
    assert run.code == 1

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    expected = [
        f"::{f['severity']} file=a%2Cb/app.py,line={f['location']['row']},col={f['location']['column']},"
        f"endLine={f['end_location']['row']},endColumn={f['end_location']['column']},"
        f"title={prop(f['code'] + ' ' + f['name'])}::{data(f['message'])}"
        for f in findings
    ]
    assert findings and run.out.splitlines() == expected


def test_gitlab_code_quality_report(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--output-format", "gitlab", cwd=plain)
    assert run.code == 1
    issues = run.json()
    assert len(issues) == len(findings)
    assert {(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues} == where(
        findings
    )
    for issue in issues:
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["description"]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_junit_report_has_one_failure_per_finding(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--output-format", "junit", cwd=plain)
    assert run.code == 1
    root = ElementTree.fromstring(run.out)
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(findings)
    assert Counter(failure.get("type") for failure in failures) == Counter(f["code"] for f in findings)
    assert sorted(failure.get("message") for failure in failures) == sorted(f["message"] for f in findings)


def test_clean_run_in_every_format_exits_0(plain: Path) -> None:
    for fmt in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        run = promptlint("check", "plain/clean.py", "--output-format", fmt, cwd=plain)
        assert run.code == 0, (fmt, run.out, run.err)
        if fmt in ("json", "gitlab"):
            assert run.json() == []
        if fmt == "github":
            assert run.out == ""


# ----------------------------------------------------------------------------- flags


def test_statistics_counts_findings_per_rule(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--statistics", cwd=plain)
    assert run.code == 1
    rows = [line.split("\t") for line in run.out.splitlines()]
    assert {code: int(count) for count, code, _ in rows} == Counter(f["code"] for f in findings)
    names = {f["code"]: f["name"] for f in findings}
    for _, code, rest in rows:
        assert rest.endswith(names[code])


def test_exit_zero_keeps_the_report(plain: Path) -> None:
    run = promptlint("check", "plain", "--exit-zero", "--output-format", "concise", cwd=plain)
    assert run.code == 0
    assert HEADER.match(run.out.splitlines()[0])


def test_quiet_drops_the_summary(plain: Path) -> None:
    loud = promptlint("check", "plain", cwd=plain)
    quiet = promptlint("check", "plain", "-q", cwd=plain)
    assert quiet.code == loud.code == 1
    assert "Found" in loud.out and "Found" not in quiet.out
    assert [line for line in quiet.out.splitlines() if HEADER.match(line)] == [
        line for line in loud.out.splitlines() if HEADER.match(line)
    ]


def test_select_ignore_and_extend_select(plain: Path) -> None:
    everything = _json_report(plain, "plain")
    found = codes(everything)
    assert {"PRM101", "PRM201", "PRM402"} <= found
    for code in sorted(found):
        assert codes(_json_report(plain, "plain", "--select", code)) == {code}
    assert codes(_json_report(plain, "plain", "--ignore", "PRM402")) == found - {"PRM402"}
    assert codes(_json_report(plain, "plain", "--select", "PRM2")) == {c for c in found if c.startswith("PRM2")}
    assert codes(_json_report(plain, "plain", "--select", "prm1")) == {c for c in found if c.startswith("PRM1")}
    assert codes(_json_report(plain, "plain", "--ignore", "PRM1,PRM4")) == {c for c in found if c[:4] not in ("PRM1", "PRM4")}
    assert codes(_json_report(plain, "plain", "--select", "PRM101", "--select", "PRM402,PRM403")) == {"PRM101", "PRM402"}
    assert codes(_json_report(plain, "plain", "--select", "PRM101", "--extend-select", "PRM2")) == {"PRM101", "PRM201"}
    # The most specific selector decides, as in ruff.
    assert codes(_json_report(plain, "plain", "--select", "PRM201", "--ignore", "PRM2")) == {"PRM201"}
    # A selection that matches nothing found: a clean run.
    run = promptlint("check", "plain", "--select", "PRM501", cwd=plain)
    assert run.code == 0 and "All checks passed!" in run.out


def test_extend_select_adds_to_the_configured_selection(plain: Path) -> None:
    (plain / "pyproject.toml").write_text('[tool.promptlint]\nselect = ["PRM4"]\n', encoding="utf-8")
    assert codes(_json_report(plain, "plain")) == {"PRM402"}
    assert codes(_json_report(plain, "plain", "--extend-select", "PRM201")) == {"PRM201", "PRM402"}
    assert codes(_json_report(plain, "plain", "--select", "PRM1")) == {"PRM101"}


def test_config_option_names_the_file_to_use(plain: Path, tmp_path: Path) -> None:
    # A pyproject.toml in the project that --config overrides.
    (plain / "pyproject.toml").write_text('[tool.promptlint]\nselect = ["PRM2"]\n', encoding="utf-8")
    elsewhere = tmp_path / "settings"
    elsewhere.mkdir()
    (elsewhere / "promptlint.toml").write_text('ignore = ["PRM101"]\n', encoding="utf-8")
    (elsewhere / "pyproject.toml").write_text('[tool.promptlint]\nselect = ["PRM402"]\n', encoding="utf-8")
    found = codes(_json_report(plain, "plain", "--no-cache"))
    assert found == {"PRM201"}
    with_toml = codes(_json_report(plain, "plain", "--config", str(elsewhere / "promptlint.toml")))
    assert "PRM101" not in with_toml and {"PRM201", "PRM402"} <= with_toml
    assert codes(_json_report(plain, "plain", "--config", "settings/pyproject.toml")) == {"PRM402"}


def test_stdin_is_linted_as_the_named_file(plain: Path) -> None:
    source = (plain / "plain" / "app.py").read_text(encoding="utf-8")
    on_disk = _json_report(plain, "plain/app.py")
    run = promptlint("check", "--stdin-filename", "plain/app.py", "--output-format", "json", cwd=plain, stdin=source)
    assert run.code == 1
    assert run.json() == on_disk
    # The name need not exist on disk (an unsaved editor buffer).
    run = promptlint("check", "--stdin-filename", "draft/new.py", "--output-format", "json", cwd=plain, stdin=source)
    assert run.code == 1, run.err
    assert {(f["code"], f["location"]["row"]) for f in run.json()} == {
        (f["code"], f["location"]["row"]) for f in on_disk
    }
    assert {f["filename"] for f in run.json()} == {"draft/new.py"}
    # Standard input wins over the file's contents on disk.
    clean = (plain / "plain" / "clean.py").read_text(encoding="utf-8")
    run = promptlint("check", "--stdin-filename", "plain/app.py", cwd=plain, stdin=clean)
    assert run.code == 0 and "All checks passed!" in run.out


def test_stdin_is_checked_with_the_named_files_configuration(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "configured")
    legacy = (project / "configured" / "legacy" / "old.py").read_text(encoding="utf-8")
    # The per-file ignore of configured/pyproject.toml applies though the run starts above it.
    run = promptlint("check", "--stdin-filename", "configured/legacy/old.py", cwd=project, stdin=legacy)
    assert run.code == 0, run.out
    run = promptlint("check", "--stdin-filename", "configured/src/new.py", cwd=project, stdin=legacy)
    assert run.code == 1
    assert re.search(r"^configured/src/new\.py:\d+:\d+: PRM402 ", run.out, re.M)

def test_stdin_with_fix_prints_only_the_fixed_source(plain: Path) -> None:
    source = (plain / "plain" / "app.py").read_text(encoding="utf-8")
    run = promptlint(
        "check", "--stdin-filename", "plain/app.py", "--fix", "--unsafe-fixes", cwd=plain, stdin=source
    )
    assert run.code == 0, run.err
    assert run.out != source
    compile(run.out, "app.py", "exec")  # stdout is exactly a Python file: no report mixed in
    assert (plain / "plain" / "app.py").read_text(encoding="utf-8") == source  # nothing written
    again = promptlint("check", "--stdin-filename", "plain/app.py", cwd=plain, stdin=run.out)
    assert again.code == 0, again.out


def test_rule_docs_by_code_name_and_all(tmp_path: Path) -> None:
    from promptlint.checks import all_rules

    by_code = promptlint("rule", "PRM402", cwd=tmp_path)
    by_name = promptlint("rule", "retired-model", cwd=tmp_path)
    assert by_code.code == by_name.code == 0
    assert by_code.out == by_name.out
    assert "retired-model" in by_code.out
    for section in ("## What it does", "## Why is this bad?", "## Example"):
        assert section in by_code.out
    everything = promptlint("rule", "--all", cwd=tmp_path)
    assert everything.code == 0
    for rule in all_rules():
        assert f"{rule.name} ({rule.code})" in everything.out
    assert by_code.out.strip() in everything.out


# ----------------------------------------------------------------------------- colour


def test_no_colour_when_output_is_not_a_terminal(plain: Path) -> None:
    run = promptlint("check", "plain", cwd=plain)
    assert run.code == 1
    assert not ANSI.search(run.out) and not ANSI.search(run.err)


def test_force_color_and_no_color(plain: Path) -> None:
    forced = promptlint("check", "plain", cwd=plain, env={"FORCE_COLOR": "1"})
    assert ANSI.search(forced.out)
    assert not ANSI.search(promptlint("check", "plain", cwd=plain, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).out)
    # Machine-readable formats never carry colour.
    forced_json = promptlint("check", "plain", "--output-format", "json", cwd=plain, env={"FORCE_COLOR": "1"})
    forced_json.json()


def _on_terminal(args: list[str], cwd: Path, env: dict[str, str], *, stderr_too: bool = False) -> str:
    """Run promptlint with its standard output (and, with `stderr_too`, its standard error)
    on a pseudo-terminal; what it printed there."""
    environment = {key: value for key, value in os.environ.items() if key not in COLOR_VARIABLES}
    environment.update(env)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(PROMPTLINT), *args],
        cwd=cwd,
        stdout=terminal,
        stderr=terminal if stderr_too else subprocess.PIPE,
        env=environment,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    _, err = process.communicate(timeout=300)
    output = b"".join(chunks)
    assert b"Traceback" not in (err or b"") + output
    return output.decode("utf-8")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color(plain: Path) -> None:
    assert ANSI.search(_on_terminal(["check", "plain/app.py"], plain, {}))
    assert not ANSI.search(_on_terminal(["check", "plain/app.py"], plain, {"NO_COLOR": "1"}))


# ----------------------------------------------------------------------------- configuration


def test_per_file_ignores_and_excludes(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "configured") / "configured"
    findings = _json_report(project)
    files = {f["filename"] for f in findings}
    assert "src/app.py" in files
    assert not any(name.startswith("generated/") for name in files)  # extend-exclude
    assert ("legacy/old.py", line_of(project / "legacy" / "old.py", "gpt-3.5-turbo"), "PRM402") not in where(findings)
    assert ("src/app.py", line_of(project / "src" / "app.py", "gpt-3.5-turbo"), "PRM402") in where(findings)
    # Excluded even when named explicitly (as pre-commit does).
    run = promptlint("check", "generated/client_gen.py", cwd=project)
    assert run.code == 0
    # Without the per-file ignore, the legacy file is reported.
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"legacy/" = ["PRM402"]', ""), encoding="utf-8")
    assert "legacy/old.py" in {f["filename"] for f in _json_report(project)}


def test_calls_per_month_turns_savings_into_a_monthly_figure(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "configured") / "configured"
    run = promptlint("check", cwd=project)
    assert run.code == 1
    match = re.search(
        r"saves ~?\$([\d,.]+) per 1M calls \(~?\$([\d,.]+) per month, assuming 2,000,000 calls a month behind each finding\)",
        run.out,
    )
    assert match, run.out
    per_million, monthly = (float(value.replace(",", "")) for value in match.groups())
    assert monthly == pytest.approx(per_million * 2, rel=0.01)
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text().replace("calls-per-month = 2000000\n", ""), encoding="utf-8"
    )
    assert "per month" not in promptlint("check", cwd=project).out


def test_suppression_comments(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "suppressed")
    findings = _json_report(project, "suppressed")
    assert where(findings) == {
        ("suppressed/other_code.py", line_of(project / "suppressed" / "other_code.py", "gpt-3.5-turbo"), "PRM402")
    }
    # The same files without their directives are all reported.
    for path in (project / "suppressed").glob("*.py"):
        path.write_text(re.sub(r"#\s*promptlint:.*", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert {f["filename"] for f in _json_report(project, "suppressed", "--no-cache")} == {
        f"suppressed/{path.name}" for path in (project / "suppressed").glob("*.py")
    }


def test_add_ignore_silences_every_current_finding(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path, "plain", "configured")
    before = _json_report(project, "plain", "configured")
    assert before
    run = promptlint("check", "plain", "configured", "--add-ignore", cwd=project)
    assert run.code == 0, run.err
    assert re.search(r"Added \d+ ignore comment", run.err)
    for filename in {f["filename"] for f in before}:
        text = (project / filename).read_text(encoding="utf-8")
        assert "# promptlint: ignore[" in text
        compile(text, filename, "exec")
    after = promptlint("check", "plain", "configured", cwd=project)
    assert after.code == 0, after.out
    assert "All checks passed!" in after.out
    # A new problem in an adopted file is still reported.
    app = project / "plain" / "clean.py"
    app.write_text(app.read_text(encoding="utf-8").replace("gpt-6-luna", "gpt-3.5-turbo"), encoding="utf-8")
    assert codes(_json_report(project, "plain")) == {"PRM402"}


def test_unparseable_file_exits_2_even_with_findings(plain: Path) -> None:
    broken = "from openai import OpenAI\n\ndef f(:\n    return OpenAI().chat.completions.create(model='gpt-6-luna')\n"
    (plain / "plain" / "broken.py").write_text(broken, encoding="utf-8")
    run = promptlint("check", "plain", "--output-format", "concise", "--exit-zero", cwd=plain)
    assert run.code == 2
    assert any(HEADER.match(line) for line in run.out.splitlines())  # other files still checked
    assert re.search(r"plain/broken\.py:3:7: error: .*syntax", run.err), run.err  # the error's own line and column
