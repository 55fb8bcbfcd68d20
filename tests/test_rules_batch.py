"""PRM501 batchable-offline-loop beyond its examples: which entry points count as code
nobody waits on, the negatives, the stake and the suggested batch call."""

from __future__ import annotations

import pytest

from promptlint.checks.batch.batchable_offline_loop import BatchableOfflineLoop
from promptlint.pricing import lookup
from promptlint.rule import Valid
from promptlint.testing import run_example
from promptlint.types import Applicability, Basis, Diagnostic

LOOP = """
    for text in texts:
        client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": text}])
"""


def findings(source: str, files: dict[str, str] | None = None, **options: object) -> list[Diagnostic]:
    run = run_example(BatchableOfflineLoop, Valid(source, files=files or {}, options=options))
    return [d for d in run.diagnostics if d.code == "PRM501"]


@pytest.mark.parametrize(
    ("header", "decorator", "label"),
    [
        ("from celery import Celery\napp = Celery()", "@app.task", "task"),
        ("import click", "@click.command()", "CLI command"),
        ("import dramatiq", "@dramatiq.actor", "dramatiq actor"),
        ("from dagster import asset", "@asset", "dagster asset"),
        ("from airflow.decorators import dag", '@dag(schedule="@daily")', "airflow dag"),
        ("from rq.decorators import job", '@job("default")', "scheduled job"),
    ],
)
def test_background_entry_points(header: str, decorator: str, label: str) -> None:
    source = f"{header}\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n{decorator}\ndef work(texts):{LOOP}"
    found = findings(source)
    assert len(found) == 1
    assert f"code run from a {label}," in found[0].message


def test_rq_enqueued_function_in_another_module_is_background() -> None:
    worker = "from openai import OpenAI\n\nclient = OpenAI()\n\ndef work(texts):" + LOOP
    found = findings(
        "from redis import Redis\nfrom rq import Queue\n\nfrom app.worker import work\n\nQueue(connection=Redis()).enqueue(work, ['a'])\n",
        files={"app/__init__.py": "", "app/worker.py": worker},
    )
    assert [d.filename.endswith("worker.py") for d in found] == [True]
    assert "rq job" in found[0].message


def test_slack_command_is_not_a_cli_command() -> None:
    source = "from slack_bolt import App\nfrom openai import OpenAI\n\napp = App()\nclient = OpenAI()\n\n@app.command('/ask')\ndef ask(texts):" + LOOP
    assert findings(source) == []


def test_helper_reached_from_a_route_and_a_script_is_user_facing() -> None:
    source = f"""
from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()

def work(texts):{LOOP}
@app.post("/work")
def route(texts: list[str]):
    return work(texts)

if __name__ == "__main__":
    work(["a"])
"""
    assert findings(source) == []


def test_platform_clients_and_streams_are_not_flagged() -> None:
    bedrock = """
from anthropic import AnthropicBedrock

client = AnthropicBedrock()

if __name__ == "__main__":
    for text in open("x.txt"):
        client.messages.create(model="claude-haiku-4-5", max_tokens=10, messages=[{"role": "user", "content": text}])
"""
    stream = """
from openai import OpenAI

client = OpenAI()

if __name__ == "__main__":
    for text in open("x.txt"):
        client.chat.completions.create(model="gpt-5.4-mini", stream=True, messages=[{"role": "user", "content": text}])
"""
    assert findings(bedrock) == []
    assert findings(stream) == []


def test_min_requests_applies_to_known_loop_lengths() -> None:
    source = """
from openai import OpenAI

client = OpenAI()

if __name__ == "__main__":
    for n in range(12):
        client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "user", "content": f"Fact {n}"}])
"""
    found = findings(source)
    assert len(found) == 1 and "(12 requests)" in found[0].message
    assert findings(source, **{"min-requests": 20}) == []


def test_stake_sums_the_loops_calls_and_is_priced_at_the_batch_discount() -> None:
    source = """
from anthropic import Anthropic

client = Anthropic()

if __name__ == "__main__":
    for text in open("x.txt"):
        client.messages.create(model="claude-haiku-4-5", max_tokens=100, messages=[{"role": "user", "content": text}])
        client.messages.create(model="claude-haiku-4-5", messages=[{"role": "user", "content": text}])
"""
    found = findings(source, **{"output-tokens": 40})
    assert len(found) == 1 and "2 requests per item" in found[0].message
    stake = found[0].stake
    assert stake.basis is Basis.BATCH and stake.model == "claude-haiku-4-5"
    assert stake.output_tokens == 140  # max_tokens where set, the option elsewhere
    prices = lookup("claude-haiku-4-5")
    expected = 0.5 * (stake.tokens * prices.input + stake.output_tokens * prices.output)
    assert found[0].cost.usd_per_1m_calls == pytest.approx(expected)


def test_fix_names_the_batch_api_and_endpoint_for_the_call() -> None:
    source = """
from openai import OpenAI

llm = OpenAI()

if __name__ == "__main__":
    for text in open("x.txt"):
        llm.responses.create(model="gpt-5.4-mini", input=text)
"""
    found = findings(source)
    fix = found[0].fix
    assert fix.applicability is Applicability.DISPLAY_ONLY and fix.edits == ()
    assert "OpenAI Batch API" in fix.title
    assert 'llm.batches.create(input_file_id=batch_file.id, endpoint="/v1/responses", completion_window="24h")' in fix.suggestion


def test_wrapper_calls_note_that_their_batch_helpers_are_not_discounted() -> None:
    source = """
import litellm

if __name__ == "__main__":
    for text in open("x.txt"):
        litellm.completion(model="gpt-5.4-mini", messages=[{"role": "user", "content": text}])
"""
    found = findings(source)
    assert "client.batches.create" in found[0].fix.suggestion
    assert "litellm.batch_completion" in found[0].fix.suggestion and "no discount" in found[0].fix.suggestion


def test_batch_helpers_themselves_are_not_flagged() -> None:
    source = """
import litellm

if __name__ == "__main__":
    for chunk in open("x.txt"):
        litellm.batch_completion(model="gpt-5.4-mini", messages=[[{"role": "user", "content": chunk}]])
"""
    assert findings(source) == []
