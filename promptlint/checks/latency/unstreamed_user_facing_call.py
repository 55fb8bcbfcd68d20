# SPDX-License-Identifier: MIT
"""PRM301 unstreamed-user-facing-call: a person waits for a whole completion to be generated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from promptlint.data import load_yaml
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import Handler, LLMCall
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Position, Stake

# Calls that send many requests at once: there is no single answer to stream.
BATCH_API_SUFFIXES = ("batches.create", "batch_completion", ".batch", ".abatch")


@dataclass(frozen=True)
class Options:
    """`short_output_tokens`: calls capped at this many output tokens or fewer are not flagged."""

    short_output_tokens: int = 64

    def __post_init__(self) -> None:
        if self.short_output_tokens < 0:
            raise ValueError("short-output-tokens must not be negative")


def _streaming_forms() -> dict[str, Any]:
    return load_yaml("lexicons/streaming_forms.yaml")


def form_key(call: LLMCall) -> str:
    """The key of the call's streaming form in `rules/lexicons/streaming_forms.yaml`."""
    method = call.api.rsplit(".", 1)[-1]
    if call.provider in ("langchain", "litellm"):
        return f"{call.provider}.{method}"
    return call.api.replace(".beta.", ".")


def _offset(lines: list[str], position: Position) -> int:
    return sum(len(line) for line in lines[: position.row - 1]) + position.column - 1


def callee_prefix(call: LLMCall, source: str) -> str | None:
    """The receiver the call's method is looked up on, as written, with its trailing dot
    (`client.chat.completions.`; `""` for a bare function), or None when the source at the
    call's span is not the call (a stale read)."""
    lines = source.splitlines(keepends=True)
    if len(lines) < call.span.end.row:
        return None
    end = call.arguments[0].span.start if call.arguments else call.span.end
    head = "".join(lines)[_offset(lines, call.span.start) : _offset(lines, end)]
    paren = head.rfind("(")  # the call's own parenthesis: the arguments start after it
    if paren <= 0:
        return None
    callee = "".join(head[:paren].split())
    receiver, dot, _ = callee.rpartition(".")
    return f"{receiver}{dot}"


def is_websocket(handler: Handler) -> bool:
    """Whether the handler serves a WebSocket (`@app.websocket(...)`, `WebSocketRoute`)."""
    return (handler.route or "").upper().startswith("WEBSOCKET") or "websocket" in handler.framework.lower()


def _route_label(handler: Handler) -> str:
    """`(POST /api/chat)`; `(POST)` when the path is empty (a prefix set on the router
    elsewhere); `(fastapi)` when the route is not known."""
    route = " ".join((handler.route or "").split())
    return f"({route})" if route else f"({handler.framework})"


def _handler_place(call: LLMCall, handler: Handler) -> str:
    """`user-facing handler `chat` (POST /api/chat)`, naming the helper when the call is
    in a function the handler calls."""
    name = handler.function.rsplit(".", 1)[-1]
    where = _route_label(handler)
    place = (
        f"the user-facing {handler.framework} app" if name.startswith("<") else f"user-facing handler `{name}` {where}"
    )
    function = call.context.function
    if function is not None and function != handler.function and not function.rsplit(".", 1)[-1].startswith("<"):
        return f"`{function.rsplit('.', 1)[-1]}`, called from {place}"
    return place


