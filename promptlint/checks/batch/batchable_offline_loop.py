# SPDX-License-Identifier: MIT
"""PRM501 batchable-offline-loop: one request per item where nobody waits for the answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from string import Template

from promptlint import models
from promptlint.analysis.prefix import all_static_text
from promptlint.data import load_yaml
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import FileAnalysis, LLMCall, Loop
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Span, Stake

# Calls that are batch submissions themselves, or helpers that already send many requests
# at once (`litellm.batch_completion`, LangChain `.batch()`: concurrent, not discounted).
BATCH_LIKE_APIS = ("batches.create", "batch_completion", ".batch", ".abatch")
# Loop kinds that send one request per item (a `while` loop carries state from one step
# to the next, so its requests cannot be submitted together).
ITEM_LOOPS = ("for", "async for", "comprehension")
# Clients of cloud platforms where the vendor's batch API is not offered (Anthropic
# Message Batches are not available on Bedrock or Vertex AI, provider-facts §5) or whose
# model names are deployment names.
PLATFORM_CLIENTS = ("Bedrock", "Vertex", "AWS", "GoogleCloud", "Foundry", "Azure")


@dataclass(frozen=True)
class BatchableOfflineLoopOptions:
    min_requests: int = 10
    output_tokens: int = 256


class BatchableOfflineLoop(Rule):
    """## What it does
    Flags a loop that sends one LLM request per item in code nobody waits on, where the
    model's provider offers a batch API at a discount: OpenAI's Batch API, Anthropic's
    Message Batches and Gemini's batch mode (half price, results within 24 hours).

    Code nobody waits on is a script's `if __name__ == "__main__":` block, a function
    called from one, a CLI command (click, typer), and a queued or scheduled job (Celery
    `@app.task`/`@shared_task`, RQ `@job` or `queue.enqueue(fn)`, Dramatiq actors, Prefect
    flows and tasks, Dagster ops and assets, Airflow `@dag`/`@task`). A data-processing
    function over a dataset is flagged only when it is reached from one of these: a helper
    that a web route also calls is user-facing, and its loop is not reported.

    Not flagged: loops in user-facing code (routes, chat UI callbacks and their helpers),
    loops whose function already submits batches (`batches.create`,
    `litellm.create_batch`, pydantic-ai `BatchModelRequests`), `while` loops and loops
    whose requests use an earlier iteration's result, streamed calls (someone is watching
    the output), models whose vendor has no batch API or is not known statically, clients
    of cloud platforms (Bedrock, Vertex, Azure), and loops known to send fewer than
    `min-requests` requests. `litellm.batch_completion` and LangChain's `.batch()` are not
    flagged, but note that they are *not* discounted batch APIs: they send normal-priced
    requests concurrently.

    A loop is reported once, at its first call.

    ## Why is this bad?
    A nightly job or a backfill pays full price for answers no one reads until later.
    Submitting the same requests as one batch costs half as much, uses a separate rate
    limit pool, and still finishes within a day (most batches finish within an hour).

    ## Example
    ```python
    if __name__ == "__main__":
        for ticket in load_tickets():
            summary = client.messages.create(
                model="claude-haiku-4-5",
                max_tokens=300,
                messages=[{"role": "user", "content": ticket.text}],
            )
            save(ticket.id, summary.content[0].text)
    ```

    Use instead:
    ```python
    if __name__ == "__main__":
        batch = client.messages.batches.create(requests=[
            {
                "custom_id": ticket.id,
                "params": {
                    "model": "claude-haiku-4-5",
                    "max_tokens": 300,
                    "messages": [{"role": "user", "content": ticket.text}],
                },
            }
            for ticket in load_tickets()
        ])
        # a later run collects client.messages.batches.results(batch.id)
    ```

    ## Fix safety
    Display-only: the fix names the provider's batch API and shows its call. Results arrive
    asynchronously, so the code that uses them has to move to a collecting step.

    The finding is reported at the loop's first call. Its stake is the batch discount on
    each request: the static input tokens of the loop's calls (to the same model) and their
    expected output tokens, `max_tokens` where it is set (an upper bound), else
    `output-tokens`.

    ## Options
    - `min-requests` (default `10`): loops known to run fewer times than this are not
      reported (a batch is not worth it for a handful of requests).
    - `output-tokens` (default `256`): expected output tokens per request when the call
      sets no `max_tokens`.

    ## References
    - [OpenAI Batch API](https://platform.openai.com/docs/guides/batch)
    - [Anthropic Message Batches](https://docs.anthropic.com/en/docs/build-with-claude/batch-processing)
    - [Gemini Batch API](https://ai.google.dev/gemini-api/docs/batch-api)
    """

    code = "PRM501"
    name = "batchable-offline-loop"
    Options = BatchableOfflineLoopOptions
    fix_applicability = Applicability.DISPLAY_ONLY

    examples = (
        Valid(
            """
            # Already batched: the job submits one Message Batches request.
            from anthropic import Anthropic

            client = Anthropic()

            def submit(tickets):
                requests = []
                for ticket in tickets:
                    requests.append({
                        "custom_id": ticket,
                        "params": {"model": "claude-haiku-4-5", "max_tokens": 300,
                                   "messages": [{"role": "user", "content": ticket}]},
                    })
                return client.messages.batches.create(requests=requests)

            if __name__ == "__main__":
                submit(["t1", "t2"])
            """
        ),
        Valid(
            """
            # User-facing: a web route waits for these answers.
            from fastapi import FastAPI
            from openai import OpenAI

            app = FastAPI()
            client = OpenAI()

            @app.post("/summaries")
            def summaries(texts: list[str]):
                return [
                    client.chat.completions.create(
                        model="gpt-5.4-mini", messages=[{"role": "user", "content": text}]
                    ).choices[0].message.content
                    for text in texts
                ]
            """
        ),
        Valid(
            """
            # Accumulating loop: each request continues the previous answer.
            from openai import OpenAI

            client = OpenAI()

            def write_chapters(outline):
                story = ""
                for heading in outline:
                    story += client.chat.completions.create(
                        model="gpt-5.4-mini",
                        messages=[{"role": "user", "content": f"{story}\\n\\nContinue with: {heading}"}],
                    ).choices[0].message.content
                return story

            if __name__ == "__main__":
                write_chapters(["one", "two"])
            """
        ),
        Valid(
            """
            # No batch API at this vendor (Groq through LiteLLM).
            import litellm

            if __name__ == "__main__":
                for line in open("questions.txt"):
                    litellm.completion(
                        model="groq/llama-3.3-70b-versatile",
                        messages=[{"role": "user", "content": line}],
                    )
            """
        ),
        Valid(
            """
            # Three requests: not worth a batch.
            from openai import OpenAI

            client = OpenAI()

            if __name__ == "__main__":
                for language in ["fr", "de", "es"]:
                    client.chat.completions.create(
                        model="gpt-5.4-mini",
                        messages=[{"role": "user", "content": f"Say hello in {language}"}],
                    )
            """
        ),
        Invalid(
            """
            from anthropic import Anthropic

            client = Anthropic()

            def summarize_all(tickets):
                for ticket in tickets:
                    client.messages.create(
                        model="claude-haiku-4-5",
                        max_tokens=300,
                        system="Summarize the support ticket in three sentences.",
                        messages=[{"role": "user", "content": ticket}],
                    )

            if __name__ == "__main__":
                summarize_all(open("tickets.txt").read().split("\\n\\n"))
            """,
            message="Anthropic Message Batches API",
            tokens=10,
        ),
        Invalid(
            """
            from celery import shared_task
            from openai import OpenAI

            client = OpenAI()

            @shared_task
            def tag_products(descriptions):
                return [
                    client.responses.create(model="gpt-5.4-mini", input=f"Three tags for: {text}")
                    for text in descriptions
                ]
            """,
            message="OpenAI Batch API",
            tokens=5,
        ),
        Invalid(
            """
            import typer
            from google import genai

            app = typer.Typer()
            client = genai.Client()

            @app.command()
            def caption(paths: list[str]):
                for path in paths:
                    client.models.generate_content(
                        model="gemini-2.5-flash", contents=f"Caption for the image file {path}"
                    )
            """,
            message="Gemini Batch API",
            tokens=6,
        ),
        Invalid(
            """
            import litellm

            if __name__ == "__main__":
                for review in open("reviews.txt"):
                    litellm.completion(
                        model="anthropic/claude-haiku-4-5",
                        max_tokens=5,
                        messages=[{"role": "user", "content": f"Sentiment of: {review}"}],
                    )
            """,
            message="50% less",
            tokens=5,
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI
            from prefect import flow

            llm = ChatOpenAI(model="gpt-5.4-mini")

            @flow
            def translate_catalog(items):
                for item in items:
                    llm.invoke(f"Translate into German: {item}")
            """,
            message="code run from a prefect flow",
            tokens=5,
        ),
    )

    def check(self, analysis: FileAnalysis, ctx: RuleContext) -> Iterator[Diagnostic]:
        by_loop: dict[Span, list[LLMCall]] = {}
        for call in self.judged(analysis.calls):
            loop = self._batchable_loop(call, ctx)
            if loop is not None:
                by_loop.setdefault(loop.span, []).append(call)
        for calls in by_loop.values():
            yield self._report(calls, ctx)

    def _batchable_loop(self, call: LLMCall, ctx: RuleContext) -> Loop | None:
        """The loop sending `call` once per item in background code, if its requests could
        go through the vendor's discounted batch API instead."""
        context = call.context
        if context.background is None or context.handler is not None or not context.loops:
            return None
        if call.stream or call.api.endswith(BATCH_LIKE_APIS):
            return None
        if call.client is not None and any(platform in call.client for platform in PLATFORM_CLIENTS):
            return None
        loop = context.loops[-1]
        if loop.kind not in ITEM_LOOPS or loop.carries_state or loop.uses_batch_api:
            return None
        if loop.bound is not None and loop.bound < ctx.options.min_requests:
            return None
        vendor = _vendor(call)
        if vendor is None or models.batch_discount(vendor) is None or vendor not in _batch_apis():
            return None
        return loop

    def _report(self, calls: list[LLMCall], ctx: RuleContext) -> Diagnostic:
        first = calls[0]
        loop = first.context.loops[-1]
        vendor = _vendor(first)
        assert vendor is not None  # checked by _batchable_loop
        api = _batch_apis()[vendor]
        discount = models.batch_discount(vendor)
        same_model = [call for call in calls if call.model == first.model]
        counts = [ctx.count_tokens(all_static_text(call), call.model) for call in same_model]
        output = sum(call.max_tokens or ctx.options.output_tokens for call in same_model)
        stake = Stake(
            tokens=sum(count.tokens for count in counts),
            exact=all(count.exact for count in counts),
            model=first.model,
            basis=Basis.BATCH,
            output_tokens=output,
        )
        per_item = "one request" if len(calls) == 1 else f"{len(calls)} requests"
        total = f" ({loop.bound * len(calls)} requests)" if loop.bound is not None else ""
        message = (
            f"loop sends {per_item} per item{total} in code run from a {first.context.background}, "
            f"where nobody waits for the answers: the {api['name']} would cost {discount:.0%} less "
            f"(results within 24 h)"
        )
        suggestion = Template(api["suggestion"]).safe_substitute(
            client=_client_name(first, ctx),
            items=loop.iterable or "items",
            model=first.model,
            endpoint=_openai_endpoint(first, api),
        )
        if first.provider not in ("openai", "anthropic", "google"):
            wrappers = " and ".join(load_yaml("lexicons/batch_apis.yaml")["not_discounted"])
            suggestion += f"# ({wrappers} send normal-priced requests concurrently: no discount.)\n"
        return self.report(
            first.filename,
            first.span,
            message,
            fix=Fix(f"Submit the requests as one {api['name']} job", Applicability.DISPLAY_ONLY, suggestion=suggestion),
            stake=stake,
        )


def _vendor(call: LLMCall) -> str | None:
    """The vendor whose batch API would serve the call: the model must be one the model
    table knows, from that vendor (a LiteLLM or LangChain route to another host, or an
    unknown id, could be served by anyone)."""
    if call.model is None or call.model_provider is None:
        return None
    info = models.model_info(call.model)
    if info is None or info.provider != models.normalize_provider(call.model_provider):
        return None
    return info.provider


def _client_name(call: LLMCall, ctx: RuleContext) -> str:
    """The receiver the call is made on when it is the vendor's own SDK client (`claude`
    in `claude.messages.create`); `client` for wrappers, whose objects have no batch API."""
    if call.provider != call.model_provider:
        return "client"
    lines = ctx.read_source(call.filename).splitlines()
    if call.span.start.row > len(lines):
        return "client"
    head = lines[call.span.start.row - 1][call.span.start.column - 1 :]
    receiver = head.split(".", 1)[0]
    return receiver if receiver.isidentifier() and "." in head else "client"


def _openai_endpoint(call: LLMCall, api: dict) -> str:
    for segment, endpoint in api.get("endpoints", {}).items():
        if f".{segment}." in f".{call.api}":
            return endpoint
    return next(iter(api.get("endpoints", {}).values()), "")


def _batch_apis() -> dict:
    return load_yaml("lexicons/batch_apis.yaml")["vendors"]
