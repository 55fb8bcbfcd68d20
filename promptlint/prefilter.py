# SPDX-License-Identifier: MIT
"""Which files are worth parsing, decided from their bytes alone.

Parsing costs ~100x a byte scan, and on real code bases only a few percent of files can
hold an LLM call, so selection reads bytes: an SDK is only usable after an import, so
the scan looks for import statements of an SDK (a literal prefix, `from`/`import`, lets
the regex engine skip ahead), and for a call that SDK is made with. A file that imports
no SDK can still make calls through a project module that does (a client built in
clients.py, called in bot.py), or call a project wrapper; those are found from import
sets and wrapper names, compared as sets rather than with one regex of every module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from promptlint.config import Wrapper

# SDK module patterns for import statements, and the call shapes code using each SDK has.
# A file is a candidate when it imports an SDK and spells one of that SDK's shapes.
_SDKS: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "openai": (rb"openai", (r"\.create\s*\(", r"\.parse\s*\(", r"\.stream\s*\(", r"create_and_\w+\s*\(", r"\.completions\b", r"\.responses\b")),
    "anthropic": (rb"anthropic", (r"\.create\s*\(", r"\.parse\s*\(", r"\.stream\s*\(", r"tool_runner\s*\(", r"\.messages\b")),
    "litellm": (rb"litellm", (r"completion\s*\(", r"responses\s*\(", r"litellm\b")),
    "langchain": (rb"langchain\w*", (r"\.a?invoke\s*\(", r"\.a?stream\s*\(", r"\.astream_events\s*\(", r"\.a?batch\s*\(", r"\.a?generate(?:_prompt)?\s*\(", r"Chat[A-Z]\w*\s*\(", r"init_chat_model\s*\(")),
    "google": (rb"google(?:\.genai|\.generativeai|[ \t]+import[ \t]+[(\w \t,]*?(?<!\w)(?:genai|generativeai)(?!\w))", (r"generate_content", r"send_message", r"\.create\s*\(", r"GenerativeModel\s*\(")),
    "pydantic_ai": (rb"pydantic_ai", (r"\.run(?:_sync|_stream\w*)?\s*\(", r"\.iter\s*\(", r"Agent\s*\(")),
    "instructor": (rb"instructor", (r"\.create(?:_\w+)?\s*\(",)),
}
_SDK_WORDS = (b"openai", b"anthropic", b"litellm", b"langchain", b"pydantic_ai", b"instructor", b"genai", b"generativeai")
_IMPORT_LIST_HEAD = rb"(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*"  # `import os, sys as s, `
_IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w \t,]*)|import[ \t]+([\w \t,.]*))",
    re.M,
)
# Any call that could reach an SDK through a project module (a client imported from
# clients.py): the union of every SDK's shapes.
_ANY_CALL = re.compile("|".join(sorted({shape for _, shapes in _SDKS.values() for shape in shapes})).encode())
# Bytes that show an entry point: a route or job decorator, an import of a web, chat-UI
# or job framework (its routes, views and callbacks are entry points), or a `__main__`
# block. Separate line-anchored patterns with `[ \t]*`: one alternation of them all
# defeats the regex engine's literal scanning and runs several times slower.
_ENTRY_DECORATOR = re.compile(
    rb"^[ \t]*@[\w.]*(?:get|post|put|patch|delete|route|api_route|websocket|task|shared_task|command|flow|on_message)\b",
    re.M,
)
_FRAMEWORK_IMPORT = re.compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:fastapi|starlette|flask|quart|sanic|litestar|django|rest_framework|ninja"
    rb"|chainlit|celery|dramatiq|rq|click|typer|streamlit|gradio)\b",
    re.M,
)


@functools.lru_cache(maxsize=1)
def _sdk_patterns() -> tuple[tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]], ...]:
    """Per SDK: (`from` import pattern, `import` pattern, call-shape pattern)."""
    patterns = []
    for module, shapes in _SDKS.values():
        from_import = re.compile(rb"(?<![\w.])from[ \t]+" + module + rb"(?!\w)")
        plain = re.compile(rb"(?<![\w.])import[ \t]+" + _IMPORT_LIST_HEAD + module + rb"(?!\w)")
        patterns.append((from_import, plain, re.compile("|".join(shapes).encode())))
    return tuple(patterns)


def sdk_imports(data: bytes) -> bool:
    """Whether a file's bytes import a supported SDK (the import may be inside a function)."""
    if not any(word in data for word in _SDK_WORDS):
        return False
    return any(from_import.search(data) or plain.search(data) for from_import, plain, _ in _sdk_patterns())


