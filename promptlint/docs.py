# SPDX-License-Identifier: MIT
"""Documentation generated from the rules' own metadata: the README's rules table.

`python -m promptlint.docs` rewrites the table in README.md; a test fails when the table
is out of date, so the README never drifts from the code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from promptlint.checks import all_rules
from promptlint.types import Applicability

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"
FIX_LABELS = {
    None: "",
    Applicability.SAFE: "safe",
    Applicability.UNSAFE: "unsafe",
    Applicability.DISPLAY_ONLY: "suggestion",
}


def rules_table() -> str:
    lines = ["| Code | Name | What it flags | Fix |", "|---|---|---|---|"]
    for rule in all_rules():
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| {rule.code} | `{rule.name}` | {summary} | {FIX_LABELS[rule.fix_applicability]} |")
    return "\n".join(lines)


def update_readme(text: str) -> str:
    block = f"{START}\n{rules_table()}\n{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def main() -> int:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    updated = update_readme(text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
        print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
