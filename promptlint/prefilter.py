# SPDX-License-Identifier: MIT
"""Which files are worth parsing, decided from their bytes alone.

Parsing costs ~100x a byte scan, and on real code bases only a few percent of files can
hold an LLM call, so selection reads bytes: an SDK is only usable after an import, so
the scan looks for an SDK's name where an import statement names it, and for a call that
SDK is made with. Both are `bytes.find` of literal words (memory speed) with each hit
checked where it is: a regular expression with alternatives would run at a tenth of the
speed, and selection reads every byte of the tree. A file that imports
no SDK can still make calls through a project module that does (a client built in
clients.py, called in bot.py), or call a project wrapper; those are found from import
sets and wrapper names, compared as sets rather than with one regex of every module.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Iterable

from promptlint.config import Wrapper

# Per SDK: the module words its imports name, and the call stems code using it spells: a
# stem starting with "." is a method (`x.create(`), one ending in "_" takes a suffix
# (`create_and_poll(`), "Chat*" a capitalized class name (`ChatOpenAI(`).
_SDKS: dict[str, tuple[tuple[bytes, ...], tuple[bytes, ...]]] = {
    "openai": ((b"openai",), (b".create", b".parse", b".stream", b".compact", b"create_and_")),
    "anthropic": ((b"anthropic",), (b".create", b".parse", b".stream", b"tool_runner")),
    "litellm": ((b"litellm",), (b"completion", b".responses", b".aresponses", b"import_module")),
    "langchain": (
        (b"langchain",),
        (b".invoke", b".ainvoke", b".stream", b".astream", b".astream_events", b".batch", b".abatch", b".generate",
         b".agenerate", b".generate_prompt", b".agenerate_prompt", b"Chat*", b"init_chat_model"),
    ),
    "google": (
        (b"genai", b"generativeai"),
        (b"generate_content", b"generate_content_stream", b"generate_content_async", b"send_message",
         b"send_message_stream", b"send_message_async", b".create", b"GenerativeModel"),
    ),
    "pydantic_ai": (
        (b"pydantic_ai",),
        (b".run", b".run_sync", b".run_stream", b".run_stream_sync", b".run_stream_events", b".iter", b"Agent"),
    ),
    "instructor": ((b"instructor",), (b".create", b"create_")),
}
# The names an SDK client, chat model or agent is built with: the analysis's constructors
# and factories (`analysis.providers.REGISTRY`, which a test keeps this in step with;
# importing it here would load the analysis on every run). A module that imports an SDK
# and calls one is a client module (its importers may make calls through it); one that
# only imports the SDK's types is not. Whole names: the stems these were once matched by
# (`OpenAI` with any suffix, `Client` with any prefix) took `OpenAIError(`,
# `httpx.AsyncClient(`, `APIRouter(` and `dispatch(` for clients, and on the SDK stress
# tree made 828 client modules whose 663 importers were analysed for 3 with a call.
CONSTRUCTORS = frozenset(
    {
        "OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI", "Client", "AsyncClient",
        "Anthropic", "AsyncAnthropic", "AnthropicAWS", "AsyncAnthropicAWS", "AnthropicBedrock",
        "AsyncAnthropicBedrock", "AnthropicBedrockMantle", "AsyncAnthropicBedrockMantle", "AnthropicFoundry",
        "AsyncAnthropicFoundry", "AnthropicGoogleCloud", "AsyncAnthropicGoogleCloud", "AnthropicVertex",
        "AsyncAnthropicVertex", "ChatOpenAI", "AzureChatOpenAI", "ChatAnthropic", "ChatAnthropicVertex",
        "ChatBedrock", "ChatBedrockConverse", "ChatGoogleGenerativeAI", "ChatVertexAI", "ChatLiteLLM",
        "init_chat_model", "GenerativeModel", "Agent", "Router", "patch", "apatch", "from_openai",
        "from_anthropic", "from_gemini", "from_genai", "from_litellm", "from_provider",
    }
)  # fmt: skip
# Constructors whose names other libraries use too (`httpx.Client(`, `mock.patch(`, an
# `Agent(` in a docstring's example): one counts only spelt on an SDK's module
# (`genai.Client(`) or imported by name from one (`from litellm import Router`).
COMMON_CONSTRUCTORS = frozenset({"Client", "AsyncClient", "Agent", "Router", "patch", "apatch"})
_SDK_MODULE = rb"(?:openai|anthropic|litellm|genai|generativeai|google|pydantic_ai|instructor)"
_QUALIFIED_CONSTRUCTOR = re.compile(rb"\b" + _SDK_MODULE + rb"\.(\w+)[ \t]*\(")
_TRIPLE_QUOTE = re.compile(rb"\"\"\"|'''")
_SDK_FROM_IMPORT = re.compile(rb"^[ \t]*from[ \t]+" + _SDK_MODULE + rb"\b[\w.]*[ \t]+import[ \t]+(\([^)]*\)|[^\r\n]*)", re.M)
#: The top-level names an SDK is imported by: a project file that goes by one (a folder
#: without `__init__.py` makes `llms/openai/openai.py` the module `openai`) is not told
#: apart from the SDK by an import line, and importing the SDK is rule 1's business.
SDK_MODULE_NAMES = frozenset(word.decode() for words, _ in _SDKS.values() for word in words) | {"google"}
_ALL_STEMS = tuple(dict.fromkeys(stem for _, stems in _SDKS.values() for stem in stems))
_IDENTIFIER = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE = frozenset(b" \t")
_IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w \t,]*)|import[ \t]+([\w \t,.]*))",
    re.M,
)


def _line_start(data: bytes, index: int) -> int:
    """Where the line holding `index` starts; a lone CR ends a line too, as Python reads
    it (the CR is looked for only after the last LF, so this stays within one line)."""
    newline = data.rfind(b"\n", 0, index)
    return max(newline, data.rfind(b"\r", newline + 1, index)) + 1


def _imports(data: bytes, words: tuple[bytes, ...]) -> bool:
    """Whether an import statement names one of `words` as (the start of) its module:
    `import openai`, `import os, openai`, `from openai.types import X`,
    `from langchain_openai import ChatOpenAI`, `from google import genai`; not
    `from app import openai_tools` nor a relative `from .openai import x`."""
    for word in words:
        start = 0
        while (index := data.find(word, start)) >= 0:
            start = index + len(word)
            line = _line_start(data, index)
            head = data[line:index].lstrip(b" \t;")
            after = data[index + len(word) : index + len(word) + 1]
            boundary = word == b"langchain" or not after or after[0] not in _IDENTIFIER
            if not boundary:
                continue
            if head in (b"from ", b"from\t", b"import ", b"import\t"):
                return True
            if head.startswith((b"import ", b"import\t")) and head.rstrip(b" \t").endswith(b","):
                return True  # `import os, openai`
            if word in (b"genai", b"generativeai") and (
                head in (b"from google.", b"import google.") or head.startswith(b"from") and b"google" in head and b"import" in head
            ):
                return True  # `from google.genai import Client`, `from google import genai`
            if data[max(0, index - 1) : index] in (b'"', b"'") and data[max(0, index - 15) : index - 1].endswith((b"import_module(", b"__import__(")):
                return True  # `importlib.import_module("litellm")`
    return False


def _calls(data: bytes, stems: tuple[bytes, ...]) -> bool:
    """Whether the bytes spell a call of one of `stems` (see `_SDKS`) in code: the SDKs'
    own modules and many projects show calls in docstrings and comments."""
    text: _TextSpans | None = None
    for stem in stems:
        capital = stem.endswith(b"*")  # a capitalized suffix: `Chat*` is `ChatOpenAI(`
        suffixed = stem.endswith(b"+")  # any suffix: `Anthropic+` is `AnthropicBedrock(`
        base = stem[:-1] if capital or suffixed else stem
        start = 0
        while (index := data.find(base, start)) >= 0:
            start = index + len(base)
            position = start
            if capital:
                if position >= len(data) or not 65 <= data[position] <= 90:
                    continue
            if capital or suffixed or base.endswith(b"_"):
                while position < len(data) and data[position] in _IDENTIFIER:
                    position += 1
            elif position < len(data) and data[position] in _IDENTIFIER:
                continue  # `.created(` is not `.create(`
            if _opens_call(data, position):
                text = text or _TextSpans(data)
                if not text.holds(index):
                    return True
    return False


def builds_client(data: bytes) -> bool:
    """Whether a file that imports an SDK spells building a client with it (a call of one
    of `CONSTRUCTORS`, `OpenAI(` or `openai.OpenAI(`, in its code: not in a docstring's
    example or a comment), or hands out the SDK module itself (`return litellm` in a lazy
    accessor its importers call)."""
    called = CONSTRUCTORS & called_names(data)
    if not called:
        return _returns_module(data)
    text = _TextSpans(data)
    called = {name for name in called if _called_in_code(data, name, text)}
    if called - COMMON_CONSTRUCTORS or _returns_module(data):
        return True
    return bool(called) and _builds_with_common_name(data, called, text)


def _called_in_code(data: bytes, name: str, text: _TextSpans) -> bool:
    """Whether the bytes call `name` (`name(`, `x.name (`) outside strings and comments."""
    word = name.encode()
    start = 0
    while (index := data.find(word, start)) >= 0:
        start = index + len(word)
        if index and data[index - 1] in _IDENTIFIER:
            continue
        if _opens_call(data, start) and not text.holds(index):
            return True
    return False


def _opens_call(data: bytes, position: int) -> bool:
    """Whether a "(" follows `position`, after spaces or tabs: a name there is called."""
    while position < len(data) and data[position] in _SPACE:
        position += 1
    return position < len(data) and data[position] == 40  # "("


def _builds_with_common_name(data: bytes, names: set[str], text: _TextSpans) -> bool:
    """Whether one of `names` (`COMMON_CONSTRUCTORS` the bytes call) is an SDK's: spelt on
    an SDK's module or imported from one, in code."""
    if any(match.group(1).decode() in names and not text.holds(match.start()) for match in _QUALIFIED_CONSTRUCTOR.finditer(data)):
        return True
    imported = {
        word.decode()
        for match in _SDK_FROM_IMPORT.finditer(data)
        if not text.holds(match.start())
        for word in re.findall(rb"\w+", match.group(1))
    }
    return not imported.isdisjoint(names)


