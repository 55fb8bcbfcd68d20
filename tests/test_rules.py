"""Every rule's examples are its tests: Valid examples produce no finding of the rule,
Invalid ones produce exactly the findings they promise, with message, tokens and fix."""

from __future__ import annotations

import pytest

from promptlint.checks import all_rules
from promptlint.rule import Invalid, Valid
from promptlint.testing import run_example

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{type(example).__name__}-{index}")
    for rule in all_rules()
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule, example) -> None:
    run = run_example(rule, example)
    found = [d for d in run.diagnostics if d.code == rule.code]
    if isinstance(example, Valid):
        assert found == [], f"unexpected findings: {[d.message for d in found]}"
        return
    assert isinstance(example, Invalid)
    assert len(found) == example.count, [d.message for d in found]
    assert any(example.message in d.message for d in found), [d.message for d in found]
    if example.tokens is not None:
        assert found[0].stake is not None
        assert found[0].stake.tokens == example.tokens
    if example.fixed is not None:
        assert run.fixed == example.fixed_dedented


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_metadata(rule) -> None:
    docs = rule.docs()
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert section in docs, f"{rule.code} docs lack {section}"
    assert rule.code.startswith("PRM") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and "-" in rule.name
    module = rule.__module__.rsplit(".", 1)[-1]
    assert module == rule.name.replace("-", "_"), "one module per rule, named after it"
    valid = [e for e in rule.examples if isinstance(e, Valid)]
    invalid = [e for e in rule.examples if isinstance(e, Invalid)]
    assert len(valid) >= 4 and len(invalid) >= 4, "each rule needs >= 4 valid and >= 4 invalid examples"
    if rule.fix_applicability is not None and rule.fix_applicability.value != "display-only":
        assert any(e.fixed is not None for e in invalid), "a fixable rule shows its fix in an example"


def test_codes_and_names_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
