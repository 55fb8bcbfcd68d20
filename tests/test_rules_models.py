"""The model rules (PRM401 expensive-model-for-simple-task, PRM402 retired-model, PRM403
unknown-model): fix round trips, the evidence PRM401 requires, dates, and the negatives."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import libcst as cst
import pytest

from promptlint.checks.models.expensive_model_for_simple_task import (
    ExpensiveModelForSimpleTask,
    suggested_cheaper,
    closed_answer,
)
from promptlint.checks.models.retired_model import RetiredModel
from promptlint.checks.models.unknown_model import UnknownModel
from promptlint.config import Config
from promptlint.data import load_yaml
from promptlint.engine import lint
from promptlint.fixes import fix_file
from promptlint.models import model_info
from promptlint.rule import Invalid, RuleContext
from promptlint.testing import EXAMPLE_DATE
from promptlint.tokens import count_tokens
from promptlint.types import Applicability, Basis, Diagnostic, Severity

RULES = (ExpensiveModelForSimpleTask, RetiredModel, UnknownModel)


def findings(
    root: Path, code: str, *, options: dict | None = None, today: date = EXAMPLE_DATE, overrides: dict | None = None
) -> list[Diagnostic]:
    rule = next(r for r in RULES if r.code == code)
    config = Config(root=root, select=(code,), rule_options={rule.name: options or {}})
    result = lint([root], config, use_cache=False, today=today, overrides=overrides)
    assert not result.errors, result.errors
    return [d for d in result.diagnostics if d.code == code]


def project(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- round trips

FIXABLE = [
    pytest.param(rule, example, id=f"{rule.code}-{index}")
    for rule in RULES
    for index, example in enumerate(rule.examples)
    if isinstance(example, Invalid) and example.fixed is not None and not example.files
]


@pytest.mark.parametrize(("rule", "example"), FIXABLE)
def test_fix_round_trip(tmp_path: Path, rule, example: Invalid) -> None:
    path = project(tmp_path, example.source)
    before = findings(tmp_path, rule.code, options=dict(example.options))
    assert before and all(d.fix is not None and d.fix.applicability is Applicability.UNSAFE for d in before)

    def relint(text: str) -> list[Diagnostic]:
        return findings(tmp_path, rule.code, options=dict(example.options), overrides={path: text})

    first = fix_file(path, relint, unsafe=True, write=True)
    fixed = path.read_text(encoding="utf-8")
    assert first.new_text == fixed != example.dedented
    cst.parse_module(fixed)  # still parses
    after = findings(tmp_path, rule.code, options=dict(example.options))
    assert not any(d.span.start.row in {b.span.start.row for b in before} for d in after)
    second = fix_file(path, relint, unsafe=True, write=True)
    assert path.read_text(encoding="utf-8") == fixed
    assert second.new_text == fixed


def test_safe_only_fixing_leaves_the_model_alone(tmp_path: Path) -> None:
    path = project(tmp_path, RetiredModel.examples[0].source)
    original = path.read_text(encoding="utf-8")

    def relint(text: str) -> list[Diagnostic]:
        return findings(tmp_path, "PRM402", overrides={path: text})

    fix_file(path, relint, unsafe=False, write=True)
    assert path.read_text(encoding="utf-8") == original


# --------------------------------------------------------------------------- PRM401 evidence

OPENAI_CALL = """
from openai import OpenAI

client = OpenAI()

def run(text):
    return client.chat.completions.create(
        model="gpt-5.5",{extra}
        messages=[{{"role": "system", "content": "{system}"}}, {{"role": "user", "content": text}}],
    )
