# SPDX-License-Identifier: MIT
"""Message lists, system prompts and tool definitions as the SDKs take them.

Chat messages come as dicts (`{"role": "user", "content": ...}`, content a string or a list
of typed blocks that may carry `cache_control`), LangChain message objects
(`SystemMessage(...)`, `("system", "...")`, `ChatPromptTemplate.from_messages([...])`), or
variables holding such lists, built up with `*spread` constants, `+`, `append`, `extend`
and `insert`. This module turns all of them into `Message`s with resolved `PromptText`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from promptlint.analysis.prompts import UNKNOWN, Prompts
from promptlint.analysis.scope import Scope, qualify
from promptlint.index import values as v
from promptlint.analysis.results import Message, PromptText, Segment, SegmentKind

CACHE_KEYS = ("cache_control", "prompt_cache_breakpoint", "cachePoint")
LANGCHAIN_ROLES = {
    "SystemMessage": "system",
    "HumanMessage": "user",
    "AIMessage": "assistant",
    "ToolMessage": "tool",
    "ChatMessage": None,
    "SystemMessagePromptTemplate": "system",
    "HumanMessagePromptTemplate": "user",
    "AIMessagePromptTemplate": "assistant",
}
TUPLE_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant", "developer": "developer"}


@dataclass
class Messages:
    messages: list[Message]
    resolved: bool  # False when part of the list could not be followed


class MessageReader:
    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts

    # ------------------------------------------------------------------ content

    def content(self, value: v.Value, scope: Scope) -> tuple[PromptText, bool]:
        """A message's content (a string, or a list of blocks) and whether a block is cache-marked."""
        node, node_scope = self.prompts.follow(value, scope)
        if isinstance(node, v.Seq):
            text = PromptText()
            marked = False
            for element in node.items:
                if isinstance(element, v.Star):
                    return text + self._unknown(element, node_scope), marked
                block, block_scope = self.prompts.follow(element, node_scope)
                if isinstance(block, v.Dict):
                    fields = dict_fields(block)
                    marked = marked or any(key in fields for key in CACHE_KEYS)
                    inner = fields.get("text", fields.get("content"))
                    if inner is not None:
                        text += self.prompts.resolve(inner, block_scope)
                else:
                    text += self.prompts.resolve(block, block_scope)
            return text, marked
        return self.prompts.resolve(node, node_scope), False

    def blocks(self, value: v.Value, scope: Scope, role: str | None) -> tuple[Message, ...]:
        """Content written as a list of blocks, one `Message` per block with its own cache
        marker (the blocks' texts joined are what `content` returns); () for anything else.

        A breakpoint caches the prefix through the block it sits on, so caching checks need
        to know which block carries it, not only that one does.
        """
        node, node_scope = self.prompts.follow(value, scope)
        if not isinstance(node, v.Seq):
            return ()
        blocks: list[Message] = []
        for element in node.items:
            if isinstance(element, v.Star):
                return ()
            block, block_scope = self.prompts.follow(element, node_scope)
            span = self.prompts.span(block.loc)
            if isinstance(block, v.Dict):
                fields = dict_fields(block)
                inner = fields.get("text", fields.get("content"))
                text = PromptText() if inner is None else self.prompts.resolve(inner, block_scope)
                blocks.append(Message(role, text, span, any(key in fields for key in CACHE_KEYS)))
            else:
                blocks.append(Message(role, self.prompts.resolve(block, block_scope), span))
        return tuple(blocks)

    def _unknown(self, value: v.Value, scope: Scope) -> PromptText:
        return self.prompts.dynamic(value, scope, SegmentKind.UNKNOWN)

    # ------------------------------------------------------------------ lists

    def messages(self, value: v.Value, scope: Scope) -> Messages:
        template = self._template_messages(value, scope)
        if template is not None:
            return template
        found = self.prompts.list_items(value, scope)
        if found is None:
            return Messages([], False)
        items, complete = found
        result = Messages([], complete)
        for item, item_scope in items:
            self._message(item, item_scope, result)
        return result

    def _template_messages(self, value: v.Value, scope: Scope) -> Messages | None:
        """`ChatPromptTemplate.from_messages([...])` (also piped into a model)."""
        node, node_scope = self.prompts.follow(value, scope)
        value_node, value_scope = node, node_scope
        if isinstance(node, v.Call) and isinstance(node.func, v.Attr) and node.func.name in ("from_messages", "format_messages", "format_prompt"):
            base = node.func.base
            if node.func.name != "from_messages":
                base_node, base_scope = self.prompts.follow(base, node_scope)
                if isinstance(base_node, v.Call) and isinstance(base_node.func, v.Attr) and base_node.func.name == "from_messages":
                    node, node_scope = base_node, base_scope
                else:
                    return None
            if node.args:
                found = self.messages(node.args[0], node_scope)
                # Its `{name}` placeholders are the template's variables: filled from the
                # `format_messages(name=...)` arguments, else from what `invoke` is given.
                filled, filled_scope = (value_node, value_scope) if value_node is not node else (v.Call(node.func, (), (), node.loc), node_scope)
                found.messages = [self._fill(message, filled, filled_scope) for message in found.messages]
                return found
        return None

    def piped_template(self, template: tuple[v.Value, Scope, bool], variables: tuple[v.Value, Scope] | None) -> Messages | None:
        """What `(prompt | llm).invoke({"q": q})` sends: the template's messages (a
        `ChatPromptTemplate.from_messages` list, or one human message for a text template)
        with its placeholders filled from the mapping `invoke` is given, when the template
        is the pipeline's first step; otherwise, or for a mapping not written out, they
        stay unknown. None when the step before the model is not a template read here."""
        value, scope, first = template
        if first and variables is not None:
            mapping, fill_scope = variables
            fill = v.Call(v.Ref("invoke", mapping.loc), (), ((None, mapping),), mapping.loc)
        else:
            fill, fill_scope = v.Call(v.Ref("invoke", value.loc), (), (), value.loc), scope
        node, node_scope = self.prompts.follow(value, scope)
        if isinstance(node, v.Call) and isinstance(node.func, v.Attr) and node.func.name == "from_messages" and node.args:
            found = self.messages(node.args[0], node_scope)
            found.messages = [self._fill(message, fill, fill_scope) for message in found.messages]
            return found
        text = self.prompts.template_text(value, scope, 0)
        if text is None or not text.is_static:
            return None
        return Messages([Message("user", self.prompts.str_format(text.static_text, fill, fill_scope, 0))], True)

    def _fill(self, message: Message, call: v.Call, scope: Scope) -> Message:
        """A template message with its placeholders as the segments `call` fills them with."""
        if message.content is None:
            return message
        filled = PromptText()
        for segment in message.content.segments:
            if segment.kind.is_dynamic or "{" not in segment.text:
                filled += PromptText((segment,))
            else:
                filled += self.prompts.str_format(segment.text, call, scope, 0)
        return replace(message, content=filled)

    def _message(self, value: v.Value, scope: Scope, out: Messages) -> None:
        node, node_scope = self.prompts.follow(value, scope)
        span = self.prompts.span(node.loc)
        if isinstance(node, v.Dict):
            fields = dict_fields(node)
            role = self._role(fields.get("role"), node_scope)
            content = fields.get("content", fields.get("parts"))
            if content is None:
                out.messages.append(Message(role, None, span))
                return
            text, marked = self.content(content, node_scope)
            out.messages.append(Message(role, text, span, marked or any(key in fields for key in CACHE_KEYS)))
            return
        if isinstance(node, v.Seq) and node.kind == "tuple" and len(node.items) == 2:
            role_value = self._role(node.items[0], node_scope)
            role = TUPLE_ROLES.get(role_value or "", role_value)
            text, marked = self.content(node.items[1], node_scope)
            out.messages.append(Message(role, text, span, marked))
            return
        if isinstance(node, v.Call):
            dotted = v.dotted(node.func) or ""
            name = (qualify(dotted, node_scope) or dotted).rsplit(".", 1)[-1]
            if name == "from_template" and isinstance(node.func, v.Attr):
                name = (v.dotted(node.func.base) or "").rsplit(".", 1)[-1]
            if name in LANGCHAIN_ROLES:
                role = LANGCHAIN_ROLES[name]
                content_value = next((val for k, val in node.keywords if k in ("content", "template", "prompt")), None)
                if content_value is None and node.args:
                    content_value = node.args[0]
                for keyword, keyword_value in node.keywords:
                    if keyword == "role":
                        role = self._role(keyword_value, node_scope)
                text, marked = (PromptText(), False) if content_value is None else self.content(content_value, node_scope)
                out.messages.append(Message(role, text, span, marked))
                return
        out.resolved = False
        out.messages.append(Message(None, self._unknown(node, node_scope), span))

    def _role(self, value: v.Value | None, scope: Scope) -> str | None:
        if value is None:
            return None
        role = self.prompts.literal(value, scope)
        return role if isinstance(role, str) else None

    # ------------------------------------------------------------------ tools

    def tools(self, value: v.Value, scope: Scope) -> tuple[PromptText, bool]:
        """Tool definitions as the JSON the SDK sends (when literal), and any cache marker."""
        node, node_scope = self.prompts.follow(value, scope)
        marked = _mentions_cache_key(node)
        data = self.prompts.literal(node, node_scope)
        if data is UNKNOWN:
            return self._unknown(node, node_scope), marked
        try:
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        except (TypeError, ValueError):
            return self._unknown(node, node_scope), marked
        span = self.prompts.span(node.loc)
        return PromptText((Segment(SegmentKind.STATIC, text, node_scope.module.path, span),)), marked


def dict_fields(node: v.Dict) -> dict[str, v.Value]:
    """The literal-string keys of a dict display and their value expressions."""
    return {key.value: value for key, value in zip(node.keys, node.values) if isinstance(key, v.Str)}


def _mentions_cache_key(node: v.Value) -> bool:
    """Whether a tools expression spells a cache marker anywhere (a literal key)."""
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, v.Str) and item.value in CACHE_KEYS:
            return True
        if isinstance(item, v.Dict):
            pending.extend(k for k in item.keys if k is not None)
        pending.extend(v.children(item))
    return False
