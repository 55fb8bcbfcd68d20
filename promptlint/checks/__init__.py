# SPDX-License-Identifier: MIT
"""The rule registry: every `Rule` subclass in a module below this package, found by import.

Rules register by existing: adding a rule is adding one module (no central dispatch table).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from promptlint.rule import Rule


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    for module in pkgutil.walk_packages(__path__, prefix=__name__ + "."):
        importlib.import_module(module.name)
    found: list[type[Rule]] = []
    pending = list(Rule.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(__name__ + ".") and "code" in cls.__dict__:
            found.append(cls)
    return tuple(sorted(found, key=lambda cls: cls.code))


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    for cls in all_rules():
        if key.upper() == cls.code or key.lower() == cls.name:
            return cls
    return None
