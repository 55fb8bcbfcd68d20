# SPDX-License-Identifier: MIT
"""PRM401 expensive-model-for-simple-task: a premium model doing a classification-sized job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from promptlint.analysis.prefix import all_static_text, prefix_parts
from promptlint.checks.models.model_literal import (
    is_azure_deployment,
    replace_model,
    written_at_call,
)
from promptlint.data import load_yaml
from promptlint.models import model_info
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.types import Applicability, Basis, Diagnostic, Fix, LLMCall, Stake

#: Arguments that give a call's output a type (OpenAI `response_format`, Responses
#: `text_format`, instructor `response_model`, pydantic-ai `output_type`/`result_type`).
FORMAT_ARGUMENTS = ("response_format", "text_format", "response_model", "output_type", "result_type")
#: google-genai's enum output: `config=...(response_mime_type="text/x.enum")`.
GOOGLE_ENUM_MIME = "text/x.enum"
_LITERAL = re.compile(r"^(?:[A-Za-z_]\w*\.)?Literal\[")
_GOOGLE_SCHEMA = re.compile(r"""["']?response_schema["']?\s*[=:]\s*([A-Za-z_]\w*)\s*[,)}]""")
_FIELD = re.compile(r"^\s+([A-Za-z_]\w*)\s*:\s*([^=#]+?)\s*(?:=.*)?(?:#.*)?$")


@dataclass(frozen=True)
class Options:
    max_output_tokens: int = 64
    expected_output_tokens: int = 16


@dataclass(frozen=True)
class _Signals:
    """What the static prompt says: the simple task it names, a short-answer instruction,
    and whether it asks for long or reasoning-heavy output."""

    task: str | None
    short_answer: str | None
    long_form: bool


class ExpensiveModelForSimpleTask(Rule):
    """
    ## What it does
    Checks for calls to a premium model (a flagship or reasoning tier in
    `rules/models.yaml`) whose task is one its cheaper sibling serves: a classification,
    yes/no question, labelling or extraction with a short answer. The finding points at the
    model argument when it is written at the call, else at the call.

    A call is flagged when it has both kinds of evidence, and no cue of long-form output:

    - *task*: the static system prompt or messages name a simple task (a classification,
      yes/no, labelling or extraction cue from `rules/lexicons/task_signals.yaml`), or the
      response format is a label (`bool`, a `Literal[...]`, an `Enum`, a model whose fields
      are all such, google-genai's `text/x.enum`);
    - *output*: the output is capped at `max-output-tokens` (64) or fewer, or the response
      format is a label, or the prompt asks for a one-word or label-only answer.

    A label response format is evidence of both kinds and flags alone. A small cap alone
    does not (a short answer to a hard question is still a hard question), nor does a task
    cue alone (the classification may be one step of a longer job).

    Not flagged: long-form or reasoning cues ("essay", "step by step", "explain your
    reasoning", ...), cache warm-up calls (`max_tokens` ≤ 1 with a cache marker), calls
    with tools (agent steps), conversations analysis cannot resolve, models built at
    runtime, models without a cheaper sibling or already retired (see PRM402), Azure
    deployment names, and stubbed calls (LiteLLM `mock_response=`).

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
    The fix replaces the model id in the string literal with the cheaper sibling named in
    `rules/models.yaml`, keeping quotes and any routing prefix (`anthropic/`, `openai:`).
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
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.model is None or call.tools is not None or not call.messages_resolved:
            return
        if is_azure_deployment(call):
            return
        info = model_info(call.model)
        if info is None or not info.is_premium or info.cheaper is None or info.is_retired(ctx.today):
            return
        cheaper = model_info(info.cheaper)
        if cheaper is None or cheaper.is_retired(ctx.today):
            return
        if call.max_tokens is not None and call.max_tokens <= 1 and (call.cache_control or call.cache_marked):
            return  # a cache warm-up: the output is not the point
        signals = _scan(_prompt_text(call))
        if signals.long_form:
            return
        capped = call.max_tokens is not None and call.max_tokens <= ctx.options.max_output_tokens
        label_format = _label_format(call, ctx.read_source(call.filename))
        task = signals.task or ("a labelling task" if label_format else None)
        if task is None:
            return
        if label_format:
            evidence = f"a label response format: {label_format}"
        elif capped:
            evidence = f"max_tokens={call.max_tokens}"
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
            cheaper_model=info.cheaper,
        )
        message = (
            f"{call.model} for {task} ({evidence}): its cheaper sibling {info.cheaper} likely serves "
            f"({'' if counted.exact else '~'}{counted.tokens:,} static input + {stake.output_tokens:,} output tokens per call)"
        )
        at_call = written_at_call(call)
        span = call.model_argument.span if at_call and call.model_argument is not None else call.span
        yield self.report(call.filename, span, message, fix=_fix(call, info.cheaper, at_call), stake=stake)


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
    return _Signals(
        task=task,
        short_answer=" ".join(short.group(0).split()) if short else None,
        long_form=lexicon["long_form"].search(lowered) is not None,
    )


@cache
def _lexicon() -> dict:
    """The task-signal lexicon, each phrase list compiled into one whole-word pattern."""
    data = load_yaml("lexicons/task_signals.yaml")
    return {
        "tasks": {kind: _pattern(phrases) for kind, phrases in data["tasks"].items()},
        "short_answer": _pattern(data["short_answer"]),
        "long_form": _pattern(data["long_form"]),
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
