# SPDX-License-Identifier: MIT
"""GitHub Actions workflow commands: one `::warning`/`::error` annotation per finding, which
GitHub shows inline on the pull request's diff.

Escaping follows the runner's rules (actions/toolkit `command.ts`): the message escapes
`%`, CR and LF; property values additionally `:` and `,`, which would otherwise end them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptlint.output.common import relative_path, report_root
from promptlint.types import Diagnostic, FileError, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from promptlint.output import RenderInput


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic, root: Path | None) -> str:
    level = "error" if diagnostic.severity is Severity.ERROR else "warning"
    start, end = diagnostic.span.start, diagnostic.span.end
    properties = {
        "file": relative_path(diagnostic.filename, root),
        "line": str(start.row),
        "col": str(start.column),
        "endLine": str(end.row),
        "endColumn": str(end.column),
        "title": f"{diagnostic.code} {diagnostic.name}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{escape_data(diagnostic.message)}"


def error_annotation(error: FileError, root: Path | None) -> str:
    """A file that could not be checked, as an error on that file (and line, if known)."""
    properties = {"file": relative_path(error.filename, root), "title": "promptlint: file not checked"}
    if error.line:
        properties["line"] = str(error.line)
        if error.column:
            properties["col"] = str(error.column)
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::error {joined}::{escape_data(error.reason)}"


def render(data: RenderInput, *, color: bool) -> str:
    root = report_root(data.root)
    lines = [annotation(d, root) for d in data.diagnostics]
    lines += [error_annotation(error, root) for error in data.errors]
    return "".join(line + "\n" for line in lines)
