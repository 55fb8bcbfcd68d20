# SPDX-License-Identifier: MIT
"""LiteLLM: `completion`/`acompletion`/`text_completion`/`responses` (module functions and
`Router` methods).

The model id carries the vendor (`anthropic/claude-...`); cache markers pass through on
OpenAI-format content blocks, or are injected with `cache_control_injection_points`
(provider-facts.md §3). `batch_completion` is recognized but is not a discounted batch API.
A call with `mock_response=` sends no request and is not an LLM call.
"""

from __future__ import annotations

from promptlint.analysis.objects import SdkObject
from promptlint.analysis.providers.base import CallSite, Provider, vendor_of_model
from promptlint.analysis.providers.common import (
    is_true,
    leading_system,
    max_tokens,
    output_modalities,
    structured,
    tool_choice_forced,
)
from promptlint.analysis.results import LLMCall, Message

INSTRUCTOR_METHODS = ("create", "create_partial", "create_iterable", "create_with_completion")
METHODS = ("completion", "acompletion", "batch_completion", "text_completion", "atext_completion", "responses", "aresponses")
ROUTER_METHODS = ("completion", "acompletion", "text_completion", "atext_completion", "responses", "aresponses")


class LiteLLMProvider(Provider):
    sdk = "litellm"
    modules = ("litellm",)
    constructors = {"litellm.Router": ("router", False), "litellm.router.Router": ("router", False)}
    functions = {f"litellm.{name}": f"litellm.{name}" for name in METHODS} | {
        f"litellm.main.{name}": f"litellm.{name}" for name in METHODS
    }
    methods = frozenset(METHODS)

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        if obj.kind == "router" and len(path) == 1 and path[0] in ROUTER_METHODS:
            return f"litellm.Router.{path[0]}"
        if obj.kind == "patched_function" and path and path[-1] in INSTRUCTOR_METHODS:
            return f"litellm.{obj.qualname.rsplit('.', 1)[-1]}"  # instructor.from_litellm(completion)
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        if site.has("mock_response"):
            return None  # answered from a canned response: no request is sent
        model, model_argument = site.model("model", "#0")
        if site.api.endswith(("text_completion",)):
            prompt = site.prompt("prompt", "#1")
            messages = [Message("user", prompt)] if prompt is not None else []
            resolved = prompt is not None
        elif site.api.endswith("responses"):
            prompt = site.prompt("input", "#1")
            messages = [Message("user", prompt)] if prompt is not None else []
            resolved = prompt is not None
        else:
            found = site.messages("messages", "#1")
            messages, resolved = (found.messages, found.resolved) if found is not None else ([], False)
        tools = site.argument("tools")
        tools_text, tools_marked = (None, False) if tools is None else site.reader.tools(*tools)
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider=vendor_of_model(model, None),
            model_argument=model_argument,
            stream=is_true(site, "stream"),
            structured=structured(site, "response_format") or tool_choice_forced(site),
            system=leading_system(messages),
            system_in_messages=True,
            messages=tuple(messages),
            messages_resolved=resolved,
            tools=tools_text,
            tools_cache_marked=tools_marked,
            max_tokens=max_tokens(site, "max_completion_tokens", "max_tokens"),
            cache_marked=tools_marked or site.has("cache_control_injection_points") or any(m.cache_marked for m in messages),
            output_modalities=output_modalities(site, "modalities"),
        )
