# SPDX-License-Identifier: MIT
"""The renderers over one fixed set of findings: each format parsed back and checked."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from promptlint import __version__, checks
from promptlint.output import FORMATS, RenderInput, render, render_errors
from promptlint.rule import Rule
from promptlint.types import (
    Applicability,
    Basis,
    Cost,
    Diagnostic,
    Edit,
    FileError,
    Fix,
    Position,
    Severity,
    Span,
    Stake,
)

# The official schema, copied with its source (tests/data/README.md).
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[")

SOURCE = (
    "import anthropic\n"
    'greeting = "héllo wörld"; prompt = "Be brief."\n'
    'label = "日本語"; resp = client.messages.create(\n'
    '    model="claude-opus-4", system=prompt)\n'
    "for item in items:\n"
    "    answer = ask(item)\n"
)
LINES = SOURCE.splitlines()


def span_of(row: int, needle: str, end_row: int | None = None, end_column: int | None = None) -> Span:
    """The span of `needle` on 1-based `row` (character columns), or up to an explicit end."""
    start = LINES[row - 1].index(needle) + 1
    if end_row is None:
        return Span(Position(row, start), Position(row, start + len(needle)))
    assert end_column is not None
    return Span(Position(row, start), Position(end_row, end_column))


PROMPT_SPAN = span_of(2, '"Be brief."')
CALL_SPAN = span_of(3, "client.messages.create(", 4, len(LINES[3]) + 1)
MODEL_SPAN = span_of(4, '"claude-opus-4"')
LOOP_SPAN = span_of(6, "ask(item)")

SAFE = Diagnostic(
    code="PRM201",
    name="missing-cache-control",
    message="50% of calls: re-sent, uncached\nevery time",
    filename="app.py",
    span=PROMPT_SPAN,
    fix=Fix(
        "add cache_control",
        Applicability.SAFE,
        (Edit(Span(PROMPT_SPAN.end, PROMPT_SPAN.end), ", cache_control=True"),),
    ),
    stake=Stake(3120, True, "claude-opus-4", Basis.CACHE_READ),
    cost=Cost(3120, "claude-opus-4", 8424.0, "3,120 tok x $3.00/Mtok x 0.9 once cached"),
)
UNSAFE = Diagnostic(
    code="PRM401",
    name="expensive-model-for-simple-task",
    message="premium model for a classification task",
    filename="app.py",
    span=MODEL_SPAN,
    fix=Fix("use claude-haiku-4", Applicability.UNSAFE, (Edit(MODEL_SPAN, '"claude-haiku-4"'),)),
    stake=Stake(200, False, "claude-opus-4", Basis.MODEL_SWAP, cheaper_model="claude-haiku-4"),
    cost=Cost(200, "claude-opus-4", 1000.0, "200 tok, opus -> haiku"),
)
DISPLAY = Diagnostic(
    code="PRM101",
    name="verbose-system-prompt",
    message="system prompt is 40 tokens over budget",
    filename="app.py",
    span=CALL_SPAN,
    severity=Severity.ERROR,
    fix=Fix("shorten the prompt", Applicability.DISPLAY_ONLY, suggestion="Be brief.\nAnswer in one line."),
    stake=Stake(40, False, "mystery-model", Basis.INPUT),
    cost=Cost(40, "mystery-model", None, ""),
)
LATENCY = Diagnostic(
    code="PRM301",
    name="unstreamed-user-facing-call",
    message="non-streamed call in handler `chat`",
    filename="app.py",
    span=LOOP_SPAN,
    stake=Stake(500, True, "claude-opus-4", Basis.LATENCY),
    cost=Cost(500, "claude-opus-4", None, "latency"),
)
ELSEWHERE = Diagnostic(
    code="PRM201",
    name="missing-cache-control",
    message="uncached prompt",
    filename="pkg/other.py",
    span=Span(Position(7, 1), Position(7, 5)),
)
ALL = (SAFE, UNSAFE, DISPLAY, LATENCY, ELSEWHERE)
ERRORS = (FileError("broken.py", "syntax error: unexpected indent", 3), FileError("binary.py", "cannot decode"))


def data(diagnostics=ALL, **kwargs) -> RenderInput:
    values = {"sources": {"app.py": SOURCE}}
    values.update(kwargs)
    return RenderInput(diagnostics=diagnostics, **values)


class CacheRule(Rule):
    """
    ## What it does
    Flags long static prompts sent without a cache marker.

    ## Why is this bad?
    Every call pays full price for the same prefix.
    """

    code = "PRM201"
    name = "missing-cache-control"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only PRM201 is a registered rule; the other codes fall back to the diagnostic's name."""
    monkeypatch.setattr(checks, "rule_by_code_or_name", lambda key: CacheRule if key == "PRM201" else None)


