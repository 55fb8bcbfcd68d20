# SPDX-License-Identifier: MIT
"""What a run reports, and the positions everything is placed by.

Checks read what analysis found (`promptlint.analysis.results`: `LLMCall`s and their
resolved `PromptText`s) and report `Diagnostic`s that carry a `Stake` (tokens at stake
and how they turn into money); the engine prices the stake into a `Cost`.

Everything here is plain, frozen data: no libcst nodes, so results can cross process
boundaries and be cached as JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file: 1-based row, 1-based column counted in characters."""

    row: int
    column: int


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range of source text, `start` inclusive and `end` exclusive."""

    start: Position
    end: Position


class Applicability(str, enum.Enum):
    """How far a fix can be trusted, as ruff defines it."""

    SAFE = "safe"  # keeps the program's meaning; applied by --fix
    UNSAFE = "unsafe"  # may change behaviour (a different prompt or model); needs --unsafe-fixes
    DISPLAY_ONLY = "display-only"  # a suggestion shown to the user, never applied


@dataclass(frozen=True)
class Edit:
    """Replace the text in `span` of the diagnostic's file with `content`."""

    span: Span
    content: str


@dataclass(frozen=True)
class Fix:
    """A remedy for a diagnostic: edits to apply, or for display-only fixes a snippet to show."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    suggestion: str | None = None


class Basis(str, enum.Enum):
    """How the tokens at stake in a finding turn into dollars."""

    INPUT = "input"  # tokens no longer sent at all: tokens x input price
    CACHE_READ = "cache-read"  # tokens read from cache instead: tokens x (input - cache read)
    MODEL_SWAP = "model-swap"  # the same tokens on a cheaper model: the price difference
    BATCH = "batch"  # the same tokens through a batch API: the batch discount
    LATENCY = "latency"  # a latency finding: tokens are informative, no dollar delta


@dataclass(frozen=True)
class Stake:
    """What a finding puts at stake per call, in tokens; the engine prices it.

    `tokens` are input tokens; `output_tokens` the expected output tokens where the basis
    needs them (model swaps and batch discounts). `exact` is False when the count is an
    estimate (any non-OpenAI tokenizer).
    """

    tokens: int
    exact: bool
    model: str | None
    basis: Basis
    output_tokens: int = 0
    cheaper_model: str | None = None


@dataclass(frozen=True)
class Cost:
    """A priced stake: what the finding costs per 1M calls and the assumptions behind it."""

    tokens_per_call: int
    model: str | None
    usd_per_1m_calls: float | None
    assumptions: str


class Severity(str, enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, what, what it costs and how to fix it.

    `filename` is the file the user would change (the call, or the prompt's definition),
    and the file the fix's edits apply to.
    """

    code: str
    name: str
    message: str
    filename: str
    span: Span
    severity: Severity = Severity.WARNING
    fix: Fix | None = None
    stake: Stake | None = None
    cost: Cost | None = None


def select_fixes(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> list[Diagnostic]:
    """The diagnostics whose fix `--fix` applies: safe ones, and unsafe ones when opted in.

    Display-only fixes are suggestions and never applied; a fix without edits has nothing
    to apply. It lives with the types, not in `fixes`, because every report asks it (the
    `[*]` marker, the fixable count) and a report must not load the fixer to answer.
    """
    allowed = {Applicability.SAFE, Applicability.UNSAFE} if unsafe else {Applicability.SAFE}
    return [d for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.applicability in allowed]


@dataclass(frozen=True)
class FileError:
    """A file that could not be read, decoded or parsed; the run goes on without it.

    `line` and `column` (1-based) locate the error in the file where there is one (a
    syntax error's own position).
    """

    filename: str
    reason: str
    line: int | None = None
    column: int | None = None
    internal: bool = False  # a bug of promptlint's, not a problem with the file
