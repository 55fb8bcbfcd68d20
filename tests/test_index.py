# SPDX-License-Identifier: MIT
"""The project index: summaries survive their JSON store unchanged, lookups across modules
end in "unknown" on cycles and long chains (never a RecursionError), and every lookup is
recorded, including the ones that found nothing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from promptlint.index.project import ABSENT, ProjectIndex, canonical
from promptlint.index.store import SummaryStore, decode_summary, encode_summary


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


RICH_MODULE = '''
    """A module with most of what a summary records."""
    from __future__ import annotations
    import os
    from typing import overload
    from .prompts import *
    from openai import AsyncOpenAI

    __all__ = ["Bot"]
    SYSTEM = "You are " + "brief." * 2
    FEW, SHOTS = "a", "b"

    class Bot:
        model: str = "gpt-4o"

        def __init__(self, client: AsyncOpenAI | None = None, *args, **kwargs):
            self.client = client or AsyncOpenAI()
            self._clients = {}
            self._clients["x"] = AsyncOpenAI()

        @overload
        def ask(self, q: int) -> str: ...
        async def ask(self, q, history=()):
            messages = [{"role": "system", "content": SYSTEM}]
            messages.extend(history)
            messages.append({"role": "user", "content": f"Q: {q!r:>10}"})
            for attempt in range(3):
                if (reply := await self.client.chat.completions.create(model=self.model, messages=messages)):
                    return reply
            return [x async for x in ()]

    def build(context, *, n=3):
        parts = [f"Context: {context}"]
        parts += ["Answer in %d words." % n]
        return "\\n".join(parts)

    if __name__ == "__main__":
        print(build("x"))
'''


def test_a_summary_survives_the_json_store_unchanged(tmp_path: Path) -> None:
    write(tmp_path, {"app/__init__.py": "", "app/prompts.py": "X = 1\n", "app/bot.py": RICH_MODULE})
    index = ProjectIndex(tmp_path)
    summary = index.summary(str(tmp_path / "app" / "bot.py"))
    assert summary is not None and summary.error is None
    encoded = encode_summary(summary)
    decoded = decode_summary(json.loads(json.dumps(encoded)))
    assert encode_summary(decoded) == encoded
    # Both definitions of `ask` are kept: the one that runs under its name.
    assert "Bot.ask" in decoded.functions and any(key.startswith("Bot.ask@") for key in decoded.functions)
    assert decoded.functions["Bot.ask"].is_async


def test_the_store_serves_a_summary_only_for_the_same_bytes(tmp_path: Path) -> None:
    write(tmp_path, {"bot.py": RICH_MODULE})
    store = SummaryStore(tmp_path / "store")
    path = canonical(tmp_path / "bot.py")
    first = ProjectIndex(tmp_path, store=store)
    summary = first.summary(path)
    assert first.parsed == 1
    second = ProjectIndex(tmp_path, store=store)
    assert second.summary(path) is not None and second.parsed == 0  # from the store
    (tmp_path / "bot.py").write_text(RICH_MODULE.replace("brief", "terse"), encoding="utf-8")
    third = ProjectIndex(tmp_path, store=store)
    assert third.summary(path).content_hash != summary.content_hash and third.parsed == 1


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"a.py": "from b import X\n", "b.py": "from a import X\n"}, id="import-cycle"),
        pytest.param({"a.py": "from b import *\n", "b.py": "from a import *\n"}, id="star-import-circle"),
        pytest.param(
            {**{f"m{i}.py": f"from m{i + 1} import X\n" for i in range(50)}, "m50.py": "from m0 import X\n"},
            id="50-deep-re-export-loop",
        ),
        pytest.param({"a.py": "X = X\n"}, id="self-referential-assignment"),
    ],
)
def test_lookups_end_in_unknown_on_cycles(tmp_path: Path, files: dict[str, str]) -> None:
    write(tmp_path, files)
    index = ProjectIndex(tmp_path)
    importer = index.summary(str(tmp_path / "a.py")) if (tmp_path / "a.py").exists() else index.summary(str(tmp_path / "m0.py"))
    symbol = index.lookup(f"{importer.name}.X", importer)
    assert symbol is None or symbol.kind == "binding"


def test_a_long_re_export_chain_resolves(tmp_path: Path) -> None:
    files = {f"m{i}.py": f"from m{i + 1} import X\n" for i in range(40)}
    files["m40.py"] = 'X = "found"\n'
    write(tmp_path, files)
    index = ProjectIndex(tmp_path)
    symbol = index.lookup("m0.X", index.summary(str(tmp_path / "m0.py")))
    assert symbol is not None and symbol.kind == "binding" and symbol.module.name == "m40"


def test_summaries_without_bodies_still_say_where_names_are_defined(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.core import Agent, run\n",
            "pkg/core.py": """
                class Agent:
                    def plan(self, goal):
                        return client.chat.completions.create(model="gpt-4o", messages=[])

                def run(goal):
                    prompt = f"Plan {goal}"
                    return Agent().plan(prompt)
            """,
        },
    )
    full, shallow = ProjectIndex(tmp_path), ProjectIndex(tmp_path, bodies=False)
    for target, kind in (("pkg.run", "function"), ("pkg.Agent", "class"), ("pkg.Agent.plan", "function")):
        found = [index.lookup(target, None) for index in (full, shallow)]
        assert [(symbol.kind, symbol.module.name, symbol.name) for symbol in found] == [(kind, "pkg.core", target.removeprefix("pkg."))] * 2
    core = shallow.summary(str(tmp_path / "pkg" / "core.py"))
    assert set(core.functions) == {"Agent.plan", "run"}
    assert all(not function.calls and set(function.bindings) <= {p.name for p in function.params} for function in core.functions.values())
    assert full.summary(str(tmp_path / "pkg" / "core.py")).functions["run"].calls


def test_lookups_that_find_nothing_are_recorded(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "from helpers import PROMPT\n"})
    index = ProjectIndex(tmp_path)
    index.start_file()
    importer = index.summary(str(tmp_path / "app.py"))
    assert index.lookup("helpers.PROMPT", importer).kind == "external"
    recorded = dict(index.dependencies())
    assert recorded[canonical(tmp_path / "helpers.py")] == ABSENT
    assert recorded[canonical(tmp_path / "helpers" / "__init__.py")] == ABSENT


def test_files_outside_the_project_are_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "prompt.txt").symlink_to(outside)
    index = ProjectIndex(project)
    assert index.read_text_file(str(project / "prompt.txt")) is None
    assert index.read_text_file(str(outside)) is None


# --------------------------------------------------------------------------- garbage collection


def test_analysis_runs_with_automatic_collection_off_and_collects_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a run analyses, Python's automatic collector is off and the young objects are
    collected every FILES_PER_COLLECTION files; afterwards collection is back as it was."""
    import gc

    from promptlint import engine
    from promptlint.config import Config

    write(tmp_path, {
        f"app/job{n}.py": f'''
            from openai import OpenAI

            client = OpenAI()
            print(client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "{n}"}}]))
        '''
        for n in range(5)
    })
    enabled_while_analysing: list[bool] = []
    analyze_file = engine.analyze_file

    def watched(*args):
        enabled_while_analysing.append(gc.isenabled())
        return analyze_file(*args)

    collections: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(engine, "analyze_file", watched)
    monkeypatch.setattr(engine, "FILES_PER_COLLECTION", 2)
    monkeypatch.setattr(engine.gc, "collect", lambda generation=2: (collections.append(generation), collect(generation))[1])
    result = engine.lint([tmp_path], Config(root=tmp_path, select=()), use_cache=False, jobs=1)
    assert len([call for analysis in result.analyses for call in analysis.calls]) == 5
    assert enabled_while_analysing == [False] * 5
    assert collections and set(collections) == {1}
    assert gc.isenabled() and gc.get_freeze_count() == 0


