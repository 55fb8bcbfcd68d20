# SPDX-License-Identifier: MIT
"""Argument readings that several SDKs share (OpenAI-style message lists, forced tools)."""

from __future__ import annotations

from promptlint.analysis.providers.base import CallSite
from promptlint.types import Message, PromptText

SYSTEM_ROLES = ("system", "developer")


def leading_system(messages: list[Message]) -> PromptText | None:
    """The system/developer messages at the head of a list, joined: the system prompt."""
    text: PromptText | None = None
    for message in messages:
        if message.role not in SYSTEM_ROLES or message.content is None:
            break
        text = message.content if text is None else text + message.content
    return text


def max_tokens(site: CallSite, *names: str) -> int | None:
    value = site.literal(*names)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def tool_choice_forced(site: CallSite) -> bool:
    """`tool_choice` that makes the model call a tool: structured output, not prose."""
    found = site.argument("tool_choice")
    if found is None:
        return False
    try:
        value = site.resolver.literal(*found)
    except ValueError:
        return True  # a non-literal choice is almost always a forced {"type": "function", ...}
    if isinstance(value, str):
        return value in ("required", "any")
    if isinstance(value, dict):
        return value.get("type") in ("tool", "any", "function")
    return False


def is_true(site: CallSite, *names: str) -> bool:
    return site.literal(*names) is True
