# SPDX-License-Identifier: MIT
"""Message lists, system prompts and tool definitions as the SDKs take them.

Chat messages come as dicts (`{"role": "user", "content": ...}`, content a string or a list
of typed blocks that may carry `cache_control`), LangChain message objects
(`SystemMessage(...)`, `("system", "...")`), or variables holding such lists, built up
with `*spread` constants, `+` and `.append`. This module turns all of them into
`Message`s with resolved `PromptText` content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import libcst as cst

from promptlint.analysis.prompts import Resolver
from promptlint.analysis.scope import Scope
from promptlint.types import Message, PromptText, Segment, SegmentKind

CACHE_KEYS = ("cache_control", "prompt_cache_breakpoint", "cachePoint")
LANGCHAIN_ROLES = {
    "SystemMessage": "system",
    "HumanMessage": "user",
    "AIMessage": "assistant",
    "ToolMessage": "tool",
    "ChatMessage": None,
}
TUPLE_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant"}
MAX_MESSAGES = 500


@dataclass
class Messages:
    messages: list[Message]
    resolved: bool  # False when part of the list could not be followed


class MessageReader:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    # ------------------------------------------------------------------ content

    def content(self, node: cst.BaseExpression, scope: Scope) -> tuple[PromptText, bool]:
        """A message's content (a string, or a list of blocks) and whether a block is cache-marked."""
        node, scope = self.resolver.follow_value(node, scope)
        if isinstance(node, (cst.List, cst.Tuple)):
            text = PromptText()
            marked = False
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    return self._unknown(element, scope), marked
                block, block_scope = self.resolver.follow_value(element.value, scope)
                if isinstance(block, cst.Dict):
                    fields = dict_fields(block)
                    marked = marked or any(key in fields for key in CACHE_KEYS)
                    if "text" in fields:
                        text += self.resolver.resolve(fields["text"], block_scope)
                    elif "content" in fields:
                        text += self.resolver.resolve(fields["content"], block_scope)
                else:
                    text += self.resolver.resolve(block, block_scope)
            return text, marked
        return self.resolver.resolve(node, scope), False

    def system(self, node: cst.BaseExpression, scope: Scope) -> tuple[PromptText, bool]:
        return self.content(node, scope)

    def blocks(self, node: cst.BaseExpression, scope: Scope, role: str | None) -> tuple[Message, ...]:
        """Content written as a list of blocks, one `Message` per block with its own cache
        marker (the blocks' texts joined are what `content` returns); () for anything else.

        A breakpoint caches the prefix through the block it sits on, so caching checks need
        to know which block carries it, not only that one does.
        """
        node, scope = self.resolver.follow_value(node, scope)
        if not isinstance(node, (cst.List, cst.Tuple)):
            return ()
        blocks: list[Message] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return ()
            block, block_scope = self.resolver.follow_value(element.value, scope)
            span = block_scope.module.span(block) if block in block_scope.module.positions else None
            if isinstance(block, cst.Dict):
                fields = dict_fields(block)
                text_node = fields.get("text", fields.get("content"))
                text = PromptText() if text_node is None else self.resolver.resolve(text_node, block_scope)
                blocks.append(Message(role, text, span, any(key in fields for key in CACHE_KEYS)))
            else:
                blocks.append(Message(role, self.resolver.resolve(block, block_scope), span))
        return tuple(blocks)

    def _unknown(self, node: cst.CSTNode, scope: Scope) -> PromptText:
        span = scope.module.span(node) if node in scope.module.positions else None
        return PromptText((Segment(SegmentKind.UNKNOWN, scope.module.code(node), str(scope.module.path), span),))

    # ------------------------------------------------------------------ lists

    def messages(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Messages:
        result = Messages([], True)
        self._collect(node, scope, result, depth)
        return result

    def _collect(self, node: cst.BaseExpression, scope: Scope, out: Messages, depth: int) -> None:
        if depth > 12 or len(out.messages) > MAX_MESSAGES:
            out.resolved = False
            return
        if isinstance(node, cst.Name):
            line = scope.module.line(node) if node in scope.module.positions else None
            found = scope.bindings_of(node.value, line)
            if found is not None and found[0] == "local":
                # The list as last (re)assigned, then whatever was appended to it afterwards.
                bindings = found[1]
                start = max((i for i, b in enumerate(bindings) if b.kind == "assign"), default=None)
                if start is None:
                    out.resolved = False
                    return
                for binding in bindings[start:]:
                    if binding.value is None:
                        out.resolved = False
                    elif binding.kind == "append":
                        self._message(binding.value, scope, out)
                    elif binding.kind in ("assign", "extend", "augassign"):  # `messages += [...]`
                        self._collect(binding.value, scope, out, depth + 1)
                    else:
                        out.resolved = False
                return
        if isinstance(node, (cst.Name, cst.Attribute)):
            followed = self.resolver.follow(node, scope)
            if followed is None or followed.kind != "value" or followed.node is None:
                out.resolved = False
                return
            self._collect(followed.node, followed.scope, out, depth + 1)
            return
        if isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    self._collect(element.value, scope, out, depth + 1)
                else:
                    self._message(element.value, scope, out)
            return
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            self._collect(node.left, scope, out, depth + 1)
            self._collect(node.right, scope, out, depth + 1)
            return
        out.resolved = False

    def _message(self, node: cst.BaseExpression, scope: Scope, out: Messages) -> None:
        node, scope = self.resolver.follow_value(node, scope)
        span = scope.module.span(node) if node in scope.module.positions else None
        if isinstance(node, cst.Dict):
            fields = dict_fields(node)
            role = self._role(fields.get("role"), scope)
            content_node = fields.get("content")
            if content_node is None:
                content_node = fields.get("parts")
            if content_node is None:
                out.messages.append(Message(role, None, span))
                return
            content, marked = self.content(content_node, scope)
            marked = marked or any(key in fields for key in CACHE_KEYS)
            out.messages.append(Message(role, content, span, marked))
            return
        if isinstance(node, cst.Tuple) and len(node.elements) == 2:
            role_value = self._role(node.elements[0].value, scope)
            role = TUPLE_ROLES.get(role_value or "", role_value)
            content, marked = self.content(node.elements[1].value, scope)
            out.messages.append(Message(role, content, span, marked))
            return
        if isinstance(node, cst.Call):
            name = (self.resolver.qualified_name(node.func, scope) or "").rsplit(".", 1)[-1]
            if name in LANGCHAIN_ROLES:
                role = LANGCHAIN_ROLES[name]
                content_node = None
                for argument in node.args:
                    if argument.keyword is None and content_node is None:
                        content_node = argument.value
                    elif argument.keyword is not None and argument.keyword.value == "content":
                        content_node = argument.value
                    elif argument.keyword is not None and argument.keyword.value == "role":
                        role = self._role(argument.value, scope)
                content, marked = (PromptText(), False) if content_node is None else self.content(content_node, scope)
                out.messages.append(Message(role, content, span, marked))
                return
        out.resolved = False
        out.messages.append(Message(None, self._unknown(node, scope), span))

    def _role(self, node: cst.BaseExpression | None, scope: Scope) -> str | None:
        if node is None:
            return None
        try:
            value = self.resolver.literal(node, scope)
        except ValueError:
            return None
        return value if isinstance(value, str) else None

    # ------------------------------------------------------------------ tools

    def tools(self, node: cst.BaseExpression, scope: Scope) -> tuple[PromptText, bool]:
        """Tool definitions as the JSON the SDK sends (when literal), and any cache marker."""
        followed, followed_scope = self.resolver.follow_value(node, scope)
        source = followed_scope.module.code(followed)
        marked = any(key in source for key in CACHE_KEYS)
        try:
            value = self.resolver.literal(followed, followed_scope)
        except ValueError:
            return self._unknown(followed, followed_scope), marked
        span = followed_scope.module.span(followed) if followed in followed_scope.module.positions else None
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return PromptText((Segment(SegmentKind.STATIC, text, str(followed_scope.module.path), span),)), marked


def dict_fields(node: cst.Dict) -> dict[str, cst.BaseExpression]:
    """The literal-string keys of a dict display and their value expressions."""
    fields: dict[str, cst.BaseExpression] = {}
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            key = element.key.evaluated_value
            if isinstance(key, str):
                fields[key] = element.value
    return fields