def _read_modules_in_turn(root: Path, count: int, *, lines: int = 1) -> tuple[ProjectIndex, list[str]]:
    """An index that read `count` modules of `lines` lines (about 20 bytes each), each as its own file's
    analysis would, and then began another file (when summaries beyond the bound go)."""
    write(root, {f"app/m{n}.py": f"PROMPT = 'prompt {n}'\n" * lines for n in range(count)})
    index = ProjectIndex(root)
    paths = [canonical(root / "app" / f"m{n}.py") for n in range(count)]
    for path in paths:
        index.start_file()
        assert index.summary(path) is not None
    index.start_file()
    return index, paths


def test_summaries_beyond_the_limit_are_let_go_between_files_and_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from promptlint.index import project

    monkeypatch.setattr(project, "MAX_KEPT_SOURCE_BYTES", 40)  # two of these 19-byte modules
    index, paths = _read_modules_in_turn(tmp_path, 4)
    assert 1 <= len(index._summaries) <= 2
    assert paths[-1] in index._summaries  # the most recently used stay
    symbol = index.lookup("app.m0.PROMPT", None)  # let go, and read again
    assert symbol is not None and symbol.module is not None and symbol.module.path == paths[0]


def test_many_small_summaries_are_all_kept(tmp_path: Path) -> None:
    """The bound is the size of the sources, not their number: a project of many small
    modules (deepeval's are 6 KB on average) keeps every summary from file to file, so a
    wrapper round that reads a file again does not parse it again."""
    index, paths = _read_modules_in_turn(tmp_path, 400, lines=50)
    parsed = index.parsed
    for path in paths:
        index.start_file()
        index.summary(path)
    assert index.parsed == parsed == 400
