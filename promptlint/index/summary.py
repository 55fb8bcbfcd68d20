# SPDX-License-Identifier: MIT
"""What one module says, in the form analysis reads: a `ModuleSummary`, built from `ast`.

One walk over a module's statements records what its names are bound to (module, class,
`self.` attributes and function locals, each binding with its lowered value and line), its
imports and re-exports, its functions (parameters with annotations and defaults,
decorators, returned values) and every call it makes with the context a rule needs (the
loops around it, the statement it is in, whether it is awaited, what its result is bound
to). Nothing in a summary refers to a syntax tree, so summaries are built once per run in
whichever process needs them and cached across runs by content hash (`index.store`).

Statements nest at most ~100 deep (CPython's indentation limit), so the statement walk
may recurse; expressions are handled by `lower`, which bounds its own depth.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from promptlint.index import values as v
from promptlint.index.lower import Lines, Lowerer


@dataclass(slots=True, eq=False)
class Binding:
    """One assignment of a name.

    `kind` is how it is bound: "assign" (also annotated and walrus), "augassign" (`op`
    holds the operator), "for" (a loop target; `value` is the iterable), "with" (`value`
    is the context manager), "unpack" (one name of a tuple target whose value is not a
    matching display), "import" (`value` is a `Ref` to the qualified name), "append",
    "extend", "insert" (list building; `value` is the item or items), "item"
    (`name[key] = value`; `key` holds the key), "annotation" (declared, not assigned:
    `client: AsyncOpenAI`), "except", "global", "param".
    """

    kind: str
    value: v.Value | None
    line: int
    key: v.Value | None = None
    op: str | None = None
    annotation: v.Value | None = None
    # A module-level name assigned inside a function under `global`: that function, where
    # the value's own names are read.
    within: str | None = None


@dataclass(slots=True, eq=False)
class Param:
    name: str
    kind: str  # "posonly", "pos", "kwonly", "vararg", "kwarg"
    annotation: v.Value | None = None
    default: v.Value | None = None


@dataclass(slots=True, eq=False)
class Loop:
    """A loop around calls: `for`/`async for`/`while` statements and comprehensions."""

    kind: str  # "for", "async for", "while", "comprehension"
    loc: v.Loc
    iterable: v.Value | None
    targets: tuple[str, ...]
    exits_early: bool  # a `break` or `return` can leave it (retries, find-first)


@dataclass(slots=True, eq=False)
class CallInfo:
    """One call in a function (or at module level) and where it sits."""

    call: v.Call
    loops: tuple[int, ...]  # indices into the owner's `loops`, outermost first
    awaited: bool
    block: int  # which statement list holds the call's statement (unique in the module)
    index: int  # the statement's position in that list
    assigned_to: tuple[str, ...]  # names bound to the result (or a value computed from it)
    result_used: bool  # False for `f(...)` / `await f(...)` statements and `_ = f(...)`
    in_lambda: bool = False  # runs when the lambda is called, not here
    in_main_guard: bool = False  # inside `if __name__ == "__main__":`


@dataclass(slots=True, eq=False)
class FunctionSummary:
    name: str  # within the module: "f", "Class.method", "f.<locals>.g"
    class_name: str | None  # the class whose body defines it, for methods
    is_async: bool
    params: tuple[Param, ...]
    decorators: tuple[v.Value, ...]
    loc: v.Loc
    returns: list[tuple[v.Value, int]] = field(default_factory=list)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    calls: list[CallInfo] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    parent: str | None = None  # the enclosing function's name, for closures
    yields: bool = False
    # `assert isinstance(name, Class)`: name -> [(the assert's line, the class), ...]. From
    # there on the name holds an instance of that class (`llm = LLM(...)` built by a factory,
    # then `assert isinstance(llm, AnthropicCompletion)`), until it is bound again.
    narrowed: dict[str, list[tuple[int, v.Value]]] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None

    @property
    def first_param(self) -> str | None:
        return self.params[0].name if self.params and self.params[0].kind in ("posonly", "pos") else None


@dataclass(slots=True, eq=False)
class ClassSummary:
    name: str  # within the module: "Agent", "Outer.Inner"
    bases: tuple[v.Value, ...]
    decorators: tuple[v.Value, ...]
    loc: v.Loc
    attributes: dict[str, list[Binding]] = field(default_factory=dict)  # the class body's names
    # `self.x = ...` in its methods: (method name, binding), in source order.
    self_attributes: dict[str, list[tuple[str, Binding]]] = field(default_factory=dict)
    methods: list[str] = field(default_factory=list)  # local names of its methods ("Class.m")
    keywords: tuple[tuple[str | None, v.Value], ...] = ()  # metaclass=..., total=...


@dataclass(slots=True, eq=False)
class ModuleSummary:
    """Everything analysis reads of one module. `error` is set (and the rest empty) when
    the module could not be parsed."""

    path: str
    name: str  # dotted module name ("" when unknown)
    package: str
    content_hash: str
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    star_imports: list[str] = field(default_factory=list)  # modules imported with *
    all_names: list[str] | None = None  # `__all__`, when a static list
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    # Module-level code: its calls and loops live in a pseudo-function named "<module>".
    toplevel: FunctionSummary | None = None
    error: str | None = None
    error_line: int | None = None
    error_column: int | None = None

    def qualify(self, dotted: str) -> str:
        """A dotted name as written here, qualified through the imports (or as local)."""
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            base = self.imports[head]
            return f"{base}.{rest}" if rest else base
        if head in self.functions or head in self.classes or head in self.bindings:
            local = f"{self.name}.{head}" if self.name else head
            return f"{local}.{rest}" if rest else local
        return dotted


MODULE_FUNCTION = "<module>"


def import_module_name(module: str | None, level: int, package: str) -> str:
    """The absolute module a `from ... import` names, leading dots resolved against `package`."""
    if not level:
        return module or ""
    parts = package.split(".") if package else []
    if level > 1:
        parts = parts[: max(len(parts) - (level - 1), 0)]
    base = ".".join(parts)
    if module:
        return f"{base}.{module}" if base else module
    return base


def parse_source(text: str, filename: str) -> ast.Module:
    """`ast.parse` with Python's own limits, and integer literals of any length allowed
    (a 5,000-digit literal is odd but valid source; CPython's digit limit is a guard
    against slow int-to-str conversion, which analysis never does on such a number)."""
    previous = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    try:
        if previous is not None:
            sys.set_int_max_str_digits(0)
        return ast.parse(text, filename=filename, type_comments=False)
    finally:
        if previous is not None:
            sys.set_int_max_str_digits(previous)


def summarize(tree: ast.Module, text: str, *, path: str, name: str, package: str, content_hash: str, bodies: bool = True) -> ModuleSummary:
    """The summary of a parsed module; without `bodies`, its functions' bodies are not
    walked (they have parameters and decorators, but no calls, bindings or returns)."""
    summary = ModuleSummary(path=path, name=name, package=package, content_hash=content_hash)
    _Builder(summary, Lines(text), bodies=bodies).module(tree)
    return summary


class _Builder:
    """The one walk over a module's statements that fills a ModuleSummary."""

    def __init__(self, summary: ModuleSummary, lines: Lines, *, bodies: bool = True) -> None:
        self.summary = summary
        self.bodies = bodies
        self.lines = lines
        self.lower = Lowerer(lines)
        self.blocks = 0

    # ------------------------------------------------------------------ structure

    def module(self, tree: ast.Module) -> None:
        top = FunctionSummary(MODULE_FUNCTION, None, False, (), (), (1, 1, len(self.lines.lines), 1))
        self.summary.toplevel = top
        self.body(tree.body, _Owner(top, None, self.summary.bindings), loops=(), main_guard=False)
        exported = self.summary.bindings.get("__all__")
        if exported and isinstance(exported[-1].value, v.Seq):
            names = [item.value for item in exported[-1].value.items if isinstance(item, v.Str)]
            if len(names) == len(exported[-1].value.items):
                self.summary.all_names = names

    def body(self, statements: list[ast.stmt], owner: _Owner, loops: tuple[int, ...], main_guard: bool) -> None:
        block = self.blocks
        self.blocks += 1
        for index, statement in enumerate(statements):
            self.statement(statement, owner, loops, main_guard, block, index)

    def statement(self, node: ast.stmt, owner: _Owner, loops: tuple[int, ...], main_guard: bool, block: int, index: int) -> None:
        where = _Where(owner, loops, main_guard, block, index)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node, owner, where)
        elif isinstance(node, ast.ClassDef):
            self.klass(node, owner, where)
        elif isinstance(node, ast.Assign):
            value = self.expression(node.value, where, targets=node.targets)
            for target in node.targets:
                self.bind(target, value, node.lineno, owner)
        elif isinstance(node, ast.AnnAssign):
            annotation = self.lower(node.annotation)
            value = self.expression(node.value, where, targets=[node.target]) if node.value is not None else None
            if value is None:
                self.bind(node.target, None, node.lineno, owner, kind="annotation", annotation=annotation)
            else:
                self.bind(node.target, value, node.lineno, owner, annotation=annotation)
        elif isinstance(node, ast.AugAssign):
            value = self.expression(node.value, where, targets=[node.target])
            op = "+" if isinstance(node.op, ast.Add) else type(node.op).__name__
            self.bind(node.target, value, node.lineno, owner, kind="augassign", op=op)
        elif isinstance(node, ast.Expr):
            value = self.expression(node.value, where, statement_value=True)
            self.list_building(value, node.lineno, owner)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                value = self.expression(node.value, where)
                owner.function.returns.append((value, node.lineno))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            iterable = self.expression(node.iter, where)
            self.bind(node.target, iterable, node.lineno, owner, kind="for")
            loop = Loop(
                "async for" if isinstance(node, ast.AsyncFor) else "for",
                self.lines.loc(node),
                iterable,
                tuple(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)),
                _exits_early(node),
            )
            owner.function.loops.append(loop)
            inner = (*loops, len(owner.function.loops) - 1)
            self.body(node.body, owner, inner, main_guard)
            self.body(node.orelse, owner, loops, main_guard)
        elif isinstance(node, ast.While):
            self.expression(node.test, where)
            owner.function.loops.append(Loop("while", self.lines.loc(node), None, (), True))
            inner = (*loops, len(owner.function.loops) - 1)
            self.body(node.body, owner, inner, main_guard)
            self.body(node.orelse, owner, loops, main_guard)
        elif isinstance(node, ast.If):
            self.expression(node.test, where)
            guard = main_guard or _is_main_guard(node.test)
            self.body(node.body, owner, loops, guard)
            self.body(node.orelse, owner, loops, main_guard)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.expression(item.context_expr, where)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, node.lineno, owner, kind="with")
            self.body(node.body, owner, loops, main_guard)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.body(node.body, owner, loops, main_guard)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expression(handler.type, where)
                if handler.name:
                    owner.table.setdefault(handler.name, []).append(Binding("except", None, handler.lineno))
                self.body(handler.body, owner, loops, main_guard)
            self.body(node.orelse, owner, loops, main_guard)
            self.body(node.finalbody, owner, loops, main_guard)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.import_binding(owner, alias.asname, alias.name, node.lineno)
                else:
                    head = alias.name.split(".")[0]
                    self.import_binding(owner, head, head, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            module = import_module_name(node.module, node.level, self.summary.package)
            for alias in node.names:
                if alias.name == "*":
                    if owner.function.name == MODULE_FUNCTION:
                        self.summary.star_imports.append(module)
                    continue
                qualified = f"{module}.{alias.name}" if module else alias.name
                self.import_binding(owner, alias.asname or alias.name, qualified, node.lineno)
        elif isinstance(node, ast.Match):
            self.expression(node.subject, where)
            for case in node.cases:
                self.body(case.body, owner, loops, main_guard)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                owner.globals.add(name)
        else:  # raise, assert, delete, pass, ...
            if isinstance(node, ast.Assert) and owner.function.name != MODULE_FUNCTION and not owner.is_class_body:
                self.narrowing(node, owner)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expression(child, where)

    def narrowing(self, node: ast.Assert, owner: _Owner) -> None:
        """Record `assert isinstance(name, Class)` (one class, a dotted name) in a function."""
        test = node.test
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"):
            return
        if len(test.args) != 2 or test.keywords or not isinstance(test.args[0], ast.Name):
            return
        cls = self.lower(test.args[1])
        if v.dotted(cls) is not None:
            owner.function.narrowed.setdefault(test.args[0].id, []).append((node.lineno, cls))

    def import_binding(self, owner: _Owner, local: str, qualified: str, line: int) -> None:
        if owner.function.name == MODULE_FUNCTION and owner.cls is None:
            self.summary.imports[local] = qualified
        else:
            owner.table.setdefault(local, []).append(Binding("import", v.Ref(qualified, v.NO_LOC), line))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, owner: _Owner, where: _Where) -> None:
        decorators = tuple(self.expression(d, where) for d in node.decorator_list)
        params = self.params(node.args, where)
        nested = owner.function.name != MODULE_FUNCTION and not owner.is_class_body
        if owner.is_class_body:
            local, class_name = f"{owner.cls.name}.{node.name}", owner.cls.name  # type: ignore[union-attr]
        elif nested:
            local, class_name = f"{owner.function.name}.<locals>.{node.name}", None
        else:
            local, class_name = node.name, None
        function = FunctionSummary(
            name=local,
            class_name=class_name,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            params=params,
            decorators=decorators,
            loc=self.lines.loc(node),
            # A method of a class defined in a function reads that function's names too.
            parent=owner.function.name if owner.function.name != MODULE_FUNCTION else None,
        )
        # The last definition of a name is the one that runs (`@overload` stubs come first);
        # a property's `@x.setter` does not replace its getter.
        if local not in self.summary.functions or not _is_accessor(decorators):
            earlier = self.summary.functions.get(local)
            if earlier is not None:  # kept under another key: its calls are still calls
                self.summary.functions[f"{local}@{earlier.loc[0]}"] = earlier
            self.summary.functions[local] = function
        else:
            self.summary.functions[f"{local}@{function.loc[0]}"] = function
        if owner.is_class_body:
            owner.cls.methods.append(local)  # type: ignore[union-attr]
        else:
            owner.table.setdefault(node.name, []).append(Binding("def", v.Ref(local, v.NO_LOC), node.lineno))
        if owner.function.name == MODULE_FUNCTION and not owner.is_class_body:
            self.summary.imports.pop(node.name, None)  # `def OpenAI():` rebinds an imported name
        method_of = owner.cls if owner.is_class_body else owner.method_of
        inner = _Owner(function, owner.cls, function.bindings, method_of=method_of)
        for param in params:
            function.bindings.setdefault(param.name, []).append(Binding("param", None, node.lineno, annotation=param.annotation))
        if not self.bodies:
            return
        outer_yield, self.lower.yielded = self.lower.yielded, False
        self.body(node.body, inner, loops=(), main_guard=False)
        function.yields, self.lower.yielded = self.lower.yielded, outer_yield

    def params(self, args: ast.arguments, where: _Where) -> tuple[Param, ...]:
        found: list[Param] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for index, arg in enumerate(positional):
            kind = "posonly" if index < len(args.posonlyargs) else "pos"
            default = defaults[index]
            found.append(Param(arg.arg, kind, self.lower(arg.annotation), self.expression(default, where) if default is not None else None))
        if args.vararg is not None:
            found.append(Param(args.vararg.arg, "vararg", self.lower(args.vararg.annotation)))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            found.append(Param(arg.arg, "kwonly", self.lower(arg.annotation), self.expression(default, where) if default is not None else None))
        if args.kwarg is not None:
            found.append(Param(args.kwarg.arg, "kwarg", self.lower(args.kwarg.annotation)))
        return tuple(found)

    def klass(self, node: ast.ClassDef, owner: _Owner, where: _Where) -> None:
        prefix = f"{owner.cls.name}." if owner.is_class_body else (
            f"{owner.function.name}.<locals>." if owner.function.name != MODULE_FUNCTION else ""
        )
        name = f"{prefix}{node.name}"
        summary = ClassSummary(
            name=name,
            bases=tuple(self.expression(b, where) for b in node.bases),
            decorators=tuple(self.expression(d, where) for d in node.decorator_list),
            loc=self.lines.loc(node),
            keywords=tuple((k.arg, self.expression(k.value, where)) for k in node.keywords),
        )
        self.summary.classes[name] = summary
        if not owner.is_class_body:
            owner.table.setdefault(node.name, []).append(Binding("class", v.Ref(name, v.NO_LOC), node.lineno))
        if owner.function.name == MODULE_FUNCTION and not owner.is_class_body:
            self.summary.imports.pop(node.name, None)
        body_owner = _Owner(owner.function, summary, summary.attributes, is_class_body=True)
        self.body(node.body, body_owner, where.loops, where.main_guard)

    # ------------------------------------------------------------------ bindings

    def bind(
        self,
        target: ast.expr,
        value: v.Value | None,
        line: int,
        owner: _Owner,
        *,
        kind: str = "assign",
        op: str | None = None,
        annotation: v.Value | None = None,
    ) -> None:
        if isinstance(target, ast.Name):
            if target.id in owner.globals:
                self.summary.bindings.setdefault(target.id, []).append(
                    Binding(kind, value, line, op=op, annotation=annotation, within=owner.function.name)
                )
            else:
                owner.table.setdefault(target.id, []).append(Binding(kind, value, line, op=op, annotation=annotation))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            cls = owner.method_of
            self_name = owner.function.first_param
            if cls is not None and self_name is not None and target.value.id == self_name:
                cls.self_attributes.setdefault(target.attr, []).append(
                    (owner.function.name, Binding(kind, value, line, op=op, annotation=annotation))
                )
        elif isinstance(target, ast.Subscript):
            key = self.lower(target.slice)
            base = target.value
            if isinstance(base, ast.Name):
                owner.table.setdefault(base.id, []).append(Binding("item", value, line, key=key))
            elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
                cls = owner.method_of
                if cls is not None and base.value.id == owner.function.first_param:
                    cls.self_attributes.setdefault(base.attr, []).append(
                        (owner.function.name, Binding("item", value, line, key=key))
                    )
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, v.Seq) and len(value.items) == len(target.elts) else None
            starred = any(isinstance(element, ast.Starred) for element in target.elts)
            for position, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.bind(element.value, None, line, owner, kind="unpack")
                elif items is not None and kind == "assign":
                    self.bind(element, items[position], line, owner)
                elif kind == "for":
                    self.bind(element, value, line, owner, kind="for")
                else:
                    # `model, native = initialize_model(...)`: item `position` of what the
                    # value turns out to be (a function returning a tuple display).
                    key = None if starred else v.Num(position, v.NO_LOC)
                    self.bind_unpacked(element, value if key is not None else None, key, line, owner)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, line, owner, kind="unpack")

    def bind_unpacked(self, target: ast.expr, value: v.Value | None, key: v.Value | None, line: int, owner: _Owner) -> None:
        if isinstance(target, ast.Name):
            owner.table.setdefault(target.id, []).append(Binding("unpack", value, line, key=key))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            cls = owner.method_of
            if cls is not None and target.value.id == owner.function.first_param:
                cls.self_attributes.setdefault(target.attr, []).append(
                    (owner.function.name, Binding("unpack", value, line, key=key))
                )
        else:
            self.bind(target, None, line, owner, kind="unpack")

    def list_building(self, value: v.Value | None, line: int, owner: _Owner) -> None:
        """`messages.append(...)`, `.extend(...)`, `.insert(i, ...)` on a local name: the
        list grows in source order, which message-list resolution replays."""
        if not isinstance(value, v.Await) and isinstance(value, v.Call) and isinstance(value.func, v.Attr):
            method = value.func.name
            base = value.func.base
            if method in ("append", "extend", "insert") and value.args and isinstance(base, v.Ref):
                item = value.args[-1] if method == "insert" else value.args[0]
                key = value.args[0] if method == "insert" and len(value.args) == 2 else None
                owner.table.setdefault(base.name, []).append(Binding(method, item, line, key=key))

    # ------------------------------------------------------------------ expressions and calls

    def expression(
        self,
        node: ast.expr | None,
        where: _Where,
        *,
        targets: list[ast.expr] | None = None,
        statement_value: bool = False,
    ) -> v.Value | None:
        """Lower an expression of a statement and record every call inside it."""
        if node is None:
            return None
        self.lower.loops = where.owner.function.loops
        value = self.lower(node)
        if value is None:
            return None
        assigned = tuple(name for target in targets for name in _target_names(target)) if targets else ()
        self.record_calls(value, where, assigned, statement_value, targets)
        if self.lower.walrus:  # `if (match := pattern.search(text)):` binds `match`
            for name, bound, line in self.lower.walrus:
                where.owner.table.setdefault(name, []).append(Binding("assign", bound, line))
            self.lower.walrus.clear()
        return value

    def record_calls(
        self,
        value: v.Value,
        where: _Where,
        assigned: tuple[str, ...],
        statement_value: bool,
        targets: list[ast.expr] | None,
    ) -> None:
        """Turn the calls met while lowering one statement's expression into CallInfos."""
        function = where.owner.function
        discarded = statement_value or (bool(targets) and all(isinstance(t, ast.Name) and t.id == "_" for t in targets or ()))
        top = value.value if isinstance(value, v.Await) else value
        for call, awaited, in_lambda, comprehension in self.lower.calls:
            function.calls.append(
                CallInfo(
                    call=call,
                    loops=comprehension if in_lambda else (*where.loops, *comprehension),
                    awaited=awaited,
                    block=where.block,
                    index=where.index,
                    assigned_to=assigned,
                    result_used=not (discarded and call is top),
                    in_lambda=in_lambda,
                    in_main_guard=where.main_guard,
                )
            )
        self.lower.calls.clear()


