# SPDX-License-Identifier: MIT
"""pydantic-ai: `Agent("provider:model", system_prompt=..., instructions=...)` and its
`run*`/`run_stream*`/`iter` calls (provider-facts.md §6)."""

from __future__ import annotations

import libcst as cst

from promptlint.analysis.messages import dict_fields
from promptlint.analysis.providers.base import CallSite, Provider, SdkObject, vendor_of_model
from promptlint.types import LLMCall, Message, PromptText

RUN_METHODS = ("run", "run_sync", "run_stream", "run_stream_sync", "run_stream_events", "iter")
STREAM_METHODS = ("run_stream", "run_stream_sync", "run_stream_events", "iter")
CACHE_SETTINGS = ("cache", "anthropic_cache", "anthropic_cache_instructions", "anthropic_cache_tool_definitions", "anthropic_cache_messages", "bedrock_cache_instructions")


class PydanticAIProvider(Provider):
    sdk = "pydantic-ai"
    constructors = {"pydantic_ai.Agent": ("agent", False), "pydantic_ai.agent.Agent": ("agent", False)}
    methods = frozenset(RUN_METHODS)

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        if obj.kind == "agent" and len(path) == 1 and path[0] in RUN_METHODS:
            return f"pydantic_ai.Agent.{path[0]}"
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        method = site.api.rsplit(".", 1)[-1]
        model, model_argument = site.model("model", built_with=("#0",))
        system: PromptText | None = None
        for name in ("system_prompt", "instructions"):
            prompt = self._system_part(site, name)
            if prompt is not None:
                system = prompt if system is None else system + prompt
        user = site.arguments_here.get("user_prompt") or site.arguments_here.get("#0")
        messages = (Message("user", site.resolver.resolve(*user)),) if user is not None else ()
        settings = self._model_settings(site)
        max_output = None
        if "max_tokens" in settings:
            try:
                value = site.resolver.literal(*settings["max_tokens"])
                max_output = value if isinstance(value, int) else None
            except ValueError:
                max_output = None
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider=vendor_of_model(model, None),
            model_argument=model_argument,
            stream=method in STREAM_METHODS,
            structured=site.has("output_type", "result_type"),
            system=system,
            messages=messages,
            messages_resolved=user is not None,
            max_tokens=max_output,
            cache_marked=any(key in settings for key in CACHE_SETTINGS),
        )

    def _system_part(self, site: CallSite, name: str) -> PromptText | None:
        """`system_prompt`/`instructions`: a string or a sequence of strings."""
        found = site.obj.settings.get(name) if site.obj is not None else None
        if found is None:
            return None
        node, scope = site.resolver.follow_value(*found)
        if isinstance(node, (cst.List, cst.Tuple)):
            text = PromptText()
            for element in node.elements:
                text += site.resolver.resolve(element.value, scope)
            return text
        return site.resolver.resolve(node, scope)

    def _model_settings(self, site: CallSite) -> dict:
        found = site.argument("model_settings")
        if found is None:
            return {}
        node, scope = site.resolver.follow_value(*found)
        if isinstance(node, cst.Dict):
            return {key: (value, scope) for key, value in dict_fields(node).items()}
        if isinstance(node, cst.Call):
            return {a.keyword.value: (a.value, scope) for a in node.args if a.keyword is not None}
        return {}
