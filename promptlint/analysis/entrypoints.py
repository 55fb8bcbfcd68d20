# SPDX-License-Identifier: MIT
"""Entry points: code a person waits on (web routes and views, chat UI callbacks) and code
nobody waits on (scripts' `__main__` blocks, CLI commands, queued and scheduled jobs).

Latency rules care about the first kind and batch rules about the second. Detection is by
the decorators and base classes the frameworks document, read statically. A route
decorator counts only when its object comes from a web framework (an app, router,
blueprint or view, followed through imports), so `@mock.patch(...)` on a test is not a
`PATCH` route; test functions are never entry points.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from promptlint.analysis.scope import Scope, lookup, qualify
from promptlint.index import values as v
from promptlint.index.summary import MODULE_FUNCTION, FunctionSummary, ModuleSummary
from promptlint.paths import is_test_file
from promptlint.analysis.results import Handler

if TYPE_CHECKING:
    from promptlint.analysis.objects import Objects

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "options", "head")
ROUTE_DECORATORS = frozenset({*HTTP_METHODS, "route", "api_route", "websocket", "api_view", "websocket_route"})
WEB_FRAMEWORKS = ("fastapi", "starlette", "flask", "litestar", "quart", "sanic", "django", "rest_framework", "ninja", "aiohttp")
# Objects whose methods are route decorators: apps, routers, blueprints.
ROUTE_OWNERS = frozenset(
    {
        "fastapi.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter", "starlette.applications.Starlette",
        "starlette.routing.Router", "flask.Flask", "flask.Blueprint", "quart.Quart", "quart.Blueprint",
        "sanic.Sanic", "sanic.Blueprint", "litestar.Litestar", "litestar.Router", "ninja.NinjaAPI", "ninja.Router",
        "aiohttp.web.RouteTableDef",
    }
)
# Packages whose decorators are never routes, whatever their method is called.
NOT_ROUTES = ("unittest", "mock", "pytest", "responses", "respx", "httpx", "requests", "aioresponses", "freezegun")
CHAT_UI_DECORATORS = {
    "chainlit.on_message": "chainlit",
    "chainlit.on_chat_start": "chainlit",
    "chainlit.step": "chainlit",
}
VIEW_METHODS = frozenset({*HTTP_METHODS, "list", "create", "retrieve", "update", "partial_update", "destroy"})
VIEW_BASE_SUFFIXES = ("View", "ViewSet", "APIView", "Endpoint", "Controller", "HTTPEndpoint")
BACKGROUND_DECORATORS = {
    "task": "task",
    "shared_task": "celery task",
    "periodic_task": "celery task",
    "actor": "dramatiq actor",
    "job": "scheduled job",
    "scheduled_job": "scheduled job",
    "flow": "prefect flow",
    "op": "dagster op",
    "asset": "dagster asset",
    "dag": "airflow dag",
    "command": "CLI command",
    "group": "CLI command",
    "cron": "scheduled job",
}
# `command`/`group` decorators count as CLI commands only with a CLI framework imported:
# Slack Bolt's `@app.command("/ask")` and discord.py's `@bot.command()` answer a user.
CLI_DECORATORS = frozenset({"command", "group"})
CLI_FRAMEWORKS = ("click", "typer", "cyclopts", "rich_click", "asyncclick")
# RQ queues a plain function: `queue.enqueue(fn, ...)`; the positional index of `fn` per method.
RQ_ENQUEUE_METHODS = {"enqueue": 0, "enqueue_call": 0, "enqueue_at": 1, "enqueue_in": 1}
# Routes registered by a call rather than a decorator: the callable's qualified name (a
# route class) or method name (an app's method) -> the callback's keyword and position.
ROUTE_CLASSES = {
    "starlette.routing.Route": ("endpoint", 1),
    "starlette.routing.WebSocketRoute": ("endpoint", 1),
}
ROUTE_METHODS = {
    "add_route": ("route", 1),  # Starlette
    "add_websocket_route": ("route", 1),  # Starlette
    "add_api_route": ("endpoint", 1),  # FastAPI
    "add_api_websocket_route": ("endpoint", 1),  # FastAPI
    "add_url_rule": ("view_func", 2),  # Flask
}


def main_function(module: ModuleSummary) -> str:
    return f"{module.name}.<main>" if module.name else "<main>"


def module_function(module: ModuleSummary) -> str:
    return f"{module.name}.<module>" if module.name else "<module>"


def module_handlers(module: ModuleSummary, objects: Objects) -> list[Handler]:
    """The entry points a module defines, by qualified function name."""
    handlers: dict[str, Handler] = {}
    test_module = is_test_file(module.path)
    for function in module.functions.values():
        if test_module and function.name.rsplit(".", 1)[-1].startswith("test"):
            continue
        entry = function_entry(function, module)
        if entry is not None:
            handlers[entry.function] = entry
    top = module.toplevel
    if top is not None:
        if any(info.in_main_guard for info in top.calls):
            name = main_function(module)
            handlers[name] = Handler("__main__ block", name, None, False)
        if _imports_any(module, ("streamlit",)):
            name = module_function(module)
            handlers[name] = Handler("streamlit", name, None, True)
    if not _imports_any(module, ("gradio", "rq", "starlette", "fastapi", "flask", "quart", "sanic", "litestar", "django", "ninja", "aiohttp")):
        return list(handlers.values())  # routes, callbacks and jobs registered by calls need one of these
    for function in (*module.functions.values(), *( [top] if top is not None else [])):
        scope = Scope(module, None if function.name == MODULE_FUNCTION else function)
        for info in function.calls:
            for name, handler in _registered(info.call, module, scope):
                target = _function_named(name, module, objects, scope)
                if target is not None:
                    handlers[target] = Handler(handler.framework, target, handler.route, handler.user_facing)
    return list(handlers.values())


def _registered(call: v.Call, module: ModuleSummary, scope: Scope) -> list[tuple[str, Handler]]:
    found = []
    found.extend((name, Handler("gradio", name, None, True)) for name in gradio_callbacks(call, module))
    found.extend(registered_routes(call, module, scope))
    found.extend((name, Handler("rq job", name, None, False)) for name in rq_jobs(call, module))
    return found


def _function_named(dotted: str, module: ModuleSummary, objects: Objects, scope: Scope) -> str | None:
    """The qualified name of a function referenced as a callback (local or imported)."""
    function = module.functions.get(dotted)
    if function is not None:
        return f"{module.name}.{function.name}" if module.name else function.name
    from promptlint.analysis.objects import ProjectFunction

    head = dotted.split(".")[0]
    value: v.Value = v.Ref(head, v.NO_LOC)
    for part in dotted.split(".")[1:]:
        value = v.Attr(value, part, v.NO_LOC)
    found = objects.resolve(value, scope)
    return found.qualname if isinstance(found, ProjectFunction) else None


def _framework(module: ModuleSummary) -> str:
    imported = " ".join(module.imports.values())
    for name in WEB_FRAMEWORKS:
        if name in imported:
            return "django" if name in ("rest_framework", "ninja") else name
    return "web"


def _literal(value: v.Value | None) -> str | None:
    return value.value if isinstance(value, v.Str) else None


def _route(decorator: v.Call, method: str) -> str | None:
    path = None
    verbs: list[str] = []
    if decorator.args and isinstance(decorator.args[0], v.Str):
        path = decorator.args[0].value
    for keyword, value in decorator.keywords:
        if keyword in ("path", "rule", "route", "uri") and isinstance(value, v.Str):
            path = value.value
        elif keyword in ("methods", "http_method") and isinstance(value, v.Seq):
            verbs = [item.value.upper() for item in value.items if isinstance(item, v.Str)]
    if method in HTTP_METHODS:
        verbs = [method.upper()]
    if method.startswith("websocket"):
        verbs = ["WEBSOCKET"]
    if path is None:
        return None
    return f"{'/'.join(verbs) or 'GET'} {path}" if path else "/".join(verbs) or None


def function_entry(function: FunctionSummary, module: ModuleSummary) -> Handler | None:
    """The entry point a function's decorators or class make it, if any."""
    qualname = f"{module.name}.{function.name}" if module.name else function.name
    for decorator in function.decorators:
        call = decorator if isinstance(decorator, v.Call) else None
        target = call.func if call is not None else decorator
        dotted = v.dotted(target) or ""
        qualified = module.qualify(dotted) if dotted else ""
        last = dotted.rsplit(".", 1)[-1]
        if qualified in CHAT_UI_DECORATORS:
            return Handler(CHAT_UI_DECORATORS[qualified], qualname, None, True)
        if last in ROUTE_DECORATORS and (call is not None or last == "api_view") and _is_route_owner(target, module):
            route = _route(call, last) if call is not None else None
            if route is not None or last == "api_view" or call is not None:
                return Handler(_framework(module), qualname, route, True)
        if last in BACKGROUND_DECORATORS and not qualified.startswith(NOT_ROUTES) and (last not in CLI_DECORATORS or _imports_any(module, CLI_FRAMEWORKS)):
            return Handler(BACKGROUND_DECORATORS[last], qualname, None, False)
    if function.class_name is not None and function.name.rsplit(".", 1)[-1] in VIEW_METHODS:
        cls = module.classes.get(function.class_name)
        if cls is not None and any((v.dotted(base) or "").endswith(VIEW_BASE_SUFFIXES) for base in cls.bases):
            verb = function.name.rsplit(".", 1)[-1].upper()
            framework = _framework(module)
            return Handler("django" if framework in ("django", "web") else framework, qualname, f"{verb} {cls.name}", True)
    if (
        function.class_name is None
        and os.path.basename(module.path) == "views.py"
        and function.params
        and function.params[0].name == "request"
    ):
        return Handler("django", qualname, None, True)
    return None


