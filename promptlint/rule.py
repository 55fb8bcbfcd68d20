# SPDX-License-Identifier: MIT
"""The base every rule builds on, and the examples that are both its docs and its tests.

A rule is one class in one module under `promptlint/checks/`: its code, name, docstring (in
ruff's sections), options, examples and logic live together. Rules read `LLMCall`s from a
`FileAnalysis`; they never walk syntax trees and never price anything themselves: they
report tokens in a `Stake` and the engine turns that into dollars.
"""

from __future__ import annotations

import dataclasses
import inspect
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from promptlint.paths import is_test_file
from promptlint.analysis.results import FileAnalysis, LLMCall
from promptlint.types import Applicability, Diagnostic, Fix, Severity, Span, Stake


@dataclass(frozen=True)
class NoOptions:
    """For rules without options."""


@dataclass(frozen=True)
class Example:
    """A source snippet for a rule; `files` adds other project files by relative path."""

    source: str
    files: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    filename: str = "app.py"

    @property
    def dedented(self) -> str:
        return textwrap.dedent(self.source).lstrip("\n")


@dataclass(frozen=True)
class Valid(Example):
    """Code the rule must not flag."""


@dataclass(frozen=True)
class Invalid(Example):
    """Code the rule must flag.

    `message` is a substring the finding's message must contain; `tokens` the tokens at
    stake per call (None: not asserted, e.g. latency findings); `fixed` the whole file
    after the rule's fix is applied (unsafe fixes included) or None when the rule offers no
    applicable fix here; `count` how many findings the snippet produces.
    """

    message: str = ""
    tokens: int | None = None
    fixed: str | None = None
    count: int = 1

    @property
    def fixed_dedented(self) -> str | None:
        return None if self.fixed is None else textwrap.dedent(self.fixed).lstrip("\n")


@dataclass
class RuleContext:
    """What a rule may consult besides the analysis: its options, tokens, model facts, today."""

    options: Any
    count_tokens: Callable[[str, str | None], Any]  # (text, model) -> tokens.TokenCount
    today: date
    read_source: Callable[[str], str]  # filename -> text, for building edits
    config: Any = None  # the run's config.Config

    def in_test_code(self, filename: str) -> bool:
        """Whether a file is test code, judged by its path inside the project root. A prompt
        written there is test data: the traffic its per-call savings assume never comes."""
        return is_test_file(filename, getattr(self.config, "root", None))


class Rule:
    """Base class for all rules. Subclasses set the class attributes and override `check_call`
    (or `check` for rules that look at several calls of a file together)."""

    code: ClassVar[str]
    name: ClassVar[str]
    Options: ClassVar[type] = NoOptions
    fix_applicability: ClassVar[Applicability | None] = None  # the fix it offers, if any
    examples: ClassVar[tuple[Example, ...]] = ()

    def check_project(self, analyses: Sequence[FileAnalysis], ctx: RuleContext) -> Iterator[Diagnostic]:
        """Every finding of the run. Rules that judge one call at a time leave this alone; a
        rule that must see every call at once (one prompt sent by several calls, reported
        once where it is written) overrides it."""
        for analysis in analyses:
            yield from self.check(analysis, ctx)

    def check(self, analysis: FileAnalysis, ctx: RuleContext) -> Iterator[Diagnostic]:
        for call in self.judged(analysis.calls):
            yield from self.check_call(call, ctx)

    # A call of a project wrapper (`LLMCall.via`) carries the prompt as its caller wrote it;
    # the SDK call inside the wrapper (`LLMCall.wrapped`) only sees parameters. A rule about
    # prompts or about the calling code judges the wrapper calls; a rule about the SDK call
    # itself (is it streamed?) judges the SDK call, and says so here.
    judges_wrapper_calls: ClassVar[bool] = True
    judges_wrapped_calls: ClassVar[bool] = False

    def judged(self, calls: Iterable[LLMCall]) -> list[LLMCall]:
        """The calls this rule looks at (see `judges_wrapper_calls`)."""
        return [
            call
            for call in calls
            if (self.judges_wrapper_calls or call.via is None) and (self.judges_wrapped_calls or not call.wrapped)
        ]

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()

    # ----------------------------------------------------------------- helpers for rules

    def report(
        self,
        filename: str,
        span: Span,
        message: str,
        *,
        fix: Fix | None = None,
        stake: Stake | None = None,
        severity: Severity = Severity.WARNING,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=message,
            filename=filename,
            span=span,
            severity=severity,
            fix=fix,
            stake=stake,
        )

    # ----------------------------------------------------------------- metadata

    @classmethod
    def docs(cls) -> str:
        """The rule's documentation: its docstring, in ruff's sections."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first sentence of `## What it does`, for tables and SARIF shortDescription."""
        docs = cls.docs()
        marker = "## What it does"
        body = docs.split(marker, 1)[1] if marker in docs else docs
        paragraph = " ".join(body.strip().split("\n\n", 1)[0].split())
        # The first sentence: up to a full stop followed by a space (or the end), outside parentheses.
        depth = 0
        for index, char in enumerate(paragraph):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char in ".:" and depth == 0 and (index + 1 == len(paragraph) or paragraph[index + 1] == " "):
                return paragraph[: index] + "."
        return paragraph

    @classmethod
    def option_defaults(cls) -> dict[str, Any]:
        return {f.name.replace("_", "-"): f.default for f in dataclasses.fields(cls.Options)}

    @classmethod
    def make_options(cls, values: Mapping[str, Any]) -> Any:
        """Build the Options dataclass from `[tool.promptlint.<rule-name>]` (kebab-case keys)."""
        known = {f.name for f in dataclasses.fields(cls.Options)}
        kwargs = {}
        for key, value in values.items():
            attr = key.replace("-", "_")
            if attr not in known:
                raise KeyError(key)
            kwargs[attr] = value
        return cls.Options(**kwargs)

    @classmethod
    def url(cls) -> str:
        return f"https://promptlint.dev/rules/{cls.name}/"
