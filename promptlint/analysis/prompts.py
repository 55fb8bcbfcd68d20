# SPDX-License-Identifier: MIT
"""Static resolution of prompt expressions into `PromptText`.

The resolver follows what a reader would: literals and their concatenations, f-strings,
`.format`/`%`, `textwrap.dedent`/`inspect.cleandoc`, `str.join`, module and class constants
(also imported from other project modules), small helper functions that return a prompt,
and text files read with a literal path inside the project. Whatever it cannot follow
becomes a dynamic segment whose kind (time, random, external, unknown) says whether it
changes between calls.
"""

from __future__ import annotations

import ast
import os
import re
import string
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from promptlint.analysis.project import Project
from promptlint.analysis.scope import Binding, FunctionInfo, Scope, dotted_name
from promptlint.types import PromptText, Segment, SegmentKind, StringLiteral

MAX_DEPTH = 24

TIME_CALLS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "time.strftime",
        "time.localtime",
        "time.gmtime",
        "time.ctime",
        "time.asctime",
        "django.utils.timezone.now",
        "django.utils.timezone.localtime",
        "pendulum.now",
        "pendulum.today",
        "arrow.now",
        "arrow.utcnow",
    }
)
RANDOM_PREFIXES = ("uuid.uuid", "random.", "secrets.", "os.urandom", "numpy.random.")
# Request and user data reached through a module rather than a parameter (a parameter is
# external already): the names and everything under them (`flask.request.json`).
EXTERNAL_NAMES = ("flask.request", "quart.request", "sys.argv", "sys.stdin", "streamlit.session_state")
EXTERNAL_CALLS = frozenset(
    {
        "input",
        "builtins.input",
        "click.prompt",
        "typer.prompt",
        "rich.prompt.Prompt.ask",
        "streamlit.text_input",
        "streamlit.text_area",
        "streamlit.chat_input",
    }
)
_KIND_PRIORITY = {
    SegmentKind.TIME: 4,
    SegmentKind.RANDOM: 3,
    SegmentKind.EXTERNAL: 2,
    SegmentKind.UNKNOWN: 1,
}
_SENTINEL = re.compile("\x00(\\d+)\x00")
_PERCENT_SPEC = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")


@dataclass(frozen=True)
class Followed:
    """Where a name leads: an expression in some scope, a parameter, or a loop variable."""

    node: cst.BaseExpression | None
    scope: Scope
    kind: str  # "value", "param", "loop", "with", "import", "function", "augassign"
    qualified: str | None = None  # for imports of non-project names
    previous: Followed | None = None  # for "augassign" (`x += node`): what `x` held before


