"""Email drafts under the full support policy, with the policy prefix cached."""

from __future__ import annotations

from clean.clients import claude
from clean.prompts import handover_instructions
from supportdesk.prompts import SUPPORT_PROMPT


def draft_email_reply(subject: str, body: str) -> str:
    response = claude.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=800,
        system=SUPPORT_PROMPT,
        cache_control={"type": "ephemeral"},
        messages=[{"role": "user", "content": f"Draft the email reply to this ticket.\n\nSubject: {subject}\n\n{body}"}],
    )
    return response.content[0].text


def handover_note(transcript: str, tag: str) -> str:
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        system=handover_instructions(),
        messages=[{"role": "user", "content": f"Tag: {tag}\n\n{transcript}"}],
    )
    return response.content[0].text
