# SPDX-License-Identifier: MIT
"""PRM403 unknown-model: a model id no price source or model table knows, close to one they do."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from promptlint import pricing
from promptlint.analysis.providers.base import vendor_of_model
from promptlint.checks.models.model_literal import is_azure_deployment, replace_model, written_model
from promptlint.models import current_model, known_model_ids, model_info, split_model_ref
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import LLMCall
from promptlint.types import Applicability, Diagnostic, Fix

#: How alike an id of an unrecognised family must be to a known id to count as its typo
#: (difflib ratio); ids of a recognised family (gpt-, claude, gemini, o1/o3/o4) need only
#: genai-prices' own suggestion cutoff.
_STRANGER_RATIO = 0.9
_NOT_DIGIT = re.compile(r"\D")


class UnknownModel(Rule):
    """
    ## What it does
    Checks for model ids that neither genai-prices nor `rules/models.yaml` knows, but that
    are a near miss of one they do: `gpt4o` for `gpt-4o`, `claude-3-5-sonet` for
    `claude-3-5-sonnet`. The message suggests the closest known id. The finding points at
    the model argument, or at the call when the model is written in another file.

    Only ids that look like an OpenAI, Anthropic or Google model are checked (by family
    name, or by being very close to a known id), so as to stay quiet about what a price
    table cannot know:

    - Azure deployment names (`AzureOpenAI`, `AsyncAzureOpenAI`, `AzureChatOpenAI`
      clients, LiteLLM `azure/...`) and ids mapped under `[tool.promptlint.models]`;
    - fine-tuned ids (`ft:gpt-4o:...`) and local tags (`llama3:8b`);
    - ids routed to another vendor (`ollama/...`, `groq/...`, `bedrock/...`);
    - ids with no known id near them: a model newer than the data, or a custom name.

    ## Why is this bad?
    A misspelt model id fails every request with "model not found", or, behind a gateway
    with fallbacks, silently runs another model. Either way promptlint cannot price the
    call, so its other findings for it carry no dollar figure.

    ## Example
    ```python
    from openai import OpenAI

    client = OpenAI()


    def answer(question):
        return client.chat.completions.create(
            model="gpt4o",
            messages=[{"role": "user", "content": question}],
        )
    ```

    Use instead:
    ```python
    from openai import OpenAI

    client = OpenAI()


    def answer(question):
        return client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": question}],
        )
    ```

    ## Fix safety
    The fix writes the suggested id into the model's string literal, keeping quotes and any
    routing prefix. It is unsafe (the call then reaches a model it did not reach before)
    and offered only for likely typos: the nearest known id has the same digits in the
    same order as the id (so `gpt-5.5-turbo` is never "fixed" into `gpt-3.5-turbo`).
    Otherwise, and when the model is not a plain string literal in the file, the
    suggestion is display-only. A retired id is never suggested: when the nearest known
    id has been shut down (`claude-3-5-sonet` is nearest `claude-3-5-sonnet`), the message
    says so and the suggestion is its current replacement from `rules/models.yaml` when
    the id is a likely misspelling of it, none otherwise (`gpt-5.5-turbo` is not
    "`gpt-3.5-turbo`, replaced by gpt-6-luna"). If the id is right (a model newer than
    promptlint's data, a gateway alias), map it under `[tool.promptlint.models."<id>"]`
    with `alias-of` or prices.
    """

    # The model is judged where it is written: at the SDK call inside a wrapper, or at a
    # wrapper call that passes it.
    judges_wrapped_calls = True

    code = "PRM403"
    name = "unknown-model"
    fix_applicability = Applicability.UNSAFE

    examples = (
        Invalid(
            """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt4o",
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="unknown model gpt4o: neither genai-prices nor rules/models.yaml knows it; did you mean gpt-4o?",
            fixed="""
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            import litellm

            def answer(question):
                return litellm.completion(
                    model="anthropic/claude-3-5-sonet",
                    messages=[{"role": "user", "content": question}],
                )
            """,
            # The nearest known id was shut down: its current replacement is suggested.
            message="unknown model claude-3-5-sonet: neither genai-prices nor rules/models.yaml knows it; it looks like claude-3-5-sonnet, which was shut down on 2025-10-28: use claude-sonnet-5-5",
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
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-opus-55",
                    max_tokens=512,
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="did you mean claude-opus-5-5?",
            fixed="""
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=512,
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemni-2.5-flash", contents=question)
            """,
            message="did you mean gemini-2.5-flash?",
            fixed="""
            from google import genai

            client = genai.Client()

            def answer(question):
                return client.models.generate_content(model="gemini-2.5-flash", contents=question)
            """,
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-5.5-turbo")

            def answer(question):
                return llm.invoke(question)
            """,
            message="unknown model gpt-5.5-turbo",
        ),
        Valid(
            """
            from openai import AzureOpenAI

            client = AzureOpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="gpt4o",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-5.5-eu")

            def answer(question):
                return agent.run_sync(question)
            """,
            files={
                "pyproject.toml": """
                [tool.promptlint.models."gpt-5.5-eu"]
                alias-of = "gpt-5.5"
                """
            },
        ),
        Valid(
            """
            import litellm

            def answer(question):
                return litellm.completion(
                    model="ollama/llama3.1:8b",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                return client.chat.completions.create(
                    model="ft:gpt-4o-mini:acme::9xK2",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5-20250929",
                    max_tokens=512,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.via is not None and call.model_argument is None:
            return  # the wrapper names the model itself: judged at its SDK call
        written = written_model(call)
        if written is None or is_azure_deployment(call):
            return
        overrides = getattr(ctx.config, "models", None) or {}
        named, bare = split_model_ref(written)
        if ":" in bare or (named is not None and named not in _vendors()):
            return
        if pricing.is_known_model(written, overrides) or pricing.is_known_model(bare, overrides):
            return
        suggestion = pricing.closest_known(bare)
        if suggestion is None or suggestion == bare:
            return  # nothing near it, or an id genai-prices lists but cannot price
        if vendor_of_model(bare, None) is None and _ratio(bare, suggestion) < _STRANGER_RATIO:
            return
        typo = _NOT_DIGIT.sub("", bare) == _NOT_DIGIT.sub("", suggestion)  # same digits: a likely misspelling
        info = model_info(suggestion)
        if info is not None and info.is_retired(ctx.today):
            # Never suggest a model that fails every call. A likely misspelling of one gets
            # what serves now; a looser resemblance gets no suggestion at all.
            current = current_model(info.id, ctx.today) if typo else None
            known = f"unknown model {bare}: neither genai-prices nor rules/models.yaml knows it"
            if current is None:
                message = f"{known} (the nearest known id, {suggestion}, was shut down on {info.shutdown})"
                message += f'. If the id is right, map it under [tool.promptlint.models."{bare}"]'
                span = call.model_argument.span if call.model_argument is not None else call.span
                yield self.report(call.filename, span, message)
                return
            message = f"{known}; it looks like {suggestion}, which was shut down on {info.shutdown}: use {current.id}"
            suggestion = current.id
        else:
            message = f"unknown model {bare}: neither genai-prices nor rules/models.yaml knows it; did you mean {suggestion}?"
        message += f' If the id is right, map it under [tool.promptlint.models."{bare}"]'
        edit = replace_model(call, suggestion)
        if edit is not None and typo:
            fix = Fix(f"Replace {bare} with {suggestion}", Applicability.UNSAFE, edits=(edit,))
        else:
            fix = Fix(f"Did you mean {suggestion}?", Applicability.DISPLAY_ONLY, suggestion=f'"{suggestion}"')
        span = call.model_argument.span if call.model_argument is not None else call.span
        yield self.report(call.filename, span, message, fix=fix)


def _vendors() -> frozenset[str]:
    """The vendors whose catalogues promptlint knows (those rules/models.yaml covers)."""
    return frozenset(info.provider for info in map(model_info, known_model_ids()) if info is not None)


def _ratio(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first, second).ratio()
