# SPDX-License-Identifier: MIT
"""Recognition matrix: which source forms are LLM calls, and how each is normalized.

Every positive form of issue 2 item 4 (each SDK's clients and endpoints, and every way a
client reaches its call) is a row mapping a small project to the calls expected in it,
as (provider, api, model, stream); every negative form is a row expecting no call at all.
The projects are written to disk and analysed through the engine, as the CLI would.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from promptlint.config import Config
from promptlint.engine import analyze_paths
from promptlint.analysis.results import LLMCall

Expected = tuple[str, str, str | None, bool]


def analyse(root: Path, files: dict[str, str]) -> list[LLMCall]:
    """Write `files` under `root`, analyse the tree, return its calls in source order."""
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    analyses, errors, _ = analyze_paths([root], Config(root=root), jobs=1, use_cache=False)
    assert not errors, errors
    calls = [call for analysis in analyses for call in analysis.calls]
    return sorted(calls, key=lambda c: (c.filename, c.span.start))


def summary(calls: list[LLMCall]) -> list[Expected]:
    return [(c.provider, c.api, c.model, c.stream) for c in calls]


# --------------------------------------------------------------------------- openai

OPENAI_CLIENTS = ["OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"]

OPENAI_ENDPOINTS: list[tuple[str, str, str | None, bool]] = [
    # (call as written on `client`, api, model, stream)
    ('chat.completions.create(model="gpt-4o", messages=[])', "openai.chat.completions.create", "gpt-4o", False),
    ('chat.completions.create(model="gpt-4o", messages=[], stream=True)', "openai.chat.completions.create", "gpt-4o", True),
    ('chat.completions.parse(model="gpt-4o", messages=[])', "openai.chat.completions.parse", "gpt-4o", False),
    ('chat.completions.stream(model="gpt-4o", messages=[])', "openai.chat.completions.stream", "gpt-4o", True),
    ('responses.create(model="gpt-4.1", input="hi")', "openai.responses.create", "gpt-4.1", False),
    ('responses.create(model="gpt-4.1", input="hi", stream=True)', "openai.responses.create", "gpt-4.1", True),
    ('responses.parse(model="gpt-4.1", input="hi")', "openai.responses.parse", "gpt-4.1", False),
    ('responses.stream(model="gpt-4.1", input="hi")', "openai.responses.stream", "gpt-4.1", True),
    ('completions.create(model="gpt-3.5-turbo-instruct", prompt="hi")', "openai.completions.create", "gpt-3.5-turbo-instruct", False),
    ('beta.chat.completions.create(model="gpt-4o", messages=[])', "openai.beta.chat.completions.create", "gpt-4o", False),
    ('beta.chat.completions.parse(model="gpt-4o", messages=[])', "openai.beta.chat.completions.parse", "gpt-4o", False),
    ('beta.chat.completions.stream(model="gpt-4o", messages=[])', "openai.beta.chat.completions.stream", "gpt-4o", True),
    ('batches.create(input_file_id="file-1", endpoint="/v1/chat/completions", completion_window="24h")', "openai.batches.create", None, False),
    ('with_raw_response.chat.completions.create(model="gpt-4o", messages=[])', "openai.chat.completions.create", "gpt-4o", False),
]


@pytest.mark.parametrize("cls", OPENAI_CLIENTS)
def test_openai_client_classes(tmp_path: Path, cls: str) -> None:
    source = f"""
        from openai import {cls}
        client = {cls}()
        client.chat.completions.create(model="gpt-4o-mini", messages=[{{"role": "user", "content": "hi"}}])
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("openai", "openai.chat.completions.create", "gpt-4o-mini", False)]
    assert calls[0].model_provider == "openai"


@pytest.mark.parametrize(("written", "api", "model", "stream"), OPENAI_ENDPOINTS, ids=[e[1] + str(e[3]) for e in OPENAI_ENDPOINTS])
def test_openai_endpoints(tmp_path: Path, written: str, api: str, model: str | None, stream: bool) -> None:
    source = f"""
        import openai
        client = openai.OpenAI()
        result = client.{written}
    """
    assert summary(analyse(tmp_path, {"app.py": source})) == [("openai", api, model, stream)]


