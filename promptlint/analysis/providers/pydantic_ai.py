# SPDX-License-Identifier: MIT
"""pydantic-ai: `Agent("provider:model", system_prompt=..., instructions=...)` and its
`run*`/`run_stream*`/`iter` calls (provider-facts.md §6)."""

from __future__ import annotations

from promptlint.analysis.messages import dict_fields
from promptlint.analysis.objects import SdkObject
from promptlint.analysis.prompts import UNKNOWN
from promptlint.analysis.providers.base import CallSite, Provider, vendor_of_model
from promptlint.analysis.providers.common import structured
from promptlint.index import values as v
from promptlint.analysis.results import LLMCall, Message, PromptText

RUN_METHODS = ("run", "run_sync", "run_stream", "run_stream_sync", "run_stream_events", "iter")
STREAM_METHODS = ("run_stream", "run_stream_sync", "run_stream_events", "iter")
CACHE_SETTINGS = ("cache", "anthropic_cache", "anthropic_cache_instructions", "anthropic_cache_tool_definitions", "anthropic_cache_messages", "bedrock_cache_instructions")


class PydanticAIProvider(Provider):
    sdk = "pydantic-ai"
    modules = ("pydantic_ai",)
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
        messages = (Message("user", site.prompts.resolve(*user)),) if user is not None else ()
        settings = self._model_settings(site)
        max_output = None
        if "max_tokens" in settings:
            value = site.prompts.literal(*settings["max_tokens"])
            max_output = value if isinstance(value, int) and value is not UNKNOWN else None
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider=vendor_of_model(model, None),
            model_argument=model_argument,
            stream=method in STREAM_METHODS,
            structured=structured(site, "output_type", "result_type"),
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
        node, scope = site.prompts.follow(*found)
        if isinstance(node, v.Seq):
            text = PromptText()
            for element in node.items:
                text += site.prompts.resolve(element, scope)
            return text
        return site.prompts.resolve(node, scope)

    def _model_settings(self, site: CallSite) -> dict:
        found = site.argument("model_settings")
        if found is None:
            return {}
        node, scope = site.prompts.follow(*found)
        if isinstance(node, v.Dict):
            return {key: (value, scope) for key, value in dict_fields(node).items()}
        if isinstance(node, v.Call):
            return {k: (value, scope) for k, value in node.keywords if k is not None}
        return {}
