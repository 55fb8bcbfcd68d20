# SPDX-License-Identifier: MIT
"""Entry points: code a person waits on (web routes and views, chat UI callbacks) and code
nobody waits on (scripts' `__main__` blocks, CLI commands, queued and scheduled jobs).

Latency rules care about the first kind and batch rules about the second. Detection is by
the decorators and base classes the frameworks document, read statically.
"""

from __future__ import annotations

import libcst as cst

from promptlint.analysis.scope import FunctionInfo, ModuleInfo, dotted_name
from promptlint.types import Handler

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "options", "head")
ROUTE_DECORATORS = frozenset({*HTTP_METHODS, "route", "api_route", "websocket", "api_view"})
WEB_FRAMEWORKS = ("fastapi", "starlette", "flask", "litestar", "quart", "sanic", "django", "rest_framework", "ninja")
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


def _framework(module: ModuleInfo) -> str:
    imported = " ".join(module.imports.values())
    for name in WEB_FRAMEWORKS:
        if name in imported:
            return "django" if name in ("rest_framework", "ninja") else name
    return "web"


def _route(decorator: cst.Call, method: str, module: ModuleInfo) -> str | None:
    path = None
    verbs: list[str] = []
    for argument in decorator.args:
        if argument.keyword is None and isinstance(argument.value, cst.SimpleString) and path is None:
            value = argument.value.evaluated_value
            path = value if isinstance(value, str) else None
        elif argument.keyword is not None and argument.keyword.value in ("path", "rule", "route") and isinstance(argument.value, cst.SimpleString):
            value = argument.value.evaluated_value
            path = value if isinstance(value, str) else None
        elif argument.keyword is not None and argument.keyword.value in ("methods", "http_method"):
            verbs = [
                e.value.evaluated_value.upper()
                for e in getattr(argument.value, "elements", ())
                if isinstance(e.value, cst.SimpleString) and isinstance(e.value.evaluated_value, str)
            ]
    if path is None:
        return None
    if method in HTTP_METHODS:
        verbs = [method.upper()]
    if method == "websocket":
        verbs = ["WEBSOCKET"]
    return f"{'/'.join(verbs) or 'GET'} {path}"


def function_entry(function: FunctionInfo, module: ModuleInfo) -> Handler | None:
    """The entry point a function's decorators or class make it, if any."""
    for decorator in function.node.decorators:
        expression = decorator.decorator
        call = expression if isinstance(expression, cst.Call) else None
        target = call.func if call is not None else expression
        dotted = dotted_name(target) or ""
        qualified = module.qualify(dotted) if dotted else ""
        last = dotted.rsplit(".", 1)[-1]
        if qualified in CHAT_UI_DECORATORS:
            return Handler(CHAT_UI_DECORATORS[qualified], function.qualname, None, True)
        if last in ROUTE_DECORATORS and (call is not None or last == "api_view"):
            route = _route(call, last, module) if call is not None else None
            if route is not None or last == "api_view":
                return Handler(_framework(module), function.qualname, route, True)
        if last in BACKGROUND_DECORATORS and (last not in CLI_DECORATORS or _imports_any(module, CLI_FRAMEWORKS)):
            return Handler(BACKGROUND_DECORATORS[last], function.qualname, None, False)
    if function.class_name is not None and function.node.name.value in VIEW_METHODS:
        cls = module.classes.get(function.class_name)
        if cls is not None and any(base.endswith(VIEW_BASE_SUFFIXES) for base in cls.bases):
            verb = function.node.name.value.upper()
            return Handler("django" if _framework(module) in ("django", "web") else _framework(module), function.qualname, f"{verb} {cls.name}", True)
    if (
        function.class_name is None
        and module.path.stem == "views"
        and function.node.params.params
        and function.node.params.params[0].name.value == "request"
    ):
        return Handler("django", function.qualname, None, True)
    return None


def gradio_callbacks(call: cst.Call, module: ModuleInfo) -> list[str]:
    """Local function names a Gradio interface or event wires up as callbacks."""
    dotted = dotted_name(call.func) or ""
    qualified = module.qualify(dotted)
    names: list[str] = []
    if qualified.startswith("gradio.") and qualified.rsplit(".", 1)[-1] in ("ChatInterface", "Interface"):
        for index, argument in enumerate(call.args):
            if (argument.keyword is not None and argument.keyword.value == "fn") or (argument.keyword is None and index == 0):
                if isinstance(argument.value, cst.Name):
                    names.append(argument.value.value)
    elif (
        isinstance(call.func, cst.Attribute)
        and call.func.attr.value in ("click", "submit", "change", "then", "stream")
        and any(v.startswith("gradio") for v in module.imports.values())
    ):
        for index, argument in enumerate(call.args):
            if (argument.keyword is not None and argument.keyword.value == "fn") or (argument.keyword is None and index == 0):
                if isinstance(argument.value, cst.Name):
                    names.append(argument.value.value)
    return names


def rq_jobs(call: cst.Call, module: ModuleInfo) -> list[str]:
    """Dotted names (as written) of the functions an RQ `queue.enqueue(fn, ...)` call queues
    as jobs, for the caller to qualify."""
    if not isinstance(call.func, cst.Attribute) or not _imports_any(module, ("rq",)):
        return []
    index = RQ_ENQUEUE_METHODS.get(call.func.attr.value)
    if index is None:
        return []
    positionals = [a.value for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    target = keywords.get("func", positionals[index] if len(positionals) > index else None)
    dotted = dotted_name(target) if target is not None else None
    return [dotted] if dotted else []


def _imports_any(module: ModuleInfo, packages: tuple[str, ...]) -> bool:
    return any(v.split(".", 1)[0] in packages for v in module.imports.values())


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


def registered_routes(call: cst.Call, module: ModuleInfo) -> list[tuple[str, Handler]]:
    """Handlers a call registers as routes, as (callback's dotted name as written, handler
    with that name as its function, for the caller to qualify):
    Starlette `Route("/", homepage)`, FastAPI `app.add_api_route(...)`, Flask
    `app.add_url_rule(...)`. App methods count only in a module importing a web framework."""
    dotted = dotted_name(call.func) or ""
    qualified = module.qualify(dotted)
    last = dotted.rsplit(".", 1)[-1]
    if qualified in ROUTE_CLASSES:
        keyword, position = ROUTE_CLASSES[qualified]
    elif isinstance(call.func, cst.Attribute) and last in ROUTE_METHODS and _framework(module) != "web":
        keyword, position = ROUTE_METHODS[last]
    else:
        return []
    positionals = [argument.value for argument in call.args if argument.keyword is None and not argument.star]
    callback = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    if callback is None and len(positionals) > position:
        callback = positionals[position]
    name = dotted_name(callback) if callback is not None else None
    if name is None:
        return []
    route = _route(call, "websocket" if "websocket" in last.lower() else last, module)
    return [(name, Handler(_framework(module), name, route, True))]


def is_streamlit_app(module: ModuleInfo) -> bool:
    return any(v == "streamlit" or v.startswith("streamlit.") for v in module.imports.values())


def is_main_guard(node: cst.If) -> bool:
    """`if __name__ == "__main__":`"""
    test = node.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left = test.left
    right = test.comparisons[0].comparator
    names = {getattr(left, "value", None), getattr(right, "value", None)}
    return "__name__" in names and any(
        isinstance(side, cst.SimpleString) and side.evaluated_value == "__main__" for side in (left, right)
    )
