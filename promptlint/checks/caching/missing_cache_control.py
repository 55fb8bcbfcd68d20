# SPDX-License-Identifier: MIT
"""PRM201 missing-cache-control: an Anthropic call re-sending a cacheable prefix uncached."""

from __future__ import annotations

from collections.abc import Iterator

from promptlint.tokens import at_most
from promptlint.analysis.prefix import ordered_parts
from promptlint.analysis.providers.anthropic import TEXT_COMPLETIONS_API
from promptlint.analysis.stability import changes_per_call
from promptlint.models import ModelInfo, model_info
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import Argument, LLMCall
from promptlint.types import Applicability, Basis, Diagnostic, Edit, Fix, Stake

#: SDKs that reach Anthropic models and let a caller pass a cache marker.
SDKS = ("anthropic", "litellm", "langchain")
#: The anthropic SDK endpoints whose `system` takes a list of text blocks.
MESSAGE_APIS = frozenset(
    f"anthropic.{namespace}messages.{method}"
    for namespace in ("", "beta.")
    for method in ("create", "stream", "parse")
)
MARKER = '{"type": "ephemeral"}'


def system_block(source: str) -> str:
    """The system prompt `source` as a one-block list that carries a cache breakpoint."""
    return f'[{{"type": "text", "text": {source}, "cache_control": {MARKER}}}]'


