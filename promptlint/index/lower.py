# SPDX-License-Identifier: MIT
"""`ast` expressions lowered into `values`, with locations in characters.

`ast` reports columns as UTF-8 byte offsets; promptlint reports (and edits) by character,
so each location is converted through the line's text, which costs nothing on the ASCII
lines that make up nearly all code. Depth is bounded: past `MAX_DEPTH` nested levels an
expression is `Opaque` (what it reads is still recorded), and the long flat chains real
prompts are built from (`"..." + "..." + ...` over hundreds of lines) are lowered
iteratively, so no input makes lowering recurse without bound.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize

from promptlint.index import values as v

MAX_DEPTH = 80
# Python 3.12 places f-string parts exactly (PEP 701); 3.11 gives them the whole string's place.
PRECISE_FSTRINGS = sys.version_info >= (3, 12)
# Numbers beyond this are not worth materializing as text (a 5,000-digit literal).
MAX_NUMBER_DIGITS = 64
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_BINOPS = {
    ast.Mult: "*", ast.Mod: "%", ast.Div: "/", ast.BitOr: "|", ast.Sub: "-", ast.FloorDiv: "//",
    ast.Pow: "**", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@",
}


class Lines:
    """Character columns for the byte offsets `ast` reports, line by line."""

    def __init__(self, text: str) -> None:
        self.lines = _LINE_BREAK.split(text)
        # Row -> whether byte and character columns differ on it (index 0 unused).
        self._wide = [False, *(not line.isascii() for line in self.lines)] if not text.isascii() else None

    def column(self, row: int, byte_offset: int) -> int:
        """The 1-based character column of a 0-based UTF-8 byte offset on `row`."""
        wide = self._wide
        if wide is None or not 0 < row < len(wide) or not wide[row]:
            return byte_offset + 1
        line = self.lines[row - 1]
        return len(line.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "replace")) + 1

    def loc(self, node: ast.AST) -> v.Loc:
        """The location of an expression or statement node."""
        row = node.lineno  # type: ignore[attr-defined]
        end_row = node.end_lineno or row  # type: ignore[attr-defined]
        end_col = node.end_col_offset  # type: ignore[attr-defined]
        if self._wide is None:
            return (row, node.col_offset + 1, end_row, (end_col if end_col is not None else node.col_offset) + 1)  # type: ignore[attr-defined]
        return (row, self.column(row, node.col_offset), end_row, self.column(end_row, end_col if end_col is not None else node.col_offset))  # type: ignore[attr-defined]

    def text(self, loc: v.Loc) -> str:
        """The source text a location spans."""
        row, column, end_row, end_column = loc
        if row < 1 or end_row > len(self.lines):
            return ""
        if row == end_row:
            return self.lines[row - 1][column - 1 : end_column - 1]
        parts = [self.lines[row - 1][column - 1 :], *self.lines[row : end_row - 1], self.lines[end_row - 1][: end_column - 1]]
        return "\n".join(parts)


class Lowerer:
    """Turns the `ast` expressions of one module into values."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        # Side facts met while lowering, which the statement walk collects: walrus
        # bindings `(name, value, line)`, whether a `yield` was seen, and every call with
        # (call, awaited, inside a lambda, the comprehension loops around it).
        self.walrus: list[tuple[str, v.Value, int]] = []
        self.yielded = False
        self.calls: list[tuple[v.Call, bool, bool, tuple[int, ...]]] = []
        # Where comprehension loops are registered (the current function's loop list).
        self.loops: list | None = None
        self._awaited: ast.AST | None = None
        self._in_lambda = False
        self._comp_loops: tuple[int, ...] = ()

    def __call__(self, node: ast.expr | None) -> v.Value | None:
        if node is None:
            return None
        return self.lower(node, 0)

    def lower(self, node: ast.expr, depth: int) -> v.Value:
        if depth > MAX_DEPTH:
            return self.opaque(node)
        method = _METHODS.get(type(node))
        if method is None:
            return self.generic(node, depth + 1)
        return method(self, node, depth + 1)

    def opaque(self, node: ast.AST) -> v.Opaque:
        """An expression too deep to lower: only the names it reads (iteratively: safe on
        any depth `ast` itself accepted)."""
        names = [inner.id for inner in ast.walk(node) if isinstance(inner, ast.Name)]
        return v.Opaque((), tuple(dict.fromkeys(names)), self.lines.loc(node))

    def generic(self, node: ast.expr, depth: int) -> v.Opaque:
        """Any other expression: its operands, lowered."""
        items = tuple(self.lower(child, depth) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
        return v.Opaque(items, (), self.lines.loc(node))

    # ------------------------------------------------------------------ literals

    def _Constant(self, node: ast.Constant, depth: int) -> v.Value:
        value = node.value
        loc = self.lines.loc(node)
        if isinstance(value, str):
            return self.string(value, loc)
        if value is None or isinstance(value, bool):
            return v.Const(value, loc)
        if value is Ellipsis:
            return v.Const("...", loc)
        if isinstance(value, int):
            if value.bit_length() > MAX_NUMBER_DIGITS * 4:  # ~ more digits than anyone writes for a count
                return v.Opaque((), (), loc)
            return v.Num(value, loc)
        if isinstance(value, (float, complex)):
            return v.Num(value, loc)
        return v.Opaque((), (), loc)  # bytes

    def string(self, value: str, loc: v.Loc) -> v.Value:
        """A str constant: one `Str`, or for adjacent literals (`"a" "b"`, which `ast`
        merges into one constant) an `Add` of one `Str` per literal, each with its place,
        so a fix can rewrite each literal in its own quotes."""
        text = self.lines.text(loc)
        if _single_literal(text):
            return v.Str(value, loc)
        parts = self.literal_parts(text, loc)
        if parts is None or len(parts) < 2:
            return v.Str(value, loc)
        return v.Add(tuple(parts), loc)

    def literal_parts(self, text: str, loc: v.Loc) -> list[v.Value] | None:
        """The literals of an implicit concatenation, by tokenizing its source."""
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.STRING]
        except (tokenize.TokenError, SyntaxError):
            return None
        parts: list[v.Value] = []
        for token in tokens:
            try:
                piece = ast.literal_eval(token.string)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                return None
            if not isinstance(piece, str):
                return None
            (start_row, start_col), (end_row, end_col) = token.start, token.end
            row, end = loc[0] + start_row - 1, loc[0] + end_row - 1
            column = (loc[1] if start_row == 1 else 1) + start_col
            end_column = (loc[1] if end_row == 1 else 1) + end_col
            parts.append(v.Str(piece, (row, column, end, end_column)))
        return parts

    def _JoinedStr(self, node: ast.JoinedStr, depth: int) -> v.Value:
        parts = [self.lower(part, depth) for part in node.values]
        loc = self.lines.loc(node)
        if PRECISE_FSTRINGS or len(parts) < 2:
            return v.FStr(tuple(parts), loc)
        return v.FStr(tuple(self.place_parts(parts, loc)), loc)

    def place_parts(self, parts: list[v.Value], loc: v.Loc) -> list[v.Value]:
        """Python 3.11 gives every part of an f-string the whole f-string's place; the
        expressions inside fields are placed exactly, so each field is the braces around
        its expression and each text part the stretch between fields."""
        text = self.lines.text(loc)
        head = _LITERAL_HEAD.match(text)
        if head is None or not _single_literal(text):
            return parts  # several literals merged into one: leave the places approximate
        fields = [self.field_loc(p.value.loc) if isinstance(p, v.Field) else None for p in parts]
        if any(isinstance(p, v.Field) and f is None for p, f in zip(parts, fields)):
            return parts
        cursor = _advance(loc[:2], head.group(0))  # just inside the opening quote
        end_inside = (loc[2], max(1, loc[3] - len(head.group(2))))
        placed: list[v.Value] = []
        for index, part in enumerate(parts):
            if isinstance(part, v.Field):
                field_loc = fields[index]
                placed.append(v.Field(part.value, part.conversion, part.spec, field_loc))  # type: ignore[arg-type]
                cursor = field_loc[2:]  # type: ignore[index]
            elif isinstance(part, v.Str):
                following = next((f for f in fields[index + 1 :] if f is not None), None)
                stop = following[:2] if following is not None else end_inside
                placed.append(v.Str(part.value, (*cursor, *stop)))
                cursor = stop
            else:
                placed.append(part)
        return placed

    def field_loc(self, inner: v.Loc) -> v.Loc | None:
        """The braces around a field whose expression is at `inner`."""
        row, column, end_row, end_column = inner
        if not 0 < row <= len(self.lines.lines) or not 0 < end_row <= len(self.lines.lines):
            return None
        start = self.lines.lines[row - 1].rfind("{", 0, column - 1)
        last = self.lines.lines[end_row - 1]
        depth = 0
        for position in range(end_column - 1, len(last)):
            char = last[position]
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    return (row, start + 1, end_row, position + 2) if start >= 0 else None
                depth -= 1
        return None

    def _FormattedValue(self, node: ast.FormattedValue, depth: int) -> v.Value:
        spec = self.lower(node.format_spec, depth) if node.format_spec is not None else None
        return v.Field(self.lower(node.value, depth), node.conversion, spec, self.lines.loc(node))

    # ------------------------------------------------------------------ names

    def _Name(self, node: ast.Name, depth: int) -> v.Value:
        return v.Ref(node.id, self.lines.loc(node))

    def _Attribute(self, node: ast.Attribute, depth: int) -> v.Value:
        return v.Attr(self.lower(node.value, depth), node.attr, self.lines.loc(node))

    def _Call(self, node: ast.Call, depth: int) -> v.Value:
        awaited = node is self._awaited
        func = self.lower(node.func, depth)
        args = tuple(self.lower(arg, depth) for arg in node.args)
        keywords = tuple((kw.arg, self.lower(kw.value, depth)) for kw in node.keywords)
        call = v.Call(func, args, keywords, self.lines.loc(node))
        self.calls.append((call, awaited, self._in_lambda, self._comp_loops))
        return call

    def _Starred(self, node: ast.Starred, depth: int) -> v.Value:
        return v.Star(self.lower(node.value, depth), self.lines.loc(node))

    def _Subscript(self, node: ast.Subscript, depth: int) -> v.Value:
        return v.Sub(self.lower(node.value, depth), self.lower(node.slice, depth), self.lines.loc(node))

    def _Await(self, node: ast.Await, depth: int) -> v.Value:
        self._awaited = node.value
        return v.Await(self.lower(node.value, depth), self.lines.loc(node))

    # ------------------------------------------------------------------ operators

    def _BinOp(self, node: ast.BinOp, depth: int) -> v.Value:
        if isinstance(node.op, ast.Add):
            # `a + b + c` nests to the left: walk the spine instead of recursing down it.
            operands: list[ast.expr] = []
            current: ast.expr = node
            while isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
                operands.append(current.right)
                current = current.left
            operands.append(current)
            operands.reverse()
            return v.Add(tuple(self.lower(operand, depth) for operand in operands), self.lines.loc(node))
        op = _BINOPS.get(type(node.op), type(node.op).__name__)
        return v.BinOp(op, self.lower(node.left, depth), self.lower(node.right, depth), self.lines.loc(node))

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> v.Value:
        op = "or" if isinstance(node.op, ast.Or) else "and"
        return v.BoolOp(op, tuple(self.lower(item, depth) for item in node.values), self.lines.loc(node))

    def _IfExp(self, node: ast.IfExp, depth: int) -> v.Value:
        return v.IfExp(self.lower(node.body, depth), self.lower(node.orelse, depth), self.lines.loc(node))

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> v.Value:
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
            return v.Num(-node.operand.value, self.lines.loc(node))  # `-1`, `-0.5`
        return self.generic(node, depth)

    def _NamedExpr(self, node: ast.NamedExpr, depth: int) -> v.Value:
        value = self.lower(node.value, depth)
        if isinstance(node.target, ast.Name):
            self.walrus.append((node.target.id, value, node.lineno))
        return value

    def _Yield(self, node: ast.Yield | ast.YieldFrom, depth: int) -> v.Value:
        self.yielded = True
        return self.generic(node, depth)

    _YieldFrom = _Yield

    # ------------------------------------------------------------------ displays

    def _List(self, node: ast.List, depth: int) -> v.Value:
        return v.Seq("list", tuple(self.lower(e, depth) for e in node.elts), self.lines.loc(node))

    def _Tuple(self, node: ast.Tuple, depth: int) -> v.Value:
        return v.Seq("tuple", tuple(self.lower(e, depth) for e in node.elts), self.lines.loc(node))

    def _Set(self, node: ast.Set, depth: int) -> v.Value:
        return v.Seq("set", tuple(self.lower(e, depth) for e in node.elts), self.lines.loc(node))

    def _Dict(self, node: ast.Dict, depth: int) -> v.Value:
        keys = tuple(None if k is None else self.lower(k, depth) for k in node.keys)
        return v.Dict(keys, tuple(self.lower(val, depth) for val in node.values), self.lines.loc(node))

    def _Lambda(self, node: ast.Lambda, depth: int) -> v.Value:
        params = tuple(a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        outer = self._in_lambda, self._comp_loops
        self._in_lambda, self._comp_loops = True, ()  # the body runs when called, not here
        try:
            body = self.lower(node.body, depth)
        finally:
            self._in_lambda, self._comp_loops = outer
        return v.Lambda(params, body, self.lines.loc(node))

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, kind: str, depth: int) -> v.Value:
        from promptlint.index.summary import Loop  # the loop record summaries keep

        first = node.generators[0]
        targets = tuple(n.id for n in ast.walk(first.target) if isinstance(n, ast.Name))
        iterable = self.lower(first.iter, depth)
        loc = self.lines.loc(node)
        outer = self._comp_loops
        if self.loops is not None:
            self.loops.append(Loop("comprehension", loc, iterable, targets, False))
            self._comp_loops = (*outer, len(self.loops) - 1)
        try:
            if isinstance(node, ast.DictComp):
                element, key = self.lower(node.value, depth), self.lower(node.key, depth)
            else:
                element, key = self.lower(node.elt, depth), None
        finally:
            self._comp_loops = outer
        return v.Comp(kind, element, key, targets, iterable, loc)

    def _ListComp(self, node: ast.ListComp, depth: int) -> v.Value:
        return self._comprehension(node, "list", depth)

    def _SetComp(self, node: ast.SetComp, depth: int) -> v.Value:
        return self._comprehension(node, "set", depth)

    def _GeneratorExp(self, node: ast.GeneratorExp, depth: int) -> v.Value:
        return self._comprehension(node, "gen", depth)

    def _DictComp(self, node: ast.DictComp, depth: int) -> v.Value:
        return self._comprehension(node, "dict", depth)


