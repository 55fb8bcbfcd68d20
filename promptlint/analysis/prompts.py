# SPDX-License-Identifier: MIT
"""Static resolution of prompt expressions into `PromptText`.

The resolver follows what a reader would: literals and their concatenations, f-strings,
`.format`/`%`/`string.Template`/`.replace`, `textwrap.dedent`/`inspect.cleandoc`/`.strip`,
`str.join` over lists (also lists built step by step), module, class and imported
constants, helper functions and registries of prompt functions called with arguments (each
parameter becomes a dynamic segment whose kind comes from the argument at the call site),
LangChain prompt templates, and text files read with a literal path inside the project
(plain reads, `importlib.resources`, JSON and YAML files, Jinja templates with their
`{% include %}`s). Whatever it cannot follow becomes a dynamic segment whose kind (time,
random, external, unknown) says whether it changes between calls.

Work is bounded: resolution steps are counted against the file's budget, a helper's result
is memoized per (helper, arguments), a helper that calls itself is unknown past the first
level, and static text beyond `MAX_STATIC_CHARS` is not materialized: its size is kept.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import string
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from promptlint.analysis.objects import (
    MAX_DEPTH,
    Objects,
    ProjectClass,
    ProjectFunction,
    ProjectInstance,
    ProjectModule,
    SdkName,
    bind_arguments,
)
from promptlint.analysis.scope import Scope, lookup, qualify
from promptlint.index import values as v
from promptlint.index.project import ProjectIndex
from promptlint.index.summary import Binding
from promptlint.analysis.results import PromptText, Segment, SegmentKind, StringLiteral
from promptlint.types import Position, Span

MAX_STATIC_CHARS = 400_000  # ~100k tokens: no real prompt is longer; beyond, only the size is kept
MAX_LIST_ITEMS = 500
# Steps one dynamic value's classification may take. Real prompts need a few hundred (99%
# of deepeval's under 1,200); a template helper reached along many call paths can need
# tens of thousands, and would take the call's whole budget: past this, the strongest
# kind seen so far stands.
MAX_CLASSIFY_STEPS = 2_000

TIME_CALLS = frozenset(
    {
        "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
        "time.time", "time.time_ns", "time.strftime", "time.localtime", "time.gmtime", "time.ctime",
        "time.asctime", "time.monotonic", "time.perf_counter", "django.utils.timezone.now",
        "django.utils.timezone.localtime", "pendulum.now", "pendulum.today", "arrow.now", "arrow.utcnow",
    }
)
RANDOM_PREFIXES = ("uuid.uuid", "random.", "secrets.", "os.urandom", "numpy.random.")
# Request and user data reached through a module rather than a parameter (a parameter is
# external already): the names and everything under them (`flask.request.json`).
EXTERNAL_NAMES = ("flask.request", "quart.request", "sys.argv", "sys.stdin", "streamlit.session_state")
EXTERNAL_CALLS = frozenset(
    {
        "input", "builtins.input", "click.prompt", "typer.prompt", "rich.prompt.Prompt.ask",
        "streamlit.text_input", "streamlit.text_area", "streamlit.chat_input",
    }
)
_KIND_PRIORITY = {SegmentKind.TIME: 4, SegmentKind.RANDOM: 3, SegmentKind.EXTERNAL: 2, SegmentKind.UNKNOWN: 1}
_SENTINEL = re.compile("\x00(\\d+)\x00")
_LITERAL_HEAD = re.compile(r"([A-Za-z]{0,2})(\'\'\'|\"\"\"|\'|\")")
_PERCENT_SPEC = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")
_JINJA_INCLUDE = re.compile(r"{%-?\s*include\s+['\"]([^'\"]+)['\"]\s*-?%}")
_TEMPLATE_CLASSES = frozenset(
    {
        "PromptTemplate", "ChatPromptTemplate", "SystemMessagePromptTemplate", "HumanMessagePromptTemplate",
        "AIMessagePromptTemplate",
    }
)
STRING_TRANSFORMS: dict[str, Callable[[str], str]] = {
    "strip": str.strip, "lstrip": str.lstrip, "rstrip": str.rstrip, "lower": str.lower, "upper": str.upper,
}


class Prompts:
    """Resolves values to `PromptText` for one analysed file."""

    def __init__(self, index: ProjectIndex, objects: Objects) -> None:
        self.index = index
        self.objects = objects
        self.budget = objects.budget
        self._helpers: dict[tuple, PromptText | None] = {}
        self._pinned: list[tuple[v.Call, Scope]] = []
        self._inlining: set[str] = set()

    # ------------------------------------------------------------------ segments

    def span(self, loc: v.Loc) -> Span | None:
        if loc == v.NO_LOC:
            return None
        return Span(Position(loc[0], loc[1]), Position(loc[2], loc[3]))

    def source(self, value: v.Value, scope: Scope) -> str:
        lines = self.index.lines(scope.module.path)
        return lines.text(value.loc) if lines is not None else ""

    def dynamic(self, value: v.Value, scope: Scope, kind: SegmentKind) -> PromptText:
        return PromptText((Segment(kind, self.source(value, scope), scope.module.path, self.span(value.loc)),))

    def static(self, text: str, value: v.Value, scope: Scope) -> PromptText:
        return PromptText((Segment(SegmentKind.STATIC, text, scope.module.path, self.span(value.loc)),))

    # ------------------------------------------------------------------ entry point

    def resolve(self, value: v.Value | None, scope: Scope, depth: int = 0) -> PromptText:
        if value is None:
            return PromptText()
        if depth > MAX_DEPTH:
            return self.dynamic(value, scope, SegmentKind.UNKNOWN)
        self.budget.spend()
        handler = _HANDLERS.get(type(value))
        if handler is not None:
            result = handler(self, value, scope, depth + 1)
            if result is not None:
                return _bounded(result)
        return self.dynamic(value, scope, self.classify(value, scope))

    def _str(self, value: v.Str, scope: Scope, depth: int) -> PromptText:
        span = self.span(value.loc)
        return PromptText((Segment(SegmentKind.STATIC, value.value, scope.module.path, span, self.literal_form(value, scope, span)),))

    def literal_form(self, value: v.Str, scope: Scope, span: Span | None) -> StringLiteral | None:
        """The literal as written (prefix, quotes, body with its escapes), so a fix can
        rewrite it in place."""
        lines = self.index.lines(scope.module.path)
        if lines is None or span is None:
            return None
        text = lines.text(value.loc)
        match = _LITERAL_HEAD.match(text)
        if match is None or not text.endswith(match.group(2)) or len(text) < len(match.group(0)) + len(match.group(2)):
            return None
        prefix, quote = match.groups()
        if "f" in prefix.lower() or "b" in prefix.lower():
            return None
        return StringLiteral(scope.module.path, span, prefix, quote, text[len(prefix) + len(quote) : len(text) - len(quote)])

    def _sub(self, value: v.Sub, scope: Scope, depth: int) -> PromptText | None:
        """An entry a literal key or position names in a dict or list display a name holds
        (`PROMPTS["system"]`, `STYLES[1]`), in this module or imported."""
        node = self.objects.follow_display(value.base, scope, depth)
        if node is None:
            data = self.data_at(value, scope)
            return self.static(data, value, scope) if isinstance(data, str) else None
        display, display_scope = node
        entry = self.objects.entry(display, value.index, scope)
        return self.resolve(entry, display_scope, depth) if entry is not None else None

    def data_at(self, value: v.Value, scope: Scope, depth: int = 0) -> object:
        """What literal keys and positions pick out of a JSON or YAML file the code loads
        (`yaml.safe_load(open("prompts.yaml"))["system"]`, through names bound to it)."""
        if depth > MAX_DEPTH:
            return _UNKNOWN
        node, node_scope = self.follow(value, scope)
        if not isinstance(node, v.Sub):
            return self.loaded_data(node, node_scope)
        data = self.data_at(node.base, node_scope, depth + 1)
        key = self.objects.index_key(node.index, node_scope)
        if isinstance(data, dict) and isinstance(key, str):
            return data.get(key, _UNKNOWN)
        if isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            return data[key]
        return _UNKNOWN

    def _num(self, value: v.Num, scope: Scope, depth: int) -> PromptText | None:
        """A number where text is expected (`f"{3}"`, a default `n=3` formatted in)."""
        if isinstance(value.value, complex):
            return None
        return self.static(str(value.value), value, scope)

    def _add(self, value: v.Add, scope: Scope, depth: int) -> PromptText | None:
        result = _Builder()
        for item in value.items:
            part = self.resolve(item, scope, depth)
            if not _is_text(part):
                return None
            result.add(part)
        return result.text()

    def _fstr(self, value: v.FStr, scope: Scope, depth: int) -> PromptText:
        result = _Builder()
        for part in value.parts:
            if isinstance(part, v.Str):
                result.add(self.static(part.value, part, scope))
            elif isinstance(part, v.Field):
                inner = self.resolve(part.value, scope, depth)
                if inner.is_static and part.spec is None and part.conversion == -1:
                    result.add(inner)
                else:
                    kind = SegmentKind.UNKNOWN if inner.is_static else _strongest(s.kind for s in inner.dynamic_segments)
                    text, loc = self.field_source(part, value, scope)
                    result.add(PromptText((Segment(kind, text, scope.module.path, self.span(loc)),)))
        return result.text()

    def field_source(self, field: v.Field, fstring: v.FStr, scope: Scope) -> tuple[str, v.Loc]:
        """The source of an f-string field, braces included (`{user!r:>10}`), and where it is.

        Python 3.12+ locates fields exactly; 3.11 gives a field the whole f-string's place,
        so there the braces are found around the field's expression, whose place is exact.
        """
        lines = self.index.lines(scope.module.path)
        if lines is None:
            return "", field.loc
        if field.loc != fstring.loc:
            return lines.text(field.loc), field.loc
        inner = field.value.loc
        if inner == v.NO_LOC or inner[0] != inner[2]:
            return "{" + lines.text(inner) + "}", inner
        row = inner[0]
        line = lines.lines[row - 1] if 0 < row <= len(lines.lines) else ""
        start = line.rfind("{", 0, inner[1] - 1)
        depth, end = 0, None
        for position in range(inner[3] - 1, len(line)):
            char = line[position]
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    end = position + 1
                    break
                depth -= 1
        if start < 0 or end is None:
            return "{" + lines.text(inner) + "}", inner
        return line[start:end], (row, start + 1, row, end + 1)

    def _binop(self, value: v.BinOp, scope: Scope, depth: int) -> PromptText | None:
        if value.op == "*":
            for text_value, count_value in ((value.left, value.right), (value.right, value.left)):
                count = self.literal(count_value, scope)
                if isinstance(count, int) and not isinstance(count, bool) and 0 <= count:
                    text = self.resolve(text_value, scope, depth)
                    if not _is_text(text):
                        return None
                    return _repeat(text, count)
            return None
        if value.op == "%":
            template = self.resolve(value.left, scope, depth)
            if template.is_static and template.segments:
                return self.percent_format(template.static_text, value, scope, depth)
        return None

    def _name(self, value: v.Ref | v.Attr, scope: Scope, depth: int) -> PromptText | None:
        if isinstance(value, v.Ref):
            if value.name in scope.arguments and (scope.function is None or not _reassigned(scope, value.name)):
                bound, caller = scope.arguments[value.name]
                inner = self.resolve(bound, caller, depth)
                return inner if inner.is_static else self._rename(inner, value, scope)
            found = lookup(value.name, scope)
            if found is None:
                return None
            if found.where in ("local", "module"):
                return self.from_bindings(value, found.bindings, found.scope or scope, depth)
            if found.where == "import" and found.qualified:
                return self.symbol_text(self.index.lookup(found.qualified, scope.module), value, depth)
            if found.where == "star":
                for star in scope.module.star_imports:
                    text = self.symbol_text(self.index.lookup(f"{star}.{value.name}", scope.module), value, depth)
                    if text is not None:
                        return text
        else:
            target = self.constant_attribute(value, scope, depth)
            if isinstance(target, PromptText):
                return target
        return None

    def _rename(self, inner: PromptText, value: v.Value, scope: Scope) -> PromptText:
        """An argument's dynamic text, kept as written where the parameter is read."""
        kind = _strongest(s.kind for s in inner.dynamic_segments)
        return PromptText(tuple(s if not s.kind.is_dynamic else Segment(kind, s.text, s.filename, s.span) for s in inner.segments))

    def constant_attribute(self, value: v.Attr, scope: Scope, depth: int) -> PromptText | None:
        """`Prompts.SYSTEM`, `self.system_prompt`, `config.PROMPT`, `prompts.v1.SYSTEM`."""
        base = value.base
        if isinstance(base, v.Ref) and base.name == scope.self_name:
            cls = scope.method_class()
            for ref in self.objects.mro(cls) if cls is not None else ():
                for method_name, binding in reversed(ref.cls.self_attributes.get(value.name, ())):
                    if binding.kind not in ("assign", "augassign") or binding.value is None:
                        continue
                    method = ref.module.functions.get(method_name)
                    arguments = {}
                    if method is not None and method_name.endswith(".__init__") and scope.init is not None:
                        arguments = bind_arguments(method, scope.init[0], scope.init[1], is_method=True)
                    return self.resolve(binding.value, Scope(ref.module, method, arguments, cls, scope.init, binding.line), depth)
                if value.name in ref.cls.attributes:
                    return self.from_bindings(value, tuple(ref.cls.attributes[value.name]), Scope(ref.module), depth)
            return None
        owner = self.objects.resolve(base, scope)
        if isinstance(owner, ProjectModule):
            symbol = self.index.lookup(f"{owner.module.name}.{value.name}", owner.module) if owner.module.name else None
            return self.symbol_text(symbol, value, depth)
        if isinstance(owner, (ProjectClass, ProjectInstance)):
            for ref in self.objects.mro(owner.ref):
                if value.name in ref.cls.attributes:
                    return self.from_bindings(value, tuple(ref.cls.attributes[value.name]), Scope(ref.module), depth)
        if isinstance(owner, SdkName):
            return None
        dotted = v.dotted(value)
        if dotted is not None:
            qualified = qualify(dotted, scope)
            if qualified and qualified != dotted or (qualified and dotted.split(".")[0] in scope.module.imports):
                symbol = self.index.lookup(qualified, scope.module)
                return self.symbol_text(symbol, value, depth)
        return None

    def symbol_text(self, symbol, value: v.Value, depth: int) -> PromptText | None:
        if symbol is None or symbol.module is None:
            return None
        module = symbol.module
        if symbol.kind == "binding":
            return self.from_bindings(value, tuple(module.bindings[symbol.name]), Scope(module), depth)
        if symbol.kind == "attribute":
            class_name, attr = symbol.name.split(".", 1)
            return self.from_bindings(value, tuple(module.classes[class_name].attributes[attr]), Scope(module), depth)
        return None

    def from_bindings(self, value: v.Value, bindings: tuple[Binding, ...], scope: Scope, depth: int) -> PromptText | None:
        """The text a name holds: its last binding, and for `name += more` what it held
        before it too."""
        if not bindings:
            return None
        binding = bindings[-1]
        here = scope.at(binding.line)
        if binding.kind == "augassign" and binding.op == "+":
            before = self.from_bindings(value, bindings[:-1], scope, depth + 1) if len(bindings) > 1 else None
            if before is None:
                before = self.dynamic(value, scope, SegmentKind.EXTERNAL if _is_param(bindings) else SegmentKind.UNKNOWN)
            return _bounded(before + self.resolve(binding.value, here, depth))
        if binding.kind in ("assign", "with") and binding.value is not None:
            if binding.kind == "with":
                return None
            return self.resolve(binding.value, here, depth)
        if binding.kind == "param":
            return self.dynamic(value, scope, SegmentKind.EXTERNAL)
        if binding.kind == "for":
            kind = self.classify(binding.value, here, depth) if binding.value is not None else SegmentKind.UNKNOWN
            return self.dynamic(value, scope, kind)
        if binding.kind == "import" and isinstance(binding.value, v.Ref):
            symbol = self.index.lookup(binding.value.name, scope.module)
            return self.symbol_text(symbol, value, depth)
        if binding.kind in ("append", "extend", "insert", "item"):
            return None  # a list or dict being built, not text
        return None

    # ------------------------------------------------------------------ calls

    def _call(self, value: v.Call, scope: Scope, depth: int) -> PromptText | None:
        func = value.func
        if isinstance(func, v.Attr):
            method = func.name
            if method == "format" and (func.base is not None):
                template = self.resolve(func.base, scope, depth)
                if template.is_static and template.segments and not isinstance(self.objects.resolve(func.base, scope), SdkName):
                    return self.str_format(template.static_text, value, scope, depth)
                return self.template_format(func.base, value, scope, depth)
            if method in STRING_TRANSFORMS and not value.args:
                inner = self.resolve(func.base, scope, depth)
                return _transform(inner, STRING_TRANSFORMS[method]) if _is_text(inner) else None
            if method == "replace" and len(value.args) == 2:
                return self.replace(func.base, value, scope, depth)
            if method == "join" and len(value.args) == 1:
                return self.join(func.base, value.args[0], scope, depth)
            if method in ("read_text", "read"):
                text = self.read_file(func.base, scope, method)
                if text is not None:
                    return self.static(text, value, scope)
            if method in ("substitute", "safe_substitute"):
                return self.template_substitute(func.base, value, scope, depth)
            if method in ("render",):
                return self.jinja_render(func.base, value, scope, depth)
        qualified = qualify(v.dotted(func) or "", scope) if v.dotted(func) else None
        if qualified in ("textwrap.dedent", "inspect.cleandoc") and value.args:
            inner = self.resolve(value.args[0], scope, depth)
            return _transform(inner, textwrap.dedent if qualified == "textwrap.dedent" else inspect.cleandoc) if _is_text(inner) else None
        if qualified in ("str", "builtins.str") and len(value.args) == 1:
            inner = self.resolve(value.args[0], scope, depth)
            return inner if inner.is_static else None
        if qualified in ("json.dumps",) and value.args:
            data = self.literal(value.args[0], scope)
            if data is not _UNKNOWN:
                try:
                    return self.static(json.dumps(data), value, scope)
                except (TypeError, ValueError):
                    return None
        callee = self.objects.resolve(func, scope)
        if isinstance(callee, ProjectFunction):
            return self.inline(callee, value, scope, depth)
        return None

    def inline(self, callee: ProjectFunction, call: v.Call, scope: Scope, depth: int) -> PromptText | None:
        """A helper's returned prompt with the call's arguments bound to its parameters:
        its static text stays static; each parameter read becomes a dynamic segment of the
        argument's kind. Memoized per (helper, arguments); a helper met again while it is
        being inlined (recursion) is unknown."""
        function = callee.function
        if not function.returns or function.yields:
            return None
        key = (callee.qualname, id(call), scope.key)
        if key in self._helpers:
            return self._helpers[key]
        name = callee.qualname
        if name in self._inlining:
            return None
        self._inlining.add(name)
        try:
            inner = self.objects.bind_call(callee, call, scope)
            value, line = function.returns[-1]
            result = self.resolve(value, inner.at(line), depth) if value is not None else None
        finally:
            self._inlining.discard(name)
        self._helpers[key] = result
        self._pinned.append((call, scope))  # the ids in `key` stay theirs (see Objects._pinned)
        return result

    def str_format(self, template: str, call: v.Call, scope: Scope, depth: int) -> PromptText:
        positional = [a for a in call.args if not isinstance(a, v.Star)]
        keywords = {k: value for k, value in call.keywords if k is not None}
        for spread in (value for k, value in call.keywords if k is None):
            mapping = self.literal_dict(spread, scope)
            keywords.update(mapping)
        result = PromptText()
        auto_index = 0
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:
            return self.dynamic(call, scope, SegmentKind.UNKNOWN)
        for literal_text, field, spec, conversion in parsed:
            if literal_text:
                result += self.static(literal_text, call, scope)
            if field is None:
                continue
            base = re.split(r"[.\[]", field, maxsplit=1)[0]
            if base == "":
                argument = positional[auto_index] if auto_index < len(positional) else None
                auto_index += 1
            elif base.isdigit():
                index = int(base)
                argument = positional[index] if index < len(positional) else None
            else:
                argument = keywords.get(base)
            plain = base == field and not spec and conversion is None
            result += self.argument_text(argument, scope, depth, plain=plain, placeholder=field)
            result = _bounded(result)
        return result

    def percent_format(self, template: str, value: v.BinOp, scope: Scope, depth: int) -> PromptText:
        right = value.right
        positional: list[v.Value] = []
        mapping: dict[str, v.Value] = {}
        if isinstance(right, v.Seq) and right.kind == "tuple":
            positional = list(right.items)
        elif isinstance(right, v.Dict):
            for key, item in zip(right.keys, right.values):
                if isinstance(key, v.Str):
                    mapping[key.value] = item
        else:
            positional = [right]
        result = PromptText()
        position = 0
        index = 0
        for match in _PERCENT_SPEC.finditer(template):
            if match.start() > position:
                result += self.static(template[position : match.start()], value, scope)
            position = match.end()
            if match.group("type") == "%":
                result += self.static("%", value, scope)
                continue
            key = match.group("key")
            argument = mapping.get(key) if key is not None else (positional[index] if index < len(positional) else None)
            if key is None:
                index += 1
            result += self.argument_text(argument, scope, depth, plain=match.group("type") in "sr")
        if position < len(template):
            result += self.static(template[position:], value, scope)
        return result

    def argument_text(self, argument: v.Value | None, scope: Scope, depth: int, *, plain: bool, placeholder: str = "?") -> PromptText:
        if argument is None:
            return PromptText((Segment(SegmentKind.UNKNOWN, "{" + placeholder + "}"),))
        inner = self.resolve(argument, scope, depth)
        if inner.is_static and plain:
            return inner
        if inner.is_static:
            return self.dynamic(argument, scope, SegmentKind.UNKNOWN)
        return self.dynamic(argument, scope, _strongest(s.kind for s in inner.dynamic_segments))

    def replace(self, base: v.Value, call: v.Call, scope: Scope, depth: int) -> PromptText | None:
        """`template.replace("{context}", context)`: the placeholder becomes the argument."""
        template = self.resolve(base, scope, depth)
        old = self.literal(call.args[0], scope)
        if not isinstance(old, str) or not old or not _is_text(template):
            return None
        new = self.resolve(call.args[1], scope, depth)
        result = PromptText()
        for segment in template.segments:
            if segment.kind.is_dynamic or old not in segment.text:
                result += PromptText((segment,))
                continue
            pieces = segment.text.split(old)
            for position, piece in enumerate(pieces):
                if position:
                    result += new
                if piece:
                    result += PromptText((Segment(SegmentKind.STATIC, piece, segment.filename, segment.span),))
            result = _bounded(result)
        return result

    def join(self, separator: v.Value, items: v.Value, scope: Scope, depth: int) -> PromptText | None:
        sep = self.resolve(separator, scope, depth)
        if not sep.is_static:
            return None
        if isinstance(items, v.Comp):
            return self.dynamic(items, scope, self.classify(items, scope))
        found = self.list_items(items, scope, depth)
        if found is None:
            return None
        elements, complete = found
        result = PromptText()
        for index, (element, element_scope) in enumerate(elements):
            if index:
                result += sep
            result += self.resolve(element, element_scope, depth)
            result = _bounded(result)
        if not complete:
            result += self.dynamic(items, scope, SegmentKind.UNKNOWN)
        return result

    def list_items(self, value: v.Value, scope: Scope, depth: int = 0) -> tuple[list[tuple[v.Value, Scope]], bool] | None:
        """The items of a list a value holds, in order, also when built step by step
        (`parts = [...]`, `parts.append(x)`, `parts += [...]`, `parts.insert(0, x)`,
        `a + b`, `*spread`). Returns (items, complete) or None when it is no known list."""
        items: list[tuple[v.Value, Scope]] = []
        complete = True
        ordered: list[tuple[str, object]] = []  # ("item", (value, scope)) or ("gap", None)
        stack: list[tuple[str, tuple[v.Value, Scope, int] | tuple]] = [("expand", (value, scope, depth))]
        while stack:
            action, payload = stack.pop()
            if action == "item":
                ordered.append(("item", payload))
                continue
            if action == "insert":
                ordered.insert(0, ("item", payload))
                continue
            node, node_scope, level = payload  # type: ignore[misc]
            self.budget.spend()
            if level > MAX_DEPTH or len(ordered) > MAX_LIST_ITEMS:
                ordered.append(("gap", None))
                continue
            if isinstance(node, v.Seq) and node.kind in ("list", "tuple"):
                for element in reversed(node.items):
                    if isinstance(element, v.Star):
                        stack.append(("expand", (element.value, node_scope, level + 1)))
                    else:
                        stack.append(("item", (element, node_scope)))
                continue
            if isinstance(node, v.Add):
                for part in reversed(node.items):
                    stack.append(("expand", (part, node_scope, level + 1)))
                continue
            if isinstance(node, v.Ref):
                if node.name in node_scope.arguments:
                    bound, caller = node_scope.arguments[node.name]
                    stack.append(("expand", (bound, caller, level + 1)))
                    continue
                found = lookup(node.name, node_scope)
                if found is not None and found.where == "import" and found.qualified:
                    imported = self.imported_value(found.qualified, node_scope)
                    if imported is None:
                        ordered.append(("gap", None))
                    else:
                        stack.append(("expand", (imported[0], imported[1], level + 1)))
                    continue
                if found is None or found.where not in ("local", "module"):
                    ordered.append(("gap", None))
                    continue
                steps = _list_steps(found.bindings)
                if steps is None:
                    ordered.append(("gap", None))
                    continue
                base_scope = found.scope or node_scope
                for binding in reversed(steps):
                    here = base_scope.at(binding.line)
                    if binding.kind == "append":
                        stack.append(("item", (binding.value, here)))
                    elif binding.kind == "insert":
                        stack.append(("insert", (binding.value, here)))
                    else:  # assign, extend, augassign
                        stack.append(("expand", (binding.value, here, level + 1)))
                continue
            ordered.append(("gap", None))
        if not any(kind == "item" for kind, _ in ordered) and any(kind == "gap" for kind, _ in ordered) and len(ordered) == 1:
            return None
        for kind, payload in ordered:
            if kind == "gap":
                complete = False
            else:
                items.append(payload)  # type: ignore[arg-type]
        return items, complete

    # ------------------------------------------------------------------ templates

    def template_substitute(self, base: v.Value, call: v.Call, scope: Scope, depth: int) -> PromptText | None:
        """`string.Template(TEXT).substitute(name=value)`."""
        node, node_scope = self.follow(base, scope)
        if not isinstance(node, v.Call) or qualify(v.dotted(node.func) or "", node_scope) != "string.Template" or not node.args:
            return None
        template = self.resolve(node.args[0], node_scope, depth)
        if not template.is_static:
            return None
        keywords = {k: value for k, value in call.keywords if k is not None}
        if call.args:
            keywords.update(self.literal_dict(call.args[0], scope))
        text = template.static_text
        result = PromptText()
        position = 0
        pattern = string.Template.pattern
        for match in pattern.finditer(text):
            if match.start() > position:
                result += self.static(text[position : match.start()], call, scope)
            position = match.end()
            if match.group("escaped") is not None:
                result += self.static("$", call, scope)
                continue
            name = match.group("named") or match.group("braced")
            if name is None:
                result += self.static(match.group(0), call, scope)
                continue
            result += self.argument_text(keywords.get(name), scope, depth, plain=True, placeholder=name)
        if position < len(text):
            result += self.static(text[position:], call, scope)
        return result

    def template_format(self, base: v.Value, call: v.Call, scope: Scope, depth: int) -> PromptText | None:
        """`PromptTemplate.from_template(TEXT).format(question=q)` and the like."""
        template = self.template_text(base, scope, depth)
        if template is None or not template.is_static:
            return None
        return self.str_format(template.static_text, call, scope, depth)

    def template_text(self, value: v.Value, scope: Scope, depth: int) -> PromptText | None:
        """The text of a LangChain prompt template a value holds (None if not one)."""
        node, node_scope = self.follow(value, scope)
        if not isinstance(node, v.Call):
            return None
        dotted = v.dotted(node.func) or ""
        qualified = qualify(dotted, node_scope) or dotted
        parts = qualified.split(".")
        if not (qualified.startswith("langchain") and (set(parts) & _TEMPLATE_CLASSES)):
            return None
        text_arg = next((val for k, val in node.keywords if k == "template"), node.args[0] if node.args else None)
        if parts[-1] in ("from_messages",):
            return None  # a message list: read by the message reader
        return self.resolve(text_arg, node_scope, depth) if text_arg is not None else None

    def jinja_render(self, base: v.Value, call: v.Call, scope: Scope, depth: int) -> PromptText | None:
        """`Template(TEXT).render(...)` / `env.get_template("x.j2").render(...)`: the template's
        text with its `{% include %}`s inlined, and everything between `{{ }}`/`{% %}` dynamic."""
        node, node_scope = self.follow(base, scope)
        if not isinstance(node, v.Call):
            return None
        dotted = qualify(v.dotted(node.func) or "", node_scope) or ""
        text = None
        directories: list[Path] = []
        if dotted in ("jinja2.Template", "jinja2.environment.Template") and node.args:
            inner = self.resolve(node.args[0], node_scope, depth)
            text = inner.static_text if inner.is_static else None
            directories = [Path(node_scope.module.path).parent]
        elif dotted.endswith("get_template") and node.args:
            name = self.literal(node.args[0], node_scope)
            if isinstance(name, str):
                directories = self.jinja_directories(node.func, node_scope)
                text = self.jinja_read(name, directories)
        if text is None:
            return None
        text = self.jinja_includes(text, directories, 0)
        return self.jinja_text(text, call, scope)

    def jinja_directories(self, get_template: v.Value, scope: Scope) -> list[Path]:
        """The folders a Jinja `Environment(loader=...)` loads from, in the order it looks:
        `FileSystemLoader(DIR)` or a list of them (a relative DIR is taken from the module's
        folder, then from the project root, where a program is usually started), and
        `PackageLoader("pkg", "templates")` (the package's folder)."""
        if not isinstance(get_template, v.Attr):
            return []
        env, env_scope = self.follow(get_template.base, scope)
        if not isinstance(env, v.Call):
            return []
        loader = next((val for k, val in env.keywords if k == "loader"), env.args[0] if env.args else None)
        loader, loader_scope = self.follow(loader, env_scope) if loader is not None else (None, env_scope)
        if not isinstance(loader, v.Call):
            return []
        kind = (qualify(v.dotted(loader.func) or "", loader_scope) or "").rsplit(".", 1)[-1]
        arguments = dict(loader.keywords)
        if kind == "PackageLoader":
            package = arguments.get("package_name", loader.args[0] if loader.args else None)
            folder = arguments.get("package_path", loader.args[1] if len(loader.args) > 1 else v.Str("templates", loader.loc))
            base = self.package_directory(package, loader_scope) if package is not None else None
            name = self.literal(folder, loader_scope)
            return [base / name] if base is not None and isinstance(name, str) else []
        searchpath = arguments.get("searchpath", loader.args[0] if loader.args else None)
        if searchpath is None:
            return []
        node, node_scope = self.follow(searchpath, loader_scope)
        items = node.items if isinstance(node, v.Seq) else (node,)
        found: list[Path] = []
        for item in items:
            path = self.path_value(item, node_scope)
            if path is not None:
                found += [path] if path.is_absolute() else [Path(node_scope.module.path).parent / path, Path(self.index.root) / path]
        return found

    def jinja_read(self, name: str, directories: list[Path]) -> str | None:
        """A template's text from the first of the loader's folders that holds it."""
        for directory in directories:
            text = self.index.read_text_file(str(directory / name))
            if text is not None:
                return text
        return None

    def jinja_includes(self, text: str, directories: list[Path], level: int) -> str:
        if not directories or level > 8:
            return text

        def include(match: re.Match[str]) -> str:
            included = self.jinja_read(match.group(1), directories)
            return match.group(0) if included is None else self.jinja_includes(included, directories, level + 1)

        return _JINJA_INCLUDE.sub(include, text)

    def jinja_text(self, text: str, call: v.Call, scope: Scope) -> PromptText:
        result = PromptText()
        position = 0
        for match in re.finditer(r"{{.*?}}|{%.*?%}|{#.*?#}", text, re.S):
            if match.start() > position:
                result += self.static(text[position : match.start()], call, scope)
            if not match.group(0).startswith("{#"):
                result += PromptText((Segment(SegmentKind.EXTERNAL, match.group(0), scope.module.path, self.span(call.loc)),))
            position = match.end()
        if position < len(text):
            result += self.static(text[position:], call, scope)
        return result

    # ------------------------------------------------------------------ files

    def read_file(self, base: v.Value, scope: Scope, method: str) -> str | None:
        """Text of `Path(...).read_text()` / `open(...).read()` / `files(pkg).joinpath(x)
        .read_text()` with a path built from literals and `__file__`."""
        node, node_scope = self.follow(base, scope)
        if method == "read":
            if isinstance(base, v.Ref):
                found = lookup(base.name, scope)
                if found is not None and found.bindings and found.bindings[-1].kind == "with":
                    node, node_scope = found.bindings[-1].value, (found.scope or scope)  # type: ignore[assignment]
            if not isinstance(node, v.Call) or qualify(v.dotted(node.func) or "", node_scope) not in ("open", "io.open", "builtins.open", "codecs.open") or not node.args:
                return None
            path = self.path_value(node.args[0], node_scope)
        else:
            path = self.path_value(node, node_scope)
        return self.read_path(path, node_scope)

    def read_path(self, path: Path | None, scope: Scope) -> str | None:
        if path is None:
            return None
        candidates = [path] if path.is_absolute() else [Path(scope.module.path).parent / path, Path(self.index.root) / path]
        for candidate in candidates:
            text = self.index.read_text_file(str(candidate))
            if text is not None:
                return text
        return None

    def loaded_data(self, value: v.Value, scope: Scope) -> object:
        """`json.load(open(PATH))`, `yaml.safe_load(Path(PATH).read_text())`: the data."""
        node, node_scope = self.follow(value, scope)
        if not isinstance(node, v.Call) or not node.args:
            return _UNKNOWN
        qualified = qualify(v.dotted(node.func) or "", node_scope) or ""
        if qualified not in ("json.load", "json.loads", "yaml.safe_load", "yaml.load", "yaml.full_load"):
            return _UNKNOWN
        source = node.args[0]
        text = None
        if isinstance(source, v.Call) and isinstance(source.func, v.Attr) and source.func.name in ("read", "read_text"):
            text = self.read_file(source.func.base, node_scope, source.func.name)
        elif isinstance(source, v.Call) and qualify(v.dotted(source.func) or "", node_scope) in ("open", "builtins.open") and source.args:
            text = self.read_path(self.path_value(source.args[0], node_scope), node_scope)
        elif isinstance(source, v.Ref):
            found = lookup(source.name, node_scope)
            if found is not None and found.bindings and found.bindings[-1].kind == "with":
                opened = found.bindings[-1].value
                if isinstance(opened, v.Call) and opened.args:
                    text = self.read_path(self.path_value(opened.args[0], found.scope or node_scope), node_scope)
        if text is None:
            return _UNKNOWN
        try:
            if qualified.startswith("json"):
                return json.loads(text)
            import yaml

            return yaml.safe_load(text)
        except Exception:  # malformed data file: the prompt is simply unknown
            return _UNKNOWN

    def path_value(self, value: v.Value, scope: Scope, depth: int = 0) -> Path | None:
        """A filesystem path a value denotes, when built from literals and `__file__`."""
        if depth > MAX_DEPTH:
            return None
        node, scope = self.follow(value, scope)
        if isinstance(node, v.Ref) and node.name == "__file__":
            return Path(scope.module.path)
        if isinstance(node, (v.Str, v.Add, v.FStr)):
            text = self.resolve(node, scope)
            return Path(text.static_text) if text.is_static else None
        if isinstance(node, v.BinOp) and node.op == "/":
            left = self.path_value(node.left, scope, depth + 1)
            right = self.path_value(node.right, scope, depth + 1)
            return None if left is None or right is None else left / right
        if isinstance(node, v.Attr) and node.name == "parent":
            inner = self.path_value(node.base, scope, depth + 1)
            return None if inner is None else inner.parent
        if isinstance(node, v.Call):
            qualified = qualify(v.dotted(node.func) or "", scope) if v.dotted(node.func) else None
            args = [a for a in node.args if not isinstance(a, v.Star)]
            if qualified in ("pathlib.Path", "pathlib.PurePath") and len(args) == 1:
                return self.path_value(args[0], scope, depth + 1)
            if qualified in ("pathlib.Path", "pathlib.PurePath") and len(args) > 1:
                parts = [self.path_value(a, scope, depth + 1) for a in args]
                return None if any(p is None for p in parts) else Path(*parts)  # type: ignore[arg-type]
            if qualified == "os.path.dirname" and len(args) == 1:
                inner = self.path_value(args[0], scope, depth + 1)
                return None if inner is None else inner.parent
            if qualified in ("os.path.abspath", "os.path.realpath", "os.path.normpath") and len(args) == 1:
                return self.path_value(args[0], scope, depth + 1)
            if qualified == "os.path.join" and args:
                parts = [self.path_value(a, scope, depth + 1) for a in args]
                return None if any(p is None for p in parts) else Path(os.path.join(*[str(p) for p in parts]))
            if qualified in ("importlib.resources.files", "importlib_resources.files") and len(args) == 1:
                return self.package_directory(args[0], scope)
            if isinstance(node.func, v.Attr) and node.func.name in ("resolve", "absolute") and not args:
                return self.path_value(node.func.base, scope, depth + 1)
            if isinstance(node.func, v.Attr) and node.func.name in ("joinpath", "__truediv__"):
                base = self.path_value(node.func.base, scope, depth + 1)
                parts = [self.path_value(a, scope, depth + 1) for a in args]
                if base is None or any(p is None for p in parts):
                    return None
                return base.joinpath(*parts)  # type: ignore[arg-type]
        return None

    def package_directory(self, value: v.Value, scope: Scope) -> Path | None:
        """`importlib.resources.files("app.prompts")` / `files(__package__)`: its folder."""
        node, node_scope = self.follow(value, scope)
        if isinstance(node, v.Ref) and node.name in ("__package__", "__name__"):
            path = Path(node_scope.module.path)
            return path.parent
        name = self.literal(node, node_scope)
        if not isinstance(name, str):
            return None
        found = self.index.find_module(name, node_scope.module)
        if found is None:
            return None
        return Path(found).parent  # a package's folder, or the folder of a plain module

    # ------------------------------------------------------------------ values

    def follow(self, value: v.Value, scope: Scope) -> tuple[v.Value, Scope]:
        """Follow names to the expression they hold (until one that is not a plain name)."""
        for _ in range(MAX_DEPTH):
            if isinstance(value, v.Ref):
                if value.name in scope.arguments and (scope.function is None or not _reassigned(scope, value.name)):
                    value, scope = scope.arguments[value.name]
                    continue
                found = lookup(value.name, scope)
                if found is not None and found.where == "import" and found.qualified:
                    target = self.imported_value(found.qualified, scope)
                    if target is None:
                        break
                    value, scope = target
                    continue
                if found is None or found.where not in ("local", "module") or not found.bindings:
                    break
                binding = found.bindings[-1]
                if binding.kind not in ("assign",) or binding.value is None:
                    break
                value, scope = binding.value, (found.scope or scope).at(binding.line)
                continue
            if isinstance(value, v.Attr):
                target = self.attribute_value(value, scope)
                if target is None:
                    break
                value, scope = target
                continue
            break
        return value, scope

    def attribute_value(self, value: v.Attr, scope: Scope) -> tuple[v.Value, Scope] | None:
        """The expression a constant attribute holds (`Prompts.SYSTEM`, `mod.CONST`)."""
        dotted = v.dotted(value)
        if dotted is None:
            return None
        base = value.base
        if isinstance(base, v.Ref) and base.name == scope.self_name:
            cls = scope.method_class()
            if cls is not None and self.set_by_constructor(cls, value.name):
                return None  # `model: str = "x"` on a model class: whatever the caller passes
            for ref in self.objects.mro(cls) if cls is not None else ():
                if value.name in ref.cls.attributes:
                    binding = ref.cls.attributes[value.name][-1]
                    return (binding.value, Scope(ref.module, line=binding.line)) if binding.value is not None else None
                if value.name in ref.cls.self_attributes:
                    method_name, binding = ref.cls.self_attributes[value.name][-1]
                    if binding.value is None or binding.kind != "assign":
                        return None
                    return binding.value, Scope(ref.module, ref.module.functions.get(method_name), {}, cls, scope.init, binding.line)
            return None
        qualified = qualify(dotted, scope)
        if not qualified:
            return None
        head = dotted.split(".")[0]
        if head in scope.module.classes:
            cls = scope.module.classes[head]
            attr = dotted.split(".", 1)[1]
            if attr in cls.attributes and cls.attributes[attr][-1].value is not None:
                binding = cls.attributes[attr][-1]
                return binding.value, Scope(scope.module, line=binding.line)  # type: ignore[return-value]
            return None
        if head not in scope.module.imports:
            return None
        return self.imported_value(qualified, scope)

    def set_by_constructor(self, cls, name: str) -> bool:
        """Whether instances get `name` from their constructor: a field of a dataclass or a
        pydantic/attrs model, or a parameter of `__init__` (then a class-level value is a
        default, not what a call uses)."""
        for ref in self.objects.mro(cls):
            init = ref.module.functions.get(f"{ref.cls.name}.__init__")
            if init is not None and init.param(name) is not None:
                return True
            decorated = {(v.dotted(d.func if isinstance(d, v.Call) else d) or "").rsplit(".", 1)[-1] for d in ref.cls.decorators}
            based = {(v.dotted(b) or "").rsplit(".", 1)[-1] for b in ref.cls.bases}
            if name in ref.cls.attributes and (decorated & {"dataclass", "define", "attrs", "frozen"} or based & {"BaseModel", "BaseSettings"}):
                return True
        return False

    def imported_value(self, qualified: str, scope: Scope) -> tuple[v.Value, Scope] | None:
        """The expression an imported constant holds in its own module."""
        symbol = self.index.lookup(qualified, scope.module)
        if symbol is None or symbol.module is None:
            return None
        module = symbol.module
        if symbol.kind == "binding":
            binding = module.bindings[symbol.name][-1]
        elif symbol.kind == "attribute":
            class_name, attr = symbol.name.split(".", 1)
            binding = module.classes[class_name].attributes[attr][-1]
        else:
            return None
        if binding.kind != "assign" or binding.value is None:
            return None
        return binding.value, Scope(module, line=binding.line)

    def literal(self, value: v.Value | None, scope: Scope) -> object:
        """The Python value of a literal expression (following constants), else `_UNKNOWN`."""
        if value is None:
            return _UNKNOWN
        node, node_scope = self.follow(value, scope)
        if isinstance(node, v.Const):
            return Ellipsis if node.value == "..." else node.value
        if isinstance(node, v.Num):
            return node.value
        if isinstance(node, (v.Str, v.Add, v.FStr)):
            text = self.resolve(node, node_scope)
            if text.is_static and text.segments and not text.omitted:
                return text.static_text
            return _UNKNOWN
        if isinstance(node, v.Seq):
            items = [self.literal(item, node_scope) for item in node.items]
            if any(item is _UNKNOWN for item in items) or any(isinstance(i, v.Star) for i in node.items):
                return _UNKNOWN
            return tuple(items) if node.kind == "tuple" else items if node.kind == "list" else _UNKNOWN
        if isinstance(node, v.Dict):
            result = {}
            for key, item in zip(node.keys, node.values):
                if key is None:
                    return _UNKNOWN
                key_value = self.literal(key, node_scope)
                item_value = self.literal(item, node_scope)
                if key_value is _UNKNOWN or item_value is _UNKNOWN:
                    return _UNKNOWN
                try:
                    result[key_value] = item_value
                except TypeError:
                    return _UNKNOWN
            return result
        return _UNKNOWN

    def literal_dict(self, value: v.Value, scope: Scope) -> dict[str, v.Value]:
        """The keys and value expressions of a dict display a value holds (for `**mapping`)."""
        node, _ = self.follow(value, scope)
        if not isinstance(node, v.Dict):
            return {}
        return {key.value: item for key, item in zip(node.keys, node.values) if isinstance(key, v.Str)}

    # ------------------------------------------------------------------ dynamic kinds

    def classify(self, value: v.Value | None, scope: Scope, depth: int = 0) -> SegmentKind:
        """How a dynamic value varies: the strongest signal found inside it."""
        found: list[SegmentKind] = []
        pending: list[tuple[v.Value, Scope, int]] = [(value, scope, depth)] if value is not None else []
        seen: dict[tuple[int, tuple], tuple[v.Value, Scope]] = {}  # holding what the ids name
        limit = self.budget.used + MAX_CLASSIFY_STEPS
        while pending and self.budget.used <= limit:
            node, node_scope, level = pending.pop()
            marker = (id(node), node_scope.key)
            if level > MAX_DEPTH or marker in seen:
                continue
            seen[marker] = (node, node_scope)
            self.budget.spend()
            if isinstance(node, v.Call):
                dotted = v.dotted(node.func)
                qualified = (qualify(dotted, node_scope) or "") if dotted else ""
                if qualified in TIME_CALLS or _is_time_method(node, node_scope):
                    found.append(SegmentKind.TIME)
                    continue
                if qualified in EXTERNAL_CALLS:
                    found.append(SegmentKind.EXTERNAL)
                elif qualified.startswith(RANDOM_PREFIXES):
                    found.append(SegmentKind.RANDOM)
                    continue
                callee = self.objects.resolve(node.func, node_scope) if dotted else None
                if isinstance(callee, ProjectFunction) and callee.qualname not in self._inlining:
                    inner = self.objects.bind_call(callee, node, node_scope)
                    for returned, line in callee.function.returns:
                        pending.append((returned, inner.at(line), level + 1))
                pending.extend((child, node_scope, level) for child in node.args)
                pending.extend((child, node_scope, level) for _, child in node.keywords)
                if isinstance(node.func, v.Attr):
                    pending.append((node.func.base, node_scope, level))
                continue
            if isinstance(node, v.Ref):
                if node.name in node_scope.arguments and (node_scope.function is None or not _reassigned(node_scope, node.name)):
                    bound, caller = node_scope.arguments[node.name]
                    pending.append((bound, caller, level + 1))
                    continue
                binding_found = lookup(node.name, node_scope)
                if binding_found is None:
                    continue
                if binding_found.where == "import":
                    if _is_external(binding_found.qualified or ""):
                        found.append(SegmentKind.EXTERNAL)
                    continue
                if binding_found.where not in ("local", "module"):
                    continue
                for binding in binding_found.bindings[-3:]:
                    if binding.kind == "param":
                        found.append(SegmentKind.EXTERNAL)
                    elif binding.value is not None and binding.kind in ("assign", "augassign", "for", "with", "append", "extend"):
                        pending.append((binding.value, (binding_found.scope or node_scope).at(binding.line), level + 1))
                continue
            if isinstance(node, v.Attr):
                dotted = v.dotted(node)
                if dotted is not None:
                    qualified = qualify(dotted, node_scope) or ""
                    if _is_external(qualified):
                        found.append(SegmentKind.EXTERNAL)
                        continue
                    if isinstance(node.base, v.Ref) and node.base.name == node_scope.self_name:
                        found.append(SegmentKind.EXTERNAL)  # instance state: set per object, per request
                        continue
                pending.append((node.base, node_scope, level))
                continue
            pending.extend((child, node_scope, level) for child in v.children(node))
            if isinstance(node, v.Opaque):
                for name in node.names:
                    pending.append((v.Ref(name, node.loc), node_scope, level))
        return _strongest(found) if found else SegmentKind.UNKNOWN


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


