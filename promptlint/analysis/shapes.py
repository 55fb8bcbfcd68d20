# SPDX-License-Identifier: MIT
"""LLM calls recognised by their shape when the client cannot be traced.

Production code passes clients around without type hints (`def get_completion(client,
messages)`, `self.client = client`), so the object a call is made on is often unknown.
Some SDK calls are unmistakable anyway: `x.chat.completions.create(...)` is the OpenAI
shape (also of every OpenAI-compatible SDK), `x.messages.create(model=..., messages=...,
max_tokens=...)` Anthropic's. A call whose receiver cannot be resolved is taken as an SDK
call when its attribute path is one of these and its keywords are the SDK's: a bare
`messages.create(...)` is not enough (Twilio sends SMS that way), `model=` and
`messages=` are required beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptlint.analysis.objects import SdkObject
from promptlint.index import values as v


@dataclass(frozen=True)
class Shape:
    provider: str
    path: tuple[str, ...]  # the end of the attribute path, method included
    keywords: frozenset[str] = frozenset()  # all of them must be given
    any_keywords: frozenset[str] = frozenset()  # at least one of them, when not empty
    patched: str | None = None


SHAPES: tuple[Shape, ...] = (
    *(Shape("openai", ("chat", "completions", m)) for m in ("create", "parse", "stream")),
    *(Shape("openai", ("beta", "chat", "completions", m)) for m in ("create", "parse", "stream")),
    *(Shape("openai", ("responses", m), any_keywords=frozenset({"input", "model"})) for m in ("create", "parse", "stream")),
    *(Shape("openai", ("beta", "threads", "runs", m)) for m in ("create", "create_and_poll", "create_and_stream", "stream")),
    *(Shape("openai", ("beta", "threads", m)) for m in ("create_and_run", "create_and_run_poll", "create_and_run_stream")),
    *(
        Shape("anthropic", ("messages", m), keywords=frozenset({"model", "messages"}), any_keywords=frozenset({"max_tokens", "system"}))
        for m in ("create", "stream", "parse")
    ),
    *(Shape("google", ("models", m)) for m in ("generate_content", "generate_content_stream")),
    *(
        Shape("openai", (m,), keywords=frozenset({"messages", "response_model"}), patched="instructor")
        for m in ("create", "create_partial", "create_iterable", "create_with_completion")
    ),
)


def attribute_path(func: v.Value) -> tuple[str, ...]:
    """The attribute names of a callee, base excluded: `self._get().chat.completions.create`
    -> ("chat", "completions", "create")."""
    names: list[str] = []
    while isinstance(func, v.Attr):
        names.append(func.name)
        func = func.base
    return tuple(reversed(names))


def by_shape(call: v.Call) -> SdkObject | None:
    """The SDK object a call is made on, when its shape says it is an SDK call."""
    path = attribute_path(call.func)
    if not path:
        return None
    keywords = {keyword for keyword, _ in call.keywords if keyword is not None}
    spread = any(keyword is None for keyword, _ in call.keywords)
    for shape in SHAPES:
        size = len(shape.path)
        if path[-size:] != shape.path:
            continue
        if not spread and not shape.keywords <= keywords:
            continue
        if shape.any_keywords and not spread and not shape.any_keywords & keywords:
            continue
        if spread and (shape.keywords or shape.any_keywords) and not (shape.keywords | shape.any_keywords) & keywords:
            continue  # `x.messages.create(**params)` says too little about `x`
        return SdkObject(shape.provider, "client", "(untyped client)", patched=shape.patched, path=shape.path)
    return None
