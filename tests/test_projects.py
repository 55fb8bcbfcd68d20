# SPDX-License-Identifier: MIT
"""Multi-file fixture projects: clients, prompts and handlers in different modules.

`tests/fixtures/projects/` holds small realistic apps. Each test copies one into a fresh
directory (so the results cache and any edit stay out of the checkout) and analyses it
through the engine, as `promptlint calls` and `promptlint check` do.

- `support_bot/`: a flat package. Clients are built in `clients.py`, prompt constants and a
  prompt helper live in `prompts.py`, a template in `templates/digest.txt`; every call is in
  `llm.py` (relative imports), reached from FastAPI routes in `web.py` (absolute imports)
  and from a cron script's `__main__` block in `scripts/` through a local `main()`.
- `research_agent/`: a `src/` layout. `self.client` is set in `__init__`, a Gemini client
  comes from a helper function in `settings.py`, prompts are re-exported by a package
  `__init__` (`from .prompts import ...`) and one is read from a Markdown file; a Flask
  route calls a method on a module-level instance.
- `llm_gateway/`: every request goes through a project client, `LLMClient.generate`, which
  hands on to `self._send`; a subclass overrides `generate` and delegates; app functions
  write the prompts, one called by a job, one by no one in the project.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from promptlint import api
from promptlint.config import Config
from promptlint.engine import analyze_paths, lint
from promptlint.analysis.results import LLMCall, SegmentKind

FIXTURES = Path(__file__).parent / "fixtures" / "projects"


@pytest.fixture
def support_bot(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "support_bot", tmp_path / "support_bot"))


@pytest.fixture
def llm_gateway(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "llm_gateway", tmp_path / "llm_gateway"))


@pytest.fixture
def research_agent(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "research_agent", tmp_path / "research_agent"))


def calls_of(root: Path, *, use_cache: bool = False, wrappers: bool = False) -> dict[str, LLMCall]:
    """The project's SDK calls (with `wrappers`, its calls of wrapper functions instead)
    after entry-point linking, keyed by `file:function`."""
    result = lint([root], Config(root=root, select=()), use_cache=use_cache, jobs=1)
    assert not result.errors, result.errors
    found: dict[str, LLMCall] = {}
    for analysis in result.analyses:
        for call in analysis.calls:
            if (call.via is not None) != wrappers:
                continue
            relative = Path(os.path.relpath(call.filename, root)).as_posix()
            key = f"{relative}:{(call.context.function or '').rsplit('.', 1)[-1]}"
            assert key not in found
            found[key] = call
    return found


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- support_bot


def test_support_bot_finds_every_call_through_imported_clients(support_bot: Path) -> None:
    calls = calls_of(support_bot)
    assert {key: (c.provider, c.api, c.model, c.stream) for key, c in calls.items()} == {
        "support_bot/llm.py:answer": ("openai", "openai.chat.completions.create", "gpt-4o-mini", False),
        "support_bot/llm.py:triage": ("openai", "openai.chat.completions.create", "gpt-4o-mini", False),
        "support_bot/llm.py:digest": ("anthropic", "anthropic.messages.create", "claude-sonnet-4-5", False),
    }
    # The clients come from clients.py; the calls are async where the client is.
    assert calls["support_bot/llm.py:answer"].context.awaited


def test_support_bot_resolves_imported_prompt_constant(support_bot: Path) -> None:
    call = calls_of(support_bot)["support_bot/llm.py:answer"]
    system, user = call.messages
    assert system.role == "system" and system.content is not None and system.content.is_static
    assert system.content.static_text == (
        "You are the support assistant of Acme Widgets. "
        "Answer politely, in at most three sentences, and never invent order numbers."
    )
    (segment, *_) = system.content.segments
    assert Path(segment.filename or "").name == "prompts.py"
    assert user.content is not None and [s.kind for s in user.content.segments] == [SegmentKind.EXTERNAL]


def test_support_bot_inlines_prompt_helper_from_another_module(support_bot: Path) -> None:
    call = calls_of(support_bot)["support_bot/llm.py:triage"]
    (message,) = call.messages
    assert message.content is not None
    assert message.content.static_prefix == "Classify this ticket as billing, shipping or other:\n\n"
    assert [s.kind for s in message.content.dynamic_segments] == [SegmentKind.EXTERNAL]


def test_support_bot_reads_prompt_from_text_file(support_bot: Path) -> None:
    call = calls_of(support_bot)["support_bot/llm.py:digest"]
    assert call.system is not None and call.system.is_static
    assert call.system.static_text == read(support_bot, "support_bot/templates/digest.txt")


def test_support_bot_handlers_in_another_module_make_calls_user_facing(support_bot: Path) -> None:
    calls = calls_of(support_bot)
    answer, triage, digest = (calls[f"support_bot/llm.py:{name}"] for name in ("answer", "triage", "digest"))
    assert answer.context.handler is not None and answer.context.handler.route == "POST /chat"
    assert answer.context.handler.function == "support_bot.web.chat"
    assert triage.context.handler is not None and triage.context.handler.route == "POST /tickets"
    # The cron script reaches digest() through its own main(): background, nobody waits.
    assert digest.context.handler is None
    assert digest.context.background == "__main__ block"


def test_support_bot_inventory_rows(support_bot: Path) -> None:
    rows, errors = api.call_inventory([support_bot], Config(root=support_bot), api.RunOptions(jobs=1, use_cache=False))
    assert errors == []
    by_row = {(Path(r["filename"]).name, r["location"]["row"]): r for r in rows}
    llm_source = read(support_bot, "support_bot/llm.py").splitlines()
    answer_row = next(i for i, line in enumerate(llm_source, 1) if "openai_client.chat.completions.create" in line)
    row = by_row[("llm.py", answer_row)]
    assert row["user_facing"] is True and row["handler"] == "POST /chat"
    assert row["location"]["column"] == llm_source[answer_row - 1].index("openai_client") + 1
    assert [d["kind"] for d in row["dynamic_segments"]] == ["external"]
    assert row["prefix_tokens"] > 20  # the imported system prompt counts towards the prefix
    digest = next(r for r in rows if r["model"] == "claude-sonnet-4-5")
    assert digest["user_facing"] is False and digest["background"] == "__main__ block"


def test_support_bot_wrapper_calls_carry_the_prompt_as_the_caller_writes_it(support_bot: Path) -> None:
    """llm.answer() forwards its parameter into the SDK call: the route calling it is an LLM
    call site, with the SDK call's prompt read through the argument the route passes."""
    wrappers = calls_of(support_bot, wrappers=True)
    assert {key: (c.via, c.api, c.model) for key, c in wrappers.items()} == {
        "support_bot/web.py:chat": ("support_bot.llm.answer", "openai.chat.completions.create", "gpt-4o-mini"),
        "support_bot/web.py:new_ticket": ("support_bot.llm.triage", "openai.chat.completions.create", "gpt-4o-mini"),
        "scripts/nightly_digest.py:main": ("support_bot.llm.digest", "anthropic.messages.create", "claude-sonnet-4-5"),
    }
    chat = wrappers["support_bot/web.py:chat"]
    assert chat.context.handler is not None and chat.context.handler.route == "POST /chat"
    system, user = chat.messages
    assert system.content is not None and system.content.static_text.startswith("You are the support assistant")
    assert user.content is not None and [(s.kind, s.text) for s in user.content.segments] == [(SegmentKind.EXTERNAL, "question.text")]
    ((where, span),) = chat.related
    assert Path(where).name == "llm.py" and span.start.row == 14
    ticket = wrappers["support_bot/web.py:new_ticket"]
    assert ticket.messages[0].content is not None
    assert ticket.messages[0].content.static_prefix == "Classify this ticket as billing, shipping or other:\n\n"
    assert wrappers["scripts/nightly_digest.py:main"].context.background == "__main__ block"
    # The SDK calls inside the wrappers are judged at their callers.
    assert all(call.wrapped for call in calls_of(support_bot).values())


