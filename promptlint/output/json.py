# SPDX-License-Identifier: MIT
"""A JSON array of findings, one object each, with ruff's field names where ruff has one
(`code`, `name`, `url`, `location`, `end_location`, `fix.applicability`) so tools written
for ruff's JSON read it, plus `severity` and `cost`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from promptlint.output.common import cost_payload, rule_info
from promptlint.types import Diagnostic, Fix, Position

if TYPE_CHECKING:
    from promptlint.output import RenderInput


def _position(position: Position) -> dict[str, int]:
    return {"row": position.row, "column": position.column}


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "message": fix.title,
        "edits": [
            {
                "content": edit.content,
                "location": _position(edit.span.start),
                "end_location": _position(edit.span.end),
            }
            for edit in fix.edits
        ],
        "suggestion": fix.suggestion,
    }


def finding(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as a JSON object, keys in a fixed order."""
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "severity": diagnostic.severity.value,
        "filename": diagnostic.filename,
        "location": _position(diagnostic.span.start),
        "end_location": _position(diagnostic.span.end),
        "fix": _fix(diagnostic.fix),
        "cost": cost_payload(diagnostic),
        "url": rule_info(diagnostic.code, diagnostic.name).url,
    }


def render(data: RenderInput, *, color: bool) -> str:
    return json.dumps([finding(d) for d in data.diagnostics], indent=2, ensure_ascii=False) + "\n"
