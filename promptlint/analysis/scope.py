# SPDX-License-Identifier: MIT
"""A module's names, found in one walk of its syntax tree.

libcst's ScopeProvider and QualifiedNameProvider would answer the same questions, but at
3-6x the cost of parsing (see DESIGN.md, "Speed"). A linter of LLM calls needs far less:
what each import binds, what each module, class and function assigns to a name, and
where. `ModuleInfo` records exactly that, and `Scope` answers "what expression does this
name hold at this line?" for the resolvers in `objects.py` and `prompts.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from promptlint.types import Position, Span


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _import_module_name(module: cst.Attribute | cst.Name | None, dots: int, package: str) -> str:
    """The absolute module an import statement names (resolving leading dots)."""
    name = dotted_name(module) if module is not None else ""
    if not dots:
        return name or ""
    parts = package.split(".") if package else []
    if dots > 1:
        parts = parts[: len(parts) - (dots - 1)]
    base = ".".join(parts)
    if name:
        return f"{base}.{name}" if base else name
    return base


@dataclass
class Binding:
    """One assignment of a name: the value expression and the line of the statement."""

    value: cst.BaseExpression | None  # None when the name is bound by a loop, with, except ...
    line: int
    kind: str = "assign"  # "assign", "augassign", "for", "with", "param", "append"
    statement: cst.CSTNode | None = None


@dataclass
class FunctionInfo:
    node: cst.FunctionDef
    qualname: str  # module-qualified: "pkg.mod.Class.method"
    local_name: str  # within the module: "Class.method"
    class_name: str | None
    params: dict[str, cst.Param] = field(default_factory=dict)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    parent: FunctionInfo | None = None

    @property
    def is_async(self) -> bool:
        return self.node.asynchronous is not None


@dataclass
class ClassInfo:
    node: cst.ClassDef
    name: str
    bases: list[str] = field(default_factory=list)  # dotted names as written
    attributes: dict[str, list[Binding]] = field(default_factory=dict)  # class body
    self_attributes: dict[str, list[Binding]] = field(default_factory=dict)  # self.x = ...


@dataclass
class ModuleInfo:
    """What one module binds, plus the positions needed to turn nodes into spans."""

    path: Path
    name: str  # dotted module name ("" when unknown)
    package: str
    source: str
    module: cst.Module
    positions: dict[cst.CSTNode, CodeRange]
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)  # by local name
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    function_of: dict[cst.CSTNode, FunctionInfo] = field(default_factory=dict)

    def span(self, node: cst.CSTNode) -> Span:
        code_range = self.positions[node]
        return Span(
            Position(code_range.start.line, code_range.start.column + 1),
            Position(code_range.end.line, code_range.end.column + 1),
        )

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def qualify(self, dotted: str) -> str:
        """Map a dotted name as written here to a qualified name through the imports."""
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            base = self.imports[head]
            return f"{base}.{rest}" if rest else base
        if head in self.functions or head in self.classes or head in self.bindings:
            local = f"{self.name}.{head}" if self.name else head
            return f"{local}.{rest}" if rest else local
        return dotted


class _Collector(cst.CSTVisitor):
    """The single walk that fills a ModuleInfo."""

    def __init__(self, info: ModuleInfo) -> None:
        self.info = info
        self.stack: list[FunctionInfo | ClassInfo] = []  # enclosing scopes, innermost last

    @property
    def functions(self) -> list[FunctionInfo]:
        return [entry for entry in self.stack if isinstance(entry, FunctionInfo)]

    @property
    def classes(self) -> list[ClassInfo]:
        return [entry for entry in self.stack if isinstance(entry, ClassInfo)]

    # -- imports ---------------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        """Statements only: expressions hold no bindings this analysis uses, and they are
        most of a tree's nodes, so not descending into them makes the walk several times
        faster. A statement-level call (`messages.append(...)`) is still seen."""
        if isinstance(node, cst.BaseExpression):
            if isinstance(node, cst.Call):
                self.visit_Call(node)
            return False
        return super().on_visit(node)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.info.imports[alias.asname.name.value] = full
            else:
                head = full.split(".")[0]
                self.info.imports[head] = head

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = _import_module_name(node.module, len(node.relative), self.info.package)
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.info.imports[local] = f"{module}.{name}" if module else name

    # -- scopes ----------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        prefix = self._prefix()
        name = f"{prefix}{node.name.value}"
        info = ClassInfo(node, name, [dotted_name(b.value) or "" for b in node.bases])
        self.info.classes.setdefault(name, info)
        self._shadow_import(node.name.value)
        self.stack.append(info)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        local_name = f"{self._prefix()}{node.name.value}"
        qualname = f"{self.info.name}.{local_name}" if self.info.name else local_name
        class_name = self.stack[-1].name if self._in_class_body() else None
        functions = self.functions
        info = FunctionInfo(
            node=node,
            qualname=qualname,
            local_name=local_name,
            class_name=class_name,
            parent=functions[-1] if functions else None,
        )
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            info.params[param.name.value] = param
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                info.params[star.name.value] = star
        self.info.functions.setdefault(local_name, info)
        self.info.function_of[node] = info
        self._shadow_import(node.name.value)
        self.stack.append(info)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def _shadow_import(self, name: str) -> None:
        """A module-level `def`/`class` rebinds a name imported above it (`from openai
        import OpenAI` then `class OpenAI:`): the import no longer names it."""
        if not self.stack:
            self.info.imports.pop(name, None)

    def _prefix(self) -> str:
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top, FunctionInfo):
            return f"{top.local_name}.<locals>."
        return f"{top.name}."

    def _in_class_body(self) -> bool:
        """Whether the innermost scope is a class body (not a method inside it)."""
        return bool(self.stack) and isinstance(self.stack[-1], ClassInfo)

    # -- bindings --------------------------------------------------------------------
    def _bind(self, target: cst.BaseExpression, binding: Binding) -> None:
        top = self.stack[-1] if self.stack else None
        if isinstance(target, cst.Name):
            if isinstance(top, FunctionInfo):
                table = top.bindings
            elif isinstance(top, ClassInfo):
                table = top.attributes
            else:
                table = self.info.bindings
            table.setdefault(target.value, []).append(binding)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            classes = self.classes
            if target.value.value == "self" and classes and isinstance(top, FunctionInfo):
                classes[-1].self_attributes.setdefault(target.attr.value, []).append(binding)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                inner = element.value
                self._bind(inner, Binding(None, binding.line, binding.kind, binding.statement))

    def visit_Assign(self, node: cst.Assign) -> None:
        line = self.info.positions[node].start.line
        for target in node.targets:
            self._bind(target.target, Binding(node.value, line, "assign", node))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            line = self.info.positions[node].start.line
            self._bind(node.target, Binding(node.value, line, "assign", node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        line = self.info.positions[node].start.line
        self._bind(node.target, Binding(node.value, line, "augassign", node))

    def visit_For(self, node: cst.For) -> None:
        line = self.info.positions[node].start.line
        self._bind(node.target, Binding(node.iter, line, "for", node))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            line = self.info.positions[node].start.line
            self._bind(node.asname.name, Binding(node.item, line, "with", node))

    def visit_Call(self, node: cst.Call) -> None:
        """`messages.append(...)` / `.extend(...)` on a local list: kept as bindings in order."""
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value in ("append", "extend")
            and node.args
            and self.stack
            and isinstance(self.stack[-1], FunctionInfo)
        ):
            line = self.info.positions[node].start.line
            kind = "append" if func.attr.value == "append" else "extend"
            self.stack[-1].bindings.setdefault(func.value.value, []).append(
                Binding(node.args[0].value, line, kind, node)
            )


@lru_cache(maxsize=None)
def _package_parts(directory: str) -> tuple[str, ...]:
    """The package names of a directory: its own and its parents' while `__init__.py` exists."""
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent = os.path.dirname(directory)
    if parent == directory:
        return (os.path.basename(directory),)
    return (*_package_parts(parent), os.path.basename(directory))