def test_support_bot_records_cross_module_dependencies(support_bot: Path) -> None:
    analyses, _, _ = analyze_paths([support_bot], Config(root=support_bot), jobs=1, use_cache=False)
    (llm,) = [a for a in analyses if Path(a.filename).name == "llm.py"]
    dependencies = {Path(path).relative_to(support_bot.resolve()).as_posix() for path, _ in llm.dependencies}
    assert {"support_bot/clients.py", "support_bot/prompts.py", "support_bot/templates/digest.txt"} <= dependencies


def test_support_bot_cache_follows_edits_to_imported_prompt(support_bot: Path) -> None:
    before = calls_of(support_bot, use_cache=True)["support_bot/llm.py:answer"]
    prompts = support_bot / "support_bot" / "prompts.py"
    prompts.write_text(read(support_bot, "support_bot/prompts.py").replace("Acme Widgets", "Globex"), encoding="utf-8")
    after = calls_of(support_bot, use_cache=True)["support_bot/llm.py:answer"]
    assert before.system is not None and "Acme Widgets" in before.system.static_text
    assert after.system is not None and "Globex" in after.system.static_text


def test_support_bot_single_file_run_still_resolves_imports(support_bot: Path) -> None:
    """pre-commit passes changed files only: llm.py alone should still see clients and prompts."""
    result = lint([support_bot / "support_bot" / "llm.py"], Config(root=support_bot, select=()), use_cache=False, jobs=1)
    assert not result.errors
    calls = [c for a in result.analyses for c in a.calls if c.via is None]
    assert [c.model for c in calls] == ["gpt-4o-mini", "gpt-4o-mini", "claude-sonnet-4-5"]
    assert calls[2].system is not None and calls[2].system.is_static