class _TextSpans:
    """Where a file's bytes are prose, not code: triple-quoted strings (docstrings, whose
    examples call SDKs and build clients: `agent = Agent('openai:gpt-4o')` all through
    pydantic-ai's own modules) and comments. Read from the delimiters alone, without
    tokenizing (a triple quote inside a one-line string is rare enough to misjudge), and
    only for a file where a call was found. On the SDK stress tree, 81 of the 130 files
    that spelt a client's construction did so only in their docs, and of the 698 files
    selection chose, 416 remain."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.spans: list[tuple[int, int]] = []
        opened: bytes | None = None
        begin = 0
        for match in _TRIPLE_QUOTE.finditer(data):
            quote = match.group()
            if opened is None:
                opened, begin = quote, match.start()
            elif quote == opened:
                self.spans.append((begin, match.end()))
                opened = None
        if opened is not None:
            self.spans.append((begin, len(data)))

    def holds(self, index: int) -> bool:
        """Whether `index` is inside a triple-quoted string or after a line's `#`."""
        at = bisect.bisect_right(self.spans, (index, len(self.data) + 1)) - 1
        if at >= 0 and self.spans[at][0] <= index < self.spans[at][1]:
            return True
        return b"#" in self.data[_line_start(self.data, index) : index]


def _returns_module(data: bytes) -> bool:
    """Whether the bytes spell `return <an SDK's module word>` as the whole statement."""
    start = 0
    while (index := data.find(b"return ", start)) >= 0:
        start = index + 7
        position = start
        while position < len(data) and data[position] in _SPACE:
            position += 1
        end = position
        while end < len(data) and data[end] in _IDENTIFIER:
            end += 1
        word = data[position:end]
        if word and any(word in words for words, _ in _SDKS.values()) and data[end : end + 1] in (b"", b"\n", b"\r", b" ", b"#", b";"):
            return True
    return False


