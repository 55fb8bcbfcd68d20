# SPDX-License-Identifier: MIT
"""instructor: clients patched by `from_openai`, `from_anthropic`, `from_litellm`,
`from_genai`, `patch` and `from_provider("openai/gpt-5.5")`. Calls on them are the
underlying SDK's calls with a `response_model` (structured output), plus
`create_partial`/`create_iterable` which stream (provider-facts.md §4, §6)."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from promptlint.analysis.providers.base import SdkObject, call_arguments, vendor_of_model
from promptlint.analysis.scope import Scope

PROVIDER_CLIENTS = {"openai": "openai.OpenAI", "anthropic": "anthropic.Anthropic", "google": "google.genai.Client"}


def from_client(objects, call: cst.Call, scope: Scope, depth: int) -> SdkObject | None:
    """`instructor.from_openai(OpenAI())`: the wrapped client, marked as patched."""
    if not call.args:
        return None
    inner = objects.resolve(call.args[0].value, scope, depth + 1)
    if inner is None:
        return None
    return replace(inner, patched="instructor")


def from_provider(objects, call: cst.Call, scope: Scope, depth: int) -> SdkObject | None:
    """`instructor.from_provider("anthropic/claude-sonnet-4-5")`: the SDK the id names."""
    arguments = call_arguments(call, scope)
    spec = arguments.get("#0") or arguments.get("model")
    if spec is None:
        return None
    try:
        value = objects.resolver.literal(*spec)
    except ValueError:
        return None
    if not isinstance(value, str):
        return None
    vendor = vendor_of_model(value, None)
    if vendor not in PROVIDER_CLIENTS:
        return None
    settings = {"model": spec}
    return SdkObject(vendor, "client", PROVIDER_CLIENTS[vendor], patched="instructor", settings=settings)


FACTORIES = {
    **{f"instructor.{name}": from_client for name in (
        "from_openai", "from_anthropic", "from_litellm", "from_genai", "from_gemini", "patch", "apatch"
    )},
    "instructor.from_provider": from_provider,
}
