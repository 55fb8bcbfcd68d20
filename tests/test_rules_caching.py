"""PRM201 missing-cache-control and PRM202 unstable-cache-prefix beyond their inline
examples: the PRM201 fix round trip (fix, parse, re-check, fix again changes nothing),
where breakpoints sit inside a system block list, dates that hold for a day, and the
PRM202 options."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from promptlint.analysis.prefix import ordered_parts, prefix_parts
from promptlint.analysis.stability import is_day_stable
from promptlint.engine import analyze_paths
from promptlint.checks.caching.missing_cache_control import MissingCacheControl
from promptlint.checks.caching.unstable_cache_prefix import UnstableCachePrefix
from promptlint.config import Config
from promptlint.engine import lint
from promptlint.fixes import fix_file
from promptlint.rule import Rule
from promptlint.tokens import count_tokens
from promptlint.analysis.results import LLMCall
from promptlint.types import Applicability, Diagnostic

GUIDE = '"Follow the support playbook exactly. " * 400'


def write(root: Path, text: str, name: str = "app.py") -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def findings(rule: type[Rule], root: Path, options: dict | None = None, overrides: dict | None = None) -> list[Diagnostic]:
    config = Config(root=root, select=(rule.code,), rule_options={rule.name: options or {}})
    result = lint([root], config, use_cache=False, overrides=overrides)
    assert not result.errors, result.errors
    return [d for d in result.diagnostics if d.code == rule.code]


def calls(path: Path) -> list[LLMCall]:
    analyses, errors, _ = analyze_paths([path], Config(root=path.parent), jobs=1, use_cache=False)
    assert not errors
    return [call for analysis in analyses for call in analysis.calls]


# --------------------------------------------------------------------------- PRM201 fix


ANTHROPIC_CALL = f"""
import anthropic

client = anthropic.{{client}}()
GUIDE = {GUIDE}

def answer(question):
    return client.messages.{{method}}(
        model="claude-sonnet-4-5",
        max_tokens=512,
        system={{system}},
        messages=[{{{{"role": "user", "content": question}}}}],
    )
