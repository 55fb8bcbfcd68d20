"""Selection from bytes (`prefilter`): which files may hold an LLM call, what they import,
and what they call, decided without parsing."""

from __future__ import annotations

import pytest

from promptlint import prefilter
from promptlint.config import Wrapper

OPENAI_CALL = b"from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model='gpt-4o')\n"


@pytest.mark.parametrize(
    "source",
    [
        OPENAI_CALL,
        b"import anthropic\nanthropic.Anthropic().messages.stream(model='x')\n",
        b"from anthropic import (\n    AsyncAnthropic,\n)\nawait c.messages.create(**kw)\n",
        b"import litellm\nlitellm.completion(model='gpt-4o', messages=m)\n",
        b"from litellm import acompletion\nawait acompletion(model='m')\n",
        b"from google import genai\nclient.models.generate_content(model='gemini')\n",
        b"import google.genai as genai\nchat.send_message('hi')\n",
        b"from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model='gpt-4o')\n",
        b"from langchain.chat_models import init_chat_model\nm = init_chat_model('openai:gpt-4o')\n",
        b"from pydantic_ai import Agent\nagent = Agent('openai:gpt-4o')\n",
        b"import instructor\nclient.chat.completions.create(response_model=User)\n",
        b"def f():\n    import openai; openai.responses.parse(model='x')\n",
        b"import os, openai as oa\noa.chat.completions.create()\n",
        b"from openai import OpenAI\nclient.beta.threads.runs.create_and_poll(thread_id=t)\n",
        b"import importlib\nllm = importlib.import_module('litellm')\nllm.completion(model='m')\n",
    ],
)
def test_sdk_calls_are_selected(source: bytes) -> None:
    assert prefilter.may_call_sdk(source)


@pytest.mark.parametrize(
    "source",
    [
        b"import os\nos.makedirs('x')\nparser.parse(args)\n",  # call shape, no SDK
        b"from openai import OpenAI\nclient = OpenAI()\n",  # SDK and a client, no call
        b"# we use openai\nrecord.create(name='x')\n",  # SDK named only in a comment
        b"from myopenai import x\nx.create()\n",  # a name that only contains an SDK name
        b"from openai import OpenAI\nrecord.created(at=1)\n",  # `.created(` is not `.create(`
        b"",
    ],
)
def test_files_without_an_sdk_import_and_its_call_are_not(source: bytes) -> None:
    assert not prefilter.may_call_sdk(source)


@pytest.mark.parametrize(
    "source",
    [
        b"create = client.chat.completions.create\ncreate(model='gpt-4o')\n",
        b"retry(self.client.messages.create, params)\n",
        b"complete = functools.partial(llm.chat.completions.create, model='gpt-4o')\n",
    ],
)
def test_an_sdk_method_named_as_a_value_is_selected(source: bytes) -> None:
    assert prefilter.has_distinctive_call(source)


@pytest.mark.parametrize(
    "source",
    [
        b"self.messages.created_at = now\n",
        b"client.models.generate_contents(x)\n",
        b"registry.runs.created\n",
        b"client.completions.",  # the path, with no method after it
        b"client.beta.threads.create_run(x)\n",
    ],
)
def test_a_method_name_that_only_starts_like_an_sdk_method_is_not(source: bytes) -> None:
    assert not prefilter.has_distinctive_call(source)


@pytest.mark.parametrize(
    "source",
    [
        b"x.chat.completions.stream",  # at the very end of the file
        b"client.beta.threads.create_and_run_poll(assistant_id=a)\n",  # any suffix
        b"out = client.models.generate_content(model=m, contents=c)\n",
        b"a.messages.created_at = 1\nb = client.messages.parse(x)\n",  # a later hit of the same path
        b"r = client.responses.create(\n",
        b"x.messages.messages.create(\n",  # the path twice in a row: the second starts at the first's last dot
        b"self.models.models.generate_content(c)\n",
    ],
)
def test_each_distinctive_path_and_method_is_found(source: bytes) -> None:
    assert prefilter.has_distinctive_call(source)


