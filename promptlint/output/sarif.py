# SPDX-License-Identifier: MIT
"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Paths are relative to `%SRCROOT%` (declared in `originalUriBaseIds`) so a log made in one
checkout reads in another; columns are declared as Unicode code points because that is
what promptlint counts (SARIF's default is UTF-16 code units). Results carry stable
`partialFingerprints` so code scanning tracks a finding across commits instead of
re-opening it whenever lines above it move. Files that could not be checked become error
notifications on the invocation, which is then marked unsuccessful.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from promptlint import __version__
from promptlint.output.common import cost_payload, relative_path, report_root, rule_info
from promptlint.output.fingerprint import SARIF_KEY, fingerprints
from promptlint.types import Diagnostic, FileError, Severity, Span

if TYPE_CHECKING:
    from promptlint.output import RenderInput

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://promptlint.dev/"
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.WARNING: "warning", Severity.ERROR: "error"}


def _artifact(filename: str, root: Path) -> dict[str, str]:
    """A location under the source root as a relative URI, anything else as a file URI.

    URIs percent-encode the name's bytes, so an undecodable file name keeps its bytes.
    """
    path = relative_path(filename, root)
    if Path(path).is_absolute():
        return {"uri": "file://" + quote(_name_bytes(path))}
    return {"uri": quote(_name_bytes(path)), "uriBaseId": SRCROOT}


def _name_bytes(name: str) -> bytes:
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate the file system encoding did not produce
        return name.encode("utf-8", "surrogatepass")


def _region(span: Span) -> dict[str, int]:
    # SARIF's endColumn is the column after the region, as promptlint's exclusive span end.
    return {
        "startLine": span.start.row,
        "startColumn": span.start.column,
        "endLine": span.end.row,
        "endColumn": span.end.column,
    }


def _rules(codes: list[str], names: dict[str, str]) -> list[dict[str, Any]]:
    descriptors = []
    for code in codes:
        info = rule_info(code, names[code])
        descriptor: dict[str, Any] = {
            "id": code,
            "name": info.name,
            "shortDescription": {"text": info.summary or info.name},
        }
        if info.docs:
            descriptor["fullDescription"] = {"text": info.docs, "markdown": info.docs}
        if info.url:
            descriptor["helpUri"] = info.url
        # Rules report warnings unless configuration raises them; results carry their level.
        descriptor["defaultConfiguration"] = {"level": "warning"}
        descriptors.append(descriptor)
    return descriptors


def _result(
    diagnostic: Diagnostic, rule_index: int, fingerprint: str, root: Path
) -> dict[str, Any]:
    artifact = _artifact(diagnostic.filename, root)
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": _region(diagnostic.span)}}
        ],
        "partialFingerprints": {SARIF_KEY: fingerprint},
    }
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        result["fixes"] = [
            {
                "description": {"text": fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.span),
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in fix.edits
                        ],
                    }
                ],
                "properties": {"applicability": fix.applicability.value},
            }
        ]
    properties: dict[str, Any] = {"name": diagnostic.name}
    cost = cost_payload(diagnostic)
    if cost is not None:
        properties["cost"] = cost
    result["properties"] = properties
    return result


def _notification(error: FileError, root: Path) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(error.filename, root)}
    if error.line:
        location["region"] = {"startLine": error.line}
        if error.column:
            location["region"]["startColumn"] = error.column
    return {
        "level": "error",
        "message": {"text": error.reason},
        "locations": [{"physicalLocation": location}],
    }


def sarif_log(data: RenderInput) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    root = report_root(data.root) or Path.cwd()
    names = {d.code: d.name for d in data.diagnostics}
    codes = sorted(names)
    index = {code: i for i, code in enumerate(codes)}
    prints = fingerprints(data.diagnostics, data.sources, root)
    # A base URI must end in a slash, or relative references resolve against its parent.
    root_uri = root.as_uri()
    root_uri += "" if root_uri.endswith("/") else "/"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "promptlint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": _rules(codes, names),
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not data.errors,
                "toolExecutionNotifications": [_notification(e, root) for e in data.errors],
            }
        ],
        "results": [
            _result(d, index[d.code], fingerprint, root)
            for d, fingerprint in zip(data.diagnostics, prints)
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(data: RenderInput, *, color: bool) -> str:
    return json.dumps(sarif_log(data), indent=2, ensure_ascii=False) + "\n"