def test_single_file_run_resolves_imports_when_the_file_imports_an_sdk(support_bot: Path) -> None:
    """A file named alone is analysed with the whole project around it."""
    job = support_bot / "support_bot" / "triage_job.py"
    job.write_text(
        "import anthropic\n"
        "from .prompts import SYSTEM_PROMPT\n"
        "client = anthropic.Anthropic()\n"
        "def run(text):\n"
        "    return client.messages.create(model='claude-haiku-4-5', max_tokens=5, system=SYSTEM_PROMPT, messages=[])\n",
        encoding="utf-8",
    )
    result = lint([job], Config(root=support_bot, select=()), use_cache=False, jobs=1)
    (call,) = [c for a in result.analyses for c in a.calls]
    assert call.system is not None and call.system.static_text.startswith("You are the support assistant of Acme Widgets.")


@pytest.mark.parametrize("given", ["support_bot/web.py", "scripts/nightly_digest.py"])
def test_a_file_that_only_calls_a_wrapper_is_checked_when_named_alone(support_bot: Path, given: str) -> None:
    """pre-commit passes web.py alone: it imports no SDK and calls llm.answer(), a wrapper
    defined elsewhere; its wrapper calls are still found, as in a run on the whole tree."""
    whole = {key: c.via for key, c in calls_of(support_bot, wrappers=True).items() if key.startswith(given)}
    result = lint([support_bot / given], Config(root=support_bot, select=()), use_cache=False, jobs=1)
    alone = {
        f"{Path(c.filename).resolve().relative_to(support_bot.resolve()).as_posix()}:{(c.context.function or '').rsplit('.', 1)[-1]}": c.via
        for a in result.analyses
        for c in a.calls
        if c.via is not None
    }
    assert whole and alone == whole


def test_a_run_from_above_the_project_resolves_what_its_scripts_import(support_bot: Path) -> None:
    """Without a configuration file the root is the working directory. Run from the folder
    above the project, scripts/nightly_digest.py (in no package) still finds
    `from support_bot import llm` in the project's folder: the same calls, wrappers and
    contexts as a run from inside it."""

    def rows(root: Path) -> list[tuple[str, int, str | None, str | None]]:
        result = lint([support_bot], Config(root=root, select=()), use_cache=False, jobs=1)
        assert not result.errors, result.errors
        return sorted(
            (Path(c.filename).resolve().relative_to(support_bot.resolve()).as_posix(), c.span.start.row, c.via, c.context.background)
            for a in result.analyses
            for c in a.calls
        )

    inside = rows(support_bot)
    assert any(path.startswith("scripts/") for path, *_ in inside)
    assert rows(support_bot.parent) == inside


# --------------------------------------------------------------------------- research_agent


def test_research_agent_src_layout_calls(research_agent: Path) -> None:
    calls = calls_of(research_agent)
    assert {key: (c.provider, c.api, c.model) for key, c in calls.items()} == {
        "src/research_agent/agent.py:plan": ("anthropic", "anthropic.messages.create", "claude-sonnet-4-5"),
        "src/research_agent/agent.py:research": ("anthropic", "anthropic.messages.create", "claude-sonnet-4-5"),
        # A client returned by a helper in settings.py, stored on self in __init__.
        "src/research_agent/agent.py:summarize": ("google", "google.models.generate_content", "gemini-2.5-flash"),
    }