def test_a_client_module_builds_a_client() -> None:
    assert prefilter.builds_client(b"from openai import AsyncOpenAI\nclient = AsyncOpenAI(api_key=k)\n")
    assert not prefilter.builds_client(b"from openai import types\nMessage = types.Message\n")


@pytest.mark.parametrize(
    "source",
    [
        b"from openai import AzureOpenAI\nclient = AzureOpenAI(api_version=v)\n",
        b"import anthropic\nclient = anthropic.AnthropicBedrock()\n",
        b"from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model=m)\n",
        b"from google import genai\nclient = genai.Client()\n",
        b"from google.genai import Client\nclient = Client()\n",
        b"from litellm import (\n    Router,\n)\nrouter = Router(model_list=m)\n",
        b"import instructor, openai\nclient = instructor.from_openai(openai.OpenAI())\n",
        b"from pydantic_ai import Agent\nagent = Agent('openai:gpt-4o')\n",
    ],
)
def test_each_sdk_constructor_builds_a_client(source: bytes) -> None:
    assert prefilter.builds_client(source)


@pytest.mark.parametrize(
    "source",
    [
        b"import openai\nraise OpenAIError('no key')\n",  # a longer name than a constructor's
        b"import openai\nconfig = OpenAIConfig()\n",
        b"import openai, httpx\nhttp = httpx.AsyncClient(timeout=5)\n",  # another library's Client
        b"import openai\nfrom fastapi import APIRouter\nrouter = APIRouter()\n",
        b"import litellm\nfrom unittest import mock\nwith mock.patch('litellm.completion'):\n",
        b"import litellm\nself.dispatch(event)\n",
        b"from openai import OpenAI\nclient: OpenAI\n",  # a type, not a construction
    ],
)
def test_names_like_a_constructor_build_no_client(source: bytes) -> None:
    assert not prefilter.builds_client(source)


@pytest.mark.parametrize(
    "source",
    [
        # pydantic-ai's own modules show building an agent in their docstrings
        b'from pydantic_ai import _utils\n\nclass Tool:\n    """A tool.\n\n    from pydantic_ai import Agent\n    agent = Agent("openai:gpt-4o")\n    """\n',
        b"import openai\n\ndef helper():\n    '''Call with openai.OpenAI(api_key=k).'''\n",
        b"import openai\n# client = openai.OpenAI()\n",
        b"import anthropic\nx = 1  # or anthropic.Anthropic()\n",
    ],
)
def test_a_constructor_spelt_in_a_docstring_or_comment_builds_no_client(source: bytes) -> None:
    assert not prefilter.builds_client(source)


def test_a_constructor_called_after_a_docstring_builds_a_client() -> None:
    source = b'"""Clients."""\nfrom pydantic_ai import Agent\n\n\ndef make():\n    """Make one."""\n    return Agent("openai:gpt-4o")\n'
    assert prefilter.builds_client(source)
    assert prefilter.builds_client(b"import openai\n'''\nan open docstring\n'''\nclient = openai.OpenAI()  # the client\n")


def test_constructors_are_the_analysis_constructors_and_factories() -> None:
    """Selection knows a client module by the same constructors the analysis knows a client
    by: one the analysis learns and selection does not would lose its importers' calls."""
    from promptlint.analysis.providers import REGISTRY

    known = {name.rsplit(".", 1)[-1] for name in (*REGISTRY.constructors, *REGISTRY.factories)}
    assert known == prefilter.CONSTRUCTORS


