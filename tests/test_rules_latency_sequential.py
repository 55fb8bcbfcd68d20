"""PRM302 sequential-llm-calls beyond its examples: round-trip counts, runs of awaits,
the conservative negatives, the suggested code, and the analysis facts it relies on."""

from __future__ import annotations

from promptlint.checks.latency.sequential_llm_calls import SequentialLlmCalls
from promptlint.rule import Valid
from promptlint.testing import run_example
from promptlint.types import Applicability, Basis, Diagnostic

ASYNC_OPENAI = """
from openai import AsyncOpenAI

client = AsyncOpenAI()
"""


def findings(source: str, **options: object) -> list[Diagnostic]:
    run = run_example(SequentialLlmCalls, Valid(source, options=options))
    return [d for d in run.diagnostics if d.code == "PRM302"]


def test_round_trips_count_every_call_of_the_loop_and_report_once() -> None:
    found = findings(
        ASYNC_OPENAI
        + """
async def both(topics):
    for topic in ["a", "b", "c"]:
        short = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": topic}])
        long = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": topic * 2}])
"""
    )
    assert len(found) == 1
    assert "2 LLM calls" in found[0].message
    assert "6 sequential round trips" in found[0].message
    assert found[0].span.start.row == 7  # the loop's first call


def test_run_of_three_independent_awaits_is_one_finding_listing_the_lines() -> None:
    found = findings(
        ASYNC_OPENAI
        + """
async def profile(name):
    bio = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Bio of {name}"}])
    jobs = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Jobs of {name}"}])
    links = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Links of {name}"}])
    return bio, jobs, links
"""
    )
    assert len(found) == 1
    assert "3 independent LLM calls" in found[0].message
    assert "lines 6, 7, 8" in found[0].message
    suggestion = found[0].fix.suggestion
    assert suggestion.startswith("bio, jobs, links = await asyncio.gather(")
    assert suggestion.count("client.chat.completions.create(...)") == 3


def test_awaits_separated_by_a_statement_are_not_paired() -> None:
    assert findings(
        ASYNC_OPENAI
        + """
async def gated(name):
    check = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": name}])
    log(name)
    bio = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Bio of {name}"}])
    return check, bio
"""
    ) == []


def test_result_used_through_an_attribute_chain_makes_the_calls_dependent() -> None:
    assert findings(
        ASYNC_OPENAI
        + """
async def chain(topic):
    text = (await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": topic}])).choices[0].message.content
    return await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": text}])
"""
    ) == []


def test_paced_streamed_async_for_and_find_first_loops_are_not_flagged() -> None:
    for body in (
        # paced on purpose
        """
    for item in items:
        await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": item}])
        await asyncio.sleep(1)
""",
        # streamed to the caller in order
        """
    for item in items:
        stream = await client.chat.completions.create(model="gpt-5.4-mini", stream=True, messages=[{"role": "user", "content": item}])
""",
        # items arrive over time
        """
    async for item in items:
        await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": item}])
""",
        # find-first: later iterations only run when earlier ones found nothing
        """
    for item in items:
        found = await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": item}])
        if found:
            break
""",
    ):
        source = "import asyncio\n" + ASYNC_OPENAI + "\nasync def work(items):" + body
        assert findings(source) == [], body


def test_call_in_a_lambda_inside_a_loop_is_not_in_that_loop() -> None:
    source = """
from concurrent.futures import ThreadPoolExecutor
from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()
pool = ThreadPoolExecutor(8)

@app.post("/tags")
def tags(texts: list[str]):
    futures = [pool.submit(lambda: client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": t}])) for t in texts]
    return [f.result() for f in futures]
"""
    assert findings(source) == []


def test_sync_handler_suggestion_uses_the_sdks_async_form() -> None:
    source = """
import litellm
from flask import Flask

app = Flask(__name__)

@app.route("/answers", methods=["POST"])
def answers(questions):
    return [litellm.completion(model="gpt-5.4-mini", messages=[{"role": "user", "content": q}]) for q in questions]
"""
    found = findings(source)
    assert len(found) == 1
    assert "user-facing handler" in found[0].message
    assert "await litellm.acompletion(...)" in found[0].fix.suggestion
    assert "ThreadPoolExecutor" in found[0].fix.suggestion


def test_fix_is_display_only_with_a_bounded_semaphore_and_a_latency_stake() -> None:
    found = findings(
        ASYNC_OPENAI
        + """
async def run(items):
    for item in items:
        await client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": item}])
""",
        **{"max-concurrency": 3},
    )
    assert len(found) == 1
    fix = found[0].fix
    assert fix.applicability is Applicability.DISPLAY_ONLY and fix.edits == ()
    assert "asyncio.Semaphore(3)" in fix.suggestion
    assert "asyncio.gather(*(one(item) for item in items))" in fix.suggestion
    assert found[0].stake.basis is Basis.LATENCY
    assert found[0].cost is not None and found[0].cost.usd_per_1m_calls is None
