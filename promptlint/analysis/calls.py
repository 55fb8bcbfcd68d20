# SPDX-License-Identifier: MIT
"""Finds every LLM call in a module and normalizes it into an `LLMCall`.

A module's summary lists every call it makes, with its context (function, loops,
statement). A call is an LLM call when its callee resolves (`objects`) to an SDK method or
function, or to a project function that forwards its parameters to one (a wrapper:
inferred here, or configured in `[tool.promptlint.wrappers]`). The SDK's `Provider` then
reads the arguments; for a wrapper call they are the SDK call's own arguments, read with
the wrapper's parameters bound to what this call passes, so the prompt is resolved as the
caller wrote it.

The same pass records what the engine links across files: the module's entry points and,
for each of its functions, the project functions it calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from promptlint.analysis import entrypoints
from promptlint.analysis.messages import MessageReader
from promptlint.analysis.objects import (
    Budget,
    CallBudgetExceeded,
    Objects,
    Partial,
    ProjectClass,
    ProjectFunction,
    SdkName,
    SdkObject,
)
from promptlint.analysis.prompts import Prompts
from promptlint.analysis.providers import REGISTRY, Registry
from promptlint.analysis.providers.base import CallSite, to_span
from promptlint.analysis.providers.wrapper import build_configured_call
from promptlint.analysis.scope import ClassRef, Scope, lookup, qualify
from promptlint.analysis.shapes import by_shape
from promptlint.config import Wrapper
from promptlint.index import values as v
from promptlint.index.project import ProjectIndex
from promptlint.index.summary import MODULE_FUNCTION, CallInfo, FunctionSummary, ModuleSummary
from promptlint.analysis.results import CallContext, FileAnalysis, LLMCall, Loop, WrapperDef

MAX_WRAPPER_DEPTH = 3  # wrapper -> wrapper -> wrapper -> SDK
BATCH_API_MARKERS = ("batches.create", "create_batch", "BatchModelRequests", "batch_completion")
# Arguments of an SDK call that carry the prompt or the model: a function whose parameters
# flow into one of them forwards a prompt, which makes it a wrapper.
PROMPT_ARGUMENTS = (
    "messages", "system", "prompt", "input", "instructions", "contents", "message", "model", "model_name",
    "user_prompt", "history", "#0", "#1",
)



@dataclass(frozen=True, slots=True)
class Reached:
    """An SDK call a callee reaches: the call, where it is read, and through which wrappers."""

    info: CallInfo
    scope: Scope
    api: str
    obj: SdkObject | None
    partial: tuple[v.Call, Scope] | None
    via: tuple[str, ...]  # wrapper qualified names, outermost first


@dataclass
class CallFinder:
    """Analyses one module: its LLM calls, wrappers, entry points and call edges."""

    module: ModuleSummary
    index: ProjectIndex
    registry: Registry = REGISTRY
    configured: tuple[Wrapper, ...] = ()
    # Names of known wrapper functions (last component): calls of these are checked as
    # wrapper calls. None checks every call (small runs, such as pre-commit's).
    wrapper_names: frozenset[str] | None = frozenset()
    known_wrappers: dict[str, tuple[WrapperDef, ...]] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    # A later round of wrapper finding: only calls of these names, no edges or entry points.
    only: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self.objects = Objects(self.index, self.registry, self.budget)
        self.prompts = Prompts(self.index, self.objects)
        self.reader = MessageReader(self.prompts)
        self.configured_by_name = {wrapper.function: wrapper for wrapper in self.configured}
        self.configured_names = frozenset(name.rsplit(".", 1)[-1] for name in self.configured_by_name)
        self._wrapper_memo: dict[str, tuple[Reached, ...] | None] = {}
        self._reaching: set[str] = set()
        self._local_imports: dict[str, frozenset[str]] = {}
        self._worth: dict[tuple, tuple[v.Call, bool]] = {}
        self.calls: list[LLMCall] = []
        self.wrappers: list[WrapperDef] = []
        self.edges: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ the pass

    def run(self) -> FileAnalysis:
        module = self.module
        functions = [*module.functions.values()]
        if module.toplevel is not None:
            functions.append(module.toplevel)
        for function in functions:
            scope = Scope(module, None if function.name == MODULE_FUNCTION else function)
            for info in function.calls:
                if self.only is not None and _last_name(info.call.func) not in self.only:
                    continue
                self.budget.start_call()
                try:
                    self.visit(info, function, scope)
                except CallBudgetExceeded:
                    continue  # this call took too much work to follow: the rest of the file goes on
        handlers = entrypoints.module_handlers(module, self.objects) if self.only is None else []
        return FileAnalysis(
            filename=module.path,
            calls=tuple(self.calls),
            handlers=tuple(handlers),
            calls_from=tuple(sorted((k, tuple(sorted(x))) for k, x in self.edges.items())),
            dependencies=self.index.dependencies(),
            wrappers=tuple(self.wrappers),
        )

    def visit(self, info: CallInfo, function: FunctionSummary, scope: Scope) -> None:
        call = info.call
        here = scope.at(call.loc[0])
        worth = self.worth(call, here)
        callee = self.objects.resolve(call.func, here) if worth else None
        self.record_edge(self.caller_name(function, info), callee, call, here)
        if callee is None and worth:
            callee = self.shape(call, here)
        if callee is None or _mocks_llm(function, _last_name(call.func)):
            return
        target = self.sdk_target(callee, call, here)
        if target is not None:
            api, obj, partial = target
            site = self.site(call, here, api, obj, partial, info, function, report=(self.module.path, call.loc))
            built = self.build(site, obj)
            if built is not None:
                self.calls.append(built)
                self.note_wrapper(function, scope, site)
            return
        if isinstance(callee, ProjectFunction):
            configured = self.configured_by_name.get(callee.qualname)
            if configured is not None:
                self.calls.append(self.configured_call(configured, call, here, info, function))
                return
            target = self.polymorphic(callee, call, here)  # `self._call()`: a subclass's override
            self.wrapper_call(target if isinstance(target, ProjectFunction) else callee, call, here, info, function)
            self.passed_method_call(callee, call, here, info, function)

    # ------------------------------------------------------------------ targets

    def sdk_target(self, callee: object, call: v.Call, scope: Scope) -> tuple[str, SdkObject | None, tuple[v.Call, Scope] | None] | None:
        """(api, object, partial) when calling `callee` sends an LLM request."""
        partial = None
        if isinstance(callee, Partial):
            partial = (callee.call, callee.scope)
            callee = callee.target
        if isinstance(callee, SdkObject):
            api = self.registry.api_for(callee)
            return (api, callee, partial) if api is not None else None
        if isinstance(callee, SdkName):
            found = self.registry.functions.get(callee.qualname)
            if found is not None:
                return found[1], None, partial
        return None

    def site(self, call: v.Call, scope: Scope, api: str, obj: SdkObject | None, partial, info: CallInfo, function: FunctionSummary, *, report, via: str | None = None, related=(), context: CallContext | None = None) -> CallSite:
        return CallSite(
            call=call,
            scope=scope,
            prompts=self.prompts,
            reader=self.reader,
            api=api,
            obj=obj,
            context=context if context is not None else self.context(info, function, scope),
            report_filename=report[0],
            report_loc=report[1],
            via=via,
            related=related,
            partial=partial,
        )

    def build(self, site: CallSite, obj: SdkObject | None) -> LLMCall | None:
        provider = self.registry.by_sdk[obj.provider] if obj is not None else self.registry.functions[_function_name(site, self.registry)][0]
        return provider.build(site)

    # ------------------------------------------------------------------ wrappers

    def note_wrapper(self, function: FunctionSummary, scope: Scope, site: CallSite) -> None:
        """Record `function` as a wrapper when its parameters flow into the SDK call's
        prompt or model arguments."""
        if function.name == MODULE_FUNCTION:
            return
        params = self.forwarded(function, site)
        if params:
            qualname = _qualname(self.module, function)
            if not any(w.function == qualname for w in self.wrappers):
                self.wrappers.append(WrapperDef(qualname, self.module.path, function.name.rsplit(".", 1)[-1], tuple(sorted(params)), 1))

    def forwarded(self, function: FunctionSummary, site: CallSite) -> set[str]:
        """The function's parameters that the SDK call's prompt and model arguments carry."""
        values = [value for name, (value, arg_scope) in site.arguments_here.items() if name in PROMPT_ARGUMENTS and arg_scope.function is function]
        values.extend(value for keyword, value in site.call.keywords if keyword is None)
        return flowing_params(values, function)

    def wrapper_call(self, callee: ProjectFunction, call: v.Call, scope: Scope, info: CallInfo, function: FunctionSummary) -> None:
        """A call of a project function that forwards to an SDK: an LLM call where the
        prompt is written, here."""
        reached = self.reach(callee, call, scope, 0)
        if not reached:
            return
        first = reached[0]
        if first.api.startswith("litellm.") and _sets_mock_response(function):
            return  # a test stubbing the reply through its config: no request is sent
        related = tuple((r.scope.module.path, to_span(r.info.call.loc)) for r in reached)
        context = self.context(info, function, scope)
        site = self.site(
            first.info.call, first.scope, first.api, first.obj, first.partial, first.info, function,
            report=(self.module.path, call.loc), via=first.via[0], related=related, context=context,
        )
        built = self.build(site, first.obj)
        if built is not None:
            params = flowing_params([*call.args, *(value for _, value in call.keywords)], function, self.module) if function.name != MODULE_FUNCTION else set()
            # A wrapper passing its own parameters on to another is a hop, not where a
            # prompt is written: its callers are (if any are found, they say so).
            self.calls.append(replace(built, wrapped=True, hop=self.hop_kind(function, call)) if params else built)
            if params:
                qualname = _qualname(self.module, function)
                if not any(w.function == qualname for w in self.wrappers):
                    level = min(len(first.via) + 1, MAX_WRAPPER_DEPTH)
                    self.wrappers.append(WrapperDef(qualname, self.module.path, function.name.rsplit(".", 1)[-1], tuple(sorted(params)), level))

    def hop_kind(self, function: FunctionSummary, call: v.Call) -> str:
        """What kind of hop a wrapper call forwarding `function`'s parameters is (see
        `LLMCall.hop`): a pass-through hands on only its parameters; inside a class, a call
        on the method's own object is the class's plumbing."""
        params: set[str] = set()
        outer: FunctionSummary | None = None  # the method holding it, if any
        for enclosing in _enclosing(function, self.module):
            params |= {p.name for p in enclosing.params}
            if enclosing.class_name is not None:
                outer = enclosing
                break
        # `**options` hands on settings, whatever they hold: only the named arguments can add prompt text.
        if all(_handed_on(value, params, function) for value in (*call.args, *(value for name, value in call.keywords if name is not None))):
            return "pass"
        if outer is None:
            return ""
        base = call.func.base if isinstance(call.func, v.Attr) else None
        return "self" if isinstance(base, v.Ref) and base.name in ("self", "cls", outer.first_param) else "method"

    def reach(self, callee: ProjectFunction, call: v.Call, scope: Scope, depth: int) -> tuple[Reached, ...]:
        """The SDK calls a project function makes with its parameters bound to this call's
        arguments, directly or through other wrappers (up to MAX_WRAPPER_DEPTH), when it
        forwards a parameter into their prompt or model."""
        if depth >= MAX_WRAPPER_DEPTH or not self.is_wrapper(callee):
            return ()
        inner = self.objects.bind_call(callee, call, scope)
        return self.reached_in(callee, inner, depth)

    def is_wrapper(self, callee: ProjectFunction) -> bool:
        """Whether a project function forwards a parameter into an SDK call (memoized)."""
        key = callee.qualname + "@" + (callee.self_type.qualname if callee.self_type else "")
        if key not in self._wrapper_memo:
            if key in self._reaching:
                return False
            self._reaching.add(key)
            try:
                scope = Scope(callee.module, callee.function, {}, callee.self_type, callee.init)
                found = self.reached_in(callee, scope, 0, require_forwarding=True)
            finally:
                self._reaching.discard(key)
            self._wrapper_memo[key] = found or None
        return self._wrapper_memo[key] is not None

    def reached_in(self, callee: ProjectFunction, scope: Scope, depth: int, *, require_forwarding: bool = False) -> tuple[Reached, ...]:
        function = callee.function
        params = {p.name for p in function.params}
        if function.class_name is not None and function.first_param:
            params.discard(function.first_param)
        found: list[Reached] = []
        for info in function.calls:
            if info.in_lambda:
                continue
            self.budget.spend()
            here = scope.at(info.call.loc[0])
            if not self.worth(info.call, here) and not (self.known_wrappers and _last_name(info.call.func) in self.known_wrappers):
                continue
            target_obj = self.objects.resolve(info.call.func, here) or self.shape(info.call, here)
            target = self.sdk_target(target_obj, info.call, here) if target_obj is not None else None
            if target is not None:
                if require_forwarding and not (_reads_any(info.call, function, prompt_only=True) or _spreads(info.call)):
                    continue
                api, obj, partial = target
                found.append(Reached(info, here, api, obj, partial, (callee.qualname,)))
                continue
            nested = self.polymorphic(target_obj, info.call, here)
            if isinstance(nested, ProjectFunction) and depth + 1 < MAX_WRAPPER_DEPTH:
                if require_forwarding and not _reads_any(info.call, function):
                    continue
                for reached in self.reach(nested, info.call, here, depth + 1):
                    found.append(Reached(reached.info, reached.scope, reached.api, reached.obj, reached.partial, (callee.qualname, *reached.via)))
            if len(found) >= 4:
                break
        return tuple(found)

    def polymorphic(self, target: object, call: v.Call, scope: Scope) -> object:
        """`self._call(...)` in a base class whose own `_call` is abstract: the override of a
        known wrapper in one of its subclasses. When the object was built by naming its
        class (`model = DummyModel(...)`; `model.run()`), only that class and its
        subclasses count: a sibling's override is not what this object runs. A class
        picked at run time (`model_class(...)`, one of a factory's) is not known that well."""
        if not isinstance(target, ProjectFunction) or target.function.class_name is None:
            return target
        if self.is_wrapper(target):
            return target
        name = target.function.name.rsplit(".", 1)[-1]
        base = target.self_type if _built_by_name(target) else None
        if base is None and target.function.class_name in target.module.classes:
            base = ClassRef(target.module, target.module.classes[target.function.class_name])
        if base is None:
            return target
        for definition in self.known_wrappers.get(name, ()):
            module = self.index.summary(definition.path)
            if module is None:
                continue
            method_name = definition.function[len(module.name) + 1 :] if module.name else definition.function
            method = module.functions.get(method_name)
            if method is None or method.class_name is None or method.class_name not in module.classes:
                continue
            subclass = ClassRef(module, module.classes[method.class_name])
            if any(ref.module.path == base.module.path and ref.cls.name == base.cls.name for ref in self.objects.mro(subclass)):
                return ProjectFunction(module, method, subclass, None)
        return target

    def passed_method_call(self, callee: ProjectFunction, call: v.Call, scope: Scope, info: CallInfo, function: FunctionSummary) -> None:
        """`self._call_client(self.client.chat.completions.create, messages=...)`: a bound SDK
        method passed to a helper that calls it; the request is made with this call's
        arguments."""
        if not self.passes_method(call, scope):
            return
        inner = self.objects.bind_call(callee, call, scope)
        for param, (value, value_scope) in inner.arguments.items():
            obj = self.objects.resolve(value, value_scope)
            target = self.sdk_target(obj, call, scope) if obj is not None else None
            if target is None:
                continue
            for helper_call in callee.function.calls:
                if isinstance(helper_call.call.func, v.Ref) and helper_call.call.func.name == param:
                    api, sdk_obj, partial = target
                    site = self.site(
                        helper_call.call, inner.at(helper_call.call.loc[0]), api, sdk_obj, partial, info, function,
                        report=(self.module.path, call.loc), via=callee.qualname,
                        related=((callee.module.path, to_span(helper_call.call.loc)),), context=self.context(info, function, scope),
                    )
                    built = self.build(site, sdk_obj)
                    if built is not None:
                        self.calls.append(built)
                    return

    def configured_call(self, wrapper: Wrapper, call: v.Call, scope: Scope, info: CallInfo, function: FunctionSummary) -> LLMCall:
        site = self.site(call, scope, f"wrapper:{wrapper.function}", None, None, info, function, report=(self.module.path, call.loc))
        return build_configured_call(site, wrapper, self.objects)

    # ------------------------------------------------------------------ call edges

    def caller_name(self, function: FunctionSummary, info: CallInfo) -> str:
        """The function a call is made from; module-level code is `<module>`, or `<main>`
        inside `if __name__ == "__main__":` (an entry point nobody waits on)."""
        if function.name == MODULE_FUNCTION:
            return entrypoints.main_function(self.module) if info.in_main_guard else entrypoints.module_function(self.module)
        return _qualname(self.module, function)

    def worth(self, call: v.Call, scope: Scope) -> bool:
        """Whether a call may be an LLM call, judged from its names: an SDK method or
        function, a known wrapper's name, an SDK method passed as an argument; with every
        call checked for wrappers (small runs), a call into a module that calls an SDK.

        Memoized for the file: a wrapper's calls are judged again at each of its callers,
        with other arguments bound, which the names read here do not depend on (half of
        deepeval's judgements were repeats). The entry keeps the call alive, so no other
        value can take its id while the memo lasts."""
        key = (
            id(call),
            scope.module.path,
            scope.function.name if scope.function is not None else None,
            scope.self_type.qualname if scope.self_type is not None else None,
            scope.line,
        )
        memo = self._worth.get(key)
        if memo is not None:
            return memo[1]
        worth = self._judge(call, scope)
        self._worth[key] = (call, worth)
        return worth

    def _judge(self, call: v.Call, scope: Scope) -> bool:
        """`worth`, worked out."""
        last = _last_name(call.func)
        if last is None:
            return False
        if (
            last in self.registry.methods
            or (self.wrapper_names is not None and last in self.wrapper_names)
            or _imported_call(last, scope.module)
            or self.passes_method(call, scope)
            or last == "partial"
            or last in self.configured_names
            or self.names_sdk_method(call.func, scope)
        ):
            return True
        return self.wrapper_names is None and self.may_reach_sdk(call, scope)

    def names_sdk_method(self, value: v.Value, scope: Scope, depth: int = 0) -> bool:
        """Whether a value, by its names alone, may hold an SDK method: `x.create`, or a name
        (local, module or `self.` attribute) assigned one, or an imported SDK function
        (`create_func = self._client.messages.create`, `self.client = completion`)."""
        if isinstance(value, v.Attr) and value.name in self.registry.methods:
            return True
        bindings: list = []
        if isinstance(value, v.Ref):
            if _imported_call(value.name, scope.module):
                return True
            found = lookup(value.name, scope)  # the function, the ones enclosing it, the module
            bindings = list(found.bindings) if found is not None else []
        elif isinstance(value, v.Attr) and isinstance(value.base, v.Ref) and value.base.name == scope.self_name:
            cls = scope.method_class()
            if cls is not None:
                bindings = [binding for _, binding in cls.cls.self_attributes.get(value.name, ())]
        for binding in bindings[-4:]:
            bound = binding.value
            if binding.kind == "import" and isinstance(bound, v.Ref) and REGISTRY.knows(bound.name):
                return True
            if isinstance(bound, v.Call) and _last_name(bound.func) == "partial" and bound.args:
                bound = bound.args[0]  # `functools.partial(litellm_completion, model=...)`
            if isinstance(bound, v.Attr) and bound.name in self.registry.methods:
                return True
            if isinstance(bound, v.Call) and _getattr_name(bound) in self.registry.methods:
                return True  # `stream_create = getattr(client.responses.with_streaming_response, "create", None)`
            if isinstance(bound, v.Ref) and (_imported_call(bound.name, scope.module) or bound.name in self.local_sdk_imports(scope.module)):
                return True
            if depth < 3 and isinstance(bound, v.Attr) and isinstance(bound.base, v.Ref) and bound.base.name == scope.self_name:
                if self.names_sdk_method(bound, scope, depth + 1):  # `self._call = self._completion`
                    return True
        return False

    def local_sdk_imports(self, module: ModuleSummary) -> frozenset[str]:
        """The names the module's functions bind by importing something of an SDK
        (`def __init__(self): from litellm import completion; self.client = completion`)."""
        found = self._local_imports.get(module.path)
        if found is None:
            found = self._local_imports[module.path] = frozenset(
                name
                for function in module.functions.values()
                for name, bindings in function.bindings.items()
                if any(b.kind == "import" and isinstance(b.value, v.Ref) and REGISTRY.knows(b.value.name) for b in bindings)
            )
        return found

    def passes_method(self, call: v.Call, scope: Scope) -> bool:
        """Whether an argument may be an SDK method (`self._call_client(create_func, ...)`)."""
        return any(self.names_sdk_method(a, scope) for a in (*call.args, *(x for _, x in call.keywords)))

    def shape(self, call: v.Call, scope: Scope) -> SdkObject | None:
        """The SDK object an untraceable call is made on, known by its shape (`shapes`) —
        unless part of the receiver is known to be something else (a mock, a project
        class): only an unknown receiver may be an untyped client."""
        found = by_shape(call)
        if found is None:
            return None
        receiver = call.func.base if isinstance(call.func, v.Attr) else None
        root = receiver
        while isinstance(root, v.Attr):
            root = root.base
        if isinstance(root, v.Ref) and scope.function is not None:
            made = next((b.value for b in reversed(scope.function.bindings.get(root.name, ())) if b.kind == "assign"), None)
            if isinstance(made, v.Call) and isinstance(self.objects.resolve(made.func, scope), (ProjectFunction, ProjectClass)):
                return None  # `client = self._make_fake_client()`: project code made it
        while receiver is not None:
            known = self.objects.resolve(receiver, scope)
            if known is not None and not isinstance(known, SdkObject):
                return None
            if isinstance(receiver, v.Call) and isinstance(self.objects.resolve(receiver.func, scope), (ProjectFunction, ProjectClass)):
                return None  # made by project code that is not an SDK client
            receiver = receiver.base if isinstance(receiver, v.Attr) else None
        return found

    def may_reach_sdk(self, call: v.Call, scope: Scope) -> bool:
        """Whether a call is worth resolving to check for a wrapper, judged without reading
        other modules: a call of a function or method of this module, or of a name imported
        from a project module whose bytes spell an SDK call (nothing else can forward one)."""
        dotted = v.dotted(call.func)
        if dotted is None:
            return False
        head = dotted.split(".")[0]
        module = scope.module
        if head == scope.self_name or head in module.functions or head in module.classes:
            return self.index.path_may_call_sdk(module.path)
        qualified = qualify(dotted, scope)
        if qualified is None or qualified == dotted and head not in module.imports:
            return False
        return self.index.module_may_call_sdk(qualified, module)

    def edge_target(self, call: v.Call, scope: Scope) -> str | None:
        """The qualified name a call goes to, from the names alone (no module is read):
        `helper()`, `mod.helper()`, `self.method()`, `agent.plan()` for a local
        `agent = Agent()`. The linker canonicalizes re-exported names."""
        dotted = v.dotted(call.func)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head == scope.self_name and rest and "." not in rest:
            cls = scope.method_class()
            return f"{cls.qualname}.{rest}" if cls is not None else None
        if rest and "." not in rest:
            local = scope.function.bindings.get(head, ()) if scope.function is not None else ()
            for binding in reversed(local or scope.module.bindings.get(head, ())):
                if binding.kind == "assign" and isinstance(binding.value, v.Call):
                    constructor = v.dotted(binding.value.func)
                    owner = qualify(constructor, scope) if constructor else None
                    return f"{owner}.{rest}" if owner else None
                break
        return qualify(dotted, scope)

    def record_edge(self, caller: str, callee: object, call: v.Call, scope: Scope) -> None:
        """`caller -> callee` for entry-point reachability: project functions, and the
        methods an instance's class defines (`agent.plan()` reaches `Agent.plan`)."""
        target = None
        if isinstance(callee, ProjectFunction):
            target = callee.qualname
        elif isinstance(callee, ProjectClass):
            target = f"{callee.ref.qualname}.__init__"
        elif callee is None:
            target = self.edge_target(call, scope)
        if target is not None:
            self.edges.setdefault(caller, set()).add(target)

    # ------------------------------------------------------------------ context

    def context(self, info: CallInfo, function: FunctionSummary, scope: Scope) -> CallContext:
        is_module = function.name == MODULE_FUNCTION
        reads = self.reads(info.call, function) if not is_module else set(v.names_read(info.call))
        loops = tuple(self.loop(function.loops[i], info, function, scope, reads) for i in info.loops)
        return CallContext(
            function=self.caller_name(function, info),
            is_async_function=function.is_async,
            awaited=info.awaited,
            loops=loops,
            background="__main__ block" if is_module and info.in_main_guard else None,
            block=f"{self.module.path}:{function.name}:{info.block}",
            statement_index=info.index,
            assigned_to=info.assigned_to,
            reads=tuple(sorted(reads)),
            result_used=info.result_used,
        )

    def reads(self, call: v.Call, function: FunctionSummary) -> set[str]:
        """Names the call's arguments read, following the function's local assignments."""
        reads: set[str] = set()
        pending: list[v.Value] = [*call.args, *(value for _, value in call.keywords)]
        seen: set[int] = set()
        while pending:
            value = pending.pop()
            if id(value) in seen:
                continue
            seen.add(id(value))
            for name in v.names_read(value):
                if name in reads:
                    continue
                reads.add(name)
                for binding in function.bindings.get(name, ()):
                    if binding.value is not None:
                        pending.append(binding.value)
        return reads

    def loop(self, loop, info: CallInfo, function: FunctionSummary, scope: Scope, reads: set[str]) -> Loop:
        return Loop(
            kind=loop.kind,
            span=to_span(loop.loc),
            iterable=self.prompts.source(loop.iterable, scope) if loop.iterable is not None else None,
            bound=self.bound(loop.iterable, scope) if loop.iterable is not None else None,
            carries_state=self.carries_state(loop, info, function, reads),
            uses_batch_api=any(
                (v.dotted(c.call.func) or "").endswith(BATCH_API_MARKERS) or _last_name(c.call.func) in ("create_batch",)
                for c in function.calls
            ),
        )

    def carries_state(self, loop, info: CallInfo, function: FunctionSummary, reads: set[str]) -> bool:
        """Whether the call reads something an earlier iteration produced, or whether an
        iteration runs at all depends on the last one: a while loop, or a loop that can
        leave early (`break`, `return`: retries, fallbacks, find-first)."""
        if loop.kind == "while" or loop.exits_early:
            return True
        if loop.kind == "comprehension":
            return False
        start, end = loop.loc[0], loop.loc[2]
        call_line = info.call.loc[0]
        for name in reads - set(loop.targets):
            for binding in function.bindings.get(name, ()):
                if start <= binding.line <= end and (binding.kind in ("augassign", "append", "extend", "insert") or binding.line >= call_line):
                    return True
        return False

    def bound(self, iterable: v.Value, scope: Scope) -> int | None:
        node, node_scope = self.prompts.follow(iterable, scope)
        if isinstance(node, v.Seq):
            if any(isinstance(e, v.Star) for e in node.items):
                return None
            return len(node.items)
        if isinstance(node, v.Call) and qualify(v.dotted(node.func) or "", node_scope) in ("range", "builtins.range"):
            values = [self.prompts.literal(a, node_scope) for a in node.args]
            if values and all(isinstance(x, int) and not isinstance(x, bool) for x in values) and len(values) <= 3:
                return len(range(*values))  # type: ignore[arg-type]
        return None


def _function_name(site: CallSite, registry: Registry) -> str:
    for name, (_, api) in registry.functions.items():
        if api == site.api:
            return name
    raise KeyError(site.api)


def _qualname(module: ModuleSummary, function: FunctionSummary) -> str:
    return f"{module.name}.{function.name}" if module.name else function.name


def _last_name(func: v.Value) -> str | None:
    if isinstance(func, v.Attr):
        return func.name
    if isinstance(func, v.Ref):
        return func.name
    if isinstance(func, v.Call):
        return _last_name(func.func)  # `partial(...)(...)`, `get_client()(...)`
    if isinstance(func, v.Sub):
        return _last_name(func.base)
    return None


def _getattr_name(call: v.Call) -> str | None:
    """The attribute `getattr(obj, "name", ...)` reads, when it is a literal."""
    if isinstance(call.func, v.Ref) and call.func.name == "getattr" and len(call.args) >= 2 and isinstance(call.args[1], v.Str):
        return call.args[1].value
    return None


def _imported_call(name: str, module: ModuleSummary) -> bool:
    """A call of a name bound to something imported from an SDK (`litellm_completion`)."""
    qualified = module.imports.get(name)
    return qualified is not None and REGISTRY.knows(qualified)


LLM_WORDS = ("openai", "anthropic", "litellm", "completion", "genai", "langchain", "chat", "llm", "messages", "create", "generate", "client")


def _mocks_llm(function: FunctionSummary, called: str | None = None) -> bool:
    """Whether a function patches something LLM-ish (`@patch("app.llm.litellm_completion")`,
    `with patch.object(client.chat.completions, "create")`, `monkeypatch.setattr(model,
    "_call_client", fake)`), or patches the very function called
    (`@patch("app.models.Backend.run")` around `model.run(...)`): its calls reach a mock
    and send nothing. Module-level code is never taken as patched: its calls include the
    `@patch(...)` decorators of the test functions below it, which patch only those."""
    if function.name == MODULE_FUNCTION:
        return False
    for value in (*function.decorators, *(info.call for info in function.calls)):
        if not isinstance(value, v.Call) or _last_name(value.func) not in ("patch", "object", "dict", "multiple", "setattr"):
            continue
        dotted = v.dotted(value.func) or ""
        if "patch" not in dotted and dotted not in ("monkeypatch.setattr", "mocker.patch.object"):
            continue
        texts = [a.value.lower() for a in value.args if isinstance(a, v.Str)]
        texts += [(v.dotted(a) or "").lower() for a in value.args]
        if any(word in text for text in texts for word in LLM_WORDS):
            return True
        if called and any(text.rsplit(".", 1)[-1] == called.lower() for text in texts):
            return True
    return False


def _built_by_name(method: ProjectFunction) -> bool:
    """Whether the object a method is bound to was built by a call naming its class."""
    if method.self_type is None or method.init is None:
        return False
    return _last_name(method.init[0].func) == method.self_type.cls.name.rsplit(".", 1)[-1]


def _sets_mock_response(function: FunctionSummary) -> bool:
    """Whether a function hands LiteLLM a canned reply on the way to a wrapper:
    `get_model(Config(completion_kwargs={"mock_response": "Hi"}))`, as a keyword or a
    dict key in any call it makes."""
    if function.name == MODULE_FUNCTION:
        return False
    pending: list[v.Value] = [info.call for info in function.calls]
    while pending:
        value = pending.pop()
        if isinstance(value, v.Call) and any(keyword == "mock_response" for keyword, _ in value.keywords):
            return True
        if isinstance(value, v.Dict) and any(isinstance(key, v.Str) and key.value == "mock_response" for key in value.keys):
            return True
        pending.extend(v.children(value))
    return False


def _reads_any(call: v.Call, function: FunctionSummary, *, prompt_only: bool = False) -> bool:
    """Whether the call's arguments (with `prompt_only`, those that carry a prompt or a
    model) carry one of the function's parameters."""
    keywords = [value for keyword, value in call.keywords if not prompt_only or keyword is None or keyword in PROMPT_ARGUMENTS]
    return bool(flowing_params([*call.args, *keywords], function))


# Calls through which a parameter's text still reaches a prompt: string building.
TEXT_CALLS = frozenset(
    {
        "format", "join", "replace", "strip", "lstrip", "rstrip", "dedent", "cleandoc", "str", "format_map",
        "substitute", "safe_substitute", "render", "format_messages", "from_messages", "from_template", "dumps",
    }
)


def _enclosing(function: FunctionSummary, module: ModuleSummary) -> Iterator[FunctionSummary]:
    """The function, then the functions enclosing it (whose parameters a closure reads)."""
    current: FunctionSummary | None = function
    while current is not None:
        yield current
        current = module.functions.get(current.parent) if current.parent else None


def _handed_on(value: v.Value, params: set[str], function: FunctionSummary, depth: int = 0) -> bool:
    """Whether a wrapper call's argument adds nothing to the prompt: one of the caller's
    parameters as given, or barely changed (`[system_prompt]`, `inputs["messages"]`,
    `inputs.get("messages")`), a local name bound only to such values, an attribute of
    the caller's object (its settings, `self.config.n`) or a non-text constant."""
    if isinstance(value, v.Ref):
        if value.name in params:
            return True
        bindings = function.bindings.get(value.name, ())
        return depth < 3 and bool(bindings) and all(
            binding.kind == "assign" and binding.value is not None and _handed_on(binding.value, params, function, depth + 1)
            for binding in bindings
        )
    if isinstance(value, (v.Num, v.Const)):
        return not isinstance(value.value, str) or value.value == "..."
    if isinstance(value, (v.Star, v.Await)):
        return _handed_on(value.value, params, function, depth)
    if isinstance(value, v.Seq):
        return all(_handed_on(item, params, function, depth) for item in value.items)
    if isinstance(value, (v.Attr, v.Sub)):
        base = value.base
        while isinstance(base, (v.Attr, v.Sub)):
            base = base.base
        return isinstance(base, v.Ref) and (base.name in ("self", "cls") or _handed_on(base, params, function, depth))
    if isinstance(value, v.Call) and isinstance(value.func, v.Attr) and value.func.name == "get":
        return _handed_on(value.func.base, params, function, depth)
    return False


def flowing_params(values: list[v.Value], function: FunctionSummary, module: ModuleSummary | None = None) -> set[str]:
    """The function's parameters (with `module`, also those of the functions enclosing it,
    which a closure reads) whose value reaches `values` as text: read directly or through
    local assignments, list building, f-strings, `+`, displays and string-building calls,
    but not through other calls (`json.load(open(path))` reads a file, it does not forward
    `path` as a prompt)."""
    params = {
        p.name
        for enclosing in (_enclosing(function, module) if module is not None else (function,))
        for p in enclosing.params
        if p.name != (enclosing.first_param if enclosing.class_name else None)
    }
    if not params:
        return set()
    found: set[str] = set()
    pending: list[v.Value] = list(values)
    seen: set[int] = set()
    followed: set[str] = set()
    while pending and len(seen) < 2000:
        value = pending.pop()
        if value is None or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, v.Ref):
            name = value.name
            if name in params:
                found.add(name)
            if name not in followed:
                followed.add(name)
                for binding in function.bindings.get(name, ()):
                    if binding.value is not None and binding.kind in ("assign", "augassign", "append", "extend", "insert", "item"):
                        pending.append(binding.value)
            continue
        if isinstance(value, v.Call):
            last = _last_name(value.func)
            own_method = isinstance(value.func, v.Attr) and isinstance(value.func.base, v.Ref) and value.func.base.name in ("self", "cls")
            if last in TEXT_CALLS or own_method or (isinstance(value.func, v.Ref) and last not in ("open", "len", "int", "float", "bool", "isinstance")):
                pending.extend(value.args)
                pending.extend(item for _, item in value.keywords)
                if isinstance(value.func, v.Attr):
                    pending.append(value.func.base)
            continue
        if isinstance(value, v.Lambda):
            continue
        pending.extend(v.children(value))
    return found


def _spreads(call: v.Call) -> bool:
    return any(keyword is None for keyword, _ in call.keywords) or any(isinstance(a, v.Star) for a in call.args)


def analyze_module(
    module: ModuleSummary,
    index: ProjectIndex,
    *,
    configured: tuple[Wrapper, ...] = (),
    wrapper_names: frozenset[str] | None = frozenset(),
    known_wrappers: dict[str, tuple[WrapperDef, ...]] | None = None,
    budget: Budget | None = None,
    only: frozenset[str] | None = None,
) -> FileAnalysis:
    """All LLM calls, wrappers and entry points of one module."""
    finder = CallFinder(
        module,
        index,
        configured=configured,
        wrapper_names=wrapper_names,
        known_wrappers=known_wrappers or {},
        budget=budget or Budget(),
        only=only,
    )
    return finder.run()