"""


@pytest.mark.parametrize(
    ("client", "method", "system"),
    [
        ("Anthropic", "create", "GUIDE"),
        ("AnthropicBedrock", "stream", "GUIDE"),
        ("Anthropic", "create", '"""' + "\n".join(["Follow the support playbook exactly, step by step."] * 200) + '"""'),
    ],
)
def test_prm201_round_trip(tmp_path: Path, client: str, method: str, system: str) -> None:
    path = write(tmp_path, ANTHROPIC_CALL.format(client=client, method=method, system=system))
    before = findings(MissingCacheControl, tmp_path)
    assert len(before) == 1 and before[0].fix is not None
    assert before[0].fix.applicability is Applicability.UNSAFE

    def relint(text: str) -> list[Diagnostic]:
        return findings(MissingCacheControl, tmp_path, overrides={path: text})

    first = fix_file(path, relint, unsafe=True, write=True)
    assert first.error is None and not first.dropped, (first.error, first.dropped)
    fixed = path.read_text(encoding="utf-8")
    ast.parse(fixed)
    assert '"cache_control": {"type": "ephemeral"}' in fixed
    assert findings(MissingCacheControl, tmp_path) == []
    second = fix_file(path, relint, unsafe=True, write=True)
    assert second.new_text == fixed


def test_prm201_fix_needs_unsafe(tmp_path: Path) -> None:
    path = write(tmp_path, ANTHROPIC_CALL.format(client="Anthropic", method="create", system="GUIDE"))
    original = path.read_text(encoding="utf-8")
    outcome = fix_file(path, lambda text: findings(MissingCacheControl, tmp_path, overrides={path: text}), unsafe=False, write=True)
    assert outcome.new_text == original


def test_prm201_expression_system_is_display_only(tmp_path: Path) -> None:
    write(tmp_path, ANTHROPIC_CALL.format(client="Anthropic", method="create", system='GUIDE.strip() + "\\n"'))
    found = findings(MissingCacheControl, tmp_path)
    assert len(found) == 1
    assert found[0].fix is not None and found[0].fix.applicability is Applicability.DISPLAY_ONLY
    assert found[0].fix.edits == () and "cache_control" in (found[0].fix.suggestion or "")


def test_prm201_bedrock_suggestion_leaves_out_automatic_caching(tmp_path: Path) -> None:
    write(tmp_path, ANTHROPIC_CALL.format(client="AnthropicBedrock", method="create", system="GUIDE.strip()"))
    (finding,) = findings(MissingCacheControl, tmp_path)
    assert finding.fix is not None and "cache_control={" not in (finding.fix.suggestion or "")


def test_prm201_skips_splatted_keywords(tmp_path: Path) -> None:
    source = ANTHROPIC_CALL.format(client="Anthropic", method="create", system="GUIDE")
    write(tmp_path, source.replace("max_tokens=512,", "max_tokens=512, **extra,").replace("(question)", "(question, extra)"))
    assert findings(MissingCacheControl, tmp_path) == []


def test_prm201_date_does_not_end_the_prefix(tmp_path: Path) -> None:
    """A date changes once a day: the text after it is still cacheable prefix."""
    source = ANTHROPIC_CALL.format(client="Anthropic", method="create", system='f"Today is {datetime.date.today()}.\\n" + GUIDE')
    write(tmp_path, "import datetime\n" + textwrap.dedent(source).lstrip("\n"))
    (finding,) = findings(MissingCacheControl, tmp_path)
    expected = count_tokens("Today is " + ".\n" + "Follow the support playbook exactly. " * 400, "claude-sonnet-4-5")
    assert finding.stake is not None and finding.stake.tokens == expected.tokens


def test_prm201_not_reported_for_a_timestamp_first(tmp_path: Path) -> None:
    source = ANTHROPIC_CALL.format(client="Anthropic", method="create", system='f"Now: {time.time()}\\n" + GUIDE')
    write(tmp_path, "import time\n" + textwrap.dedent(source).lstrip("\n"))
    assert findings(MissingCacheControl, tmp_path) == []
    assert len(findings(UnstableCachePrefix, tmp_path)) == 1


# --------------------------------------------------------------------------- breakpoints


def test_system_blocks_carry_their_own_markers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        import anthropic

        client = anthropic.Anthropic()
        TOOLS = [{{"name": "lookup", "input_schema": {{"type": "object"}}, "cache_control": {{"type": "ephemeral"}}}}]

        def answer(question):
            return client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=512,
                tools=TOOLS,
                system=[
                    {{"type": "text", "text": {GUIDE}, "cache_control": {{"type": "ephemeral"}}}},
                    {{"type": "text", "text": question}},
                ],
                messages=[{{"role": "user", "content": question}}],
            )
        """,
    )
    (call,) = calls(path)
    parts = prefix_parts(call)
    assert [(part.where, part.cache_marked) for part in parts] == [
        ("tools", True),
        ("system", True),
        ("system", False),
        ("messages[0]", False),
    ]
    assert parts[1].text.static_text + parts[2].text.static_text == call.system.static_text


