# SPDX-License-Identifier: MIT
"""Shapes of real code, each as a small multi-module project: SDK surfaces promptlint must
find (with the `api` it names them by) and prompts built by code that it must resolve.

Each test writes a project of two or three modules to a fresh directory and lints it
through the engine, as `promptlint calls` does; calls are keyed by `file:function` and
checked by row, `api`, model, and by the static text and dynamic segment kinds of their
prompts.

API surfaces:

- OpenAI Assistants: `beta.threads.runs.create`/`create_and_poll`/`stream`,
  `beta.threads.create_and_run`/`create_and_run_poll`, while
  `beta.threads.messages.create` (it only adds a message) is no call.
- OpenAI and Anthropic legacy Completions (`completions.create(prompt=...)`).
- Anthropic `beta.messages.tool_runner`.
- instructor: `from_openai(OpenAI())` with `create_iterable`, `create_partial`,
  `create_with_completion`, and `from_provider("openai/gpt-4o")`.
- LangChain: `ChatAnthropic()` without a model, `init_chat_model("gpt-4o")`,
  `.with_structured_output(...)` and `.bind_tools(...)` before `.invoke`.

Prompts built by code:

- a prompt helper in `prompts.py` called from `llm.py`;
- a registry dict of prompt functions imported from another module, read by key
  (`PROMPTS["translate"](text)`), and a list entry by position;
- YAML and JSON prompt files loaded with a literal path and read by key, inline or
  through names bound to the loaded data in another module;
- a class of prompt functions (staticmethod, classmethod, plain method);
- `"\\n".join([...])`, `.replace("{name}", name)` and `string.Template(...).substitute`;
- a LangChain `ChatPromptTemplate` whose placeholders `format_messages` fills;
- a LangChain `PromptTemplate.from_template(...).format(...)` sent with `invoke`, and
  templates piped into a model (`prompt | llm | parser`), whose `.invoke` sends the
  template's messages with the placeholders `invoke` fills;
- Jinja templates with `{% include %}` loaded through `FileSystemLoader` (a `__file__`-based
  folder, or relative folders), or `PackageLoader`, prompt files read via `Path(__file__).parent / ...` and `importlib.resources.files(...)`;
- message lists built step by step (`append`, `extend`, `insert(0, ...)`, `+`);
- the kind of a helper's parameter taken from the call site (`datetime.now()` is time,
  `uuid.uuid4()` random).

Single-file versions of some of these live elsewhere: the Assistants negative and legacy
OpenAI Completions in `test_recognition.py`, instructor `from_openai`/`from_provider` and
LangChain `bind_tools` there too; `"\\n".join`, `Path(__file__).parent` files, helpers and
`append`/`extend`/`+` message lists in `test_prompts.py`.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from promptlint.config import Config
from promptlint.engine import lint
from promptlint.analysis.results import LLMCall, PromptText, SegmentKind

# --------------------------------------------------------------------------- helpers


def write_project(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def calls_of(root: Path, files: dict[str, str]) -> dict[str, LLMCall]:
    """Write the project, lint it, and return its SDK calls keyed by `file:function`."""
    write_project(root, files)
    result = lint([root], Config(root=root, select=()), use_cache=False, jobs=1)
    assert not result.errors, result.errors
    found: dict[str, LLMCall] = {}
    for analysis in result.analyses:
        for call in analysis.calls:
            if call.via is not None:
                continue
            relative = Path(os.path.relpath(call.filename, root)).as_posix()
            key = f"{relative}:{(call.context.function or '').rsplit('.', 1)[-1]}"
            assert key not in found, key
            found[key] = call
    return found


def segments(prompt: PromptText | None) -> list[tuple[SegmentKind, str]]:
    """(kind, text) per segment, adjacent static segments merged and empty ones dropped."""
    assert prompt is not None
    merged: list[tuple[SegmentKind, str]] = []
    for segment in prompt.segments:
        if merged and segment.kind is SegmentKind.STATIC and merged[-1][0] is SegmentKind.STATIC:
            merged[-1] = (SegmentKind.STATIC, merged[-1][1] + segment.text)
        else:
            merged.append((segment.kind, segment.text))
    return [entry for entry in merged if entry != (SegmentKind.STATIC, "")]


def rows(calls: dict[str, LLMCall]) -> dict[str, tuple[int, str]]:
    return {key: (call.span.start.row, call.api) for key, call in calls.items()}


S, TIME, RANDOM, EXTERNAL = SegmentKind.STATIC, SegmentKind.TIME, SegmentKind.RANDOM, SegmentKind.EXTERNAL


# --------------------------------------------------------------------------- 1. Assistants

ASSISTANTS = {
    "tutor/__init__.py": "",
    "tutor/clients.py": """
        from openai import OpenAI

        client = OpenAI()
        ASSISTANT_ID = "asst_math_tutor"
    """,
    "tutor/runs.py": """
        from .clients import ASSISTANT_ID, client

        INSTRUCTIONS = "You are a math tutor. Explain each step."


        def ask(thread_id: str, question: str):
            client.beta.threads.messages.create(thread_id, role="user", content=question)
            return client.beta.threads.runs.create(
                thread_id=thread_id, assistant_id=ASSISTANT_ID, model="gpt-4o", instructions=INSTRUCTIONS
            )


        def ask_and_wait(thread_id: str):
            return client.beta.threads.runs.create_and_poll(
                thread_id=thread_id, assistant_id=ASSISTANT_ID, additional_instructions="Be brief."
            )


        def ask_streaming(thread_id: str) -> None:
            with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=ASSISTANT_ID) as stream:
                stream.until_done()


        def one_shot(question: str):
            return client.beta.threads.create_and_run(
                assistant_id=ASSISTANT_ID, thread={"messages": [{"role": "user", "content": question}]}
            )


        def one_shot_and_wait(question: str):
            return client.beta.threads.create_and_run_poll(
                assistant_id=ASSISTANT_ID, model="gpt-4o-mini", thread={"messages": [{"role": "user", "content": question}]}
            )
    """,
}


def test_assistants_runs_are_calls_and_adding_a_message_is_not(tmp_path: Path) -> None:
    calls = calls_of(tmp_path, ASSISTANTS)
    # `beta.threads.messages.create` on row 7 is not among them: it sends nothing to a model.
    assert rows(calls) == {
        "tutor/runs.py:ask": (8, "openai.beta.threads.runs.create"),
        "tutor/runs.py:ask_and_wait": (14, "openai.beta.threads.runs.create_and_poll"),
        "tutor/runs.py:ask_streaming": (20, "openai.beta.threads.runs.stream"),
        "tutor/runs.py:one_shot": (25, "openai.beta.threads.create_and_run"),
        "tutor/runs.py:one_shot_and_wait": (31, "openai.beta.threads.create_and_run_poll"),
    }
    assert all(call.provider == "openai" for call in calls.values())
    assert calls["tutor/runs.py:ask"].model == "gpt-4o"
    assert calls["tutor/runs.py:one_shot_and_wait"].model == "gpt-4o-mini"
    assert calls["tutor/runs.py:ask_streaming"].stream
    assert not calls["tutor/runs.py:ask_and_wait"].stream
    # The run's instructions (imported through a constant) are its system prompt.
    ask = calls["tutor/runs.py:ask"]
    assert ask.system is not None and ask.system.static_text == "You are a math tutor. Explain each step."
    wait = calls["tutor/runs.py:ask_and_wait"]
    assert wait.system is not None and wait.system.static_text == "Be brief."


# --------------------------------------------------------------------------- 2. legacy Completions


def test_legacy_openai_completions_prompt_is_the_user_message(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "autocomplete/__init__.py": "",
            "autocomplete/clients.py": """
                from openai import OpenAI

                openai_client = OpenAI()
            """,
            "autocomplete/complete.py": """
                from .clients import openai_client

                PREFIX = "Complete the sentence: "


                def finish(text: str) -> str:
                    response = openai_client.completions.create(
                        model="gpt-3.5-turbo-instruct", prompt=PREFIX + text, max_tokens=50
                    )
                    return response.choices[0].text
            """,
        },
    )
    assert rows(calls) == {"autocomplete/complete.py:finish": (7, "openai.completions.create")}
    call = calls["autocomplete/complete.py:finish"]
    assert call.model == "gpt-3.5-turbo-instruct" and call.max_tokens == 50
    (message,) = call.messages
    assert message.role == "user"
    assert segments(message.content) == [(S, "Complete the sentence: "), (EXTERNAL, "text")]


def test_legacy_anthropic_completions_prompt_is_the_user_message(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "legacy/__init__.py": "",
            "legacy/clients.py": """
                import anthropic

                claude = anthropic.Anthropic()
            """,
            "legacy/complete.py": """
                from anthropic import AI_PROMPT, HUMAN_PROMPT

                from .clients import claude


                def finish(text: str) -> str:
                    response = claude.completions.create(
                        model="claude-2.1", max_tokens_to_sample=300, prompt=f"\\n\\nHuman: Finish this: {text}\\n\\nAssistant:"
                    )
                    return response.completion
            """,
        },
    )
    assert rows(calls) == {"legacy/complete.py:finish": (7, "anthropic.completions.create")}
    call = calls["legacy/complete.py:finish"]
    assert call.model == "claude-2.1" and call.max_tokens == 300
    (message,) = call.messages
    assert message.role == "user"
    assert segments(message.content) == [(S, "\n\nHuman: Finish this: "), (EXTERNAL, "{text}"), (S, "\n\nAssistant:")]


# --------------------------------------------------------------------------- 3. tool runner


def test_anthropic_beta_tool_runner(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "weather/__init__.py": "",
            "weather/tools.py": '''
                from anthropic import beta_tool


                @beta_tool
                def get_weather(location: str) -> str:
                    """Get the current weather for a location."""
                    return "sunny"
            ''',
            "weather/agent.py": """
                import anthropic

                from .tools import get_weather

                client = anthropic.Anthropic()
                SYSTEM = "You answer questions about the weather."


                def ask(question: str):
                    runner = client.beta.messages.tool_runner(
                        model="claude-sonnet-4-5",
                        max_tokens=1024,
                        tools=[get_weather],
                        system=SYSTEM,
                        messages=[{"role": "user", "content": question}],
                    )
                    return runner.until_done()
            """,
        },
    )
    assert rows(calls) == {"weather/agent.py:ask": (10, "anthropic.beta.messages.tool_runner")}
    call = calls["weather/agent.py:ask"]
    assert call.provider == "anthropic" and call.model == "claude-sonnet-4-5" and call.max_tokens == 1024
    assert call.system is not None and call.system.static_text == "You answer questions about the weather."
    assert [(m.role, segments(m.content)) for m in call.messages] == [("user", [(EXTERNAL, "question")])]


# --------------------------------------------------------------------------- 4. instructor


def test_instructor_patched_client_methods_and_from_provider(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "extract/__init__.py": "",
            "extract/schemas.py": """
                from pydantic import BaseModel


                class Person(BaseModel):
                    name: str
                    age: int
            """,
            "extract/clients.py": """
                import instructor
                from openai import OpenAI

                client = instructor.from_openai(OpenAI())
                gateway = instructor.from_provider("openai/gpt-4o")
            """,
            "extract/people.py": """
                from .clients import client, gateway
                from .schemas import Person

                SYSTEM = "Extract every person mentioned in the text."


                def people(text: str):
                    return client.chat.completions.create_iterable(
                        model="gpt-4o-mini",
                        response_model=Person,
                        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}],
                    )


                def person_so_far(text: str):
                    return client.chat.completions.create_partial(
                        model="gpt-4o-mini", response_model=Person, messages=[{"role": "user", "content": text}]
                    )


                def person_and_raw(text: str):
                    return client.chat.completions.create_with_completion(
                        model="gpt-4o-mini", response_model=Person, messages=[{"role": "user", "content": text}]
                    )


                def person_via_provider(text: str):
                    return gateway.chat.completions.create(response_model=Person, messages=[{"role": "user", "content": text}])
            """,
        },
    )
    assert rows(calls) == {
        "extract/people.py:people": (8, "openai.chat.completions.create_iterable"),
        "extract/people.py:person_so_far": (16, "openai.chat.completions.create_partial"),
        "extract/people.py:person_and_raw": (22, "openai.chat.completions.create_with_completion"),
        "extract/people.py:person_via_provider": (28, "openai.chat.completions.create"),
    }
    assert {key: (c.model, c.stream, c.structured) for key, c in calls.items()} == {
        "extract/people.py:people": ("gpt-4o-mini", True, True),
        "extract/people.py:person_so_far": ("gpt-4o-mini", True, True),
        "extract/people.py:person_and_raw": ("gpt-4o-mini", False, True),
        "extract/people.py:person_via_provider": ("gpt-4o", False, True),
    }
    people = calls["extract/people.py:people"]
    assert people.system is not None and people.system.static_text == "Extract every person mentioned in the text."
    assert segments(people.messages[1].content) == [(EXTERNAL, "text")]


# --------------------------------------------------------------------------- 5. LangChain


def test_langchain_models_built_in_another_module(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "assistant/__init__.py": "",
            "assistant/models.py": """
                from langchain.chat_models import init_chat_model
                from langchain_anthropic import ChatAnthropic
                from langchain_openai import ChatOpenAI
                from pydantic import BaseModel


                class Answer(BaseModel):
                    text: str
                    confidence: float


                claude = ChatAnthropic()
                default = init_chat_model("gpt-4o")
                gpt = ChatOpenAI(model="gpt-4o")
            """,
            "assistant/tools.py": '''
                from langchain_core.tools import tool


                @tool
                def search(query: str) -> str:
                    """Search the product docs."""
                    return ""
            ''',
            "assistant/service.py": """
                from .models import Answer, claude, default, gpt
                from .tools import search


                def ask_claude(question: str):
                    return claude.invoke(question)


                def ask_default(question: str):
                    return default.invoke([("system", "You are concise."), ("human", question)])


                def ask_structured(question: str) -> Answer:
                    return gpt.with_structured_output(Answer).invoke(question)


                def ask_with_tools(question: str):
                    return gpt.bind_tools([search]).invoke(question)
            """,
        },
    )
    assert rows(calls) == {
        "assistant/service.py:ask_claude": (6, "langchain.ChatAnthropic.invoke"),
        "assistant/service.py:ask_default": (10, "langchain.init_chat_model.invoke"),
        "assistant/service.py:ask_structured": (14, "langchain.ChatOpenAI.invoke"),
        "assistant/service.py:ask_with_tools": (18, "langchain.ChatOpenAI.invoke"),
    }
    assert {key: (c.provider, c.model, c.structured) for key, c in calls.items()} == {
        # langchain-anthropic has no default model: which one is sent is not known.
        "assistant/service.py:ask_claude": ("langchain", None, False),
        "assistant/service.py:ask_default": ("langchain", "gpt-4o", False),
        "assistant/service.py:ask_structured": ("langchain", "gpt-4o", True),
        "assistant/service.py:ask_with_tools": ("langchain", "gpt-4o", False),
    }
    default = calls["assistant/service.py:ask_default"]
    assert default.system is not None and default.system.static_text == "You are concise."
    assert [(m.role, segments(m.content)) for m in default.messages] == [
        ("system", [(S, "You are concise.")]),
        ("user", [(EXTERNAL, "question")]),
    ]
    claude = calls["assistant/service.py:ask_claude"]
    assert [(m.role, segments(m.content)) for m in claude.messages] == [("user", [(EXTERNAL, "question")])]


# --------------------------------------------------------------------------- 6. prompt helper


def test_prompt_helper_in_prompts_module(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "qa/__init__.py": "",
            "qa/prompts.py": """
                def build_prompt(context):
                    return f"Answer using: {context}"
            """,
            "qa/llm.py": """
                from openai import OpenAI

                from .prompts import build_prompt

                client = OpenAI()


                def answer(context: str, question: str) -> str:
                    response = client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[
                            {"role": "system", "content": build_prompt(context)},
                            {"role": "user", "content": question},
                        ],
                    )
                    return response.choices[0].message.content
            """,
        },
    )
    assert rows(calls) == {"qa/llm.py:answer": (9, "openai.chat.completions.create")}
    call = calls["qa/llm.py:answer"]
    system, user = call.messages
    assert system.role == "system" and system.content is not None
    assert system.content.static_prefix == "Answer using: "
    assert segments(system.content) == [(S, "Answer using: "), (EXTERNAL, "{context}")]
    # The static part is the helper's literal, in prompts.py.
    assert Path(system.content.segments[0].filename or "").name == "prompts.py"
    assert call.system is not None and segments(call.system) == segments(system.content)
    assert segments(user.content) == [(EXTERNAL, "question")]


def test_prompt_registry_dict_in_another_module_is_read_by_key(tmp_path: Path) -> None:
    """`PROMPTS["translate"](text)` calls the function that key names, also when the
    registry is imported from another module, and not the registry's first entry."""
    calls = calls_of(
        tmp_path,
        {
            "tools/__init__.py": "",
            "tools/prompts.py": """
                def summarize_prompt(text):
                    return f"Summarize: {text}"


                def translate_prompt(text):
                    return f"Translate into French: {text}"


                PROMPTS = {"summarize": summarize_prompt, "translate": translate_prompt}
                STYLES = ["Be brief.", "Be thorough."]
            """,
            "tools/llm.py": """
                from openai import OpenAI

                from tools.prompts import PROMPTS, STYLES

                client = OpenAI()


                def translate(text: str):
                    return client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[
                            {"role": "system", "content": STYLES[1]},
                            {"role": "user", "content": PROMPTS["translate"](text)},
                        ],
                    )
            """,
        },
    )
    assert rows(calls) == {"tools/llm.py:translate": (9, "openai.chat.completions.create")}
    system, user = calls["tools/llm.py:translate"].messages
    assert segments(system.content) == [(S, "Be thorough.")]
    assert segments(user.content) == [(S, "Translate into French: "), (EXTERNAL, "{text}")]