class UnstreamedUserFacingCall(Rule):
    """
    ## What it does
    Flags a non-streaming LLM call whose answer a person is waiting for: a call inside a
    web route or view (FastAPI, Starlette, Flask, Django, Litestar, ...; decorated
    functions, Django view functions in `views.py`, class-based view methods, routes
    registered with `Route(...)`/`add_url_rule(...)`), a Gradio, Streamlit or Chainlit
    callback, or a function such a handler calls, in the same module or imported directly
    from another. The finding points at the call.

    Not flagged: structured output (`.parse`, `response_format`, `text_format`,
    `response_schema`, forced `tool_choice`, instructor `response_model`, LangChain
    `with_structured_output`, pydantic-ai `output_type`), whose partial output is of no
    use to a reader; answers that are not text (`response_modalities=["IMAGE"]`, audio);
    short answers (max tokens at most `short-output-tokens`); calls in scripts, CLI
    commands, queued jobs and tests; batch calls; calls whose answer is dropped
    (`await client...create(...)` as a bare statement, or assigned to `_`: a warm-up or a
    callback test nobody reads); calls that already stream; and calls whose `stream=` is
    computed at run time (`stream=stream`), which stream whenever the caller asks.

    ## Why is this bad?
    A non-streamed call returns nothing until the model has generated its whole answer,
    so the user stares at a spinner for the full generation time (often many seconds)
    instead of seeing the first words within about a second. Streaming does not change
    the tokens or the price; it changes the time to the first visible token. The finding
    is a latency finding: its stake carries no input tokens, and the output tokens the
    user waits for (the call's max tokens, when written) as `output_tokens`.

    ## Example
    ```python
    @app.post("/api/chat")
    def chat(question: str):
        response = client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": question}]
        )
        return response.choices[0].message.content
    ```

    Use instead:
    ```python
    @app.post("/api/chat")
    def chat(question: str):
        def chunks():
            stream = client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": question}], stream=True
            )
            for chunk in stream:
                yield chunk.choices[0].delta.content or ""
        return StreamingResponse(chunks(), media_type="text/event-stream")
    ```

    ## Fix safety
    Display-only: streaming changes the return type of the call and how the handler
    sends its response. The suggestion shows the SDK's streaming form (`stream=True`,
    `messages.stream(...)`, `generate_content_stream(...)`, `.stream()`,
    `run_stream(...)`) and how the framework sends chunks on: a streaming response for an
    HTTP route, each delta sent over the socket as it arrives for a WebSocket handler.

    ## Options
    - `short-output-tokens` (default `64`): a call whose max output tokens is at most this
      is a short answer (a label, a yes/no, a title) and is not worth streaming.
    """

    # Whether a call streams is decided at the SDK call, inside a wrapper or not.
    judges_wrapper_calls = False
    judges_wrapped_calls = True

    code = "PRM301"
    name = "unstreamed-user-facing-call"
    Options = Options
    fix_applicability = Applicability.DISPLAY_ONLY

    examples = (
        Valid(
            """
            from fastapi import FastAPI
            from openai import AsyncOpenAI

            app = FastAPI()
            client = AsyncOpenAI()

            @app.post("/warm-up")
            async def warm_up():
                await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
                return {"ok": True}
            """
        ),
        Valid(
            # Structured output: nothing to show until it parses.
            """
            from fastapi import FastAPI
            from openai import OpenAI
            from pydantic import BaseModel

            app = FastAPI()
            client = OpenAI()

            class Ticket(BaseModel):
                title: str

            @app.post("/tickets")
            def triage(text: str):
                parsed = client.chat.completions.parse(
                    model="gpt-4o", messages=[{"role": "user", "content": text}], response_format=Ticket
                )
                return client.chat.completions.create(
                    model="gpt-4o", messages=[{"role": "user", "content": text}],
                    response_format={"type": "json_object"},
                )
            """
        ),
        Valid(
            # A five-token answer is not worth streaming.
            """
            from flask import Flask, request
            import anthropic

            app = Flask(__name__)
            client = anthropic.Anthropic()

            @app.route("/moderate", methods=["POST"])
            def moderate():
                return client.messages.create(
                    model="claude-haiku-4-5", max_tokens=5,
                    messages=[{"role": "user", "content": request.json["text"]}],
                ).content[0].text
            """
        ),
        Valid(
            # Nobody waits on a Celery task or a script.
            """
            from celery import shared_task
            import litellm

            @shared_task
            def summarize(text):
                return litellm.completion(model="gpt-4o", messages=[{"role": "user", "content": text}])

            if __name__ == "__main__":
                print(litellm.completion(model="gpt-4o", messages=[{"role": "user", "content": "hello"}]))
            """
        ),
        Valid(
            # Already streaming.
            """
            from fastapi import FastAPI
            from fastapi.responses import StreamingResponse
            import anthropic
            from openai import AsyncOpenAI

            app = FastAPI()
            client = AsyncOpenAI()
            claude = anthropic.Anthropic()

            @app.post("/chat")
            async def chat(question: str):
                stream = await client.chat.completions.create(
                    model="gpt-4o", messages=[{"role": "user", "content": question}], stream=True
                )
                async def chunks():
                    async for chunk in stream:
                        yield chunk.choices[0].delta.content or ""
                return StreamingResponse(chunks())

            @app.post("/claude")
            def ask_claude(question: str):
                with claude.messages.stream(
                    model="claude-sonnet-4-5", max_tokens=1024, messages=[{"role": "user", "content": question}]
                ) as stream:
                    return "".join(stream.text_stream)
            """
        ),
        Valid(
            # A library function no handler calls.
            """
            from google import genai

            client = genai.Client()

            def describe(text):
                return client.models.generate_content(model="gemini-2.5-flash", contents=text).text
            """
        ),
        Valid(
            # `stream=` set at run time: the call streams whenever the caller asks it to.
            """
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            def complete(messages, model):
                stream = not model.startswith("o1")
                return client.chat.completions.create(model=model, messages=messages, stream=stream)

            @app.post("/chat")
            def chat(question: str):
                return complete([{"role": "user", "content": question}], "gpt-4o")
            """
        ),
        Valid(
            # The request's options are spread from a mapping whose keys are not known
            # here: `stream` may be one of them.
            """
            from fastapi import FastAPI
            from openai import AsyncOpenAI

            app = FastAPI()
            client = AsyncOpenAI()

            @app.post("/chat")
            async def chat(body: dict):
                return await client.chat.completions.create(**body["params"])
            """
        ),
        Valid(
            # An image answer: there is no text to stream to the reader.
            """
            from fastapi import FastAPI
            from google import genai
            from google.genai import types

            app = FastAPI()
            client = genai.Client()

            @app.post("/draw")
            def draw(prompt: str):
                return client.models.generate_content(
                    model="gemini-2.5-flash-image",
                    contents=prompt,
                    config=types.GenerateContentConfig(response_modalities=["IMAGE"]),
                )
            """
        ),
        Valid(
            # Spoken output: the audio is played when complete, not read as text streams in.
            """
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            @app.post("/speak")
            def speak(text: str):
                return client.chat.completions.create(
                    model="gpt-4o-audio-preview",
                    modalities=["text", "audio"],
                    audio={"voice": "alloy", "format": "wav"},
                    messages=[{"role": "user", "content": text}],
                )
            """
        ),
        Valid(
            # `@patch` from unittest.mock is not an HTTP PATCH route, on a test or elsewhere.
            """
            from unittest.mock import patch
            from openai import OpenAI

            client = OpenAI()

            @patch("app.billing.Invoice")
            def check_summary(invoice):
                return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
            """
        ),
        Valid(
            # Gemini asked for JSON in a schema: an answer for code, not for a person to read.
            """
            from fastapi import FastAPI
            from google import genai
            from google.genai import types
            from pydantic import BaseModel

            app = FastAPI()
            client = genai.Client()

            class Ticket(BaseModel):
                queue: str

            @app.post("/route")
            def route(text: str):
                return client.models.generate_content(
                    model="gemini-2.5-flash",
                    contents=text,
                    config=types.GenerateContentConfig(response_schema=Ticket),
                )
            """
        ),
        Valid(
            # Structured output through arguments gathered in a dict and splatted.
            """
            from fastapi import FastAPI
            from openai import OpenAI
            from pydantic import BaseModel

            app = FastAPI()
            client = OpenAI()

            class Verdict(BaseModel):
                approved: bool
                reason: str

            @app.post("/review")
            def review(text: str):
                kwargs = {"model": "gpt-4o", "input": text}
                kwargs["text_format"] = Verdict
                return client.responses.parse(**kwargs)

            @app.post("/review-json")
            def review_json(text: str):
                options = {"response_format": {"type": "json_object"}}
                return client.chat.completions.create(
                    model="gpt-4o", messages=[{"role": "user", "content": text}], **options
                )
            """
        ),
        Valid(
            # A test patched with unittest.mock is not a PATCH route, and tests are not
            # entry points anyone waits on.
            """
            from unittest import mock
            from unittest.mock import patch

            from openai import OpenAI

            client = OpenAI()

            def generate_response(question):
                return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])

            @mock.patch("app.client")
            def test_generate_response(mock_client):
                assert generate_response("hi") is not None

            @patch("app.client")
            def test_generate_response_without_tools(mock_client):
                generate_response("hello")
            """,
            filename="tests/test_app.py",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            @app.post("/api/chat")
            def chat(question: str):
                response = client.chat.completions.create(
                    model="gpt-4o", messages=[{"role": "user", "content": question}]
                )
                return response.choices[0].message.content
            """,
            message="non-streamed completion in user-facing handler `chat` (POST /api/chat)",
            tokens=0,
        ),
        Invalid(
            # Options spread from a dict whose keys are all written here: no `stream`.
            """
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            @app.post("/api/chat")
            def chat(question: str):
                params = {"model": "gpt-4o", "temperature": 0}
                params["messages"] = [{"role": "user", "content": question}]
                return client.chat.completions.create(**params).choices[0].message.content
            """,
            message="non-streamed completion in user-facing handler `chat` (POST /api/chat)",
            tokens=0,
        ),
        Invalid(
            # Flask route calling a helper in the same module; Anthropic async.
            """
            from flask import Flask, request
            import anthropic

            app = Flask(__name__)
            client = anthropic.AsyncAnthropic()

            async def draft(text):
                message = await client.messages.create(
                    model="claude-sonnet-4-5", max_tokens=2048, messages=[{"role": "user", "content": text}]
                )
                return message.content[0].text

            @app.route("/draft", methods=["POST"])
            async def draft_view():
                return await draft(request.json["text"])
            """,
            message="`draft`, called from user-facing handler `draft_view` (POST /draft)",
            tokens=0,
        ),
        Invalid(
            # Django function view, and the helper it imports from another module.
            """
            from django.http import JsonResponse
            from polls.llm import answer

            def ask(request):
                return JsonResponse({"answer": answer(request.GET["q"])})
            """,
            filename="polls/views.py",
            files={
                "polls/__init__.py": "",
                "polls/llm.py": """
                import litellm

                def answer(question):
                    response = litellm.completion(
                        model="anthropic/claude-sonnet-4-5", messages=[{"role": "user", "content": question}]
                    )
                    return response.choices[0].message.content
                """,
            },
            message="`answer`, called from user-facing handler `ask` (django)",
        ),
        Invalid(
            # Gradio chat callback with the Google GenAI SDK.
            """
            import gradio as gr
            from google import genai

            client = genai.Client()

            def respond(message, history):
                return client.models.generate_content(model="gemini-2.5-flash", contents=message).text

            gr.ChatInterface(respond).launch()
            """,
            message="user-facing handler `respond` (gradio)",
        ),
        Invalid(
            # Streamlit script with LangChain.
            """
            import streamlit as st
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o", max_tokens=800)
            if prompt := st.chat_input("Ask"):
                st.write(llm.invoke(prompt).content)
            """,
            message="the user-facing streamlit app",
        ),
        Invalid(
            # Chainlit callback with pydantic-ai; the handler lives in a folder without
            # __init__.py and imports the agent's module directly.
            """
            import chainlit as cl
            from app.agents import reply

            @cl.on_message
            async def on_message(message: cl.Message):
                await cl.Message(content=await reply(message.content)).send()
            """,
            filename="app/ui.py",
            files={
                "app/agents.py": """
                from pydantic_ai import Agent

                agent = Agent("openai:gpt-4o", instructions="Be brief.")

                async def reply(text):
                    result = await agent.run(text)
                    return result.output
                """
            },
            message="`reply`, called from user-facing handler `on_message` (chainlit)",
        ),
        Invalid(
            # Starlette route registered with Route(...).
            """
            from starlette.applications import Starlette
            from starlette.responses import JSONResponse
            from starlette.routing import Route
            from openai import OpenAI

            client = OpenAI()

            async def homepage(request):
                response = client.responses.create(model="gpt-4o", input=request.query_params["q"])
                return JSONResponse({"text": response.output_text})

            app = Starlette(routes=[Route("/ask", homepage, methods=["POST"])])
            """,
            message="user-facing handler `homepage` (POST /ask)",
        ),
        Invalid(
            # A WebSocket handler: the fix sends each delta over the socket.
            """
            from fastapi import FastAPI, WebSocket
            import anthropic

            app = FastAPI()
            client = anthropic.AsyncAnthropic()

            @app.websocket("/ws")
            async def chat_socket(websocket: WebSocket):
                await websocket.accept()
                question = await websocket.receive_text()
                message = await client.messages.create(
                    model="claude-sonnet-4-5", max_tokens=1024, messages=[{"role": "user", "content": question}]
                )
                await websocket.send_text(message.content[0].text)
            """,
            message="user-facing handler `chat_socket` (WEBSOCKET /ws)",
        ),
        Invalid(
            # The route's path is empty: the router's prefix is set where it is included.
            """
            from fastapi import APIRouter
            from openai import OpenAI

            router = APIRouter()
            client = OpenAI()

            @router.post("")
            def create_answer(question: str):
                return client.responses.create(model="gpt-4o", input=question).output_text
            """,
            message="user-facing handler `create_answer` (POST): the user sees nothing",
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        handler = call.context.handler
        if handler is None or not handler.user_facing or call.context.background is not None:
            return
        if call.stream or call.stream_dynamic or call.structured or call.api.endswith(BATCH_API_SUFFIXES):
            return  # streams (or may: `stream=stream`), parses into a schema, or sends many requests
        if any(modality != "TEXT" for modality in call.output_modalities):
            return  # an image or audio answer is not text a person reads as it is generated
        if not call.context.result_used:
            return  # nobody reads the answer (a warm-up, a callback test): nothing to stream
        options: Options = ctx.options
        if call.max_tokens is not None and call.max_tokens <= options.short_output_tokens:
            return
        limit = f" (up to {call.max_tokens:,} tokens)" if call.max_tokens is not None else ""
        message = (
            f"non-streamed completion in {_handler_place(call, handler)}: "
            f"the user sees nothing until the whole answer{limit} has been generated"
        )
        yield self.report(
            call.filename,
            call.span,
            message,
            fix=self._fix(call, handler, ctx),
            stake=Stake(tokens=0, exact=True, model=call.model, basis=Basis.LATENCY, output_tokens=call.max_tokens or 0),
        )

    def _fix(self, call: LLMCall, handler: Handler, ctx: RuleContext) -> Fix | None:
        forms = _streaming_forms()
        form = forms["forms"].get(form_key(call))
        prefix = callee_prefix(call, ctx.read_source(call.filename))
        if form is None or prefix is None:
            return None
        template = form.get("async", form["sync"]) if call.context.awaited else form["sync"]
        suggestion = template.replace("{prefix}", prefix).rstrip("\n")
        delivery = forms["websocket_delivery"] if is_websocket(handler) else forms["delivery"].get(handler.framework)
        if delivery is not None:
            suggestion += f"\n# send the text on as it arrives:\n# {delivery}"
        return Fix(form["title"], Applicability.DISPLAY_ONLY, suggestion=suggestion)