# ----------------------------------------------------------------------------- dispatch


def test_every_format_renders_and_unknown_format_is_an_error(registry: None) -> None:
    for fmt in FORMATS:
        assert render(fmt, data(), color=False)
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", data(), color=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_colour_only_when_asked(fmt: str, registry: None) -> None:
    assert not ANSI.search(render(fmt, data()))
    assert not ANSI.search(render(fmt, data(), color=False))


def test_text_is_coloured_when_asked() -> None:
    coloured = render("text", data(), color=True)
    assert ANSI.search(coloured)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render("text", data(), color=False)


# ----------------------------------------------------------------------------- text


def block(text: str, header_start: str) -> list[str]:
    """The lines of the finding whose header starts with `header_start`."""
    blocks = [b.splitlines() for b in text.split("\n\n")]
    (found,) = [b for b in blocks if b[0].startswith(header_start)]
    return found


def caret_columns(excerpt_line: str, underline: str) -> tuple[int, int]:
    """Where the carets start and how many there are, both in terminal cells, given the
    excerpt and underline lines (the gutter is cut off at the first `|`)."""
    code = excerpt_line.split("| ", 1)[1]
    marks = underline.split("| ", 1)[1]
    assert not code.startswith("\t")
    return len(marks) - len(marks.lstrip(" ")), marks.count("^")


def test_text_header_marks_only_applicable_fixes() -> None:
    text = render("text", data())
    assert text.startswith("app.py:2:")
    assert f"app.py:2:{PROMPT_SPAN.start.column}: PRM201 [*] 50% of calls" in text
    assert f"app.py:4:{MODEL_SPAN.start.column}: PRM401 premium model" in text
    assert f"app.py:3:{CALL_SPAN.start.column}: PRM101 system prompt" in text
    with_unsafe = render("text", data(unsafe_fixes=True))
    assert f"app.py:4:{MODEL_SPAN.start.column}: PRM401 [*] premium model" in with_unsafe
    # Display-only fixes are never applied, so never marked.
    assert f"app.py:3:{CALL_SPAN.start.column}: PRM101 system prompt" in with_unsafe


def test_underline_counts_characters_after_non_ascii_text() -> None:
    lines = block(render("text", data()), "app.py:2:")
    number, underline = lines[2], lines[3]
    assert number == f"2 | {LINES[1]}"
    start, count = caret_columns(number, underline)
    # "héllo wörld" is all single-cell characters: carets sit under the span itself.
    assert start == LINES[1].index('"Be brief."')
    assert count == len('"Be brief."')


def test_underline_of_multiline_span_after_wide_characters_runs_to_end_of_line() -> None:
    lines = block(render("text", data()), "app.py:3:")
    start, count = caret_columns(lines[2], lines[3])
    prefix = LINES[2][: LINES[2].index("client")]
    wide = sum(1 for char in prefix if char in "日本語")
    assert start == len(prefix) + wide  # each CJK character takes two cells
    assert count == len(LINES[2]) - len(prefix)


def test_text_notes_show_cost_fix_and_suggestion() -> None:
    text = render("text", data())
    safe = block(text, "app.py:2:")
    assert safe[4:] == [
        "  = saves ~$8,424 per 1M calls (3,120 tok x $3.00/Mtok x 0.9 once cached)",
        "  = fix: add cache_control",
    ]
    display = block(text, "app.py:3:")
    assert display[4:] == [
        "  = ~40 tokens per call (price unknown for model mystery-model)",
        "  = fix: shorten the prompt",
        "      Be brief.",
        "      Answer in one line.",
    ]
    assert block(text, "app.py:4:")[4:] == [
        "  = saves ~$1,000 per 1M calls (200 tok, opus -> haiku)",
        "  = fix (unsafe): use claude-haiku-4",
    ]
    latency = block(text, "app.py:6:")
    assert not any("=" in line.split("|")[0] for line in latency[1:])  # no cost line, no fix


def test_finding_without_source_has_no_excerpt() -> None:
    assert block(render("text", data()), "pkg/other.py:7:1:") == ["pkg/other.py:7:1: PRM201 uncached prompt"]


