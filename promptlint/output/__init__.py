# SPDX-License-Identifier: MIT
"""The renderers: one module per output format, all fed the same `RenderInput`.

Each format module exposes `render(data, *, color) -> str`; this package only holds the
shared input shape and dispatches by name, importing a renderer when it is first asked for
so a run never pays for formats it does not print.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from promptlint.output.text import error_line
from promptlint.types import Diagnostic, FileError

#: Every format `render` accepts, in the order the CLI lists them.
FORMATS: tuple[str, ...] = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
#: Formats CI systems read: their paths are relative to the repository root, wherever the
#: run started, or annotations land on the wrong files.
REPOSITORY_RELATIVE: frozenset[str] = frozenset({"sarif", "github", "gitlab", "junit"})
#: Formats written as UTF-8 whatever the terminal's encoding: JSON and XML are UTF-8 by
#: their standards, and the GitHub runner reads its commands as UTF-8.
UTF8_FORMATS: frozenset[str] = frozenset({"json", "sarif", "github", "gitlab", "junit"})


@dataclass(frozen=True)
class RenderInput:
    """Everything a renderer may show about one run.

    `sources` maps a diagnostic's filename to the file's text: the text renderer quotes it
    and SARIF/GitLab fingerprints hash it. `fixed_count` is how many fixes `--fix` applied
    (the diagnostics are what remains). `unsafe_fixes` decides which fixes count as
    applicable (`[*]`). `root` is the directory report paths are made relative to (when
    None, paths are shown as the user named them): CI annotations and SARIF want
    repository-relative paths. `baselined` is how many findings a baseline hid.
    """

    diagnostics: Sequence[Diagnostic]
    errors: Sequence[FileError] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    fixed_count: int = 0
    calls_per_month: int | None = None
    unsafe_fixes: bool = False
    quiet: bool = False
    root: str | None = None
    baselined: int = 0


def render(fmt: str, data: RenderInput, *, color: bool = False) -> str:
    """Render `data` in format `fmt` (one of `FORMATS`); ANSI colour only when `color`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    text: str = module.render(data, color=color)
    return text


def encode(text: str, encoding: str = "utf-8") -> bytes:
    """A rendered report as bytes that never fail to encode.

    What `encoding` cannot hold is written as a backslash escape. In UTF-8 that can only be
    a lone surrogate (an undecodable file name, a `"\\ud800"` literal in a prompt), and
    its escape `\\udXXX` inside a JSON string is that same character's JSON escape, so a
    JSON report stays valid JSON.
    """
    return text.encode(encoding, "backslashreplace")


def render_errors(errors: Sequence[FileError], *, color: bool = False) -> str:
    """Files that could not be checked, one `path:line: error: reason` line each (for stderr)."""
    return "".join(error_line(error, color=color) + "\n" for error in errors)