"""


@pytest.mark.parametrize(
    ("system", "extra", "flagged"),
    [
        ("Classify the ticket as bug or feature.", "\n        max_tokens=4,", True),  # task + cap
        ("Classify the ticket as bug or feature. Answer with one word.", "", True),  # task + instruction
        ("Summarize the ticket.", "\n        max_tokens=4,", False),  # a cap alone
        ("Classify the ticket as bug or feature.", "", False),  # a cue alone
        ("Classify the ticket as bug or feature.", "\n        max_tokens=200,", False),  # cap above 64
        ("Classify the ticket, then explain your reasoning.", "\n        max_tokens=60,", False),  # long form
        ("Summarize the ticket.", "\n        response_format=bool,", True),  # a label format
        ("Summarize the ticket.", '\n        response_format=Literal["bug", "feature"],', True),
        ("Summarize the ticket.", "\n        response_format=Ticket,", False),  # free-form fields
    ],
)
def test_prm401_needs_task_and_output_evidence(tmp_path: Path, system: str, extra: str, flagged: bool) -> None:
    source = "from typing import Literal\n\nclass Ticket:\n    title: str\n    body: str\n" + OPENAI_CALL.format(
        system=system, extra=extra
    )
    project(tmp_path, source)
    assert bool(findings(tmp_path, "PRM401")) is flagged


def test_prm401_enum_and_label_only_models_are_label_formats(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        from enum import Enum

        from openai import OpenAI
        from pydantic import BaseModel

        client = OpenAI()

        class Priority(str, Enum):
            LOW = "low"
            HIGH = "high"

        class Triage(BaseModel):
            \"\"\"How urgent a ticket is.\"\"\"

            priority: Priority
            escalate: bool = False

        def triage(text):
            return client.beta.chat.completions.parse(
                model="gpt-5.5", response_format=Triage, messages=[{"role": "user", "content": text}]
            )

        def priority(text):
            return client.beta.chat.completions.parse(
                model="gpt-5.5", response_format=Priority, messages=[{"role": "user", "content": text}]
            )
        """,
    )
    found = findings(tmp_path, "PRM401")
    assert sorted(d.span.start.row for d in found) == [20, 25]  # the model arguments
    assert all("a label response format" in d.message for d in found)


def test_prm401_stake_uses_the_cap_else_the_expected_output_option(tmp_path: Path) -> None:
    project(tmp_path, OPENAI_CALL.format(system="Classify the ticket. Answer with one word.", extra="\n        max_tokens=7,"))
    (capped,) = findings(tmp_path, "PRM401")
    assert capped.stake is not None
    assert (capped.stake.basis, capped.stake.output_tokens, capped.stake.cheaper_model) == (
        Basis.MODEL_SWAP,
        7,
        "gpt-5.4-mini",
    )
    assert capped.cost is not None and capped.cost.usd_per_1m_calls is not None and capped.cost.usd_per_1m_calls > 0

    project(tmp_path, OPENAI_CALL.format(system="Classify the ticket. Answer with one word.", extra=""))
    (uncapped,) = findings(tmp_path, "PRM401", options={"expected-output-tokens": 9})
    assert uncapped.stake is not None and uncapped.stake.output_tokens == 9


def test_prm401_cap_threshold_is_an_option(tmp_path: Path) -> None:
    project(tmp_path, OPENAI_CALL.format(system="Classify the ticket.", extra="\n        max_tokens=100,"))
    assert findings(tmp_path, "PRM401") == []
    assert len(findings(tmp_path, "PRM401", options={"max-output-tokens": 128})) == 1


def test_prm401_model_shared_through_a_constructor_gets_a_display_only_fix(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        """
        from langchain_anthropic import ChatAnthropic

        llm = ChatAnthropic(model="claude-opus-5-5", max_tokens=2)

        def flag(text):
            return llm.invoke([("system", "Is this toxic? Answer yes or no."), ("user", text)])
        """,
    )
    (found,) = findings(tmp_path, "PRM401")
    assert found.fix is not None and found.fix.applicability is Applicability.DISPLAY_ONLY
    assert found.fix.suggestion == '"claude-sonnet-5-5"'
    assert found.span.start.row == 6  # the call, not the shared constructor
    assert path.read_text(encoding="utf-8").count("claude-opus-5-5") == 1


