# SPDX-License-Identifier: MIT
"""Bad input: files that cannot be read, decoded or parsed never stop a run.

The tree below holds a syntax error, a Latin-1 file without a coding cookie, a binary file
named `.py`, an empty file, a 5 MB generated file, an unreadable file and symlink loops,
next to two good files. The installed `promptlint calls` must name each problem file with
its reason on stderr, still list every call of the good files, exit 2 and never print a
traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptlint import prefilter
from promptlint.config import Config
from promptlint.engine import analyze_paths

GOOD_OPENAI = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])\n'
GOOD_ANTHROPIC = 'import anthropic\n\nanthropic.Anthropic().messages.create(model="claude-haiku-4-5", max_tokens=10, messages=[])\n'
FIVE_MB = 5 * 1024 * 1024


def promptlint_command() -> list[str]:
    """The installed console script (next to this interpreter, else on PATH), else `-m`."""
    beside = Path(sys.executable).with_name("promptlint")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("promptlint")
    return [found] if found else [sys.executable, "-m", "promptlint"]


def generated_module(size: int, *, sdk: bool) -> str:
    """A big generated module (a lookup table and small functions), with or without an LLM call."""
    parts = ["from openai import OpenAI\nclient = OpenAI()\n"] if sdk else ['"""Generated file. Do not edit."""\n']
    total = 0
    index = 0
    while total < size:
        chunk = (
            f"\nROW_{index} = {{'id': {index}, 'name': 'item-{index}', 'tags': ['a', 'b', 'c'], 'weight': {index * 0.5}}}\n"
            f"def lookup_{index}(key: str) -> object:\n    return ROW_{index}.get(key)\n"
        )
        parts.append(chunk)
        total += len(chunk)
        index += 1
    if sdk:
        parts.append('\nclient.chat.completions.create(model="gpt-4o", messages=[])\n')
    return "".join(parts)


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("bad") / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "good.py").write_text(GOOD_OPENAI, encoding="utf-8")
    (root / "sub" / "good_claude.py").write_text(GOOD_ANTHROPIC, encoding="utf-8")
    # Each problem file mentions an SDK and a call shape, so the prefilter lets it through.
    (root / "syntax_error.py").write_text(
        'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[]\ndef broken(:\n    pass\n',
        encoding="utf-8",
    )
    (root / "latin1.py").write_bytes(
        '# Résumé helper\nfrom openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "café"}])\n'.encode(
            "latin-1"
        )
    )
    (root / "binary.py").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8 + b"import openai\nopenai.OpenAI().chat.completions.create(\x00\xff\xfe" + bytes(range(255, -1, -1)) * 4
    )
    (root / "empty.py").write_bytes(b"")
    (root / "generated.py").write_text(generated_module(FIVE_MB, sdk=False), encoding="utf-8")
    unreadable = root / "unreadable.py"
    unreadable.write_text("from openai import OpenAI\nOpenAI().responses.create(model='gpt-4o', input='x')\n", encoding="utf-8")
    unreadable.chmod(0)
    os.symlink(".", root / "loop", target_is_directory=True)  # tree/loop/loop/... -> tree
    os.symlink("..", root / "sub" / "up", target_is_directory=True)  # tree/sub/up -> tree
    yield root
    unreadable.chmod(0o644)  # let pytest clean up the temporary directory


@pytest.fixture(scope="module")
def json_run(bad_tree: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    completed = run_calls(bad_tree, "--output-format", "json")
    return completed, time.monotonic() - started


@pytest.fixture(scope="module")
def text_run(bad_tree: Path) -> subprocess.CompletedProcess[str]:
    return run_calls(bad_tree)


def run_calls(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*promptlint_command(), "calls", ".", "--no-cache", *extra],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def error_lines(stderr: str) -> dict[str, str]:
    """stderr's `path[:line]: error: reason` lines, by path."""
    found: dict[str, str] = {}
    for line in stderr.splitlines():
        location, marker, reason = line.partition(": error: ")
        if marker:
            found[location.split(":", 1)[0]] = reason
    return found


def test_calls_exits_2_without_traceback(json_run: tuple[subprocess.CompletedProcess[str], float], text_run: subprocess.CompletedProcess[str]) -> None:
    for completed in (json_run[0], text_run):
        assert completed.returncode == 2, completed.stderr
        assert "Traceback" not in completed.stderr and "Traceback" not in completed.stdout


