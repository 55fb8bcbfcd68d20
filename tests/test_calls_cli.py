# SPDX-License-Identifier: MIT
"""`promptlint calls`: the call-site inventory, as text and as JSON, and its exit codes.

A small project with one call per SDK is listed through the CLI (in-process with click's
runner, and once through the installed console script); the JSON shape is checked field by
field against issue 2 item 7, locations against the source text.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from promptlint import api, tokens
from promptlint.cli import main
from promptlint.config import Config

PROVIDERS = {"openai", "anthropic", "litellm", "google", "langchain", "pydantic-ai"}

APP = '''\
import litellm
from anthropic import AsyncAnthropic
from google import genai
from langchain_anthropic import ChatAnthropic
from openai import OpenAI
from pydantic_ai import Agent

oai = OpenAI()
claude = AsyncAnthropic()
gemini = genai.Client()
agent = Agent("openai:gpt-4o-mini", instructions="Answer in French.")


def summarize(text: str) -> str:
    return oai.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": "hello world"}, {"role": "user", "content": text}],
    ).choices[0].message.content


async def stream_answer(question: str, model: str):
    async with claude.messages.stream(model=model, max_tokens=100, messages=[{"role": "user", "content": question}]) as s:
        return await s.get_final_message()


def route(question: str):
    return litellm.completion(model="anthropic/claude-haiku-4-5", messages=[{"role": "user", "content": question}])


def gemini_call():
    return gemini.models.generate_content(model="gemini-2.5-flash", contents="hello world")


def chain():
    return ChatAnthropic(model="my-private-finetune").invoke("hello world")


def agent_run(question: str):
    return agent.run_sync(question)
'''

# The expected first token of each call, as a line fragment, in file order.
CALL_STARTS = [
    ("oai.chat.completions.create(", "openai"),
    ("claude.messages.stream(", "anthropic"),
    ("litellm.completion(", "litellm"),
    ("gemini.models.generate_content(", "google"),
    ('ChatAnthropic(model="my-private-finetune").invoke(', "langchain"),
    ("agent.run_sync(", "pydantic-ai"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "notes.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    return tmp_path


def invoke(root: Path, *args: str):
    return CliRunner().invoke(main, ["calls", str(root), "--no-cache", "--jobs", "1", *args], catch_exceptions=False)


def json_rows(root: Path) -> list[dict]:
    result = invoke(root, "--output-format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def expected_location(source: str, fragment: str) -> tuple[int, int]:
    for row, line in enumerate(source.splitlines(), 1):
        if fragment in line:
            return row, line.index(fragment) + 1
    raise AssertionError(fragment)


def test_json_has_the_documented_fields_and_types(project: Path) -> None:
    rows = json_rows(project)
    assert len(rows) == len(CALL_STARTS)
    for row in rows:
        assert isinstance(row["filename"], str) and row["filename"].endswith("app.py")
        assert set(row["location"]) >= {"row", "column"}
        assert all(isinstance(row["location"][k], int) and row["location"][k] >= 1 for k in ("row", "column"))
        assert row["provider"] in PROVIDERS
        assert isinstance(row["api"], str) and row["api"]
        assert row["model"] is None or isinstance(row["model"], str)
        assert isinstance(row["stream"], bool) and isinstance(row["stream_dynamic"], bool)
        assert isinstance(row["prefix_tokens"], int) and row["prefix_tokens"] >= 0
        assert isinstance(row["dynamic_segments"], list)
        for segment in row["dynamic_segments"]:
            assert segment["kind"] in {"time", "random", "external", "unknown"}
        assert row["usd_per_1m_calls"] is None or isinstance(row["usd_per_1m_calls"], (int, float))
    assert {row["provider"] for row in rows} == PROVIDERS


def test_locations_are_the_first_token_of_each_call(project: Path) -> None:
    rows = json_rows(project)
    located = sorted((row["location"]["row"], row["location"]["column"], row["provider"]) for row in rows)
    expected = sorted((*expected_location(APP, fragment), provider) for fragment, provider in CALL_STARTS)
    assert located == expected


def test_models_streams_and_dynamic_segments(project: Path) -> None:
    rows = {row["provider"]: row for row in json_rows(project)}
    assert rows["openai"]["model"] == "gpt-4o" and rows["openai"]["stream"] is False
    assert rows["anthropic"]["model"] is None  # a parameter: dynamic
    assert rows["anthropic"]["stream"] is True
    assert rows["litellm"]["model"] == "claude-haiku-4-5"
    assert rows["google"]["model"] == "gemini-2.5-flash"
    assert rows["langchain"]["model"] == "my-private-finetune"
    assert rows["pydantic-ai"]["model"] == "gpt-4o-mini"
    assert [d["kind"] for d in rows["openai"]["dynamic_segments"]] == ["external"]
    assert [d["expression"] for d in rows["anthropic"]["dynamic_segments"]] == ["question"]
    assert rows["google"]["dynamic_segments"] == []


def test_prefix_tokens_and_price(project: Path) -> None:
    rows = {row["provider"]: row for row in json_rows(project)}
    # "hello world" is two o200k_base tokens (ids 24912, 2375); the user turn is dynamic.
    assert rows["openai"]["prefix_tokens"] == 2
    # gpt-4o input is $2.50 per million tokens: two tokens on every call.
    assert rows["openai"]["usd_per_1m_calls"] == pytest.approx(2 * 2.50)
    assert rows["anthropic"]["usd_per_1m_calls"] is None  # no model, no price
    assert rows["langchain"]["usd_per_1m_calls"] is None  # a model genai-prices does not know
    assert rows["langchain"]["prefix_tokens"] > 0  # the static text is still counted (estimated)


def test_text_output_one_line_per_call(project: Path) -> None:
    result = invoke(project)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(CALL_STARTS)
    for line, (fragment, provider) in zip(sorted(lines, key=lambda l: int(l.split(":")[1])), CALL_STARTS):
        row, column = expected_location(APP, fragment)
        assert line.startswith(f"{project / 'app.py'}:{row}:{column}: {provider} ")
    anthropic_line = next(line for line in lines if " anthropic " in line)
    assert "model=dynamic" in anthropic_line and " stream " in anthropic_line
    openai_line = next(line for line in lines if " openai " in line)
    assert "model=gpt-4o" in openai_line and "no-stream" in openai_line and "$5.00/1M calls" in openai_line


def test_a_stream_decided_at_run_time_is_neither_stream_nor_no_stream(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI()\n"
        "\n"
        "\n"
        "def flagged(question: str, stream: bool):\n"
        "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': question}], stream=stream)\n"
        "\n"
        "\n"
        "def spread(options: dict):\n"
        "    return client.chat.completions.create(**options)\n"
        "\n"
        "\n"
        "def known(question: str):\n"
        "    options = {'model': 'gpt-4o', 'messages': [{'role': 'user', 'content': question}]}\n"
        "    return client.chat.completions.create(**options)\n",
        encoding="utf-8",
    )
    rows = {row["location"]["row"]: row for row in json_rows(tmp_path)}
    assert [(rows[r]["stream"], rows[r]["stream_dynamic"]) for r in (7, 11, 16)] == [(False, True), (False, True), (False, False)]
    lines = {int(line.split(":")[1]): line for line in invoke(tmp_path).stdout.splitlines()}
    assert " stream=dynamic " in lines[7] and " stream=dynamic " in lines[11] and " no-stream " in lines[16]


def test_no_calls_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print('hello')\n", encoding="utf-8")
    result = invoke(tmp_path, "--output-format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    text = invoke(tmp_path)
    assert text.exit_code == 0 and text.stdout == ""
    assert "No LLM calls found." in text.stderr


def test_unparsable_file_exits_two_and_keeps_the_rest(project: Path) -> None:
    (project / "broken.py").write_text("import openai\nopenai.OpenAI().chat.completions.create(\n", encoding="utf-8")
    result = invoke(project, "--output-format", "json")
    assert result.exit_code == 2
    assert len(json.loads(result.stdout)) == len(CALL_STARTS)
    assert f"{project / 'broken.py'}" in result.stderr and "syntax error" in result.stderr


def test_missing_path_exits_two(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["calls", str(tmp_path / "nope"), "--no-cache"])
    assert result.exit_code == 2
    assert "nope" in result.stderr


def test_installed_console_script(project: Path) -> None:
    script = Path(sys.executable).with_name("promptlint")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "promptlint"]
    completed = subprocess.run(
        [*command, "calls", ".", "--output-format", "json", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)
    assert {row["provider"] for row in rows} == PROVIDERS
    assert {row["filename"] for row in rows} == {"app.py"}  # as named from the working directory


def test_runs_with_sockets_forbidden(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Token counting (first load of the BPE ranks included) and analysis never touch the network."""

    def no_network(*args, **kwargs):
        raise AssertionError("promptlint tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(tokens, "_ENCODINGS", {})  # force a fresh, lazy load of the ranks
    assert tokens.count_tokens("hello world", "gpt-4o").tokens == 2
    assert tokens.count_tokens("hello world", "gpt-4").exact
    assert not tokens.count_tokens("hello world", "claude-sonnet-4-5").exact
    rows, errors = api.call_inventory([project], Config(root=project), api.RunOptions(jobs=1, use_cache=False))
    assert errors == [] and {row["provider"] for row in rows} == PROVIDERS


def test_inventory_is_the_same_from_the_cache(tmp_path: Path) -> None:
    """The JSON of a project is the same on a second run, served from the results cache."""
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["calls", str(tmp_path), "--output-format", "json", "--jobs", "1"])
    second = runner.invoke(main, ["calls", str(tmp_path), "--output-format", "json", "--jobs", "1"])
    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_text_listing_marks_loops_and_user_facing_code(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from fastapi import FastAPI\n"
        "from openai import OpenAI\n"
        "app = FastAPI()\n"
        "client = OpenAI()\n"
        "@app.post('/chat')\n"
        "def chat(q: str):\n"
        "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': q}])\n"
        "def nightly(items):\n"
        "    for item in items:\n"
        "        client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': item}])\n",
        encoding="utf-8",
    )
    result = invoke(tmp_path)
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert ":7:" in first and first.endswith("[user-facing POST /chat]")
    assert ":10:" in second and second.endswith("[loop]")