class MissingCacheControl(Rule):
    """
    ## What it does
    Checks for Anthropic calls (the `anthropic` SDK's first-party, async, Bedrock and Vertex
    clients, and LiteLLM or LangChain calls to Claude models) whose static prefix (tools,
    then the system prompt, then any leading static messages) reaches the model's minimum
    cacheable length, while no cache marker is set anywhere: neither the top-level
    `cache_control` (automatic caching) nor a `cache_control` on any block. The finding
    points at the call.

    ## Why is this bad?
    Anthropic caches nothing unless asked. Without a marker, every call pays the full input
    price for the same tools and instructions. With one, repeat calls within the cache's
    lifetime (5 minutes, refreshed on each hit) read the prefix at a tenth of the input
    price (less on some models); the first call pays 1.25x to write it. The stake is that
    steady-state saving per call.

    The prefix ends at the first content that changes between calls; a date (which holds
    for a day, longer than a cache entry lives) does not end it.

    Not flagged: prefixes below the model's minimum (the API would cache nothing), models
    whose minimum is unknown, model ids built at runtime, prefixes whose size cannot be
    resolved, calls with `**kwargs` that may already carry a marker, and Message Batches.

    ## Example
    ```python
    import anthropic

    client = anthropic.Anthropic()
    STYLE_GUIDE = "Write in plain English. " * 800


    def review(text):
        return client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=STYLE_GUIDE,
            messages=[{"role": "user", "content": text}],
        )
    ```

    Use instead:
    ```python
    import anthropic

    client = anthropic.Anthropic()
    STYLE_GUIDE = "Write in plain English. " * 800


    def review(text):
        return client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=[{"type": "text", "text": STYLE_GUIDE, "cache_control": {"type": "ephemeral"}}],
            messages=[{"role": "user", "content": text}],
        )
    ```

    ## Fix safety
    The fix puts an explicit breakpoint on the system prompt: the `system` string becomes a
    one-block list carrying `cache_control`. It is offered for the `anthropic` SDK's
    `messages.create/stream/parse` (beta too) when the system prompt is written at the call
    as a plain string literal or a name bound to a constant string, and tools plus system
    alone reach the minimum. It is not the top-level automatic `cache_control`: automatic
    caching puts the breakpoint on the *last* block, which in a single-turn call is the
    per-request user message, and the cache is only written at breakpoints, so such calls
    would pay the write premium every time and never read. The block form caches the
    static part in every call shape and also works on the legacy Bedrock integration,
    where automatic caching is rejected. The response is unchanged.

    The fix is unsafe because it changes billing: the first call (and every call more
    than 5 minutes after the previous one) pays 1.25x input for the cached tokens, so a
    call made rarely costs more with the marker than without. Otherwise (system prompt
    built by an expression, the cacheable part in the messages, LiteLLM, LangChain) the
    finding shows how to pass the marker without changing the code.

    ## References
    - [Anthropic: prompt caching](https://platform.claude.com/docs/en/build-with-claude/prompt-caching)
    - [LiteLLM: prompt caching](https://docs.litellm.ai/docs/completion/prompt_caching)
    """

    code = "PRM201"
    name = "missing-cache-control"
    fix_applicability = Applicability.UNSAFE

    examples = (
        Invalid(
            """
            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Answer using the attached policy. " * 400

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system=GUIDE,
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="Anthropic call re-sends a 2,401-token static prefix uncached (cache minimum for claude-sonnet-4-5: 1,024)",
            tokens=2401,
            fixed="""
            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Answer using the attached policy. " * 400

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system=[{"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from anthropic import AsyncAnthropicBedrock

            client = AsyncAnthropicBedrock()
            RULES = "Classify the ticket by the triage rules. " * 300

            async def triage(ticket):
                return await client.messages.create(
                    model="us.anthropic.claude-opus-4-1-20250805-v1:0",
                    max_tokens=64,
                    system=RULES,
                    messages=[{"role": "user", "content": ticket}],
                )
            """,
            message="3,001-token static prefix uncached (cache minimum for us.anthropic.claude-opus-4-1-20250805-v1:0: 1,024)",
            tokens=3001,
            fixed="""
            from anthropic import AsyncAnthropicBedrock

            client = AsyncAnthropicBedrock()
            RULES = "Classify the ticket by the triage rules. " * 300

            async def triage(ticket):
                return await client.messages.create(
                    model="us.anthropic.claude-opus-4-1-20250805-v1:0",
                    max_tokens=64,
                    system=[{"type": "text", "text": RULES, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": ticket}],
                )
            """,
        ),
        Invalid(
            """
            from anthropic import AnthropicVertex

            client = AnthropicVertex(region="us-east5", project_id="acme")

            def summarize(document):
                return client.messages.stream(
                    model="claude-sonnet-5",
                    max_tokens=800,
                    system=f"Summaries follow the house style. {'Keep it short. ' * 300}Today: {document.date}",
                    messages=[{"role": "user", "content": document.text}],
                )
            """,
            message="re-sends a 1,210-token static prefix uncached",
            tokens=1210,
        ),
        Invalid(
            """
            import litellm

            SYSTEM = "You are the billing assistant. Policy: refunds within 30 days. " * 100

            def reply(question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[
                        {"role": "system", "content": SYSTEM},
                        {"role": "user", "content": question},
                    ],
                )
            """,
            message="1,401-token static prefix uncached",
            tokens=1401,
        ),
        Invalid(
            """
            from langchain_anthropic import ChatAnthropic
            from langchain_core.messages import HumanMessage, SystemMessage

            llm = ChatAnthropic(model="claude-opus-4-8")
            PERSONA = "You are a meticulous contracts lawyer. " * 300

            def ask(question):
                return llm.invoke([SystemMessage(PERSONA), HumanMessage(question)])
            """,
            message="2,101-token static prefix uncached (cache minimum for claude-opus-4-8: 1,024)",
            tokens=2101,
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system="You are a helpful assistant. " * 100,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.AsyncAnthropic()
            GUIDE = "Answer using the attached policy. " * 400

            async def answer(question):
                return await client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    cache_control={"type": "ephemeral"},
                    system=GUIDE,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Answer using the attached policy. " * 400

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system=[{"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Answer using the attached policy. " * 400

            def answer(model, question):
                return client.messages.create(
                    model=model,
                    max_tokens=512,
                    system=GUIDE,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            import litellm

            SYSTEM = "You are the billing assistant. Policy: refunds within 30 days. " * 100

            def reply(question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[
                        {"role": "system", "content": [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            from langchain_anthropic import ChatAnthropic
            from langchain_core.messages import HumanMessage, SystemMessage

            llm = ChatAnthropic(model="claude-haiku-4-5")
            PERSONA = "You are a meticulous contracts lawyer. " * 300

            def ask(question):
                return llm.invoke([SystemMessage(PERSONA), HumanMessage(question)])
            """
        ),
        Valid(
            """
            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Answer using the attached policy. " * 400

            def submit(questions):
                return client.messages.batches.create(
                    requests=[
                        {"custom_id": str(i), "params": {"model": "claude-sonnet-4-5", "max_tokens": 512, "system": GUIDE,
                         "messages": [{"role": "user", "content": q}]}}
                        for i, q in enumerate(questions)
                    ]
                )
            """
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.model_provider != "anthropic" or call.provider not in SDKS or call.model is None:
            return
        if call.api.endswith("batches.create") or call.cache_control or call.cache_marked:
            return
        if call.api == TEXT_COMPLETIONS_API:
            return  # no prompt caching on the legacy endpoint
        if any(argument.name == "**" for argument in call.arguments):
            return  # the splatted mapping may carry the marker (or the system prompt)
        info = model_info(call.model)
        if info is None or info.cache_min_tokens is None:
            return
        prefix, head = _static_prefix(call)
        minimum = info.cache_min_tokens
        if at_most(prefix, call.model) < minimum:
            return
        count = ctx.count_tokens(prefix, call.model)
        if count.tokens < minimum:
            return
        head_reaches = head is not None and ctx.count_tokens(head, call.model).tokens >= minimum
        yield self.report(
            call.filename,
            call.span,
            _message(call, info, count.tokens),
            fix=_fix(call, head_reaches),
            stake=Stake(count.tokens, count.exact, call.model, Basis.CACHE_READ),
        )


def _static_prefix(call: LLMCall) -> tuple[str, str | None]:
    """The static text a cache could reuse (tools, system, leading static messages, in cache
    order), and the part of it made of tools and system prompt when both are entirely
    static (None otherwise): what a breakpoint on the system prompt would cache."""
    text: list[str] = []
    head: str | None = None
    for part in ordered_parts(call):
        if part.where.startswith("messages[") and head is None:
            head = "".join(text)
        for segment in part.text.segments:
            if changes_per_call(segment):
                return "".join(text), head
            if not segment.kind.is_dynamic:  # a date holds for a day: the prefix goes on
                text.append(segment.text)
    joined = "".join(text)
    return joined, joined if head is None else head


def _message(call: LLMCall, info: ModelInfo, tokens: int) -> str:
    message = (
        f"Anthropic call re-sends a {tokens:,}-token static prefix uncached "
        f"(cache minimum for {call.model}: {info.cache_min_tokens:,})"
    )
    if info.cache_read_multiplier is not None and info.cache_write_multiplier is not None:
        message += (
            f"; with a cache marker repeat calls read it at {info.cache_read_multiplier:g}x the input "
            f"price, after a first call that pays {info.cache_write_multiplier:g}x to write it"
        )
    return message


def _rewritable_system(call: LLMCall) -> Argument | None:
    """The `system` argument when it is a string literal or a name bound to a string that
    resolves entirely statically: the forms that can be wrapped in a text block as written."""
    argument = call.argument("system")
    if argument is None or call.system is None or call.system_blocks or not call.system.is_static:
        return None
    if (argument.is_literal and isinstance(argument.literal, str)) or argument.source.isidentifier():
        return argument
    return None


def _fix(call: LLMCall, head_reaches: bool) -> Fix:
    if call.provider == "anthropic" and call.api in MESSAGE_APIS:
        argument = _rewritable_system(call)
        if argument is not None and head_reaches:
            return Fix(
                title="Turn the system prompt into a text block with a cache breakpoint",
                applicability=Applicability.UNSAFE,
                edits=(Edit(argument.span, system_block(argument.source)),),
            )
    return Fix(
        title="Put a cache breakpoint on the last block that is the same on every call",
        applicability=Applicability.DISPLAY_ONLY,
        suggestion=_suggestion(call),
    )


def _suggestion(call: LLMCall) -> str:
    """How to pass the marker in this SDK, for the user to place."""
    if call.provider == "litellm":
        return (
            "# mark the system message (LiteLLM forwards the marker to Anthropic):\n"
            'cache_control_injection_points=[{"location": "message", "role": "system"}]'
        )
    if call.provider == "langchain":
        return (
            "# give the system message a content block carrying the marker:\n"
            f'SystemMessage(content=[{{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {MARKER}}}])'
        )
    argument = call.argument("system")
    if argument is not None and _rewritable_system(call) is not None and "\n" not in argument.source:
        blocks = system_block(argument.source)
    else:
        blocks = system_block("STATIC_PART")[:-1] + ', {"type": "text", "text": PER_CALL_PART}]'
    lines = ["# a breakpoint after the last block that is the same on every call:", f"system={blocks}"]
    if "Bedrock" not in (call.client or ""):
        lines += [
            "# multi-turn conversations can use automatic caching instead:",
            f"cache_control={MARKER}",
        ]
    return "\n".join(lines)