def test_untyped_client_known_by_the_call_shape(tmp_path: Path) -> None:
    """A client passed in without a type (`def get_completion(client, messages)`) is still
    an SDK client when the call has an SDK's unmistakable shape."""
    source = """
        def get_completion(client, messages, model="gpt-4o"):
            return client.chat.completions.create(model=model, messages=messages)

        def summarize(claude, text):
            return claude.messages.create(model="claude-haiku-4-5", max_tokens=200, messages=[{"role": "user", "content": text}])
    """
    assert summary(analyse(tmp_path, {"app.py": source})) == [
        ("openai", "openai.chat.completions.create", "gpt-4o", False),
        ("anthropic", "anthropic.messages.create", "claude-haiku-4-5", False),
    ]


def test_openai_module_level_default_client(tmp_path: Path) -> None:
    source = """
        import openai
        openai.chat.completions.create(model="gpt-4o", messages=[])
    """
    assert summary(analyse(tmp_path, {"app.py": source})) == [
        ("openai", "openai.chat.completions.create", "gpt-4o", False)
    ]


# --------------------------------------------------------------------------- anthropic

ANTHROPIC_CLIENTS = [
    "Anthropic",
    "AsyncAnthropic",
    "AnthropicBedrock",
    "AsyncAnthropicBedrock",
    "AnthropicVertex",
    "AsyncAnthropicVertex",
]

ANTHROPIC_ENDPOINTS = [
    ("messages.create", "anthropic.messages.create", False),
    ("messages.stream", "anthropic.messages.stream", True),
    ("messages.parse", "anthropic.messages.parse", False),
    ("beta.messages.create", "anthropic.beta.messages.create", False),
    ("beta.messages.stream", "anthropic.beta.messages.stream", True),
    ("beta.messages.parse", "anthropic.beta.messages.parse", False),
]


@pytest.mark.parametrize("cls", ANTHROPIC_CLIENTS)
def test_anthropic_client_classes(tmp_path: Path, cls: str) -> None:
    source = f"""
        import anthropic
        client = anthropic.{cls}()
        async def main():
            return await client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[])
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("anthropic", "anthropic.messages.create", "claude-sonnet-4-5", False)]
    assert calls[0].model_provider == "anthropic"


@pytest.mark.parametrize(("method", "api", "stream"), ANTHROPIC_ENDPOINTS, ids=[e[0] for e in ANTHROPIC_ENDPOINTS])
def test_anthropic_endpoints(tmp_path: Path, method: str, api: str, stream: bool) -> None:
    source = f"""
        from anthropic import Anthropic
        client = Anthropic()
        client.{method}(model="claude-haiku-4-5", max_tokens=64, system="Be brief.", messages=[{{"role": "user", "content": "hi"}}])
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("anthropic", api, "claude-haiku-4-5", stream)]
    assert calls[0].system is not None and calls[0].system.static_text == "Be brief."


def test_anthropic_create_with_stream_true(tmp_path: Path) -> None:
    source = """
        from anthropic import Anthropic
        Anthropic().messages.create(model="claude-haiku-4-5", max_tokens=64, messages=[], stream=True)
    """
    assert summary(analyse(tmp_path, {"app.py": source})) == [
        ("anthropic", "anthropic.messages.create", "claude-haiku-4-5", True)
    ]


