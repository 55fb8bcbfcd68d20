# SPDX-License-Identifier: MIT
"""Which dynamic prompt segments change between calls within a prompt cache's lifetime.

Prompt caches keep an entry for minutes to a day. A segment that changes on every call
(the time to the second, a UUID, request data) ends the prefix a cache can reuse; a date
changes once a day, so a cache still serves every call but the first of the day. The
caching rules read prompts through this distinction. The day-stable forms of a time
expression are data: rules/lexicons/time_granularity.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from promptlint.data import load_yaml
from promptlint.analysis.results import Segment, SegmentKind

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


@cache
def _lexicon() -> dict[str, Any]:
    return load_yaml("lexicons/time_granularity.yaml")


def is_day_stable(expression: str) -> bool:
    """Whether a time expression, as written, holds a value no finer than a day."""
    lexicon = _lexicon()
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    if any(call in text for call in lexicon["calls"]):
        return True
    if any(d in text for d in lexicon["directives"]) and not any(d in text for d in lexicon["fine_directives"]):
        return True
    if _NAME.fullmatch(text):
        words = set(text.rsplit(".", 1)[-1].lower().split("_"))
        return bool(words & set(lexicon["date_words"])) and not words & set(lexicon["time_words"])
    return False


def changes_per_call(segment: Segment) -> bool:
    """Whether a segment's text can differ between two calls a few minutes apart."""
    if not segment.kind.is_dynamic:
        return False
    return not (segment.kind is SegmentKind.TIME and is_day_stable(segment.text))
