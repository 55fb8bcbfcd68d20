"""Reading a large tree in forked processes (`forked.Child`, `engine._read`): the same files,
hashes and selection facts as reading it in one, in the same order, and the reading done
here when a child fails."""

from __future__ import annotations

import os
import signal
from dataclasses import astuple
from pathlib import Path

import pytest

from promptlint import engine, forked
from promptlint.config import Config

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="forks only on Linux with one thread")


def _tree(root: Path, count: int) -> Path:
    for number in range(count):
        folder = root / f"pkg{number % 7}"
        folder.mkdir(exist_ok=True)
        body = "import openai\nclient = openai.OpenAI()\nclient.chat.completions.create(model='gpt-4o')\n" if number % 5 == 0 else f"x = {number}\n"
        (folder / f"m{number}.py").write_text(body, encoding="utf-8")
    (root / "pkg3" / "unreadable.py").write_text("x = 1\n", encoding="utf-8")
    os.chmod(root / "pkg3" / "unreadable.py", 0)
    return root


def _facts(tree: engine.Tree) -> list[tuple]:
    return [astuple(file) for file in tree.project_files]


def test_a_tree_read_in_several_processes_is_read_as_in_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, 60)
    monkeypatch.setattr(engine, "PARALLEL_READ_FILES", 10)
    config = Config(root=root)
    alone = engine.gather([root], config, jobs=1)
    shared = engine.gather([root], config, jobs=3)
    assert _facts(shared) == _facts(alone)
    assert [f.path for f in shared.project_files] == sorted(f.path for f in shared.project_files)
    assert sum(f.spells_call for f in shared.project_files) == 12
    if os.geteuid() != 0:  # root reads any file
        assert [e.filename for e in shared.errors] == [e.filename for e in alone.errors] != []


def test_a_child_that_dies_leaves_its_share_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, 40)
    monkeypatch.setattr(engine, "PARALLEL_READ_FILES", 10)

    def dies(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    parent, real = os.getpid(), engine._read_all
    monkeypatch.setattr(engine, "_read_all", dies)
    shared = engine.gather([root], Config(root=root), jobs=2)
    monkeypatch.setattr(engine, "_read_all", real)
    assert _facts(shared) == _facts(engine.gather([root], Config(root=root), jobs=1))


def test_a_child_result_is_what_its_work_returned_or_none() -> None:
    assert forked.Child(lambda: {"files": [1, 2]}).result() == {"files": [1, 2]}

    def fails() -> object:
        raise ValueError("a bug in the work")

    assert forked.Child(fails).result() is None
