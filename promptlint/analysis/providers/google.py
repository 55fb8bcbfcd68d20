# SPDX-License-Identifier: MIT
"""google-genai: `Client().models.generate_content(_stream)`, the `client.aio` forms, chat
sessions (`client.chats.create(...).send_message(_stream)`) and batches (provider-facts §6)."""

from __future__ import annotations

import libcst as cst

from promptlint.analysis.messages import dict_fields
from promptlint.analysis.providers.base import CallSite, Provider, SdkObject, call_arguments
from promptlint.analysis.scope import Scope
from promptlint.types import LLMCall, Message

MODEL_CALLS = {("models", "generate_content"), ("models", "generate_content_stream")}
CHAT_CALLS = {("send_message",), ("send_message_stream",)}
BATCH_CALLS = {("batches", "create")}


class GoogleProvider(Provider):
    sdk = "google"
    constructors = {"google.genai.Client": ("client", False)}
    methods = frozenset({"generate_content", "generate_content_stream", "send_message", "send_message_stream", "create"})

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        if obj.kind == "chat" and path in CHAT_CALLS:
            return f"google.chats.{path[0]}"
        if obj.kind == "client":
            is_async = path[:1] == ("aio",)
            rest = path[1:] if is_async else path
            if rest in MODEL_CALLS or rest in BATCH_CALLS:
                return "google." + ("aio." if is_async else "") + ".".join(rest)
        return None

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: cst.Call, scope: Scope) -> SdkObject | None:
        if obj.kind == "client" and path in (("chats", "create"), ("aio", "chats", "create")):
            settings = dict(obj.settings)
            settings.update(call_arguments(call, scope))
            return SdkObject(self.sdk, "chat", f"{obj.qualname}.chats", path[0] == "aio", settings=settings)
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        if site.api.endswith("batches.create"):
            return site.llm_call(provider=self.sdk, model_provider="google", messages_resolved=False)
        model, model_argument = site.model("model")
        config = self._config(site)
        system = None
        max_output = None
        structured = False
        cache_marked = False
        if config is not None:
            node, scope = config
            fields = self._config_fields(node, scope)
            if "system_instruction" in fields:
                system = site.resolver.resolve(*fields["system_instruction"])
            if "max_output_tokens" in fields:
                try:
                    value = site.resolver.literal(*fields["max_output_tokens"])
                    max_output = value if isinstance(value, int) else None
                except ValueError:
                    max_output = None
            structured = "response_schema" in fields or "response_json_schema" in fields or (
                "response_mime_type" in fields
            )
            cache_marked = "cached_content" in fields
        messages: list[Message] = []
        resolved = True
        if site.obj is not None and site.obj.kind == "chat":
            history = site.obj.settings.get("history")
            if history is not None:
                found = site.reader.messages(*history)
                messages.extend(found.messages)
                resolved = found.resolved
            message = site.arguments_here.get("message") or site.arguments_here.get("#0")
            if message is not None:
                messages.append(Message("user", site.resolver.resolve(*message)))
        else:
            contents = site.argument("contents")
            if contents is not None:
                node, scope = contents
                followed, followed_scope = site.resolver.follow_value(node, scope)
                if isinstance(followed, (cst.List, cst.Tuple)):
                    found = site.reader.messages(followed, followed_scope)
                    messages.extend(found.messages)
                    resolved = found.resolved
                else:
                    messages.append(Message("user", site.resolver.resolve(node, scope)))
            else:
                resolved = False
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider="google",
            model_argument=model_argument,
            stream=site.api.endswith("_stream"),
            structured=structured,
            system=system,
            messages=tuple(messages),
            messages_resolved=resolved,
            max_tokens=max_output,
            cache_marked=cache_marked,
        )

    def _config(self, site: CallSite) -> tuple[cst.BaseExpression, Scope] | None:
        found = site.argument("config")
        return None if found is None else site.resolver.follow_value(*found)

    def _config_fields(self, node: cst.BaseExpression, scope: Scope) -> dict[str, tuple[cst.BaseExpression, Scope]]:
        """`GenerateContentConfig(system_instruction=...)` or a dict with the same keys."""
        if isinstance(node, cst.Call):
            return {k: v for k, v in call_arguments(node, scope).items() if not k.startswith("#")}
        if isinstance(node, cst.Dict):
            return {key: (value, scope) for key, value in dict_fields(node).items()}
        return {}