_METHODS = {
    getattr(ast, name[1:]): method
    for name, method in vars(Lowerer).items()
    if name.startswith("_") and name[1:2].isupper() and hasattr(ast, name[1:])
}


_LITERAL_HEAD = re.compile(r"""([A-Za-z]{0,2})('''|\"\"\"|'|")""")
# One string literal token, quotes included: the common case, checked without tokenizing.
_ONE_LITERAL = re.compile(
    r"[A-Za-z]{0,2}(?:"
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r")",
    re.S,
)


def _advance(position: tuple[int, int], text: str) -> tuple[int, int]:
    """The (row, column) after `text` written from `position`."""
    row, column = position
    lines = _LINE_BREAK.split(text)
    if len(lines) == 1:
        return row, column + len(text)
    return row + len(lines) - 1, len(lines[-1]) + 1


def _single_literal(text: str) -> bool:
    """Whether a string constant's source is one literal (not `"a" "b"`). Most are, and a
    literal whose quotes occur only at its two ends, with no escapes, needs no pattern
    (docstrings are long)."""
    body = text.lstrip("rRbBuUfF")
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    if len(text) - len(body) <= 2 and quote in ('"""', "'''", '"', "'") and body.endswith(quote) and body.count(quote) == 2 and "\\" not in body:
        return len(body) >= 2 * len(quote)
    return _ONE_LITERAL.fullmatch(text) is not None


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def dotted_name(node: ast.expr) -> str | None:
    """`a.b.c` for an ast Name/Attribute chain, None for anything else."""
    return _dotted(node)
