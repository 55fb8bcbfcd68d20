# SPDX-License-Identifier: MIT
"""instructor: clients patched by `from_openai`, `from_anthropic`, `from_litellm`,
`from_genai`, `patch` and `from_provider("openai/gpt-5.5")`. Calls on them are the
underlying SDK's calls with a `response_model` (structured output), plus
`create_partial`/`create_iterable` which stream (provider-facts.md §4, §6)."""

from __future__ import annotations

from dataclasses import replace

from promptlint.analysis.objects import SdkName, SdkObject
from promptlint.analysis.providers.base import vendor_of_model
from promptlint.analysis.scope import Scope
from promptlint.index import values as v

PROVIDER_CLIENTS = {"openai": "openai.OpenAI", "anthropic": "anthropic.Anthropic", "google": "google.genai.Client"}


def from_client(objects, call: v.Call, scope: Scope, depth: int) -> SdkObject | None:
    """`instructor.from_openai(OpenAI())`: the wrapped client, marked as patched.
    `instructor.from_litellm(litellm.completion)` patches a function: its calls are
    instructor calls on LiteLLM."""
    if not call.args:
        return None
    inner = objects.resolve(call.args[0], scope, depth + 1)
    if isinstance(inner, SdkObject):
        return replace(inner, patched="instructor", path=())
    if isinstance(inner, SdkName) and inner.qualname.startswith("litellm."):
        return SdkObject("litellm", "patched_function", inner.qualname, patched="instructor")
    return None


def from_provider(objects, call: v.Call, scope: Scope, depth: int) -> SdkObject | None:
    """`instructor.from_provider("anthropic/claude-sonnet-4-5")`: the SDK the id names."""
    spec = call.args[0] if call.args else next((value for k, value in call.keywords if k == "model"), None)
    if spec is None:
        return None
    value = objects.literal_text(spec, scope)
    if value is None:
        return None
    vendor = vendor_of_model(value, None)
    if vendor not in PROVIDER_CLIENTS:
        return None
    return SdkObject(vendor, "client", PROVIDER_CLIENTS[vendor], patched="instructor", settings={"model": (spec, scope)})


FACTORIES = {
    **{f"instructor.{name}": from_client for name in (
        "from_openai", "from_anthropic", "from_litellm", "from_genai", "from_gemini", "patch", "apatch"
    )},
    "instructor.from_provider": from_provider,
}