def _is_route_owner(target: v.Value, module: ModuleSummary) -> bool:
    """Whether `@X.post(...)`'s `X` (or a bare `@post(...)`) is a web framework's: built by a
    framework constructor or imported from one; unknown objects count in modules that
    import a web framework, objects of test and mocking libraries never do."""
    if isinstance(target, v.Attr):
        owner = target.base
        qualified = _origin(owner, Scope(module))
    else:
        qualified = module.qualify(v.dotted(target) or "")
    if qualified is None:
        return _framework(module) != "web"
    if qualified.startswith(NOT_ROUTES) or qualified.split(".")[0] in NOT_ROUTES:
        return False
    if qualified in ROUTE_OWNERS or qualified.split(".")[0] in WEB_FRAMEWORKS:
        return True
    return _framework(module) != "web"


def _origin(value: v.Value, scope: Scope, depth: int = 0) -> str | None:
    """What made a value, as a qualified name: the constructor called (`app = FastAPI()`),
    or the import it comes from (`from unittest import mock` -> `unittest.mock`)."""
    if depth > 12:
        return None
    if isinstance(value, v.Call):
        dotted = v.dotted(value.func)
        return qualify(dotted, scope) if dotted else None
    if isinstance(value, v.Attr):
        base = _origin(value.base, scope, depth + 1)
        return f"{base}.{value.name}" if base else None
    if isinstance(value, v.Ref):
        found = lookup(value.name, scope)
        if found is None:
            return None
        if found.where == "import":
            return found.qualified
        for binding in reversed(found.bindings):
            if binding.kind in ("assign", "annotation"):
                inner = binding.value if binding.value is not None else binding.annotation
                if inner is not None:
                    return _origin(inner, found.scope or scope, depth + 1)
            if binding.kind == "param" and binding.annotation is not None:
                return _origin(binding.annotation, found.scope or scope, depth + 1)
    return None


