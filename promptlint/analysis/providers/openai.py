# SPDX-License-Identifier: MIT
"""The `openai` SDK: OpenAI/AzureOpenAI clients, Chat Completions, Responses, legacy
Completions, Assistants runs and Batches (provider-facts.md §6). OpenAI-compatible clients
of other vendors (`OpenAI(base_url=...)`) are the same SDK."""

from __future__ import annotations

from promptlint.analysis.providers.base import CallSite, GeneratedClientProvider
from promptlint.analysis.providers.common import (
    is_true,
    leading_system,
    max_tokens,
    output_modalities,
    structured,
    tool_choice_forced,
)
from promptlint.analysis.results import LLMCall, Message

CHAT = ("chat", "completions")
RUNS = ("beta", "threads", "runs")
ASSISTANT_PATHS = {
    RUNS + ("create",),
    RUNS + ("create_and_poll",),
    RUNS + ("create_and_stream",),
    RUNS + ("stream",),
    ("beta", "threads", "create_and_run"),
    ("beta", "threads", "create_and_run_poll"),
    ("beta", "threads", "create_and_run_stream"),
}
CALL_PATHS = {
    CHAT + ("create",),
    CHAT + ("parse",),
    CHAT + ("stream",),
    ("responses", "create"),
    ("responses", "parse"),
    ("responses", "stream"),
    ("responses", "compact"),  # a model call that summarizes a conversation
    ("completions", "create"),
    ("batches", "create"),
}
BETA_PATHS = {("beta",) + path for path in CALL_PATHS if path[0] in ("chat", "responses")}
# instructor-patched clients add these on top of the SDK's own surface
INSTRUCTOR_METHODS = ("create", "create_partial", "create_iterable", "create_with_completion")
INSTRUCTOR_PATHS = {(m,) for m in INSTRUCTOR_METHODS} | {CHAT + (m,) for m in INSTRUCTOR_METHODS}
STREAMING_ENDINGS = (".stream", "create_partial", "create_iterable", "create_and_stream", "create_and_run_stream")


class OpenAIProvider(GeneratedClientProvider):
    sdk = "openai"
    modules = ("openai",)
    call_paths = frozenset(CALL_PATHS | BETA_PATHS | ASSISTANT_PATHS)
    instructor_paths = frozenset(INSTRUCTOR_PATHS)
    instructor_api = "openai.chat.completions."
    constructors = {
        "openai.OpenAI": ("client", False),
        "openai.AsyncOpenAI": ("client", True),
        "openai.AzureOpenAI": ("client", False),
        "openai.AsyncAzureOpenAI": ("client", True),
        "openai.Client": ("client", False),
        "openai.AsyncClient": ("client", True),
    }
    # The module-level default client: `openai.chat.completions.create(...)`.
    functions = {f"openai.{'.'.join(path)}": f"openai.{'.'.join(path)}" for path in CALL_PATHS | BETA_PATHS}
    methods = frozenset({"create", "parse", "stream", "create_and_poll", "create_and_stream", "create_and_run", "create_and_run_poll", "create_and_run_stream", *INSTRUCTOR_METHODS})
    # Resource classes a value may be annotated with: the client path they stand for.
    resources = {
        "openai.resources.chat.Completions": CHAT,
        "openai.resources.chat.AsyncCompletions": CHAT,
        "openai.resources.chat.completions.Completions": CHAT,
        "openai.resources.chat.completions.AsyncCompletions": CHAT,
        "openai.resources.Responses": ("responses",),
        "openai.resources.AsyncResponses": ("responses",),
    }

    def build(self, site: CallSite) -> LLMCall | None:
        api = site.api
        model, model_argument = site.model()
        fields: dict = {}
        messages: list[Message] = []
        resolved = True
        if api.endswith("batches.create"):
            return site.llm_call(provider=self.sdk, model=None, model_provider="openai", messages_resolved=False)
        if ".threads." in api:
            instructions = site.prompt("instructions")
            extra = site.prompt("additional_instructions")
            system = instructions if extra is None else (extra if instructions is None else instructions + extra)
            return site.llm_call(
                provider=self.sdk,
                model=model,
                model_provider="openai",
                model_argument=model_argument,
                stream=api.endswith(STREAMING_ENDINGS) or is_true(site, "stream"),
                system=system,
                messages_resolved=False,
                structured=structured(site, "response_format"),
            )
        if ".responses." in api:
            found = site.messages("input")
            prompt = None
            if found is None or not found.messages or not found.resolved and not any(m.role for m in found.messages):
                prompt = site.prompt("input")
            if prompt is not None:
                messages = [Message("user", prompt)]
            elif found is not None:
                messages, resolved = found.messages, found.resolved
            else:
                resolved = False
            instructions = site.prompt("instructions")
            system = instructions if instructions is not None else leading_system(messages)
            fields["system_in_messages"] = instructions is None
            fields["max_tokens"] = max_tokens(site, "max_output_tokens")
            fields["structured"] = api.endswith(".parse") or structured(site, "text_format") or _json_text(site)
        elif api.endswith("completions.create") and ".chat." not in api and "instructor" not in api:
            prompt = site.prompt("prompt")
            messages = [Message("user", prompt)] if prompt is not None else []
            resolved = prompt is not None
            system = None
            fields["max_tokens"] = max_tokens(site, "max_tokens")
            fields["structured"] = False
        else:
            found = site.messages("messages")
            if found is not None:
                messages, resolved = found.messages, found.resolved
            else:
                resolved = False
            system = leading_system(messages)
            fields["system_in_messages"] = True
            fields["max_tokens"] = max_tokens(site, "max_completion_tokens", "max_tokens")
            fields["structured"] = (
                api.endswith(".parse")
                or structured(site, "response_format", "response_model")
                or tool_choice_forced(site)
            )
        tools = site.argument("tools")
        tools_text, tools_marked = (None, False) if tools is None else site.reader.tools(*tools)
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider="openai",
            model_argument=model_argument,
            stream=api.endswith(STREAMING_ENDINGS) or is_true(site, "stream"),
            system=system,
            messages=tuple(messages),
            messages_resolved=resolved,
            tools=tools_text,
            tools_cache_marked=tools_marked,
            cache_marked=tools_marked or any(m.cache_marked for m in messages),
            output_modalities=output_modalities(site, "modalities"),
            **fields,
        )


def _json_text(site: CallSite) -> bool:
    """Responses `text={"format": {"type": "json_schema", ...}}`: structured output."""
    value = site.literal("text")
    return isinstance(value, dict) and isinstance(value.get("format"), dict) and value["format"].get("type") != "text"
