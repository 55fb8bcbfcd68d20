# SPDX-License-Identifier: MIT
"""PRM401 expensive-model-for-simple-task: a premium model doing a classification-sized job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from promptlint.analysis.prefix import all_static_text, prefix_parts
from promptlint.checks.models.model_literal import (
    is_azure_deployment,
    replace_model,
    written_at_call,
)
from promptlint.data import load_yaml
from promptlint.models import TIERS, ModelInfo, current_model, model_info
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import LLMCall
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Stake

#: Arguments that give a call's output a type (OpenAI `response_format`, Responses
#: `text_format`, instructor `response_model`, pydantic-ai `output_type`/`result_type`).
FORMAT_ARGUMENTS = ("response_format", "text_format", "response_model", "output_type", "result_type")
#: google-genai's enum output: `config=...(response_mime_type="text/x.enum")`.
GOOGLE_ENUM_MIME = "text/x.enum"
_LITERAL = re.compile(r"^(?:[A-Za-z_]\w*\.)?Literal\[")
_GOOGLE_SCHEMA = re.compile(r"""["']?response_schema["']?\s*[=:]\s*([A-Za-z_]\w*)\s*[,)}]""")
_FIELD = re.compile(r"^\s+([A-Za-z_]\w*)\s*:\s*([^=#]+?)\s*(?:=.*)?(?:#.*)?$")
#: A suggested model must keep serving this long: one that shuts down within it (gpt-4o's
#: sibling gpt-4o-mini, 44 days after 2026-12-01) gives way to its replacement.
MIN_DAYS_SERVING = 90

# The shapes of a closed list of labels after a lead phrase (the phrases are data).
_QUOTED = r"""(?:'[^'\n]{1,40}'|"[^"\n]{1,40}"|`[^`\n]{1,40}`|“[^”\n]{1,40}”|‘[^’\n]{1,40}’)"""
_BARE = r"(?!(?:a|an|the)\b)[a-z][\w-]*(?:[ \t](?!(?:or|and)\b)[a-z][\w-]*)?"
_SEPARATOR = r"(?:[ \t]*,[ \t]*(?:or[ \t]+)?|[ \t]*/[ \t]*|[ \t]*\|[ \t]*|[ \t]+or[ \t]+)"
_LIST_END = r"(?=(?:[ \t]+only)?[ \t]*(?:[.,;!)\n]|$))"  # "... 'positive' or 'negative' only."
_QUOTED_LABEL = re.compile(_QUOTED)
_QUOTED_LIST = re.compile(rf"{_QUOTED}(?:{_SEPARATOR}{_QUOTED})+{_LIST_END}")
_BARE_LIST = re.compile(rf"{_BARE}(?:{_SEPARATOR}{_BARE})+{_LIST_END}", re.IGNORECASE)
_BULLETS = re.compile(rf"(?:\n[ \t]*(?:[-*•]|\d+[.)])[ \t]+[`'\"]?{_BARE}[`'\"]?[ \t]*(?=\n|$)){{2,}}", re.IGNORECASE)
_BULLET_LABEL = re.compile(rf"\n[ \t]*(?:[-*•]|\d+[.)])[ \t]+[`'\"]?({_BARE})", re.IGNORECASE)
_SPLIT = re.compile(_SEPARATOR)
MAX_LABELS = 30
#: A key of a JSON object template and its value as written (a string or a bare token).
_JSON_FIELD = re.compile(r'"([^"\n]{1,40})"\s*:\s*("(?:[^"\\\n]|\\.)*"|[^,}\n]*)')
MAX_JSON_CHARS = 400
MAX_JSON_KEYS = 6
#: A template value that stands for a short answer: at most this many words ("crash",
#: "John Smith", "YYYY-MM-DD", a number, true): not a sentence the model is to write.
MAX_JSON_VALUE_WORDS = 2
#: A JSON template counts only under an instruction to extract or classify ("Extract the
#: date ...", "Please classify ..."), not a mention of the task ("how well the agent
#: extracts ...", in an evaluator's prompt whose answer is longer than its score template).
_IMPERATIVE_TASK = re.compile(
    r"(?:(?:^|[.!?:\n])[ \t*#>-]*|\bplease[ \t]+)(?:extract|classify|categori[sz]e|label|tag)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Options:
    max_output_tokens: int = 64
    expected_output_tokens: int = 16


@dataclass(frozen=True)
class _Signals:
    """What the static prompt says: the simple task it names, a short-answer instruction,
    a closed list of labels the answer is one of, a short JSON answer template, and
    whether it asks for long or reasoning-heavy output."""

    task: str | None
    short_answer: str | None
    reasoning: bool
    long_form: bool
    closed_answer: tuple[str, ...] = ()  # the labels, as written
    closed_by_instruction: bool = False  # opened by an instruction, not a mere heading
    json_keys: tuple[str, ...] = ()


class ExpensiveModelForSimpleTask(Rule):
    """
    ## What it does
    Checks for calls to a premium model (a flagship or reasoning tier in
    `rules/models.yaml`) whose task is one its cheaper sibling serves: a classification,
    yes/no question, labelling or extraction with a short answer. The finding points at the
    model argument when it is written at the call, else at the call.

    A call is flagged when it has both kinds of evidence, and no cue of long-form output:

    - *task*: the static system prompt or messages name a simple task (a classification,
      routing, yes/no, labelling or extraction cue from `rules/lexicons/task_signals.yaml`),
      or instruct a closed answer ("Answer only 'billing' or 'technical'", "Reply with one
      of: bug, feature, question"), or the response format is a label (`bool`, a
      `Literal[...]`, an `Enum`, a model whose fields are all such, google-genai's
      `text/x.enum`);
    - *output*: the output is capped at `max-output-tokens` (64) or fewer, or the response
      format is a label, or the answer is one of a closed list of labels (after an
      instruction, or a heading such as "Categories:" followed by the labels), or a flat
      JSON template of at most six keys in a prompt that asks for JSON, or the prompt asks
      for a one-word or label-only answer.

    A label response format, and a closed answer an instruction asks for, are evidence of
    both kinds and flag alone. A small cap alone does not (a short answer to a hard
    question is still a hard question), nor does a task cue alone (the classification may
    be one step of a longer job). "Yes or no" in a prompt is a task cue, not a closed
    answer: "Reply with yes or no and a one-paragraph justification" asks for more.

    The suggestion is the model's cheaper sibling in `rules/models.yaml`, unless the
    sibling shuts down within 90 days (or is deprecated): then its replacement, followed
    while that one retires too, provided it is no more premium than the sibling.

    Not flagged: reasoning cues ("step by step", "explain your reasoning", ...), long-form
    cues ("essay", "summarize", "translate", ...) unless the response format is a label,
    cache warm-up calls (`max_tokens` ≤ 1 with a cache marker), calls with tools (agent
    steps), conversations analysis cannot resolve, models built at runtime, models without
    a current cheaper model or already retired (see PRM402), Azure deployment names, and
    stubbed calls (LiteLLM `mock_response=`).

    ## Why is this bad?
    Premium models cost 5-50x more per token than their smaller siblings, and the gap
    buys nothing on closed tasks with a one-word answer: current small models classify,
    label and extract as well as flagships. The stake is the price difference on the
    request's static input tokens plus the expected output (the `max_tokens` cap, or
    `expected-output-tokens` when the output is short by format or instruction).

    ## Example
    ```python
    from openai import OpenAI

    client = OpenAI()


    def is_spam(text):
        return client.chat.completions.create(
            model="gpt-5.5",
            max_tokens=1,
            messages=[
                {"role": "system", "content": "Is this message spam? Answer yes or no."},
                {"role": "user", "content": text},
            ],
        )
    ```

    Use instead:
    ```python
    from openai import OpenAI

    client = OpenAI()


    def is_spam(text):
        return client.chat.completions.create(
            model="gpt-5.4-mini",
            max_tokens=1,
            messages=[
                {"role": "system", "content": "Is this message spam? Answer yes or no."},
                {"role": "user", "content": text},
            ],
        )
    ```

    ## Fix safety
    The fix replaces the model id in the string literal with the suggested cheaper model,
    keeping quotes and any routing prefix (`anthropic/`, `openai:`).
    It is unsafe: a different model may answer differently, so check it on your evaluation
    set first. It is offered only when the model is a plain string literal written at the
    call; a model set where a client, chat model or agent is built (which other calls may
    share), a constant, or a Bedrock id gets a display-only suggestion instead.

    ## Options
    - `max-output-tokens` (default `64`): an output cap at or below this counts as output
      evidence.
    - `expected-output-tokens` (default `16`): the output tokens assumed for the dollar
      delta when the output is short by format or instruction rather than by a cap.
    """

    # The model is judged where it is written: at the SDK call inside a wrapper, or at a
    # wrapper call that passes it.
    judges_wrapped_calls = True

    code = "PRM401"
    name = "expensive-model-for-simple-task"
    Options = Options
    fix_applicability = Applicability.UNSAFE

    examples = (
        Invalid(
            """
            from openai import OpenAI

            client = OpenAI()

            def is_spam(text):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    max_tokens=1,
                    messages=[
                        {"role": "system", "content": "Is this message spam? Answer yes or no."},
                        {"role": "user", "content": text},
                    ],
                )
            """,
            message="gpt-5.5 for a yes/no question (max_tokens=1): its cheaper sibling gpt-5.4-mini likely serves",
            tokens=10,
            fixed="""
            from openai import OpenAI

            client = OpenAI()

            def is_spam(text):
                return client.chat.completions.create(
                    model="gpt-5.4-mini",
                    max_tokens=1,
                    messages=[
                        {"role": "system", "content": "Is this message spam? Answer yes or no."},
                        {"role": "user", "content": text},
                    ],
                )
            """,
        ),
        Invalid(
            """
            import anthropic

            client = anthropic.Anthropic()

            def sentiment(review):
                return client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=5,
                    system="Classify the sentiment of the review as positive, negative or neutral.",
                    messages=[{"role": "user", "content": review}],
                )
            """,
            message="claude-opus-5-5 for a classification (max_tokens=5): its cheaper sibling claude-sonnet-5-5",
            tokens=14,
            fixed="""
            import anthropic

            client = anthropic.Anthropic()

            def sentiment(review):
                return client.messages.create(
                    model="claude-sonnet-5-5",
                    max_tokens=5,
                    system="Classify the sentiment of the review as positive, negative or neutral.",
                    messages=[{"role": "user", "content": review}],
                )
            """,
        ),
        Invalid(
            """
            import litellm

            def invoice_date(text):
                return litellm.completion(
                    model="anthropic/claude-opus-5-5",
                    messages=[
                        {"role": "system", "content": "Extract the invoice date. Reply with only the date."},
                        {"role": "user", "content": text},
                    ],
                )
            """,
            message="claude-opus-5-5 for an extraction (a short-answer instruction: 'reply with only')",
            tokens=11,
            fixed="""
            import litellm

            def invoice_date(text):
                return litellm.completion(
                    model="anthropic/claude-sonnet-5-5",
                    messages=[
                        {"role": "system", "content": "Extract the invoice date. Reply with only the date."},
                        {"role": "user", "content": text},
                    ],
                )
            """,
        ),
        Invalid(
            """
            from google import genai
            from google.genai import types

            client = genai.Client()

            def topic(text):
                return client.models.generate_content(
                    model="gemini-3.1-pro-preview",
                    contents=text,
                    config=types.GenerateContentConfig(
                        system_instruction="Which category fits the ticket: billing, bug or other?",
                        max_output_tokens=8,
                    ),
                )
            """,
            message="gemini-3.1-pro-preview for a classification (max_tokens=8): its cheaper sibling gemini-3.8-flash",
            tokens=12,
            fixed="""
            from google import genai
            from google.genai import types

            client = genai.Client()

            def topic(text):
                return client.models.generate_content(
                    model="gemini-3.8-flash",
                    contents=text,
                    config=types.GenerateContentConfig(
                        system_instruction="Which category fits the ticket: billing, bug or other?",
                        max_output_tokens=8,
                    ),
                )
            """,
        ),
        Invalid(
            """
            from typing import Literal

            import instructor
            from pydantic import BaseModel

            client = instructor.from_provider("openai/gpt-5.5")

            class Verdict(BaseModel):
                label: Literal["spam", "ham"]

            def judge(text):
                return client.create(
                    response_model=Verdict,
                    messages=[{"role": "user", "content": text}],
                )
            """,
            message="gpt-5.5 for a labelling task (a label response format: response_model=Verdict)",
            tokens=0,
        ),
        Invalid(
            """
            from pydantic_ai import Agent

            agent = Agent(
                "openai:gpt-5.5",
                instructions="Label the language of the text. Answer with one word.",
            )

            def language(text):
                return agent.run_sync(text)
            """,
            message="its cheaper sibling gpt-5.4-mini likely serves",
            tokens=12,
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-5.5", max_tokens=3)

            def urgent(ticket):
                return llm.invoke([("system", "Is the ticket urgent? Answer yes or no."), ("user", ticket)])
            """,
            message="gpt-5.5 for a yes/no question (max_tokens=3)",
            tokens=10,
        ),
        Invalid(
            # Responses API: the task is routing, the answer one of two quoted labels.
            """
            from openai import OpenAI

            client = OpenAI()

            def route(message):
                return client.responses.create(
                    model="gpt-5.5",
                    instructions="Route the customer's message to the right team. Answer only 'billing' or 'technical'.",
                    input=message,
                    max_output_tokens=16,
                )
            """,
            message="gpt-5.5 for a classification (max_tokens=16): its cheaper sibling gpt-5.4-mini likely serves",
            fixed="""
            from openai import OpenAI

            client = OpenAI()

            def route(message):
                return client.responses.create(
                    model="gpt-5.4-mini",
                    instructions="Route the customer's message to the right team. Answer only 'billing' or 'technical'.",
                    input=message,
                    max_output_tokens=16,
                )
            """,
        ),
        Invalid(
            # A closed label list is evidence of both kinds, with no cap on the output.
            """
            import anthropic

            client = anthropic.Anthropic()

            def ticket_kind(ticket):
                return client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=1024,
                    system="You sort incoming GitHub issues. Reply with one of: bug, feature, question, docs.",
                    messages=[{"role": "user", "content": ticket}],
                )
            """,
            message="claude-opus-5-5 for a classification (a closed answer: bug, feature, question, docs): its cheaper sibling claude-sonnet-5-5",
        ),
        Invalid(
            # Yes/no by label; gpt-4o's sibling gpt-4o-mini shuts down within 90 days, so its
            # replacement is suggested instead.
            """
            from openai import OpenAI

            client = OpenAI()

            def mentions_delivery(review):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[
                        {"role": "system", "content": "Does the review mention delivery? Answer only yes or no."},
                        {"role": "user", "content": review},
                    ],
                )
            """,
            message="gpt-4o for a yes/no question (a closed answer: yes or no): the current gpt-6-luna likely serves (its cheaper sibling gpt-4o-mini shuts down on 2027-01-14)",
        ),
        Invalid(
            # A short JSON extraction: a flat template with two keys.
            """
            import litellm

            PROMPT = 'Extract the customer name and the order number. Return JSON: {"name": "...", "order_id": "..."}'

            def order_fields(email):
                return litellm.completion(
                    model="openai/gpt-5.5",
                    messages=[{"role": "system", "content": PROMPT}, {"role": "user", "content": email}],
                )
            """,
            message="gpt-5.5 for an extraction (a short JSON answer: name, order_id)",
        ),
        Invalid(
            # Labels listed one per line under a heading.
            """
            from google import genai
            from google.genai import types

            client = genai.Client()
            SYSTEM = \"\"\"Classify the support email.

            Categories:
            - refund
            - shipping
            - account
            - other\"\"\"

            def category(email):
                return client.models.generate_content(
                    model="gemini-3.1-pro-preview",
                    contents=email,
                    config=types.GenerateContentConfig(system_instruction=SYSTEM),
                )
            """,
            message="gemini-3.1-pro-preview for a classification (a closed answer: refund, shipping, account, other): its cheaper sibling gemini-3.8-flash",
        ),
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()

            def review(text):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    max_tokens=60,
                    messages=[
                        {"role": "system", "content": "Classify the bug, then explain your reasoning step by step."},
                        {"role": "user", "content": text},
                    ],
                )
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()
            POLICY = "Classify requests by this policy. " * 300

            def warm_cache():
                client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=1,
                    system=[{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": "ok"}],
                )
            """
        ),
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()

            def title(text):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    max_tokens=20,
                    messages=[{"role": "user", "content": "Suggest a title for: " + text}],
                )
            """
        ),
        Valid(
            """
            import litellm

            def is_spam(text):
                return litellm.completion(
                    model="anthropic/claude-sonnet-5-5",
                    max_tokens=1,
                    messages=[{"role": "user", "content": "Is this spam? Answer yes or no. " + text}],
                )
            """
        ),
        Valid(
            """
            from openai import AzureOpenAI

            client = AzureOpenAI()

            def is_spam(text):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    max_tokens=1,
                    messages=[{"role": "user", "content": "Is this spam? Answer yes or no. " + text}],
                )
            """
        ),
        Valid(
            """
            from pydantic_ai import Agent

            def classify(model_name, text):
                agent = Agent(model_name, instructions="Classify the text. Answer with one word.")
                return agent.run_sync(text)
            """
        ),
        Valid(
            # A long-form task that merely mentions "yes or no".
            """
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = (
                "You are a contracts assistant. Don't just say yes or no: walk the user through "
                "the clauses that apply, quote them, and say what they should ask their lawyer."
            )

            def contract_question(question):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            # Yes or no, then a justification: not a one-label answer.
            """
            import anthropic

            client = anthropic.Anthropic()

            def should_merge(diff):
                return client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=2048,
                    system="Review the pull request. Reply with yes or no and a one-paragraph justification.",
                    messages=[{"role": "user", "content": diff}],
                )
            """
        ),
        Valid(
            # "Answer only" limits the topics, not the answer.
            """
            import anthropic

            client = anthropic.Anthropic()

            def support(question):
                return client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=1024,
                    system="You are Acme's product assistant. Answer only questions about Acme products, label your sources, and decline the rest.",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            # An evaluator that mentions extraction, with a JSON score template among longer
            # fields it asks for: not an instruction to extract, not a short answer.
            """
            from openai import OpenAI

            client = OpenAI()
            JUDGE = (
                "You assess how well an agent extracts parameter values for tool calls. Return JSON with "
                'scores: {"accuracy": number, "completeness": number}, feedback and suggestions.'
            )

            def judge(transcript):
                return client.responses.create(model="gpt-5.5", instructions=JUDGE, input=transcript)
            """
        ),
        Valid(
            # A nested JSON extraction of every line item is not a short answer.
            """
            from openai import OpenAI

            client = OpenAI()
            PROMPT = 'Extract every line item of the invoice as JSON: {"items": [{"sku": "...", "qty": 0}], "total": 0}'

            def line_items(invoice):
                return client.responses.create(model="gpt-5.5", instructions=PROMPT, input=invoice)
            """
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.via is not None and call.model_argument is None:
            return  # the wrapper names the model itself: judged at its SDK call
        if call.model is None or call.tools is not None or not call.messages_resolved:
            return
        if is_azure_deployment(call):
            return
        info = model_info(call.model)
        if info is None or not info.is_premium or info.cheaper is None or info.is_retired(ctx.today):
            return
        cheaper = suggested_cheaper(info, ctx)
        if cheaper is None:
            return
        if call.max_tokens is not None and call.max_tokens <= 1 and (call.cache_control or call.cache_marked):
            return  # a cache warm-up: the output is not the point
        signals = _scan(_prompt_text(call))
        if signals.reasoning:
            return
        label_format = _label_format(call, ctx.read_source(call.filename))
        if signals.long_form and not label_format:
            return
        capped = call.max_tokens is not None and call.max_tokens <= ctx.options.max_output_tokens
        task = signals.task or (_closed_task(signals) if signals.closed_by_instruction else None)
        task = task or ("a labelling task" if label_format else None)
        if task is None:
            return
        if label_format:
            evidence = f"a label response format: {label_format}"
        elif capped:
            evidence = f"max_tokens={call.max_tokens}"
        elif signals.closed_answer:
            evidence = f"a closed answer: {_labels(signals.closed_answer)}"
        elif signals.json_keys:
            evidence = f"a short JSON answer: {', '.join(signals.json_keys)}"
        elif signals.short_answer:
            evidence = f"a short-answer instruction: '{signals.short_answer}'"
        else:
            return

        counted = ctx.count_tokens(all_static_text(call), call.model)
        stake = Stake(
            tokens=counted.tokens,
            exact=counted.exact,
            model=call.model,
            basis=Basis.MODEL_SWAP,
            output_tokens=call.max_tokens if capped and call.max_tokens is not None else ctx.options.expected_output_tokens,
            cheaper_model=cheaper.id,
        )
        if cheaper.id == info.cheaper:
            suggestion = f"its cheaper sibling {cheaper.id} likely serves"
        else:
            sibling = model_info(info.cheaper or "")
            ends = f"shuts down on {sibling.shutdown}" if sibling is not None and sibling.shutdown else "is deprecated"
            suggestion = f"the current {cheaper.id} likely serves (its cheaper sibling {info.cheaper} {ends})"
        message = (
            f"{call.model} for {task} ({evidence}): {suggestion} "
            f"({'' if counted.exact else '~'}{counted.tokens:,} static input + {stake.output_tokens:,} output tokens per call)"
        )
        at_call = written_at_call(call)
        span = call.model_argument.span if at_call and call.model_argument is not None else call.span
        yield self.report(call.filename, span, message, fix=_fix(call, cheaper.id, at_call), stake=stake)


def suggested_cheaper(info: ModelInfo, ctx: RuleContext) -> ModelInfo | None:
    """The cheaper model to suggest: the sibling, or when it stops serving within
    MIN_DAYS_SERVING days its replacement (followed while that stops too), provided it is
    no more premium than the sibling and not the model itself."""
    sibling = model_info(info.cheaper or "")
    if sibling is None:
        return None
    chosen = current_model(sibling.id, ctx.today + timedelta(days=MIN_DAYS_SERVING))
    if chosen is None or chosen.id == info.id or TIERS.index(chosen.tier) < TIERS.index(sibling.tier):
        return None
    return chosen


def _closed_task(signals: _Signals) -> str | None:
    """The task a closed list of labels names when the prompt names none: a yes/no
    question when the labels are yes/no or true/false, else a classification."""
    if not signals.closed_answer:
        return None
    labels = {label.strip("'\"`“”‘’").lower() for label in signals.closed_answer}
    return "a yes/no question" if labels <= set(_lexicon()["bare_labels"]) else "a classification"


def _labels(labels: tuple[str, ...]) -> str:
    """`'billing' or 'technical'`; `billing, bug, other, ...` past four."""
    shown = ", ".join(labels[:4]) + (", ..." if len(labels) > 4 else "")
    return " or ".join(labels) if len(labels) == 2 else shown


def _fix(call: LLMCall, cheaper: str, at_call: bool) -> Fix | None:
    edit = replace_model(call, cheaper)
    if edit is not None and at_call:
        return Fix(f"Use {cheaper}", Applicability.UNSAFE, edits=(edit,))
    return Fix(
        f"Use {cheaper} for this call (the model is not a string literal written at the call)",
        Applicability.DISPLAY_ONLY,
        suggestion=edit.content if edit is not None else f'"{cheaper}"',
    )


def _prompt_text(call: LLMCall) -> str:
    """The static text of the system prompt and messages (tools left out: their
    descriptions say what the tools do, not what this call asks for)."""
    return "\n".join(part.text.static_text for part in prefix_parts(call) if part.where != "tools")


def _scan(text: str) -> _Signals:
    lexicon = _lexicon()
    lowered = text.lower()
    task = next((kind for kind, pattern in lexicon["tasks"].items() if pattern.search(lowered)), None)
    short = lexicon["short_answer"].search(lowered)
    labels, by_instruction = closed_answer(text)
    return _Signals(
        task=task,
        short_answer=" ".join(short.group(0).split()) if short else None,
        reasoning=lexicon["reasoning"].search(lowered) is not None,
        long_form=lexicon["long_form"].search(lowered) is not None,
        closed_answer=labels,
        closed_by_instruction=by_instruction,
        json_keys=_json_keys(text) if lexicon["json_words"].search(lowered) and _IMPERATIVE_TASK.search(text) else (),
    )


def closed_answer(text: str) -> tuple[tuple[str, ...], bool]:
    """The labels of the first closed list the answer must be one of, as written, and
    whether an instruction (not a mere heading) opens it; ((), False) when there is none.

    The list is two or more quoted labels ("Answer only 'billing' or 'technical'"); after
    a colon, short unquoted labels in a line or bulleted, when a heading names them or the
    lead says "one" ("Reply with one of: billing, bug, other"); or yes/no-like labels
    written plainly ("Answer only yes or no")."""
    lexicon = _lexicon()
    for lead in lexicon["closed_leads"].finditer(text):
        start, colon = lead.end(), lead.group("colon") is not None
        by_instruction = lead.group("lead") is not None
        named = not by_instruction or re.search(r"\bone\b", lead.group(0), re.IGNORECASE) is not None
        labels: list[str] = []
        quoted = _QUOTED_LIST.match(text, start)
        if quoted is not None:
            labels = _QUOTED_LABEL.findall(quoted.group(0))
        elif colon and named and (bullets := _BULLETS.match(text, start - len(lead.group("gap")))) is not None:
            labels = _BULLET_LABEL.findall(bullets.group(0))
        elif (bare := _BARE_LIST.match(text, start)) is not None:
            found = _SPLIT.split(bare.group(0))
            if (colon and named) or all(label.lower() in lexicon["bare_labels"] for label in found):
                labels = found
        if 2 <= len(labels) <= MAX_LABELS:
            return tuple(labels), by_instruction
    return (), False


def _json_keys(text: str) -> tuple[str, ...]:
    """The keys of a flat JSON template of at most MAX_JSON_KEYS keys whose values are
    short (a short answer by format), () when there is none or only larger ones."""
    normalized = text.replace("{{", "{").replace("}}", "}")
    for template in _flat_objects(normalized):
        fields = _JSON_FIELD.findall(template)
        short = all(len(value.strip().strip('"').split()) <= MAX_JSON_VALUE_WORDS for _, value in fields)
        if 1 <= len(fields) <= MAX_JSON_KEYS and short:
            return tuple(key for key, _ in fields)
    return ()


def _flat_objects(text: str) -> Iterator[str]:
    """Brace-delimited objects that are neither inside another object or array nor hold
    one (a flat template), up to MAX_JSON_CHARS long."""
    depth = 0
    start = -1
    nested = False
    for index, char in enumerate(text):
        if char in "{[":
            if depth == 0:
                start, nested = index, char == "["
            else:
                nested = True
            depth += 1
        elif char in "}]" and depth:
            depth -= 1
            if depth == 0 and not nested and text[start] == "{" and index - start <= MAX_JSON_CHARS:
                yield text[start : index + 1]


@cache
def _lexicon() -> dict:
    """The task-signal lexicon, each phrase list compiled into one whole-word pattern."""
    data = load_yaml("lexicons/task_signals.yaml")
    closed = data["closed_answer"]
    fillers = "|".join(re.escape(word) for word in closed["fillers"])
    return {
        "tasks": {kind: _pattern(phrases) for kind, phrases in data["tasks"].items()},
        "short_answer": _pattern(data["short_answer"]),
        "reasoning": _pattern(data["reasoning"]),
        "long_form": _pattern(data["long_form"]),
        # A lead or heading, up to six fillers, an optional colon, then the blank before the list.
        "closed_leads": re.compile(
            rf"(?:(?P<lead>{_pattern(closed['leads']).pattern})|(?P<heading>{_pattern(closed['headings']).pattern}))"
            + rf"(?:[ \t]+(?:{fillers})(?!\w)){{0,6}}[ \t]*(?P<colon>:)?(?P<gap>[ \t]*)",
            re.IGNORECASE,
        ),
        "bare_labels": frozenset(str(label).lower() for label in closed["bare_labels"]),
        "json_words": _pattern(data["json_words"]),
    }


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    """Phrases matched as whole words, case-folded, any whitespace between their words."""
    alternatives = sorted((r"\s+".join(map(re.escape, str(p).lower().split())) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# --------------------------------------------------------------------------- label formats


def _label_format(call: LLMCall, source: str) -> str | None:
    """The argument that types the output as a label (`name=expr`), if any."""
    for name in FORMAT_ARGUMENTS:
        argument = call.argument(name)
        if argument is not None and _is_label_type(argument.source.strip(), source, depth=0):
            return f"{name}={argument.source.strip()}"
    config = call.argument("config")
    if config is not None:
        if GOOGLE_ENUM_MIME in config.source:
            return f'response_mime_type="{GOOGLE_ENUM_MIME}"'
        schema = _GOOGLE_SCHEMA.search(config.source)
        if schema is not None and _is_label_type(schema.group(1), source, depth=0):
            return f"response_schema={schema.group(1)}"
    return None


def _is_label_type(expression: str, source: str, depth: int) -> bool:
    """Whether a type expression is a label: `bool`, `Literal[...]`, an Enum class of this
    file, or (one level deep) a class of this file whose every field is a label.

    Read from the file's text on purpose: only the plain one-line forms count, so anything
    unusual reads as "not a label" and the rule stays quiet.
    """
    if expression == "bool" or _LITERAL.match(expression):
        return True
    if depth > 1 or not expression.isidentifier():
        return False
    found = re.search(rf"^([ \t]*)class\s+{re.escape(expression)}\s*(?:\(([^)]*)\))?\s*:[ \t]*$", source, re.MULTILINE)
    if found is None:
        return False
    bases = found.group(2) or ""
    if re.search(r"\b(?:Str|Int)?Enum\b", bases):
        return True
    fields = _class_fields(source[found.end() :], len(found.group(1).expandtabs()))
    return bool(fields) and all(_is_label_type(annotation, source, depth + 1) for annotation in fields)


def _class_fields(body: str, indent: int) -> list[str]:
    """The annotations of the annotated names at the first level of a class body."""
    annotations: list[str] = []
    level: int | None = None
    for line in body.splitlines()[1:]:
        if not line.strip():
            continue
        width = len(line) - len(line.lstrip())
        if width <= indent:
            break
        level = width if level is None else level
        field = _FIELD.match(line)
        if width == level and field is not None:
            annotations.append(field.group(2))
    return annotations
