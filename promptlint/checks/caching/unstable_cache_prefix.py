# SPDX-License-Identifier: MIT
"""PRM202 unstable-cache-prefix: per-call content ahead of static text in cache order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from promptlint.analysis.prefix import PrefixPart, ordered_parts
from promptlint.analysis.stability import changes_per_call
from promptlint.models import model_info
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import LLMCall, Segment, SegmentKind
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Stake

DYNAMIC_KINDS = tuple(kind.value for kind in SegmentKind if kind.is_dynamic)
DESCRIPTIONS = {
    SegmentKind.TIME: "the current time",
    SegmentKind.RANDOM: "a random value",
    SegmentKind.EXTERNAL: "per-request data",
    SegmentKind.UNKNOWN: "a value promptlint cannot follow",
}
MAX_EXPRESSION = 60


@dataclass(frozen=True)
class Options:
    """`dynamic_kinds`: the segment kinds treated as changing between calls."""

    dynamic_kinds: tuple[str, ...] = ("time", "random", "external")

    def __post_init__(self) -> None:
        kinds = tuple(self.dynamic_kinds)
        unknown = [kind for kind in kinds if kind not in DYNAMIC_KINDS]
        if unknown:
            raise ValueError(f"dynamic-kinds: unknown kind(s) {unknown}; choose from {list(DYNAMIC_KINDS)}")
        object.__setattr__(self, "dynamic_kinds", kinds)


@dataclass(frozen=True)
class Placement:
    """Where the first per-call segment sits in a request read in cache order."""

    part: int  # index into the parts
    segment: int  # index into that part's segments
    end: int  # parts from here on are past the cache's reach (final user turn, last breakpoint)
    explicit: bool  # the cache is written only at explicit breakpoints (Anthropic block markers)


class UnstableCachePrefix(Rule):
    """
    ## What it does
    Checks for content that changes between calls (the current time, a random value, a
    request's data) placed ahead of static prompt text in the order a provider's prompt
    cache reads a request: Anthropic tools, then system, then messages; OpenAI
    instructions or system messages, then the other messages; Gemini's
    `system_instruction`, then the contents. It is reported when the static text it keeps
    out of the cache reaches the model's minimum cacheable length, or when it sits ahead of
    an explicit Anthropic `cache_control` breakpoint whose prefix would otherwise be
    cached. A breakpoint behind per-call content is reported also when the static text it
    marks cannot be sized (an import promptlint cannot follow): it is written on every
    call and never read whatever that size; the message says the tokens are unknown and
    the finding has no dollar figure. The finding points at the dynamic expression in the
    prompt's definition.

    ## Why is this bad?
    Prompt caches match prefixes: a request can only reuse the tokens before the first
    difference from an earlier one. A timestamp or user name at the top of a long system
    prompt makes every request differ from the start, so thousands of identical tokens after
    it are billed at the full input price on every call, and an Anthropic breakpoint behind
    it is written (at 1.25x) and never read. The stake is those stranded static tokens per
    call.

    Not flagged: dynamic content after the last breakpoint or in the final user turn (where
    per-request content belongs), static text after it below the cache minimum, unknown
    models or minimums, model ids built at runtime, and values promptlint cannot follow
    (unless `dynamic-kinds` includes `unknown`). A system prompt that is entirely one
    function parameter is taken for configuration, not per-request data. A date (today's
    date, a `%Y-%m-%d` format, a variable named `today`) changes once a day, longer than a
    cache entry lives, so it is not reported; a time of day, `time.time()` or a bare
    `datetime.now()` is. One finding per call, at the first per-call expression; the
    message counts any others behind it.

    ## Example
    ```python
    import datetime

    from openai import OpenAI

    client = OpenAI()
    POLICY = "Refunds are accepted within 30 days of purchase. " * 200


    def reply(question):
        return client.chat.completions.create(
            model="gpt-4.1",
            messages=[
                {"role": "system", "content": f"Today is {datetime.date.today()}.\\n" + POLICY},
                {"role": "user", "content": question},
            ],
        )
    ```

    Use instead:
    ```python
    import datetime

    from openai import OpenAI

    client = OpenAI()
    POLICY = "Refunds are accepted within 30 days of purchase. " * 200


    def reply(question):
        return client.chat.completions.create(
            model="gpt-4.1",
            messages=[
                {"role": "system", "content": POLICY},
                {"role": "user", "content": f"Today is {datetime.date.today()}.\\n\\n{question}"},
            ],
        )
    ```

    ## Fix safety
    Display-only. Moving the dynamic part changes the prompt the model reads (its position
    and sometimes its role), and the right place depends on how the prompt is assembled:
    the end of the system prompt, a second system block after the breakpoint, or the user
    turn. An edit could only be made safely for one narrow shape (a leading line of a
    single f-string), so the finding shows the reordering instead of applying it.

    ## Options
    - `dynamic-kinds` (default `["time", "random", "external"]`): which kinds of dynamic
      content count as changing between calls; add `"unknown"` to also flag expressions
      promptlint cannot follow.

    ## References
    - [Anthropic: prompt caching](https://platform.claude.com/docs/en/build-with-claude/prompt-caching)
    - [OpenAI: prompt caching](https://developers.openai.com/api/docs/guides/prompt-caching)
    - [Gemini: context caching](https://ai.google.dev/gemini-api/docs/caching)
    """

    code = "PRM202"
    name = "unstable-cache-prefix"
    Options = Options
    fix_applicability = Applicability.DISPLAY_ONLY

    examples = (
        Invalid(
            """
            import datetime

            from openai import OpenAI

            client = OpenAI()
            POLICY = "Refunds are accepted within 30 days of purchase. " * 200

            def reply(question):
                return client.chat.completions.create(
                    model="gpt-4.1",
                    messages=[
                        {"role": "system", "content": f"The time is {datetime.datetime.now():%H:%M}.\\n" + POLICY},
                        {"role": "user", "content": question},
                    ],
                )
            """,
            message="`datetime.datetime.now():%H:%M` (the current time) comes before static prompt text in cache order, keeping 2,205 static tokens out of the prompt cache (cache minimum for gpt-4.1: 1,024)",
            tokens=2205,
        ),
        Invalid(
            """
            import uuid

            from openai import AsyncOpenAI

            client = AsyncOpenAI()
            GUIDE = "Answer from the product manual only. " * 300

            async def answer(question):
                return await client.responses.create(
                    model="gpt-5.5",
                    instructions=f"Trace {uuid.uuid4()}\\n{GUIDE}",
                    input=question,
                )
            """,
            message="`uuid.uuid4()` (a random value)",
            tokens=2103,
        ),
        Invalid(
            """
            from google import genai
            from google.genai import types

            client = genai.Client()
            MANUAL = "Step-by-step repair instructions for the X200 dishwasher. " * 500

            def help_user(user_name, question):
                return client.models.generate_content(
                    model="gemini-2.5-pro",
                    contents=question,
                    config=types.GenerateContentConfig(system_instruction=f"The user is {user_name}.\\n" + MANUAL),
                )
            """,
            message="`user_name` (per-request data)",
            tokens=5505,
        ),
        Invalid(
            """
            import time

            import anthropic

            client = anthropic.AsyncAnthropic()
            GUIDE = "Follow the support playbook exactly. " * 400

            async def answer(question):
                return await client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system=[{"type": "text", "text": f"Now: {time.time()}\\n" + GUIDE, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="the cache_control breakpoint after it is written on every call and never read",
            tokens=2804,
        ),
        Invalid(
            # A breakpoint behind per-call content is never read, whatever the size of the
            # static text it marks (here an import promptlint cannot follow).
            """
            import time

            import anthropic
            from company_docs import HANDBOOK

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-6",
                    max_tokens=512,
                    system=[
                        {"type": "text", "text": f"profile fetched {time.time()}"},
                        {"type": "text", "text": HANDBOOK, "cache_control": {"type": "ephemeral"}},
                    ],
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="`time.time()` (the current time) comes before a cache_control breakpoint in cache order: the breakpoint is written on every call and never read; the tokens it keeps out of the cache are unknown (`HANDBOOK` cannot be resolved)",
        ),
        Invalid(
            """
            import litellm

            SYSTEM = "You are the billing assistant. Policy: refunds within 30 days. " * 100

            def reply(session_id, question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[
                        {"role": "system", "content": f"Session {session_id}.\\n" + SYSTEM},
                        {"role": "user", "content": question},
                    ],
                )
            """,
            message="`session_id` (per-request data)",
            tokens=1403,
        ),
        Invalid(
            """
            from datetime import datetime

            from langchain_anthropic import ChatAnthropic
            from langchain_core.messages import HumanMessage, SystemMessage

            llm = ChatAnthropic(model="claude-opus-4-8")
            PERSONA = "You are a meticulous contracts lawyer. " * 300

            def ask(question):
                return llm.invoke([SystemMessage(f"Time: {datetime.now()}\\n" + PERSONA), HumanMessage(question)])
            """,
            message="`datetime.now()` (the current time)",
            tokens=2104,
        ),
        Valid(
            """
            import datetime

            import anthropic

            client = anthropic.Anthropic()
            GUIDE = "Follow the support playbook exactly. " * 400

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=512,
                    system=GUIDE,
                    messages=[{"role": "user", "content": f"Sent at {datetime.datetime.now()}.\\n\\n{question}"}],
                )
            """
        ),
        Valid(
            """
            import datetime

            from anthropic import AnthropicBedrock

            client = AnthropicBedrock()
            GUIDE = "Follow the support playbook exactly. " * 400

            def answer(question):
                return client.messages.create(
                    model="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    max_tokens=512,
                    system=[
                        {"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}},
                        {"type": "text", "text": f"Sent at {datetime.datetime.now()}."},
                    ],
                    messages=[
                        {"role": "user", "content": "Example ticket: printer offline. " * 300},
                        {"role": "assistant", "content": "Restart the spooler."},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            import datetime

            from openai import OpenAI

            client = OpenAI()

            def reply(question):
                return client.chat.completions.create(
                    model="gpt-4.1",
                    messages=[
                        {"role": "system", "content": f"Sent at {datetime.datetime.now()}. " + "Be brief. " * 300},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            import datetime

            from openai import OpenAI

            client = OpenAI()
            POLICY = "Refunds are accepted within 30 days of purchase. " * 200

            def reply(model, question):
                return client.chat.completions.create(
                    model=model,
                    messages=[
                        {"role": "system", "content": f"Sent at {datetime.datetime.now()}.\\n" + POLICY},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            import datetime

            from anthropic import AnthropicVertex

            client = AnthropicVertex(region="us-east5", project_id="acme")
            GUIDE = "Follow the support playbook exactly. " * 400

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-5",
                    max_tokens=512,
                    cache_control={"type": "ephemeral"},
                    system=f"Today is {datetime.date.today():%A %d %B}.\\n" + GUIDE,
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            # Without a breakpoint, per-call content ahead of text of unknown size strands an
            # unknown number of tokens, maybe fewer than the cache minimum: not reported.
            """
            import time

            import anthropic
            from company_docs import HANDBOOK

            client = anthropic.Anthropic()

            def answer(question):
                return client.messages.create(
                    model="claude-sonnet-4-6",
                    max_tokens=512,
                    system=f"profile fetched {time.time()}\\n{HANDBOOK}",
                    messages=[{"role": "user", "content": question}],
                )
            """
        ),
        Valid(
            """
            from prompts import load_prompt
            import litellm

            SYSTEM = "You are the billing assistant. Policy: refunds within 30 days. " * 100

            def reply(question):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[
                        {"role": "system", "content": load_prompt("header") + SYSTEM},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            from langchain_anthropic import ChatAnthropic
            from langchain_core.messages import HumanMessage, SystemMessage

            llm = ChatAnthropic(model="claude-opus-4-8")
            EXAMPLES = [HumanMessage("Clause: net 30. " * 200), ("ai", "Payment terms.")] * 3

            def ask(system_prompt, question):
                return llm.invoke([SystemMessage(system_prompt), *EXAMPLES, HumanMessage(question)])
            """
        ),
        Valid(
            """
            import time

            from google import genai
            from google.genai import types

            client = genai.Client()
            MANUAL = "Step-by-step repair instructions for the X200 dishwasher. " * 500

            def help_user(question):
                return client.models.generate_content(
                    model="gemini-2.5-pro",
                    contents=f"[{time.time()}] {question}",
                    config=types.GenerateContentConfig(system_instruction=MANUAL),
                )
            """
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        if call.model is None or call.api.endswith("batches.create"):
            return
        if call.provider == "google" and call.cache_marked:
            return  # an explicit cache object holds the prefix; the request does not
        if any(argument.name == "**" for argument in call.arguments):
            return  # the splatted mapping may hold markers or prompt parts
        info = model_info(call.model)
        if info is None or info.cache_min_tokens is None:
            return
        parts = ordered_parts(call)
        placement = _placement(call, parts, ctx.options.dynamic_kinds)
        if placement is None:
            return
        segment = parts[placement.part].text.segments[placement.segment]
        if segment.kind is SegmentKind.EXTERNAL and not parts[placement.part].text.static_text.strip():
            return  # a whole prompt passed in as a parameter: configuration, not per-call data
        minimum = info.cache_min_tokens
        cached_now, cacheable, others = _cached_texts(call, parts, placement, ctx.options.dynamic_kinds)
        now = ctx.count_tokens(cached_now, call.model).tokens
        could = ctx.count_tokens(cacheable, call.model)
        stranded = _effective(could.tokens, minimum) - _effective(now, minimum)
        expression = _expression(segment)
        if stranded <= 0 or (not placement.explicit and stranded < minimum):
            unsized = _unsized_before_breakpoint(parts, placement, ctx.options.dynamic_kinds) if placement.explicit else None
            if unsized is not None:
                yield self._unread_breakpoint(call, segment, expression, unsized)
            return
        message = (
            f"`{expression}` ({DESCRIPTIONS[segment.kind]}) comes before static prompt text in cache "
            f"order, keeping {stranded:,} static tokens out of the prompt cache "
            f"(cache minimum for {call.model}: {minimum:,})"
        )
        if others:
            message += f" (with {others} more per-call expression{'s' if others > 1 else ''} after it)"
        if placement.explicit:
            message += "; the cache_control breakpoint after it is written on every call and never read"
        yield self._at_segment(call, segment, expression, message, Stake(stranded, could.exact, call.model, Basis.CACHE_READ))

    def _unread_breakpoint(self, call: LLMCall, segment: Segment, expression: str, unsized: Segment) -> Diagnostic:
        """The finding for a breakpoint behind per-call content whose static part's size is
        unknown: it is written on every call and never read whatever that size, but the
        tokens it keeps out of the cache cannot be counted, so the finding has no stake."""
        message = (
            f"`{expression}` ({DESCRIPTIONS[segment.kind]}) comes before a cache_control breakpoint in cache "
            f"order: the breakpoint is written on every call and never read; the tokens it keeps out of "
            f"the cache are unknown (`{_expression(unsized)}` cannot be resolved)"
        )
        return self._at_segment(call, segment, expression, message, None)

    def _at_segment(self, call: LLMCall, segment: Segment, expression: str, message: str, stake: Stake | None) -> Diagnostic:
        """A finding at the per-call expression (at the call when it has no place), with the
        reordering to make."""
        filename, span = (segment.filename, segment.span) if segment.filename and segment.span else (call.filename, call.span)
        fix = Fix(
            title="Move the per-call part after the static text",
            applicability=Applicability.DISPLAY_ONLY,
            suggestion=_suggestion(call, expression),
        )
        return self.report(filename, span, message, fix=fix, stake=stake)


def _segments_after(parts: Sequence[PrefixPart], placement: Placement) -> list[Segment]:
    """The segments after the per-call one, up to the end of the cache's reach (tools
    built in code left out: opaque, but the same on every call)."""
    segments = list(parts[placement.part].text.segments[placement.segment + 1 :])
    for index in range(placement.part + 1, placement.end):
        if parts[index].where == "tools" and not parts[index].text.is_static:
            continue
        segments.extend(parts[index].text.segments)
    return segments


def _unsized_before_breakpoint(parts: Sequence[PrefixPart], placement: Placement, kinds: Sequence[str]) -> Segment | None:
    """The first piece of prompt after the per-call segment and up to the last breakpoint
    that analysis could not resolve (an imported constant it cannot follow), when the
    kinds in play do not count it as per-call: static text of unknown size."""
    return next((s for s in _segments_after(parts, placement) if s.kind.is_dynamic and s.kind.value not in kinds), None)


def _placement(call: LLMCall, parts: Sequence[PrefixPart], kinds: Sequence[str]) -> Placement | None:
    """The first dynamic segment within the cache's reach, or None when there is none, when
    it is of a kind not in `kinds` (it ends the cacheable prefix either way, so no later
    segment is to blame), or when the reach cannot be placed (markers analysis did not see)."""
    end = _final_turn(parts)
    explicit = call.model_provider == "anthropic" and call.cache_marked and not call.cache_control
    last_marker: int | None = None
    if explicit:
        marked = [index for index, part in enumerate(parts) if part.cache_marked]
        if not marked:
            return None  # markers analysis cannot place (injection points, tool lists, settings)
        last_marker = marked[-1]
        end = min(end, last_marker + 1)
    for index in range(end):
        part = parts[index]
        if part.where == "tools" and not part.text.is_static:
            continue  # tool schemas built in code: opaque, but the same on every call
        for position, segment in enumerate(part.text.segments):
            if not changes_per_call(segment):
                continue  # static text, or a date: the same on every call for a day
            if segment.kind.value not in kinds:
                return None
            if index == last_marker and part.where.startswith("messages["):
                return None  # the marker may sit on a block of this message before the segment
            return Placement(index, position, end, explicit)
    return None


def _final_turn(parts: Sequence[PrefixPart]) -> int:
    """Where the final user turn starts: it and what follows differ per call by design."""
    messages = [index for index, part in enumerate(parts) if part.where.startswith("messages[")]
    users = [index for index in messages if parts[index].role == "user"]
    if users:
        return users[-1]
    if any(parts[index].role not in ("system", "developer") for index in messages):
        return messages[-1]  # roles unknown: the last message is the request
    return len(parts)


def _cached_texts(
    call: LLMCall, parts: Sequence[PrefixPart], placement: Placement, kinds: Sequence[str]
) -> tuple[str, str, int]:
    """The static text the cache can reuse now; what it could reuse with the segment, and
    the per-call segments of `kinds` after it, moved out of the way (up to the end of the
    cache's reach, or a per-call segment of another kind); and how many such later
    segments there are.

    Prefix-matching caches (OpenAI, Gemini, and Anthropic once a breakpoint is placed
    before the segment) keep everything before it; Anthropic's automatic and explicit
    breakpoints only keep what precedes the last breakpoint before it.
    """
    before: list[str] = []
    for index in range(placement.part):
        before.extend(_static(parts[index]))
    before.extend(s.text for s in parts[placement.part].text.segments[: placement.segment] if not s.kind.is_dynamic)
    anthropic_marked = call.model_provider == "anthropic" and (call.cache_control or call.cache_marked)
    if anthropic_marked:
        earlier = [index for index in range(placement.part) if parts[index].cache_marked]
        now = "".join(text for index in range(earlier[-1] + 1) for text in _static(parts[index])) if earlier else ""
    else:
        now = "".join(before)
    after: list[str] = []
    others = 0
    for segment in _segments_after(parts, placement):
        if changes_per_call(segment):
            if segment.kind.value not in kinds:
                break
            others += 1
        elif not segment.kind.is_dynamic:
            after.append(segment.text)
    return now, "".join(before) + "".join(after), others


def _static(part: PrefixPart) -> list[str]:
    """A part's static text (parts before the first per-call segment: static text, dates
    that hold for a day, or opaque tools)."""
    return [segment.text for segment in part.text.segments if not segment.kind.is_dynamic]


def _effective(tokens: int, minimum: int) -> int:
    """Tokens a cache actually stores: nothing below the minimum."""
    return tokens if tokens >= minimum else 0


def _expression(segment: Segment) -> str:
    """The dynamic expression as written, on one line and short enough for a message."""
    text = " ".join(segment.text.split())
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text if len(text) <= MAX_EXPRESSION else text[: MAX_EXPRESSION - 1] + "…"


def _suggestion(call: LLMCall, expression: str) -> str:
    """The reordering to make, in the call's SDK terms."""
    where = {
        "anthropic": 'messages=[{"role": "user", "content": f"<context>{%s}</context>\\n\\n{question}"}]',
        "google": 'contents=f"<context>{%s}</context>\\n\\n{question}"',
    }.get(call.model_provider or "", 'messages=[..., {"role": "user", "content": f"<context>{%s}</context>\\n\\n{question}"}]')
    return (
        "# keep the static text first and identical on every call; put the per-call part\n"
        "# at the end of the prompt, or in the user turn:\n" + where % expression
    )
