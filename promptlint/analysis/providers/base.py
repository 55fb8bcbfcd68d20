# SPDX-License-Identifier: MIT
"""What every SDK module provides: the objects it constructs and the calls made on them.

An `SdkObject` is a value analysis has traced to an SDK constructor (a client, a chat
session, a LangChain chat model, a pydantic-ai agent); a `CallSite` is a call on one,
with helpers that read its arguments. Each provider module subclasses `Provider`: it
lists constructors and module-level functions by qualified name, says which attribute
paths on its objects are LLM calls (`api_for`), and normalizes a call into an `LLMCall`
(`build`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import libcst as cst

from promptlint.analysis.messages import MessageReader, Messages
from promptlint.analysis.prompts import Resolver
from promptlint.analysis.scope import Scope
from promptlint.types import Argument, CallContext, LLMCall, Position, PromptText

# The SDK whose models a model-id prefix names (LiteLLM "anthropic/...", pydantic-ai "openai:...").
VENDOR_PREFIXES = {
    "openai": "openai",
    "azure": "openai",
    "azure_ai": "openai",
    "anthropic": "anthropic",
    "bedrock": "anthropic",
    "vertex_ai": "google",
    "gemini": "google",
    "google": "google",
    "google-gla": "google",
    "google-vertex": "google",
    "google_genai": "google",
    "google_vertexai": "google",
}


def vendor_of_model(model: str | None, default: str | None) -> str | None:
    """Whose model an id names: by an explicit `vendor/` or `vendor:` prefix, else by family."""
    if model is None:
        return default
    for separator in ("/", ":"):
        if separator in model:
            prefix = model.split(separator, 1)[0].lower()
            if prefix in VENDOR_PREFIXES:
                if prefix == "bedrock" and "claude" not in model:
                    return default
                return VENDOR_PREFIXES[prefix]
    lowered = model.lower()
    if "claude" in lowered:
        return "anthropic"
    if lowered.startswith(("gpt-", "gpt4", "o1", "o3", "o4", "chatgpt", "text-davinci")):
        return "openai"
    if lowered.startswith("gemini"):
        return "google"
    return default


def bare_model_id(model: str | None) -> str | None:
    """The model id without a routing prefix (`anthropic/claude-x` -> `claude-x`)."""
    if model is None:
        return None
    for separator in ("/", ":"):
        if separator in model:
            prefix, rest = model.split(separator, 1)
            if prefix.lower() in VENDOR_PREFIXES:
                return rest
    return model


@dataclass
class SdkObject:
    """A value traced to an SDK constructor, with the keyword arguments it was built with."""

    provider: str  # the Provider.sdk handling calls on it
    kind: str  # "client", "chat", "chat_model", "agent", "router"
    qualname: str  # constructor, e.g. "openai.AsyncOpenAI"
    is_async: bool = False
    patched: str | None = None  # "instructor" for instructor-patched clients
    structured: bool = False  # LangChain with_structured_output
    settings: dict[str, tuple[cst.BaseExpression, Scope]] = field(default_factory=dict)

    def with_settings(self, call: cst.Call, scope: Scope, **changes) -> SdkObject:
        settings = dict(self.settings)
        settings.update(call_arguments(call, scope))
        return replace(self, settings=settings, **changes)


def call_arguments(call: cst.Call, scope: Scope) -> dict[str, tuple[cst.BaseExpression, Scope]]:
    """Keyword arguments by name and positionals as `#0`, `#1`, with the scope to read them in."""
    found: dict[str, tuple[cst.BaseExpression, Scope]] = {}
    position = 0
    for argument in call.args:
        if argument.keyword is not None:
            found[argument.keyword.value] = (argument.value, scope)
        elif not argument.star:
            found[f"#{position}"] = (argument.value, scope)
            position += 1
    return found


@dataclass
class CallSite:
    """A call on an SDK object (or an SDK function), with readers for its arguments."""

    call: cst.Call
    scope: Scope
    resolver: Resolver
    reader: MessageReader
    api: str
    obj: SdkObject | None
    context: CallContext
    arguments_here: dict[str, tuple[cst.BaseExpression, Scope]] = field(init=False)

    def __post_init__(self) -> None:
        self.arguments_here = call_arguments(self.call, self.scope)

    @property
    def module(self):
        return self.scope.module

    def argument(self, *names: str) -> tuple[cst.BaseExpression, Scope] | None:
        """The first of `names` given at the call, else set when the object was built."""
        for name in names:
            if name in self.arguments_here:
                return self.arguments_here[name]
        if self.obj is not None:
            for name in names:
                if name in self.obj.settings:
                    return self.obj.settings[name]
        return None

    def literal(self, *names: str, default: object = None) -> object:
        found = self.argument(*names)
        if found is None:
            return default
        try:
            return self.resolver.literal(*found)
        except ValueError:
            return default

    def has(self, *names: str) -> bool:
        return self.argument(*names) is not None

    def prompt(self, *names: str) -> PromptText | None:
        found = self.argument(*names)
        return None if found is None else self.resolver.resolve(*found)

    def messages(self, *names: str) -> Messages | None:
        found = self.argument(*names)
        return None if found is None else self.reader.messages(*found)

    def model(self, *names: str, built_with: tuple[str, ...] = ()) -> tuple[str | None, Argument | None]:
        """The model id (None when dynamic) and the argument it is written in, if at this call.

        `names` are read at the call, else where the object was built; `built_with` names
        only where it was built: a method call's own first positional is its input
        (`agent.run_sync(prompt)`, `llm.invoke(text)`), the constructor's is the model
        (`Agent("openai:gpt-5.5")`, `init_chat_model("openai:gpt-5.5")`).
        """
        names = names or ("model",)
        found = self.argument(*names)
        if found is None and self.obj is not None:
            found = next((self.obj.settings[n] for n in built_with if n in self.obj.settings), None)
            names = (*names, *built_with)
        if found is None:
            return None, None
        node, scope = found
        try:
            value = self.resolver.literal(node, scope)
        except ValueError:
            value = None
        model = bare_model_id(value) if isinstance(value, str) else None
        argument = None
        if scope.module is self.module and node in self.module.positions:
            # Written in this file: at the call, or where the client or model was built.
            name = next(
                (n for n in names if found in (self.argument(n), self.obj and self.obj.settings.get(n))), names[0]
            )
            argument = self.make_argument(name, node)
        return model, argument

    def make_argument(self, name: str, node: cst.BaseExpression) -> Argument:
        try:
            value = self.resolver.literal(node, self.scope) if isinstance(
                node, (cst.SimpleString, cst.Integer, cst.Float, cst.Name, cst.ConcatenatedString)
            ) else None
            is_literal = isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)) or (
                isinstance(node, cst.Name) and node.value in ("True", "False", "None")
            )
        except ValueError:
            value, is_literal = None, False
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            value = None
        return Argument(
            name=name,
            span=self.module.span(node),
            source=self.module.code(node),
            literal=value,
            is_literal=is_literal,
        )

    def all_arguments(self) -> tuple[Argument, ...]:
        arguments = []
        position = 0
        for argument in self.call.args:
            if argument.keyword is not None:
                name = argument.keyword.value
            elif argument.star:
                name = argument.star
            else:
                name = f"#{position}"
                position += 1
            arguments.append(self.make_argument(name, argument.value))
        return tuple(arguments)

    def insertion_point(self) -> tuple[Position, bool]:
        """Where a new keyword argument goes, and whether it needs a leading comma."""
        if self.call.args:
            last = self.call.args[-1].value
            return self.module.span(last).end, True
        end = self.module.span(self.call).end  # just after the closing parenthesis
        return Position(end.row, end.column - 1), False

    def llm_call(self, **fields) -> LLMCall:
        """An LLMCall with what every call site shares already filled in."""
        insert_at, needs_comma = self.insertion_point()
        return LLMCall(
            filename=str(self.module.path),
            span=self.module.span(self.call),
            api=self.api,
            client=self.obj.qualname if self.obj is not None else None,
            arguments=self.all_arguments(),
            insert_at=insert_at,
            needs_comma=needs_comma,
            context=self.context,
            **fields,
        )


class Provider:
    """An SDK: its constructors, module-level call functions, and how its calls read."""

    sdk: ClassVar[str]
    # qualified constructor -> (object kind, is async)
    constructors: ClassVar[dict[str, tuple[str, bool]]] = {}
    # qualified module-level function -> api name (litellm.completion, ...)
    functions: ClassVar[dict[str, str]] = {}
    # method names that can end an LLM call on this SDK's objects (a cheap first filter)
    methods: ClassVar[frozenset[str]] = frozenset()

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        """The api name when `obj.<path>(...)` is an LLM call, else None."""
        raise NotImplementedError

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: cst.Call, scope: Scope) -> SdkObject | None:
        """An object produced by a call on `obj` (a chat session, a structured model ...)."""
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        raise NotImplementedError



TRANSPARENT = ("with_raw_response", "with_streaming_response")


class GeneratedClientProvider(Provider):
    """The OpenAI and Anthropic SDKs share one generated shape: resource paths ending in a
    method (`client.chat.completions.create`), `with_raw_response` views that make the same
    call, `with_options` copies of a client, and instructor patches that add `create*`."""

    call_paths: ClassVar[frozenset[tuple[str, ...]]]
    instructor_paths: ClassVar[frozenset[tuple[str, ...]]]
    instructor_api: ClassVar[str]  # api prefix of instructor's methods, e.g. "openai.chat.completions."

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        path = tuple(part for part in path if part not in TRANSPARENT)
        if path in self.call_paths:
            return f"{self.sdk}." + ".".join(path)
        if obj.patched == "instructor" and path in self.instructor_paths:
            return self.instructor_api + path[-1]
        return None

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: cst.Call, scope: Scope) -> SdkObject | None:
        return obj if path == ("with_options",) else None
