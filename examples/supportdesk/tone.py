"""Rewrites a specialist's draft reply in the house tone before it is sent."""

from __future__ import annotations

from supportdesk.clients import openai_client
from supportdesk.prompts import TONE_FEW_SHOT

TONE_INSTRUCTIONS = (
    "Rewrite the draft in Ledgerline's support tone: lead with the answer, short sentences, "
    "menu paths as Settings, Billing, History, no exclamation marks. Keep every fact."
)


def in_house_tone(draft: str) -> str:
    response = openai_client.chat.completions.create(
        model="gpt-5.4-mini",
        max_completion_tokens=300,
        messages=[
            {"role": "system", "content": TONE_INSTRUCTIONS},
            *TONE_FEW_SHOT,
            {"role": "user", "content": draft},
        ],
    )
    return response.choices[0].message.content or draft
