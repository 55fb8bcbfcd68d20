# SPDX-License-Identifier: MIT
"""What every SDK module provides: the objects it constructs and the calls made on them.

An `SdkObject` (see `objects`) is a value analysis has traced to an SDK constructor (a
client, a chat session, a LangChain chat model, a pydantic-ai agent); a `CallSite` is a
call on one, with helpers that read its arguments. Each provider module subclasses
`Provider`: it lists constructors and module-level functions by qualified name, says which
attribute paths on its objects are LLM calls (`api_for`) or produce other objects
(`derive`), and normalizes a call into an `LLMCall` (`build`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from promptlint.analysis.messages import MessageReader, Messages
from promptlint.analysis.objects import SdkObject, call_arguments
from promptlint.analysis.prompts import UNKNOWN, Prompts
from promptlint.analysis.scope import Scope, lookup
from promptlint.index import values as v
from promptlint.analysis.results import Argument, CallContext, LLMCall, PromptText
from promptlint.types import Position, Span

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
    if lowered.startswith(("gpt-", "gpt4", "o1", "o3", "o4", "chatgpt", "text-davinci", "davinci", "babbage")):
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


def to_span(loc: v.Loc) -> Span:
    return Span(Position(loc[0], loc[1]), Position(loc[2], loc[3]))


@dataclass
class CallSite:
    """A call on an SDK object (or an SDK function), with readers for its arguments.

    `report_filename`/`report_loc` are where the call is reported: the SDK call itself, or
    for a call made through a project wrapper, the wrapper's caller (whose arguments flow
    into this call through the bound parameters of `scope`).
    """

    call: v.Call
    scope: Scope
    prompts: Prompts
    reader: MessageReader
    api: str
    obj: SdkObject | None
    context: CallContext
    report_filename: str
    report_loc: v.Loc
    via: str | None = None
    related: tuple[tuple[str, Span], ...] = ()
    partial: tuple[v.Call, Scope] | None = None  # `functools.partial(create, model=...)`
    arguments_here: dict[str, tuple[v.Value, Scope]] = field(init=False)
    # The call spreads a `**mapping` with keys that cannot all be read (`create(**params)`).
    spreads_unread: bool = field(init=False)

    def __post_init__(self) -> None:
        arguments: dict[str, tuple[v.Value, Scope]] = {}
        if self.partial is not None:
            bound, bound_scope = self.partial
            arguments.update({k: x for k, x in expand_arguments(bound, bound_scope)[0].items() if not k.startswith("#")})
            positional = [a for a in bound.args[1:] if not isinstance(a, v.Star)]
            for index, argument in enumerate(positional):
                arguments[f"#{index}"] = (argument, bound_scope)
        here, complete = expand_arguments(self.call, self.scope)
        arguments.update(here)
        self.arguments_here = arguments
        self.spreads_unread = not complete

    @property
    def module(self):
        return self.scope.module

    def argument(self, *names: str) -> tuple[v.Value, Scope] | None:
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
        value = self.prompts.literal(*found)
        return default if value is UNKNOWN else value

    def has(self, *names: str) -> bool:
        return self.argument(*names) is not None

    def given_as_literal(self, *names: str) -> bool:
        """Whether one of `names` is given with a value known statically."""
        found = self.argument(*names)
        return found is not None and self.prompts.literal(*found) is not UNKNOWN

    def prompt(self, *names: str) -> PromptText | None:
        found = self.argument(*names)
        return None if found is None else self.prompts.resolve(*found)

    def messages(self, *names: str) -> Messages | None:
        found = self.argument(*names)
        return None if found is None else self.reader.messages(*found)

    def model(self, *names: str, built_with: tuple[str, ...] = ()) -> tuple[str | None, Argument | None]:
        """The model id (None when dynamic) and the argument it is written in.

        `names` are read at the call, else where the object was built; `built_with` names
        only where it was built: a method call's own first positional is its input
        (`agent.run_sync(prompt)`, `llm.invoke(text)`), the constructor's is the model
        (`Agent("openai:gpt-5.5")`, `init_chat_model("openai:gpt-5.5")`).
        """
        names = names or ("model",)
        found = self.argument(*names)
        name = next((n for n in names if n in self.arguments_here), names[0])
        if found is None and self.obj is not None:
            name = next((n for n in built_with if n in self.obj.settings), "")
            found = self.obj.settings.get(name) if name else None
            if found is None:
                name = next((n for n in names if n in self.obj.settings), names[0])
        if found is None:
            return None, None
        value = self.prompts.literal(*found)
        if value is UNKNOWN:
            found = self.default_of(*found) or found
            value = self.prompts.literal(*found)
        model = bare_model_id(value) if isinstance(value, str) else None
        return model, self.model_argument(name, *found)

    def default_of(self, value: v.Value, scope: Scope) -> tuple[v.Value, Scope] | None:
        """A parameter's default when nothing is known to be passed for it
        (`def ask(prompt, model="gpt-4o")`: the model the function uses unless told)."""
        if not isinstance(value, v.Ref) or scope.function is None or value.name in scope.arguments:
            return None
        if any(b.kind != "param" for b in scope.function.bindings.get(value.name, ())):
            return None
        param = scope.function.param(value.name)
        return (param.default, Scope(scope.module)) if param is not None and param.default is not None else None

    def model_argument(self, name: str, value: v.Value, scope: Scope) -> Argument | None:
        """Where the model id is written, when in the reported file: at the call, where the
        client or model was built, or the literal a name or a parameter's default holds
        (one place per literal however many calls use it). For a call through a wrapper,
        only a model its caller passes counts: one inside the wrapper is judged there."""
        while isinstance(value, v.Ref) and value.name in scope.arguments:
            value, scope = scope.arguments[value.name]
        if self.via is not None and not _within(value.loc, self.report_loc):
            return None
        if isinstance(value, v.Ref):
            followed, followed_scope = self.prompts.follow(value, scope)
            if isinstance(followed, v.Str):
                value, scope = followed, followed_scope
        if value.loc == v.NO_LOC or scope.module.path != self.report_filename:
            return None
        return self.make_argument(name, value, scope)

    def make_argument(self, name: str, value: v.Value, scope: Scope) -> Argument:
        literal = self.prompts.literal(value, scope) if isinstance(value, (v.Str, v.Num, v.Const, v.Ref, v.Add)) else UNKNOWN
        if literal is UNKNOWN or (not isinstance(literal, (str, int, float, bool)) and literal is not None):
            literal = None
        return Argument(
            name=name,
            span=to_span(value.loc),
            source=self.prompts.source(value, scope),
            literal=literal,
            is_literal=isinstance(value, (v.Str, v.Num)) or (isinstance(value, v.Const) and value.value in (True, False, None)),
            filename=scope.module.path,
        )

    def all_arguments(self) -> tuple[Argument, ...]:
        """The call's arguments as written (at the SDK call)."""
        arguments = []
        position = 0
        for argument in self.call.args:
            if isinstance(argument, v.Star):
                arguments.append(self.make_argument("*", argument.value, self.scope))
                continue
            arguments.append(self.make_argument(f"#{position}", argument, self.scope))
            position += 1
        for keyword, value in self.call.keywords:
            arguments.append(self.make_argument(keyword or "**", value, self.scope))
        return tuple(arguments)

    def insertion_point(self) -> tuple[Position, bool]:
        """Where a new keyword argument goes, and whether it needs a leading comma."""
        last = None
        for value in (*self.call.args, *(value for _, value in self.call.keywords)):
            if last is None or value.loc[2:] > last[2:]:
                last = value.loc
        if last is not None:
            return Position(last[2], last[3]), True
        end = self.call.loc
        return Position(end[2], end[3] - 1), False  # just inside the closing parenthesis

    def llm_call(self, **fields) -> LLMCall:
        """An LLMCall with what every call site shares already filled in."""
        direct = self.via is None
        insert_at, needs_comma = self.insertion_point() if direct else (None, True)
        stream_dynamic = fields.pop("stream_dynamic", None)
        if stream_dynamic is None:
            stream_dynamic = self.stream_is_dynamic()
        return LLMCall(
            filename=self.report_filename,
            span=to_span(self.report_loc),
            api=self.api,
            client=self.obj.qualname if self.obj is not None else None,
            arguments=self.all_arguments() if direct else (),
            insert_at=insert_at,
            needs_comma=needs_comma,
            context=self.context,
            via=self.via,
            related=self.related,
            stream_dynamic=stream_dynamic,
            **fields,
        )

    def stream_is_dynamic(self) -> bool:
        """Whether the call may stream, decided at run time: `stream=` set to a value known
        only then, or not given but maybe inside a `**mapping` whose keys cannot all be read
        (`create(**request.params)`)."""
        found = self.argument("stream", "streaming")
        if found is None:
            return self.spreads_unread
        return self.prompts.literal(*found) is UNKNOWN


