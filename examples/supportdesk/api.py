"""HTTP API of the support widget: chat, ticket summaries for the agent console.

Every route here runs while a person waits on the other end, so time to first token is
what they feel.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from supportdesk.clients import claude, openai_client
from supportdesk.prompts import SUMMARY_PROMPT, SUPPORT_PROMPT
from supportdesk.tickets import Ticket, TicketNotFound, load_ticket

app = FastAPI(title="Ledgerline support")


class ChatTurn(BaseModel):
    role: str
    content: str


class ChatRequest(BaseModel):
    conversation_id: str
    message: str
    history: list[ChatTurn] = []


class ChatReply(BaseModel):
    reply: str


class SummaryReply(BaseModel):
    ticket_id: str
    summary: str


def _history(request: ChatRequest) -> list[dict[str, str]]:
    return [{"role": turn.role, "content": turn.content} for turn in request.history]


@app.post("/api/chat")
def chat(request: ChatRequest) -> ChatReply:
    # planted: PRM301 POST handler waits for the whole completion before the user sees a word
    completion = openai_client.chat.completions.create(
        model="gpt-5.5",
        messages=[
            {"role": "system", "content": SUPPORT_PROMPT},
            *_history(request),
            {"role": "user", "content": request.message},
        ],
        max_completion_tokens=600,
    )
    return ChatReply(reply=completion.choices[0].message.content or "")


@app.post("/api/chat/stream")
def chat_stream(request: ChatRequest) -> StreamingResponse:
    """The widget's current route: tokens go out as they arrive, over the cached policy."""
    history = _history(request)

    def tokens() -> Iterator[str]:
        with claude.messages.stream(
            model="claude-sonnet-4-6",
            max_tokens=600,
            system=[{"type": "text", "text": SUPPORT_PROMPT, "cache_control": {"type": "ephemeral"}}],
            messages=[*history, {"role": "user", "content": request.message}],
        ) as stream:
            yield from stream.text_stream

    return StreamingResponse(tokens(), media_type="text/plain; charset=utf-8")


def summarize_for_handover(ticket: Ticket) -> str:
    """Four-sentence summary a specialist reads before taking over a ticket."""
    # planted: PRM301 helper of the POST summary route; the specialist waits for the full reply
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=300,
        system=SUMMARY_PROMPT,
        messages=[{"role": "user", "content": ticket.transcript()}],
    )
    return response.content[0].text


@app.post("/api/tickets/{ticket_id}/summary")
def ticket_summary(ticket_id: str) -> SummaryReply:
    try:
        ticket = load_ticket(ticket_id)
    except TicketNotFound:
        raise HTTPException(status_code=404, detail=f"no ticket {ticket_id}") from None
    return SummaryReply(ticket_id=ticket.id, summary=summarize_for_handover(ticket))
