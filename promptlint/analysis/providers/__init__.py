# SPDX-License-Identifier: MIT
"""The SDKs promptlint understands, gathered into one lookup table for the call finder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from promptlint.analysis.providers import instructor, langchain
from promptlint.analysis.providers.anthropic import AnthropicProvider
from promptlint.analysis.providers.base import Provider
from promptlint.analysis.providers.google import GoogleProvider
from promptlint.analysis.providers.langchain import LangChainProvider
from promptlint.analysis.providers.litellm import LiteLLMProvider
from promptlint.analysis.providers.openai import OpenAIProvider
from promptlint.analysis.providers.pydantic_ai import PydanticAIProvider

PROVIDERS: tuple[Provider, ...] = (
    OpenAIProvider(),
    AnthropicProvider(),
    LiteLLMProvider(),
    GoogleProvider(),
    LangChainProvider(),
    PydanticAIProvider(),
)


@dataclass(frozen=True)
class Registry:
    by_sdk: dict[str, Provider]
    constructors: dict[str, tuple[Provider, str, bool]]  # qualname -> (provider, kind, async)
    functions: dict[str, tuple[Provider, str]]  # qualname -> (provider, api)
    factories: dict[str, Callable]  # qualname -> builds an SdkObject from a call
    methods: frozenset[str]  # every name that can end an LLM call (the cheap first filter)


def build_registry(providers: tuple[Provider, ...] = PROVIDERS) -> Registry:
    constructors = {}
    functions = {}
    methods: set[str] = set()
    for provider in providers:
        for name, (kind, is_async) in provider.constructors.items():
            constructors[name] = (provider, kind, is_async)
        for name, api in provider.functions.items():
            functions[name] = (provider, api)
            methods.add(name.rsplit(".", 1)[-1])
        methods |= provider.methods
    return Registry(
        by_sdk={provider.sdk: provider for provider in providers},
        constructors=constructors,
        functions=functions,
        factories={**instructor.FACTORIES, **langchain.FACTORIES},
        methods=frozenset(methods),
    )


REGISTRY = build_registry()
