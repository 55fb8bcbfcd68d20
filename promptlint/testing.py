# SPDX-License-Identifier: MIT
"""Runs a rule's examples: each `Valid`/`Invalid` is linted as a small project on disk.

Examples are a rule's documentation and its tests at once (as in Fixit); this module is
what turns them into assertions, for `tests/test_rules.py`.
"""

from __future__ import annotations

import dataclasses
import tempfile
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from promptlint.config import Config, load_config
from promptlint.engine import lint
from promptlint.fixes import fix_file
from promptlint.rule import Example, Invalid, Rule
from promptlint.types import Diagnostic

# Rules that depend on today's date (retirements) see this date in examples.
EXAMPLE_DATE = date(2026, 11, 28)


@dataclass
class ExampleRun:
    diagnostics: list[Diagnostic]
    fixed: str | None  # the main file after applying every fix (unsafe included)
    source: str


def run_example(rule: type[Rule], example: Example) -> ExampleRun:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for relative, text in example.files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        main = root / example.filename
        main.parent.mkdir(parents=True, exist_ok=True)
        main.write_text(example.dedented, encoding="utf-8")
        config = Config(root=root, select=(rule.code,), rule_options={rule.name: dict(example.options)})
        if "pyproject.toml" in example.files:
            # An example may configure the project (`[tool.promptlint.models]` ...); the
            # rule under test and the example's options still win.
            loaded = load_config(root / "pyproject.toml")
            options = {**loaded.rule_options, rule.name: {**loaded.rule_options.get(rule.name, {}), **example.options}}
            config = dataclasses.replace(loaded, select=(rule.code,), rule_options=options)
        paths = [root]
        result = lint(paths, config, use_cache=False, today=EXAMPLE_DATE)
        assert not result.errors, result.errors
        fixed = None
        if isinstance(example, Invalid) and example.fixed is not None:

            def relint(text: str) -> list[Diagnostic]:
                again = lint(paths, config, use_cache=False, overrides={main: text}, today=EXAMPLE_DATE)
                return [d for d in again.diagnostics if Path(d.filename).resolve() == main.resolve()]

            outcome = fix_file(main, relint, unsafe=True, write=False)
            fixed = outcome.new_text
        return ExampleRun(list(result.diagnostics), fixed, example.dedented)
