# SPDX-License-Identifier: MIT
"""Project wrappers as real code layers them, inferred without configuration.

Each test writes a small project of several modules and lints it through the engine, as
`promptlint calls` does, asserting every call reported (file, row, api, model, provider,
via) and its prompt where it matters:

- a chain of three wrappers, each adding its own part of the prompt, called from a fourth
  module: one call, reported where the outermost prompt is written, with every level's
  static text in the prompt and the SDK call as its related location;
- a base class whose `run` calls an abstract `_run`, with one subclass per provider: a
  call on an instance of a known subclass is that subclass's request, never a sibling's;
- an object whose class a factory picks at run time (a stub among the choices): still a
  call of the providers;
- a test's own subclass with a fake client, `model = DummyModel(...)`, `model.run(...)`:
  the base's real providers are not what it runs, so nothing is reported;
- a test that hands LiteLLM `mock_response` through a config object on its way to a
  wrapper: a canned reply, no request, nothing reported.
"""

from __future__ import annotations

from pathlib import Path

from promptlint.config import Config
from promptlint.engine import lint
from test_shapes_clients import reported, write_project


def calls_of(root: Path) -> list:
    result = lint([root], Config(root=root, select=()), use_cache=False, jobs=1)
    assert not result.errors, result.errors
    return [call for analysis in result.analyses for call in analysis.calls]


def test_three_wrappers_deep_each_adding_to_the_prompt(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "assist/__init__.py": "",
        "assist/transport.py": '''
            from openai import OpenAI

            client = OpenAI()


            def send(system: str, user: str, model: str = "gpt-4o"):
                return client.chat.completions.create(
                    model=model,
                    messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                )
        ''',
        "assist/roles.py": '''
            from assist.transport import send


            def as_editor(instructions: str, text: str):
                return send("You are a careful copy editor. " + instructions, text)
        ''',
        "assist/tasks.py": '''
            from assist.roles import as_editor


            def tighten(text: str, audience: str):
                return as_editor(f"Tighten the prose for {audience}.", text)
        ''',
        "assist/cli.py": '''
            import sys

            from assist.tasks import tighten

            print(tighten(sys.stdin.read(), "engineers"))
        ''',
    })
    assert reported(root) == [
        ("assist/cli.py", 5, "openai.chat.completions.create", "gpt-4o", "openai", "assist.tasks.tighten"),
        ("assist/roles.py", 5, "openai.chat.completions.create", "gpt-4o", "openai", "assist.transport.send"),
        ("assist/tasks.py", 5, "openai.chat.completions.create", "gpt-4o", "openai", "assist.roles.as_editor"),
        ("assist/transport.py", 7, "openai.chat.completions.create", "gpt-4o", "openai", None),
    ]
    outermost = next(call for call in calls_of(root) if call.filename.endswith("cli.py"))
    system = outermost.messages[0].content.static_text
    assert "You are a careful copy editor." in system
    assert "Tighten the prose for engineers." in system
    assert [Path(path).name for path, _ in outermost.related] == ["transport.py"]


BACKENDS = {
    "models/__init__.py": "",
    "models/base.py": '''
        from abc import ABC, abstractmethod


        class Backend(ABC):
            def run(self, messages):
                return self._run(messages)

            @abstractmethod
            def _run(self, messages):
                ...
    ''',
    "models/openai_backend.py": '''
        from openai import OpenAI

        from models.base import Backend


        class OpenAIBackend(Backend):
            def __init__(self):
                self.client = OpenAI()

            def _run(self, messages):
                return self.client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    ''',
    "models/anthropic_backend.py": '''
        from anthropic import Anthropic

        from models.base import Backend


        class AnthropicBackend(Backend):
            def __init__(self):
                self.client = Anthropic()

            def _run(self, messages):
                return self.client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=messages)
    ''',
}


def test_a_call_on_a_known_subclass_is_that_subclass_request(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        **BACKENDS,
        "app.py": '''
            from models.anthropic_backend import AnthropicBackend

            model = AnthropicBackend()
            print(model.run([{"role": "user", "content": "Name three rivers."}]))
        ''',
    })
    assert ("app.py", 4, "anthropic.messages.create", "claude-sonnet-4-5", "anthropic", "models.base.Backend.run") in reported(root)
    assert [call.api for call in calls_of(root) if call.filename.endswith("app.py")] == ["anthropic.messages.create"]


def test_a_class_picked_at_run_time_still_reaches_the_providers(tmp_path: Path) -> None:
    """A factory that picks the class by name (with a stub among the choices) builds an
    object whose class is not known: its `run` is still a call of the providers."""
    root = write_project(tmp_path / "proj", {
        **BACKENDS,
        "models/stub.py": '''
            from models.base import Backend


            class StubBackend(Backend):
                def _run(self, messages):
                    return "canned reply"
        ''',
        "models/factory.py": '''
            from models.anthropic_backend import AnthropicBackend
            from models.openai_backend import OpenAIBackend
            from models.stub import StubBackend

            CLASSES = {"openai": OpenAIBackend, "anthropic": AnthropicBackend}


            def create(platform: str):
                backend_class = CLASSES.get(platform)
                if platform == "stub":
                    backend_class = StubBackend
                return backend_class()
        ''',
        "app.py": '''
            import sys

            from models.factory import create

            model = create(sys.argv[1])
            print(model.run([{"role": "user", "content": "Name three rivers."}]))
        ''',
    })
    assert [row[-1] for row in reported(root) if row[0] == "app.py"] == ["models.base.Backend.run"]


def test_a_test_subclass_with_a_fake_client_sends_nothing(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        **BACKENDS,
        "tests/test_base.py": '''
            from models.base import Backend


            def test_run_passes_messages_through():
                class FakeCompletions:
                    def create(self, **kwargs):
                        return kwargs

                class FakeChat:
                    def __init__(self):
                        self.completions = FakeCompletions()

                class FakeClient:
                    def __init__(self):
                        self.chat = FakeChat()

                class DummyModel(Backend):
                    def __init__(self):
                        self._client = FakeClient()

                    def _run(self, messages):
                        return self._client.chat.completions.create(model="gpt-4o-mini", messages=messages)

                model = DummyModel()
                assert model.run([{"role": "user", "content": "hi"}])["messages"]
        ''',
    })
    assert [row for row in reported(root) if row[0].startswith("tests/")] == []


def test_a_canned_litellm_reply_through_a_config_object_sends_nothing(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "agent/__init__.py": "",
        "agent/model.py": '''
            from dataclasses import dataclass, field

            import litellm


            @dataclass
            class ModelConfig:
                name: str
                completion_kwargs: dict = field(default_factory=dict)


            class Model:
                def __init__(self, config: ModelConfig):
                    self.config = config

                def query(self, messages):
                    return litellm.completion(model=self.config.name, messages=messages, **self.config.completion_kwargs)
        ''',
        "tests/test_model.py": '''
            from agent.model import Model, ModelConfig


            def test_query_returns_the_reply():
                model = Model(ModelConfig(name="gpt-4o", completion_kwargs={"mock_response": "Hello"}))
                assert model.query([{"role": "user", "content": "Hello, world!"}])
        ''',
        "agent/run.py": '''
            from agent.model import Model, ModelConfig

            model = Model(ModelConfig(name="gpt-4o"))
            print(model.query([{"role": "user", "content": "Summarize the changelog."}]))
        ''',
    })
    assert reported(root) == [
        ("agent/model.py", 17, "litellm.completion", None, "litellm", None),
        ("agent/run.py", 4, "litellm.completion", None, "litellm", "agent.model.Model.query"),
    ]
