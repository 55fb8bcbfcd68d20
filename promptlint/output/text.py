# SPDX-License-Identifier: MIT
"""The default, human format (ruff's "full"): each finding with a source excerpt, its cost
and its fix, then a summary of what fixing everything would save.

```
app.py:41:12: PRM201 [*] Anthropic call re-sends a 3,120-token static system prompt uncached
   |
41 |     resp = client.messages.create(model="claude-sonnet-4-5", system=SUPPORT_PROMPT)
   |            ^^^^^^^^^^^^^^^^^^^^^^
   = saves ~$8,424 per 1M calls (3,120 tok x $3.00/Mtok x 0.9 once cached)
   = fix: add cache_control={"type": "ephemeral"}
```
"""

from __future__ import annotations

import textwrap
import unicodedata
from typing import TYPE_CHECKING, Any

import click

from promptlint.output.common import (
    is_applicable,
    is_latency,
    printable,
    printable_path,
    relative_path,
    report_root,
    source_lines,
)
from promptlint.output.money import approx_usd, format_count
from promptlint.savings import monthly_saving, total_saving
from promptlint.types import Applicability, Basis, Diagnostic, FileError, Severity, select_fixes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from promptlint.output import RenderInput


def _style(text: str, color: bool, **styles: Any) -> str:
    return click.style(text, **styles) if color else text


