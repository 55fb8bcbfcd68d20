"""Ticket classification: spam filter, priority, category and queue routing.

Each of these answers with one word, so output is a handful of tokens and input cost
dominates.
"""

from __future__ import annotations

from typing import Literal

from supportdesk.clients import claude, openai_client
from supportdesk.prompts import CATEGORY_PROMPT, TRIAGE_PROMPT
from supportdesk.tickets import Ticket

Priority = Literal["low", "normal", "urgent"]
QUEUES = frozenset({"billing", "banking", "invoicing", "access", "developers", "privacy", "security"})


def is_spam(ticket: Ticket) -> bool:
    response = openai_client.chat.completions.create(
        # planted: PRM401 flagship model answering yes/no with 5 output tokens; gpt-5.4-mini does this
        model="gpt-5.5",
        max_completion_tokens=5,
        messages=[
            {"role": "system", "content": "Is this support ticket spam? Answer yes or no."},
            {"role": "user", "content": ticket.transcript()},
        ],
    )
    return (response.choices[0].message.content or "").strip().lower() == "yes"


def priority(ticket: Ticket) -> Priority:
    response = claude.messages.create(
        # planted: PRM401 Opus picking one of three labels with max_tokens=5; a cheaper sibling serves
        model="claude-opus-4-6",
        max_tokens=5,
        system="Label the ticket's priority. Reply with one word: low, normal or urgent.",
        messages=[{"role": "user", "content": ticket.transcript()}],
    )
    label = response.content[0].text.strip().lower()
    return label if label in ("low", "normal", "urgent") else "normal"


def category(ticket: Ticket) -> str:
    response = openai_client.chat.completions.create(
        model="gpt-5.4-mini",
        max_completion_tokens=5,
        messages=[
            {"role": "system", "content": CATEGORY_PROMPT},
            {"role": "user", "content": ticket.transcript()},
        ],
    )
    return (response.choices[0].message.content or "other").strip().lower()


def route(ticket: Ticket) -> str:
    """Queue for a new ticket: a small model with the ops team's triage prompt."""
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=5,
        system=TRIAGE_PROMPT,
        messages=[{"role": "user", "content": f"Ticket: {ticket.transcript()}"}],
    )
    queue = response.content[0].text.strip().lower()
    return queue if queue in QUEUES else "billing"