_UNKNOWN = _Unknown()
UNKNOWN = _UNKNOWN


_HANDLERS: dict[type, Callable[..., PromptText | None]] = {
    v.Str: Prompts._str,
    v.Num: Prompts._num,
    v.Add: Prompts._add,
    v.FStr: Prompts._fstr,
    v.BinOp: Prompts._binop,
    v.Call: Prompts._call,
    v.Ref: Prompts._name,
    v.Attr: Prompts._name,
    v.Sub: Prompts._sub,
}


def _is_text(prompt: PromptText) -> bool:
    return bool(prompt.segments)


def _reassigned(scope: Scope, name: str) -> bool:
    function = scope.function
    return function is not None and any(b.kind != "param" for b in function.bindings.get(name, ()) if scope.line is None or b.line < scope.line)


def _is_param(bindings: tuple[Binding, ...]) -> bool:
    return bool(bindings) and bindings[0].kind == "param"


def _list_steps(bindings: tuple[Binding, ...]) -> list[Binding] | None:
    """The bindings that build a list, from its last plain assignment on (None: not a list)."""
    start = max((i for i, b in enumerate(bindings) if b.kind == "assign"), default=None)
    if start is None:
        return None
    steps = [b for b in bindings[start:] if b.kind in ("assign", "append", "extend", "insert", "augassign")]
    return steps


