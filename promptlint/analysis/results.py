# SPDX-License-Identifier: MIT
"""What analysis learns about a file and hands on: its LLM calls (`LLMCall`, one per call
site) with their prompts resolved into `PromptText`s, the wrappers it defines and the
entry points and call edges the engine links (`FileAnalysis`).

Kept apart from `promptlint.types` (what a run reports: findings, fixes, errors) so that
a run answered from the results cache, which reports and analyses nothing, does not
define these classes: creating them was half of that module's import time (about 5 ms of
a 90 ms warm run). Plain, frozen data, like those: results cross process boundaries and
are cached as JSON.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from promptlint.types import Position, Span

# --------------------------------------------------------------------------- prompts


class SegmentKind(str, enum.Enum):
    """Where a piece of a prompt comes from, which decides whether it is cache-stable."""

    STATIC = "static"  # the same text on every call
    TIME = "time"  # datetime.now(), date.today(), time.time() ...
    RANDOM = "random"  # uuid, random, secrets
    EXTERNAL = "external"  # arguments, request or user data
    UNKNOWN = "unknown"  # something the resolver could not follow

    @property
    def is_dynamic(self) -> bool:
        return self is not SegmentKind.STATIC


@dataclass(frozen=True)
class StringLiteral:
    """The source form of a string literal, so fixes can rewrite it in place.

    `body` is the raw text between the quotes (escapes as written); `prefix` the string
    prefix (`r`, `u`, ...) and `quote` the quote characters (`"`, `'''`, ...).
    """

    filename: str
    span: Span
    prefix: str
    quote: str
    body: str


@dataclass(frozen=True)
class Segment:
    """A run of prompt text. Static segments hold their text; dynamic ones the expression."""

    kind: SegmentKind
    text: str
    filename: str | None = None
    span: Span | None = None
    literal: StringLiteral | None = None  # set when the text is exactly one plain literal
    # Characters of static text left out of `text` because the prompt is too large to hold
    # (`A = "ab" * 1000; B = A * 1000; C = B * 1000`): `text` is its beginning.
    omitted: int = 0


@dataclass(frozen=True)
class PromptText:
    """A prompt resolved as far as static analysis can: ordered static and dynamic segments."""

    segments: tuple[Segment, ...] = ()

    @property
    def is_static(self) -> bool:
        return all(not s.kind.is_dynamic for s in self.segments)

    @property
    def static_prefix(self) -> str:
        """The text before the first dynamic segment: what a prompt cache can reuse."""
        parts: list[str] = []
        for segment in self.segments:
            if segment.kind.is_dynamic:
                break
            parts.append(segment.text)
        return "".join(parts)

    @property
    def static_text(self) -> str:
        """All static text, dynamic segments left out."""
        return "".join(s.text for s in self.segments if not s.kind.is_dynamic)

    @property
    def dynamic_segments(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind.is_dynamic)

    @property
    def omitted(self) -> int:
        """Characters of static text too large to hold (see `Segment.omitted`)."""
        return sum(s.omitted for s in self.segments)

    def __add__(self, other: PromptText) -> PromptText:
        return PromptText(self.segments + other.segments)


# --------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class Argument:
    """One argument of a call as written: keyword name (or `#0`, `#1` for positionals)."""

    name: str
    span: Span
    source: str
    literal: str | int | float | bool | None = None
    is_literal: bool = False
    filename: str | None = None  # the file `span` is in (the call's when None)


@dataclass(frozen=True)
class Message:
    """One chat message: its role (None when not static) and resolved content."""

    role: str | None
    content: PromptText | None
    span: Span | None = None
    cache_marked: bool = False


@dataclass(frozen=True)
class Loop:
    """A loop enclosing a call.

    `bound` is the iteration count when it is known statically (a literal range or a sized
    constant). `carries_state` is True when the call's inputs use a value produced by an
    earlier iteration (an accumulator, the previous response): such a loop is not
    parallelizable.
    """

    kind: str  # "for", "async for", "while", "comprehension"
    span: Span
    iterable: str | None = None
    bound: int | None = None
    carries_state: bool = False
    uses_batch_api: bool = False


@dataclass(frozen=True)
class Handler:
    """An entry point: a web route or view or chat UI callback (user-facing), or a script's
    `__main__` block, CLI command or queued job (background)."""

    framework: str  # "fastapi", "flask", "django", "gradio", "celery task", "__main__ block" ...
    function: str  # qualified name of the handler function
    route: str | None = None  # "POST /api/chat" where known
    user_facing: bool = True  # False for entry points nobody waits on (scripts, jobs, CLIs)


@dataclass(frozen=True)
class CallContext:
    """Where a call sits: function, loops, entry point. Filled by analysis, linked by the engine."""

    function: str | None = None  # qualified name of the enclosing function
    is_async_function: bool = False
    awaited: bool = False
    loops: tuple[Loop, ...] = ()
    handler: Handler | None = None  # set when the call runs inside a user-facing handler
    background: str | None = None  # "__main__ block", "celery task", "click command", ...
    block: str | None = None  # identity of the statement list holding the call's statement
    statement_index: int | None = None  # index of that statement within the block
    assigned_to: tuple[str, ...] = ()  # names the call's result is bound to
    result_used: bool = True  # False when the statement drops the result (`await f(...)`, `_ = f(...)`)
    reads: tuple[str, ...] = ()  # names the call's arguments read (transitively, in the function)


@dataclass(frozen=True)
class LLMCall:
    """One call site of an LLM SDK, normalized across SDKs.

    `provider` is the SDK (`openai`, `anthropic`, `litellm`, `google`, `langchain`,
    `pydantic-ai`); `model_provider` the vendor whose model is called (LiteLLM's
    `anthropic/claude-...` is an `anthropic` model called through `litellm`).
    `api` names the endpoint, e.g. `anthropic.messages.create`.
    """

    filename: str
    span: Span
    provider: str
    api: str
    model: str | None = None
    model_provider: str | None = None
    model_argument: Argument | None = None
    client: str | None = None
    stream: bool = False  # statically true: the call streams its answer
    # `stream=` is given but its value is only known at run time (`stream=stream`): the
    # call may well stream, so latency rules do not call it non-streamed.
    stream_dynamic: bool = False
    structured: bool = False  # the answer is parsed into a schema, not shown as text
    # Output kinds other than text the call asks for (`response_modalities=["IMAGE"]`,
    # `modalities=["audio"]`), upper-cased: an image or audio answer is not streamed text.
    output_modalities: tuple[str, ...] = ()
    system: PromptText | None = None
    system_in_messages: bool = False  # True when `system` is read off the leading messages
    messages: tuple[Message, ...] = ()
    messages_resolved: bool = True
    tools: PromptText | None = None
    max_tokens: int | None = None
    cache_control: bool = False  # a top-level (automatic) cache marker
    cache_marked: bool = False  # a marker on some block (tools, system or messages)
    arguments: tuple[Argument, ...] = ()
    insert_at: Position | None = None  # where a new keyword argument goes (after the last one)
    needs_comma: bool = True  # whether an inserted argument must start with ", "
    context: CallContext = field(default_factory=CallContext)
    tools_cache_marked: bool = False  # a cache marker on one of the tool definitions
    # The system prompt's content blocks when it is written as a list (Anthropic
    # `system=[{"type": "text", ...}]`), one Message per block with its own marker, so the
    # place of a breakpoint inside the system prompt is known; () for a plain string.
    system_blocks: tuple[Message, ...] = ()
    # A call of a project function that forwards to the SDK (an inferred or configured
    # wrapper): its qualified name, and where the SDK call it reaches is written.
    via: str | None = None
    related: tuple[tuple[str, Span], ...] = ()
    # The SDK call is made inside a wrapper whose callers were found: those calls carry the
    # prompt, so rules judge them instead of this one.
    wrapped: bool = False
    # For a wrapper call forwarding its function's parameters (a hop), what the engine needs
    # when the function's callers are not found: "pass" when it hands on only its own
    # parameters (a pass-through), "self" when a method calls the wrapper on its own
    # object, "method" for another method, "" for a plain function that builds the prompt.
    hop: str = ""

    def argument(self, name: str) -> Argument | None:
        for argument in self.arguments:
            if argument.name == name:
                return argument
        return None


@dataclass(frozen=True)
class WrapperDef:
    """A project function that forwards its parameters into an LLM call's prompt or model
    (found by analysis): calls of it are LLM calls whose prompt is written at the caller.

    `function` is its qualified name, `name` its last component (the prefilter looks for
    it), `params` the parameters it forwards, `level` 1 when it calls the SDK itself, 2 or
    3 when it calls a wrapper of the level below.
    """

    function: str
    path: str
    name: str
    params: tuple[str, ...]
    level: int = 1


@dataclass(frozen=True)
class FileAnalysis:
    """Everything analysis learned about one file: its calls and the facts the engine links.

    `handlers` are the user-facing entry points defined in the file; `calls_from` maps each
    function (qualified name) to the qualified names of the project functions it calls, so
    the engine can mark functions called from a handler as user-facing too. `dependencies`
    are the other project files whose contents the analysis read (imported constants,
    clients, prompt files), with their content hashes, for cache invalidation.
    """

    filename: str
    calls: tuple[LLMCall, ...] = ()
    handlers: tuple[Handler, ...] = ()
    calls_from: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dependencies: tuple[tuple[str, str], ...] = ()
    content_hash: str = ""  # hash of the analysed bytes (set by the engine)
    wrappers: tuple[WrapperDef, ...] = ()  # the file's functions that forward to an LLM call
    module: str = ""  # the dotted module name the analysis used
