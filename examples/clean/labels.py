"""One-word classifications on the smallest models that do them well."""

from __future__ import annotations

from typing import Literal

from clean.clients import claude, openai_client
from clean.prompts import CATEGORY_FEW_SHOT, PRIORITY_PROMPT, SPAM_PROMPT

Priority = Literal["low", "normal", "urgent"]


def is_spam(text: str) -> bool:
    response = openai_client.chat.completions.create(
        model="gpt-5.4-mini",
        max_completion_tokens=5,
        messages=[{"role": "system", "content": SPAM_PROMPT}, {"role": "user", "content": text}],
    )
    return (response.choices[0].message.content or "").strip().lower() == "yes"


def priority(text: str) -> Priority:
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=5,
        system=PRIORITY_PROMPT,
        messages=[{"role": "user", "content": text}],
    )
    label = response.content[0].text.strip().lower()
    return label if label in ("low", "normal", "urgent") else "normal"


def category(text: str) -> str:
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=5,
        system="Assign the ticket one category: billing, bank-feeds, invoices, access, api, other.",
        messages=[*CATEGORY_FEW_SHOT, {"role": "user", "content": text}],
    )
    return response.content[0].text.strip().lower()
