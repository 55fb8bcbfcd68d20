# SPDX-License-Identifier: MIT
"""The order in which a provider reads a request, which is the order its prompt cache
matches it: Anthropic tools -> system -> messages; OpenAI instructions or system, then
messages (provider-facts.md §1, §2). Caching and prefix rules read the prompt this way.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptlint.analysis.providers.common import SYSTEM_ROLES
from promptlint.analysis.results import LLMCall, PromptText, Segment


@dataclass(frozen=True)
class PrefixPart:
    """One part of a request in cache order: where it is, its text, and any cache marker."""

    where: str  # "tools", "system", "messages[2]"
    text: PromptText
    cache_marked: bool = False
    role: str | None = None


def prefix_parts(call: LLMCall) -> list[PrefixPart]:
    parts: list[PrefixPart] = []
    if call.tools is not None:
        parts.append(PrefixPart("tools", call.tools, call.tools_cache_marked))
    if call.system is not None and not call.system_in_messages:
        if call.system_blocks:  # a block list: each block its own part, with its own marker
            for block in call.system_blocks:
                parts.append(PrefixPart("system", block.content or PromptText(), block.cache_marked))
        else:
            parts.append(PrefixPart("system", call.system))
    for index, message in enumerate(call.messages):
        if message.content is not None:
            parts.append(PrefixPart(f"messages[{index}]", message.content, message.cache_marked, message.role))
    return parts


def ordered_parts(call: LLMCall) -> list[PrefixPart]:
    """`prefix_parts` as far as their order is certain.

    When the message list could not be followed to the end, the messages analysis did see
    may have gaps between them (an unresolved `*history`), so only the leading system
    messages are kept: what comes after them is not known.
    """
    parts = prefix_parts(call)
    if call.messages_resolved:
        return parts
    kept: list[PrefixPart] = []
    for part in parts:
        if part.where.startswith("messages[") and part.role not in SYSTEM_ROLES:
            break
        kept.append(part)
    return kept


def static_prefix(call: LLMCall) -> tuple[str, Segment | None]:
    """The static text a cache could reuse, and the dynamic segment that ends it (if any)."""
    text: list[str] = []
    for part in prefix_parts(call):
        for segment in part.text.segments:
            if segment.kind.is_dynamic:
                return "".join(text), segment
            text.append(segment.text)
    return "".join(text), None


def all_static_text(call: LLMCall) -> str:
    """Every static piece of the request, in order (what is sent on every call)."""
    return "".join(part.text.static_text for part in prefix_parts(call))


def dynamic_segments(call: LLMCall) -> list[Segment]:
    return [segment for part in prefix_parts(call) for segment in part.text.dynamic_segments]
