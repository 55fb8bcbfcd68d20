# SPDX-License-Identifier: MIT
"""Google's SDKs (provider-facts.md §6):

- google-genai: `Client().models.generate_content(_stream)`, the `client.aio` forms, chat
  sessions (`client.chats.create(...).send_message(_stream)`) and batches;
- the older google-generativeai: `GenerativeModel("gemini-...", system_instruction=...)`
  with `generate_content(_async)` and `start_chat(history=...).send_message(_async)`.
"""

from __future__ import annotations

from promptlint.analysis.messages import dict_fields
from promptlint.analysis.objects import SdkObject, call_arguments
from promptlint.analysis.prompts import UNKNOWN
from promptlint.analysis.providers.base import CallSite, Provider
from promptlint.analysis.providers.common import output_modalities
from promptlint.analysis.scope import Scope
from promptlint.index import values as v
from promptlint.analysis.results import LLMCall, Message

MODEL_CALLS = {("models", "generate_content"), ("models", "generate_content_stream")}
CHAT_CALLS = {("send_message",), ("send_message_stream",), ("send_message_async",)}
BATCH_CALLS = {("batches", "create")}
LEGACY_CALLS = {("generate_content",), ("generate_content_async",)}


class GoogleProvider(Provider):
    sdk = "google"
    modules = ("google.genai", "google.generativeai")
    constructors = {
        "google.genai.Client": ("client", False),
        "google.generativeai.GenerativeModel": ("model", False),
        "google.generativeai.generative_models.GenerativeModel": ("model", False),
    }
    methods = frozenset({"generate_content", "generate_content_stream", "generate_content_async", "send_message", "send_message_stream", "send_message_async", "create"})

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        if obj.kind == "chat" and path in CHAT_CALLS:
            return f"google.chats.{path[0]}"
        if obj.kind == "model" and path in LEGACY_CALLS:
            return f"google.generativeai.GenerativeModel.{path[0]}"
        if obj.kind == "client":
            is_async = path[:1] == ("aio",)
            rest = path[1:] if is_async else path
            if rest in MODEL_CALLS or rest in BATCH_CALLS:
                return "google." + ("aio." if is_async else "") + ".".join(rest)
        return None

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: v.Call, scope: Scope) -> SdkObject | None:
        if obj.kind == "client" and path in (("chats", "create"), ("aio", "chats", "create")):
            settings = dict(obj.settings)
            settings.update(call_arguments(call, scope))
            return SdkObject(self.sdk, "chat", f"{obj.qualname}.chats", path[0] == "aio", settings=settings)
        if obj.kind == "model" and path == ("start_chat",):
            settings = dict(obj.settings)
            settings.update(call_arguments(call, scope))
            return SdkObject(self.sdk, "chat", f"{obj.qualname}.start_chat", settings=settings)
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        if site.api.endswith("batches.create"):
            return site.llm_call(provider=self.sdk, model_provider="google", messages_resolved=False)
        legacy = site.obj is not None and site.obj.qualname.startswith("google.generativeai")
        if legacy:
            model, model_argument = site.model("model_name", built_with=("#0",))
        else:
            model, model_argument = site.model("model")
        config = self._config(site)
        system = None
        max_output = None
        structured = False
        cache_marked = False
        modalities: tuple[str, ...] = ()
        if legacy and site.obj is not None and "system_instruction" in site.obj.settings:
            system = site.prompts.resolve(*site.obj.settings["system_instruction"])
        if config is not None:
            node, scope = config
            fields = self._config_fields(node, scope)
            if "system_instruction" in fields:
                system = site.prompts.resolve(*fields["system_instruction"])
            if "max_output_tokens" in fields:
                value = site.prompts.literal(*fields["max_output_tokens"])
                max_output = value if isinstance(value, int) and value is not UNKNOWN else None
            structured = any(name in fields for name in ("response_schema", "response_json_schema", "response_mime_type"))
            cache_marked = "cached_content" in fields
            if "response_modalities" in fields:
                value = site.prompts.literal(*fields["response_modalities"])
                if isinstance(value, (list, tuple)):
                    modalities = tuple(str(item).upper() for item in value if isinstance(item, str) and item.upper() != "TEXT")
        messages: list[Message] = []
        resolved = True
        if site.obj is not None and site.obj.kind == "chat":
            history = site.obj.settings.get("history")
            if history is not None:
                found = site.reader.messages(*history)
                messages.extend(found.messages)
                resolved = found.resolved
            message = site.arguments_here.get("message") or site.arguments_here.get("content") or site.arguments_here.get("#0")
            if message is not None:
                messages.append(Message("user", site.prompts.resolve(*message)))
        else:
            contents = site.argument("contents", "#0") if legacy else site.argument("contents")
            if contents is not None:
                node, scope = site.prompts.follow(*contents)
                if isinstance(node, v.Seq):
                    found = site.reader.messages(node, scope)
                    messages.extend(found.messages)
                    resolved = found.resolved
                else:
                    messages.append(Message("user", site.prompts.resolve(node, scope)))
            else:
                resolved = False
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider="google",
            model_argument=model_argument,
            stream=site.api.endswith("_stream") or site.literal("stream") is True,
            structured=structured,
            system=system,
            messages=tuple(messages),
            messages_resolved=resolved,
            max_tokens=max_output,
            cache_marked=cache_marked,
            output_modalities=modalities or output_modalities(site, "response_modalities"),
        )

    def _config(self, site: CallSite) -> tuple[v.Value, Scope] | None:
        found = site.argument("config", "generation_config")
        return None if found is None else site.prompts.follow(*found)

    def _config_fields(self, node: v.Value, scope: Scope) -> dict[str, tuple[v.Value, Scope]]:
        """`GenerateContentConfig(system_instruction=...)` or a dict with the same keys."""
        if isinstance(node, v.Call):
            return {k: x for k, x in call_arguments(node, scope).items() if not k.startswith("#")}
        if isinstance(node, v.Dict):
            return {key: (value, scope) for key, value in dict_fields(node).items()}
        return {}
