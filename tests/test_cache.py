# SPDX-License-Identifier: MIT
from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptlint.cache import CACHE_DIRNAME, CachedRun, ResultsCache, file_hash
from promptlint.serialize import DecodeError, decode, encode
from promptlint.analysis.results import (
    Argument,
    CallContext,
    FileAnalysis,
    Handler,
    LLMCall,
    Loop,
    Message,
    PromptText,
    Segment,
    SegmentKind,
    StringLiteral,
)
from promptlint.types import Position, Span


def span(row: int) -> Span:
    return Span(Position(row, 1), Position(row, 20))


def rich_analysis(filename: str, dependencies: tuple[tuple[str, str], ...] = ()) -> FileAnalysis:
    literal = StringLiteral(filename, span(3), prefix="r", quote='"""', body="You are \\n helpful")
    system = PromptText(
        (
            Segment(SegmentKind.STATIC, "You are helpful. ", filename, span(3), literal),
            Segment(SegmentKind.TIME, "datetime.now()", filename, span(4)),
        )
    )
    handler = Handler("fastapi", "app.chat", route="POST /chat")
    call = LLMCall(
        filename=filename,
        span=span(10),
        provider="anthropic",
        api="anthropic.messages.create",
        model="claude-sonnet-4-5",
        model_provider="anthropic",
        model_argument=Argument("model", span(10), '"claude-sonnet-4-5"', "claude-sonnet-4-5", True),
        system=system,
        messages=(
            Message("user", PromptText((Segment(SegmentKind.EXTERNAL, "question"),)), span(12), cache_marked=True),
            Message(None, None),
        ),
        max_tokens=1024,
        arguments=(
            Argument("max_tokens", span(11), "1024", 1024, True),
            Argument("temperature", span(11), "0.0", 0.0, True),
            Argument("stream", span(11), "False", False, True),
            Argument("#0", span(11), "x", None, False),
        ),
        insert_at=Position(11, 30),
        context=CallContext(
            function="app.chat",
            is_async_function=True,
            awaited=True,
            loops=(Loop("for", span(9), iterable="items", bound=3, carries_state=True),),
            handler=handler,
            assigned_to=("response",),
            reads=("question", "items"),
        ),
    )
    return FileAnalysis(
        filename=filename,
        calls=(call,),
        handlers=(handler, Handler("__main__ block", "main", user_facing=False)),
        calls_from=(("app.chat", ("app.helper", "app.other")),),
        dependencies=dependencies,
    )


# --------------------------------------------------------------------------- codec

EMPTY_RUN = {"findings": [], "errors": [], "analysed": [], "reported": [], "dependencies": [], "dependents": []}


def test_codec_round_trips_a_file_analysis_through_json() -> None:
    analysis = rich_analysis("app.py")
    restored = decode(FileAnalysis, json.loads(json.dumps(encode(analysis))))
    assert restored == analysis
    arguments = restored.calls[0].arguments
    assert [type(a.literal) for a in arguments] == [int, float, bool, type(None)]
    assert restored.calls[0].system is not None
    assert restored.calls[0].system.segments[1].kind is SegmentKind.TIME


@pytest.mark.parametrize(
    ("tp", "data"),
    [
        (Position, {"row": 1}),  # missing field
        (Position, {"row": 1, "column": 2, "extra": 3}),  # unknown field
        (Position, {"row": True, "column": 2}),  # a bool is not an int
        (Position, [1, 2]),
        (Segment, {"kind": "no-such-kind", "text": ""}),
        (PromptText, {"segments": "abc"}),
        (FileAnalysis, {"filename": "a.py", "calls_from": [["f", "g"]]}),  # inner tuple is not a str
        (FileAnalysis, {"filename": "a.py", "calls_from": [["f", ["g", 2]]]}),  # a name that is a number
        (FileAnalysis, {"filename": "a.py", "calls_from": [["f", ["g", None]]]}),
        (FileAnalysis, {"filename": "a.py", "dependencies": [["b.py", 1]]}),  # a hash that is a number
        (FileAnalysis, {"filename": "a.py", "dependencies": [["b.py"]]}),  # a pair of one
        (CachedRun, {**EMPTY_RUN, "dependents": [[0, [True]]]}),  # a bool is not an index
        (CachedRun, {**EMPTY_RUN, "dependents": [["b.py", ["a.py"]]]}),  # the paths of older entries
    ],
)
def test_codec_rejects_data_of_the_wrong_shape(tp: type, data: object) -> None:
    with pytest.raises(DecodeError):
        decode(tp, data)


# --------------------------------------------------------------------------- cache


