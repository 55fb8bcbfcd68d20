"""Suggested help-centre articles for a ticket: the 2024 implementation, still used by email intake."""

from __future__ import annotations

from supportdesk.clients import openai_client
from supportdesk.tickets import Ticket

SUGGEST_PROMPT = (
    "List up to three help-centre article titles that answer the ticket, one per line. "
    "Reply with 'none' when no article fits."
)


def suggest_articles(ticket: Ticket) -> list[str]:
    response = openai_client.chat.completions.create(
        # planted: PRM402 gpt-4-turbo was shut down on 2026-10-23
        model="gpt-4-turbo",
        max_tokens=120,
        messages=[
            {"role": "system", "content": SUGGEST_PROMPT},
            {"role": "user", "content": ticket.transcript()},
        ],
    )
    text = (response.choices[0].message.content or "").strip()
    return [] if text.lower() == "none" else [line.strip("- ") for line in text.splitlines() if line.strip()]
