# SPDX-License-Identifier: MIT
"""How the model rules (PRM401-PRM403) read and rewrite the model id a call names.

Three rules swap a model id for another one (a cheaper sibling, a replacement, a spelling
fix); they must agree on where the id is written, which ids are not model ids at all
(Azure deployment names) and which requests go through a cloud platform with its own
model ids and retirement calendar, so that logic lives here once.
"""

from __future__ import annotations

from promptlint.models import ModelInfo, normalize_provider, split_model_ref
from promptlint.analysis.results import LLMCall
from promptlint.types import Edit, Span

#: Client classes whose `model` is a name chosen on a cloud platform (an Azure deployment)
#: or an id in the platform's own catalogue (Bedrock, Vertex), matched in the qualname.
_PLATFORM_CLIENTS = ("Azure", "Bedrock", "Vertex")
#: Arguments that make a call return a canned response without a request (LiteLLM).


def written_model(call: LLMCall) -> str | None:
    """The model as written in code, routing prefix included (`anthropic/claude-…`), or
    the id analysis resolved when the text is not at hand (a default, another module)."""
    argument = call.model_argument
    if argument is not None and isinstance(argument.literal, str):
        return argument.literal
    return call.model


def is_azure_deployment(call: LLMCall) -> bool:
    """Whether the call's `model` names an Azure deployment: a name the user chose, which
    neither a price table nor a model table can know, and which cannot be swapped for
    another id by editing code (the deployment must exist)."""
    if call.client is not None and "Azure" in call.client:
        return True
    written = written_model(call)
    return written is not None and split_model_ref(written)[0] == "azure"


def served_by_platform(call: LLMCall, info: ModelInfo) -> bool:
    """Whether the call reaches the model through a cloud platform (Azure, Bedrock, Vertex)
    rather than its vendor's API: such platforms have their own ids and their own
    retirement dates, which rules/models.yaml does not record."""
    if call.client is not None and any(name in call.client for name in _PLATFORM_CLIENTS):
        return True
    written = written_model(call)
    named = split_model_ref(written)[0] if written is not None else None
    return named is not None and normalize_provider(named) != info.provider


def written_at_call(call: LLMCall) -> bool:
    """Whether the model argument sits inside the call itself, rather than where a client,
    chat model or agent was built (where other calls may share it)."""
    argument = call.model_argument
    return argument is not None and _contains(call.span, argument.span)


def replace_model(call: LLMCall, new_id: str) -> Edit | None:
    """An edit writing `new_id` in place of the model id in the call's model literal.

    The literal keeps its quotes and any routing prefix (`anthropic/`, `openai:`,
    `models/`); a dated snapshot suffix goes, since `new_id` is a canonical id. None unless
    the model is one plain string literal in the call's file (not a constant that other
    code may read, not an escaped string) and not a Bedrock id, whose
    `us.anthropic.…-v1:0` form a canonical id does not fit.
    """
    argument = call.model_argument
    if argument is None or not argument.is_literal or not isinstance(argument.literal, str):
        return None
    value = argument.literal
    quote = argument.source[-1:]
    if quote not in ("'", '"') or argument.source != f"{quote}{value}{quote}":
        return None
    named, bare = split_model_ref(value)
    if named == "bedrock":
        return None
    start = value.lower().rfind(bare)
    if start < 0:
        return None
    new_value = value[:start] + new_id + value[start + len(bare) :]
    return Edit(argument.span, f"{quote}{new_value}{quote}")


def _contains(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
