# SPDX-License-Identifier: MIT
"""What a value is at run time, as far as LLM calls go: an SDK client, an SDK method, a
project class or function, or unknown.

`Objects.resolve` follows a value through everything production code does with a client:
constructor calls, `self.` attributes (set in `__init__` from a parameter, in a base class
in another module, or as `self._clients[key] = OpenAI()`), parameters typed `AsyncOpenAI |
None` / `Optional[...]` / `Union[...]` / `"AsyncOpenAI"`, `client or AsyncOpenAI()`,
factories, properties and cached properties that return a client, modules reached lazily
(`importlib.import_module("litellm")`, a function returning the imported module, a proxy
class whose `__getattr__` forwards to it), methods stored in variables or passed as
arguments, and `functools.partial`. Each SDK's own shapes (what its constructors are,
which attribute paths are calls) are the providers' knowledge (`providers/`).

Work is bounded: every resolution step is counted against the file's `Budget`, and a value
being resolved is marked so that a cycle (`a = a.with_options()`) ends in "unknown".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from promptlint.analysis.scope import ClassRef, Scope, decorator_names, lookup, qualify
from promptlint.index import values as v
from promptlint.index.lower import Lines, Lowerer
from promptlint.index.project import ProjectIndex, Symbol
from promptlint.index.summary import Binding, FunctionSummary, ModuleSummary

if TYPE_CHECKING:
    from promptlint.analysis.providers import Registry

MAX_DEPTH = 40
CLASS_HIERARCHY_DEPTH = 12
TRANSPARENT_DECORATORS = frozenset({"property", "cached_property", "lru_cache", "cache", "cached", "staticmethod", "classmethod", "abstractmethod", "override", "wraps"})
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
IMPORT_FUNCTIONS = frozenset({"importlib.import_module", "__import__", "builtins.__import__"})
PARTIAL = frozenset({"functools.partial"})


class BudgetExceeded(Exception):
    """Analysis of one file did more work than its budget allows."""


class CallBudgetExceeded(BudgetExceeded):
    """Following one call took more work than a call may: that call is given up."""


@dataclass
class Budget:
    """Steps of resolution (objects, prompt text, messages together) one call site and one
    file may take. Real code needs a few hundred per call; the limits stop inputs built to
    explode (a helper calling itself four times, a prompt repeated a million times)."""

    per_call: int = 50_000
    per_file: int = 2_000_000
    call_used: int = 0
    used: int = 0

    def start_call(self) -> None:
        self.call_used = 0

    def spend(self, amount: int = 1) -> None:
        self.used += amount
        self.call_used += amount
        if self.used > self.per_file:
            raise BudgetExceeded(f"analysis took more than {self.per_file:,} steps")
        if self.call_used > self.per_call:
            raise CallBudgetExceeded(f"a call took more than {self.per_call:,} steps")


# --------------------------------------------------------------------------- objects


@dataclass(slots=True, eq=False)
class SdkObject:
    """A value traced to an SDK constructor, with the keyword arguments it was built with."""

    provider: str  # the Provider.sdk handling calls on it
    kind: str  # "client", "chat", "chat_model", "agent", "router", "module"
    qualname: str  # its constructor, e.g. "openai.AsyncOpenAI"
    is_async: bool = False
    patched: str | None = None  # "instructor" for instructor-patched clients
    structured: bool = False  # LangChain with_structured_output
    # A LangChain model piped after a prompt template (`prompt | llm`): what `.invoke` is
    # given are the template's variables, not the messages. `template` is the step just
    # before the model, and whether it is the pipeline's first (then `.invoke`'s mapping
    # fills its placeholders; after other steps, what fills them is not known).
    templated: bool = False
    template: tuple[v.Value, Scope, bool] | None = None
    settings: dict[str, tuple[v.Value, Scope]] = field(default_factory=dict)
    path: tuple[str, ...] = ()  # a resource of the client: `client.chat.completions`


@dataclass(slots=True, eq=False)
class SdkName:
    """An SDK module, class or function by qualified name (`litellm`, `litellm.completion`)."""

    qualname: str


@dataclass(slots=True, eq=False)
class Partial:
    """`functools.partial(target, *args, **keywords)`."""

    target: object
    call: v.Call
    scope: Scope


@dataclass(slots=True, eq=False)
class ProjectFunction:
    """A function or method of the project, with what `self` is when it is a bound method."""

    module: ModuleSummary
    function: FunctionSummary
    self_type: ClassRef | None = None
    init: tuple[v.Call, Scope] | None = None

    @property
    def qualname(self) -> str:
        return f"{self.module.name}.{self.function.name}" if self.module.name else self.function.name


@dataclass(slots=True, eq=False)
class ProjectClass:
    ref: ClassRef


@dataclass(slots=True, eq=False)
class ProjectInstance:
    """An instance of a project class, with the constructor call that made it (if seen)."""

    ref: ClassRef
    init: tuple[v.Call, Scope] | None = None


@dataclass(slots=True, eq=False)
class ProjectModule:
    module: ModuleSummary


Obj = object  # one of the classes above


def call_arguments(call: v.Call, scope: Scope) -> dict[str, tuple[v.Value, Scope]]:
    """Keyword arguments by name and positionals as `#0`, `#1`, with the scope to read them in.
    (`**mapping` arguments are expanded by `Objects.arguments`, which can follow names.)"""
    found: dict[str, tuple[v.Value, Scope]] = {}
    position = 0
    for argument in call.args:
        if isinstance(argument, v.Star):
            break  # positions after a *spread are unknown
        found[f"#{position}"] = (argument, scope)
        position += 1
    for keyword, value in call.keywords:
        if keyword is not None:
            found[keyword] = (value, scope)
    return found


class Objects:
    """Resolves values to objects for one analysed file (memoized, budgeted, cycle-safe)."""

    def __init__(self, index: ProjectIndex, registry: Registry, budget: Budget) -> None:
        self.index = index
        self.registry = registry
        self.budget = budget
        self._memo: dict[tuple, Obj | None] = {}
        # What each memo key's ids name, kept alive as long as the memo: an id freed and
        # reused by another value or scope (a caller's bound arguments, a summary the index
        # let go) would find another's result.
        self._pinned: list[tuple[v.Value, Scope]] = []
        self._subclasses: dict[str, list[ClassRef]] | None = None

    # ------------------------------------------------------------------ entry point

    def resolve(self, value: v.Value | None, scope: Scope, depth: int = 0) -> Obj | None:
        if value is None or depth > MAX_DEPTH:
            return None
        key = (id(value), scope.key)
        if key in self._memo:
            return self._memo[key]
        self.budget.spend()
        self._pinned.append((value, scope))
        self._memo[key] = None  # a value met again while resolving it is a cycle: unknown
        found = self._resolve(value, scope, depth + 1)
        self._memo[key] = found
        return found

    def _resolve(self, value: v.Value, scope: Scope, depth: int) -> Obj | None:
        if isinstance(value, v.Await):
            return self.resolve(value.value, scope, depth)
        if isinstance(value, v.Ref):
            return self.name(value.name, scope, depth)
        if isinstance(value, v.Attr):
            return self.attribute(value, scope, depth)
        if isinstance(value, v.Call):
            return self.call_result(value, scope, depth)
        if isinstance(value, v.BoolOp):
            for item in value.items:
                found = self.resolve(item, scope, depth)
                if found is not None:
                    return found
            return None
        if isinstance(value, v.IfExp):
            return self.resolve(value.body, scope, depth) or self.resolve(value.orelse, scope, depth)
        if isinstance(value, v.Sub):
            return self.subscript(value, scope, depth)
        if isinstance(value, v.BinOp) and value.op == "|":
            return self.chain(value, scope, depth)
        return None

    # ------------------------------------------------------------------ names

    def name(self, name: str, scope: Scope, depth: int) -> Obj | None:
        if name in scope.arguments and (scope.function is None or not _assigned_locally(scope.function, name)):
            bound, caller = scope.arguments[name]
            return self.resolve(bound, caller, depth)
        found = lookup(name, scope)
        if found is None:
            return None
        if found.where == "import":
            return self.qualified(found.qualified or name, scope.module, depth)
        if found.where == "star":
            for star in scope.module.star_imports:
                symbol = self.index.lookup(f"{star}.{name}", scope.module)
                if symbol is not None and symbol.kind != "external":
                    return self.symbol(symbol, depth)
            return None
        if found.where == "local":
            narrowed = self.narrowed(name, found.bindings, found.scope or scope, depth)
            if narrowed is not None:
                return narrowed
        result = self.from_bindings(name, found.bindings, found.scope or scope, depth)
        if result is None and found.where == "module" and name in scope.module.imports:
            # `if TYPE_CHECKING: import litellm` / `else: litellm = None`, rebound lazily.
            return self.qualified(scope.module.imports[name], scope.module, depth)
        return result

    def narrowed(self, name: str, bindings: tuple[Binding, ...], scope: Scope, depth: int) -> Obj | None:
        """What an `assert isinstance(name, Class)` after the name's latest binding, and
        before the statement read, says it holds (None: no such assert, or an unknown class)."""
        entries = scope.function.narrowed.get(name) if scope.function is not None else None
        if not entries:
            return None
        bound = max(binding.line for binding in bindings)
        after = [(line, cls) for line, cls in entries if bound < line and (scope.line is None or line < scope.line)]
        if not after:
            return None
        line, cls = after[-1]
        return self.annotation(cls, scope.at(line), depth + 1)

    def from_bindings(self, name: str, bindings: tuple[Binding, ...], scope: Scope, depth: int) -> Obj | None:
        """The object a name holds: the latest binding that resolves (branches and
        fallbacks assign the same client several ways). A parameter the caller being
        followed passes comes first: `if not client: client = OpenAI()` only runs when
        it does not."""
        if bindings and bindings[0].kind == "param" and self.passed(name, scope):
            found = self.parameter(name, bindings[0], scope, depth)
            if found is not None:
                return found
        for binding in reversed(bindings):
            found = self.binding(name, binding, scope, depth)
            if found is not None:
                return found
        return None

    def binding(self, name: str, binding: Binding, scope: Scope, depth: int) -> Obj | None:
        kind = binding.kind
        if binding.within is not None and binding.within in scope.module.functions:
            scope = Scope(scope.module, scope.module.functions[binding.within])  # `global name` in a function
        here = scope.at(binding.line)
        if kind in ("assign", "with") and binding.value is not None:
            found = self.resolve(binding.value, here, depth)
            if found is None and binding.annotation is not None:
                found = self.annotation(binding.annotation, here, depth)
            return found
        if kind == "annotation" and binding.annotation is not None:
            return self.annotation(binding.annotation, here, depth)
        if kind == "param":
            return self.parameter(name, binding, scope, depth)
        if kind == "import" and isinstance(binding.value, v.Ref):
            return self.qualified(binding.value.name, scope.module, depth)
        if kind == "def" and isinstance(binding.value, v.Ref):
            function = scope.module.functions.get(binding.value.name)
            return ProjectFunction(scope.module, function) if function is not None else None
        if kind == "class" and isinstance(binding.value, v.Ref):
            cls = scope.module.classes.get(binding.value.name)
            return ProjectClass(ClassRef(scope.module, cls)) if cls is not None else None
        if kind == "for" and binding.value is not None:
            return self.element(binding.value, here, depth)
        if kind == "unpack" and binding.value is not None and isinstance(binding.key, v.Num):
            return self.unpacked(binding.value, int(binding.key.value), here, depth)
        return None

    def unpacked(self, value: v.Value, index: int, scope: Scope, depth: int) -> Obj | None:
        """Item `index` of what a value is: `a, b = make()` where `make` returns `(x, y)`."""
        if isinstance(value, v.Await):
            value = value.value
        if isinstance(value, v.Seq) and index < len(value.items):
            return self.resolve(value.items[index], scope, depth)
        if not isinstance(value, v.Call):
            return None
        callee = self.resolve(value.func, scope, depth)
        if not isinstance(callee, ProjectFunction):
            return None
        inner = self.bind_call(callee, value, scope)
        for returned, line in reversed(callee.function.returns):
            if isinstance(returned, v.Seq) and index < len(returned.items):
                found = self.resolve(returned.items[index], inner.at(line), depth)
                if found is not None:
                    return found
        return None

    def parameter(self, name: str, binding: Binding, scope: Scope, depth: int) -> Obj | None:
        """A parameter: bound by the caller being followed, else typed by its annotation,
        else its default (`client: AsyncOpenAI | None = None`, `llm=ChatOpenAI()`)."""
        if name in scope.arguments:
            bound, caller = scope.arguments[name]
            return self.resolve(bound, caller, depth)
        function = scope.function
        if function is not None and scope.init is not None and function.name.endswith(".__init__"):
            bound = _argument_for(function, name, scope.init[0], is_method=True)
            if bound is not None:
                return self.resolve(bound, scope.init[1], depth)
        if binding.annotation is not None:
            found = self.annotation(binding.annotation, Scope(scope.module, line=None), depth)
            if found is not None:
                return found
        param = function.param(name) if function is not None else None
        if param is not None and param.default is not None:
            found = self.resolve(param.default, Scope(scope.module), depth)
            if found is not None:
                return found
        return self.from_callers(name, function, scope, depth) if function is not None else None

    def from_callers(self, name: str, function: FunctionSummary, scope: Scope, depth: int) -> Obj | None:
        """An untyped parameter (`def run_loop(llm_with_tools, ...)`), from what the calls
        of the function in its own module pass for it: injected clients are most often
        passed in by a neighbour."""
        method = function.class_name is not None
        positional = [p.name for p in function.params if p.kind in ("posonly", "pos")]
        if method and positional:
            positional = positional[1:]
        index = positional.index(name) if name in positional else None
        simple = function.name.rsplit(".", 1)[-1]
        module = scope.module
        seen = 0
        for caller in (*module.functions.values(), *([module.toplevel] if module.toplevel else [])):
            for info in caller.calls:
                func = info.call.func
                if method:
                    matches = isinstance(func, v.Attr) and func.name == simple and isinstance(func.base, v.Ref) and func.base.name in ("self", "cls")
                else:
                    matches = isinstance(func, v.Ref) and func.name == simple
                if not matches:
                    continue
                argument = next((value for keyword, value in info.call.keywords if keyword == name), None)
                if argument is None and index is not None and index < len(info.call.args) and not any(isinstance(a, v.Star) for a in info.call.args[: index + 1]):
                    argument = info.call.args[index]
                if argument is None:
                    continue
                seen += 1
                caller_scope = Scope(module, None if caller is module.toplevel else caller, {}, scope.self_type, scope.init, info.call.loc[0])
                found = self.resolve(argument, caller_scope, depth)
                if found is not None:
                    return found
                if seen >= 8:
                    return None
        return None

    def passed(self, name: str, scope: Scope) -> bool:
        """Whether the call being followed passes parameter `name` explicitly."""
        if name in scope.arguments:
            return True
        function = scope.function
        if function is None or scope.init is None or not function.name.endswith(".__init__"):
            return False
        return _argument_for(function, name, scope.init[0], is_method=True) is not None

    def qualified(self, qualified: str, importer: ModuleSummary, depth: int) -> Obj | None:
        """A qualified name: an SDK's (by the providers' tables) or a project symbol's."""
        if self.registry.knows(qualified):
            return SdkName(qualified)
        symbol = self.index.lookup(qualified, importer)
        if symbol is None:
            return None
        if symbol.kind == "external":
            target = symbol.external or qualified
            return SdkName(target) if self.registry.knows(target) else None
        return self.symbol(symbol, depth)

    def symbol(self, symbol: Symbol, depth: int) -> Obj | None:
        module = symbol.module
        if module is None:
            return None
        if symbol.kind == "module":
            return ProjectModule(module)
        if symbol.kind == "function":
            function = module.functions[symbol.name]
            return ProjectFunction(module, function)
        if symbol.kind == "class":
            return ProjectClass(ClassRef(module, module.classes[symbol.name]))
        if symbol.kind == "binding":
            found = self.from_bindings(symbol.name, tuple(module.bindings[symbol.name]), Scope(module), depth)
            if found is None and symbol.name in module.imports:  # `try: from openai import OpenAI` / `except: OpenAI = None`
                return self.qualified(module.imports[symbol.name], module, depth)
            return found
        if symbol.kind == "attribute":
            class_name, attr = symbol.name.split(".", 1)
            cls = module.classes[class_name]
            return self.from_bindings(attr, tuple(cls.attributes[attr]), Scope(module), depth)
        return None

    # ------------------------------------------------------------------ annotations

    def annotation(self, annotation: v.Value, scope: Scope, depth: int) -> Obj | None:
        """The object an annotation promises: `AsyncOpenAI`, `Optional[AsyncOpenAI]`,
        `AsyncOpenAI | None`, `Union[OpenAI, AzureOpenAI]`, `"AsyncOpenAI"`."""
        if isinstance(annotation, v.Str):
            parsed = _parse_annotation(annotation.value)
            return self.annotation(parsed, scope, depth + 1) if parsed is not None and depth < MAX_DEPTH else None
        if isinstance(annotation, v.BinOp) and annotation.op == "|":
            return self.annotation(annotation.left, scope, depth + 1) or self.annotation(annotation.right, scope, depth + 1)
        if isinstance(annotation, v.Sub):
            head = v.dotted(annotation.base) or ""
            last = head.rsplit(".", 1)[-1]
            if last in ("Optional", "Union", "Annotated", "Final", "ClassVar"):
                index = annotation.index
                items = index.items if isinstance(index, v.Seq) else (index,)
                if last in ("Annotated", "Final", "ClassVar"):
                    items = items[:1]
                for item in items:
                    found = self.annotation(item, scope, depth + 1)
                    if found is not None:
                        return found
            return None
        dotted = v.dotted(annotation)
        if dotted is None:
            return None
        target = self.resolve(annotation, scope, depth)
        if isinstance(target, SdkName):
            return self.registry.instance_of(target.qualname)
        if isinstance(target, ProjectClass):
            return ProjectInstance(target.ref)
        return None

    # ------------------------------------------------------------------ attributes

    def attribute(self, value: v.Attr, scope: Scope, depth: int) -> Obj | None:
        base = value.base
        if isinstance(base, v.Ref) and base.name == scope.self_name and base.name not in scope.arguments:
            cls = scope.method_class()
            if cls is not None:
                return self.member(cls, value.name, depth, init=scope.init, reader=scope)
            return None
        owner = self.resolve(base, scope, depth)
        return self.member_of(owner, value.name, depth)

    def member_of(self, owner: Obj | None, name: str, depth: int) -> Obj | None:
        if owner is None:
            return None
        if isinstance(owner, SdkName):
            return SdkName(f"{owner.qualname}.{name}")
        if isinstance(owner, SdkObject):
            return replace(owner, path=(*owner.path, name))
        if isinstance(owner, ProjectModule):
            symbol = self.index.lookup(f"{owner.module.name}.{name}", owner.module) if owner.module.name else None
            if symbol is None:
                return None
            if symbol.kind == "external":
                return self.qualified(symbol.external or "", owner.module, depth)
            return self.symbol(symbol, depth)
        if isinstance(owner, ProjectClass):
            return self.member(owner.ref, name, depth, static=True)
        if isinstance(owner, ProjectInstance):
            return self.member(owner.ref, name, depth, init=owner.init)
        if isinstance(owner, Partial):
            return None
        return None

    def member(
        self,
        cls: ClassRef,
        name: str,
        depth: int,
        *,
        init: tuple[v.Call, Scope] | None = None,
        reader: Scope | None = None,
        static: bool = False,
    ) -> Obj | None:
        """`instance.name` / `self.name`: a self attribute, a class attribute, a property's
        value or a bound method, looked up through the class and its bases (in any module).
        A class whose `__getattr__` returns an attribute of a module proxies that module."""
        for ref in self.mro(cls):
            method = ref.module.functions.get(f"{ref.cls.name}.{name}")
            if method is not None:
                decorators = set(decorator_names(method))
                if decorators & PROPERTY_DECORATORS:
                    scope = Scope(ref.module, method, {}, cls, init)
                    return self.returned(method, scope, depth)
                return ProjectFunction(ref.module, method, None if static else cls, init)
            if not static and name in ref.cls.self_attributes:
                found = self.self_attribute(cls, ref, name, init, depth, reader)
                if found is not None:
                    return found
            if name in ref.cls.attributes:
                found = self.from_bindings(name, tuple(ref.cls.attributes[name]), Scope(ref.module), depth)
                if found is not None:
                    return found
        for ref in self.mro(cls):
            proxy = ref.module.functions.get(f"{ref.cls.name}.__getattr__")
            if proxy is not None:
                target = self.returned(proxy, Scope(ref.module, proxy, {}, cls, init), depth)
                if isinstance(target, SdkName):
                    return self.member_of(target, name, depth)
        return None

    def self_attribute(
        self, cls: ClassRef, ref: ClassRef, name: str, init: tuple[v.Call, Scope] | None, depth: int, reader: Scope | None = None
    ) -> Obj | None:
        """`self.name` as the class's methods assign it, latest first; read inside a method
        that assigns it, what that method assigned before the read comes first.
        `self._clients[k] = X` makes `self._clients` a mapping of such X: its subscripts
        resolve to X."""
        bindings = list(ref.cls.self_attributes[name])
        if reader is not None and reader.function is not None and reader.line is not None:
            own = [(m, b) for m, b in bindings if m == reader.function.name and b.line < reader.line]
            if own:
                bindings = [item for item in bindings if item not in own] + own
        for method_name, binding in reversed(bindings):
            method = ref.module.functions.get(method_name)
            scope = Scope(ref.module, method, {}, cls, init, binding.line)
            if binding.kind == "item":
                found = self.resolve(binding.value, scope, depth)
                if found is not None:
                    return _Mapping(found)
                continue
            found = self.binding(name, binding, scope, depth)
            if found is not None:
                return found
        return None

    def returned(self, function: FunctionSummary, scope: Scope, depth: int) -> Obj | None:
        """What a function returns (the last return that resolves; a factory of clients,
        `return litellm` after a local import, `return getattr(litellm, name)`)."""
        for value, line in reversed(function.returns):
            if isinstance(value, v.Call) and v.dotted(value.func) == "getattr" and value.args:
                found = self.resolve(value.args[0], scope.at(line), depth)
            else:
                found = self.resolve(value, scope.at(line), depth)
            if found is not None:
                return found
        return None

    def subscript(self, value: v.Sub, scope: Scope, depth: int) -> Obj | None:
        base = self.resolve(value.base, scope, depth)
        if isinstance(base, _Mapping):
            return base.item
        node = self.follow_display(value.base, scope, depth)
        if node is not None:
            display, display_scope = node
            items = display.values if isinstance(display, v.Dict) else display.items if isinstance(display, v.Seq) else ()
            chosen = self.entry(display, value.index, scope)
            if chosen is not None:  # `PROMPTS["translate"]`, `CLIENTS[0]`: that entry only
                return self.resolve(chosen, display_scope, depth)
            for item in items:  # a key known only at run time: any entry tells what they are
                found = self.resolve(item, display_scope, depth)
                if found is not None:
                    return found
        return None

    def index_key(self, index: v.Value, scope: Scope) -> str | int | None:
        """The literal key (`["system"]`, through constants) or position (`[1]`) a
        subscript names, else None."""
        if isinstance(index, v.Num):
            return index.value if isinstance(index.value, int) else None
        return self.literal_text(index, scope)

    def entry(self, display: v.Value, index: v.Value, scope: Scope) -> v.Value | None:
        """The entry of a dict or list display a literal key or position names."""
        key = self.index_key(index, scope)
        if isinstance(display, v.Dict) and isinstance(key, str):
            for item_key, item in zip(display.keys, display.values):
                if item_key is not None and self.literal_text(item_key, scope) == key:
                    return item
        elif isinstance(display, v.Seq) and isinstance(key, int) and -len(display.items) <= key < len(display.items):
            return display.items[key]
        return None

    def chain(self, value: v.BinOp, scope: Scope, depth: int) -> Obj | None:
        """A LangChain pipeline (`prompt | llm | parser`) is an LLM call where it holds a chat
        model: the model, marked `templated` when a step before it turns the input into
        the messages."""
        steps: list[v.Value] = []
        node: v.Value = value
        while isinstance(node, v.BinOp) and node.op == "|":
            steps.insert(0, node.right)
            node = node.left
        steps.insert(0, node)
        for position, step in enumerate(steps):
            found = self.resolve(step, scope, depth)
            if isinstance(found, SdkObject) and found.kind == "chat_model":
                if position == 0:
                    return replace(found, templated=False)
                return replace(found, templated=True, template=(steps[position - 1], scope, position == 1))
        return None

    def element(self, iterable: v.Value, scope: Scope, depth: int) -> Obj | None:
        """What a loop over `iterable` binds (a list of clients, `.items()` of a dict)."""
        node = self.follow_display(iterable, scope, depth)
        if node is None:
            return None
        display, display_scope = node
        items = display.items if isinstance(display, v.Seq) else display.values if isinstance(display, v.Dict) else ()
        for item in items:
            found = self.resolve(item, display_scope, depth)
            if found is not None:
                return found
        return None

    def follow_display(self, value: v.Value, scope: Scope, depth: int) -> tuple[v.Value, Scope] | None:
        """A list/tuple/dict display a name holds, if it holds one."""
        for _ in range(MAX_DEPTH):
            if isinstance(value, (v.Seq, v.Dict)):
                return value, scope
            if not isinstance(value, v.Ref):
                return None
            found = lookup(value.name, scope)
            if found is not None and found.where == "import":  # `from prompts import PROMPTS`
                symbol = self.index.lookup(found.qualified or value.name, scope.module)
                if symbol is None or symbol.kind != "binding" or symbol.module is None:
                    return None
                bindings, scope = symbol.module.bindings[symbol.name], Scope(symbol.module)
            elif found is not None and found.where in ("local", "module"):
                bindings, scope = found.bindings, found.scope or scope
            else:
                return None
            binding = next((b for b in reversed(bindings) if b.kind == "assign" and b.value is not None), None)
            if binding is None:
                return None
            value, scope = binding.value, scope.at(binding.line)  # type: ignore[assignment]
        return None

    # ------------------------------------------------------------------ calls

    def call_result(self, call: v.Call, scope: Scope, depth: int) -> Obj | None:
        """What a call returns: an SDK object for an SDK constructor or factory, a project
        instance for a project class, a factory's returned value, a derived SDK object."""
        if isinstance(call.func, v.Ref) and call.func.name == "getattr" and len(call.args) >= 2 and lookup("getattr", scope) is None:
            name = self.literal_text(call.args[1], scope)  # `getattr(client.responses, "create", None)`
            return self.member_of(self.resolve(call.args[0], scope, depth), name, depth) if name else None
        dotted = v.dotted(call.func)
        named = qualify(dotted, scope) if dotted is not None else None
        if named in ("typing.cast", "typing_extensions.cast") and len(call.args) == 2:
            # `t.cast(BaseLanguageModel, llm)`: an SDK object the value is known to be (the
            # more precise), else the SDK type the cast names (`llm` may also be typed as
            # a project class: ragas' `Union[BaseRagasLLM, BaseLanguageModel]`), else the
            # value, else what the cast names.
            value = self.resolve(call.args[1], scope, depth)
            if isinstance(value, SdkObject):
                return value
            named_type = self.annotation(call.args[0], scope, depth)
            return named_type if isinstance(named_type, SdkObject) else value or named_type
        callee = self.resolve(call.func, scope, depth)
        # `importlib.import_module` and `functools.partial` by their imported name (`import
        # functools`) or through a name bound to them (`from functools import partial`).
        qualname = named if named in IMPORT_FUNCTIONS | PARTIAL else callee.qualname if isinstance(callee, SdkName) else None
        if qualname in IMPORT_FUNCTIONS and call.args:
            module = self.literal_text(call.args[0], scope)
            return SdkName(module) if module and self.registry.knows(module) else None
        if qualname in PARTIAL and call.args:
            return Partial(self.resolve(call.args[0], scope, depth), call, scope)
        if isinstance(callee, SdkName):
            return self.registry.construct(self, callee.qualname, call, scope, depth)
        if isinstance(callee, SdkObject) and callee.path:
            return self.registry.derive(callee, call, scope)
        if isinstance(callee, ProjectClass):
            sdk_base = self.sdk_base(callee.ref)
            if sdk_base is not None:  # `class Gemini(GenerativeModel)`: still the SDK's object
                return self.registry.construct(self, sdk_base, call, scope, depth)
            return ProjectInstance(callee.ref, (call, scope))
        if isinstance(callee, ProjectFunction):
            inner = self.bind_call(callee, call, scope)
            return self.returned(callee.function, inner, depth)
        return None

    def bind_call(self, callee: ProjectFunction, call: v.Call, scope: Scope) -> Scope:
        """The callee's scope with its parameters bound to this call's arguments."""
        function = callee.function
        is_method = callee.self_type is not None and "staticmethod" not in decorator_names(function)
        arguments = bind_arguments(function, call, scope, is_method=is_method, defaults=Scope(callee.module))
        return Scope(callee.module, function, arguments, callee.self_type, callee.init)

    def literal_text(self, value: v.Value, scope: Scope) -> str | None:
        """A string a value statically is (a literal or a constant holding one)."""
        for _ in range(MAX_DEPTH):
            if isinstance(value, v.Str):
                return value.value
            if not isinstance(value, v.Ref):
                return None
            if value.name in scope.arguments:
                value, scope = scope.arguments[value.name]
                continue
            found = lookup(value.name, scope)
            if found is None or found.where not in ("local", "module") or found.bindings[-1].value is None:
                return None
            value, scope = found.bindings[-1].value, found.scope or scope  # type: ignore[assignment]
        return None

    # ------------------------------------------------------------------ classes

    def sdk_base(self, cls: ClassRef) -> str | None:
        """The SDK class a project class derives from, if any (`class Client(OpenAI)`)."""
        for ref in self.mro(cls):
            for base in ref.cls.bases:
                found = self.resolve(base, Scope(ref.module), 0)
                if isinstance(found, SdkName) and self.registry.instance_of(found.qualname) is not None:
                    return found.qualname
        return None

    def mro(self, cls: ClassRef) -> list[ClassRef]:
        """The class and its project base classes (resolved across modules), depth first."""
        order: list[ClassRef] = []
        pending = [cls]
        seen: set[tuple[str, str]] = set()
        while pending and len(order) < CLASS_HIERARCHY_DEPTH:
            ref = pending.pop(0)
            marker = (ref.module.path, ref.cls.name)
            if marker in seen:
                continue
            seen.add(marker)
            order.append(ref)
            for base in ref.cls.bases:
                found = self.resolve(base, Scope(ref.module), 0)
                if isinstance(found, ProjectClass):
                    pending.append(found.ref)
        return order


