# SPDX-License-Identifier: MIT
"""The expressions analysis reasons about, lowered from `ast` into a small vocabulary.

Analysis never needs all of Python: it follows names, attributes, calls, string building
(literals, f-strings, `+`, `%`, `.format`, joins), containers and a few operators, and
treats everything else as an opaque value whose only interesting facts are the names it
reads. Lowering `ast` into these classes once per module gives one vocabulary for the
module being analysed and for the summaries of the modules it imports (which are cached
on disk as JSON, `to_json`/`from_json`), so there is one resolver, not one per parser.

Every value carries its source location as `loc = (row, column, end_row, end_column)`:
1-based rows, 1-based columns counted in characters, end exclusive (the same convention
as `promptlint.types.Span`). Values are plain slotted objects; treat them as immutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

Loc = tuple[int, int, int, int]
NO_LOC: Loc = (0, 0, 0, 0)


@dataclass(slots=True, eq=False)
class Str:
    """A string literal (one source token; adjacent literals lower to `Add`)."""

    value: str
    loc: Loc


@dataclass(slots=True, eq=False)
class Num:
    """An int, float or complex literal (huge ones stay `Opaque`)."""

    value: int | float | complex
    loc: Loc


@dataclass(slots=True, eq=False)
class Const:
    """`True`, `False`, `None` or `...`."""

    value: bool | None | str  # "..." stands for Ellipsis
    loc: Loc


@dataclass(slots=True, eq=False)
class Ref:
    """A name as written: `client`, `SYSTEM_PROMPT`, `self`."""

    name: str
    loc: Loc


@dataclass(slots=True, eq=False)
class Attr:
    """`base.name`."""

    base: Value
    name: str
    loc: Loc


@dataclass(slots=True, eq=False)
class Call:
    """`func(*args, **keywords)`; a keyword named None is a `**mapping`, a `Star` arg a `*seq`."""

    func: Value
    args: tuple[Value, ...]
    keywords: tuple[tuple[str | None, Value], ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class Star:
    """`*value` in a call or a display."""

    value: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class FStr:
    """An f-string: `Str` parts and `Field`s, in order."""

    parts: tuple[Value, ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class Field:
    """`{value!r:spec}` inside an f-string (conversion -1 when none)."""

    value: Value
    conversion: int
    spec: Value | None
    loc: Loc


@dataclass(slots=True, eq=False)
class Add:
    """`a + b + c` (a left-leaning chain of `+`, flattened: long prompts are built this way)."""

    items: tuple[Value, ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class BinOp:
    """Any other binary operator: `*`, `%`, `/` (paths), `|`, ..."""

    op: str
    left: Value
    right: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class Seq:
    """A list, tuple or set display."""

    kind: str  # "list", "tuple", "set"
    items: tuple[Value, ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class Dict:
    """A dict display; a key of None is a `**spread`."""

    keys: tuple[Value | None, ...]
    values: tuple[Value, ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class Sub:
    """`base[index]`."""

    base: Value
    index: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class Await:
    value: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class IfExp:
    """`body if test else orelse` (the test is opaque: either branch may be taken)."""

    body: Value
    orelse: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class BoolOp:
    """`a or b`, `a and b`: `client or AsyncOpenAI()` holds one of its operands."""

    op: str  # "or", "and"
    items: tuple[Value, ...]
    loc: Loc


@dataclass(slots=True, eq=False)
class Lambda:
    params: tuple[str, ...]
    body: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class Comp:
    """A comprehension or generator: `element for target in iterable`; `key` for dicts."""

    kind: str  # "list", "set", "dict", "gen"
    element: Value
    key: Value | None
    targets: tuple[str, ...]
    iterable: Value
    loc: Loc


@dataclass(slots=True, eq=False)
class Opaque:
    """Anything else (a comparison, a `not`, a yield ...): what it reads is all analysis
    needs, so its operands are kept (`sorted(datetime.now() ...)` still counts as
    time-dependent, and calls inside it are still calls). `names` holds the names read by
    an expression too deep to lower."""

    items: tuple[Value, ...]
    names: tuple[str, ...]
    loc: Loc


Value = Union[Str, Num, Const, Ref, Attr, Call, Star, FStr, Field, Add, BinOp, Seq, Dict, Sub, Await, IfExp, BoolOp, Lambda, Comp, Opaque]


def dotted(value: Value | None) -> str | None:
    """`a.b.c` for a chain of `Ref`/`Attr`, None for anything else."""
    parts: list[str] = []
    while isinstance(value, Attr):
        parts.append(value.name)
        value = value.base
    if not isinstance(value, Ref):
        return None
    parts.append(value.name)
    return ".".join(reversed(parts))


def names_read(value: Value | None) -> list[str]:
    """Every plain name a value reads (attribute names excluded), in order, iteratively."""
    found: list[str] = []
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if item is None:
            continue
        if isinstance(item, Ref):
            found.append(item.name)
        else:
            if isinstance(item, Opaque):
                found.extend(item.names)
            pending.extend(children(item))
    return found


def children(value: Value) -> list[Value]:
    """The values directly inside `value` (for walks that must not recurse)."""
    return _CHILDREN[type(value)](value)


_CHILDREN: dict[type, Any] = {
    Str: lambda x: [],
    Num: lambda x: [],
    Const: lambda x: [],
    Ref: lambda x: [],
    Attr: lambda x: [x.base],
    Call: lambda x: [x.func, *x.args, *(item for _, item in x.keywords)],
    Star: lambda x: [x.value],
    Await: lambda x: [x.value],
    FStr: lambda x: list(x.parts),
    Field: lambda x: [x.value] if x.spec is None else [x.value, x.spec],
    Add: lambda x: list(x.items),
    Seq: lambda x: list(x.items),
    BoolOp: lambda x: list(x.items),
    Opaque: lambda x: list(x.items),
    BinOp: lambda x: [x.left, x.right],
    Dict: lambda x: [*(k for k in x.keys if k is not None), *x.values],
    Sub: lambda x: [x.base, x.index],
    IfExp: lambda x: [x.body, x.orelse],
    Lambda: lambda x: [x.body],
    Comp: lambda x: [x.element, x.iterable] if x.key is None else [x.element, x.iterable, x.key],
}


# --------------------------------------------------------------------------- JSON

# One tag per class; each node is `[tag, field, field, ...]` in field order, `loc` last.
_TAGS: dict[type, str] = {
    Str: "s", Num: "n", Const: "k", Ref: "r", Attr: "a", Call: "c", Star: "*", FStr: "f",
    Field: "F", Add: "+", BinOp: "b", Seq: "q", Dict: "d", Sub: "[", Await: "w", IfExp: "?",
    BoolOp: "o", Lambda: "l", Comp: "C", Opaque: "x",
}
_CLASSES = {tag: cls for cls, tag in _TAGS.items()}


def to_json(value: Value | None) -> Any:
    """A value as JSON-ready nested lists (iteration-safe for deep chains is not needed:
    lowering already bounds depth)."""
    if value is None:
        return None
    cls = type(value)
    tag = _TAGS[cls]
    if cls is Str or cls is Ref:
        return [tag, value.value if cls is Str else value.name, list(value.loc)]  # type: ignore[union-attr]
    if cls is Num:
        number = value.value  # type: ignore[union-attr]
        if isinstance(number, complex):
            return ["x", [], [], list(value.loc)]  # a complex number never matters to a prompt
        return [tag, number, list(value.loc)]
    if cls is Const:
        return [tag, value.value, list(value.loc)]  # type: ignore[union-attr]
    if cls is Attr:
        return [tag, to_json(value.base), value.name, list(value.loc)]  # type: ignore[union-attr]
    if cls is Call:
        return [
            tag,
            to_json(value.func),  # type: ignore[union-attr]
            [to_json(a) for a in value.args],  # type: ignore[union-attr]
            [[k, to_json(v)] for k, v in value.keywords],  # type: ignore[union-attr]
            list(value.loc),
        ]
    if cls is Star or cls is Await:
        return [tag, to_json(value.value), list(value.loc)]  # type: ignore[union-attr]
    if cls is FStr:
        return [tag, [to_json(p) for p in value.parts], list(value.loc)]  # type: ignore[union-attr]
    if cls is Field:
        return [tag, to_json(value.value), value.conversion, to_json(value.spec), list(value.loc)]  # type: ignore[union-attr]
    if cls is Add:
        return [tag, [to_json(i) for i in value.items], list(value.loc)]  # type: ignore[union-attr]
    if cls is BinOp:
        return [tag, value.op, to_json(value.left), to_json(value.right), list(value.loc)]  # type: ignore[union-attr]
    if cls is Seq:
        return [tag, value.kind, [to_json(i) for i in value.items], list(value.loc)]  # type: ignore[union-attr]
    if cls is Dict:
        return [tag, [to_json(k) for k in value.keys], [to_json(v) for v in value.values], list(value.loc)]  # type: ignore[union-attr]
    if cls is Sub:
        return [tag, to_json(value.base), to_json(value.index), list(value.loc)]  # type: ignore[union-attr]
    if cls is IfExp:
        return [tag, to_json(value.body), to_json(value.orelse), list(value.loc)]  # type: ignore[union-attr]
    if cls is BoolOp:
        return [tag, value.op, [to_json(i) for i in value.items], list(value.loc)]  # type: ignore[union-attr]
    if cls is Lambda:
        return [tag, list(value.params), to_json(value.body), list(value.loc)]  # type: ignore[union-attr]
    if cls is Comp:
        return [
            tag, value.kind, to_json(value.element), to_json(value.key),  # type: ignore[union-attr]
            list(value.targets), to_json(value.iterable), list(value.loc),  # type: ignore[union-attr]
        ]
    return [tag, [to_json(i) for i in value.items], list(value.names), list(value.loc)]  # type: ignore[union-attr]


def from_json(data: Any) -> Value | None:
    """The inverse of `to_json`; raises ValueError on data of another shape."""
    if data is None:
        return None
    try:
        tag = data[0]
        cls = _CLASSES[tag]
        loc = tuple(data[-1])
        if len(loc) != 4:
            raise ValueError("bad location")
        if cls is Str:
            return Str(_text(data[1]), loc)  # type: ignore[arg-type]
        if cls is Ref:
            return Ref(_text(data[1]), loc)  # type: ignore[arg-type]
        if cls is Num:
            return Num(data[1], loc)  # type: ignore[arg-type]
        if cls is Const:
            return Const(data[1], loc)  # type: ignore[arg-type]
        if cls is Attr:
            return Attr(from_json(data[1]), _text(data[2]), loc)  # type: ignore[arg-type]
        if cls is Call:
            keywords = tuple((k, from_json(v)) for k, v in data[3])
            return Call(from_json(data[1]), tuple(from_json(a) for a in data[2]), keywords, loc)  # type: ignore[arg-type]
        if cls is Star:
            return Star(from_json(data[1]), loc)  # type: ignore[arg-type]
        if cls is Await:
            return Await(from_json(data[1]), loc)  # type: ignore[arg-type]
        if cls is FStr:
            return FStr(tuple(from_json(p) for p in data[1]), loc)  # type: ignore[arg-type]
        if cls is Field:
            return Field(from_json(data[1]), int(data[2]), from_json(data[3]), loc)  # type: ignore[arg-type]
        if cls is Add:
            return Add(tuple(from_json(i) for i in data[1]), loc)  # type: ignore[arg-type]
        if cls is BinOp:
            return BinOp(_text(data[1]), from_json(data[2]), from_json(data[3]), loc)  # type: ignore[arg-type]
        if cls is Seq:
            return Seq(_text(data[1]), tuple(from_json(i) for i in data[2]), loc)  # type: ignore[arg-type]
        if cls is Dict:
            return Dict(tuple(from_json(k) for k in data[1]), tuple(from_json(v) for v in data[2]), loc)  # type: ignore[arg-type]
        if cls is Sub:
            return Sub(from_json(data[1]), from_json(data[2]), loc)  # type: ignore[arg-type]
        if cls is IfExp:
            return IfExp(from_json(data[1]), from_json(data[2]), loc)  # type: ignore[arg-type]
        if cls is BoolOp:
            return BoolOp(_text(data[1]), tuple(from_json(i) for i in data[2]), loc)  # type: ignore[arg-type]
        if cls is Lambda:
            return Lambda(tuple(_text(p) for p in data[1]), from_json(data[2]), loc)  # type: ignore[arg-type]
        if cls is Comp:
            return Comp(
                _text(data[1]), from_json(data[2]), from_json(data[3]),  # type: ignore[arg-type]
                tuple(_text(t) for t in data[4]), from_json(data[5]), loc,  # type: ignore[arg-type]
            )
        return Opaque(tuple(from_json(i) for i in data[1]), tuple(_text(n) for n in data[2]), loc)  # type: ignore[arg-type]
    except (IndexError, KeyError, TypeError) as error:
        raise ValueError(f"not a lowered value: {error}") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value