def module_name_for(path: Path) -> tuple[str, str]:
    """The dotted module name of a file and its package, from the `__init__.py` chain
    (cached per directory: large trees ask this for every file)."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    stem = filename.rsplit(".", 1)[0]
    package = ".".join(_package_parts(directory))
    if stem == "__init__":
        return package, package
    return (f"{package}.{stem}" if package else stem), package


def build_module_info(path: Path, source: str, module: cst.Module) -> ModuleInfo:
    """Parse-tree to ModuleInfo: positions (one libcst metadata pass) and one walk."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    name, package = module_name_for(path)
    info = ModuleInfo(
        path=path,
        name=name,
        package=package,
        source=source,
        module=module,
        positions=dict(positions),
    )
    collector = _Collector(info)
    module.visit(collector)
    return info


@dataclass
class Scope:
    """Where an expression sits: its module and, if any, its enclosing function."""

    module: ModuleInfo
    function: FunctionInfo | None = None
    # Arguments bound to the function's parameters when a helper is followed from a call.
    arguments: dict[str, tuple[cst.BaseExpression, Scope]] = field(default_factory=dict)

    def bindings_of(self, name: str, before_line: int | None) -> tuple[str, list[Binding]] | None:
        """The bindings of `name` seen from here, innermost scope first.

        Returns ("local", ...) for a function's own names (parameters are reported as
        ("param", [])), ("module", ...) for module names and ("import", []) for imports.
        """
        function = self.function
        while function is not None:
            if name in function.bindings:
                found = function.bindings[name]
                if before_line is not None and function is self.function:
                    earlier = [b for b in found if b.line <= before_line]
                    found = earlier or found
                return "local", found
            if name in function.params:
                return "param", []
            function = function.parent
        if name in self.module.bindings:
            return "module", self.module.bindings[name]
        if name in self.module.imports:
            return "import", []
        return None

    def enclosing_class(self) -> ClassInfo | None:
        function = self.function
        while function is not None:
            if function.class_name is not None:
                return self.module.classes.get(function.class_name)
            function = function.parent
        return None