def test_prm401_skips_tools_and_unresolved_conversations(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        import anthropic

        client = anthropic.Anthropic()
        TOOLS = [{"name": "lookup", "description": "Look up an order.", "input_schema": {"type": "object"}}]

        def with_tools(text):
            return client.messages.create(
                model="claude-opus-5-5", max_tokens=5, tools=TOOLS, system="Classify the request.",
                messages=[{"role": "user", "content": text}],
            )

        def with_history(history):
            return client.messages.create(
                model="claude-opus-5-5", max_tokens=5, system="Classify the request.", messages=history,
            )
        """,
    )
    assert findings(tmp_path, "PRM401") == []


def test_task_signal_lexicon_is_clean() -> None:
    data = load_yaml("lexicons/task_signals.yaml")
    task_phrases = [p for phrases in data["tasks"].values() for p in phrases]
    every = task_phrases + data["short_answer"] + data["long_form"]
    assert all(isinstance(p, str) and p == p.lower() and p == " ".join(p.split()) for p in every)
    assert len(set(task_phrases)) == len(task_phrases)
    assert not set(data["long_form"]) & (set(task_phrases) | set(data["short_answer"]))


# --------------------------------------------------------------------------- PRM402 dates

GPT5 = """
from openai import OpenAI

client = OpenAI()

def answer(question):
    return client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": question}])
"""


@pytest.mark.parametrize(
    ("today", "severity", "wording"),
    [
        (date(2026, 12, 10), Severity.WARNING, "shuts down on 2026-12-11 (in 1 day)"),
        (date(2026, 12, 11), Severity.ERROR, "was shut down on 2026-12-11"),
        (date(2027, 3, 1), Severity.ERROR, "was shut down on 2026-12-11"),
    ],
)
def test_prm402_is_a_warning_until_the_shutdown_and_an_error_from_it(
    tmp_path: Path, today: date, severity: Severity, wording: str
) -> None:
    project(tmp_path, GPT5)
    (found,) = findings(tmp_path, "PRM402", today=today)
    assert found.severity is severity
    assert wording in found.message
    assert found.stake is None  # a correctness finding: no dollar delta


def test_prm402_follows_a_retired_replacement(tmp_path: Path) -> None:
    project(tmp_path, GPT5)
    # gpt-5's replacement gpt-5.5 has no shutdown date, so it is kept even far ahead.
    (found,) = findings(tmp_path, "PRM402", today=date(2030, 1, 1))
    assert found.message.endswith("replace it with gpt-5.5")


def test_prm402_langchain_default_points_at_the_call_without_a_fix(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI()

        def answer(question):
            return llm.invoke(question)
        """,
    )
    (found,) = findings(tmp_path, "PRM402")
    assert found.severity is Severity.ERROR
    assert found.fix is None
    assert (found.span.start.row, found.span.start.column) == (6, 12)


def test_prm402_skips_models_served_by_another_platform(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        import litellm

        def answer(question):
            litellm.completion(model="azure/gpt-4", messages=[{"role": "user", "content": question}])
            litellm.completion(model="bedrock/anthropic.claude-3-5-haiku-20241022-v1:0", messages=[{"role": "user", "content": question}])
            litellm.completion(model="vertex_ai/claude-sonnet-4", messages=[{"role": "user", "content": question}])
        """,
    )
    assert findings(tmp_path, "PRM402") == []


def test_stubbed_calls_send_no_request(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        import litellm

        def fake(text):
            litellm.completion(model="gpt-4", mock_response="Hi!", messages=[{"role": "user", "content": text}])
            return litellm.completion(
                model="gpt-5.5", max_tokens=1, mock_response="yes",
                messages=[{"role": "user", "content": "Is this spam? Answer yes or no. " + text}],
            )
        """,
    )
    assert findings(tmp_path, "PRM402") == []
    assert findings(tmp_path, "PRM401") == []


# --------------------------------------------------------------------------- PRM403


