"""The note attached to a ticket when it moves from the assistant to a specialist."""

from __future__ import annotations

from supportdesk.clients import claude
from supportdesk.tickets import Ticket


def escalation_note(ticket: Ticket, tag: str) -> str:
    # planted: PRM101 triple-quoted prompt indented with the function, so every line carries 8 spaces
    system = """
        You write the handover note for a ticket that moves to a specialist.
        State what the customer wants, what the assistant checked, and what it told them.
        End with the tag on its own line.
        Stay under 80 words.
    """
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        system=system,
        messages=[{"role": "user", "content": f"Tag: {tag}\n\n{ticket.transcript()}"}],
    )
    return response.content[0].text