def _is_external(qualified: str) -> bool:
    return any(qualified == p or qualified.startswith(p + ".") for p in EXTERNAL_NAMES)


def _is_time_method(node: v.Call, scope: Scope) -> bool:
    """`datetime.now().isoformat()`, `now().strftime(...)`: a method called on a time."""
    func = node.func
    while isinstance(func, v.Attr) and isinstance(func.base, v.Call):
        inner = func.base
        dotted = v.dotted(inner.func)
        if dotted and (qualify(dotted, scope) or "") in TIME_CALLS:
            return True
        func = inner.func
    return False


def _strongest(kinds: Iterable[SegmentKind]) -> SegmentKind:
    best = SegmentKind.UNKNOWN
    for kind in kinds:
        if _KIND_PRIORITY.get(kind, 0) > _KIND_PRIORITY[best]:
            best = kind
    return best


strongest = _strongest


class _Builder:
    """A prompt assembled part by part in linear time (adding PromptTexts one at a time
    copies every segment each time), bounded as `_bounded` bounds it."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.size = 0  # static characters held
        self.cut: int | None = None  # once full: the index of the segment that holds the omitted size
        self.omitted = 0  # static characters left out after it was full

    def add(self, part: PromptText) -> None:
        if self.cut is not None:  # full: static text only adds to the omitted size
            self.segments += (s for s in part.segments if s.kind.is_dynamic)
            self.omitted += sum(len(s.text) + s.omitted for s in part.segments if not s.kind.is_dynamic)
            return
        self.segments += part.segments
        self.size += sum(len(s.text) for s in part.segments if not s.kind.is_dynamic)
        if self.size > MAX_STATIC_CHARS:
            self.segments = list(_bounded(PromptText(tuple(self.segments))).segments)
            self.cut = next(i for i, s in enumerate(self.segments) if s.omitted and not s.kind.is_dynamic)

    def text(self) -> PromptText:
        if self.cut is not None and self.omitted:
            cut = self.segments[self.cut]
            self.segments[self.cut] = replace(cut, omitted=cut.omitted + self.omitted)
            self.omitted = 0
        return PromptText(tuple(self.segments))


def _bounded(prompt: PromptText) -> PromptText:
    """The prompt with static text past `MAX_STATIC_CHARS` left out (its size kept)."""
    total = 0
    for index, segment in enumerate(prompt.segments):
        if segment.kind.is_dynamic:
            continue
        total += len(segment.text)
        if total > MAX_STATIC_CHARS:
            keep = len(segment.text) - (total - MAX_STATIC_CHARS)
            cut = Segment(SegmentKind.STATIC, segment.text[:keep], segment.filename, segment.span, None, segment.omitted + len(segment.text) - keep)
            rest = sum(len(s.text) + s.omitted for s in prompt.segments[index + 1 :] if not s.kind.is_dynamic)
            tail = tuple(s for s in prompt.segments[index + 1 :] if s.kind.is_dynamic)
            cut = Segment(cut.kind, cut.text, cut.filename, cut.span, None, cut.omitted + rest)
            return PromptText((*prompt.segments[:index], cut, *tail))
    return prompt


def _repeat(text: PromptText, count: int) -> PromptText:
    """`text * count`, without materializing more than the static limit."""
    size = sum(len(s.text) + s.omitted for s in text.segments)
    if size * count <= MAX_STATIC_CHARS:
        return PromptText(text.segments * count)
    if not text.is_static:
        return _bounded(PromptText(text.segments * min(count, MAX_STATIC_CHARS // max(size, 1) + 1)))
    first = text.segments[0] if text.segments else None
    sample = text.static_text
    keep = sample * max(1, MAX_STATIC_CHARS // max(len(sample), 1)) if sample else ""
    keep = keep[:MAX_STATIC_CHARS]
    omitted = size * count - len(keep)
    return PromptText((Segment(SegmentKind.STATIC, keep, first.filename if first else None, first.span if first else None, None, omitted),))


def _transform(prompt: PromptText, transform: Callable[[str], str]) -> PromptText:
    """Apply a text transformation (dedent, strip ...) across static and dynamic segments.

    Dynamic segments are replaced by sentinels that the transformation leaves intact, so
    the static text around them is transformed exactly as Python would at run time.
    """
    if prompt.omitted:
        return prompt
    if prompt.is_static:
        text = transform(prompt.static_text)
        first = prompt.segments[0] if prompt.segments else None
        return PromptText((Segment(SegmentKind.STATIC, text, first.filename if first else None, first.span if first else None),))
    pieces = []
    dynamic: list[Segment] = []
    for segment in prompt.segments:
        if segment.kind.is_dynamic:
            pieces.append(f"\x00{len(dynamic)}\x00")
            dynamic.append(segment)
        else:
            pieces.append(segment.text)
    transformed = transform("".join(pieces))
    segments: list[Segment] = []
    position = 0
    first_static = next((s for s in prompt.segments if not s.kind.is_dynamic), None)
    where = (first_static.filename, first_static.span) if first_static else (None, None)
    for match in _SENTINEL.finditer(transformed):
        if match.start() > position:
            segments.append(Segment(SegmentKind.STATIC, transformed[position : match.start()], *where))
        segments.append(dynamic[int(match.group(1))])
        position = match.end()
    if position < len(transformed):
        segments.append(Segment(SegmentKind.STATIC, transformed[position:], *where))
    return PromptText(tuple(segments))

