# SPDX-License-Identifier: MIT
"""GitLab Code Quality report: a JSON array of Code Climate issues, shown in merge requests.

GitLab matches issues across pipelines by `fingerprint`, so it is the same stable hash as
SARIF's (see `fingerprint.py`): a finding that only moved is not reported as new.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from promptlint.output.common import relative_path, report_root
from promptlint.output.fingerprint import fingerprints
from promptlint.types import Severity

if TYPE_CHECKING:
    from promptlint.output import RenderInput

# Code Quality severities are info, minor, major, critical, blocker.
_SEVERITY = {Severity.WARNING: "minor", Severity.ERROR: "major"}


def render(data: RenderInput, *, color: bool) -> str:
    root = report_root(data.root)
    issues: list[dict[str, Any]] = []
    for diagnostic, fingerprint in zip(
        data.diagnostics, fingerprints(data.diagnostics, data.sources, root)
    ):
        issues.append(
            {
                "description": f"{diagnostic.code}: {diagnostic.message}",
                "check_name": diagnostic.code,
                "fingerprint": fingerprint,
                "severity": _SEVERITY[diagnostic.severity],
                "location": {
                    "path": relative_path(diagnostic.filename, root),
                    "lines": {"begin": diagnostic.span.start.row, "end": diagnostic.span.end.row},
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