def test_text_summary_counts_fixes_and_totals_known_costs() -> None:
    lines = render("text", data(calls_per_month=10_000)).rstrip("\n").splitlines()
    assert lines[-2:] == [
        "Found 5 problems (1 fixable with --fix, 1 more with --fix --unsafe-fixes).",
        "Fixing all saves ~$9,424 per 1M calls (~$94.24 per month, assuming 10,000 calls a month behind each finding).",
    ]
    unsafe = render("text", data(unsafe_fixes=True)).rstrip("\n").splitlines()
    assert unsafe[-2:] == ["Found 5 problems (2 fixable with --fix).", "Fixing all saves ~$9,424 per 1M calls."]


def test_text_summary_without_prices_after_fixing_and_when_clean() -> None:
    assert render("text", data((ELSEWHERE,), fixed_count=2)).splitlines()[-1] == (
        "Found 3 problems (2 fixed, 1 remaining)."
    )
    assert render("text", data(())) == "All checks passed!\n"
    assert "All checks passed" not in render("text", data((), errors=ERRORS))
    assert render("text", data((), fixed_count=1)) == "Found 1 problem (1 fixed, 0 remaining).\n"


def test_quiet_prints_findings_only() -> None:
    assert render("text", data((), quiet=True)) == ""
    concise = render("concise", data((ELSEWHERE,), quiet=True))
    assert concise == "pkg/other.py:7:1: PRM201 uncached prompt\n"


def test_errors_render_separately() -> None:
    assert render_errors(ERRORS) == (
        "broken.py:3: error: syntax error: unexpected indent\nbinary.py: error: cannot decode\n"
    )
    assert render_errors(()) == ""
    assert "broken.py" not in render("text", data(errors=ERRORS))


# ----------------------------------------------------------------------------- concise


def test_concise_is_one_line_per_finding_and_a_summary() -> None:
    single_line = (UNSAFE, DISPLAY, ELSEWHERE)
    lines = render("concise", data(single_line)).splitlines()
    assert lines == [
        f"app.py:4:{MODEL_SPAN.start.column}: PRM401 premium model for a classification task",
        f"app.py:3:{CALL_SPAN.start.column}: PRM101 system prompt is 40 tokens over budget",
        "pkg/other.py:7:1: PRM201 uncached prompt",
        "Found 3 problems (1 more with --fix --unsafe-fixes).",
        "Fixing all saves ~$1,000 per 1M calls.",
    ]


# ----------------------------------------------------------------------------- json


def test_json_objects(registry: None) -> None:
    parsed = json.loads(render("json", data()))
    assert [item["code"] for item in parsed] == [d.code for d in ALL]
    safe = parsed[0]
    assert list(safe) == [
        "code", "name", "message", "severity", "filename",
        "location", "end_location", "fix", "cost", "url",
    ]  # fmt: skip
    assert safe["message"] == SAFE.message
    assert safe["location"] == {"row": 2, "column": PROMPT_SPAN.start.column}
    assert safe["end_location"] == {"row": 2, "column": PROMPT_SPAN.end.column}
    assert safe["url"] == CacheRule.url()
    assert safe["fix"] == {
        "applicability": "safe",
        "message": "add cache_control",
        "edits": [
            {
                "content": ", cache_control=True",
                "location": {"row": 2, "column": PROMPT_SPAN.end.column},
                "end_location": {"row": 2, "column": PROMPT_SPAN.end.column},
            }
        ],
        "suggestion": None,
    }
    assert safe["cost"] == {
        "tokens_per_call": 3120,
        "model": "claude-opus-4",
        "usd_per_1m_calls": 8424.0,
        "assumptions": "3,120 tok x $3.00/Mtok x 0.9 once cached",
        "exact_tokens": True,
    }
    display = parsed[2]
    assert display["severity"] == "error"
    assert display["url"] is None  # no rule registered for PRM101
    assert display["fix"]["applicability"] == "display-only"
    assert display["fix"]["edits"] == []
    assert display["fix"]["suggestion"] == "Be brief.\nAnswer in one line."
    assert display["cost"]["usd_per_1m_calls"] is None
    assert display["cost"]["exact_tokens"] is False
    assert parsed[4]["fix"] is None and parsed[4]["cost"] is None
    assert json.loads(render("json", data(()))) == []


# ----------------------------------------------------------------------------- sarif


def sarif(rendered: RenderInput) -> dict:
    return json.loads(render("sarif", rendered))


def test_sarif_validates_against_the_schema(registry: None) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    for rendered in (data(errors=ERRORS), data(()), data(root=None)):
        errors = sorted(validator.iter_errors(sarif(rendered)), key=str)
        assert not errors, errors[0]


