"""Mirrors a chat turn into the customer's Assistants thread so the specialist sees the history.

`client.beta.threads.messages.create` stores a message on a thread; it runs no model.
"""

from __future__ import annotations

from openai import OpenAI

client = OpenAI()


def record_turn(thread_id: str, text: str) -> str:
    message = client.beta.threads.messages.create(thread_id=thread_id, role="user", content=text)
    return message.id