def test_yaml_and_json_prompt_files_are_read_by_key(tmp_path: Path) -> None:
    """Prompt files loaded with a literal path, read by literal keys and positions: the
    whole `load(open(...))[key]` expression, and names bound to the loaded data."""
    calls = calls_of(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/prompts.yaml": """
                system: You are the YAML assistant.
                steps:
                  - Plan first.
                  - Then answer.
            """,
            "prompts.json": '{"system": "You are the JSON assistant."}\n',
            "bot/config.py": """
                import json
                from pathlib import Path

                import yaml

                PROMPTS = yaml.safe_load((Path(__file__).parent / "prompts.yaml").read_text())
                with open("prompts.json", encoding="utf-8") as handle:
                    DATA = json.load(handle)
            """,
            "bot/llm.py": """
                import yaml
                from openai import OpenAI

                from bot.config import DATA, PROMPTS

                client = OpenAI()


                def inline(question: str):
                    return client.chat.completions.create(
                        model="gpt-4o",
                        messages=[
                            {"role": "system", "content": yaml.safe_load(open("bot/prompts.yaml"))["system"]},
                            {"role": "user", "content": question},
                        ],
                    )


                def imported(question: str):
                    return client.chat.completions.create(
                        model="gpt-4o",
                        messages=[
                            {"role": "system", "content": DATA["system"]},
                            {"role": "user", "content": PROMPTS["steps"][1]},
                        ],
                    )
            """,
        },
    )
    assert rows(calls) == {
        "bot/llm.py:inline": (10, "openai.chat.completions.create"),
        "bot/llm.py:imported": (20, "openai.chat.completions.create"),
    }
    system, user = calls["bot/llm.py:inline"].messages
    assert segments(system.content) == [(S, "You are the YAML assistant.")]
    assert segments(user.content) == [(EXTERNAL, "question")]
    system, user = calls["bot/llm.py:imported"].messages
    assert segments(system.content) == [(S, "You are the JSON assistant.")]
    assert segments(user.content) == [(S, "Then answer.")]


# --------------------------------------------------------------------------- 7. prompt classes


def test_prompt_class_of_static_class_and_plain_methods(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "editor/__init__.py": "",
            "editor/prompts.py": """
                class EditorPrompts:
                    PERSONA = "You are a careful editor."

                    @staticmethod
                    def rewrite(text):
                        return "Rewrite this more clearly: " + text

                    @classmethod
                    def system(cls):
                        return cls.PERSONA + " Keep the author's voice."

                    def proofread(self, text):
                        return f"Fix typos only: {text}"
            """,
            "editor/run.py": """
                import anthropic

                from .prompts import EditorPrompts

                client = anthropic.Anthropic()


                def rewrite(text: str):
                    return client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=300,
                        system=EditorPrompts.system(),
                        messages=[{"role": "user", "content": EditorPrompts.rewrite(text)}],
                    )


                def proofread(text: str):
                    prompts = EditorPrompts()
                    return client.messages.create(
                        model="claude-haiku-4-5", max_tokens=300, messages=[{"role": "user", "content": prompts.proofread(text)}]
                    )
            """,
        },
    )
    assert rows(calls) == {
        "editor/run.py:rewrite": (9, "anthropic.messages.create"),
        "editor/run.py:proofread": (19, "anthropic.messages.create"),
    }
    rewrite = calls["editor/run.py:rewrite"]
    assert rewrite.system is not None and rewrite.system.is_static
    assert rewrite.system.static_text == "You are a careful editor. Keep the author's voice."
    assert segments(rewrite.messages[0].content) == [(S, "Rewrite this more clearly: "), (EXTERNAL, "text")]
    (proofread,) = calls["editor/run.py:proofread"].messages
    assert segments(proofread.content) == [(S, "Fix typos only: "), (EXTERNAL, "{text}")]


# --------------------------------------------------------------------------- 8. string building


def test_join_replace_and_string_template_on_imported_constants(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "mailer/__init__.py": "",
            "mailer/templates.py": """
                RULES = "\\n".join(
                    [
                        "You write customer emails.",
                        "Be polite.",
                        "Sign as the Acme team.",
                    ]
                )
                GREETING = "Write a short email to {name} about their order."
                REMINDER = "Remind $customer that invoice ${invoice} is due."
            """,
            "mailer/compose.py": """
                import string

                from openai import OpenAI

                from .templates import GREETING, REMINDER, RULES

                client = OpenAI()


                def greeting(name: str):
                    return client.chat.completions.create(
                        model="gpt-4o",
                        messages=[
                            {"role": "system", "content": RULES},
                            {"role": "user", "content": GREETING.replace("{name}", name)},
                        ],
                    )


                def reminder(customer: str, invoice: str):
                    body = string.Template(REMINDER).substitute(customer=customer, invoice=invoice)
                    return client.chat.completions.create(
                        model="gpt-4o",
                        messages=[{"role": "system", "content": RULES}, {"role": "user", "content": body}],
                    )
            """,
        },
    )
    assert rows(calls) == {
        "mailer/compose.py:greeting": (11, "openai.chat.completions.create"),
        "mailer/compose.py:reminder": (22, "openai.chat.completions.create"),
    }
    rules = "You write customer emails.\nBe polite.\nSign as the Acme team."
    for call in calls.values():
        assert call.system is not None and call.system.is_static and call.system.static_text == rules
        assert call.messages[0].content is not None and call.messages[0].content.static_text == rules
    greeting = calls["mailer/compose.py:greeting"].messages[1]
    assert segments(greeting.content) == [
        (S, "Write a short email to "),
        (EXTERNAL, "name"),
        (S, " about their order."),
    ]
    reminder = calls["mailer/compose.py:reminder"].messages[1]
    assert segments(reminder.content) == [
        (S, "Remind "),
        (EXTERNAL, "customer"),
        (S, " that invoice "),
        (EXTERNAL, "invoice"),
        (S, " is due."),
    ]


# --------------------------------------------------------------------------- 9. LangChain templates


def test_langchain_templates_piped_into_a_model_are_calls(tmp_path: Path) -> None:
    """`prompt | llm | parser` holds a chat model: `.invoke` on it is a call of that model,
    sending the template's messages with its placeholders filled from the mapping `invoke`
    is given (a text template is one human message). After a step that reshapes the input
    (`{"q": ...} | prompt | llm`), the template's static text is still read and its
    placeholders stay unknown. A model piped into a parser only is called with its input
    as usual."""
    calls = calls_of(
        tmp_path,
        {
            "qa/__init__.py": "",
            "qa/models.py": """
                from langchain_openai import ChatOpenAI

                llm = ChatOpenAI(model="gpt-4o-mini")
            """,
            "qa/chains.py": """
                from langchain_core.output_parsers import StrOutputParser
                from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
                from langchain_core.runnables import RunnablePassthrough

                from .models import llm

                prompt = ChatPromptTemplate.from_messages([("system", "You answer questions."), ("human", "{q}")])
                chain = prompt | llm | StrOutputParser()
                title = PromptTemplate.from_template("Write a title for: {text}") | llm


                def ask(q: str) -> str:
                    return chain.invoke({"q": q})


                def echo(text: str) -> str:
                    return (llm | StrOutputParser()).invoke(text)


                def name(text: str) -> str:
                    return title.invoke({"text": text})


                def reshaped(text: str) -> str:
                    return ({"q": RunnablePassthrough()} | prompt | llm).invoke(text)
            """,
        },
    )
    assert rows(calls) == {
        "qa/chains.py:ask": (13, "langchain.ChatOpenAI.invoke"),
        "qa/chains.py:echo": (17, "langchain.ChatOpenAI.invoke"),
        "qa/chains.py:name": (21, "langchain.ChatOpenAI.invoke"),
        "qa/chains.py:reshaped": (25, "langchain.ChatOpenAI.invoke"),
    }
    ask, echo = calls["qa/chains.py:ask"], calls["qa/chains.py:echo"]
    assert ask.model == echo.model == "gpt-4o-mini"
    system, human = ask.messages
    assert (system.role, human.role) == ("system", "user")
    assert system.content is not None and system.content.static_text == "You answer questions."
    assert segments(human.content) == [(EXTERNAL, "q")]
    assert ask.messages_resolved
    (message,) = echo.messages
    assert segments(message.content) == [(EXTERNAL, "text")]
    (titled,) = calls["qa/chains.py:name"].messages
    assert titled.role == "user"
    assert segments(titled.content) == [(S, "Write a title for: "), (EXTERNAL, "text")]
    system, human = calls["qa/chains.py:reshaped"].messages
    assert system.content is not None and system.content.static_text == "You answer questions."
    assert segments(human.content) == [(SegmentKind.UNKNOWN, "{q}")]


def test_chat_prompt_template_placeholders_are_filled_by_format_messages(tmp_path: Path) -> None:
    """A `ChatPromptTemplate`'s `{name}` placeholders are its variables: `format_messages`
    fills them from its arguments (a literal is static text, a parameter request data);
    sent unformatted, they stay unknown rather than passing for static text."""
    calls = calls_of(
        tmp_path,
        {
            "desk/__init__.py": "",
            "desk/prompts.py": """
                from langchain_core.prompts import ChatPromptTemplate

                ANSWER = ChatPromptTemplate.from_messages(
                    [("system", "You answer questions about {topic}."), ("human", "{question}")]
                )
            """,
            "desk/llm.py": """
                from langchain_openai import ChatOpenAI

                from .prompts import ANSWER

                llm = ChatOpenAI(model="gpt-4o-mini")


                def answer(question: str):
                    return llm.invoke(ANSWER.format_messages(topic="billing", question=question))


                def unformatted():
                    return llm.invoke(ANSWER)
            """,
        },
    )
    assert rows(calls) == {
        "desk/llm.py:answer": (9, "langchain.ChatOpenAI.invoke"),
        "desk/llm.py:unformatted": (13, "langchain.ChatOpenAI.invoke"),
    }
    system, user = calls["desk/llm.py:answer"].messages
    assert system.content is not None and system.content.static_text == "You answer questions about billing."
    assert segments(user.content) == [(EXTERNAL, "question")]
    system, user = calls["desk/llm.py:unformatted"].messages
    assert [kind for kind, _ in segments(system.content)] == [S, SegmentKind.UNKNOWN, S]
    assert segments(user.content) == [(SegmentKind.UNKNOWN, "{question}")]


def test_langchain_prompt_template_formatted_into_invoke(tmp_path: Path) -> None:
    """`PromptTemplate.from_template(T).format(...)` passed to `invoke`. The piped form,
    `(prompt | llm).invoke(...)`, is not here: promptlint finds no call in it."""
    calls = calls_of(
        tmp_path,
        {
            "digest/__init__.py": "",
            "digest/prompts.py": """
                from langchain_core.prompts import PromptTemplate

                SUMMARY = PromptTemplate.from_template("Summarize this for an engineer:\\n\\n{text}")
            """,
            "digest/chain.py": """
                from langchain_openai import ChatOpenAI

                from .prompts import SUMMARY

                llm = ChatOpenAI(model="gpt-4o-mini")


                def summarize(text: str):
                    return llm.invoke(SUMMARY.format(text=text))
            """,
        },
    )
    assert rows(calls) == {"digest/chain.py:summarize": (9, "langchain.ChatOpenAI.invoke")}
    (message,) = calls["digest/chain.py:summarize"].messages
    assert message.role == "user"
    assert segments(message.content) == [(S, "Summarize this for an engineer:\n\n"), (EXTERNAL, "text")]


# --------------------------------------------------------------------------- 10. files


def test_jinja_template_with_include_rendered_by_a_helper(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "reports/__init__.py": "",
            "reports/templates/weekly.j2": """
                {% include 'header.j2' %}
                Write this week's report for the {{ team }} team.
                {# keep the report short #}List at most {{ limit }} items.
            """,
            "reports/templates/header.j2": """
                You are the reporting assistant of Acme.
            """,
            "reports/render.py": """
                from pathlib import Path

                from jinja2 import Environment, FileSystemLoader

                TEMPLATES = Path(__file__).parent / "templates"
                env = Environment(loader=FileSystemLoader(TEMPLATES))


                def weekly_prompt(team: str, limit: int) -> str:
                    return env.get_template("weekly.j2").render(team=team, limit=limit)
            """,
            "reports/llm.py": """
                from openai import OpenAI

                from .render import weekly_prompt

                client = OpenAI()


                def weekly(team: str, limit: int):
                    return client.chat.completions.create(
                        model="gpt-4o", messages=[{"role": "user", "content": weekly_prompt(team, limit)}]
                    )
            """,
        },
    )
    assert rows(calls) == {"reports/llm.py:weekly": (9, "openai.chat.completions.create")}
    (message,) = calls["reports/llm.py:weekly"].messages
    # The include is inlined, the comment dropped, the expressions dynamic.
    assert segments(message.content) == [
        (S, "You are the reporting assistant of Acme.\n\nWrite this week's report for the "),
        (EXTERNAL, "{{ team }}"),
        (S, " team.\nList at most "),
        (EXTERNAL, "{{ limit }}"),
        (S, " items.\n"),
    ]


def test_jinja_package_loader_and_relative_file_system_loader(tmp_path: Path) -> None:
    """`PackageLoader("pkg")` reads the package's `templates/` folder (or the folder it is
    given); `FileSystemLoader(["prompts/custom", "prompts"])` with paths relative to where
    the program runs (the project root) looks in each folder in turn."""
    calls = calls_of(
        tmp_path,
        {
            "prompts/triage.j2": "Sort the ticket into one queue: {{ ticket }}",
            "helpdesk/__init__.py": "",
            "helpdesk/templates/reply.j2": "Reply politely to {{ customer }}.",
            "helpdesk/prompts/escalate.j2": "Explain the escalation to {{ customer }}.",
            "helpdesk/llm.py": """
                from jinja2 import Environment, FileSystemLoader, PackageLoader
                from openai import OpenAI

                client = OpenAI()
                package_env = Environment(loader=PackageLoader("helpdesk"))
                prompts_env = Environment(loader=PackageLoader("helpdesk", "prompts"))
                local_env = Environment(loader=FileSystemLoader(["prompts/custom", "prompts"]))


                def ask(env, name: str, **values):
                    return client.responses.create(model="gpt-4o", input=env.get_template(name).render(**values))


                def reply(customer: str):
                    prompt = package_env.get_template("reply.j2").render(customer=customer)
                    return client.responses.create(model="gpt-4o", input=prompt)


                def escalate(customer: str):
                    prompt = prompts_env.get_template("escalate.j2").render(customer=customer)
                    return client.responses.create(model="gpt-4o", input=prompt)


                def triage(ticket: str):
                    prompt = local_env.get_template("triage.j2").render(ticket=ticket)
                    return client.responses.create(model="gpt-4o", input=prompt)
            """,
        },
    )
    assert {key: api for key, (_, api) in rows(calls).items() if not key.endswith(":ask")} == {
        "helpdesk/llm.py:reply": "openai.responses.create",
        "helpdesk/llm.py:escalate": "openai.responses.create",
        "helpdesk/llm.py:triage": "openai.responses.create",
    }
    (reply,) = calls["helpdesk/llm.py:reply"].messages
    assert segments(reply.content) == [(S, "Reply politely to "), (EXTERNAL, "{{ customer }}"), (S, ".")]
    (escalate,) = calls["helpdesk/llm.py:escalate"].messages
    assert segments(escalate.content)[0] == (S, "Explain the escalation to ")
    (triage,) = calls["helpdesk/llm.py:triage"].messages
    assert segments(triage.content) == [(S, "Sort the ticket into one queue: "), (EXTERNAL, "{{ ticket }}")]


def test_prompt_files_read_next_to_the_module_and_as_package_resources(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "helpdesk/__init__.py": "",
            "helpdesk/prompts/system.txt": """
                You are the helpdesk assistant.
                Answer in English.
            """,
            "helpdesk/resources/__init__.py": "",
            "helpdesk/resources/rules.txt": """
                Never share internal ticket numbers.
            """,
            "helpdesk/loading.py": """
                import importlib.resources
                from pathlib import Path

                SYSTEM = (Path(__file__).parent / "prompts" / "system.txt").read_text(encoding="utf-8")
                RULES = importlib.resources.files("helpdesk.resources").joinpath("rules.txt").read_text()
            """,
            "helpdesk/llm.py": """
                import anthropic

                from .loading import RULES, SYSTEM

                client = anthropic.Anthropic()


                def answer(question: str):
                    return client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=500,
                        system=SYSTEM + RULES,
                        messages=[{"role": "user", "content": question}],
                    )


                def rules_only(question: str):
                    return client.messages.create(
                        model="claude-haiku-4-5", max_tokens=500, system=RULES, messages=[{"role": "user", "content": question}]
                    )
            """,
        },
    )
    assert rows(calls) == {
        "helpdesk/llm.py:answer": (9, "anthropic.messages.create"),
        "helpdesk/llm.py:rules_only": (18, "anthropic.messages.create"),
    }
    system_text = (tmp_path / "helpdesk/prompts/system.txt").read_text(encoding="utf-8")
    rules_text = (tmp_path / "helpdesk/resources/rules.txt").read_text(encoding="utf-8")
    assert rules_text == "Never share internal ticket numbers.\n"
    answer = calls["helpdesk/llm.py:answer"]
    assert answer.system is not None and answer.system.is_static
    assert answer.system.static_text == system_text + rules_text
    rules_only = calls["helpdesk/llm.py:rules_only"]
    assert rules_only.system is not None and rules_only.system.is_static
    assert rules_only.system.static_text == rules_text


# --------------------------------------------------------------------------- 11. message lists


def test_message_list_built_step_by_step_from_imported_parts(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "calc/__init__.py": "",
            "calc/examples.py": """
                FEW_SHOT = [
                    {"role": "user", "content": "2+2?"},
                    {"role": "assistant", "content": "4"},
                ]
            """,
            "calc/llm.py": """
                from openai import OpenAI

                from .examples import FEW_SHOT

                client = OpenAI()


                def compute(question: str, follow_up: str):
                    messages = [{"role": "user", "content": "3+3?"}, {"role": "assistant", "content": "6"}]
                    messages.extend(FEW_SHOT)
                    messages.append({"role": "user", "content": question})
                    messages.insert(0, {"role": "system", "content": "You are a calculator. Reply with the number only."})
                    return client.chat.completions.create(
                        model="gpt-4o-mini", messages=messages + [{"role": "user", "content": follow_up}]
                    )
            """,
        },
    )
    assert rows(calls) == {"calc/llm.py:compute": (13, "openai.chat.completions.create")}
    call = calls["calc/llm.py:compute"]
    assert call.messages_resolved
    assert [(m.role, segments(m.content)) for m in call.messages] == [
        ("system", [(S, "You are a calculator. Reply with the number only.")]),
        ("user", [(S, "3+3?")]),
        ("assistant", [(S, "6")]),
        ("user", [(S, "2+2?")]),
        ("assistant", [(S, "4")]),
        ("user", [(EXTERNAL, "question")]),
        ("user", [(EXTERNAL, "follow_up")]),
    ]
    assert call.system is not None and call.system.static_text == "You are a calculator. Reply with the number only."


# --------------------------------------------------------------------------- 12. call-site kinds


def test_helper_parameter_takes_its_kind_from_the_call_site(tmp_path: Path) -> None:
    calls = calls_of(
        tmp_path,
        {
            "planner/__init__.py": "",
            "planner/prompts.py": """
                def build(now):
                    return f"Today is {now}. Plan the user's day."
            """,
            "planner/llm.py": """
                import uuid
                from datetime import datetime

                import anthropic

                from .prompts import build

                client = anthropic.Anthropic()


                def plan(question: str):
                    return client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=200,
                        system=build(datetime.now()),
                        messages=[{"role": "user", "content": question}],
                    )


                def plan_with_session(question: str):
                    return client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=200,
                        system=build(uuid.uuid4()),
                        messages=[{"role": "user", "content": question}],
                    )


                def plan_from_question(question: str):
                    return client.messages.create(
                        model="claude-haiku-4-5", max_tokens=200, system=build(question), messages=[]
                    )
            """,
        },
    )
    assert rows(calls) == {
        "planner/llm.py:plan": (12, "anthropic.messages.create"),
        "planner/llm.py:plan_with_session": (21, "anthropic.messages.create"),
        "planner/llm.py:plan_from_question": (30, "anthropic.messages.create"),
    }
    expected = {"plan": TIME, "plan_with_session": RANDOM, "plan_from_question": EXTERNAL}
    for function, kind in expected.items():
        system = calls[f"planner/llm.py:{function}"].system
        assert segments(system) == [(S, "Today is "), (kind, "{now}"), (S, ". Plan the user's day.")], function
        assert system is not None and system.static_prefix == "Today is "
