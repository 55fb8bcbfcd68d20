# SPDX-License-Identifier: MIT
"""PRM402 retired-model: a model id past, or scheduled for, its provider's shutdown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from promptlint.analysis.providers.anthropic import TEXT_COMPLETIONS_API
from promptlint.analysis.providers.langchain import DEFAULT_MODELS
from promptlint.checks.models.model_literal import (
    is_azure_deployment,
    replace_model,
    served_by_platform,
)
from promptlint.models import ModelInfo, model_info
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import LLMCall
from promptlint.types import Applicability, Diagnostic, Fix, Severity

#: How many `replacement` links to follow when a replacement is itself retired.
_MAX_REPLACEMENT_HOPS = 5
#: The legacy text-completion endpoints, with the endpoint a call moves to: the
#: replacements of the models they served are chat models, which those endpoints do not
#: take, so the fix cannot be a model swap.
_CHAT_ENDPOINTS = ("Chat Completions or Responses", 'client.responses.create(model="{model}", input=prompt)')
LEGACY_COMPLETION_APIS = {
    "openai.completions.create": _CHAT_ENDPOINTS,
    "litellm.text_completion": _CHAT_ENDPOINTS,
    "litellm.atext_completion": _CHAT_ENDPOINTS,
    TEXT_COMPLETIONS_API: (
        "the Messages API",
        'client.messages.create(model="{model}", max_tokens=1024, messages=[{{"role": "user", "content": prompt}}])',
    ),
}


@dataclass(frozen=True)
class Options:
    include_deprecated: bool = True


class RetiredModel(Rule):
    """
    ## What it does
    Checks for calls to a model that its provider has shut down, or has scheduled to shut
    down, according to the `shutdown` dates in `rules/models.yaml`. Past the date the
    finding is an error; before it, a warning that names the date and the days left. Models
    deprecated with no date announced yet are warnings too (option `include-deprecated`).
    SDK defaults count: LangChain's `ChatOpenAI()` without a model still sends
    `gpt-3.5-turbo`.

    The finding points at the model argument, or at the call when the model is not written
    in the file (an SDK default, a client built in another module).

    Not flagged: Azure deployment names and models reached through Bedrock or Vertex,
    whose platforms keep their own retirement calendars; models built at runtime; stubbed
    calls (LiteLLM `mock_response=`), which send no request.

    ## Why is this bad?
    After the shutdown date every request to the model fails, so the code breaks on a day
    set by someone else, usually in production. The replacement usually costs less too:
    newer models are cheaper per token than the ones they replace.

    ## Example
    ```python
    from openai import OpenAI

    client = OpenAI()


    def answer(question):
        return client.chat.completions.create(
            model="gpt-4",
            messages=[{"role": "user", "content": question}],
        )
    ```

    Use instead:
    ```python
    from openai import OpenAI

    client = OpenAI()


    def answer(question):
        return client.chat.completions.create(
            model="gpt-6-sol",
            messages=[{"role": "user", "content": question}],
        )
    ```

    ## Fix safety
    The fix writes the replacement from `rules/models.yaml` (following it further when the
    replacement is retired too) into the model's string literal, keeping quotes and any
    routing prefix (`anthropic/`, `openai:`). It is unsafe: another model answers
    differently and may take other parameters. No fix is offered when the model is not a
    plain string literal in the file (a constant, an SDK default: add `model=` yourself) or
    is a Bedrock id. On the legacy Completions endpoints (OpenAI's and Anthropic's
    `completions.create`, LiteLLM `text_completion`) the replacement is a chat model that
    endpoint does not serve, so the fix is a display-only suggestion to move the call.

    The finding carries no dollar figure: it is about calls that fail, not a saving.

    ## Options
    - `include-deprecated` (default `true`): also warn about models deprecated with no
      shutdown date announced yet.
    """

    # The model is judged where it is written: at the SDK call inside a wrapper, or at a
    # wrapper call that passes it.
    judges_wrapped_calls = True

    code = "PRM402"
    name = "retired-model"
    Options = Options
    fix_applicability = Applicability.UNSAFE

    examples = (
        Invalid(
            """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-4",
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="gpt-4 was shut down on 2026-10-23: every call to it fails; replace it with gpt-6-sol",
            fixed="""
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-6-sol",
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-4-turbo-preview",
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="gpt-4-turbo-preview was shut down on 2026-03-26: every call to it fails; replace it with gpt-6-sol",
        ),
        Invalid(
            """
            import litellm

            def answer(question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5-20250929",
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="claude-sonnet-4-5-20250929 shuts down on 2026-11-30 (in 2 days): replace it with claude-sonnet-5-5",
            fixed="""
            import litellm

            def answer(question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-5-5",
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(temperature=0)

            def answer(question):
                return llm.invoke(question)
            """,
            message="ChatOpenAI() without a model uses gpt-3.5-turbo, which was shut down on 2026-10-23",
        ),
        Invalid(
            """
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemini-2.0-flash", contents=question)
            """,
            message="gemini-2.0-flash is deprecated (no shutdown date announced yet): replace it with gemini-2.5-flash",
            fixed="""
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemini-2.5-flash", contents=question)
            """,
        ),
        Invalid(
            """
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-5", instructions="Answer briefly.")

            def answer(question):
                return agent.run_sync(question)
            """,
            message="gpt-5 shuts down on 2026-12-11 (in 13 days): replace it with gpt-5.5",
            fixed="""
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-5.5", instructions="Answer briefly.")

            def answer(question):
                return agent.run_sync(question)
            """,
        ),
        Invalid(
            """
            import anthropic

            client = anthropic.Anthropic()
            MODEL = "claude-opus-4-0"

            def answer(question):
                return client.messages.create(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": question}])
            """,
            message="claude-opus-4-0 was shut down on 2026-06-15",
        ),
        Invalid(
            # A dated snapshot of a retired family.
            """
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-3-5-sonnet-20241022", max_tokens=512, messages=[{"role": "user", "content": question}]
                )
            """,
            message="claude-3-5-sonnet-20241022 was shut down on 2025-10-28: every call to it fails; replace it with claude-sonnet-5-5",
            fixed="""
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-5-5", max_tokens=512, messages=[{"role": "user", "content": question}]
                )
            """,
        ),
        Invalid(
            # An InstructGPT model on the legacy Completions endpoint: the replacement is a
            # chat model, so the fix is to move the call, not to swap the id.
            """
            from openai import OpenAI

            client = OpenAI()

            def complete(prompt):
                return client.completions.create(model="text-davinci-003", prompt=prompt, max_tokens=256)
            """,
            message="text-davinci-003 was shut down on 2024-01-04: every call to it fails; replace it with gpt-6-luna (a chat model: move the call to Chat Completions or Responses)",
        ),
        Invalid(
            # Anthropic's legacy Text Completions: move to the Messages API.
            """
            import anthropic

            client = anthropic.Anthropic()

            def complete(question):
                return client.completions.create(
                    model="claude-2.1", max_tokens_to_sample=300, prompt=f"\\n\\nHuman: {question}\\n\\nAssistant:"
                )
            """,
            message="claude-2.1 was shut down on 2025-07-21: every call to it fails; replace it with claude-sonnet-5-5 (a chat model: move the call to the Messages API)",
        ),
        Invalid(
            """
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemini-1.5-pro-002", contents=question)
            """,
            message="gemini-1.5-pro-002 was shut down on 2025-09-24",
        ),
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-5.5",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from openai import AzureOpenAI

            client = AzureOpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-4",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from anthropic import AnthropicBedrock

            client = AnthropicBedrock()

            def answer(question):
                return client.messages.create(
                    model="anthropic.claude-3-5-haiku-20241022-v1:0",
                    max_tokens=256,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-6-sol")

            def answer(question):
                return llm.invoke(question)
            """
        ),
        Valid(
            """
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemini-2.0-flash", contents=question)
            """,
            options={"include-deprecated": False},
        ),
        Valid(
            """
            import litellm

            def answer(model, question):
                return litellm.completion(model=model, messages=[{"role": "user", "content": question}])
            """
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.via is not None and call.model_argument is None:
            return  # the wrapper names the model itself: judged at its SDK call
        if call.model is None or is_azure_deployment(call):
            return
        info = model_info(call.model)
        if info is None or info.replacement is None or served_by_platform(call, info):
            return
        if info.shutdown is None and not (info.deprecated and ctx.options.include_deprecated):
            return
        replacement = _current_replacement(info, ctx.today)
        subject = _subject(call)
        if info.shutdown is None:
            severity = Severity.WARNING
            message = f"{subject} is deprecated (no shutdown date announced yet): replace it with {replacement}"
        elif info.shutdown <= ctx.today:
            severity = Severity.ERROR
            message = f"{subject} was shut down on {info.shutdown}: every call to it fails; replace it with {replacement}"
        else:
            days = (info.shutdown - ctx.today).days
            severity = Severity.WARNING
            message = (
                f"{subject} shuts down on {info.shutdown} (in {days} day{'' if days == 1 else 's'}): "
                f"replace it with {replacement}"
            )
        legacy = LEGACY_COMPLETION_APIS.get(call.api.replace(".beta.", "."))
        if legacy is not None:
            endpoint, suggestion = legacy
            message += f" (a chat model: move the call to {endpoint})"
            fix = Fix(f"Call {replacement} through {endpoint}", Applicability.DISPLAY_ONLY, suggestion=suggestion.format(model=replacement))
        else:
            edit = replace_model(call, replacement)
            fix = None if edit is None else Fix(f"Replace {info.id} with {replacement}", Applicability.UNSAFE, edits=(edit,))
        span = call.model_argument.span if call.model_argument is not None else call.span
        yield self.report(call.filename, span, message, fix=fix, severity=severity)


def _subject(call: LLMCall) -> str:
    """The model as the message names it, saying so when it is an SDK default."""
    model = call.model or ""
    if call.model_argument is None and call.provider == "langchain" and call.client is not None:
        constructor = call.client.rsplit(".", 1)[-1]
        if DEFAULT_MODELS.get(constructor) == model:
            return f"{constructor}() without a model uses {model}, which"
    return model


def _current_replacement(info: ModelInfo, today: date) -> str:
    """The model's replacement, followed while the replacement is itself retired."""
    replacement = info.replacement or info.id
    for _ in range(_MAX_REPLACEMENT_HOPS):
        following = model_info(replacement)
        if following is None or not following.is_retired(today) or following.replacement is None:
            break
        replacement = following.replacement
    return replacement
