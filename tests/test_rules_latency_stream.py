"""PRM301 unstreamed-user-facing-call beyond its inline examples: the short-output option,
entry points registered by calls, handlers reached across modules, the suggested streaming
forms and the display-only fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptlint.checks.latency.unstreamed_user_facing_call import UnstreamedUserFacingCall, callee_prefix
from promptlint.config import ConfigError, load_config
from promptlint.data import load_yaml
from promptlint.rule import Invalid, Valid
from promptlint.testing import run_example
from datetime import date

from promptlint.rule import RuleContext
from promptlint.tokens import count_tokens
from promptlint.analysis.results import Argument, CallContext, Handler, LLMCall
from promptlint.types import Position, Span


def _findings(example):
    run = run_example(UnstreamedUserFacingCall, example)
    return [d for d in run.diagnostics if d.code == UnstreamedUserFacingCall.code]


FASTAPI_WITH_MAX_TOKENS = """
    from fastapi import FastAPI
    import anthropic

    app = FastAPI()
    client = anthropic.Anthropic()

    @app.get("/title")
    def title(text: str):
        return client.messages.create(
            model="claude-haiku-4-5", max_tokens={n}, messages=[{{"role": "user", "content": text}}]
        )
    """


@pytest.mark.parametrize(("max_tokens", "options", "flagged"), [(64, {}, False), (65, {}, True), (200, {"short-output-tokens": 200}, False)])
def test_short_outputs_are_not_flagged(max_tokens: int, options: dict, flagged: bool) -> None:
    source = FASTAPI_WITH_MAX_TOKENS.format(n=max_tokens)
    found = _findings(Invalid(source, options=options))
    assert bool(found) is flagged
    if flagged:
        (finding,) = found
        assert "(GET /title)" in finding.message and f"up to {max_tokens:,} tokens" in finding.message
        assert finding.stake is not None
        assert (finding.stake.basis.value, finding.stake.tokens, finding.stake.output_tokens) == ("latency", 0, max_tokens)


def test_the_fix_is_display_only_and_shows_the_sdk_streaming_form() -> None:
    (finding,) = _findings(Invalid(FASTAPI_WITH_MAX_TOKENS.format(n=1000)))
    assert finding.fix is not None
    assert finding.fix.applicability.value == "display-only" and finding.fix.edits == ()
    assert finding.fix.suggestion is not None
    assert finding.fix.suggestion.startswith("with client.messages.stream(...) as stream:")
    assert "StreamingResponse" in finding.fix.suggestion
    # Display-only: fixing (unsafe fixes included) leaves the file as it was.
    example = Invalid(FASTAPI_WITH_MAX_TOKENS.format(n=1000), fixed=FASTAPI_WITH_MAX_TOKENS.format(n=1000))
    assert run_example(UnstreamedUserFacingCall, example).fixed == example.fixed_dedented


@pytest.mark.parametrize(
    ("registration", "route"),
    [
        ('app = Starlette(routes=[Route("/ask", ask, methods=["POST"])])', "POST /ask"),
        ('app = Starlette()\napp.add_route("/ask", ask)', "GET /ask"),
    ],
)
def test_routes_registered_by_calls_are_handlers(registration: str, route: str) -> None:
    source = f"""
from starlette.applications import Starlette
from starlette.routing import Route
from openai import OpenAI

client = OpenAI()

def ask(request):
    return client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "hi"}}])

