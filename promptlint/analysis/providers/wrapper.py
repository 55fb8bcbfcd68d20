# SPDX-License-Identifier: MIT
"""The project's own functions that forward to an SDK, as configured in
`[tool.promptlint.wrappers]` (for what inference cannot see).

A call to a configured wrapper is analysed like an SDK call: the configuration names the
parameters that carry the model, the messages, the system prompt or a single prompt, and
the SDK the wrapper forwards to. Positional arguments are matched to parameters when the
wrapper's definition is in the project.
"""

from __future__ import annotations

from promptlint.analysis.objects import Objects, ProjectFunction
from promptlint.analysis.providers.base import CallSite, vendor_of_model
from promptlint.analysis.providers.common import leading_system
from promptlint.config import Wrapper
from promptlint.analysis.results import LLMCall, Message


def positional_names(site: CallSite, objects: Objects) -> dict[str, str]:
    """`#0` -> the wrapper's first parameter name, when its definition can be read."""
    callee = objects.resolve(site.call.func, site.scope)
    if not isinstance(callee, ProjectFunction):
        return {}
    params = [p for p in callee.function.params if p.kind in ("posonly", "pos")]
    if params and params[0].name in ("self", "cls") and callee.function.class_name:
        params = params[1:]
    return {f"#{index}": param.name for index, param in enumerate(params)}


def build_configured_call(site: CallSite, wrapper: Wrapper, objects: Objects) -> LLMCall:
    for position, name in positional_names(site, objects).items():
        if position in site.arguments_here and name not in site.arguments_here:
            site.arguments_here[name] = site.arguments_here[position]
    model, model_argument = site.model(wrapper.model) if wrapper.model else (None, None)
    messages: list[Message] = []
    resolved = True
    system = None
    if wrapper.system and site.has(wrapper.system):
        system = site.prompt(wrapper.system)
    if wrapper.messages and site.has(wrapper.messages):
        found = site.messages(wrapper.messages)
        if found is not None:
            messages, resolved = found.messages, found.resolved
    if wrapper.prompt and site.has(wrapper.prompt):
        messages.append(Message("user", site.prompt(wrapper.prompt)))
    if not messages and system is None:
        resolved = False
    system_in_messages = system is None and bool(messages)
    if system is None:
        system = leading_system(messages)
    default_vendor = {"langchain": None, "litellm": None, "pydantic-ai": None}.get(wrapper.provider, wrapper.provider)
    return site.llm_call(
        provider=wrapper.provider,
        model=model,
        model_provider=vendor_of_model(model, default_vendor),
        model_argument=model_argument,
        system=system,
        system_in_messages=system_in_messages,
        messages=tuple(messages),
        messages_resolved=resolved,
    )