def test_prm403_offers_no_fix_that_changes_a_version(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        from openai import OpenAI

        client = OpenAI()

        def answer(question):
            return client.chat.completions.create(model="gpt-5.5-turbo", messages=[{"role": "user", "content": question}])
        """,
    )
    (found,) = findings(tmp_path, "PRM403")
    # The nearest id is retired and only loosely alike: named, never suggested, and no replacement guessed.
    assert found.fix is None
    assert "(the nearest known id, gpt-3.5-turbo, was shut down on 2026-10-23)" in found.message
    assert "did you mean" not in found.message and "use " not in found.message


@pytest.mark.parametrize(
    "model",
    [
        "azure/gpt4o",  # an Azure deployment through LiteLLM
        "groq/gpt4o",  # another vendor's catalogue
        "llama3.1:8b",  # a local tag
        "gemini-2.5-computer-use-preview-10-2025",  # a real id with no price: nothing close
        "my-router-alias",  # a custom name
    ],
)
def test_prm403_stays_quiet_about_ids_a_price_table_cannot_know(tmp_path: Path, model: str) -> None:
    project(
        tmp_path,
        f"""
        import litellm

        def answer(question):
            return litellm.completion(model="{model}", messages=[{{"role": "user", "content": question}}])
        """,
    )
    assert findings(tmp_path, "PRM403") == []


def test_prm403_constant_is_reported_and_fixed_where_it_is_written(tmp_path: Path) -> None:
    """Two calls using one misspelt constant: one finding, at the literal, whose fix
    rewrites it (unsafe: it changes the model both calls use)."""
    project(
        tmp_path,
        """
        import anthropic

        MODEL = "claude-3-5-sonet"
        client = anthropic.Anthropic()

        def answer(question):
            return client.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": question}])

        def summarize(text):
            return client.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": text}])
        """,
    )
    (found,) = findings(tmp_path, "PRM403")
    assert (found.span.start.row, found.span.start.column) == (3, 9)  # the literal MODEL holds
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    (edit,) = found.fix.edits
    assert edit.span == found.span and edit.content.startswith('"claude-')


def test_analysis_does_not_read_a_call_input_as_the_model(tmp_path: Path) -> None:
    """`llm.invoke(text)` / `agent.run_sync(text)`: the positional is the input; the model
    comes from the constructor (or LangChain's default)."""
    project(
        tmp_path,
        """
        from langchain_openai import ChatOpenAI
        from pydantic_ai import Agent

        llm = ChatOpenAI()
        agent = Agent("openai:gpt-4")

        def answer(question):
            llm.invoke(question)
            agent.run_sync(question)
        """,
    )
    result = lint([tmp_path], Config(root=tmp_path, select=("PRM402",)), use_cache=False, today=EXAMPLE_DATE)
    models = sorted((c.model, c.model_argument.source if c.model_argument else None) for a in result.analyses for c in a.calls)
    assert models == [("gpt-3.5-turbo", None), ("gpt-4", '"openai:gpt-4"')]


# --------------------------------------------------------------------------- PRM401 closed answers

@pytest.mark.parametrize(
    ("text", "labels", "by_instruction"),
    [
        ("Route the message to the right team. Answer only 'billing' or 'technical'.", ("'billing'", "'technical'"), True),
        ("Reply with one of: billing, technical, account, other.", ("billing", "technical", "account", "other"), True),
        ("Respond with exactly one of the following labels: POSITIVE, NEGATIVE, NEUTRAL", ("POSITIVE", "NEGATIVE", "NEUTRAL"), True),
        ('Answer with "yes" or "no".', ('"yes"', '"no"'), True),
        ('Please respond with "positive" or "negative" only.', ('"positive"', '"negative"'), True),
        ("Answer only yes or no.", ("yes", "no"), True),
        ("Reply with one word: true or false", ("true", "false"), True),
        ("Classify it.\nCategories:\n- billing\n- technical\n- other\n", ("billing", "technical", "other"), False),
        ("Classify the ticket as one of: Billing Issue, Bug Report, Feature Request.", ("Billing Issue", "Bug Report", "Feature Request"), False),
        # Not closed answers:
        ("Reply with yes or no and a one-paragraph justification.", (), False),
        ("Answer only questions about billing.", (), False),
        ("Reply only in English or French.", (), False),
        ("Respond with: title, description, tags", (), False),  # output fields, not labels
        ("You can reply with: hello, thanks", (), False),
        ("Respond with a short paragraph: include the date, the amount.", (), False),
        ("Labels: a title and a body", (), False),
        ("Reply with the user name, email, and phone.", (), False),
    ],
)
def test_closed_answers(text: str, labels: tuple[str, ...], by_instruction: bool) -> None:
    assert closed_answer(text) == (labels, by_instruction)


def test_a_heading_alone_does_not_name_a_task(tmp_path: Path) -> None:
    # "Categories:" may describe a product as well as list labels: no task cue, no finding.
    project(tmp_path, OPENAI_CALL.format(system="Write the product page. Categories: electronics, home.", extra="\n        max_tokens=30,"))
    assert findings(tmp_path, "PRM401") == []


@pytest.mark.parametrize(
    ("model", "today", "suggested"),
    [
        ("gpt-5.5", date(2026, 12, 1), "gpt-5.4-mini"),
        ("gpt-4o", date(2026, 12, 1), "gpt-6-luna"),  # gpt-4o-mini shuts down on 2027-01-14
        ("gpt-4o", date(2026, 10, 1), "gpt-4o-mini"),  # over 90 days before that
        ("gpt-4.1", date(2026, 12, 1), "gpt-6-luna"),  # gpt-4.1-mini, the same day
    ],
)
def test_the_suggested_cheaper_model_serves_for_90_days(model: str, today: date, suggested: str) -> None:
    info = model_info(model)
    assert info is not None
    ctx = RuleContext(options=None, count_tokens=count_tokens, today=today, read_source=lambda _: "")
    chosen = suggested_cheaper(info, ctx)
    assert chosen is not None and chosen.id == suggested
    shutdown = chosen.shutdown
    assert shutdown is None or (shutdown - today).days >= 90


def test_prm402_one_finding_for_a_default_model_many_calls_use(tmp_path: Path) -> None:
    """A module constant and a parameter default, each used by two calls: one finding per
    literal, where it is written (the reviewer counted the per-call copies as duplicates)."""
    project(
        tmp_path,
        """
        from openai import OpenAI

        DEFAULT_MODEL = "gpt-3.5-turbo"
        client = OpenAI()

        def ask(question, model="gpt-4-0613"):
            return client.chat.completions.create(model=model, messages=[{"role": "user", "content": question}])

        def answer(question):
            return client.chat.completions.create(model=DEFAULT_MODEL, messages=[{"role": "user", "content": question}])

        def summarize(text):
            return client.chat.completions.create(model=DEFAULT_MODEL, messages=[{"role": "user", "content": text}])

        ask("first")
        ask("second")
        """,
    )
    rows = sorted(found.span.start.row for found in findings(tmp_path, "PRM402"))
    assert rows == [3, 6]  # DEFAULT_MODEL's literal, the parameter's default


@pytest.mark.parametrize("declaration", ["@dataclass\nclass Agent:", "class Agent(BaseModel):"])
def test_prm402_a_model_field_is_what_the_constructor_is_given(tmp_path: Path, declaration: str) -> None:
    """`model: str = "gpt-3.5-turbo"` on a dataclass or pydantic model is a default: the
    call sends whatever `Agent(model=...)` was given, unknown here."""
    project(
        tmp_path,
        f"""
from dataclasses import dataclass
from openai import OpenAI
from pydantic import BaseModel

{declaration}
    model: str = "gpt-3.5-turbo"

    def run(self, question):
        return OpenAI().chat.completions.create(model=self.model, messages=[{{"role": "user", "content": question}}])
""",
    )
    assert findings(tmp_path, "PRM402") == []


def test_prm402_a_plain_class_attribute_is_the_model_sent(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
        from openai import OpenAI

        class Agent:
            model = "gpt-3.5-turbo"

            def run(self, question):
                return OpenAI().chat.completions.create(model=self.model, messages=[{"role": "user", "content": question}])
        """,
    )
    (found,) = findings(tmp_path, "PRM402")
    assert "gpt-3.5-turbo" in found.message and found.span.start.row == 7  # `self.model` at the call


WRAPPED_ROUTER = """
from openai import OpenAI

client = OpenAI()

def ask(system, text, model{default}):
    return client.chat.completions.create(
        model=model,
        max_tokens=4,
        messages=[{{"role": "system", "content": system}}, {{"role": "user", "content": text}}],
    )

def route(ticket):
    return ask("Classify the ticket as bug or feature. Answer with one word.", ticket{passed})
"""


def test_prm401_judges_a_wrapper_call_at_the_model_its_caller_passes(tmp_path: Path) -> None:
    project(tmp_path, WRAPPED_ROUTER.format(default="", passed=', model="gpt-5.5"'))
    (found,) = findings(tmp_path, "PRM401")
    assert found.span.start.row == 13 and "gpt-5.5" in found.message


def test_prm401_a_model_the_wrapper_names_itself_is_not_blamed_on_its_callers(tmp_path: Path) -> None:
    """The wrapper's own default serves every caller: judged at the SDK call (where the
    prompt is a parameter, so nothing is known of the task), never at one caller."""
    project(tmp_path, WRAPPED_ROUTER.format(default='="gpt-5.5"', passed=""))
    assert [found.span.start.row for found in findings(tmp_path, "PRM401")] == []
