# SPDX-License-Identifier: MIT
"""What several renderers need to agree on: fix applicability, report paths, rule metadata,
source lines and the cost payload, so two formats never disagree about one finding."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from promptlint.types import Basis, Diagnostic, select_fixes

# Python's own line breaks. `str.splitlines` also splits on form feeds, \x1c-\x1e and
# U+2028, which would shift every row after them away from the parser's numbering.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def is_applicable(diagnostic: Diagnostic, *, unsafe_fixes: bool) -> bool:
    """Whether `--fix` would apply this finding's fix in this run (what `[*]` advertises).

    Asks the fixer's own selection, so the marker and `--fix` can never disagree.
    """
    return bool(select_fixes([diagnostic], unsafe=unsafe_fixes))


# What a terminal line cannot show as itself: control characters (a newline in a file
# name would split a finding across lines) and lone surrogates (no encoding holds them).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def report_root(root: str | None) -> Path | None:
    """The directory CI formats report paths against; None: paths as the user named them."""
    return Path(root).resolve() if root else None


def relative_path(filename: str, root: Path | None) -> str:
    """`filename` relative to `root` with forward slashes, or absolute if it lies outside.

    Relative filenames are relative to the working directory (the engine reports paths as
    the user named them). Without a root, the name is kept as it is.
    """
    path = Path(filename)
    if root is None:
        return path.as_posix()
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def printable(text: str) -> str:
    """`text` with control characters and lone surrogates written as escapes (`\\n`,
    `\\ud800`), so one finding is one line and any output encoding can hold it."""
    return _UNPRINTABLE.sub(_escape, text)


def printable_path(filename: str) -> str:
    """A file name for a text report: the bytes of an undecodable name (which Python holds
    as surrogate escapes) shown as `\\xff`, control characters escaped."""
    try:
        raw = os.fsencode(filename)
    except UnicodeEncodeError:  # a surrogate the file system encoding did not produce
        return printable(filename)
    return printable(raw.decode("utf-8", "backslashreplace"))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    escaped = char.encode("unicode_escape", "backslashreplace").decode("ascii")
    return escaped if escaped != char else f"\\x{ord(char):02x}"


def source_lines(text: str) -> list[str]:
    """The lines of a source file as the parser numbers them (row 1 is index 0)."""
    return _LINE_BREAK.split(text)


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata as reports show it; `None` where no registered rule says."""

    code: str
    name: str
    summary: str | None
    docs: str | None
    url: str | None


def rule_info(code: str, name: str) -> RuleInfo:
    """Metadata for `code` from the rule registry, or just the diagnostic's name if no rule
    with that code is registered (a rule removed since a cached run, or a test double)."""
    from promptlint.checks import rule_by_code_or_name  # JSON and SARIF only: a text report never loads the rules

    rule = rule_by_code_or_name(code)
    if rule is None:
        return RuleInfo(code=code, name=name, summary=None, docs=None, url=None)
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        summary=rule.summary() or None,
        docs=rule.docs() or None,
        url=rule.url(),
    )


def is_latency(diagnostic: Diagnostic) -> bool:
    """Latency findings carry tokens for context only: they have no dollar delta to report."""
    return diagnostic.stake is not None and diagnostic.stake.basis is Basis.LATENCY


def cost_payload(diagnostic: Diagnostic) -> dict[str, Any] | None:
    """The cost of a finding as machine-readable formats (JSON, SARIF properties) carry it."""
    cost = diagnostic.cost
    if cost is None:
        return None
    return {
        "tokens_per_call": cost.tokens_per_call,
        "model": cost.model,
        "usd_per_1m_calls": cost.usd_per_1m_calls,
        "assumptions": cost.assumptions,
        "exact_tokens": diagnostic.stake.exact if diagnostic.stake is not None else None,
    }