@dataclass(slots=True, eq=False)
class _Owner:
    """Where bindings go: the function (or module pseudo-function) and table being filled."""

    function: FunctionSummary
    cls: ClassSummary | None
    table: dict[str, list[Binding]]
    is_class_body: bool = False
    method_of: ClassSummary | None = None  # for methods: the class `self` belongs to
    globals: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class _Where:
    owner: _Owner
    loops: tuple[int, ...]
    main_guard: bool
    block: int
    index: int


def _is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"` (either side)."""
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _is_accessor(decorators: tuple[v.Value, ...]) -> bool:
    """`@name.setter` / `@name.deleter`: the second half of a property."""
    return any(isinstance(d, v.Attr) and d.name in ("setter", "deleter") for d in decorators)


def _target_names(target: ast.expr) -> list[str]:
    """The plain names an assignment target binds (`a`, `a, (b, *c)`)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _exits_early(loop: ast.For | ast.AsyncFor) -> bool:
    """Whether a loop's body can leave it: a `break` of this loop (not of a nested one) or
    a `return` (nested functions, lambdas and classes are not part of the body)."""
    pending: list[tuple[ast.AST, int]] = [(statement, 0) for statement in loop.body]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, ast.Return):
            return True
        if isinstance(node, ast.Break) and depth == 0:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        inner = depth + 1 if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) else depth
        pending.extend((child, inner) for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))
    return False
