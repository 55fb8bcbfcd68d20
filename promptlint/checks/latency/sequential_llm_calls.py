# SPDX-License-Identifier: MIT
"""PRM302 sequential-llm-calls: independent LLM calls made one after another."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from promptlint.analysis.prefix import all_static_text
from promptlint.data import load_yaml
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import FileAnalysis, LLMCall, Loop
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Span, Stake

# Calls that are already concurrent (or queued) by design: a loop around them is not the
# round-trip-per-item pattern this rule is about.
CONCURRENT_APIS = ("batches.create", "batch_completion", ".batch", ".abatch")
# Loop kinds whose iterations are independent work items (a `while` loop carries state;
# an `async for` consumes items as they arrive, so there is nothing to gather up front).
ITEM_LOOPS = ("for", "comprehension")


@dataclass(frozen=True)
class SequentialLlmCallsOptions:
    max_concurrency: int = 8


class SequentialLlmCalls(Rule):
    """## What it does
    Flags independent LLM calls made one after another where they could run concurrently:
    a call awaited inside a loop of an `async def`, consecutive awaited calls whose prompts
    do not use each other's results, and (in synchronous code) a loop of calls inside a
    user-facing handler (a web route, a chat UI callback, or a helper they call).

    Independence is judged conservatively. A loop is not flagged when a call's prompt
    reads a value an earlier iteration produced (an accumulator, the conversation so far,
    the previous response), when the loop is a `while` loop, when it can leave early
    (`break` or `return`: retries, fallbacks, find-first searches), when it iterates with
    `async for`, or when it sleeps (pacing requests on purpose). Streaming calls and calls
    that are already concurrent (`.batch()`, `batch_completion`, batch APIs) are left out.
    Two consecutive awaits are flagged only when they are adjacent statements of the same
    block and the first one's result is bound to a name the second does not read.

    A loop is reported once, at its first call; consecutive awaits once per run, at the
    first call. The message gives the number of sequential round trips when the loop's
    length is known statically (a literal list or `range`, a sized constant), otherwise
    "one round trip per item".

    ## Why is this bad?
    Each LLM call takes seconds, almost all of it waiting on the provider. Ten calls made
    one after another take ten times as long as the same calls made together, and in a
    request handler the user waits for every one of them. Sending them concurrently (with
    a bound on how many are in flight, to stay under the rate limit) costs nothing extra.

    ## Example
    ```python
    async def summarize(articles: list[str]) -> list[str]:
        summaries = []
        for article in articles:
            response = await client.chat.completions.create(
                model="gpt-5.4-mini", messages=[{"role": "user", "content": article}]
            )
            summaries.append(response.choices[0].message.content)
        return summaries
    ```

    Use instead:
    ```python
    async def summarize(articles: list[str]) -> list[str]:
        limit = asyncio.Semaphore(8)

        async def one(article: str) -> str:
            async with limit:
                response = await client.chat.completions.create(
                    model="gpt-5.4-mini", messages=[{"role": "user", "content": article}]
                )
            return response.choices[0].message.content

        return await asyncio.gather(*(one(article) for article in articles))
    ```

    ## Fix safety
    Display-only: the fix shows the concurrent form for the SDK's async client
    (`asyncio.gather`, or `asyncio.TaskGroup` on Python 3.11+, under a bounded
    `asyncio.Semaphore`). Moving a loop body into a coroutine changes error handling and
    ordering of side effects, so it is left to the author.

    The finding is reported at the (first) call. Its stake is a latency stake: the tokens
    are the call's static prompt tokens, for information; no dollar amount is claimed.

    ## Options
    - `max-concurrency` (default `8`): the semaphore bound shown in the suggested code.

    ## References
    - [asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
    - [asyncio.TaskGroup](https://docs.python.org/3/library/asyncio-task.html#task-groups)
    """

    code = "PRM302"
    name = "sequential-llm-calls"
    Options = SequentialLlmCallsOptions
    fix_applicability = Applicability.DISPLAY_ONLY

    examples = (
        Valid(
            """
            # Accumulating loop: each call sends the conversation so far, answers included.
            from openai import AsyncOpenAI

            client = AsyncOpenAI()

            async def interview(questions):
                history = []
                for question in questions:
                    history.append({"role": "user", "content": question})
                    reply = await client.chat.completions.create(model="gpt-5.4-mini", messages=history)
                    history.append({"role": "assistant", "content": reply.choices[0].message.content})
                return history
            """
        ),
        Valid(
            """
            # Already concurrent: the loop builds coroutines, gather awaits them together.
            import asyncio
            from anthropic import AsyncAnthropic

            client = AsyncAnthropic()

            async def label_all(texts):
                pending = [
                    client.messages.create(
                        model="claude-haiku-4-5", max_tokens=5,
                        messages=[{"role": "user", "content": text}],
                    )
                    for text in texts
                ]
                return await asyncio.gather(*pending)
            """
        ),
        Valid(
            """
            # Dependent awaits: the second prompt is built from the first answer.
            import litellm

            async def outline_then_draft(topic):
                outline = await litellm.acompletion(
                    model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Outline: {topic}"}]
                )
                draft_prompt = f"Write from this outline: {outline.choices[0].message.content}"
                draft = await litellm.acompletion(
                    model="gpt-5.4-mini", messages=[{"role": "user", "content": draft_prompt}]
                )
                return draft
            """
        ),
        Valid(
            """
            # A retry loop: the next attempt runs only when the last one failed.
            from openai import APIError, AsyncOpenAI

            client = AsyncOpenAI()

            async def answer(question):
                for attempt in range(3):
                    try:
                        return await client.chat.completions.create(
                            model="gpt-5.4-mini", messages=[{"role": "user", "content": question}]
                        )
                    except APIError:
                        continue
                raise RuntimeError("no answer")
            """
        ),
        Valid(
            """
            # Synchronous loop in a script: nobody waits on it interactively (see PRM501).
            from openai import OpenAI

            client = OpenAI()

            def main(rows):
                for row in rows:
                    client.chat.completions.create(
                        model="gpt-5.4-mini", messages=[{"role": "user", "content": row}]
                    )

            if __name__ == "__main__":
                main(["a", "b", "c"])
            """
        ),
        Invalid(
            """
            from openai import AsyncOpenAI

            client = AsyncOpenAI()
            SECTIONS = ("pricing", "billing", "exports", "security")

            async def faq():
                answers = {}
                for section in SECTIONS:
                    response = await client.chat.completions.create(
                        model="gpt-5.4-mini",
                        messages=[{"role": "user", "content": f"Write the FAQ entry for {section}."}],
                    )
                    answers[section] = response.choices[0].message.content
                return answers
            """,
            message="4 sequential round trips",
            tokens=6,
        ),
        Invalid(
            """
            from anthropic import AsyncAnthropic

            client = AsyncAnthropic()

            async def tag(tickets):
                return [
                    await client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=20,
                        messages=[{"role": "user", "content": ticket}],
                    )
                    for ticket in tickets
                ]
            """,
            message="one round trip per item",
        ),
        Invalid(
            """
            from google import genai

            client = genai.Client()

            async def brief(company):
                news = await client.aio.models.generate_content(
                    model="gemini-2.5-flash", contents=f"Latest news about {company}"
                )
                risks = await client.aio.models.generate_content(
                    model="gemini-2.5-flash", contents=f"Main business risks of {company}"
                )
                return news.text, risks.text
            """,
            message="2 independent LLM calls awaited one after another",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            @app.post("/translate")
            def translate(text: str, languages: list[str]):
                return {
                    language: client.chat.completions.create(
                        model="gpt-5.4-mini",
                        messages=[{"role": "user", "content": f"Translate into {language}: {text}"}],
                    ).choices[0].message.content
                    for language in languages
                }
            """,
            message="user-facing handler",
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-5.4-mini")

            async def titles(posts):
                found = []
                for post in posts:
                    found.append(await llm.ainvoke(f"A title for: {post}"))
                return found
            """,
            message="one round trip per item",
        ),
    )

    def check(self, analysis: FileAnalysis, ctx: RuleContext) -> Iterator[Diagnostic]:
        in_loops: dict[Span, list[LLMCall]] = {}
        for call in self.judged(analysis.calls):
            loop = self._parallel_loop(call, ctx)
            if loop is not None:
                in_loops.setdefault(loop.span, []).append(call)
        for calls in in_loops.values():
            yield self._report_loop(calls, ctx)
        reported = {id(call) for calls in in_loops.values() for call in calls}
        for run in _independent_runs([c for c in self.judged(analysis.calls) if id(c) not in reported]):
            yield self._report_run(run, ctx)

    # -- loops -------------------------------------------------------------------------
    def _parallel_loop(self, call: LLMCall, ctx: RuleContext) -> Loop | None:
        """The loop that repeats `call` one request at a time, if its iterations are
        independent and someone waits for them; None otherwise."""
        context = call.context
        if not context.loops or not _is_plain_request(call):
            return None
        loop = context.loops[-1]
        if loop.kind not in ITEM_LOOPS or loop.carries_state or (loop.bound is not None and loop.bound < 2):
            return None
        if _sleeps(loop, call.filename, ctx):
            return None
        if context.awaited and context.is_async_function:
            return loop
        if not context.awaited and not context.is_async_function and context.handler is not None:
            return loop if context.handler.user_facing else None
        return None

    def _report_loop(self, calls: list[LLMCall], ctx: RuleContext) -> Diagnostic:
        first = calls[0]
        loop = first.context.loops[-1]
        per_item = len(calls)
        if loop.bound is not None:
            trips = f"{loop.bound * per_item} sequential round trips"
        elif per_item == 1:
            trips = "one round trip per item"
        else:
            trips = f"{per_item} round trips per item"
        what = "LLM call" if per_item == 1 else f"{per_item} LLM calls"
        if first.context.awaited:
            message = (
                f"{what} awaited inside a loop whose iterations do not depend on each other: "
                f"{trips}, one after another; run them concurrently with `asyncio.gather` "
                f"under a bounded semaphore"
            )
            suggestion = _loop_suggestion(_callee(first, ctx), loop, ctx.options.max_concurrency)
        else:
            handler = first.context.handler
            where = f" `{handler.function}`" if handler is not None else ""
            message = (
                f"user-facing handler{where} makes its {what}s one after another in a loop: "
                f"{trips} the user waits through; make them concurrent"
            )
            suggestion = _sync_loop_suggestion(first, _callee(first, ctx), loop, ctx.options.max_concurrency)
        return self.report(
            first.filename,
            first.span,
            message,
            fix=Fix("Send the loop's requests concurrently", Applicability.DISPLAY_ONLY, suggestion=suggestion),
            stake=_latency_stake(first, ctx),
        )

    # -- consecutive awaits ----------------------------------------------------------
    def _report_run(self, run: Sequence[LLMCall], ctx: RuleContext) -> Diagnostic:
        first = run[0]
        lines = ", ".join(str(call.span.start.row) for call in run)
        message = (
            f"{len(run)} independent LLM calls awaited one after another (lines {lines}): "
            f"{len(run)} sequential round trips where one would do; await them together with "
            f"`asyncio.gather`"
        )
        targets = [call.context.assigned_to[0] if len(call.context.assigned_to) == 1 else "_" for call in run]
        awaited = "\n".join(f"    {_callee(call, ctx)}(...)," for call in run)
        suggestion = f"{', '.join(targets)} = await asyncio.gather(\n{awaited}\n)\n"
        return self.report(
            first.filename,
            first.span,
            message,
            fix=Fix("Await the calls together", Applicability.DISPLAY_ONLY, suggestion=suggestion),
            stake=_latency_stake(first, ctx),
        )


def _is_plain_request(call: LLMCall) -> bool:
    """A single, non-streamed request (a stream is consumed in order on purpose, and the
    batch helpers are already concurrent)."""
    return not call.stream and not call.api.endswith(CONCURRENT_APIS)


def _independent_runs(calls: Sequence[LLMCall]) -> Iterator[list[LLMCall]]:
    """Runs of two or more awaited calls in adjacent statements of one block, none of which
    reads a name an earlier one in the run bound its result to."""
    by_block: dict[str, list[LLMCall]] = {}
    for call in calls:
        context = call.context
        if (
            context.awaited
            and context.is_async_function
            and context.block is not None
            and context.statement_index is not None
            and _is_plain_request(call)
        ):
            by_block.setdefault(context.block, []).append(call)
    for block_calls in by_block.values():
        block_calls.sort(key=lambda c: (c.context.statement_index, c.span.start))
        run: list[LLMCall] = []
        for call in block_calls:
            if run and _extends(run, call):
                run.append(call)
                continue
            if len(run) >= 2:
                yield run
            run = [call]
        if len(run) >= 2:
            yield run


def _extends(run: list[LLMCall], call: LLMCall) -> bool:
    last = run[-1]
    assert last.context.statement_index is not None and call.context.statement_index is not None
    if call.context.statement_index != last.context.statement_index + 1 or not last.context.assigned_to:
        return False  # something else happens in between, or the first result is used unseen
    bound = {name for member in run for name in member.context.assigned_to}
    return not bound & set(call.context.reads)


def _sleeps(loop: Loop, filename: str, ctx: RuleContext) -> bool:
    """Whether the loop's text sleeps: requests paced on purpose (a rate limit)."""
    lines = ctx.read_source(filename).splitlines()[loop.span.start.row - 1 : loop.span.end.row]
    return any("sleep(" in line for line in lines)


def _callee(call: LLMCall, ctx: RuleContext) -> str:
    """The called expression as written (`client.chat.completions.create`), for snippets."""
    lines = ctx.read_source(call.filename).splitlines()
    if call.span.start.row <= len(lines):
        head = lines[call.span.start.row - 1][call.span.start.column - 1 :]
        if "(" in head:
            return head.split("(", 1)[0].strip()
    return call.api


def _async_callee(call: LLMCall, callee: str) -> tuple[str, str | None]:
    """The async form of a synchronous call, and the client to build for it (if any)."""
    entry = load_yaml("lexicons/async_clients.yaml")["sdks"].get(call.provider, {})
    receiver, _, rest = callee.partition(".")
    if "async_client" in entry and rest:
        return f"async_client.{rest}", f"async_client = {entry['async_client']}(...)  # built like `{receiver}`"
    if "async_path" in entry and rest:
        return f"{receiver}.{entry['async_path']}.{rest}", None
    head, _, method = callee.rpartition(".")
    renamed = entry.get("async_methods", {}).get(method or callee)
    if renamed is not None:
        return (f"{head}.{renamed}" if head else renamed), None
    return callee, None


def _loop_suggestion(callee: str, loop: Loop, limit: int) -> str:
    items = loop.iterable or "items"
    return (
        f"limit = asyncio.Semaphore({limit})  # requests in flight at once (stay under the rate limit)\n"
        "\n"
        "async def one(item):\n"
        "    async with limit:\n"
        f"        return await {callee}(...)  # the loop body, for one item\n"
        "\n"
        f"results = await asyncio.gather(*(one(item) for item in {items}))\n"
        "# Python 3.11+: async with asyncio.TaskGroup() as group:\n"
        f"#     tasks = [group.create_task(one(item)) for item in {items}]\n"
    )


def _sync_loop_suggestion(call: LLMCall, callee: str, loop: Loop, limit: int) -> str:
    async_callee, setup = _async_callee(call, callee)
    items = loop.iterable or "items"
    lines = ["# Make the handler `async def` and use the SDK's async client:"]
    if setup is not None:
        lines.append(setup)
    lines.append(_loop_suggestion(async_callee, loop, limit).rstrip("\n"))
    lines.append(
        f"# Or, staying synchronous: with ThreadPoolExecutor(max_workers={limit}) as pool:\n"
        f"#     results = list(pool.map(one_sync, {items}))"
    )
    return "\n".join(lines) + "\n"


def _latency_stake(call: LLMCall, ctx: RuleContext) -> Stake:
    count = ctx.count_tokens(all_static_text(call), call.model)
    return Stake(tokens=count.tokens, exact=count.exact, model=call.model, basis=Basis.LATENCY)
