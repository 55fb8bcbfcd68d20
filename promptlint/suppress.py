# SPDX-License-Identifier: MIT
"""`# promptlint: ignore[...]` comments: reading them, and writing them for `--add-ignore`.

Forms:

- `# promptlint: ignore[PRM201, PRM202]` silences those codes on its line;
- `# promptlint: ignore` silences every code on its line;
- `# promptlint: ignore-file` in the file's leading comment block (before any code but
  the module docstring) silences the whole file; `ignore-file[PRM201]` only those codes;
- `# noqa: PRM201` (flake8's and ruff's form) silences the `PRM` codes it names. A bare
  `# noqa` does not: it is usually written for another linter.

Codes match exactly, as ruff's `noqa` does. A directive that cannot be read (`ignore[PRM201`
without its `]`) suppresses nothing, and it and codes no rule has are reported as
`Suppressions.warnings`, so a typo never silences a finding or fails silently. Comments are found with `tokenize`, so the
same text inside a string is not a directive. A line that cannot end in a comment (inside a
multi-line string, or continued with a backslash) is covered by the comment on the line
where that construct ends, as ruff does, so a directive there silences the statement's
first line too.
"""

from __future__ import annotations

import re
import tokenize
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(
    r"promptlint:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[^\]]*)\]|(?P<open>\[[^\]]*$))?(?![\w-])"
)
# flake8's and ruff's `# noqa: CODE, CODE`; only the PRM codes in it are ours.
_NOQA = re.compile(r"#\s*noqa:\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
_OUR_CODE = re.compile(r"PRM[0-9]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FALLBACK_COMMENT = re.compile(r"#.*")
_SKIPPED_BEFORE_CODE = frozenset({tokenize.ENCODING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE})


@dataclass(frozen=True)
class Suppressions:
    """The directives of one file: per line, the silenced codes (None: all codes)."""

    by_line: Mapping[int, frozenset[str] | None] = field(default_factory=dict)
    file_ignored: bool = False  # `ignore-file` without codes
    file_codes: frozenset[str] = frozenset()  # codes of `ignore-file[...]`
    warnings: tuple[DirectiveWarning, ...] = ()

    def is_suppressed(self, code: str, lines: Iterable[int]) -> bool:
        """Whether `code` is silenced for the whole file or on any of `lines` (1-based)."""
        if self.file_ignored or code in self.file_codes:
            return True
        for line in lines:
            if line in self.by_line:
                codes = self.by_line[line]
                if codes is None or code in codes:
                    return True
        return False


@dataclass(frozen=True)
class DirectiveWarning:
    """A directive that suppresses less than it looks like it does: malformed, or naming a
    code that no rule has."""

    line: int
    message: str


@dataclass
class _Layout:
    """What tokenizing a source tells about where comments can go."""

    comments: dict[int, tuple[int, str]]  # line -> (column, comment text)
    unsafe: set[int]  # lines that cannot end in a comment
    leading: int  # comments on lines <= this are in the leading comment block
    complete_through: int  # last line the tokenizer vouched for


def may_hold_directives(source: str) -> bool:
    """Whether a source's text could hold a directive of ours: `promptlint:`, or a `noqa`
    naming a PRM code (a file's `# noqa: E501` is another linter's). A source that cannot
    is not tokenized: the tokenizer is pure Python, and on a long module it cost more than
    the module's whole analysis (crewAI's warm run spent 0.35 s of 0.5 s there)."""
    return "promptlint:" in source or ("PRM" in source and "noqa" in source.lower())


def parse_suppressions(source: str, known_codes: Collection[str] | None = None) -> Suppressions:
    """Read the promptlint directives of a file's source text (none without
    `may_hold_directives`). With `known_codes` (the registered rules' codes), codes outside
    it are warned about."""
    if not may_hold_directives(source):
        return Suppressions()
    lines = _split_lines(source)
    layout = _layout(lines)
    by_line: dict[int, frozenset[str] | None] = {}
    file_ignored = False
    file_codes: set[str] = set()
    warnings: list[DirectiveWarning] = []

    def check_codes(line: int, codes: frozenset[str] | None, form: str) -> None:
        if known_codes is None or codes is None:
            return
        for code in sorted(codes.difference(known_codes)):
            warnings.append(DirectiveWarning(line, f"unknown rule code {code} in `{form}`: it suppresses nothing"))

    for line, (_, text) in layout.comments.items():
        for match in _DIRECTIVE.finditer(text):
            form = f"# {match.group().strip()}"
            if match["open"] is not None:
                warnings.append(DirectiveWarning(line, f"malformed `{form}` (no closing `]`): it suppresses nothing"))
                continue
            codes = _codes(match["codes"])
            check_codes(line, codes, form)
            if match["file"]:
                if line <= layout.leading:
                    file_ignored = file_ignored or codes is None
                    file_codes.update(codes or ())
                else:
                    warnings.append(DirectiveWarning(line, f"`{form}` after the first statement: it suppresses nothing"))
                continue
            _cover(by_line, line, layout.unsafe, codes)
        for match in _NOQA.finditer(text):
            codes = frozenset(_OUR_CODE.findall(match["codes"].upper()))
            if codes:
                check_codes(line, codes, f"# noqa: {', '.join(sorted(codes))}")
                _cover(by_line, line, layout.unsafe, codes)
    return Suppressions(by_line, file_ignored, frozenset(file_codes), tuple(sorted(warnings, key=lambda w: w.line)))


def _cover(by_line: dict[int, frozenset[str] | None], line: int, unsafe: set[int], codes: frozenset[str] | None) -> None:
    """Silence `codes` (None: all) on the comment's line and the lines its construct covers."""
    for covered in _covered_lines(line, unsafe):
        previous = by_line.get(covered, frozenset())
        by_line[covered] = None if codes is None or previous is None else previous | codes


def add_ignore_comments(source: str, codes_by_line: Mapping[int, set[str]]) -> str:
    """`source` with `# promptlint: ignore[CODES]` on each line of `codes_by_line` (1-based).

    A line that cannot take a comment (inside a multi-line string, or continued with a
    backslash) passes its codes to the line where that construct ends, whose comment
    covers it. An existing promptlint directive on the line is extended; another comment
    is kept and the directive appended after it. Lines the tokenizer could not vouch for
    (after a tokenize error) are left alone: `parse_suppressions` on the result shows which
    codes were placed. Line endings are kept.
    """
    lines = _split_lines(source)
    layout = _layout(lines)
    wanted: dict[int, set[str]] = {}
    for line, codes in codes_by_line.items():
        target = line
        while target in layout.unsafe:
            target += 1
        if codes and 1 <= target <= min(layout.complete_through, len(lines)):
            wanted.setdefault(target, set()).update(codes)
    for line, codes in wanted.items():
        text, ending = _split_ending(lines[line - 1])
        lines[line - 1] = _with_directive(text, codes, layout.comments.get(line)) + ending
    return "".join(lines)


# --------------------------------------------------------------------------- helpers


def _split_lines(source: str) -> list[str]:
    """Physical lines with their own endings (\\n, \\r\\n or \\r), as Python's tokenizer sees them.

    Unlike `str.splitlines`, form feeds and other Unicode separators do not end a line.
    """
    lines: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(source):
        lines.append(source[start : match.end()])
        start = match.end()
    if start < len(source):
        lines.append(source[start:])
    return lines


def _split_ending(line: str) -> tuple[str, str]:
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped) :]