def test_ordered_parts_stop_at_unresolved_messages(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        from openai import OpenAI

        client = OpenAI()

        def reply(history, question):
            return client.chat.completions.create(
                model="gpt-4.1",
                messages=[{"role": "system", "content": "Be brief."}, *history, {"role": "user", "content": question}],
            )
        """,
    )
    (call,) = calls(path)
    assert not call.messages_resolved
    assert [part.role for part in ordered_parts(call)] == ["system"]


def test_prm202_counts_only_tokens_after_an_earlier_breakpoint(tmp_path: Path) -> None:
    """A breakpoint before the per-call part still hits; the stranded tokens are those
    between it and the last breakpoint."""
    write(
        tmp_path,
        f"""
        import time

        import anthropic

        client = anthropic.Anthropic()
        EXAMPLES = "Ticket: printer offline. Answer: restart the spooler. " * 200

        def answer(question):
            return client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=512,
                system=[
                    {{"type": "text", "text": {GUIDE}, "cache_control": {{"type": "ephemeral"}}}},
                    {{"type": "text", "text": f"Now: {{time.time()}}"}},
                ],
                messages=[
                    {{"role": "user", "content": EXAMPLES}},
                    {{"role": "assistant", "content": [{{"type": "text", "text": "Understood.", "cache_control": {{"type": "ephemeral"}}}}]}},
                    {{"role": "user", "content": question}},
                ],
            )
        """,
    )
    (finding,) = findings(UnstableCachePrefix, tmp_path)
    guide = "Follow the support playbook exactly. " * 400
    examples = "Ticket: printer offline. Answer: restart the spooler. " * 200
    model = "claude-sonnet-4-5"
    expected = count_tokens(guide + "Now: " + examples + "Understood.", model).tokens - count_tokens(guide, model).tokens
    assert finding.stake is not None and finding.stake.tokens == expected
    assert "never read" in finding.message
    assert finding.span.start.row == 14  # the f-string holding time.time()


def test_prm202_nothing_after_the_last_breakpoint(tmp_path: Path) -> None:
    write(
        tmp_path,
        f"""
        import time

        import anthropic

        client = anthropic.Anthropic()

        def answer(question):
            return client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=512,
                system=[{{"type": "text", "text": {GUIDE}, "cache_control": {{"type": "ephemeral"}}}}],
                messages=[
                    {{"role": "user", "content": f"Now: {{time.time()}}. " + "Example ticket. " * 400}},
                    {{"role": "assistant", "content": "Understood."}},
                    {{"role": "user", "content": question}},
                ],
            )
        """,
    )
    assert findings(UnstableCachePrefix, tmp_path) == []


# --------------------------------------------------------------------------- dates and options


@pytest.mark.parametrize(
    ("expression", "stable"),
    [
        ("datetime.date.today()", True),
        ("{datetime.now():%Y-%m-%d}", True),
        ("datetime.now().strftime('%A %d %B')", True),
        ("{today}", True),
        ("report_date", True),
        ("datetime.now().date()", True),
        ("{datetime.now():%H:%M}", False),
        ("datetime.now().strftime('%Y-%m-%d %H:%M')", False),
        ("datetime.now()", False),
        ("time.time()", False),
        ("now", False),
        ("timestamp", False),
        ("datetime_str", False),
    ],
)
def test_day_stable_time_expressions(expression: str, stable: bool) -> None:
    assert is_day_stable(expression) is stable


UNKNOWN_HEADER = """
import litellm
from prompts import load_prompt

SYSTEM = "You are the billing assistant. Policy: refunds within 30 days. " * 100

def reply(question):
    return litellm.completion(
        model="anthropic/claude-sonnet-4-5",
        messages=[
            {"role": "system", "content": load_prompt("header") + SYSTEM},
            {"role": "user", "content": question},
        ],
    )
"""


def test_prm202_unknown_kind_only_when_opted_in(tmp_path: Path) -> None:
    write(tmp_path, UNKNOWN_HEADER)
    assert findings(UnstableCachePrefix, tmp_path) == []
    (finding,) = findings(UnstableCachePrefix, tmp_path, {"dynamic-kinds": ["unknown"]})
    assert 'load_prompt("header")' in finding.message


def test_prm202_excluded_kind_is_not_blamed_on_later_segments(tmp_path: Path) -> None:
    """With `time` left out, a leading timestamp still ends the cacheable prefix: a request
    id after it is not what strands the text."""
    write(
        tmp_path,
        f"""
        import time
        import uuid

        from openai import OpenAI

        client = OpenAI()

        def reply(question):
            return client.responses.create(
                model="gpt-5.5",
                instructions=f"Now {{time.time()}} id {{uuid.uuid4()}}\\n" + {GUIDE},
                input=question,
            )
        """,
    )
    assert len(findings(UnstableCachePrefix, tmp_path)) == 1
    assert findings(UnstableCachePrefix, tmp_path, {"dynamic-kinds": ["random", "external"]}) == []


def test_prm202_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="dynamic-kinds"):
        UnstableCachePrefix.make_options({"dynamic-kinds": ["weather"]})


def test_prm202_is_display_only_with_a_suggestion(tmp_path: Path) -> None:
    write(
        tmp_path,
        f"""
        import uuid

        from openai import OpenAI

        client = OpenAI()

        def reply(question):
            return client.responses.create(
                model="gpt-5.5",
                instructions=f"Trace {{uuid.uuid4()}}\\n" + {GUIDE},
                input=question,
            )
        """,
    )
    (finding,) = findings(UnstableCachePrefix, tmp_path)
    assert finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY
    assert finding.fix.edits == () and "uuid.uuid4()" in (finding.fix.suggestion or "")
