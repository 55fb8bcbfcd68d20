# SPDX-License-Identifier: MIT
"""Where a value is read, and what its names are bound to there.

A `Scope` is a module summary plus, inside a function, that function's summary; when a
helper or wrapper is followed from a call, its parameters are bound to the caller's
arguments (`arguments`), and inside a method called on a known instance, `self` is known
to be of that instance's class (`self_type`, which may be a subclass of the class whose
body defines the method: `self._call(...)` then reaches the subclass's override).

`lookup` answers "what is `name` bound to at this line?" the way Python's scoping does:
the function, the functions enclosing it (closures), the module, its imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from promptlint.index import values as v
from promptlint.index.summary import Binding, ClassSummary, FunctionSummary, ModuleSummary

BUILTIN_MODULE = "builtins"


@dataclass(frozen=True, slots=True)
class ClassRef:
    """A project class: the module that defines it and its summary."""

    module: ModuleSummary
    cls: ClassSummary

    @property
    def qualname(self) -> str:
        return f"{self.module.name}.{self.cls.name}" if self.module.name else self.cls.name


@dataclass(slots=True, eq=False)
class Scope:
    module: ModuleSummary
    function: FunctionSummary | None = None
    # Parameters bound to a caller's arguments: name -> (value, the caller's scope).
    arguments: dict[str, tuple[v.Value, Scope]] = field(default_factory=dict)
    # The class of `self` when it is known (the instance a method was called on).
    self_type: ClassRef | None = None
    # `__init__` arguments of the instance (`LLM(client=OpenAI())`), for `self.x = x`.
    init: tuple[v.Call, Scope] | None = None
    # The statement being read: names resolve to bindings made before it (None: any).
    line: int | None = None

    @property
    def key(self) -> tuple:
        """Identity for memoizing resolutions: equal keys resolve every value alike."""
        return (
            self.module.path,
            self.function.name if self.function is not None else None,
            self.self_type.qualname if self.self_type is not None else None,
            id(self.arguments) if self.arguments else None,
            id(self.init) if self.init is not None else None,
            self.line,
        )

    def within(self, function: FunctionSummary | None) -> Scope:
        """The same module, inside another of its functions (same `self`)."""
        return Scope(self.module, function, {}, self.self_type, self.init)

    def at(self, line: int | None) -> Scope:
        """The same scope, reading at another statement."""
        if line == self.line:
            return self
        return Scope(self.module, self.function, self.arguments, self.self_type, self.init, line)

    @property
    def self_name(self) -> str | None:
        """The name `self` goes by in this method (its first parameter), if a method."""
        function = self.function
        while function is not None and function.class_name is None and function.parent is not None:
            function = self.module.functions.get(function.parent)  # a closure inside a method
        if function is None or function.class_name is None:
            return None
        if any(_decorator_name(d) == "staticmethod" for d in function.decorators):
            return None
        return function.first_param

    def method_class(self) -> ClassRef | None:
        """The class `self` is: the known instance's, else the class defining the method."""
        if self.self_type is not None:
            return self.self_type
        function = self.function
        while function is not None and function.class_name is None and function.parent is not None:
            function = self.module.functions.get(function.parent)
        if function is None or function.class_name is None:
            return None
        cls = self.module.classes.get(function.class_name)
        return ClassRef(self.module, cls) if cls is not None else None


@dataclass(frozen=True, slots=True)
class Found:
    """What a name is bound to: `where` is "local" or "module" (with the bindings that
    apply, latest last, and the scope to read them in), "import" (`qualified` names the
    target) or "star" (the module has `from x import *`: it may come from there)."""

    where: str
    bindings: tuple[Binding, ...] = ()
    scope: Scope | None = None
    qualified: str | None = None


def lookup(name: str, scope: Scope) -> Found | None:
    """The bindings of `name` as seen from `scope`'s statement (None when unbound).

    Inside the reading function only the bindings made before the statement count (so
    `prompt = prompt + "..."` reads the earlier `prompt`); enclosing functions and the
    module are read as they stand when the function runs: all their bindings count.
    """
    function = scope.function
    line = scope.line
    while function is not None:
        bindings = function.bindings.get(name)
        if bindings:
            if function is scope.function:
                if line is not None:
                    earlier = tuple(b for b in bindings if b.line < line)
                    if earlier:
                        return Found("local", earlier, scope)
                return Found("local", tuple(bindings), scope)
            return Found("local", tuple(bindings), Scope(scope.module, function, {}, scope.self_type, scope.init))
        function = scope.module.functions.get(function.parent) if function.parent else None
    bindings = scope.module.bindings.get(name)
    if bindings:
        if scope.function is None and line is not None:
            earlier = tuple(b for b in bindings if b.line < line)
            if earlier:
                return Found("module", earlier, Scope(scope.module, line=line))
        return Found("module", tuple(bindings), Scope(scope.module))
    if name in scope.module.imports:
        return Found("import", qualified=scope.module.imports[name], scope=Scope(scope.module))
    if scope.module.star_imports:
        return Found("star", scope=Scope(scope.module))  # maybe from a `from x import *`
    return None


def qualify(dotted: str, scope: Scope) -> str | None:
    """A dotted name as written in `scope`, qualified through the module's imports (or a
    function-local import); None when its head is a local variable."""
    head, _, rest = dotted.partition(".")
    function = scope.function
    while function is not None:
        bindings = function.bindings.get(head)
        if bindings:
            last = bindings[-1]
            if last.kind == "import" and isinstance(last.value, v.Ref):
                base = last.value.name
                return f"{base}.{rest}" if rest else base
            return None
        function = scope.module.functions.get(function.parent) if function.parent else None
    return scope.module.qualify(dotted)


def _decorator_name(decorator: v.Value) -> str | None:
    target = decorator.func if isinstance(decorator, v.Call) else decorator
    name = v.dotted(target)
    return name.rsplit(".", 1)[-1] if name else None


def decorator_names(function: FunctionSummary) -> list[str]:
    return [name for name in (_decorator_name(d) for d in function.decorators) if name]