def test_sarif_driver_rules_and_results(registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the findings' relative names are relative to the working directory
    run = sarif(data(root=str(tmp_path / ".")))["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("promptlint", __version__)
    rules = driver["rules"]
    assert sorted(rule["id"] for rule in rules) == ["PRM101", "PRM201", "PRM301", "PRM401"]
    cache = next(rule for rule in rules if rule["id"] == "PRM201")
    assert cache["shortDescription"]["text"] == "Flags long static prompts sent without a cache marker."
    assert cache["fullDescription"]["markdown"] == CacheRule.docs()
    assert cache["helpUri"] == CacheRule.url()
    unregistered = next(rule for rule in rules if rule["id"] == "PRM101")
    assert unregistered["name"] == "verbose-system-prompt" and "helpUri" not in unregistered

    results = run["results"]
    assert [r["ruleId"] for r in results] == [d.code for d in ALL]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [r["level"] for r in results] == ["warning", "warning", "error", "warning", "warning"]
    display = results[2]
    location = display["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 3,
        "startColumn": CALL_SPAN.start.column,
        "endLine": 4,
        "endColumn": CALL_SPAN.end.column,
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert "fixes" not in display  # display-only: nothing to apply
    assert display["properties"]["cost"]["tokens_per_call"] == 40
    (fix,) = results[1]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"] == [
        {
            "deletedRegion": {
                "startLine": 4,
                "startColumn": MODEL_SPAN.start.column,
                "endLine": 4,
                "endColumn": MODEL_SPAN.end.column,
            },
            "insertedContent": {"text": '"claude-haiku-4"'},
        }
    ]
    assert fix["properties"]["applicability"] == "unsafe"


def test_sarif_reports_unreadable_files_as_failed_invocation() -> None:
    (invocation,) = sarif(data(errors=ERRORS))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [e.reason for e in ERRORS]
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    (clean,) = sarif(data())["runs"][0]["invocations"]
    assert clean["executionSuccessful"] is True


def test_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    inside = replace(ELSEWHERE, filename=str(tmp_path / "src" / "a b.py"))
    outside = replace(ELSEWHERE, filename="/elsewhere/c.py")
    rendered = data((inside, outside), root=str(tmp_path))
    results = sarif(rendered)["runs"][0]["results"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert locations == [{"uri": "src/a%20b.py", "uriBaseId": "%SRCROOT%"}, {"uri": "file:///elsewhere/c.py"}]
    assert render("github", rendered).splitlines()[0].startswith("::warning file=src/a b.py,line=7,")
    assert render("concise", rendered).startswith("src/a b.py:7:1: ")


# ----------------------------------------------------------------------------- fingerprints


def fingerprints_of(rendered: RenderInput) -> list[str]:
    return [r["partialFingerprints"]["promptlintFingerprint/v1"] for r in sarif(rendered)["runs"][0]["results"]]


def shifted(diagnostic: Diagnostic, rows: int) -> Diagnostic:
    def move(span: Span) -> Span:
        return Span(Position(span.start.row + rows, span.start.column), Position(span.end.row + rows, span.end.column))

    fix = diagnostic.fix
    if fix is not None:
        fix = replace(fix, edits=tuple(replace(e, span=move(e.span)) for e in fix.edits))
    return replace(diagnostic, span=move(diagnostic.span), fix=fix)


def test_fingerprints_survive_unrelated_edits_above() -> None:
    before = fingerprints_of(data())
    assert len(set(before)) == len(before)
    moved = [shifted(d, 3) if d.filename == "app.py" else d for d in ALL]
    edited = "import os\n\n# the support bot\n" + SOURCE
    after = fingerprints_of(data(moved, sources={"app.py": edited}))
    assert after == before


def test_fingerprints_change_with_the_flagged_line_and_tell_twins_apart() -> None:
    changed = SOURCE.replace('"Be brief."', '"Be very brief."')
    assert fingerprints_of(data((SAFE,), sources={"app.py": changed})) != fingerprints_of(data((SAFE,)))
    twin = replace(SAFE, span=Span(Position(2, 1), Position(2, 9)))
    prints = fingerprints_of(data((SAFE, twin)))
    assert prints[0] != prints[1]
    assert fingerprints_of(data((twin, SAFE))) == prints[::-1]  # indices follow the source order


# ----------------------------------------------------------------------------- github


def test_github_annotations_escape_data_and_properties() -> None:
    odd_name = replace(LATENCY, name="a:b,c%d", message="100%\r\ndone")
    lines = render("github", data((SAFE, DISPLAY, odd_name))).splitlines()
    c = PROMPT_SPAN.start.column
    assert lines == [
        f"::warning file=app.py,line=2,col={c},endLine=2,endColumn={PROMPT_SPAN.end.column},"
        "title=PRM201 missing-cache-control::50%25 of calls: re-sent, uncached%0Aevery time",
        f"::error file=app.py,line=3,col={CALL_SPAN.start.column},endLine=4,endColumn={CALL_SPAN.end.column},"
        "title=PRM101 verbose-system-prompt::system prompt is 40 tokens over budget",
        f"::warning file=app.py,line=6,col={LOOP_SPAN.start.column},endLine=6,endColumn={LOOP_SPAN.end.column},"
        "title=PRM301 a%3Ab%2Cc%25d::100%25%0D%0Adone",
    ]
    assert render("github", data(())) == ""


# ----------------------------------------------------------------------------- gitlab


def test_gitlab_code_quality_issues() -> None:
    issues = json.loads(render("gitlab", data()))
    assert [i["check_name"] for i in issues] == [d.code for d in ALL]
    assert [i["fingerprint"] for i in issues] == fingerprints_of(data())
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in issues)
    assert [i["severity"] for i in issues] == ["minor", "minor", "major", "minor", "minor"]
    assert issues[0]["description"] == f"PRM201: {SAFE.message}"
    assert issues[2]["location"] == {"path": "app.py", "lines": {"begin": 3, "end": 4}}
    assert json.loads(render("gitlab", data(()))) == []


# ----------------------------------------------------------------------------- junit


def test_junit_suites_per_file_with_failures_and_errors() -> None:
    control = replace(ELSEWHERE, message="bell\x07 <&> here")
    report = ET.fromstring(render("junit", data((*ALL[:4], control), errors=ERRORS)))
    assert report.tag == "testsuites"
    assert (report.get("tests"), report.get("failures"), report.get("errors")) == ("7", "5", "2")
    suites = {suite.get("name"): suite for suite in report}
    assert set(suites) == {"app.py", "pkg/other.py", "broken.py", "binary.py"}
    app = suites["app.py"]
    assert (app.get("tests"), app.get("failures"), app.get("errors")) == ("4", "4", "0")
    failure = app.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == SAFE.message  # newline survives attribute escaping
    assert failure.get("type") == "PRM201"
    assert failure.text == f"app.py:2:{PROMPT_SPAN.start.column}: {SAFE.message}"
    other = suites["pkg/other.py"].find("testcase/failure")
    assert other is not None and other.get("message") == "bell\ufffd <&> here"
    broken = suites["broken.py"].find("testcase")
    assert broken is not None and broken.get("line") == "3"
    assert broken.find("error").get("message") == ERRORS[0].reason


def test_junit_clean_run_is_a_passing_suite() -> None:
    report = ET.fromstring(render("junit", data(())))
    (suite,) = report
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    (case,) = suite
    assert case.tag == "testcase" and len(case) == 0


# ----------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("usd", "shown"),
    [(8424.4, "~$8,424"), (41_100.0, "~$41,100"), (12.5, "~$12.50"), (0.42, "~$0.42"), (0.004, "<$0.01"), (0, "$0")],
)
def test_dollar_amounts_round_to_what_the_estimate_supports(usd: float, shown: str) -> None:
    cost = Cost(100, "m", usd, "")
    text = render("text", data((replace(ELSEWHERE, cost=cost, stake=None),)))
    assert f"= saves {shown} per 1M calls" in text
    assert f"Fixing all saves {shown} per 1M calls." in text


def test_summary_counts_batch_and_concurrency_openings() -> None:
    from promptlint.output import RenderInput, render
    from promptlint.types import Basis, Cost, Diagnostic, Position, Span, Stake

    span = Span(Position(1, 1), Position(1, 5))
    batch = Diagnostic(
        "PRM501", "batchable-offline-loop", "loop", "a.py", span,
        stake=Stake(100, True, "gpt-4o", Basis.BATCH),
        cost=Cost(100, "gpt-4o", 125.0, "batch"),
    )
    sequential = Diagnostic(
        "PRM302", "sequential-llm-calls", "seq", "a.py", span,
        stake=Stake(0, True, "gpt-4o", Basis.LATENCY),
    )
    text = render("text", RenderInput(diagnostics=[batch, sequential], sources={"a.py": "x = 1\n"}), color=False)
    assert "Opportunities: 1 loop could use a half-price batch API (saves ~$125 per 1M calls); " \
        "1 place makes LLM calls one after another that could run concurrently." in text
    plain = render("text", RenderInput(diagnostics=[sequential], sources={"a.py": "x = 1\n"}), color=False)
    assert "batch API" not in plain and "1 place makes" in plain
