"""First-pass refund recommendation that the billing team reviews."""

from __future__ import annotations

from supportdesk.clients import claude
from supportdesk.prompts import REFUND_ASSISTANT_PROMPT
from supportdesk.tickets import Ticket


def recommend_refund(ticket: Ticket, charges: list[str]) -> str:
    charge_lines = "\n".join(charges)
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        system=REFUND_ASSISTANT_PROMPT,
        messages=[{"role": "user", "content": f"{ticket.transcript()}\n\nRecent charges:\n{charge_lines}"}],
    )
    return response.content[0].text