def _layout(lines: list[str]) -> _Layout:
    comments: dict[int, tuple[int, str]] = {}
    unsafe: set[int] = set()
    leading = 0
    in_leading_block = True
    docstring: int | None = None  # the row a leading module docstring starts on
    docstring_ended = False  # its statement ended (a NEWLINE), so it is a docstring
    last_line = 0
    readline = iter(lines).__next__
    try:
        for token in tokenize.generate_tokens(readline):
            (start_row, start_col), (end_row, _) = token.start, token.end
            if in_leading_block and docstring is not None and not docstring_ended:
                if token.type == tokenize.NEWLINE:
                    docstring_ended = True
                elif token.type not in _SKIPPED_BEFORE_CODE:  # `"""doc""" + x`: code, not a docstring
                    in_leading_block = False
                    leading = docstring - 1
            elif in_leading_block and token.type not in _SKIPPED_BEFORE_CODE:
                if token.type == tokenize.STRING and docstring is None:
                    docstring = start_row  # a module docstring may stand above the directive
                else:
                    in_leading_block = False
                    leading = start_row - 1
            if token.type == tokenize.COMMENT:
                comments[start_row] = (start_col, token.string)
            elif end_row > start_row:  # a string (or f-string piece) spanning lines
                unsafe.update(range(start_row, end_row))
            last_line = max(last_line, end_row)
        complete_through = len(lines)
    except (tokenize.TokenError, SyntaxError):
        # Untokenizable source (it will not parse either): keep what was read, and for
        # the rest read comments line by line, accepting a string's `#` as a comment.
        complete_through = last_line - 1
        for row in range(last_line + 1, len(lines) + 1):
            match = _FALLBACK_COMMENT.search(lines[row - 1])
            if match is not None:
                comments[row] = (match.start(), match.group().rstrip("\r\n"))
    if in_leading_block:  # nothing but comments (as far as the tokenizer got)
        leading = last_line
    for row, line in enumerate(lines, start=1):
        text = _split_ending(line)[0]
        if text.endswith("\\") and row not in comments and row not in unsafe:
            unsafe.add(row)  # a backslash continuation
    return _Layout(comments, unsafe, leading, complete_through)


def _covered_lines(line: int, unsafe: set[int]) -> list[int]:
    """The comment's line and the lines before it that end inside its construct."""
    covered = [line]
    while covered[-1] - 1 in unsafe:
        covered.append(covered[-1] - 1)
    return covered


def _codes(text: str | None) -> frozenset[str] | None:
    """The codes in a directive's brackets; None (all codes) without brackets."""
    if text is None:
        return None
    return frozenset(code for code in re.split(r"[\s,]+", text) if code)


def _with_directive(text: str, codes: set[str], comment: tuple[int, str] | None) -> str:
    """A line's text with `codes` added to its promptlint directive (or a new one)."""
    if comment is not None:
        column, comment_text = comment
        for match in _DIRECTIVE.finditer(comment_text):
            if match["file"] or match["open"] is not None:
                continue
            existing = _codes(match["codes"])
            if existing is None:
                return text  # already silences every code
            merged = f"promptlint: ignore[{', '.join(sorted(existing | codes))}]"
            start = column + match.start()
            return text[:start] + merged + text[column + match.end() :]
    return f"{text.rstrip()}  # promptlint: ignore[{', '.join(sorted(codes))}]"