@dataclass(slots=True, eq=False)
class _Mapping:
    """A dict whose values are `item` (`self._clients[key] = OpenAI(...)`)."""

    item: Obj




def bind_arguments(
    function: FunctionSummary,
    call: v.Call,
    scope: Scope,
    *,
    is_method: bool,
    defaults: Scope | None = None,
) -> dict[str, tuple[v.Value, Scope]]:
    """The callee's parameter names bound to the call's arguments, and, with `defaults`
    (the callee's module scope), the parameters not passed to their default values."""
    params = [p for p in function.params if p.kind in ("posonly", "pos")]
    if is_method and params:
        params = params[1:]
    arguments: dict[str, tuple[v.Value, Scope]] = {}
    positional = []
    for argument in call.args:
        if isinstance(argument, v.Star):
            break
        positional.append(argument)
    for param, argument in zip(params, positional):
        arguments[param.name] = (argument, scope)
    names = {p.name for p in function.params}
    for keyword, value in call.keywords:
        if keyword is not None and keyword in names:
            arguments[keyword] = (value, scope)
    # `*args` and `**kwargs` hold what is left, as a display: forwarded on with
    # `create(*args, **kwargs)`, their items are read like written arguments.
    for param in function.params:
        if param.kind == "vararg":
            rest = tuple(positional[len(params) :]) if len(positional) >= len(params) else ()
            spread = tuple(v.Star(a.value, a.loc) for a in call.args[len(positional) :] if isinstance(a, v.Star))
            arguments[param.name] = (v.Seq("tuple", rest + spread, call.loc), scope)
        elif param.kind == "kwarg":
            extra = [(keyword, value) for keyword, value in call.keywords if keyword is None or keyword not in names]
            keys = tuple(None if keyword is None else v.Str(keyword, value.loc) for keyword, value in extra)
            arguments[param.name] = (v.Dict(keys, tuple(value for _, value in extra), call.loc), scope)
    if defaults is not None and not any(keyword is None for keyword, _ in call.keywords):
        spread = any(isinstance(a, v.Star) for a in call.args)
        for param in function.params:
            if param.name not in arguments and param.default is not None and not (spread and param.kind in ("posonly", "pos")):
                arguments[param.name] = (param.default, defaults)
    return arguments


def _argument_for(function: FunctionSummary, name: str, call: v.Call, *, is_method: bool) -> v.Value | None:
    params = [p for p in function.params if p.kind in ("posonly", "pos")]
    if is_method and params:
        params = params[1:]
    for keyword, value in call.keywords:
        if keyword == name:
            return value
    for param, argument in zip(params, call.args):
        if isinstance(argument, v.Star):
            return None
        if param.name == name:
            return argument
    return None


def _assigned_locally(function: FunctionSummary, name: str) -> bool:
    return any(b.kind != "param" for b in function.bindings.get(name, ()))


def _parse_annotation(text: str) -> v.Value | None:
    """A string annotation (`"AsyncOpenAI | None"`) lowered like written code."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return Lowerer(Lines(text))(tree.body)
