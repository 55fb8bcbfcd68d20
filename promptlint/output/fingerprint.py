# SPDX-License-Identifier: MIT
"""Stable identities for findings, so CI dashboards (SARIF, GitLab) can track one finding
across commits.

A fingerprint hashes what the finding *is*, not where it currently sits: the rule code,
the file's path, the whitespace-normalized text of the flagged line(s) and, to tell apart
identical findings in one file, the occurrence index among them. Line numbers are left out
on purpose: adding a line above a finding must not turn it into a "new" one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from promptlint.output.common import relative_path, source_lines
from promptlint.types import Diagnostic

#: The key SARIF `partialFingerprints` stores these under (name/version, per the spec).
SARIF_KEY = "promptlintFingerprint/v1"


def _flagged_text(diagnostic: Diagnostic, sources: Mapping[str, str]) -> str:
    """The flagged lines with all whitespace runs collapsed (so re-indenting keeps the
    identity); the message when the file's text is not at hand."""
    source = sources.get(diagnostic.filename)
    if source is None:
        return diagnostic.message
    lines = source_lines(source)
    flagged = lines[diagnostic.span.start.row - 1 : diagnostic.span.end.row]
    return " ".join(" ".join(flagged).split())


def fingerprints(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], root: Path | None
) -> list[str]:
    """One hex SHA-256 fingerprint per diagnostic, in the order given.

    Paths are taken relative to `root` (the repository root, so a run from a subdirectory
    gives the same identities). Any string hashes, whatever it holds: an undecodable file
    name's surrogate escapes and a prompt's lone surrogates are hashed as their code points.
    """
    keys = [
        (d.code, relative_path(d.filename, root), _flagged_text(d, sources)) for d in diagnostics
    ]
    # Occurrence indices count in source order, whatever order the caller passes.
    order = sorted(range(len(diagnostics)), key=lambda i: (keys[i], diagnostics[i].span))
    seen: Counter[tuple[str, str, str]] = Counter()
    result = [""] * len(diagnostics)
    for i in order:
        occurrence = seen[keys[i]]
        seen[keys[i]] += 1
        payload = "\0".join((*keys[i], str(occurrence)))
        result[i] = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
    return result
