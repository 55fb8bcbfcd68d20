"""Suggested replies in the agent console, shown next to the open ticket."""

from __future__ import annotations

from datetime import datetime

from supportdesk.clients import claude
from supportdesk.prompts import SUPPORT_PROMPT
from supportdesk.tickets import Ticket


def suggest_reply(ticket: Ticket) -> str:
    response = claude.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=500,
        # planted: PRM202 the time (to the minute) leads the system prompt, so the cached policy prefix changes on every call
        system=f"Current time: {datetime.now():%Y-%m-%d %H:%M}.\n\n{SUPPORT_PROMPT}",
        cache_control={"type": "ephemeral"},
        messages=[{"role": "user", "content": ticket.transcript()}],
    )
    return response.content[0].text