{registration}
"""
    (finding,) = _findings(Invalid(source))
    assert f"handler `ask` ({route})" in finding.message


def test_flask_add_url_rule_with_an_imported_view() -> None:
    example = Invalid(
        """
        from flask import Flask
        from views_impl import answer

        app = Flask(__name__)
        app.add_url_rule("/answer", "answer", answer, methods=["POST"])
        """,
        files={
            "views_impl.py": """
            import litellm

            def answer():
                return litellm.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
            """
        },
    )
    (finding,) = _findings(example)
    assert Path(finding.filename).name == "views_impl.py"
    assert "handler `answer` (POST /answer)" in finding.message


def test_helper_in_a_folder_without_init_reached_from_a_fastapi_route() -> None:
    # `from app.llm import ask` names the function `app.llm.ask`; llm.py (no __init__.py in
    # app/) calls it `llm.ask`. The link must still find it.
    example = Invalid(
        """
        from fastapi import APIRouter
        from app.llm import ask

        router = APIRouter()

        @router.post("/ask")
        async def ask_route(q: str):
            return await ask(q)
        """,
        filename="app/routes.py",
        files={
            "app/llm.py": """
            from openai import AsyncOpenAI

            client = AsyncOpenAI()

            async def ask(q):
                return await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
            """
        },
    )
    (finding,) = _findings(example)
    assert "`ask`, called from user-facing handler `ask_route` (POST /ask)" in finding.message
    assert finding.fix is not None and finding.fix.suggestion is not None
    assert finding.fix.suggestion.startswith("stream = await client.chat.completions.create(..., stream=True)")


def test_a_handler_module_without_sdk_calls_is_still_analysed() -> None:
    # The Litestar file neither calls an SDK nor uses a dotted route decorator.
    example = Invalid(
        """
        from litestar import post
        from llm import answer

        @post("/chat")
        async def chat(data: dict) -> str:
            return answer(data["q"])
        """,
        files={
            "llm.py": """
            from google import genai

            client = genai.Client()

            def answer(q):
                return client.models.generate_content(model="gemini-2.5-flash", contents=q).text
            """
        },
    )
    (finding,) = _findings(example)
    assert "handler `chat` (POST /chat)" in finding.message


def test_batch_calls_in_a_handler_are_not_flagged() -> None:
    source = """
        from fastapi import FastAPI
        from langchain_openai import ChatOpenAI

        app = FastAPI()
        llm = ChatOpenAI(model="gpt-4o")

        @app.post("/many")
        def many(questions: list[str]):
            return llm.batch(questions)
        """
    assert _findings(Valid(source)) == []


def _call(source: str, start: Position, end: Position, first_argument: Position | None) -> LLMCall:
    arguments = () if first_argument is None else (Argument("#0", Span(first_argument, first_argument), "x"),)
    return LLMCall(filename="f.py", span=Span(start, end), provider="openai", api="openai.chat.completions.create", arguments=arguments)


@pytest.mark.parametrize(
    ("source", "start", "end", "first", "prefix"),
    [
        ("r = client.chat.completions.create(x)\n", Position(1, 5), Position(1, 38), Position(1, 36), "client.chat.completions."),
        ("r = get()(\n).chat.completions.create(\n    x)\n", Position(1, 5), Position(3, 7), Position(3, 5), "get()().chat.completions."),
        ("r = completion(x)\n", Position(1, 5), Position(1, 18), Position(1, 16), ""),
        ("r = self.llm.invoke()\n", Position(1, 5), Position(1, 22), None, "self.llm."),
    ],
)
def test_callee_prefix(source: str, start: Position, end: Position, first: Position | None, prefix: str) -> None:
    assert callee_prefix(_call(source, start, end, first), source) == prefix


def test_callee_prefix_of_a_stale_source_is_none() -> None:
    assert callee_prefix(_call("x = 1\n", Position(4, 1), Position(4, 9), None), "x = 1\n") is None


def test_every_streaming_form_names_its_receiver() -> None:
    data = load_yaml("lexicons/streaming_forms.yaml")
    for key, form in data["forms"].items():
        assert {"title", "sync"} <= set(form), key
        for variant in ("sync", "async"):
            if variant in form:
                assert "{prefix}" in form[variant], (key, variant)


def test_negative_threshold_is_a_configuration_error(tmp_path: Path) -> None:
    config = tmp_path / "promptlint.toml"
    config.write_text("[unstreamed-user-facing-call]\nshort-output-tokens = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="short-output-tokens"):
        load_config(config)


WEBSOCKET_HANDLER = """
    from fastapi import FastAPI, WebSocket
    from openai import AsyncOpenAI

    app = FastAPI()
    client = AsyncOpenAI()

    @app.websocket("/ws")
    async def chat_socket(websocket: WebSocket):
        question = await websocket.receive_text()
        response = await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
        await websocket.send_text(response.choices[0].message.content)
    """


def test_a_websocket_handler_is_told_to_send_each_delta_over_the_socket() -> None:
    (finding,) = _findings(Invalid(WEBSOCKET_HANDLER))
    assert "(WEBSOCKET /ws)" in finding.message
    assert finding.fix is not None and finding.fix.suggestion is not None
    assert "stream=True" in finding.fix.suggestion
    assert "websocket.send_text" in finding.fix.suggestion and "over the socket as it arrives" in finding.fix.suggestion
    assert "StreamingResponse" not in finding.fix.suggestion


# The facts below are set by analysis; these tests pin the rule's reading of them, whatever
# source shapes analysis learns to recognize.
_SPAN = Span(Position(3, 1), Position(3, 40))
_HANDLER = Handler("fastapi", "app.chat", "POST /chat", True)


def _direct(**facts) -> list:
    call = LLMCall(
        filename="app.py",
        span=_SPAN,
        provider="openai",
        api="openai.chat.completions.create",
        model="gpt-4o",
        context=CallContext(function="app.chat", handler=facts.pop("handler", _HANDLER)),
        **facts,
    )
    context = RuleContext(
        options=UnstreamedUserFacingCall.Options(), count_tokens=count_tokens, today=date(2026, 12, 1), read_source=lambda _: ""
    )
    return list(UnstreamedUserFacingCall().check_call(call, context))


def test_a_plain_call_in_a_handler_is_flagged() -> None:
    (finding,) = _direct()
    assert "handler `chat` (POST /chat)" in finding.message


@pytest.mark.parametrize(
    "facts",
    [
        {"stream_dynamic": True},
        {"structured": True},
        {"output_modalities": ("IMAGE",)},
        {"output_modalities": ("AUDIO",)},
        {"output_modalities": ("TEXT", "IMAGE")},
    ],
    ids=["stream-at-run-time", "structured", "image", "audio", "text-and-image"],
)
def test_calls_that_may_stream_or_answer_with_no_text_are_not_flagged(facts: dict) -> None:
    assert _direct(**facts) == []


def test_text_output_modality_is_still_flagged() -> None:
    assert len(_direct(output_modalities=("TEXT",))) == 1


@pytest.mark.parametrize(
    ("route", "label"),
    [("POST ", "(POST)"), ("POST", "(POST)"), (None, "(fastapi)"), ("", "(fastapi)"), ("GET /items", "(GET /items)")],
)
def test_routes_without_a_path_print_without_empty_parentheses(route: str | None, label: str) -> None:
    (finding,) = _direct(handler=Handler("fastapi", "app.chat", route, True))
    assert f"handler `chat` {label}:" in finding.message
    assert "( " not in finding.message and " )" not in finding.message and "()" not in finding.message
