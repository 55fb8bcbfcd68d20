# SPDX-License-Identifier: MIT
"""Argument readings that several SDKs share (OpenAI-style message lists, forced tools,
structured output, output modalities)."""

from __future__ import annotations

from promptlint.analysis.prompts import UNKNOWN
from promptlint.analysis.providers.base import CallSite
from promptlint.analysis.results import Message, PromptText

SYSTEM_ROLES = ("system", "developer")
# Arguments that make the answer a parsed object rather than text for a person.
STRUCTURED_ARGUMENTS = ("response_format", "text_format", "response_model", "response_schema", "output_format", "output_type", "result_type")


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
    value = site.prompts.literal(*found)
    if value is UNKNOWN:
        return True  # a non-literal choice is almost always a forced {"type": "function", ...}
    if isinstance(value, str):
        return value in ("required", "any")
    if isinstance(value, dict):
        return value.get("type") in ("tool", "any", "function")
    return False


def is_true(site: CallSite, *names: str) -> bool:
    return site.literal(*names) is True


def structured(site: CallSite, *names: str) -> bool:
    """Whether one of `names` (default: every structured-output argument) is given and not
    literally None."""
    for name in names or STRUCTURED_ARGUMENTS:
        found = site.argument(name)
        if found is not None and site.prompts.literal(*found) is not None:
            return True
    return False


def output_modalities(site: CallSite, *names: str) -> tuple[str, ...]:
    """`modalities=["text", "audio"]`, `response_modalities=["IMAGE"]`: the non-text ones."""
    value = site.literal(*(names or ("modalities", "response_modalities")))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(item).upper() for item in value if isinstance(item, str) and item.upper() != "TEXT")
