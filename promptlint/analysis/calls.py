# SPDX-License-Identifier: MIT
"""Finds every LLM call in a module and normalizes it into an `LLMCall`.

One walk over the tree. For each call whose method name could be an SDK call, the
receiver is traced back to an SDK constructor (`SdkObject`) through assignments, `self`
attributes, parameters' annotations, helper functions and imports from other project
modules; the SDK's `Provider` then reads the arguments. The walk also records where each
call sits (function, loops, statement) and the module's entry points, which the engine
links across files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import libcst as cst

from promptlint.analysis.entrypoints import (
    function_entry,
    gradio_callbacks,
    is_main_guard,
    is_streamlit_app,
    registered_routes,
    rq_jobs,
)
from promptlint.analysis.messages import MessageReader
from promptlint.analysis.project import Project
from promptlint.analysis.prompts import MAX_DEPTH, Resolver, _returns
from promptlint.analysis.providers import REGISTRY, Registry
from promptlint.analysis.providers.base import CallSite, SdkObject, call_arguments
from promptlint.analysis.providers.wrapper import build_wrapper_call
from promptlint.config import Wrapper
from promptlint.analysis.scope import FunctionInfo, ModuleInfo, Scope, dotted_name, module_name_for
from promptlint.types import CallContext, FileAnalysis, Handler, LLMCall, Loop

LOOP_NODES = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
BATCH_API_MARKERS = ("batches.create", "create_batch", "BatchModelRequests")


class ObjectResolver:
    """Traces an expression back to the SDK object it holds."""

    def __init__(self, resolver: Resolver, registry: Registry) -> None:
        self.resolver = resolver
        self.registry = registry
        self._memo: dict[int, SdkObject | None] = {}

    def resolve(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> SdkObject | None:
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # guards against cycles (a = a.with_options())
        found = self._resolve(node, scope, depth) if depth <= MAX_DEPTH else None
        self._memo[key] = found
        return found

    def _resolve(self, node: cst.BaseExpression, scope: Scope, depth: int) -> SdkObject | None:
        if isinstance(node, cst.Await):
            return self.resolve(node.expression, scope, depth + 1)
        if isinstance(node, cst.Call):
            return self._from_call(node, scope, depth)
        if isinstance(node, (cst.Name, cst.Attribute)):
            followed = self.resolver.follow(node, scope)
            if followed is None:
                return None
            if followed.kind == "param" and isinstance(node, cst.Name):
                return self._from_annotation(node.value, followed.scope)
            if followed.kind in ("value", "with") and followed.node is not None:
                return self.resolve(followed.node, followed.scope, depth + 1)
        return None

    def _from_annotation(self, name: str, scope: Scope) -> SdkObject | None:
        """A parameter annotated with an SDK client class: `def answer(client: AsyncOpenAI)`."""
        function = scope.function
        while function is not None and name not in function.params:
            function = function.parent
        if function is None:
            return None
        annotation = function.params[name].annotation
        if annotation is None:
            return None
        dotted = dotted_name(annotation.annotation)
        if dotted is None:
            return None
        qualified = scope.module.qualify(dotted)
        constructor = self.registry.constructors.get(qualified)
        if constructor is None:
            return None
        provider, kind, is_async = constructor
        return SdkObject(provider.sdk, kind, qualified, is_async)

    def _from_call(self, call: cst.Call, scope: Scope, depth: int) -> SdkObject | None:
        qualified = self.resolver.qualified_name(call.func, scope)
        if qualified is not None:
            constructor = self.registry.constructors.get(qualified)
            if constructor is not None:
                provider, kind, is_async = constructor
                return SdkObject(provider.sdk, kind, qualified, is_async, settings=call_arguments(call, scope))
            factory = self.registry.factories.get(qualified)
            if factory is not None:
                return factory(self, call, scope, depth)
        if isinstance(call.func, cst.Attribute):
            split = self.split(call.func, scope, depth)
            if split is not None:
                obj, path = split
                return self.registry.by_sdk[obj.provider].derive(obj, path, call, scope)
        helper = self.resolver.helper_function(call.func, scope)
        if helper is not None:
            function, module_scope = helper
            for ret in reversed(_returns(function.node)):
                if ret.value is not None:
                    found = self.resolve(ret.value, Scope(module_scope.module, function), depth + 1)
                    if found is not None:
                        return found
        return None

    def split(self, func: cst.Attribute, scope: Scope, depth: int = 0) -> tuple[SdkObject, tuple[str, ...]] | None:
        """`client.chat.completions.create` -> (client's object, ("chat", "completions", "create"))."""
        chain: list[cst.BaseExpression] = []
        node: cst.BaseExpression = func
        while isinstance(node, cst.Attribute):
            chain.append(node)
            node = node.value
        chain.append(node)
        chain.reverse()  # base first, then each longer prefix, func last
        names = [n.attr.value for n in chain[1:]]  # type: ignore[union-attr]
        for index, prefix in enumerate(chain[:-1]):
            obj = self.resolve(prefix, scope, depth + 1)
            if obj is not None:
                return obj, tuple(names[index:])
        return None


@dataclass
class _Frame:
    """A function being walked, with the loops and statements open inside it."""

    function: FunctionInfo | None
    calls_made: set[str] = field(default_factory=set)


class CallFinder(cst.CSTVisitor):
    """The one walk over a module that finds calls and records their context."""

    def __init__(
        self,
        module: ModuleInfo,
        project: Project,
        registry: Registry = REGISTRY,
        wrappers: tuple[Wrapper, ...] = (),
    ) -> None:
        self.module = module
        self.wrappers = {wrapper.function: wrapper for wrapper in wrappers}
        self.wrapper_names = frozenset(name.rsplit(".", 1)[-1] for name in self.wrappers)
        self.project = project
        self.registry = registry
        self.resolver = Resolver(project)
        self.reader = MessageReader(self.resolver)
        self.objects = ObjectResolver(self.resolver, registry)
        self.parents: list[cst.CSTNode] = []
        self.calls: list[LLMCall] = []
        self.handlers: dict[str, Handler] = {}
        self.calls_from: dict[str, set[str]] = {}
        self.gradio: set[str] = set()
        self.routes: list[tuple[str, Handler]] = []  # registered by calls (routes, RQ jobs), names as written
        self.main_function = f"{module.name}.<main>" if module.name else "<main>"
        self.module_function = f"{module.name}.<module>" if module.name else "<module>"

    # -- generic parent tracking ---------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        self.parents.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.parents.pop()

    # -- walk ------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.module.function_of.get(node)
        if info is not None:
            entry = function_entry(info, self.module)
            if entry is not None:
                self.handlers[info.qualname] = entry

    def visit_If(self, node: cst.If) -> None:
        if is_main_guard(node) and not self._function_parents():
            self.handlers[self.main_function] = Handler("__main__ block", self.main_function, None, False)

    def visit_Call(self, node: cst.Call) -> None:
        self._record_call_edge(node)
        for name in gradio_callbacks(node, self.module):
            self.gradio.add(name)
        self.routes.extend(registered_routes(node, self.module))
        self.routes.extend((name, Handler("rq job", name, None, False)) for name in rq_jobs(node, self.module))
        call = self._match(node)
        if call is not None:
            self.calls.append(call)

    # -- matching --------------------------------------------------------------------
    def _match(self, node: cst.Call) -> LLMCall | None:
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if last in self.wrapper_names:
            found = self._match_wrapper(node)
            if found is not None:
                return found
        if last not in self.registry.methods:
            return None
        scope = self._scope()
        qualified = self.resolver.qualified_name(func, scope)
        if qualified is not None and qualified in self.registry.functions:
            provider, api = self.registry.functions[qualified]
            return self._build(provider, api, None, node, scope)
        if not isinstance(func, cst.Attribute):
            return None
        split = self.objects.split(func, scope)
        if split is None:
            return None
        obj, path = split
        provider = self.registry.by_sdk[obj.provider]
        api = provider.api_for(obj, path)
        if api is None:
            return None
        return self._build(provider, api, obj, node, scope)

    def _match_wrapper(self, node: cst.Call) -> LLMCall | None:
        scope = self._scope()
        qualified = self._callee_name(dotted_name(node.func) or "", scope)
        wrapper = self.wrappers.get(qualified or "")
        if wrapper is None:
            return None
        site = CallSite(node, scope, self.resolver, self.reader, f"wrapper.{wrapper.function}", None, self._context(node, scope))
        return build_wrapper_call(site, wrapper)

    def _build(self, provider, api: str, obj: SdkObject | None, node: cst.Call, scope: Scope) -> LLMCall | None:
        site = CallSite(node, scope, self.resolver, self.reader, api, obj, self._context(node, scope))
        return provider.build(site)

    # -- context ---------------------------------------------------------------------
    def _function_parents(self) -> list[cst.FunctionDef]:
        return [p for p in self.parents if isinstance(p, cst.FunctionDef)]

    def _scope(self) -> Scope:
        functions = self._function_parents()
        if not functions:
            return Scope(self.module)
        return Scope(self.module, self.module.function_of.get(functions[-1]))

    def _current_function_name(self) -> str:
        functions = self._function_parents()
        if functions:
            info = self.module.function_of.get(functions[-1])
            if info is not None:
                return info.qualname
        if any(isinstance(p, cst.If) and is_main_guard(p) for p in self.parents):
            return self.main_function
        return self.module_function

    def _record_call_edge(self, node: cst.Call) -> None:
        dotted = dotted_name(node.func)
        if dotted is None:
            return
        scope = self._scope()
        target = self._callee_name(dotted, scope)
        if target:
            self.calls_from.setdefault(self._current_function_name(), set()).add(target)

    def _callee_name(self, dotted: str, scope: Scope) -> str | None:
        head, _, rest = dotted.partition(".")
        if head in ("self", "cls"):
            cls = scope.enclosing_class()
            if cls is None or not rest:
                return None
            local = f"{cls.name}.{rest}"
            return f"{self.module.name}.{local}" if self.module.name else local
        instance_of = self._instance_class(head, scope) if rest else None
        if instance_of is not None:
            return f"{instance_of}.{rest}"
        if head in self.module.imports:
            return self._canonical(self.module.qualify(dotted))
        return self.module.qualify(dotted)

    def _instance_class(self, name: str, scope: Scope) -> str | None:
        """`agent = ResearchAgent()` then `agent.plan(...)`: the project class `agent`
        holds, so the call edge reaches the method `ResearchAgent.plan`."""
        found = scope.bindings_of(name, None)
        if found is None or found[0] not in ("local", "module") or not found[1]:
            return None
        value = found[1][-1].value
        dotted = dotted_name(value.func) if isinstance(value, cst.Call) else None
        if dotted is None:
            return None
        if dotted in self.module.classes:
            return f"{self.module.name}.{dotted}" if self.module.name else dotted
        if dotted.partition(".")[0] in self.module.imports:
            qualified = self.module.qualify(dotted)
            target = self.project.resolve_import(qualified, self.module)
            if target is not None and target[1] in target[0].classes:
                return self._canonical(qualified)
        return None

    def _canonical(self, qualified: str) -> str:
        """An imported project function under the name its own module gives it, so call
        edges meet function names across files: `app.llm.answer` imported from a folder
        without `__init__.py` is `llm.answer` in llm.py."""
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = self.project.find_module(".".join(parts[:cut]), self.module)
            if path is not None:
                name = module_name_for(path)[0]
                rest = ".".join(parts[cut:])
                return f"{name}.{rest}" if name else rest
        return qualified

    def _function_named(self, dotted: str) -> str | None:
        """The qualified name of a function referenced as a callback (local or imported)."""
        info = self.module.functions.get(dotted)
        if info is not None:
            return info.qualname
        if dotted.partition(".")[0] in self.module.imports:
            return self._canonical(self.module.qualify(dotted))
        return None

    def _context(self, node: cst.Call, scope: Scope) -> CallContext:
        functions = self._function_parents()
        function = scope.function
        parent = self.parents[-2] if len(self.parents) >= 2 else None
        loops: list[Loop] = []
        statement, block, index = self._statement()
        reads = self._reads(node, scope)
        # A loop outside the innermost function or lambda does not repeat the call: the
        # function (a `pool.submit(lambda: ...)` callback, a helper) runs when called.
        boundary = max(
            (i for i, p in enumerate(self.parents) if isinstance(p, (cst.FunctionDef, cst.Lambda))),
            default=-1,
        )
        for ancestor in self.parents[boundary + 1 :]:
            if isinstance(ancestor, LOOP_NODES):
                loops.append(self._loop(ancestor, node, scope, reads))
        background = None
        if any(isinstance(p, cst.If) and is_main_guard(p) for p in self.parents) and not functions:
            background = "__main__ block"
        return CallContext(
            function=function.qualname if function is not None else self._current_function_name(),
            is_async_function=function.is_async if function is not None else False,
            awaited=isinstance(parent, cst.Await),
            loops=tuple(loops),
            background=background,
            block=block,
            statement_index=index,
            assigned_to=self._assigned_to(statement, node),
            reads=tuple(sorted(reads)),
            result_used=self._result_used(statement, node),
        )

    def _result_used(self, statement: cst.CSTNode | None, call: cst.Call) -> bool:
        """False for a call made only for its side effects: a bare expression statement,
        or an assignment to `_`."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return True
        for small in statement.body:
            value = getattr(small, "value", None)
            if isinstance(value, cst.Await):
                value = value.expression
            if value is not call:
                continue
            if isinstance(small, cst.Expr):
                return False
            if isinstance(small, cst.Assign) and all(
                isinstance(t.target, cst.Name) and t.target.value == "_" for t in small.targets
            ):
                return False
        return True

    def _statement(self) -> tuple[cst.CSTNode | None, str | None, int | None]:
        """The innermost statement holding the call, its block's identity and its index."""
        for position in range(len(self.parents) - 1, 0, -1):
            node = self.parents[position]
            container = self.parents[position - 1]
            if isinstance(node, cst.BaseStatement) and isinstance(container, (cst.IndentedBlock, cst.Module)):
                body = list(container.body)
                index = next((i for i, s in enumerate(body) if s is node), None)
                line = self.module.line(container) if container in self.module.positions else 0
                return node, f"{self.module.path}:{line}:{id(container)}", index
        return None, None, None

    def _assigned_to(self, statement: cst.CSTNode | None, call: cst.Call) -> tuple[str, ...]:
        """Names bound to the call's result, or to a value computed from it
        (`text = (await client.create(...)).choices[0].message.content`): whatever reads
        them depends on the call."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return ()
        names: list[str] = []
        for small in statement.body:
            value = getattr(small, "value", None)
            if value is None or not any(p is value for p in self.parents):
                continue
            targets = []
            if isinstance(small, cst.Assign):
                targets = [t.target for t in small.targets]
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                targets = [small.target]
            for target in targets:
                names.extend(_names_in(target))
        return tuple(names)

    def _reads(self, call: cst.Call, scope: Scope) -> set[str]:
        """Names the call's arguments read, following the function's local assignments."""
        reads: set[str] = set()
        pending = [argument.value for argument in call.args]
        seen: set[int] = set()
        while pending:
            expression = pending.pop()
            if id(expression) in seen:
                continue
            seen.add(id(expression))
            for name in _names_in(expression):
                if name in reads:
                    continue
                reads.add(name)
                if scope.function is not None:
                    for binding in scope.function.bindings.get(name, []):
                        if binding.value is not None:
                            pending.append(binding.value)
        return reads

    def _loop(self, node: cst.CSTNode, call: cst.Call, scope: Scope, reads: set[str]) -> Loop:
        module = self.module
        if isinstance(node, (cst.For, cst.While)):
            kind = "async for" if isinstance(node, cst.For) and node.asynchronous else (
                "for" if isinstance(node, cst.For) else "while"
            )
            iterable = node.iter if isinstance(node, cst.For) else None
            carries = self._carries_state(node, call, scope, reads)
        else:
            kind = "comprehension"
            iterable = node.for_in.iter  # type: ignore[attr-defined]
            carries = False
        function_node = scope.function.node if scope.function is not None else module.module
        source = module.code(function_node)
        return Loop(
            kind=kind,
            span=module.span(node),
            iterable=module.code(iterable) if iterable is not None else None,
            bound=self._bound(iterable, scope) if iterable is not None else None,
            carries_state=carries,
            uses_batch_api=any(marker in source for marker in BATCH_API_MARKERS),
        )

    def _carries_state(self, loop: cst.For | cst.While, call: cst.Call, scope: Scope, reads: set[str]) -> bool:
        """Whether the call reads something an earlier iteration produced, or whether an
        iteration runs at all depends on the last one: a while loop, or a loop that can
        leave early (`break`, `return`: retries, fallbacks, find-first)."""
        if isinstance(loop, cst.While):
            return True  # a while loop's next step usually depends on the last one
        if _exits_early(loop):
            return True
        if scope.function is None:
            return False
        start = self.module.line(loop)
        end = self.module.positions[loop].end.line
        call_line = self.module.line(call)
        targets = set(_names_in(loop.target))
        for name in reads - targets:
            for binding in scope.function.bindings.get(name, []):
                if not start <= binding.line <= end:
                    continue
                if binding.kind in ("augassign", "append", "extend") or binding.line >= call_line:
                    return True
        return False

    def _bound(self, iterable: cst.BaseExpression, scope: Scope) -> int | None:
        node, node_scope = self.resolver.follow_value(iterable, scope)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return None
            return len(node.elements)
        if isinstance(node, cst.Call) and self.resolver.qualified_name(node.func, node_scope) == "range":
            values = []
            for argument in node.args:
                try:
                    values.append(self.resolver.literal(argument.value, node_scope))
                except ValueError:
                    return None
            if values and all(isinstance(v, int) for v in values) and len(values) <= 3:
                return len(range(*values))
        return None

    # -- results ---------------------------------------------------------------------
    def analysis(self) -> FileAnalysis:
        handlers = dict(self.handlers)
        for name in self.gradio:
            function = self._function_named(name)
            if function is not None:
                handlers[function] = Handler("gradio", function, None, True)
        for name, handler in self.routes:
            function = self._function_named(name)
            if function is not None:
                handlers[function] = replace(handler, function=function)
        if is_streamlit_app(self.module):
            handlers[self.module_function] = Handler("streamlit", self.module_function, None, True)
        return FileAnalysis(
            filename=str(self.module.path),
            calls=tuple(self.calls),
            handlers=tuple(handlers.values()),
            calls_from=tuple(sorted((k, tuple(sorted(v))) for k, v in self.calls_from.items())),
            dependencies=self.project.dependencies(),
        )


def _exits_early(loop: cst.For) -> bool:
    """Whether the loop's body can leave it: a `break` of this loop (not of a nested one)
    or a `return` (nested functions, lambdas and classes are not part of the body)."""
    found = False

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.depth = 0  # nested loops: their `break` leaves only them

        def visit_Break(self, node: cst.Break) -> None:
            nonlocal found
            found = found or self.depth == 0

        def visit_Return(self, node: cst.Return) -> None:
            nonlocal found
            found = True

        def visit_For(self, node: cst.For) -> None:
            self.depth += 1

        def leave_For(self, original_node: cst.For) -> None:
            self.depth -= 1

        def visit_While(self, node: cst.While) -> None:
            self.depth += 1

        def leave_While(self, original_node: cst.While) -> None:
            self.depth -= 1

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    loop.body.visit(Visitor())
    return found


def _names_in(node: cst.CSTNode) -> Iterable[str]:
    """Every plain name read or bound in an expression (attribute names excluded)."""
    found: list[str] = []

    class Visitor(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            attribute.value.visit(self)
            return False

        def visit_Arg(self, arg: cst.Arg) -> bool:
            arg.value.visit(self)
            return False

    node.visit(Visitor())
    return found


def analyze_module(module: ModuleInfo, project: Project, wrappers: tuple[Wrapper, ...] = ()) -> FileAnalysis:
    """All LLM calls and entry points of one parsed module."""
    project.start_file()
    project.add_module(module)
    finder = CallFinder(module, project, wrappers=wrappers)
    module.module.visit(finder)
    return finder.analysis()