def source_file(tmp_path: Path, name: str = "app.py", text: str = "import openai\n") -> tuple[Path, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, file_hash(path.read_bytes())


def test_put_then_get(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    cache = ResultsCache(tmp_path, "fp")
    assert cache.get(path, digest) is None
    analysis = rich_analysis(str(path))
    cache.put(path, digest, analysis)
    assert ResultsCache(tmp_path, "fp").get(path, digest) == analysis


def test_cache_directory_ignores_itself(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    ResultsCache(tmp_path, "fp").put(path, digest, FileAnalysis(str(path)))
    assert (tmp_path / CACHE_DIRNAME / ".gitignore").read_text() == "*\n"
    assert not [p for p in (tmp_path / CACHE_DIRNAME).iterdir() if p.name.startswith(".tmp-")]


def test_changed_content_is_a_miss(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    cache = ResultsCache(tmp_path, "fp")
    cache.put(path, digest, FileAnalysis(str(path)))
    assert cache.get(path, file_hash(b"import anthropic\n")) is None


def test_other_fingerprint_or_version_is_a_miss(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    ResultsCache(tmp_path, "fp", version="1.0").put(path, digest, FileAnalysis(str(path)))
    assert ResultsCache(tmp_path, "other", version="1.0").get(path, digest) is None
    assert ResultsCache(tmp_path, "fp", version="1.1").get(path, digest) is None
    assert ResultsCache(tmp_path, "fp", version="1.0").get(path, digest) == FileAnalysis(str(path))


def test_wrong_version_entry_is_overwritten(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    ResultsCache(tmp_path, "fp", version="1.0").put(path, digest, FileAnalysis(str(path)))
    new = ResultsCache(tmp_path, "fp", version="2.0")
    new.put(path, digest, FileAnalysis(str(path), handlers=(Handler("flask", "f"),)))
    assert new.get(path, digest) == FileAnalysis(str(path), handlers=(Handler("flask", "f"),))


def test_dependency_change_invalidates(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    prompts = tmp_path / "prompts.py"
    prompts.write_text("SYSTEM = 'a'\n")
    relative = tmp_path / "data" / "system.txt"
    relative.parent.mkdir()
    relative.write_text("You are helpful.")
    dependencies = (
        (str(prompts), file_hash(prompts.read_bytes())),
        ("data/system.txt", file_hash(relative.read_bytes())),  # relative to the root
    )
    ResultsCache(tmp_path, "fp").put(path, digest, rich_analysis(str(path), dependencies))
    assert ResultsCache(tmp_path, "fp").get(path, digest) is not None

    relative.write_text("You are very helpful.")
    assert ResultsCache(tmp_path, "fp").get(path, digest) is None
    relative.write_text("You are helpful.")
    assert ResultsCache(tmp_path, "fp").get(path, digest) is not None

    prompts.unlink()
    assert ResultsCache(tmp_path, "fp").get(path, digest) is None


def entry_files(tmp_path: Path) -> list[Path]:
    return list((tmp_path / CACHE_DIRNAME).glob("*.json"))


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda text: text[: len(text) // 2],  # truncated JSON
        lambda text: "\x00\xff garbage",
        lambda text: "[]",
        lambda text: text.replace('"filename"', '"__class__"'),  # foreign shape
        lambda text: text.replace('"row": 10', '"row": "os.system(\'x\')"'),
    ],
)
def test_corrupt_or_foreign_entries_are_misses_and_get_overwritten(tmp_path: Path, corrupt) -> None:  # type: ignore[no-untyped-def]
    path, digest = source_file(tmp_path)
    analysis = rich_analysis(str(path))
    cache = ResultsCache(tmp_path, "fp")
    cache.put(path, digest, analysis)
    (entry,) = entry_files(tmp_path)
    entry.write_text(corrupt(entry.read_text()))
    assert cache.get(path, digest) is None
    cache.put(path, digest, analysis)
    assert cache.get(path, digest) == analysis


def test_disabled_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    ResultsCache(tmp_path, "fp").put(path, digest, FileAnalysis(str(path)))
    disabled = ResultsCache(tmp_path, "fp", enabled=False)
    assert disabled.get(path, digest) is None
    other, other_digest = source_file(tmp_path, "other.py")
    disabled.put(other, other_digest, FileAnalysis(str(other)))
    assert len(entry_files(tmp_path)) == 1


def test_unwritable_cache_does_not_fail(tmp_path: Path) -> None:
    path, digest = source_file(tmp_path)
    blocked = tmp_path / "root"
    blocked.mkdir()
    (blocked / CACHE_DIRNAME).write_text("a file where the directory should be")
    cache = ResultsCache(blocked, "fp")
    cache.put(path, digest, FileAnalysis(str(path)))
    assert cache.get(path, digest) is None


def test_a_whole_run_keeps_its_readers_by_position_and_refuses_one_out_of_range(tmp_path: Path) -> None:
    readers = {"p.txt": ["b.py", "a.py"], "q.py": ["a.py"]}
    run = CachedRun.of((), (), ("a.py", "b.py"), ("a.py",), (("p.txt", ""), ("q.py", "")), readers)
    assert run.readers() == readers
    ResultsCache(tmp_path, "fp").put_run("analyses", "tree", run)
    assert ResultsCache(tmp_path, "fp").get_run("tree") == run
    stored = tmp_path / CACHE_DIRNAME / "findings.json"
    entry = json.loads(stored.read_text(encoding="utf-8"))
    for wrong in ([[0, [0, 2]]], [[0, [-1]]], [[2, [0]]], [[-1, [0]]]):
        entry["run"]["dependents"] = wrong
        stored.write_text(json.dumps(entry), encoding="utf-8")
        assert ResultsCache(tmp_path, "fp").get_run("tree") is None


def test_a_warm_run_names_the_same_readers_of_each_file_as_a_cold_one(tmp_path: Path) -> None:
    from promptlint import engine
    from promptlint.config import Config

    (tmp_path / "prompts.py").write_text('SYSTEM = "Answer in one word."\n', encoding="utf-8")
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("from prompts import SYSTEM\n" + CALLING.replace('"%s"', "SYSTEM"), encoding="utf-8")
    cold = engine.lint([tmp_path], Config(root=tmp_path), jobs=1)
    warm = engine.lint([tmp_path], Config(root=tmp_path), jobs=1)
    assert not warm.analyses  # answered from the last run, nothing analysed
    readers = {path: sorted(Path(p).name for p in found) for path, found in cold.dependents.items()}
    assert readers[str(tmp_path / "prompts.py")] == ["a.py", "b.py"]
    assert {path: sorted(Path(p).name for p in found) for path, found in warm.dependents.items()} == readers


# --------------------------------------------------------------------------- file stats

CALLING = 'from openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt-6-sol", messages=[{"role": "user", "content": "%s"}])\n'


def _lint_counting_reads(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """(names of the files read with Path.read_bytes, the models the run's calls name)."""
    from promptlint import engine
    from promptlint.config import Config

    read: list[str] = []
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        read.append(path.name)
        return real_read_bytes(path)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", read_bytes)
        result = engine.lint([root], Config(root=root), jobs=1)
    return read, sorted(call.model or "" for analysis in result.analyses for call in analysis.calls)


def test_a_warm_run_hashes_only_the_files_whose_stat_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import promptlint.cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # as if the last run were long ago
    (tmp_path / "a.py").write_text(CALLING % "one", encoding="utf-8")
    (tmp_path / "b.py").write_text(CALLING % "two", encoding="utf-8")
    first, _ = _lint_counting_reads(tmp_path, monkeypatch)
    assert {"a.py", "b.py"} <= set(first)
    again, _ = _lint_counting_reads(tmp_path, monkeypatch)
    assert "a.py" not in again and "b.py" not in again
    # Same size, new bytes (no finding reads a source): the change time moved.
    (tmp_path / "b.py").write_text((CALLING % "two").replace("gpt-6-sol", "gpt-6-uno"), encoding="utf-8")
    changed, models = _lint_counting_reads(tmp_path, monkeypatch)
    assert "b.py" in changed and "a.py" not in changed
    assert models == ["gpt-6-sol", "gpt-6-uno"]


def test_a_recorded_hash_is_trusted_only_for_the_same_stat_long_enough_ago(tmp_path: Path) -> None:
    import os

    from promptlint.cache import RACY_NS, FileStats

    path = tmp_path / "a.py"
    path.write_text("x = 1\n", encoding="utf-8")
    info = os.stat(path)
    old = max(info.st_mtime_ns, info.st_ctime_ns)
    entry = {str(path): [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, "h"]}
    assert FileStats(entry, old + RACY_NS + 1).known_hash(str(path), info) == "h"
    racy = FileStats(entry, old + RACY_NS - 1)
    assert racy.known_hash(str(path), info) is None  # racy: changed just before the entry was written
    racy.record(str(path), info, "h")
    assert racy.changed()  # written again, so the next run can trust it
    for field in range(4):
        other = {str(path): [*(x + 1 if i == field else x for i, x in enumerate(entry[str(path)][:4])), "h"]}
        assert FileStats(other, old + RACY_NS + 1).known_hash(str(path), info) is None
    assert FileStats({}, old + RACY_NS + 1).known_hash(str(path), info) is None


def test_a_corrupt_stats_file_is_ignored(tmp_path: Path) -> None:
    cache = ResultsCache(tmp_path, "fp")
    (tmp_path / CACHE_DIRNAME).mkdir()
    (tmp_path / CACHE_DIRNAME / "stats.json").write_text('{"files": {"a": [1]}, "written_ns": 5}', encoding="utf-8")
    stats = cache.file_stats()
    assert stats is not None and not stats.changed()
    assert ResultsCache(tmp_path, "fp", enabled=False).file_stats() is None