def sdk_imports(data: bytes) -> bool:
    """Whether a file's bytes import a supported SDK (the import may be inside a function)."""
    return any(_imports(data, words) for words, _ in _SDKS.values())


def may_call_sdk(data: bytes) -> bool:
    """Whether a file imports an SDK and spells a call that SDK is made with."""
    return any(_imports(data, words) and _calls(data, stems) for words, stems in _SDKS.values())


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


# Calls whose shape alone says "LLM SDK", whatever the receiver (`shapes.py`): a file
# spelling one is read even without an SDK import (the client is passed in). Grouped by
# the attribute path before the method: each path is looked for once (6 scans of every
# byte of the tree, not 13), and each hit checked for the methods after it.
_DISTINCTIVE = {
    b".completions.": (b"create", b"parse", b"stream"),
    b".responses.": (b"create", b"parse", b"stream"),
    b".runs.": (b"create", b"stream"),
    b".threads.": (b"create_and_",),
    b".messages.": (b"create", b"stream", b"parse"),
    b".models.": (b"generate_content",),
}


def has_distinctive_call(data: bytes) -> bool:
    """Whether the bytes spell a call whose shape is an SDK's (see `shapes`), or name such
    a method as a value, or spell an instructor-style `create(..., response_model=...)`."""
    return _names_distinctive(data) or (b"response_model" in data and _calls(data, (b".create",)))