@pytest.mark.parametrize("path", ["messages.batches.create", "beta.messages.batches.create"])
def test_anthropic_message_batches(tmp_path: Path, path: str) -> None:
    source = f"""
        import anthropic
        client = anthropic.Anthropic()
        client.{path}(requests=[])
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("anthropic", f"anthropic.{path}", None, False)]


# --------------------------------------------------------------------------- litellm

LITELLM_CASES = {
    "module-completion": (
        """
        import litellm
        litellm.completion(model="anthropic/claude-sonnet-4-5", messages=[{"role": "user", "content": "hi"}])
        """,
        [("litellm", "litellm.completion", "claude-sonnet-4-5", False)],
    ),
    "imported-acompletion": (
        """
        from litellm import acompletion
        async def go():
            return await acompletion(model="gpt-4o", messages=[], stream=True)
        """,
        [("litellm", "litellm.acompletion", "gpt-4o", True)],
    ),
    "positional-model": (
        """
        from litellm import completion
        completion("gpt-4o-mini", [{"role": "user", "content": "hi"}])
        """,
        [("litellm", "litellm.completion", "gpt-4o-mini", False)],
    ),
    "router": (
        """
        from litellm import Router
        router = Router(model_list=[])
        router.completion(model="gpt-4o", messages=[])
        async def go():
            await router.acompletion(model="gpt-4o", messages=[])
        """,
        [
            ("litellm", "litellm.Router.completion", "gpt-4o", False),
            ("litellm", "litellm.Router.acompletion", "gpt-4o", False),
        ],
    ),
    "router-inline": (
        """
        import litellm
        litellm.Router(model_list=[]).completion(model="gpt-4o", messages=[])
        """,
        [("litellm", "litellm.Router.completion", "gpt-4o", False)],
    ),
}


@pytest.mark.parametrize("case", LITELLM_CASES)
def test_litellm(tmp_path: Path, case: str) -> None:
    source, expected = LITELLM_CASES[case]
    assert summary(analyse(tmp_path, {"app.py": source})) == expected


def test_litellm_model_provider_from_prefix(tmp_path: Path) -> None:
    calls = analyse(tmp_path, {"app.py": LITELLM_CASES["module-completion"][0]})
    assert calls[0].model_provider == "anthropic"


# --------------------------------------------------------------------------- google-genai

GOOGLE_CASES = {
    "generate_content": (
        """
        from google import genai
        client = genai.Client()
        client.models.generate_content(model="gemini-2.5-flash", contents="hi")
        """,
        [("google", "google.models.generate_content", "gemini-2.5-flash", False)],
    ),
    "generate_content_stream": (
        """
        from google.genai import Client
        Client().models.generate_content_stream(model="gemini-2.5-flash", contents="hi")
        """,
        [("google", "google.models.generate_content_stream", "gemini-2.5-flash", True)],
    ),
    "aio": (
        """
        import google.genai as genai
        client = genai.Client()
        async def go():
            await client.aio.models.generate_content(model="gemini-2.5-pro", contents="hi")
            async for chunk in await client.aio.models.generate_content_stream(model="gemini-2.5-pro", contents="hi"):
                print(chunk)
        """,
        [
            ("google", "google.aio.models.generate_content", "gemini-2.5-pro", False),
            ("google", "google.aio.models.generate_content_stream", "gemini-2.5-pro", True),
        ],
    ),
    "chats": (
        """
        from google import genai
        client = genai.Client()
        chat = client.chats.create(model="gemini-2.5-flash")
        chat.send_message("hello")
        for chunk in chat.send_message_stream("more"):
            print(chunk.text)
        """,
        [
            ("google", "google.chats.send_message", "gemini-2.5-flash", False),
            ("google", "google.chats.send_message_stream", "gemini-2.5-flash", True),
        ],
    ),
    "aio-chats": (
        """
        from google import genai
        async def go():
            chat = genai.Client().aio.chats.create(model="gemini-2.5-flash")
            await chat.send_message("hello")
        """,
        [("google", "google.chats.send_message", "gemini-2.5-flash", False)],
    ),
}


@pytest.mark.parametrize("case", GOOGLE_CASES)
def test_google_genai(tmp_path: Path, case: str) -> None:
    source, expected = GOOGLE_CASES[case]
    assert summary(analyse(tmp_path, {"app.py": source})) == expected


def test_google_chat_message_is_the_user_prompt(tmp_path: Path) -> None:
    calls = analyse(tmp_path, {"app.py": GOOGLE_CASES["chats"][0]})
    assert [m.content.static_text for m in calls[0].messages if m.content] == ["hello"]


# --------------------------------------------------------------------------- langchain

LANGCHAIN_METHODS = [("invoke", False), ("ainvoke", False), ("stream", True), ("astream", True), ("batch", False)]


@pytest.mark.parametrize(("method", "stream"), LANGCHAIN_METHODS)
@pytest.mark.parametrize(
    ("construction", "cls", "model", "vendor"),
    [
        ('from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o")', "ChatOpenAI", "gpt-4o", "openai"),
        (
            'from langchain_anthropic import ChatAnthropic\nllm = ChatAnthropic(model="claude-sonnet-4-5")',
            "ChatAnthropic",
            "claude-sonnet-4-5",
            "anthropic",
        ),
        (
            'from langchain.chat_models import init_chat_model\nllm = init_chat_model("anthropic:claude-haiku-4-5")',
            "init_chat_model",
            "claude-haiku-4-5",
            "anthropic",
        ),
    ],
    ids=["ChatOpenAI", "ChatAnthropic", "init_chat_model"],
)
def test_langchain(tmp_path: Path, construction: str, cls: str, model: str, vendor: str, method: str, stream: bool) -> None:
    argument = '["a", "b"]' if method == "batch" else '"Tell me a joke"'
    source = f"{construction}\nresult = llm.{method}({argument})\n"
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("langchain", f"langchain.{cls}.{method}", model, stream)]
    assert calls[0].model_provider == vendor


def test_langchain_chat_models_are_followed_through_bind_tools(tmp_path: Path) -> None:
    source = """
        from langchain_openai import ChatOpenAI
        llm = ChatOpenAI(model="gpt-4.1-mini").bind_tools([])
        llm.invoke([("system", "You are terse."), ("human", "hi")])
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("langchain", "langchain.ChatOpenAI.invoke", "gpt-4.1-mini", False)]
    assert calls[0].system is not None and calls[0].system.static_text == "You are terse."