def may_call_sdk(data: bytes) -> bool:
    """Whether a file imports an SDK and spells a call that SDK is made with."""
    if not any(word in data for word in _SDK_WORDS):
        return False
    for from_import, plain, shapes in _sdk_patterns():
        if (from_import.search(data) or plain.search(data)) and shapes.search(data):
            return True
    return False


# Calls whose shape alone says "LLM SDK", whatever the receiver (`shapes.py`): a file
# spelling one is read even without an SDK import (the client is passed in).
_DISTINCTIVE = re.compile(
    rb"\.chat\.completions\.(?:create|parse|stream)\s*\(|\.responses\.(?:create|parse|stream)\s*\("
    rb"|\.threads\.(?:runs\.)?(?:create|stream)\w*\s*\(|\.messages\.(?:create|stream|parse)\s*\(|\.models\.generate_content"
    rb"|\.create\w*\([^)]*response_model\s*="
)


def has_distinctive_call(data: bytes) -> bool:
    """Whether the bytes spell a call whose shape is an SDK's (see `shapes`)."""
    return _DISTINCTIVE.search(data) is not None


def has_call_shape(data: bytes) -> bool:
    """Whether the bytes spell any call an SDK is made with (through a project client)."""
    return _ANY_CALL.search(data) is not None


def is_entry_file(name: str, data: bytes) -> bool:
    """Whether a file may define an entry point (a route, a job, a `__main__` block)."""
    return (
        name == "views.py"
        or b"__main__" in data
        or (b"@" in data and _ENTRY_DECORATOR.search(data) is not None)
        or _FRAMEWORK_IMPORT.search(data) is not None
    )


def imported_modules(data: bytes, package: str) -> set[str]:
    """The dotted modules a file's import lines name, relative imports resolved against
    `package`; `from app import clients` yields both `app` and `app.clients` (the name may
    be a module), and `app.clients` also yields `clients` (a folder without
    `__init__.py` makes the module call itself by its last name)."""
    found: set[str] = set()
    for match in _IMPORT_LINE.finditer(data):
        base, names, plain = match.groups()
        if plain is not None:
            for item in plain.split(b","):
                words = item.split()
                if words:
                    found.add(words[0].decode("ascii", "replace"))
            continue
        module = base.decode("ascii", "replace")
        dots = len(module) - len(module.lstrip("."))
        if dots:
            parts = package.split(".") if package else []
            parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
            rest = module[dots:]
            module = ".".join([*parts, rest] if rest else parts)
        if module:
            found.add(module)
        for item in names.split(b","):
            words = item.split()
            if words:
                name = words[0].decode("ascii", "replace")
                found.add(f"{module}.{name}" if module else name)
    found |= {name.split(".", i)[i] for name in list(found) for i in range(1, name.count(".") + 1)}
    return found


@functools.lru_cache(maxsize=64)
def name_calls(names: frozenset[str]) -> re.Pattern[bytes] | None:
    """A pattern for calls of any of `names` (wrapper functions): `name(` as a word."""
    if not names:
        return None
    escaped = sorted((re.escape(name.encode()) for name in names), key=len, reverse=True)
    return re.compile(rb"(?<![\w])(?:" + rb"|".join(escaped) + rb")\s*\(")


def configured_wrapper_names(wrappers: Iterable[Wrapper]) -> tuple[frozenset[str], frozenset[str]]:
    """The modules and the function names of configured wrappers."""
    modules = frozenset(wrapper.function.rpartition(".")[0] for wrapper in wrappers)
    functions = frozenset(wrapper.function.rpartition(".")[2] for wrapper in wrappers)
    return modules, functions