def _within(inner: v.Loc, outer: v.Loc) -> bool:
    return outer[:2] <= inner[:2] and inner[2:] <= outer[2:]


def expand_arguments(call: v.Call, scope: Scope) -> tuple[dict[str, tuple[v.Value, Scope]], bool]:
    """`call_arguments` plus the entries of `**mapping` arguments that can be read: a dict
    display the name holds, with the `name["key"] = value` assignments made after it; and
    whether those entries are all the mappings hold (False: a key may be set unseen)."""
    found = call_arguments(call, scope)
    complete = True
    for keyword, value in call.keywords:
        if keyword is None:
            entries, whole = mapping_entries(value, scope)
            complete = complete and whole
            for key, entry in entries.items():
                found.setdefault(key, entry)
    return found, complete


def mapping_entries(value: v.Value, scope: Scope, depth: int = 0) -> tuple[dict[str, tuple[v.Value, Scope]], bool]:
    """The entries of a `**mapping` argument that can be read, and whether they are all it
    holds: a dict display or `dict(...)` with literal keys, or a name assigned one whose
    `name["key"] = ...` items after it have literal keys too."""
    if depth > 8:
        return {}, False
    entries: dict[str, tuple[v.Value, Scope]] = {}
    complete = True
    if isinstance(value, v.Ref) and value.name not in scope.arguments:
        found = lookup(value.name, scope)
        if found is None or found.where not in ("local", "module"):
            return {}, False
        base_scope = found.scope or scope
        start = max((i for i, b in enumerate(found.bindings) if b.kind == "assign"), default=None)
        if start is None:
            return {}, False
        for binding in found.bindings[start:]:
            here = base_scope.at(binding.line)
            if binding.kind == "assign" and binding.value is not None:
                inner, whole = mapping_entries(binding.value, here, depth + 1)
                entries.update(inner)
                complete = complete and whole
            elif binding.kind == "item" and isinstance(binding.key, v.Str) and binding.value is not None:
                entries[binding.key.value] = (binding.value, here)
            else:
                complete = False
        return entries, complete
    if isinstance(value, v.Ref):
        bound, caller = scope.arguments[value.name]
        return mapping_entries(bound, caller, depth + 1)
    if isinstance(value, v.Dict):
        for key, item in zip(value.keys, value.values):
            if key is None:
                inner, whole = mapping_entries(item, scope, depth + 1)
                entries.update(inner)
                complete = complete and whole
            elif isinstance(key, v.Str):
                entries[key.value] = (item, scope)
            else:
                complete = False
        return entries, complete
    if isinstance(value, v.Call) and v.dotted(value.func) == "dict":
        for keyword, item in value.keywords:
            if keyword is not None:
                entries[keyword] = (item, scope)
            else:
                inner, whole = mapping_entries(item, scope, depth + 1)
                entries.update(inner)
                complete = complete and whole
        return entries, complete and not value.args
    return entries, False