# --------------------------------------------------------------------------- pydantic-ai

PYDANTIC_METHODS = [("run", False), ("run_sync", False), ("run_stream", True)]


@pytest.mark.parametrize(("method", "stream"), PYDANTIC_METHODS)
def test_pydantic_ai(tmp_path: Path, method: str, stream: bool) -> None:
    source = f"""
        from pydantic_ai import Agent
        agent = Agent("openai:gpt-4o", system_prompt="You are a poet.", instructions="Rhyme.")
        async def go():
            return await agent.{method}("Write about the sea")
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("pydantic-ai", f"pydantic_ai.Agent.{method}", "gpt-4o", stream)]
    call = calls[0]
    assert call.model_provider == "openai"
    assert call.system is not None and call.system.static_text == "You are a poet.Rhyme."
    assert [m.content.static_text for m in call.messages if m.content] == ["Write about the sea"]


def test_pydantic_ai_model_keyword_and_anthropic_vendor(tmp_path: Path) -> None:
    source = """
        import pydantic_ai
        agent = pydantic_ai.Agent(model="anthropic:claude-sonnet-4-5", instructions="Be kind.")
        agent.run_sync("hi")
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("pydantic-ai", "pydantic_ai.Agent.run_sync", "claude-sonnet-4-5", False)]
    assert calls[0].model_provider == "anthropic"


# --------------------------------------------------------------------------- instructor

INSTRUCTOR_CASES = {
    "from_openai": (
        """
        import instructor
        from openai import OpenAI
        client = instructor.from_openai(OpenAI())
        client.chat.completions.create(model="gpt-4o-mini", response_model=User, messages=[])
        """,
        [("openai", "openai.chat.completions.create", "gpt-4o-mini", False)],
    ),
    "from_openai-create-shortcut": (
        """
        import instructor
        import openai
        client = instructor.from_openai(openai.OpenAI())
        client.create(model="gpt-4o-mini", response_model=User, messages=[])
        client.create_partial(model="gpt-4o-mini", response_model=User, messages=[])
        """,
        [
            ("openai", "openai.chat.completions.create", "gpt-4o-mini", False),
            ("openai", "openai.chat.completions.create_partial", "gpt-4o-mini", True),
        ],
    ),
    "from_anthropic": (
        """
        import instructor
        from anthropic import Anthropic
        client = instructor.from_anthropic(Anthropic())
        client.messages.create(model="claude-haiku-4-5", max_tokens=100, response_model=User, messages=[])
        """,
        [("anthropic", "anthropic.messages.create", "claude-haiku-4-5", False)],
    ),
    "from_provider": (
        """
        import instructor
        client = instructor.from_provider("openai/gpt-4o")
        client.chat.completions.create(response_model=User, messages=[])
        """,
        [("openai", "openai.chat.completions.create", "gpt-4o", False)],
    ),
    "from_provider-anthropic": (
        """
        from instructor import from_provider
        client = from_provider("anthropic/claude-sonnet-4-5")
        client.create(response_model=User, messages=[], max_tokens=100)
        """,
        [("anthropic", "anthropic.messages.create", "claude-sonnet-4-5", False)],
    ),
}