def test_research_agent_route_calls_a_wrapper_method_on_an_instance(research_agent: Path) -> None:
    """`agent.plan(question)` on a module-level `ResearchAgent()`: a method forwarding its
    parameter into the SDK call, so the route is an LLM call site with the method's prompt."""
    (route,) = calls_of(research_agent, wrappers=True).values()
    assert route.via == "research_agent.agent.ResearchAgent.plan"
    assert route.model == "claude-sonnet-4-5"
    assert route.context.handler is not None and route.context.handler.route == "POST /research"
    assert route.system is not None and route.system.static_text == read(research_agent, "src/research_agent/prompts/files/planner.md")


def test_research_agent_prompts_through_reexporting_package(research_agent: Path) -> None:
    calls = calls_of(research_agent)
    plan = calls["src/research_agent/agent.py:plan"]
    assert plan.system is not None and plan.system.is_static
    assert plan.system.static_text == read(research_agent, "src/research_agent/prompts/files/planner.md")

    research = calls["src/research_agent/agent.py:research"]
    assert research.system is not None
    assert research.system.static_prefix == (
        "You are a meticulous research assistant.\nCite every source you use with its URL.\nToday is "
    )
    assert [s.kind for s in research.system.dynamic_segments] == [SegmentKind.TIME]


def test_research_agent_route_calling_a_method_is_user_facing(research_agent: Path) -> None:
    calls = calls_of(research_agent)
    plan = calls["src/research_agent/agent.py:plan"]
    assert plan.context.handler is not None
    assert plan.context.handler.route == "POST /research"
    assert plan.context.handler.framework == "flask"
    # research() and summarize() are not called from the route.
    assert calls["src/research_agent/agent.py:research"].context.handler is None
    assert calls["src/research_agent/agent.py:summarize"].context.handler is None


def test_research_agent_through_a_symlinked_directory(research_agent: Path, tmp_path: Path) -> None:
    """A tree reached through a symlink is still one project: imports and prompt files resolve."""
    link_root = tmp_path / "linked"
    link_root.mkdir()
    (link_root / "src").symlink_to(research_agent / "src", target_is_directory=True)
    calls = calls_of(link_root)
    plan = calls["src/research_agent/agent.py:plan"]
    assert plan.model == "claude-sonnet-4-5"
    assert plan.system is not None and plan.system.is_static


# --------------------------------------------------------------------------- llm_gateway


def test_llm_gateway_calls_are_where_the_prompts_are_written_not_in_the_plumbing(llm_gateway: Path) -> None:
    """Of the wrapper calls, those that forward their function's parameters are hops: one
    whose callers were found (`summarize`), one that adds no prompt text of its own
    (`summarize_quietly`, called by no one), methods calling a method of their own object
    (`generate`, `generate_stream`, the latter called by no one) and an override of a
    called wrapper method (`FallbackClient.generate`). The others are call sites: the job's
    call, and `headline`, which has no caller in the project but writes prompt text."""
    wrappers = calls_of(llm_gateway, wrappers=True)
    assert {key: (c.via, c.wrapped) for key, c in wrappers.items()} == {
        "app/jobs.py:nightly": ("app.summaries.summarize", False),
        "app/summaries.py:headline": ("app.summaries.summarize", False),
        "app/summaries.py:summarize": ("gateway.base.LLMClient.generate", True),
        "app/summaries.py:summarize_quietly": ("app.summaries.summarize", True),
        "gateway/base.py:generate": ("gateway.base.LLMClient._send", True),
        "gateway/base.py:generate_stream": ("gateway.base.LLMClient._send", True),
        "gateway/fallback.py:generate": ("gateway.base.LLMClient.generate", True),
    }
    headline = wrappers["app/summaries.py:headline"]
    system, user = headline.messages
    assert system.content is not None and system.content.static_text == "Summarize the text in three bullet points."
    assert user.content is not None and user.content.static_prefix == "Write a headline for this article:\n"
    rows = api.call_inventory([llm_gateway], Config(root=llm_gateway))[0]
    assert sorted((row["filename"].split("llm_gateway/")[-1], row["via"]) for row in rows) == [
        ("app/jobs.py", "app.summaries.summarize"),
        ("app/summaries.py", "app.summaries.summarize"),
        ("gateway/base.py", None),
    ]
