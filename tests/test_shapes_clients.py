# SPDX-License-Identifier: MIT
"""Multi-file shapes of real code that reach an LLM SDK: injected clients and SDK functions
imported under another name.

Each test writes a small project of two or three modules to a fresh directory. Where it is
natural, the client is built in one module and used in another. The test then lints the
tree through the engine, as `promptlint calls` does, and asserts every call reported:
its file, row, `api`, model, provider and `via`. `via` is None for the SDK call itself
and names the project function for a call of a wrapper that forwards its parameters
into the prompt. Nothing else may be reported.

Injected clients:
- `client or AsyncOpenAI()` as the default of an `AsyncOpenAI | None` parameter, awaited
  in a method;
- an `Optional[OpenAI]` parameter stored as `self._client`, with no default construction;
- a `Union[AsyncOpenAI, AsyncAzureOpenAI]` annotation;
- a string annotation `client: "anthropic.Anthropic"` (the import is under TYPE_CHECKING);
- a client built in a base class's `__init__` in `a.py` and used by a subclass in `b.py`;
- a factory `get_client() -> OpenAI` in one module, `get_client().chat...` in another;
- a `@cached_property` on a mixin in another module, and a lazy `@property`, returning the
  client used as `self.client.messages.create(...)`;
- a dict of clients, `self._clients[name] = OpenAI(...)`, called through
  `self._clients[name]`.

SDK methods and functions under other names:
- a bound method stored in a module-level name, `completion = client.chat.completions.create`,
  with the client imported from another module, and `create = client.chat.completions.create`
  next to the client (no call of the method is spelt: selection reads it as a value);
- a bound SDK method passed to a helper that calls it, `self._with_retries(self.client...create, params)`;
- `functools.partial(client.chat.completions.create, model=...)` under `import functools`;
- `importlib.import_module("litellm").completion(...)` in a file with no `import litellm`;
- LiteLLM through a lazy accessor, `_get_litellm().completion(...)`, defined in the module
  that uses it, and one defined in another module (the caller imports no SDK);
- `from litellm import completion as llm_completion`;
- a bound method saved in a test before patching it, and called from a closure that the
  patch installs (`original_create = llm._client.messages.create`), on an object a factory
  built and `assert isinstance(llm, AnthropicCompletion)` then types;
- `getattr(client.responses, "with_streaming_response", None)` and `getattr(..., "create")`;
- `t.cast(BaseLanguageModel, llm)` of a parameter also typed as a project class (ragas).
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from promptlint.config import Config
from promptlint.engine import lint

# (file relative to the project root, row, api, model, provider, via)
Reported = tuple[str, int, str, str | None, str, str | None]


def write_project(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def reported(root: Path) -> list[Reported]:
    """Every call the engine reports for the project, in file and row order."""
    result = lint([root], Config(root=root, select=()), use_cache=False, jobs=1)
    assert not result.errors, result.errors
    found = [
        (
            Path(os.path.relpath(call.filename, root)).as_posix(),
            call.span.start.row,
            call.api,
            call.model,
            call.provider,
            call.via,
        )
        for analysis in result.analyses
        for call in analysis.calls
    ]
    return sorted(found)


# --------------------------------------------------------------------------- injected clients


def test_optional_async_client_defaulting_to_a_new_one(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "summarizer/__init__.py": "",
        "summarizer/service.py": '''
            from openai import AsyncOpenAI


            class Summarizer:
                def __init__(self, client: AsyncOpenAI | None = None) -> None:
                    self.client = client or AsyncOpenAI()

                async def summarize(self, text: str) -> str:
                    response = await self.client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[
                            {"role": "system", "content": "Summarize the document in three sentences."},
                            {"role": "user", "content": text},
                        ],
                    )
                    return response.choices[0].message.content or ""
        ''',
        "summarizer/app.py": '''
            import asyncio

            from summarizer.service import Summarizer


            async def main(path: str) -> None:
                summarizer = Summarizer()
                with open(path, encoding="utf-8") as handle:
                    print(await summarizer.summarize(handle.read()))


            if __name__ == "__main__":
                asyncio.run(main("notes.txt"))
        ''',
    })
    assert reported(root) == [
        ("summarizer/app.py", 9, "openai.chat.completions.create", "gpt-4o-mini", "openai", "summarizer.service.Summarizer.summarize"),
        ("summarizer/service.py", 9, "openai.chat.completions.create", "gpt-4o-mini", "openai", None),
    ]


def test_optional_injected_client_without_a_default(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "tagger/__init__.py": "",
        "tagger/clients.py": '''
            from openai import OpenAI


            def build_client() -> OpenAI:
                return OpenAI(timeout=30)
        ''',
        "tagger/tagger.py": '''
            from typing import Optional

            from openai import OpenAI


            class Tagger:
                def __init__(self, client: Optional[OpenAI]) -> None:
                    self._client = client

                def tag(self, ticket: str) -> str:
                    response = self._client.chat.completions.create(
                        model="gpt-4o",
                        messages=[{"role": "user", "content": f"Tag this ticket: {ticket}"}],
                    )
                    return response.choices[0].message.content or ""
        ''',
        "tagger/main.py": '''
            from tagger.clients import build_client
            from tagger.tagger import Tagger

            tagger = Tagger(build_client())
            print(tagger.tag("The export button does nothing"))
        ''',
    })
    assert reported(root) == [
        ("tagger/main.py", 5, "openai.chat.completions.create", "gpt-4o", "openai", "tagger.tagger.Tagger.tag"),
        ("tagger/tagger.py", 11, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]


def test_union_of_openai_and_azure_async_clients(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "router/__init__.py": "",
        "router/clients.py": '''
            import os

            from openai import AsyncAzureOpenAI, AsyncOpenAI


            def make_client():
                if os.environ.get("AZURE_OPENAI_ENDPOINT"):
                    return AsyncAzureOpenAI(api_version="2024-06-01")
                return AsyncOpenAI()
        ''',
        "router/classify.py": '''
            from typing import Union

            from openai import AsyncAzureOpenAI, AsyncOpenAI


            class IntentClassifier:
                def __init__(self, client: Union[AsyncOpenAI, AsyncAzureOpenAI]) -> None:
                    self.client = client

                async def classify(self, utterance: str) -> str:
                    completion = await self.client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[
                            {"role": "system", "content": "Reply with one intent label."},
                            {"role": "user", "content": utterance},
                        ],
                    )
                    return completion.choices[0].message.content or ""
        ''',
    })
    assert reported(root) == [
        ("router/classify.py", 11, "openai.chat.completions.create", "gpt-4o-mini", "openai", None),
    ]


def test_string_annotation_of_an_anthropic_client(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "review/__init__.py": "",
        "review/reviewer.py": '''
            from __future__ import annotations

            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                import anthropic


            def review_diff(client: "anthropic.Anthropic", diff: str) -> str:
                message = client.messages.create(
                    model="claude-3-5-sonnet-latest",
                    max_tokens=1024,
                    messages=[{"role": "user", "content": f"Review this diff:\\n{diff}"}],
                )
                return message.content[0].text
        ''',
        "review/cli.py": '''
            import sys

            import anthropic

            from review.reviewer import review_diff

            print(review_diff(anthropic.Anthropic(), sys.stdin.read()))
        ''',
    })
    assert reported(root) == [
        ("review/cli.py", 7, "anthropic.messages.create", "claude-3-5-sonnet-latest", "anthropic", "review.reviewer.review_diff"),
        ("review/reviewer.py", 10, "anthropic.messages.create", "claude-3-5-sonnet-latest", "anthropic", None),
    ]


def test_client_built_in_base_class_used_in_subclass_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "agents/__init__.py": "",
        "agents/a.py": '''
            from openai import OpenAI


            class BaseAgent:
                def __init__(self, model: str = "gpt-4o") -> None:
                    self.client = OpenAI()
                    self.model = model
        ''',
        "agents/b.py": '''
            from agents.a import BaseAgent


            class PlannerAgent(BaseAgent):
                def plan(self, goal: str) -> str:
                    response = self.client.chat.completions.create(
                        model="gpt-4o",
                        messages=[{"role": "user", "content": f"Plan the steps to: {goal}"}],
                    )
                    return response.choices[0].message.content or ""
        ''',
    })
    assert reported(root) == [
        ("agents/b.py", 6, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]


def test_factory_function_returning_a_client_in_another_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "helpdesk/__init__.py": "",
        "helpdesk/llm.py": '''
            from openai import OpenAI


            def get_client() -> OpenAI:
                return OpenAI()
        ''',
        "helpdesk/replies.py": '''
            from helpdesk.llm import get_client


            def draft_reply(email: str) -> str:
                response = get_client().chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": f"Draft a polite reply to:\\n{email}"}],
                )
                return response.choices[0].message.content or ""
        ''',
    })
    assert reported(root) == [
        ("helpdesk/replies.py", 5, "openai.chat.completions.create", "gpt-4o-mini", "openai", None),
    ]


def test_cached_property_client_on_a_mixin_in_another_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "notes/__init__.py": "",
        "notes/base.py": '''
            from functools import cached_property

            import anthropic


            class ClaudeMixin:
                @cached_property
                def client(self) -> anthropic.Anthropic:
                    return anthropic.Anthropic()
        ''',
        "notes/titles.py": '''
            from notes.base import ClaudeMixin


            class TitleWriter(ClaudeMixin):
                def title(self, note: str) -> str:
                    message = self.client.messages.create(
                        model="claude-3-5-haiku-latest",
                        max_tokens=64,
                        messages=[{"role": "user", "content": f"Write a title for: {note}"}],
                    )
                    return message.content[0].text
        ''',
    })
    assert reported(root) == [
        ("notes/titles.py", 6, "anthropic.messages.create", "claude-3-5-haiku-latest", "anthropic", None),
    ]


def test_lazy_property_client(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "notes/__init__.py": "",
        "notes/titles.py": '''
            import anthropic


            class TitleWriter:
                def __init__(self) -> None:
                    self._client: anthropic.Anthropic | None = None

                @property
                def client(self) -> anthropic.Anthropic:
                    if self._client is None:
                        self._client = anthropic.Anthropic()
                    return self._client

                def title(self, note: str) -> str:
                    message = self.client.messages.create(
                        model="claude-3-5-haiku-latest",
                        max_tokens=64,
                        messages=[{"role": "user", "content": f"Write a title for: {note}"}],
                    )
                    return message.content[0].text
        ''',
        "notes/cli.py": '''
            from notes.titles import TitleWriter

            writer = TitleWriter()
        ''',
    })
    assert reported(root) == [
        ("notes/titles.py", 15, "anthropic.messages.create", "claude-3-5-haiku-latest", "anthropic", None),
    ]


def test_dict_of_clients_indexed_by_name(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "pool/__init__.py": "",
        "pool/registry.py": '''
            from openai import OpenAI


            class ClientRegistry:
                def __init__(self, endpoints: dict[str, str]) -> None:
                    self._clients: dict[str, OpenAI] = {}
                    for name, base_url in endpoints.items():
                        self._clients[name] = OpenAI(base_url=base_url)

                def ask(self, name: str, question: str) -> str:
                    response = self._clients[name].chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[{"role": "user", "content": question}],
                    )
                    return response.choices[0].message.content or ""
        ''',
        "pool/main.py": '''
            from pool.registry import ClientRegistry

            registry = ClientRegistry({"primary": "https://api.openai.com/v1"})
            print(registry.ask("primary", "What is a vector index?"))
        ''',
    })
    assert reported(root) == [
        ("pool/main.py", 4, "openai.chat.completions.create", "gpt-4o-mini", "openai", "pool.registry.ClientRegistry.ask"),
        ("pool/registry.py", 11, "openai.chat.completions.create", "gpt-4o-mini", "openai", None),
    ]


# --------------------------------------------------------------------------- methods and functions as values


def test_bound_method_stored_in_a_module_level_name(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "qa/__init__.py": "",
        "qa/clients.py": '''
            from openai import OpenAI

            client = OpenAI()
        ''',
        "qa/answer.py": '''
            from qa.clients import client

            completion = client.chat.completions.create


            def answer(question: str) -> str:
                response = completion(
                    model="gpt-4o",
                    messages=[{"role": "user", "content": question}],
                )
                return response.choices[0].message.content or ""
        ''',
    })
    assert reported(root) == [
        ("qa/answer.py", 7, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]


def test_litellm_through_a_lazy_accessor_in_the_same_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "bridge/__init__.py": "",
        "bridge/llm.py": '''
            def _get_litellm():
                import litellm

                return litellm


            def summarize(text: str) -> str:
                response = _get_litellm().completion(
                    model="claude-3-5-sonnet-20241022",
                    messages=[{"role": "user", "content": f"Summarize: {text}"}],
                )
                return response.choices[0].message.content
        ''',
        "bridge/cli.py": '''
            import sys

            from bridge.llm import summarize

            print(summarize(sys.stdin.read()))
        ''',
    })
    assert reported(root) == [
        ("bridge/cli.py", 5, "litellm.completion", "claude-3-5-sonnet-20241022", "litellm", "bridge.llm.summarize"),
        ("bridge/llm.py", 8, "litellm.completion", "claude-3-5-sonnet-20241022", "litellm", None),
    ]


def test_litellm_through_a_lazy_accessor_in_another_module(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "bridge/__init__.py": "",
        "bridge/deps.py": '''
            import functools


            @functools.cache
            def get_litellm():
                import litellm

                litellm.drop_params = True
                return litellm
        ''',
        "bridge/summary.py": '''
            from bridge.deps import get_litellm


            def summarize(text: str) -> str:
                response = get_litellm().completion(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": f"Summarize: {text}"}],
                )
                return response.choices[0].message.content
        ''',
    })
    assert reported(root) == [
        ("bridge/summary.py", 5, "litellm.completion", "gpt-4o-mini", "litellm", None),
    ]


def test_litellm_completion_imported_under_an_alias(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "bridge/__init__.py": "",
        "bridge/llm.py": '''
            from litellm import completion as llm_completion


            def ask(question: str) -> str:
                response = llm_completion(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": question}],
                )
                return response.choices[0].message.content
        ''',
        "bridge/main.py": '''
            from bridge.llm import ask

            print(ask("What is retrieval-augmented generation?"))
        ''',
    })
    assert reported(root) == [
        ("bridge/llm.py", 5, "litellm.completion", "gpt-4o-mini", "litellm", None),
        ("bridge/main.py", 3, "litellm.completion", "gpt-4o-mini", "litellm", "bridge.llm.ask"),
    ]


def test_bound_method_named_next_to_the_client(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "qa/__init__.py": "",
        "qa/answer.py": '''
            from openai import OpenAI

            client = OpenAI()
            create = client.chat.completions.create


            def answer(question: str):
                return create(model="gpt-4o", messages=[{"role": "user", "content": question}])
        ''',
        "qa/main.py": '''
            from qa.answer import answer

            print(answer("What is a vector index?"))
        ''',
    })
    assert reported(root) == [
        ("qa/answer.py", 8, "openai.chat.completions.create", "gpt-4o", "openai", None),
        ("qa/main.py", 3, "openai.chat.completions.create", "gpt-4o", "openai", "qa.answer.answer"),
    ]


def test_bound_method_passed_to_a_retry_helper(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "chat/__init__.py": "",
        "chat/retry.py": '''
            import time


            def with_retries(fn, params, attempts=3):
                for attempt in range(attempts):
                    try:
                        return fn(**params)
                    except Exception:
                        time.sleep(2**attempt)
                raise RuntimeError("gave up")
        ''',
        "chat/bot.py": '''
            from openai import OpenAI

            from chat.retry import with_retries


            class Bot:
                def __init__(self):
                    self.client = OpenAI()

                def reply(self, text: str):
                    params = {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}
                    return with_retries(self.client.chat.completions.create, params)
        ''',
    })
    assert reported(root) == [
        ("chat/bot.py", 12, "openai.chat.completions.create", "gpt-4o", "openai", "chat.retry.with_retries"),
    ]


def test_functools_partial_by_its_module_name(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "extract/__init__.py": "",
        "extract/clients.py": '''
            from openai import OpenAI

            client = OpenAI()
        ''',
        "extract/fields.py": '''
            import functools

            from extract.clients import client

            complete = functools.partial(client.chat.completions.create, model="gpt-4o")


            def extract(text: str):
                return complete(messages=[{"role": "user", "content": f"Extract the dates: {text}"}])
        ''',
    })
    assert reported(root) == [
        ("extract/fields.py", 9, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]


def test_litellm_through_importlib_without_an_import_statement(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "bridge/__init__.py": "",
        "bridge/llm.py": '''
            import importlib

            litellm = importlib.import_module("litellm")


            def ask(question: str):
                return litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
        ''',
        "bridge/cli.py": '''
            import sys

            from bridge.llm import ask

            print(ask(sys.argv[1]))
        ''',
    })
    assert reported(root) == [
        ("bridge/cli.py", 5, "litellm.completion", "gpt-4o-mini", "litellm", "bridge.llm.ask"),
        ("bridge/llm.py", 7, "litellm.completion", "gpt-4o-mini", "litellm", None),
    ]


def test_method_saved_before_a_patch_and_called_from_a_closure_on_a_narrowed_object(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "llms/__init__.py": "",
        "llms/anthropic_completion.py": '''
            from anthropic import Anthropic


            class AnthropicCompletion:
                def __init__(self, model: str) -> None:
                    self.model = model
                    self._client = self._build_client()

                def _build_client(self):
                    return Anthropic()
        ''',
        "llms/factory.py": '''
            def LLM(model: str):
                from llms.anthropic_completion import AnthropicCompletion

                return AnthropicCompletion(model) if model.startswith("anthropic/") else None
        ''',
        "llms/test_thinking.py": '''
            from unittest.mock import patch

            from llms.factory import LLM


            def test_thinking_params_are_sent():
                from llms.anthropic_completion import AnthropicCompletion

                llm = LLM("anthropic/claude-sonnet-4-5")
                assert isinstance(llm, AnthropicCompletion)
                original_create = llm._client.messages.create
                captured = {}

                def capture_and_call(**kwargs):
                    captured.update(kwargs)
                    return original_create(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "2+2?"}])

                with patch.object(llm._client.messages, "create", side_effect=capture_and_call):
                    capture_and_call()
        ''',
    })
    assert reported(root) == [
        ("llms/test_thinking.py", 16, "anthropic.messages.create", "claude-sonnet-4-5", "anthropic", None),
    ]


def test_narrowing_holds_only_until_the_name_is_bound_again(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/__init__.py": "",
        "app/backends.py": '''
            from openai import OpenAI


            class OpenAIBackend:
                def __init__(self) -> None:
                    self.client = OpenAI()


            class EchoBackend:
                def __init__(self) -> None:
                    self.client = None
        ''',
        "app/run.py": '''
            from app.backends import EchoBackend, OpenAIBackend


            def pick(name):
                backend = make(name)
                assert isinstance(backend, OpenAIBackend)
                backend.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": name}])
                backend = EchoBackend()
                backend.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": name}])
        ''',
    })
    assert reported(root) == [
        ("app/run.py", 7, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]


def test_streaming_view_and_method_read_with_getattr(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "agents/__init__.py": "",
        "agents/responses.py": '''
            from openai import AsyncOpenAI


            async def fetch(stream: bool, **create_kwargs):
                client = AsyncOpenAI()
                if not stream:
                    return await client.responses.create(model="gpt-4.1", **create_kwargs)
                streaming_response = getattr(client.responses, "with_streaming_response", None)
                stream_create = getattr(streaming_response, "create", None)
                return stream_create(model="gpt-4.1", stream=True, **create_kwargs)
        ''',
    })
    assert reported(root) == [
        ("agents/responses.py", 7, "openai.responses.create", "gpt-4.1", "openai", None),
        ("agents/responses.py", 10, "openai.responses.create", "gpt-4.1", "openai", None),
    ]


def test_cast_to_a_langchain_model_of_a_value_also_typed_as_a_project_class(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "evals/__init__.py": "",
        "evals/llms.py": '''
            class BaseEvalLLM:
                async def generate(self, prompt):
                    return prompt
        ''',
        "evals/prompt.py": '''
            import typing as t

            from langchain_core.language_models import BaseLanguageModel
            from langchain_openai import ChatOpenAI

            from evals.llms import BaseEvalLLM


            async def ask(llm: t.Union[BaseEvalLLM, BaseLanguageModel], prompt_value, langchain: bool):
                if langchain:
                    langchain_llm = t.cast(BaseLanguageModel, llm)
                    return await langchain_llm.agenerate_prompt([prompt_value])
                return await t.cast(BaseEvalLLM, llm).generate(prompt_value)


            async def judge(prompt_value):
                chat = t.cast(BaseLanguageModel, ChatOpenAI(model="gpt-4o-mini"))
                return await chat.ainvoke(prompt_value)
        ''',
    })
    assert reported(root) == [
        ("evals/prompt.py", 12, "langchain.BaseLanguageModel.agenerate_prompt", None, "langchain", None),
        ("evals/prompt.py", 18, "langchain.ChatOpenAI.ainvoke", "gpt-4o-mini", "langchain", None),
    ]


def test_only_importers_of_a_module_that_builds_an_sdk_client_are_read_for_its_calls(tmp_path: Path) -> None:
    """A module that imports an SDK and builds a client makes its importers worth reading
    (`llm.invoke` in bot.py); one that builds something named like a client
    (`OpenAIError(`, `httpx.AsyncClient(`) does not, nor one that builds a client only in
    a docstring's example (as pydantic-ai's own modules do), nor a project file that goes
    by an SDK's name (a folder without `__init__.py` makes vendor/openai/openai.py `openai`)."""
    root = write_project(
        tmp_path,
        {
            "clients.py": """
                from langchain_openai import ChatOpenAI
                llm = ChatOpenAI(model="gpt-4o")
            """,
            "bot.py": """
                from clients import llm
                def answer(q):
                    return llm.invoke(q)
            """,
            "errors.py": """
                import httpx
                from openai import OpenAIError
                http = httpx.AsyncClient()
                def fail():
                    raise OpenAIError("no key")
            """,
            "jobs.py": """
                import errors
                def go(job):
                    return job.run()
            """,
            "vendor/openai/openai.py": """
                from openai import OpenAI
                client = OpenAI()
            """,
            "tasks.py": """
                import openai
                def go(job):
                    return job.run()
            """,
            "tools.py": '''
                from pydantic_ai import RunContext
                class Tool:
                    """A tool an agent calls.

                    from pydantic_ai import Agent
                    agent = Agent("openai:gpt-4o", tools=[Tool(search)])
                    """
                    def __init__(self, function):
                        self.function = function
            ''',
            "worker.py": """
                from tools import Tool
                def go(job):
                    return job.run(Tool(print))
            """,
        },
    )
    result = lint([root], Config(root=root, select=()), use_cache=False, jobs=1)
    analysed = sorted(Path(os.path.relpath(a.filename, root)).as_posix() for a in result.analyses)
    assert analysed == ["bot.py", "clients.py"]
    assert reported(root) == [("bot.py", 3, "langchain.ChatOpenAI.invoke", "gpt-4o", "langchain", None)]
