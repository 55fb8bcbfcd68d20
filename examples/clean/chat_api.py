"""Chat routes that stream: the customer sees the first words while the rest is generated."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from clean.clients import async_openai, claude
from supportdesk.prompts import SUPPORT_PROMPT

app = FastAPI(title="Ledgerline support (streaming)")


class ChatRequest(BaseModel):
    conversation_id: str
    message: str


def _user_turn(message: str) -> dict[str, str]:
    """Per-request facts go after the static policy, so the cached prefix stays identical."""
    return {"role": "user", "content": f"Today is {date.today().isoformat()}.\n\n{message}"}


@app.post("/api/chat")
def chat(request: ChatRequest) -> StreamingResponse:
    def tokens() -> Iterator[str]:
        with claude.messages.stream(
            model="claude-sonnet-4-6",
            max_tokens=600,
            system=[{"type": "text", "text": SUPPORT_PROMPT, "cache_control": {"type": "ephemeral"}}],
            messages=[_user_turn(request.message)],
        ) as stream:
            yield from stream.text_stream

    return StreamingResponse(tokens(), media_type="text/plain; charset=utf-8")


@app.post("/api/chat/openai")
async def chat_openai(request: ChatRequest) -> StreamingResponse:
    stream = await async_openai.chat.completions.create(
        model="gpt-5.5",
        max_completion_tokens=600,
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "system", "content": SUPPORT_PROMPT}, _user_turn(request.message)],
    )

    async def tokens() -> AsyncIterator[str]:
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content

    return StreamingResponse(tokens(), media_type="text/plain; charset=utf-8")
