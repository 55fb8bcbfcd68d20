# SPDX-License-Identifier: MIT
"""The SDKs promptlint understands, gathered into one lookup table for analysis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from promptlint.analysis.objects import IMPORT_FUNCTIONS, PARTIAL, SdkObject, call_arguments
from promptlint.analysis.providers import instructor, langchain
from promptlint.analysis.providers.anthropic import AnthropicProvider
from promptlint.analysis.providers.base import Provider
from promptlint.analysis.providers.google import GoogleProvider
from promptlint.analysis.providers.langchain import LangChainProvider
from promptlint.analysis.providers.litellm import LiteLLMProvider
from promptlint.analysis.providers.openai import OpenAIProvider
from promptlint.analysis.providers.pydantic_ai import PydanticAIProvider
from promptlint.analysis.scope import Scope
from promptlint.index import values as v

PROVIDERS: tuple[Provider, ...] = (
    OpenAIProvider(),
    AnthropicProvider(),
    LiteLLMProvider(),
    GoogleProvider(),
    LangChainProvider(),
    PydanticAIProvider(),
)
# Standard-library names analysis treats like SDK names: they reach an SDK indirectly.
HELPERS = IMPORT_FUNCTIONS | PARTIAL


@dataclass(frozen=True)
class Registry:
    by_sdk: dict[str, Provider]
    constructors: dict[str, tuple[Provider, str, bool]]  # qualname -> (provider, kind, async)
    resources: dict[str, tuple[Provider, tuple[str, ...]]]  # resource class -> (provider, client path)
    functions: dict[str, tuple[Provider, str]]  # qualname -> (provider, api)
    factories: dict[str, Callable]  # qualname -> builds an SdkObject from a call
    methods: frozenset[str]  # every name that can end an LLM call (the cheap first filter)
    modules: tuple[str, ...]  # every SDK's top-level modules

    def knows(self, qualname: str) -> bool:
        """Whether a qualified name is an SDK's (or a helper that reaches one). Asked for
        nearly every name analysis meets, so each dotted prefix is looked up in a set."""
        if qualname in HELPERS:
            return True
        modules = self._module_set
        head = qualname
        while head not in modules:
            head, dot, _ = head.rpartition(".")
            if not dot:
                return False
        return True

    @cached_property
    def _module_set(self) -> frozenset[str]:
        return frozenset(self.modules)

    def instance_of(self, qualname: str) -> SdkObject | None:
        """The object a value annotated with an SDK class holds (`client: AsyncOpenAI`)."""
        if qualname in self.constructors:
            provider, kind, is_async = self.constructors[qualname]
            return SdkObject(provider.sdk, kind, qualname, is_async)
        if qualname in self.resources:
            provider, path = self.resources[qualname]
            kind = "chat_model" if provider.sdk == "langchain" else "client"
            return SdkObject(provider.sdk, kind, qualname, "Async" in qualname, path=path)
        return None

    def construct(self, objects, qualname: str, call: v.Call, scope: Scope, depth: int) -> SdkObject | None:
        """The object an SDK constructor or factory call returns."""
        if qualname in self.constructors:
            provider, kind, is_async = self.constructors[qualname]
            return SdkObject(provider.sdk, kind, qualname, is_async, settings=call_arguments(call, scope))
        factory = self.factories.get(qualname)
        if factory is not None:
            return factory(objects, call, scope, depth)
        return None

    def derive(self, obj: SdkObject, call: v.Call, scope: Scope) -> SdkObject | None:
        """The object a method call on an SDK object returns (a chat session, a copy ...)."""
        return self.by_sdk[obj.provider].derive(obj, obj.path, call, scope)

    def api_for(self, obj: SdkObject) -> str | None:
        """The api when calling `obj` (an object with a method path) is an LLM call."""
        return self.by_sdk[obj.provider].api_for(obj, obj.path) if obj.path else None


def build_registry(providers: tuple[Provider, ...] = PROVIDERS) -> Registry:
    constructors = {}
    resources = {}
    functions = {}
    methods: set[str] = set()
    modules: list[str] = []
    for provider in providers:
        for name, (kind, is_async) in provider.constructors.items():
            constructors[name] = (provider, kind, is_async)
        for name, path in getattr(provider, "resources", {}).items():
            resources[name] = (provider, path)
        for name, api in provider.functions.items():
            functions[name] = (provider, api)
            methods.add(name.rsplit(".", 1)[-1])
        methods |= provider.methods
        modules.extend(provider.modules)
    modules.append("instructor")
    return Registry(
        by_sdk={provider.sdk: provider for provider in providers},
        constructors=constructors,
        resources=resources,
        functions=functions,
        factories={**instructor.FACTORIES, **langchain.FACTORIES},
        methods=frozenset(methods),
        modules=tuple(modules),
    )


REGISTRY = build_registry()