class Resolver:
    """Follows names and resolves prompt expressions; one per analysed file."""

    def __init__(self, project: Project) -> None:
        self.project = project

    # ------------------------------------------------------------------ names

    def follow(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Followed | None:
        """One step from a Name or Attribute to what it is bound to (None if unknown)."""
        line = scope.module.positions[node].start.line if node in scope.module.positions else None
        if isinstance(node, cst.Name):
            return self._follow_name(node.value, scope, line)
        if isinstance(node, cst.Attribute):
            return self._follow_attribute(node, scope, depth)
        return None

    def _follow_name(self, name: str, scope: Scope, line: int | None) -> Followed | None:
        if scope.function is not None and name in scope.arguments:
            if name not in scope.function.bindings:
                bound, caller = scope.arguments[name]
                return Followed(bound, caller, "value")
        found = scope.bindings_of(name, line)
        if found is None:
            return None
        where, bindings = found
        if where == "param":
            return Followed(None, scope, "param")
        if where == "import":
            qualified = scope.module.imports[name]
            target = self.project.resolve_import(qualified, scope.module)
            if target is None:
                return Followed(None, scope, "import", qualified)
            module, attr = target
            return self._follow_in_module(module, attr, qualified)
        return self._from_bindings(name, bindings, scope)

    def _from_bindings(self, name: str, bindings: list[Binding], scope: Scope) -> Followed:
        """The last binding, and for `name += value` also what the name held before it."""
        binding = bindings[-1]
        statement = binding.statement
        if (
            binding.kind == "augassign"
            and isinstance(statement, cst.AugAssign)
            and isinstance(statement.operator, cst.AddAssign)
        ):
            previous = None
            if len(bindings) > 1:
                previous = self._from_bindings(name, bindings[:-1], scope)
            elif scope.function is not None and name in scope.function.params:
                previous = Followed(None, scope, "param")
            if previous is not None:
                return Followed(binding.value, scope, "augassign", previous=previous)
        return self._from_binding(binding, scope)

    def _from_binding(self, binding: Binding, scope: Scope) -> Followed:
        if binding.kind in ("for",) or binding.value is None:
            return Followed(binding.value, scope, "loop")
        if binding.kind == "with":
            return Followed(binding.value, scope, "with")
        return Followed(binding.value, scope, "value")

    def _follow_in_module(self, module, attr: str, qualified: str) -> Followed | None:
        head, _, rest = attr.partition(".")
        module_scope = Scope(module)
        if rest:
            cls = module.classes.get(head)
            if cls is not None and rest in cls.attributes:
                return self._from_binding(cls.attributes[rest][-1], module_scope)
            return None
        if head in module.bindings:
            return self._from_binding(module.bindings[head][-1], module_scope)
        if head in module.imports:
            return self._follow_name(head, module_scope, None)
        if head in module.functions:
            return Followed(None, module_scope, "function", f"{module.name}.{head}")
        return None

    def _follow_attribute(self, node: cst.Attribute, scope: Scope, depth: int) -> Followed | None:
        base, attr = node.value, node.attr.value
        if isinstance(base, cst.Name) and base.value in ("self", "cls"):
            cls = scope.enclosing_class()
            if cls is not None:
                if attr in cls.self_attributes:
                    bindings = cls.self_attributes[attr]
                    binding = bindings[-1]
                    method = self._function_containing(scope, binding)
                    return self._from_binding(binding, Scope(scope.module, method))
                if attr in cls.attributes:
                    return self._from_binding(cls.attributes[attr][-1], Scope(scope.module))
            return None
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head = dotted.split(".")[0]
        # Class constants referenced by class name in the same module.
        if isinstance(base, cst.Name) and base.value in scope.module.classes:
            cls = scope.module.classes[base.value]
            if attr in cls.attributes:
                return self._from_binding(cls.attributes[attr][-1], Scope(scope.module))
        if head in scope.module.imports:
            qualified = scope.module.qualify(dotted)
            target = self.project.resolve_import(qualified, scope.module)
            if target is not None:
                module, rest = target
                return self._follow_in_module(module, rest, qualified)
            return Followed(None, scope, "import", qualified)
        return None

    def _function_containing(self, scope: Scope, binding: Binding) -> FunctionInfo | None:
        for function in scope.module.functions.values():
            positions = scope.module.positions
            start = positions[function.node].start.line
            end = positions[function.node].end.line
            if start <= binding.line <= end and function.class_name is not None:
                return function
        return None

    def follow_value(
        self, node: cst.BaseExpression, scope: Scope, depth: int = 0
    ) -> tuple[cst.BaseExpression, Scope]:
        """Follow names until an expression that is not a plain name (or an unknown one)."""
        while depth < MAX_DEPTH and isinstance(node, (cst.Name, cst.Attribute)):
            followed = self.follow(node, scope, depth)
            if followed is None or followed.kind != "value" or followed.node is None:
                break
            node, scope = followed.node, followed.scope
            depth += 1
        return node, scope

    def qualified_name(self, node: cst.BaseExpression, scope: Scope) -> str | None:
        dotted = dotted_name(node)
        return None if dotted is None else scope.module.qualify(dotted)

    def literal(self, node: cst.BaseExpression, scope: Scope) -> object:
        """The Python value of a literal expression (following constants), or raises ValueError."""
        node, scope = self.follow_value(node, scope)
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        prompt = None
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            prompt = self.resolve(node, scope)
            if prompt.is_static:
                return prompt.static_text
            raise ValueError("dynamic string")
        try:
            return ast.literal_eval(scope.module.code(node).strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise ValueError("not a literal") from None

    # ------------------------------------------------------------------ prompts

    def resolve(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> PromptText:
        if depth > MAX_DEPTH:
            return self._dynamic(node, scope, SegmentKind.UNKNOWN)
        handler = _RESOLVERS.get(type(node))
        if handler is not None:
            result = handler(self, node, scope, depth)
            if result is not None:
                return result
        return self._dynamic(node, scope, self.classify(node, scope))

    def _dynamic(self, node: cst.CSTNode, scope: Scope, kind: SegmentKind) -> PromptText:
        module = scope.module
        span = module.span(node) if node in module.positions else None
        return PromptText((Segment(kind, module.code(node), str(module.path), span),))

    def _static(self, text: str, node: cst.CSTNode, scope: Scope, literal: StringLiteral | None = None) -> PromptText:
        module = scope.module
        span = module.span(node) if node in module.positions else None
        return PromptText((Segment(SegmentKind.STATIC, text, str(module.path), span, literal),))

    def _simple_string(self, node: cst.SimpleString, scope: Scope, depth: int) -> PromptText | None:
        value = node.evaluated_value
        if not isinstance(value, str):
            return None
        literal = StringLiteral(
            filename=str(scope.module.path),
            span=scope.module.span(node),
            prefix=node.prefix,
            quote=node.quote,
            body=node.raw_value,
        )
        return self._static(value, node, scope, literal)

    def _number(self, node: cst.Integer | cst.Float, scope: Scope, depth: int) -> PromptText:
        """A number literal where text is expected (`f"{3}"`, a default `n=3` formatted in)."""
        return self._static(str(node.evaluated_value), node, scope)

    def _concatenated(self, node: cst.ConcatenatedString, scope: Scope, depth: int) -> PromptText:
        return self.resolve(node.left, scope, depth + 1) + self.resolve(node.right, scope, depth + 1)

    def _formatted(self, node: cst.FormattedString, scope: Scope, depth: int) -> PromptText:
        prefix = node.start.lower().replace("f", "").rstrip("'\"")  # `start` ends with the quote
        quote = node.end
        result = PromptText()
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                text = _evaluate_fstring_text(prefix, quote, part.value)
                result += self._static(text, part, scope)
            elif isinstance(part, cst.FormattedStringExpression):
                inner = self.resolve(part.expression, scope, depth + 1)
                if inner.is_static and part.format_spec is None and part.conversion is None:
                    result += inner
                elif inner.is_static:
                    result += self._dynamic(part, scope, SegmentKind.UNKNOWN)
                else:
                    kind = _strongest(s.kind for s in inner.dynamic_segments)
                    result += self._dynamic(part, scope, kind)
        return result

    def _binary(self, node: cst.BinaryOperation, scope: Scope, depth: int) -> PromptText | None:
        if isinstance(node.operator, cst.Add):
            left = self.resolve(node.left, scope, depth + 1)
            right = self.resolve(node.right, scope, depth + 1)
            return left + right
        if isinstance(node.operator, cst.Multiply):
            for text_node, count_node in ((node.left, node.right), (node.right, node.left)):
                if isinstance(count_node, cst.Integer):
                    count = int(count_node.evaluated_value)
                    if 0 <= count <= 1000:
                        text = self.resolve(text_node, scope, depth + 1)
                        return PromptText(text.segments * count)
            return None
        if isinstance(node.operator, cst.Modulo):
            template = self.resolve(node.left, scope, depth + 1)
            if template.is_static:
                return self._percent_format(template.static_text, node, scope, depth)
        return None

    def _percent_format(self, template: str, node: cst.BinaryOperation, scope: Scope, depth: int) -> PromptText:
        right, right_scope = self.follow_value(node.right, scope)
        positional: list[cst.BaseExpression] = []
        mapping: dict[str, cst.BaseExpression] = {}
        if isinstance(right, cst.Tuple):
            positional = [element.value for element in right.elements]
        elif isinstance(right, cst.Dict):
            for element in right.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    key = element.key.evaluated_value
                    if isinstance(key, str):
                        mapping[key] = element.value
        else:
            positional = [right]
        result = PromptText()
        position = 0
        index = 0
        for match in _PERCENT_SPEC.finditer(template):
            if match.start() > position:
                result += self._static(template[position : match.start()], node, scope)
            position = match.end()
            if match.group("type") == "%":
                result += self._static("%", node, scope)
                continue
            key = match.group("key")
            argument = mapping.get(key) if key is not None else (
                positional[index] if index < len(positional) else None
            )
            if key is None:
                index += 1
            result += self._argument_text(argument, right_scope, depth, plain=match.group("type") in "sr")
        if position < len(template):
            result += self._static(template[position:], node, scope)
        return result

    def _argument_text(self, argument: cst.BaseExpression | None, scope: Scope, depth: int, *, plain: bool) -> PromptText:
        if argument is None:
            return PromptText((Segment(SegmentKind.UNKNOWN, "?"),))
        inner = self.resolve(argument, scope, depth + 1)
        if inner.is_static and plain:
            return inner
        if inner.is_static:
            return self._dynamic(argument, scope, SegmentKind.UNKNOWN)
        return self._dynamic(argument, scope, _strongest(s.kind for s in inner.dynamic_segments))

    def _call(self, node: cst.Call, scope: Scope, depth: int) -> PromptText | None:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "format":
                template = self.resolve(func.value, scope, depth + 1)
                if template.is_static and template.segments:
                    return self._str_format(template.static_text, node, scope, depth)
                return None
            if method in ("strip", "lstrip", "rstrip") and not node.args:
                inner = self.resolve(func.value, scope, depth + 1)
                return _transform(inner, getattr(str, method))
            if method == "join" and len(node.args) == 1:
                return self._join(func.value, node.args[0].value, scope, depth)
            if method in ("read_text", "read"):
                text = self._read_file(func.value, scope, method)
                if text is not None:
                    return self._static(text, node, scope)
        qualified = self.qualified_name(func, scope)
        if qualified in ("textwrap.dedent", "inspect.cleandoc") and node.args:
            inner = self.resolve(node.args[0].value, scope, depth + 1)
            transform = textwrap.dedent if qualified == "textwrap.dedent" else _cleandoc
            return _transform(inner, transform)
        if qualified == "str" and len(node.args) == 1:
            inner = self.resolve(node.args[0].value, scope, depth + 1)
            return inner if inner.is_static else None
        helper = self.helper_function(func, scope)
        if helper is not None:
            return self._inline_helper(helper, node, scope, depth)
        return None

    def _str_format(self, template: str, node: cst.Call, scope: Scope, depth: int) -> PromptText:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        result = PromptText()
        auto_index = 0
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:
            return self._dynamic(node, scope, SegmentKind.UNKNOWN)
        for literal_text, field, spec, conversion in parsed:
            if literal_text:
                result += self._static(literal_text, node, scope)
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
            result += self._argument_text(argument, scope, depth, plain=plain)
        return result

    def _join(self, separator: cst.BaseExpression, items: cst.BaseExpression, scope: Scope, depth: int) -> PromptText | None:
        sep = self.resolve(separator, scope, depth + 1)
        if not sep.is_static:
            return None
        items, items_scope = self.follow_value(items, scope)
        if not isinstance(items, (cst.List, cst.Tuple)):
            return None
        result = PromptText()
        for index, element in enumerate(items.elements):
            if isinstance(element, cst.StarredElement):
                return None
            if index:
                result += sep
            result += self.resolve(element.value, items_scope, depth + 1)
        return result

    def _name(self, node: cst.Name | cst.Attribute, scope: Scope, depth: int) -> PromptText | None:
        followed = self.follow(node, scope, depth)
        if followed is None:
            return None
        return self._resolve_followed(node, followed, scope, depth)

    def _resolve_followed(self, node: cst.Name | cst.Attribute, followed: Followed, scope: Scope, depth: int) -> PromptText | None:
        if followed.kind == "augassign" and followed.previous is not None and followed.node is not None:
            before = self._resolve_followed(node, followed.previous, scope, depth + 1)
            if before is None:
                before = self._dynamic(node, scope, SegmentKind.UNKNOWN)
            return before + self.resolve(followed.node, followed.scope, depth + 1)
        if followed.kind == "param":
            return self._dynamic(node, scope, SegmentKind.EXTERNAL)
        if followed.kind == "value" and followed.node is not None:
            return self.resolve(followed.node, followed.scope, depth + 1)
        if followed.kind == "with" and followed.node is not None:
            return None
        if followed.kind == "loop":
            kind = SegmentKind.UNKNOWN
            if followed.node is not None:
                kind = self.classify(followed.node, followed.scope, depth + 1)
            return self._dynamic(node, scope, kind)
        return None

    # ------------------------------------------------------------------ helpers

    def helper_function(self, func: cst.BaseExpression, scope: Scope) -> tuple[FunctionInfo, Scope] | None:
        """The project function a call goes to, when it is one this resolver can read."""
        if isinstance(func, cst.Name):
            name = func.value
            if name in scope.module.functions and scope.bindings_of(name, None) is None:
                return scope.module.functions[name], Scope(scope.module)
            if name in scope.module.imports:
                target = self.project.resolve_import(scope.module.imports[name], scope.module)
                if target is not None:
                    module, attr = target
                    if attr in module.functions:
                        return module.functions[attr], Scope(module)
            return None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            if func.value.value in ("self", "cls"):
                cls = scope.enclosing_class()
                if cls is not None:
                    method = scope.module.functions.get(f"{cls.name}.{func.attr.value}")
                    if method is not None:
                        return method, Scope(scope.module)
                return None
            qualified = scope.module.qualify(dotted_name(func) or "")
            target = self.project.resolve_import(qualified, scope.module)
            if target is not None:
                module, attr = target
                if attr in module.functions:
                    return module.functions[attr], Scope(module)
        return None

    def _inline_helper(self, helper: tuple[FunctionInfo, Scope], call: cst.Call, scope: Scope, depth: int) -> PromptText | None:
        function, module_scope = helper
        returns = _returns(function.node)
        if not returns or returns[-1].value is None:
            return None
        arguments: dict[str, tuple[cst.BaseExpression, Scope]] = {}
        params = [p for p in (*function.node.params.posonly_params, *function.node.params.params)]
        if params and params[0].name.value in ("self", "cls") and function.class_name:
            params = params[1:]
        positional = [a for a in call.args if a.keyword is None and not a.star]
        for param, argument in zip(params, positional):
            arguments[param.name.value] = (argument.value, scope)
        for argument in call.args:
            if argument.keyword is not None:
                arguments[argument.keyword.value] = (argument.value, scope)
        for param in (*params, *function.node.params.kwonly_params):
            if param.name.value not in arguments and param.default is not None:
                arguments[param.name.value] = (param.default, module_scope)
        inner_scope = Scope(module_scope.module, function, arguments)
        return self.resolve(returns[-1].value, inner_scope, depth + 1)

    def _read_file(self, base: cst.BaseExpression, scope: Scope, method: str) -> str | None:
        """Text of `Path(...).read_text()` / `open(...).read()` with a literal path."""
        base, base_scope = self.follow_value(base, scope)
        if method == "read":
            if isinstance(base, cst.Name):
                followed = self.follow(base, base_scope)
                if followed is None or followed.kind != "with" or followed.node is None:
                    return None
                base, base_scope = followed.node, followed.scope
            if not isinstance(base, cst.Call) or self.qualified_name(base.func, base_scope) not in ("open", "io.open"):
                return None
            if not base.args:
                return None
            path = self.path_value(base.args[0].value, base_scope)
        else:
            path = self.path_value(base, base_scope)
        if path is None:
            return None
        candidates = [path] if path.is_absolute() else [
            base_scope.module.path.parent / path,
            self.project.root / path,
        ]
        for candidate in candidates:
            text = self.project.read_text_file(candidate)
            if text is not None:
                return text
        return None

    def path_value(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Path | None:
        """A filesystem path an expression denotes, when it is built from literals and __file__."""
        if depth > MAX_DEPTH:
            return None
        node, scope = self.follow_value(node, scope)
        if isinstance(node, cst.Name) and node.value == "__file__":
            return scope.module.path
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = self.resolve(node, scope)
            return Path(text.static_text) if text.is_static else None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            left = self.path_value(node.left, scope, depth + 1)
            right = self.path_value(node.right, scope, depth + 1)
            return None if left is None or right is None else left / right
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            inner = self.path_value(node.value, scope, depth + 1)
            return None if inner is None else inner.parent
        if isinstance(node, cst.Call):
            qualified = self.qualified_name(node.func, scope)
            args = [a.value for a in node.args]
            if qualified in ("pathlib.Path", "pathlib.PurePath") and len(args) == 1:
                return self.path_value(args[0], scope, depth + 1)
            if qualified == "os.path.dirname" and len(args) == 1:
                inner = self.path_value(args[0], scope, depth + 1)
                return None if inner is None else inner.parent
            if qualified in ("os.path.abspath", "os.path.realpath") and len(args) == 1:
                return self.path_value(args[0], scope, depth + 1)
            if qualified == "os.path.join" and args:
                parts = [self.path_value(a, scope, depth + 1) for a in args]
                if any(p is None for p in parts):
                    return None
                return Path(os.path.join(*[str(p) for p in parts]))
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("resolve", "absolute") and not args:
                return self.path_value(node.func.value, scope, depth + 1)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "joinpath":
                base = self.path_value(node.func.value, scope, depth + 1)
                parts = [self.path_value(a, scope, depth + 1) for a in args]
                if base is None or any(p is None for p in parts):
                    return None
                return base.joinpath(*parts)  # type: ignore[arg-type]
        return None

    # ------------------------------------------------------------------ dynamic kinds

    def classify(self, node: cst.CSTNode, scope: Scope, depth: int = 0) -> SegmentKind:
        """How a dynamic expression varies: the strongest signal found inside it."""
        found: list[SegmentKind] = []
        self._classify_into(node, scope, depth, found, set())
        return _strongest(found) if found else SegmentKind.UNKNOWN

    def _classify_into(self, node: cst.CSTNode, scope: Scope, depth: int, found: list[SegmentKind], seen: set[int]) -> None:
        if depth > MAX_DEPTH or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, cst.Call):
            qualified = self.qualified_name(node.func, scope) or ""
            if qualified in TIME_CALLS:
                found.append(SegmentKind.TIME)
            elif qualified in EXTERNAL_CALLS:
                found.append(SegmentKind.EXTERNAL)
            elif qualified.startswith(RANDOM_PREFIXES):
                found.append(SegmentKind.RANDOM)
            elif not any(k is SegmentKind.TIME for k in found):
                helper = self.helper_function(node.func, scope) if qualified else None
                if helper is not None:
                    function, module_scope = helper
                    for ret in _returns(function.node):
                        if ret.value is not None:
                            self._classify_into(ret.value, Scope(module_scope.module, function), depth + 1, found, seen)
        elif isinstance(node, cst.Name):
            followed = self._follow_name(node.value, scope, scope.module.line(node) if node in scope.module.positions else None)
            while followed is not None and followed.kind == "augassign":
                if followed.node is not None:
                    self._classify_into(followed.node, followed.scope, depth + 1, found, seen)
                followed = followed.previous
            if followed is not None:
                if followed.kind == "param" or _is_external_name(followed):
                    found.append(SegmentKind.EXTERNAL)
                elif followed.node is not None and followed.kind in ("value", "loop", "with"):
                    self._classify_into(followed.node, followed.scope, depth + 1, found, seen)
            return
        elif isinstance(node, cst.Attribute):
            followed = self.follow(node, scope)
            if followed is not None and _is_external_name(followed):
                found.append(SegmentKind.EXTERNAL)
                return
            if followed is not None and followed.node is not None and followed.kind == "value":
                self._classify_into(followed.node, followed.scope, depth + 1, found, seen)
                return
        for child in node.children:
            if isinstance(child, cst.CSTNode):
                self._classify_into(child, scope, depth, found, seen)


_RESOLVERS: dict[type, Callable[..., PromptText | None]] = {
    cst.SimpleString: Resolver._simple_string,
    cst.ConcatenatedString: Resolver._concatenated,
    cst.FormattedString: Resolver._formatted,
    cst.BinaryOperation: Resolver._binary,
    cst.Call: Resolver._call,
    cst.Name: Resolver._name,
    cst.Integer: Resolver._number,
    cst.Float: Resolver._number,
    cst.Attribute: Resolver._name,
}


def _is_external_name(followed: Followed) -> bool:
    """An import of request or user data (`from flask import request`, `sys.argv`)."""
    name = followed.qualified or ""
    return followed.kind == "import" and any(name == p or name.startswith(p + ".") for p in EXTERNAL_NAMES)


def _strongest(kinds) -> SegmentKind:
    best = SegmentKind.UNKNOWN
    for kind in kinds:
        if _KIND_PRIORITY.get(kind, 0) > _KIND_PRIORITY[best]:
            best = kind
    return best


def _evaluate_fstring_text(prefix: str, quote: str, raw: str) -> str:
    """The text an f-string literal part denotes: escapes processed, `{{`/`}}` undoubled."""
    try:
        value = ast.literal_eval(f"{prefix}{quote}{raw}{quote}")
    except (ValueError, SyntaxError):
        value = raw
    if not isinstance(value, str):
        value = raw
    return value.replace("{{", "{").replace("}}", "}")


def _cleandoc(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


def _transform(prompt: PromptText, transform: Callable[[str], str]) -> PromptText:
    """Apply a text transformation (dedent, strip ...) across static and dynamic segments.

    Dynamic segments are replaced by sentinels that the transformation leaves intact, so
    the static text around them is transformed exactly as Python would at run time.
    """
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
    for match in _SENTINEL.finditer(transformed):
        if match.start() > position:
            segments.append(Segment(SegmentKind.STATIC, transformed[position : match.start()], first_static.filename if first_static else None, first_static.span if first_static else None))
        segments.append(dynamic[int(match.group(1))])
        position = match.end()
    if position < len(transformed):
        segments.append(Segment(SegmentKind.STATIC, transformed[position:], first_static.filename if first_static else None, first_static.span if first_static else None))
    return PromptText(tuple(segments))


def _returns(function: cst.FunctionDef) -> list[cst.Return]:
    """The return statements of a function, not of functions nested in it."""
    found: list[cst.Return] = []

    class Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    function.visit(Visitor())
    return found