class Provider:
    """An SDK: its constructors, module-level call functions, and how its calls read."""

    sdk: ClassVar[str]
    # qualified constructor -> (object kind, is async)
    constructors: ClassVar[dict[str, tuple[str, bool]]] = {}
    # qualified module-level function -> api name (litellm.completion, ...)
    functions: ClassVar[dict[str, str]] = {}
    # method names that can end an LLM call on this SDK's objects (a cheap first filter)
    methods: ClassVar[frozenset[str]] = frozenset()
    # top-level modules that are this SDK's (the prefilter and `Registry.knows` use them)
    modules: ClassVar[tuple[str, ...]] = ()

    def api_for(self, obj: SdkObject, path: tuple[str, ...]) -> str | None:
        """The api name when `obj.<path>(...)` is an LLM call, else None."""
        raise NotImplementedError

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: v.Call, scope: Scope) -> SdkObject | None:
        """An object produced by a call on `obj` (a chat session, a structured model ...)."""
        return None

    def build(self, site: CallSite) -> LLMCall | None:
        raise NotImplementedError


TRANSPARENT = ("with_raw_response", "with_streaming_response")


class GeneratedClientProvider(Provider):
    """The OpenAI and Anthropic SDKs share one generated shape: resource paths ending in a
    method (`client.chat.completions.create`), `with_raw_response` views that make the same
    call, `with_options`/`copy` copies of a client, and instructor patches that add `create*`."""

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

    def derive(self, obj: SdkObject, path: tuple[str, ...], call: v.Call, scope: Scope) -> SdkObject | None:
        if path in (("with_options",), ("copy",)):
            return replace(obj, path=())
        return None