def gradio_callbacks(call: v.Call, module: ModuleSummary) -> list[str]:
    """Local function names a Gradio interface or event wires up as callbacks."""
    dotted = v.dotted(call.func) or ""
    qualified = module.qualify(dotted)
    names: list[str] = []
    wires = qualified.startswith("gradio.") and qualified.rsplit(".", 1)[-1] in ("ChatInterface", "Interface")
    event = isinstance(call.func, v.Attr) and call.func.name in ("click", "submit", "change", "then", "stream") and _imports_any(module, ("gradio",))
    if wires or event:
        fn = next((value for keyword, value in call.keywords if keyword == "fn"), call.args[0] if call.args else None)
        name = v.dotted(fn) if fn is not None else None
        if name:
            names.append(name)
    return names


def rq_jobs(call: v.Call, module: ModuleSummary) -> list[str]:
    """Dotted names (as written) of the functions an RQ `queue.enqueue(fn, ...)` queues."""
    if not isinstance(call.func, v.Attr) or not _imports_any(module, ("rq",)):
        return []
    index = RQ_ENQUEUE_METHODS.get(call.func.name)
    if index is None:
        return []
    keywords = {k: value for k, value in call.keywords if k is not None}
    target = keywords.get("func", call.args[index] if len(call.args) > index else None)
    dotted = v.dotted(target) if target is not None else None
    return [dotted] if dotted else []


def registered_routes(call: v.Call, module: ModuleSummary, scope: Scope) -> list[tuple[str, Handler]]:
    """Handlers a call registers as routes, as (callback's dotted name as written, handler):
    Starlette `Route("/", homepage)`, FastAPI `app.add_api_route(...)`, Flask
    `app.add_url_rule(...)`. App methods count only in a module importing a web framework."""
    dotted = v.dotted(call.func) or ""
    qualified = module.qualify(dotted)
    last = dotted.rsplit(".", 1)[-1]
    if qualified in ROUTE_CLASSES:
        keyword, position = ROUTE_CLASSES[qualified]
    elif isinstance(call.func, v.Attr) and last in ROUTE_METHODS and _framework(module) != "web":
        keyword, position = ROUTE_METHODS[last]
    else:
        return []
    callback = next((value for k, value in call.keywords if k == keyword), None)
    if callback is None and len(call.args) > position:
        callback = call.args[position]
    name = v.dotted(callback) if callback is not None else None
    if name is None:
        return []
    route = _route(call, "websocket" if "websocket" in last.lower() else last)
    return [(name, Handler(_framework(module), name, route, True))]


def _imports_any(module: ModuleSummary, packages: tuple[str, ...]) -> bool:
    return any(value.split(".", 1)[0] in packages for value in module.imports.values())
