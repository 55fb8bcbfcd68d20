# SPDX-License-Identifier: MIT
"""LangChain chat models: `ChatOpenAI`, `ChatAnthropic`, `ChatGoogleGenerativeAI`, ...,
`init_chat_model("openai:gpt-5.5")`, and `invoke/ainvoke/stream/astream/batch/generate`
on them, also after `.with_structured_output(...)`, `.bind_tools(...)` and the like.

`ChatOpenAI()` without a model uses the package default, `gpt-3.5-turbo` in
langchain-openai 1.7.4 (provider-facts.md §6), which is what the call really sends.
"""

from __future__ import annotations

from dataclasses import replace

from promptlint.analysis.objects import SdkObject, call_arguments
from promptlint.analysis.providers.base import CallSite, Provider, vendor_of_model
from promptlint.analysis.providers.common import leading_system, max_tokens
from promptlint.analysis.scope import Scope
from promptlint.index import values as v
from promptlint.analysis.results import LLMCall, Message

CLASSES = {
    "ChatOpenAI": "openai",
    "AzureChatOpenAI": "openai",
    "ChatAnthropic": "anthropic",
    "ChatAnthropicVertex": "anthropic",
    "ChatBedrock": "anthropic",
    "ChatBedrockConverse": "anthropic",
    "ChatGoogleGenerativeAI": "google",
    "ChatVertexAI": "google",
    "ChatLiteLLM": None,
}
MODULES = (
    "langchain_openai",
    "langchain_openai.chat_models",
    "langchain_anthropic",
    "langchain_anthropic.chat_models",
    "langchain_google_genai",
    "langchain_google_vertexai",
    "langchain_aws",
    "langchain_community.chat_models",
    "langchain_litellm",
    "langchain.chat_models",
)
DEFAULT_MODELS = {"ChatOpenAI": "gpt-3.5-turbo"}
CALL_METHODS = ("invoke", "ainvoke", "stream", "astream", "astream_events", "batch", "abatch", "generate", "agenerate", "generate_prompt", "agenerate_prompt")
STREAM_METHODS = ("stream", "astream", "astream_events")
SAME_MODEL = ("bind_tools", "bind", "with_config", "with_retry", "with_fallbacks", "configurable_fields")


class LangChainProvider(Provider):
    sdk = "langchain"
    modules = ("langchain", "langchain_core", "langchain_openai", "langchain_anthropic", "langchain_google_genai", "langchain_google_vertexai", "langchain_aws", "langchain_community", "langchain_litellm")
    constructors = {f"{module}.{name}": ("chat_model", False) for module in MODULES for name in CLASSES}
    methods = frozenset(CALL_METHODS)
    # Base classes a value may be annotated with (`llm: BaseChatModel`): a chat model.
    resources = {
        f"{module}.{name}": ()
        for module in ("langchain_core.language_models", "langchain_core.language_models.chat_models", "langchain_core.language_models.base", "langchain.chat_models.base", "langchain.schema.language_model", "langchain_core.language_models.llms")
        for name in ("BaseChatModel", "BaseLanguageModel", "BaseLLM")
    }

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        if obj.kind == "chat_model" and len(path) == 1 and path[0] in CALL_METHODS:
            return f"langchain.{obj.qualname.rsplit('.', 1)[-1]}.{path[0]}"
        return None

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: v.Call, scope: Scope) -> SdkObject | None:
        if path == ("with_structured_output",):
            return replace(obj, structured=True, path=())
        if len(path) == 1 and path[0] in SAME_MODEL:
            return replace(obj, path=())
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        assert site.obj is not None
        class_name = site.obj.qualname.rsplit(".", 1)[-1]
        method = site.api.rsplit(".", 1)[-1]
        model, model_argument = site.model("model", "model_name", built_with=("#0",))
        if model is None and not site.has("model", "model_name") and "#0" not in site.obj.settings:
            model = DEFAULT_MODELS.get(class_name)
        vendor = CLASSES.get(class_name)
        explicit = site.literal("model_provider")
        if isinstance(explicit, str):
            vendor = vendor_of_model(f"{explicit}:x", None)
        vendor = vendor_of_model(model, vendor)
        messages: list[Message] = []
        resolved = True
        found_input = site.arguments_here.get("input") or site.arguments_here.get("messages") or site.arguments_here.get("#0")
        if site.obj.templated:  # `(prompt | llm).invoke({"q": q})`: the template's variables
            found = site.reader.piped_template(site.obj.template, found_input) if site.obj.template is not None else None
            if found is not None:
                messages, resolved = found.messages, found.resolved
            else:
                resolved = False
        elif found_input is not None and method not in ("batch", "abatch", "generate", "agenerate", "generate_prompt", "agenerate_prompt"):
            node, scope = site.prompts.follow(*found_input)
            found = site.reader.messages(node, scope)
            if found.messages:
                messages, resolved = found.messages, found.resolved
            else:
                messages = [Message("user", site.prompts.resolve(node, scope))]
        else:
            resolved = False
        return site.llm_call(
            provider=self.sdk,
            model=model,
            model_provider=vendor,
            model_argument=model_argument,
            stream=method in STREAM_METHODS or site.literal("streaming") is True,
            stream_dynamic=site.stream_is_dynamic() and method not in STREAM_METHODS,
            structured=site.obj.structured,
            system=leading_system(messages),
            system_in_messages=True,
            messages=tuple(messages),
            messages_resolved=resolved,
            max_tokens=max_tokens(site, "max_tokens", "max_completion_tokens", "max_tokens_to_sample"),
            cache_control=site.has("cache_control"),
            cache_marked=any(m.cache_marked for m in messages),
        )


def init_chat_model(objects, call: v.Call, scope: Scope, depth: int) -> SdkObject:
    """`init_chat_model("openai:gpt-5.5", ...)`: a chat model whose class the id names."""
    return SdkObject("langchain", "chat_model", "langchain.chat_models.init_chat_model", settings=call_arguments(call, scope))


FACTORIES = {
    "langchain.chat_models.init_chat_model": init_chat_model,
    "langchain.chat_models.base.init_chat_model": init_chat_model,
}
