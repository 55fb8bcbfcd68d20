"""The README carries the two set-up commands and a rules table generated from the rules."""

from __future__ import annotations

from pathlib import Path

from promptlint.checks import all_rules
from promptlint.docs import rules_table, update_readme

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rules_table_is_current() -> None:
    assert update_readme(README) == README, "run `python -m promptlint.docs` to refresh the rules table"


def test_rules_table_lists_every_rule() -> None:
    table = rules_table()
    for rule in all_rules():
        assert f"| {rule.code} | `{rule.name}` |" in table


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in README, "the README's test command and .ci/run must be the same command"
    assert "pytest" in ci


def test_readme_demo_command_checks_examples() -> None:
    assert "promptlint check examples/" in README