@pytest.mark.parametrize("case", INSTRUCTOR_CASES)
def test_instructor(tmp_path: Path, case: str) -> None:
    source, expected = INSTRUCTOR_CASES[case]
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == expected
    assert all(call.structured for call in calls)


# --------------------------------------------------------------------------- client reach

CALL = 'client.chat.completions.create(model="gpt-4o", messages=[])'
OPENAI_CALL: list[Expected] = [("openai", "openai.chat.completions.create", "gpt-4o", False)]

REACH_CASES: dict[str, dict[str, str]] = {
    "local-variable": {
        "app.py": f"""
            from openai import OpenAI
            def answer():
                client = OpenAI()
                return {CALL}
        """
    },
    "module-variable": {
        "app.py": f"""
            from openai import OpenAI
            client = OpenAI(timeout=30)
            def answer():
                return {CALL}
        """
    },
    "self-attribute": {
        "app.py": """
            import openai
            class Bot:
                def __init__(self) -> None:
                    self.client = openai.AsyncOpenAI()

                async def reply(self, text: str) -> str:
                    result = await self.client.chat.completions.create(model="gpt-4o", messages=[])
                    return result.choices[0].message.content
        """
    },
    "from-import-alias": {
        "app.py": f"""
            from openai import OpenAI as OAI
            client = OAI()
            {CALL}
        """
    },
    "module-alias": {
        "app.py": """
            import anthropic as a
            client = a.Anthropic()
            client.messages.create(model="claude-haiku-4-5", max_tokens=10, messages=[])
        """
    },
    "with-options": {
        "app.py": f"""
            from openai import OpenAI
            base = OpenAI()
            client = base.with_options(timeout=10, max_retries=5)
            {CALL}
            base.with_options(max_retries=1).chat.completions.create(model="gpt-4o", messages=[])
        """
    },
    "imported-from-another-module": {
        "clients.py": """
            from openai import OpenAI
            client = OpenAI()
        """,
        "app.py": f"""
            from clients import client
            {CALL}
        """,
    },
    "imported-module-attribute": {
        "clients.py": """
            from anthropic import Anthropic
            claude = Anthropic()
        """,
        "app.py": """
            import clients
            clients.claude.messages.create(model="claude-haiku-4-5", max_tokens=10, messages=[])
        """,
    },
    "annotated-parameter": {
        "app.py": f"""
            from openai import AsyncOpenAI
            async def answer(client: AsyncOpenAI, question: str):
                return await {CALL}
        """
    },
    "helper-returning-client": {
        "app.py": f"""
            from functools import cache
            from openai import OpenAI
            @cache
            def get_client() -> OpenAI:
                return OpenAI()
            def answer():
                client = get_client()
                {CALL}
                get_client().chat.completions.create(model="gpt-4o", messages=[])
        """
    },
    "helper-in-another-module": {
        "llm/__init__.py": "",
        "llm/factory.py": """
            import openai
            def make_client():
                return openai.OpenAI()
        """,
        "app.py": f"""
            from llm.factory import make_client
            client = make_client()
            {CALL}
        """,
    },
}

REACH_EXPECTED: dict[str, list[Expected]] = {
    "module-alias": [("anthropic", "anthropic.messages.create", "claude-haiku-4-5", False)],
    "imported-module-attribute": [("anthropic", "anthropic.messages.create", "claude-haiku-4-5", False)],
    "with-options": OPENAI_CALL * 2,
    "helper-returning-client": OPENAI_CALL * 2,
}


@pytest.mark.parametrize("case", REACH_CASES)
def test_client_reach(tmp_path: Path, case: str) -> None:
    calls = analyse(tmp_path, REACH_CASES[case])
    assert summary(calls) == REACH_EXPECTED.get(case, OPENAI_CALL)
    assert all(Path(call.filename).name == "app.py" for call in calls)


# --------------------------------------------------------------------------- negatives