def _char_width(char: str) -> int:
    """Terminal cells a character takes, so carets line up under wide (CJK) and combining
    characters: spans count characters, terminals count cells."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _underline(line: str, start: int, end: int) -> tuple[str, str]:
    """Blank padding up to 0-based character `start`, and carets to `end` (at least one).

    Tabs in the padding are kept as tabs so the carets land under the same tab stop
    whatever width the terminal gives a tab.
    """
    pad = "".join("\t" if c == "\t" else " " * _char_width(c) for c in line[:start])
    width = sum(_char_width(c) for c in line[start:end])
    return pad, "^" * max(1, width)


def header(diagnostic: Diagnostic, data: RenderInput, root: Path | None, *, color: bool) -> str:
    """`path:row:col: CODE [*] message`: the line every text-like format starts a finding with
    (always one line: a newline in the file name or message is shown as `\\n`)."""
    start = diagnostic.span.start
    location = (
        _style(printable_path(relative_path(diagnostic.filename, root)), color, bold=True)
        + _style(":", color, fg="cyan")
        + str(start.row)
        + _style(":", color, fg="cyan")
        + str(start.column)
        + _style(":", color, fg="cyan")
    )
    code_color = "red" if diagnostic.severity is Severity.ERROR else "yellow"
    parts = [location, _style(diagnostic.code, color, fg=code_color, bold=True)]
    if is_applicable(diagnostic, unsafe_fixes=data.unsafe_fixes):
        parts.append(_style("[*]", color, fg="cyan"))
    parts.append(printable(diagnostic.message))
    return " ".join(parts)


def _excerpt(diagnostic: Diagnostic, source: str | None, width: int, *, color: bool) -> list[str]:
    """The flagged line with the span underlined; a multi-line span is underlined from its
    start to the end of its first line."""
    if source is None:
        return []
    lines = source_lines(source)
    span = diagnostic.span
    if not 1 <= span.start.row <= len(lines):
        return []
    line = lines[span.start.row - 1]
    start = min(span.start.column - 1, len(line))
    end = min(span.end.column - 1, len(line)) if span.end.row == span.start.row else len(line)
    gutter = _style(" " * width + " |", color, fg="blue", bold=True)
    number = _style(f"{span.start.row:>{width}} |", color, fg="blue", bold=True)
    pad, carets = _underline(line, start, max(start, end))
    return [
        gutter,
        f"{number} {line}".rstrip(),
        f"{gutter} {pad}{_style(carets, color, fg='red', bold=True)}",
    ]


def _cost_note(diagnostic: Diagnostic) -> str | None:
    cost = diagnostic.cost
    if cost is None or is_latency(diagnostic):
        return None
    if cost.usd_per_1m_calls is not None:
        note = f"saves {approx_usd(cost.usd_per_1m_calls)} per 1M calls"
        return f"{note} ({cost.assumptions})" if cost.assumptions else note
    exact = diagnostic.stake is None or diagnostic.stake.exact
    tokens = ("" if exact else "~") + format_count(cost.tokens_per_call)
    model = f"model {cost.model}" if cost.model else "a model not known statically"
    return f"{tokens} tokens per call (price unknown for {model})"


def _notes(diagnostic: Diagnostic, width: int, *, color: bool) -> list[str]:
    lead = " " * width + " " + _style("=", color, fg="cyan", bold=True) + " "
    notes: list[str] = []
    cost = _cost_note(diagnostic)
    if cost is not None:
        notes.append(lead + cost)
    fix = diagnostic.fix
    if fix is not None:
        label = "fix (unsafe)" if fix.applicability is Applicability.UNSAFE else "fix"
        notes.append(f"{lead}{label}: {fix.title}")
        if fix.applicability is Applicability.DISPLAY_ONLY and fix.suggestion:
            indent = " " * (width + 5)
            notes.append(textwrap.indent(fix.suggestion.rstrip("\n"), indent))
    return notes


def summary(data: RenderInput, *, color: bool) -> list[str]:
    """`Found N problems (K fixable with --fix).` and what fixing everything would save."""
    found = len(data.diagnostics)
    baselined = []
    if data.baselined:
        noun = "finding" if data.baselined == 1 else "findings"
        baselined.append(_style(f"{data.baselined} known {noun} in the baseline not shown.", color, bold=True))
    if found == 0 and data.fixed_count == 0:
        if data.errors:
            files = len({error.filename for error in data.errors})
            noun = "file" if files == 1 else "files"
            line = f"No problems found, but {files} {noun} could not be checked."
            return [_style(line, color, bold=True), *baselined]
        return [_style("All checks passed!", color, fg="green", bold=True), *baselined]
    total = found + data.fixed_count
    parts: list[str] = []
    if data.fixed_count:
        parts += [f"{data.fixed_count} fixed", f"{found} remaining"]
    fixable = len(select_fixes(data.diagnostics, unsafe=data.unsafe_fixes))
    # Unsafe fixes only `--unsafe-fixes` would apply: say they exist, as ruff does.
    hidden = len(select_fixes(data.diagnostics, unsafe=True)) - fixable
    if fixable:
        parts.append(f"{fixable} fixable with --fix")
    if hidden:
        parts.append(f"{hidden} more with --fix --unsafe-fixes")
    noun = "problem" if total == 1 else "problems"
    lines = [f"Found {total} {noun}" + (f" ({', '.join(parts)})" if parts else "") + "."]
    saving = total_saving(data.diagnostics)  # overlapping stakes counted once
    if saving is not None:
        line = f"Fixing all saves {approx_usd(saving)} per 1M calls"
        if data.calls_per_month is not None:
            monthly = monthly_saving(saving, data.calls_per_month)
            line += (
                f" ({approx_usd(monthly)} per month, assuming "
                f"{format_count(data.calls_per_month)} calls a month behind each finding)"
            )
        lines.append(line + ".")
    opportunities = _opportunities(data.diagnostics)
    if opportunities:
        lines.append(opportunities)
    return [_style(line, color, bold=True) for line in lines] + baselined


def _opportunities(diagnostics: Sequence[Diagnostic]) -> str | None:
    """The batch and concurrency openings, which the per-finding savings undersell."""
    batch = [d for d in diagnostics if d.stake is not None and d.stake.basis is Basis.BATCH]
    sequential = [d for d in diagnostics if d.name == "sequential-llm-calls"]
    parts = []
    if batch:
        priced = [d.cost.usd_per_1m_calls for d in batch if d.cost and d.cost.usd_per_1m_calls is not None]
        noun = "loop" if len(batch) == 1 else "loops"
        part = f"{len(batch)} {noun} could use a half-price batch API"
        if priced:
            part += f" (saves {approx_usd(sum(priced))} per 1M calls)"
        parts.append(part)
    if sequential:
        noun = "place makes" if len(sequential) == 1 else "places make"
        parts.append(f"{len(sequential)} {noun} LLM calls one after another that could run concurrently")
    return f"Opportunities: {'; '.join(parts)}." if parts else None


def error_line(error: FileError, *, color: bool) -> str:
    """`path:line:column: error: reason` for a file that could not be checked (the line and
    column where the error carries them)."""
    location = printable_path(error.filename)
    if error.line:
        location += f":{error.line}" + (f":{error.column}" if error.column else "")
    label = _style("error", color, fg="red", bold=True)
    return f"{_style(location, color, bold=True)}: {label}: {printable(error.reason)}"


def render(data: RenderInput, *, color: bool) -> str:
    root = report_root(data.root)
    blocks: list[str] = []
    for diagnostic in data.diagnostics:
        width = len(str(diagnostic.span.start.row))
        lines = [header(diagnostic, data, root, color=color)]
        lines += _excerpt(diagnostic, data.sources.get(diagnostic.filename), width, color=color)
        lines += _notes(diagnostic, width, color=color)
        blocks.append("\n".join(lines) + "\n")
    if not data.quiet:
        blocks.append("\n".join(summary(data, color=color)) + "\n")
    return "\n".join(blocks)