def test_a_lazy_accessor_returning_the_sdk_module_hands_it_out() -> None:
    assert prefilter.builds_client(b"def get_litellm():\n    import litellm\n    return litellm\n")
    assert prefilter.builds_client(b"def get():\n    import litellm\n    return litellm  # lazily\n")
    assert not prefilter.builds_client(b"def get():\n    import litellm\n    return litellm_settings\n")
    assert not prefilter.builds_client(b"def get():\n    import litellm\n    return litellm.utils\n")


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        (b"from .clients import client\n", "app", {"app.clients", "app.clients.client"}),
        (b"from . import clients\n", "app", {"app", "app.clients"}),
        (b"from ..core import llm\n", "app.web", {"app.core", "app.core.llm"}),
        (b"from app import clients\n", "", {"app", "app.clients"}),
        (b"import app.clients.sub, os as o\n", "", {"app.clients.sub", "os"}),
        (b"from app.clients import (\n    client,\n)\n", "", {"app.clients"}),
        (b"    from app.clients import client  # inside a function\n", "", {"app.clients", "app.clients.client"}),
        (b"x = 'import nothing'\n", "", set()),
    ],
)
def test_imported_modules_in_every_import_form(source: bytes, package: str, expected: set[str]) -> None:
    assert expected <= prefilter.imported_modules(source, package)
    assert not {name for name in prefilter.imported_modules(source, package) if "nothing" in name}


def test_called_names_are_the_names_spelt_before_a_parenthesis() -> None:
    names = prefilter.called_names(b"answer = llm.ask('x')\nsend (q)\nnot_a_call = ask\n")
    assert {"ask", "send"} <= names and "not_a_call" not in names


def test_called_names_are_whole_names_that_start_with_a_letter() -> None:
    source = (
        "a(b(c_1( x)))\n"  # nested calls, a digit inside a name
        "_private\t(1)\n"  # a tab before the parenthesis
        "9lives(2)\n"  # not a name: starts with a digit
        "print\n(3)\n"  # a line break between: not read as a call
        "café(4) naïve_x(5)\n"  # bytes, not text: a name is the ASCII run before "("
        "(6)\n"
    ).encode()
    assert prefilter.called_names(source) == {"a", "b", "c_1", "_private", "ve_x"}


def test_called_names_of_a_huge_identifier_take_one_pass() -> None:
    name = b"x" * 2_000_000
    assert prefilter.called_names(name + b" = 1\n") == set()
    assert prefilter.called_names(name + b"()\n") == {name.decode()}


def test_configured_wrappers_name_their_module_and_function() -> None:
    modules, functions = prefilter.configured_wrapper_names([Wrapper("myapp.llm.ask"), Wrapper("tools.run")])
    assert (modules, functions) == ({"myapp.llm", "tools"}, {"ask", "run"})


def test_a_large_file_without_sdks_is_dismissed() -> None:
    chunk = (
        b"import os\nfrom collections import defaultdict\n\n"
        b"def handler(request, data):\n    result = defaultdict(list)\n"
        b"    for item in data.items():\n        result[item].append(os.path.join('a', 'b'))\n"
        b"    return parser.parse(result)  # parse the result\n\n"
    )
    assert not prefilter.may_call_sdk(chunk * (20_000_000 // len(chunk)))


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"])
def test_every_line_ending_python_reads_ends_an_import_line(ending: bytes) -> None:
    """Found by bench/fuzz.py: after a lone CR (old Mac line endings, which Python reads as a
    line break) an SDK import was not seen, so the file was neither analysed nor reported."""
    source = ending.join([b"import pytest", b"from openai import OpenAI", b"OpenAI().chat.completions.create(model='x')", b""])
    assert prefilter.may_call_sdk(source)
    assert "openai" in prefilter.imported_modules(source, "")


def test_an_sdk_call_shown_in_a_docstring_or_comment_is_no_call() -> None:
    example = b'import openai\n\ndef ask(client):\n    """Ask.\n\n    >>> client.chat.completions.create(model="gpt-4o")\n    """\n    # client.responses.create(model="gpt-4o")\n'
    assert not prefilter.may_call_sdk(example)
    assert not prefilter.has_distinctive_call(example)
    assert not prefilter.has_call_shape(example)
    called = example + b'    return client.chat.completions.create(model="gpt-4o")\n'
    assert prefilter.may_call_sdk(called)
    assert prefilter.has_distinctive_call(called)
    assert prefilter.has_call_shape(called)