def test_calls_names_each_problem_file_with_its_reason(bad_tree: Path, json_run: tuple[subprocess.CompletedProcess[str], float]) -> None:
    errors = error_lines(json_run[0].stderr)
    assert "syntax error" in errors.pop("syntax_error.py")
    assert "decode" in errors.pop("latin1.py")
    assert "decode" in errors.pop("binary.py")
    if not os.access(bad_tree / "unreadable.py", os.R_OK):
        assert "Permission denied" in errors.pop("unreadable.py")
    assert errors == {}  # the empty file, the 5 MB file and the loops are no errors


def test_calls_still_lists_every_good_call_once(bad_tree: Path, json_run: tuple[subprocess.CompletedProcess[str], float]) -> None:
    completed, elapsed = json_run
    rows = json.loads(completed.stdout)
    listed = sorted((Path(row["filename"]).as_posix(), row["provider"], row["location"]["row"]) for row in rows)
    expected = [("good.py", "openai", 3), ("sub/good_claude.py", "anthropic", 3)]
    if os.access(bad_tree / "unreadable.py", os.R_OK):  # running as root: the file is readable
        expected.append(("unreadable.py", "openai", 2))
    assert listed == sorted(expected)  # each once, though the symlink loops reach them again
    assert elapsed < 120  # the 5 MB file is dismissed by the prefilter, not parsed


def test_text_output_lists_good_calls_and_names_problems(text_run: subprocess.CompletedProcess[str]) -> None:
    lines = text_run.stdout.splitlines()
    assert any(line.startswith("good.py:3:1: openai openai.chat.completions.create model=gpt-4o") for line in lines)
    assert any(line.startswith("sub/good_claude.py:3:1: anthropic anthropic.messages.create") for line in lines)
    assert set(error_lines(text_run.stderr)) >= {"syntax_error.py", "latin1.py", "binary.py"}


def test_syntax_error_names_its_line(text_run: subprocess.CompletedProcess[str]) -> None:
    (line,) = [entry for entry in text_run.stderr.splitlines() if entry.startswith("syntax_error.py:")]
    row = int(line.split(":")[1])
    assert 2 <= row <= 4  # the unclosed call on line 2 runs into `def` on line 3


def test_prefilter_dismisses_a_big_generated_file_quickly() -> None:
    data = generated_module(FIVE_MB, sdk=False).encode()
    started = time.perf_counter()
    assert not prefilter.may_call_sdk(data)
    assert time.perf_counter() - started < 2.0


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even as root (where chmod 000 does not stop reads), a read failure is one error."""
    (tmp_path / "good.py").write_text(GOOD_OPENAI, encoding="utf-8")
    locked = tmp_path / "locked.py"
    locked.write_text(GOOD_OPENAI, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    analyses, errors, _ = analyze_paths([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(Path(e.filename).name, e.reason) for e in errors] == [("locked.py", "cannot read: Permission denied")]
    assert [Path(a.filename).name for a in analyses if a.calls] == ["good.py"]


def test_empty_and_whitespace_files_are_fine(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "blank.py").write_bytes(b"\n\n   \n")
    (tmp_path / "bom.py").write_bytes("\ufeff".encode() + GOOD_OPENAI.encode())
    analyses, errors, count = analyze_paths([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert errors == [] and count == 3
    assert [(Path(a.filename).name, len(a.calls)) for a in analyses] == [("bom.py", 1)]


def test_latin1_with_a_coding_cookie_is_analysed(tmp_path: Path) -> None:
    source = '# -*- coding: latin-1 -*-\nfrom openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "café"}])\n'
    (tmp_path / "cookie.py").write_bytes(source.encode("latin-1"))
    analyses, errors, _ = analyze_paths([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert errors == []
    (call,) = analyses[0].calls
    assert call.messages[0].content is not None and call.messages[0].content.static_text == "café"


def test_a_huge_file_that_may_hold_a_call_is_reported_not_parsed(tmp_path: Path) -> None:
    """libcst needs minutes for a multi-megabyte module: such a file is named, not parsed."""
    from promptlint.engine import MAX_ANALYSED_BYTES

    huge = tmp_path / "generated.py"
    body = "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model='gpt-4o', messages=[])\n"
    filler = "x = 1\n" * (MAX_ANALYSED_BYTES // 6 + 10)
    huge.write_text(body + filler, encoding="utf-8")
    (tmp_path / "small.py").write_text(body, encoding="utf-8")
    analyses, errors, _ = analyze_paths([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [a.filename.endswith("small.py") for a in analyses] == [True]
    assert len(errors) == 1 and errors[0].filename.endswith("generated.py")
    assert "over the 2 MB limit" in errors[0].reason
