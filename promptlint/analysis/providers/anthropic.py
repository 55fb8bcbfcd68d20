# SPDX-License-Identifier: MIT
"""The `anthropic` SDK: first-party, Bedrock, Vertex and other platform clients; Messages
(create/stream/parse), the beta namespace with its tool runner, and Message Batches
(provider-facts.md §1, §6).

`messages.count_tokens` is deliberately not a call: it sends no completion. The legacy
Text Completions endpoint (`completions.create(prompt=..., max_tokens_to_sample=...)`) is a
call: code pinned to an SDK that still has it sends requests with it (anthropic 2.14.0 no
longer ships `resources/completions.py`, and the claude-2/instant models it serves are
retired, which PRM402 reports).
"""

from __future__ import annotations

from promptlint.analysis.providers.base import CallSite, GeneratedClientProvider
from promptlint.analysis.providers.common import is_true, max_tokens, structured, tool_choice_forced
from promptlint.analysis.providers.openai import INSTRUCTOR_METHODS
from promptlint.analysis.results import LLMCall, Message

PLATFORMS = ("", "Bedrock", "BedrockMantle", "Vertex", "AWS", "Foundry", "GoogleCloud")
CALL_PATHS = {
    ("messages", "create"),
    ("messages", "stream"),
    ("messages", "parse"),
    ("messages", "batches", "create"),
    ("completions", "create"),
}
BETA_PATHS = {("beta",) + path for path in CALL_PATHS if path[0] == "messages"} | {("beta", "messages", "tool_runner")}
TEXT_COMPLETIONS_API = "anthropic.completions.create"  # the legacy endpoint: no caching, no chat models
INSTRUCTOR_PATHS = {(m,) for m in INSTRUCTOR_METHODS} | {("messages", m) for m in INSTRUCTOR_METHODS}


class AnthropicProvider(GeneratedClientProvider):
    sdk = "anthropic"
    modules = ("anthropic",)
    call_paths = frozenset(CALL_PATHS | BETA_PATHS)
    instructor_paths = frozenset(INSTRUCTOR_PATHS)
    instructor_api = "anthropic.messages."
    constructors = {
        **{f"anthropic.Anthropic{platform}": ("client", False) for platform in PLATFORMS},
        **{f"anthropic.AsyncAnthropic{platform}": ("client", True) for platform in PLATFORMS},
        "anthropic.Client": ("client", False),
        "anthropic.AsyncClient": ("client", True),
    }
    methods = frozenset({"create", "stream", "parse", "tool_runner", *INSTRUCTOR_METHODS})
    resources = {
        "anthropic.resources.Messages": ("messages",),
        "anthropic.resources.AsyncMessages": ("messages",),
        "anthropic.resources.messages.Messages": ("messages",),
        "anthropic.resources.messages.AsyncMessages": ("messages",),
        "anthropic.resources.Completions": ("completions",),
        "anthropic.resources.AsyncCompletions": ("completions",),
    }

    def build(self, site: CallSite) -> LLMCall | None:
        if site.api.endswith("batches.create"):
            return site.llm_call(provider=self.sdk, model_provider="anthropic", messages_resolved=False)
        if site.api == TEXT_COMPLETIONS_API:  # one `prompt` string ("\n\nHuman: ...\n\nAssistant:")
            model, model_argument = site.model()
            prompt = site.prompt("prompt")
            return site.llm_call(
                provider=self.sdk,
                model=model,
                model_provider="anthropic",
                model_argument=model_argument,
                stream=is_true(site, "stream"),
                messages=(Message("user", prompt),) if prompt is not None else (),
                messages_resolved=prompt is not None,
                max_tokens=max_tokens(site, "max_tokens_to_sample"),
            )
        model, model_argument = site.model()
        system_found = site.argument("system")
        system, system_marked, system_blocks = (None, False, ())
        if system_found is not None:
            system, system_marked = site.reader.content(*system_found)
            system_blocks = site.reader.blocks(*system_found, role="system")
        found = site.messages("messages")
        messages, resolved = (found.messages, found.resolved) if found is not None else ([], False)
        tools = site.argument("tools")
        tools_text, tools_marked = (None, False) if tools is None else site.reader.tools(*tools)
        is_structured = (
            site.api.endswith(".parse")
            or structured(site, "output_format")
            or tool_choice_forced(site)
            or (site.obj is not None and site.obj.patched == "instructor" and structured(site, "response_model"))
        )
        top_level = site.argument("cache_control")
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider="anthropic",
            model_argument=model_argument,
            stream=site.api.endswith((".stream", "create_partial", "create_iterable")) or is_true(site, "stream"),
            structured=is_structured,
            system=system,
            messages=tuple(messages),
            messages_resolved=resolved,
            tools=tools_text,
            max_tokens=max_tokens(site, "max_tokens"),
            cache_control=top_level is not None and site.literal("cache_control", default="x") is not None,
            cache_marked=system_marked or tools_marked or any(m.cache_marked for m in messages),
            tools_cache_marked=tools_marked,
            system_blocks=system_blocks,
        )
