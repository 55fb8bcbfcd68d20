# SPDX-License-Identifier: MIT
"""Source written for a newer Python than the one promptlint runs on.

Python 3.12 lets f-string fields hold backslashes and the string's own quotes (PEP 701);
on 3.11, `ast` refuses such files. libcst parses them, so for a file `ast` refuses over an
f-string, libcst locates every f-string field and its expression is blanked (`{_   }`,
same length, same lines): the file then parses on 3.11 with every position unchanged,
and those fields are unknown dynamic text — which, for a field that needs PEP 701, they
nearly always are anyway. Only files that fail this way pay for libcst.
"""

from __future__ import annotations

import io
import sys
import tokenize

NEEDS_REWRITE = sys.version_info < (3, 12)
MAX_REWRITE_BYTES = 1_000_000  # libcst on a huge file costs minutes; such a file stays an error


def is_fstring_error(error: SyntaxError) -> bool:
    return NEEDS_REWRITE and "f-string" in (error.msg or "")


# libcst's native parser overflows its stack (SIGSEGV, the whole run lost) on 2,000 nested
# brackets and takes minutes on 5,000 chained `not`s, where `ast` reports either cleanly; so
# a file goes to libcst only when no statement is that deep or that long (found by
# bench/fuzz.py; measured: 1,000 brackets or 2,000 `not`s parse in under a second).
MAX_BRACKET_DEPTH = 200
MAX_TOKENS_PER_STATEMENT = 2_000
MAX_INDENT_DEPTH = 100


def _within_libcst_limits(text: str) -> bool:
    depth = indent = statement = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    return False
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            elif token.type == tokenize.INDENT:
                indent += 1
                if indent > MAX_INDENT_DEPTH:
                    return False
            elif token.type == tokenize.DEDENT:
                indent -= 1
            statement = 0 if token.type == tokenize.NEWLINE else statement + 1
            if statement > MAX_TOKENS_PER_STATEMENT:
                return False
    except (tokenize.TokenError, SyntaxError, ValueError):
        return False
    return True


def blank_fstring_fields(text: str) -> str | None:
    """`text` with the expression of every f-string field replaced by `_` and spaces, or
    None when libcst cannot parse it either."""
    if len(text) > MAX_REWRITE_BYTES or not _within_libcst_limits(text):
        return None
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(libcst.parse_module(text))
        positions = wrapper.resolve(PositionProvider)
    except (libcst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
        return None
    lines = text.splitlines(keepends=True)
    spans = []
    for node, position in positions.items():
        if isinstance(node, libcst.FormattedStringExpression):
            inner = positions.get(node.expression)
            if inner is not None:
                # From the expression's start to just before the field's closing brace.
                spans.append((inner.start.line, inner.start.column, position.end.line, position.end.column - 1))
    # Outermost fields only: a nested field is blanked with its enclosing one.
    spans.sort()
    kept: list[tuple[int, int, int, int]] = []
    for span in spans:
        if kept and (span[0], span[1]) < (kept[-1][2], kept[-1][3]):
            continue
        kept.append(span)
    for start_line, start_column, end_line, end_column in reversed(kept):
        for line_number in range(start_line, end_line + 1):
            line = lines[line_number - 1]
            body = line.rstrip("\r\n")
            ending = line[len(body) :]
            first = start_column if line_number == start_line else 0
            last = end_column if line_number == end_line else len(body)
            filler = ("_" if line_number == start_line else " ") + " " * max(last - first - 1, 0)
            lines[line_number - 1] = body[:first] + filler[: last - first] + body[last:] + ending
    return "".join(lines)