NEGATIVE_CASES: dict[str, str] = {
    "assistants-threads-messages": """
        from openai import OpenAI
        client = OpenAI()
        client.beta.threads.messages.create("thread_1", role="user", content="hi")
        client.beta.threads.create()
    """,
    "openai-non-completion-endpoints": """
        from openai import OpenAI
        client = OpenAI()
        client.files.create(file=open("data.jsonl", "rb"), purpose="batch")
        client.fine_tuning.jobs.create(training_file="f", model="gpt-4o-mini")
    """,
    "anthropic-count-tokens": """
        import anthropic
        client = anthropic.Anthropic()
        client.messages.count_tokens(model="claude-sonnet-4-5", messages=[])
        client.beta.messages.count_tokens(model="claude-sonnet-4-5", messages=[])
    """,
    "twilio": """
        from twilio.rest import Client
        import openai  # an SDK import elsewhere in the file must not change anything
        client = Client("sid", "token")
        client.messages.create(body="Your code is 1234", from_="+15017122661", to="+15558675310")
    """,
    "user-class-with-messages-create": """
        import anthropic

        class Messages:
            def create(self, **kwargs):
                return kwargs

        class Mailer:
            def __init__(self) -> None:
                self.messages = Messages()

        client = Mailer()
        client.messages.create(model="claude-sonnet-4-5", messages=[])
    """,
    "unrelated-create-invoke-completion": """
        import boto3
        from openai import OpenAI
        from django.contrib.auth.models import User

        def completion(prompt):
            return prompt

        lam = boto3.client("lambda")
        lam.invoke(FunctionName="f")
        User.objects.create(username="x")
        completion("hello")
        chain = make_chain()
        chain.invoke({"question": "hi"})
    """,
    "sms-not-a-model": """
        from twilio.rest import Client
        def notify(client):
            client.messages.create(to="+15550100", from_="+15550101", body="Your order shipped")
    """,
    "mock-client": """
        from unittest.mock import MagicMock
        import openai

        class FakeClient:
            def __init__(self):
                self.chat = MagicMock()

        def answer(client=FakeClient()):
            return client.chat.completions.create(model="gpt-4o", messages=[])
    """,
    "shadowed-sdk-name": """
        from openai import OpenAI

        def OpenAI():  # the import is shadowed by a local class factory
            return object()

        OpenAI().chat.completions.create(model="gpt-4o", messages=[])
    """,
    "string-mentions-only": '''
        """Docs: from openai import OpenAI; OpenAI().chat.completions.create(model="gpt-4o")"""
        x = "client.chat.completions.create(model='gpt-4o')"
    ''',
}


@pytest.mark.parametrize("case", NEGATIVE_CASES)
def test_not_an_llm_call(tmp_path: Path, case: str) -> None:
    assert analyse(tmp_path, {"app.py": NEGATIVE_CASES[case]}) == []


def test_negatives_do_not_hide_a_real_call_in_the_same_file(tmp_path: Path) -> None:
    source = textwrap.dedent(NEGATIVE_CASES["twilio"]) + 'openai.OpenAI().responses.create(model="gpt-5", input="x")\n'
    calls = analyse(tmp_path, {"app.py": source})
    assert summary(calls) == [("openai", "openai.responses.create", "gpt-5", False)]


# --------------------------------------------------------------------------- locations


def test_call_span_starts_at_the_first_token_of_the_call(tmp_path: Path) -> None:
    source = """
        from openai import OpenAI
        client = OpenAI()

        async def go():
            x = await client.chat.completions.create(
                model="gpt-4o",
                messages=[],
            )
    """
    calls = analyse(tmp_path, {"app.py": source})
    assert len(calls) == 1
    start, end = calls[0].span.start, calls[0].span.end
    assert (start.row, start.column) == (5, 15)  # `client`, after `    x = await `
    assert (end.row, end.column) == (8, 6)  # just past the closing parenthesis


def test_a_module_level_call_is_not_mocked_by_a_test_functions_patch_decorator(tmp_path: Path) -> None:
    """`@patch("...litellm...")` above a test function patches that test only; the call
    at module level (found by the fuzzer in a mutated test file) still sends a request."""
    calls = analyse(
        tmp_path,
        {
            "test_llm.py": """
            from unittest.mock import patch
            from openai import OpenAI

            @patch("app.llm.litellm_completion")
            def test_answer(mock_completion):
                assert mock_completion is not None

            OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[])
            """
        },
    )
    assert [c.model for c in calls] == ["gpt-4o-mini"]