def _names_distinctive(data: bytes) -> bool:
    """Whether the bytes name one of `_DISTINCTIVE`'s methods (`.completions.create`, not
    `.completions.created`; `.threads.create_and_` with any suffix), called or not, in
    code (not in a docstring's example or a comment)."""
    text: _TextSpans | None = None
    for path, methods in _DISTINCTIVE.items():
        start = 0
        while (index := data.find(path, start)) >= 0:
            after = index + len(path)
            for method in methods:
                end = after + len(method)
                if data.startswith(method, after) and (method.endswith(b"_") or end >= len(data) or data[end] not in _IDENTIFIER):
                    text = text or _TextSpans(data)
                    if not text.holds(index):
                        return True
            start = after - 1  # the path's last "." may start it again (`.messages.messages.create`)
    return False


def has_call_shape(data: bytes) -> bool:
    """Whether the bytes spell any call an SDK is made with (through a project client)."""
    return _calls(data, _ALL_STEMS)


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
    be a module). Each line holding `import` is matched on its own: a pattern anchored at
    every line start would scan the whole file several times slower."""
    found: set[str] = set()
    start = 0
    while (index := data.find(b"import", start)) >= 0:
        line = _line_start(data, index)
        end = data.find(b"\n", index)
        end = len(data) if end < 0 else end
        carriage = data.find(b"\r", index, end)  # a lone CR ends the line too
        end = carriage if carriage >= 0 else end
        start = end
        match = _IMPORT_LINE.match(data[line:end])  # a slice: `^` would not match after a lone CR
        if match is None:
            continue
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
    return found


# A called name read backwards: the "(" first, so the regex engine jumps from one "(" to
# the next with its literal search instead of trying a match at every name in the file
# (six times faster on the corpus, same names); the lookahead is where the name starts.
_CALLED_REVERSED = re.compile(rb"\([ \t]*([A-Za-z0-9_]*[A-Za-z_])(?![A-Za-z0-9_])")


def called_names(data: bytes) -> set[str]:
    """The names the bytes spell a call of (`name(`, `.name(`): compared as a set with the
    names of known wrappers, which one pattern of thousands of names would do slowly.
    Interned: a run keeps these sets for every file, and most names recur in many."""
    return {sys.intern(name[::-1].decode("ascii")) for name in set(_CALLED_REVERSED.findall(data[::-1]))}


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
