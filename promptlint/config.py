# SPDX-License-Identifier: MIT
"""`[tool.promptlint]` in pyproject.toml (or promptlint.toml) turned into a frozen `Config`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Wrapper:
    """A project function that forwards to an SDK, analysed like an SDK call.

    `function` is its qualified name (`myapp.llm.ask`); the other fields name which of its
    parameters hold the model, the messages and the system prompt; `provider` is the SDK
    it forwards to.
    """

    function: str
    provider: str = "openai"
    model: str | None = "model"
    messages: str | None = "messages"
    system: str | None = "system"
    prompt: str | None = None


@dataclass(frozen=True)
class ModelOverride:
    """`[tool.promptlint.models."<id>"]`: an alias (Azure deployment) or custom prices ($/Mtok)."""

    alias_of: str | None = None
    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the file the configuration came from
    select: tuple[str, ...] = ("PRM",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by rule name
    models: Mapping[str, ModelOverride] = field(default_factory=dict)
    wrappers: tuple[Wrapper, ...] = ()
    calls_per_month: int | None = None
