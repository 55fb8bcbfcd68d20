# SPDX-License-Identifier: MIT
"""The only reader of `rules/`: model facts and lexicons, shipped as data in the wheel.

An installed wheel carries the data as `promptlint/_rules`; an editable install or a bare
checkout reads the top-level `rules/` beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def rules_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "_rules", _PACKAGE_DIR.parent / "rules"):
        if (candidate / "models.yaml").is_file():
            return candidate
    raise FileNotFoundError(
        "promptlint's data directory (rules/) is missing from this installation"
    )


@cache
def load_yaml(relative: str) -> Any:
    """Parse one YAML file under rules/ (cached: the data never changes during a run), with
    libyaml's parser where PyYAML has it (about ten times faster than the pure-Python one)."""
    with open(rules_dir() / relative, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader either way


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
