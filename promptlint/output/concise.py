# SPDX-License-Identifier: MIT
"""One line per finding (`path:row:col: CODE [*] message`) and the summary: for terminals
where the excerpts would be noise, and for editors that parse `path:row:col` lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptlint.output.common import report_root
from promptlint.output.text import header, summary

if TYPE_CHECKING:
    from promptlint.output import RenderInput


def render(data: RenderInput, *, color: bool) -> str:
    root = report_root(data.root)
    lines = [header(diagnostic, data, root, color=color) for diagnostic in data.diagnostics]
    if not data.quiet:
        lines += summary(data, color=color)
    return "".join(line + "\n" for line in lines)
