"""Drafts email replies for the specialist queue under the full support policy."""

from __future__ import annotations

from supportdesk.clients import claude
from supportdesk.prompts import SUPPORT_PROMPT
from supportdesk.tickets import Ticket


def draft_email_reply(ticket: Ticket) -> str:
    # planted: PRM201 ~4,800-token static policy re-sent on every call with no cache_control
    response = claude.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=800,
        system=SUPPORT_PROMPT,
        messages=[{"role": "user", "content": f"Draft the email reply to this ticket.\n\n{ticket.transcript()}"}],
    )
    return response.content[0].text
