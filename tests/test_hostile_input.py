# SPDX-License-Identifier: MIT
"""Acceptance tests of issue 12: hostile input never costs a result.

Each test builds a temporary project holding one hostile file beside `good.py` (one SDK
call) and runs the installed `promptlint` command in a subprocess held to what a user may
expect of a linter: at most LIMIT_SECONDS of wall time and LIMIT_BYTES of memory (an
address-space limit set in the child, and its peak resident set measured by `wait4`, which
includes the worker processes). Every run must then

- exit 0, 1 or 2 (not be killed, by the limit or by a signal),
- print no traceback,
- still list the good file's call (`promptlint calls`),
- name the hostile file: list its call, or report it on an `error:` line with a reason
  that is not "internal error" (a reason of ours, never a fault of the input),
- and write valid JSON (UTF-8) with `--output-format json`.

The first table below is issue 12's table, one test per row, followed by three one-line
inputs bench/fuzz.py found beyond it; the tests after them are the
items of "More from the same fuzzing" in discovery, fixes, configuration and the CLI. The
other items (flat code reported as too deep, `--diff` parsing everything, path spelling,
NUL bytes in imports, prompt files outside the root, a dying worker, the 50 MB module under
`--fix --diff`) belong to the analysis core and are in `test_hostile_core.py`.

`run_limited` and `Limited` are shared with `test_fuzz.py`.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROMPTLINT = Path(sys.executable).parent / "promptlint"
LIMIT_SECONDS = 20
LIMIT_BYTES = 1 << 30
TRACEBACK = b"Traceback (most recent call last)"

GOOD = (
    "from openai import OpenAI\n"
    "\n"
    "client = OpenAI()\n"
    'client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Say hi."}])\n'
)
GOOD_CALL_ROW = 4
# What makes a hostile file a candidate (an SDK import and a call shape), with the call
# that takes the hostile prompt.
SDK_HEAD = "from openai import OpenAI\n\nclient = OpenAI()\n"
SDK_CALL = 'client.chat.completions.create(model="gpt-4.1-mini", messages=[{{"role": "system", "content": {prompt}}}])\n'


# --------------------------------------------------------------------------- running


@dataclass
class Limited:
    """A finished (or killed) run of the installed command under the limits."""

    args: tuple[str, ...]
    code: int | None  # None: killed at the time limit; negative: ended by that signal
    out: bytes
    err: bytes
    seconds: float
    peak_rss: int  # bytes: the largest resident set of the command or any of its workers
    most_processes: int  # the most processes of the run alive at once (the command and its workers)

    @property
    def name(self) -> str:
        return "promptlint " + " ".join(self.args)

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    def problems(self) -> list[str]:
        """What went wrong with the run itself, one line each ([] when nothing did)."""
        found = []
        if self.code is None:
            found.append(f"{self.name}: still running after {LIMIT_SECONDS} s, killed")
        elif self.code < 0:
            found.append(f"{self.name}: ended by {signal.Signals(-self.code).name} (exit {128 - self.code})")
        elif self.code not in (0, 1, 2):
            found.append(f"{self.name}: exit code {self.code}: {_last_line(self.err)}")
        if self.peak_rss > LIMIT_BYTES:
            found.append(f"{self.name}: peak memory {self.peak_rss / 2**20:.0f} MiB (limit {LIMIT_BYTES / 2**20:.0f} MiB)")
        for stream in (self.out, self.err):
            if TRACEBACK in stream:
                found.append(f"{self.name}: traceback: {_last_line(stream)}")
        return found

    def json(self) -> Any:
        """The standard output as JSON; raises ValueError (UnicodeDecodeError included) when it is not."""
        return json.loads(self.out.decode("utf-8"))

    def json_problem(self) -> str | None:
        try:
            self.json()
        except ValueError as error:
            return f"{self.name}: output is not valid JSON: {type(error).__name__}: {str(error)[:200]}"
        return None

    def error_lines(self) -> dict[str, str]:
        """stderr's `path[:line]: error: reason` lines, reason by path."""
        found = {}
        for line in self.stderr.splitlines():
            location, marker, reason = line.partition(": error: ")
            if marker:
                found[re.sub(r"(:\d+)+$", "", location)] = reason
        return found


def _last_line(stream: bytes) -> str:
    lines = [line for line in stream.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _processes_in_session(session: int) -> int:
    """How many processes belong to the session (the command and the workers it started)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # after "pid (comm)": state, ppid, pgrp, session
            count += 1
    return count


def run_limited(
    *args: str,
    cwd: Path,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = LIMIT_SECONDS,
) -> Limited:
    """Run the installed `promptlint` with `args` under the time and memory limits.

    The command runs in its own session, so the workers it starts are counted and, at the
    time limit, killed with it. Output goes through files: polling `wait4` for the peak
    resident set must not wait on full pipes.
    """
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    count_processes = os.path.isdir("/proc/self")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        given.write(stdin or b"")
        given.seek(0)
        started = time.monotonic()
        process = subprocess.Popen(
            [str(PROMPTLINT), *args],
            cwd=cwd,
            stdin=given,
            stdout=out,
            stderr=err,
            env=environment,
            preexec_fn=_limit_memory,
            start_new_session=True,
        )
        most = 1
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if count_processes:
                most = max(most, _processes_in_session(process.pid))
            if time.monotonic() - started > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        try:
            os.killpg(process.pid, signal.SIGKILL)  # workers the command left behind
        except (ProcessLookupError, PermissionError):
            pass
        out.seek(0)
        err.seek(0)
        return Limited(
            args,
            None if timed_out else process.returncode,
            out.read(),
            err.read(),
            seconds,
            usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024),
            most,
        )


def run_all(cwd: Path, *runs: tuple[str, ...]) -> list[Limited]:
    """Each run in turn; after one that hits the time limit the rest are not started (the
    test fails already, and each would cost the limit again on a shared machine)."""
    done = []
    for args in runs:
        done.append(run_limited(*args, cwd=cwd))
        if done[-1].code is None:
            break
    return done


def call_rows(run: Limited) -> set[tuple[str, int]]:
    """(file, row) of each call in a `calls --output-format json` run."""
    return {(row["filename"], row["location"]["row"]) for row in run.json()}


# --------------------------------------------------------------------------- the table


def _long_concatenation() -> str:
    # A 1 MB line: a 250,000-term string concatenation.
    return SDK_HEAD + "PROMPT = " + "+".join(['"a"'] * 250_000) + "\n" + SDK_CALL.format(prompt="PROMPT")


def _deep_brackets() -> str:
    return SDK_HEAD + "DATA = " + "[" * 5_000 + "]" * 5_000 + "\n" + SDK_CALL.format(prompt='"Be brief."')


def _helper_along_many_paths() -> str:
    # Each helper calls the one below twice: 2**14 paths lead to `h0`'s parameter, each
    # binding it anew. Classifying the prompt's dynamic part walked every path and took
    # the call's whole budget: the call was lost.
    helpers = "def h0(x):\n    return x\n\n\n" + "".join(f"def h{i}(x):\n    return [h{i - 1}(x), h{i - 1}(x)]\n\n\n" for i in range(1, 15))
    return SDK_HEAD + "\n\n" + helpers + SDK_CALL.format(prompt="str(h14(input()))")


def _self_calling_helper() -> str:
    return (
        SDK_HEAD
        + "\n\ndef build() -> str:\n"
        + '    return f"{build()}{build()}{build()}{build()}"\n\n\n'
        + SDK_CALL.format(prompt="build()")
    )


def _repeated_text() -> str:
    return SDK_HEAD + 'A = "ab" * 1000\nB = A * 1000\nC = B * 1000\n' + SDK_CALL.format(prompt="C")


def _lone_surrogates() -> str:
    # Valid Python: the escapes make strings holding lone surrogates, which no UTF-8 output can hold.
    return (
        SDK_HEAD
        + 'PROMPT = "Answer in one word \\ud800 or two \\udfff."\n'
        + 'client.chat.completions.create(model="gpt-4o\\ud800", messages=[{"role": "system", "content": PROMPT}])\n'
    )


def _huge_int_in_fstring() -> str:
    return SDK_HEAD + 'PROMPT = f"Pick {' + "7" * 5_000 + '} apples."\n' + SDK_CALL.format(prompt="PROMPT")


@dataclass(frozen=True)
class Row:
    """One row of the table: the hostile file, and whether it must be analysed (its call
    listed) or may instead be reported as not analysed, with a reason."""

    name: str
    source: Callable[[], str]
    must_be_analysed: bool


TABLE = [
    # CPython refuses these two (RecursionError, "too many nested parentheses"): reporting
    # the file with a reason is right, analysing it is welcome.
    Row("long_concatenation", _long_concatenation, must_be_analysed=False),
    Row("deep_brackets", _deep_brackets, must_be_analysed=False),
    # Valid programs whose prompts are merely unbounded or huge: budgets make them
    # "unknown" or "about N tokens", never a lost file.
    Row("self_calling_helper", _self_calling_helper, must_be_analysed=True),
    Row("helper_along_many_paths", _helper_along_many_paths, must_be_analysed=True),
    Row("repeated_text", _repeated_text, must_be_analysed=True),
    Row("lone_surrogates", _lone_surrogates, must_be_analysed=True),
    # CPython 3.11 refuses a 5,000-digit literal ("Exceeds the limit (4300 digits)"): a
    # syntax error of the file is a reason, an internal error is not.
    Row("huge_int_in_fstring", _huge_int_in_fstring, must_be_analysed=False),
]


def _nested_dicts() -> str:
    return SDK_HEAD + "DATA = " + "{'k': " * 1_000 + "1" + "}" * 1_000 + "\n" + SDK_CALL.format(prompt='"Be brief."')


def _many_nots() -> str:
    return SDK_HEAD + "FLAG = " + "not " * 20_000 + "x\n" + SDK_CALL.format(prompt='"Be brief."')


def _long_attribute_chain() -> str:
    return SDK_HEAD + "VALUE = x" + ".a" * 5_000 + "\n" + SDK_CALL.format(prompt='"Be brief."')


# Found by bench/fuzz.py (500 programs, seed 1) and cut down to one line by hand: today a
# 1,000-deep dict takes 11 s and 1.5 GB before "too deeply nested", 20,000 `not`s end the
# run in SIGSEGV, and a 5,000-link attribute chain runs past 30 s.
FUZZ_FOUND = [
    Row("nested_dicts", _nested_dicts, must_be_analysed=False),
    Row("many_nots", _many_nots, must_be_analysed=False),
    Row("long_attribute_chain", _long_attribute_chain, must_be_analysed=False),
]


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.py").write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def hostile_file_problems(hostile: str, calls_json: Limited, must_be_analysed: bool) -> list[str]:
    """Whether the hostile file is named: its call listed, or an error line with a reason."""
    listed = {name for name, _ in call_rows(calls_json)}
    reason = calls_json.error_lines().get(hostile)
    if hostile in listed and reason is None:
        return []
    if reason is None:
        return [f"{calls_json.name}: {hostile} is neither listed nor reported with a reason"]
    if "internal error" in reason:
        return [f"{calls_json.name}: {hostile} reported as our bug: {reason[:300]}"]
    if must_be_analysed:
        return [f"{calls_json.name}: {hostile} is valid Python yet not analysed: {reason[:300]}"]
    return []


@pytest.mark.parametrize("row", TABLE + FUZZ_FOUND, ids=[row.name for row in TABLE + FUZZ_FOUND])
def test_hostile_file_beside_a_good_one_costs_nothing(tmp_path: Path, row: Row) -> None:
    hostile = f"{row.name}.py"
    project = make_project(tmp_path / "project", {hostile: row.source()})
    runs = run_all(
        project,
        ("calls", ".", "--no-cache", "--output-format", "json"),
        ("calls", ".", "--no-cache"),
        ("check", ".", "--no-cache", "--output-format", "json"),
        ("check", ".", "--no-cache"),
    )
    problems = [problem for run in runs for problem in run.problems()]
    if len(runs) < 4:
        problems.append(f"(the {4 - len(runs)} later runs were not started)")
    for run in runs:
        if run.code is not None and "--output-format" in run.args and (problem := run.json_problem()):
            problems.append(problem)
    calls_json = runs[0]
    if calls_json.code is not None and calls_json.json_problem() is None:
        if ("good.py", GOOD_CALL_ROW) not in call_rows(calls_json):
            problems.append(f"{calls_json.name}: the good file's call is not listed")
        problems += hostile_file_problems(hostile, calls_json, row.must_be_analysed)
    if len(runs) > 1 and runs[1].code is not None and f"good.py:{GOOD_CALL_ROW}:" not in runs[1].stdout:
        problems.append(f"{runs[1].name}: the good file's call is not listed")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- more from the same fuzzing

FILLER_CALL = (
    SDK_HEAD
    + 'client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "system", "content": '
    '"You are a helpful AI assistant. Please note that you must answer in one short sentence. '
    'In order to keep the dashboard tidy, do not add greetings or sign-offs."}])'
)


def assert_healthy(*runs: Limited) -> None:
    problems = [problem for run in runs for problem in run.problems()]
    assert not problems, "\n".join(problems)


BYTE_NAMES = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")


@BYTE_NAMES
@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, fmt: str) -> None:
    project = make_project(tmp_path / "project", {})
    with open(os.path.join(os.fsencode(project), b"r\xe9sum\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(FILLER_CALL + "\n")
    run = run_limited("check", ".", "--no-cache", "--output-format", fmt, cwd=project)
    assert_healthy(run)
    assert run.code == 1, run.stderr
    if fmt in ("json", "sarif", "gitlab"):
        assert run.json_problem() is None, run.json_problem()
    if fmt == "junit":
        ElementTree.fromstring(run.out)
    assert "sum" in run.out.decode("utf-8", "replace"), "the file's findings are missing"


@BYTE_NAMES
def test_a_file_name_that_is_not_utf8_is_discovered_and_its_call_listed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {})
    with open(os.path.join(os.fsencode(project), b"caf\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    listing = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    text = run_limited("calls", ".", "--no-cache", cwd=project)
    assert_healthy(listing, text)
    assert listing.code == text.code == 0, listing.stderr
    names = {name for name, _ in call_rows(listing)}
    assert len(names) == 2 and "good.py" in names
    (other,) = names - {"good.py"}
    assert other.startswith("caf") and other.endswith(".py")
    assert len([line for line in text.stdout.splitlines() if line.startswith("caf")]) == 1


@BYTE_NAMES
def test_a_newline_in_a_file_name_does_not_split_a_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"new\nline.py": FILLER_CALL + "\n"})
    reference = run_limited("check", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(reference)
    findings = reference.json()
    assert any("line.py" in finding["filename"] for finding in findings)
    for fmt, one_line in (("concise", r".+:\d+:\d+: PRM\d{3} "), ("github", r"::(error|warning|notice) ")):
        run = run_limited("check", ".", "--no-cache", "--output-format", fmt, cwd=project)
        assert_healthy(run)
        lines = [line for line in run.stdout.splitlines() if re.match(one_line, line)]
        assert len(lines) == len(findings), run.stdout
        assert not any(line.startswith("line.py") for line in run.stdout.splitlines()), run.stdout
    text = run_limited("check", ".", "--no-cache", cwd=project)
    assert_healthy(text)
    assert not any(line.startswith("line.py:") for line in text.stdout.splitlines()), text.stdout


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("command", ["calls", "check"])
def test_a_named_symlink_loop_is_reported_and_the_run_goes_on(tmp_path: Path, command: str) -> None:
    project = make_project(tmp_path / "project", {})
    os.symlink("loop_b.py", project / "loop_a.py")
    os.symlink("loop_a.py", project / "loop_b.py")
    run = run_limited(command, "good.py", "loop_a.py", "--no-cache", cwd=project)
    assert_healthy(run)
    assert run.code == 2
    assert "symbolic link loop" in run.error_lines().get("loop_a.py", ""), run.stderr
    if command == "calls":
        assert f"good.py:{GOOD_CALL_ROW}:" in run.stdout


@pytest.mark.parametrize("command", ["calls", "check"])
def test_a_wrapper_provider_of_the_wrong_type_is_a_configuration_error(tmp_path: Path, command: str) -> None:
    project = make_project(tmp_path / "project", {})
    (project / "promptlint.toml").write_text('[wrappers."app.llm.ask"]\nprovider = ["openai"]\n', encoding="utf-8")
    run = run_limited(command, ".", "--no-cache", cwd=project)
    assert_healthy(run)
    assert run.code == 2
    assert (
        "promptlint: error: promptlint.toml: 'provider' in [tool.promptlint.wrappers.\"app.llm.ask\"] must be a string"
        in run.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", ["calls", "check"])
def test_a_named_pipe_named_on_the_command_line_does_not_hang_the_run(tmp_path: Path, command: str) -> None:
    project = make_project(tmp_path / "project", {})
    os.mkfifo(project / "pipe.py")
    run = run_limited(command, "good.py", "pipe.py", "--no-cache", cwd=project)
    assert_healthy(run)
    assert run.code == 2
    assert run.error_lines().get("pipe.py") == "not a regular file (a named pipe)", run.stderr
    if command == "calls":
        assert f"good.py:{GOOD_CALL_ROW}:" in run.stdout


def test_a_file_given_twice_is_reported_once(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"prompts.py": FILLER_CALL + "\n"})
    once = run_limited("check", "prompts.py", "--no-cache", "--output-format", "json", cwd=project)
    spellings = ("prompts.py", "./prompts.py", str(project / "prompts.py"), "../project/prompts.py")
    twice = run_limited("check", *spellings, "--no-cache", "--output-format", "json", cwd=project)
    listing = run_limited("calls", *spellings, "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(once, twice, listing)
    assert once.json() and len(twice.json()) == len(once.json())
    assert len(listing.json()) == 1


def test_worker_count_is_capped_at_the_files_and_cores(tmp_path: Path) -> None:
    # The issue's `-j 1000` starts a thousand processes; 64 shows the cap as well without
    # risking the shared machine.
    files = {f"mod_{index}.py": GOOD for index in range(20)}
    project = make_project(tmp_path / "project", files)
    run = run_limited("calls", ".", "--no-cache", "-j", "64", cwd=project)
    assert_healthy(run)
    assert run.code == 0
    cap = min(len(files) + 1, os.cpu_count() or 1)
    assert run.most_processes <= 1 + cap + 1, f"{run.most_processes} processes for {cap} workers at most"


def test_one_file_that_crashes_the_parser_costs_one_file_in_the_worker_pool(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"mod_{index}.py": GOOD for index in range(20)}
    files["deep_brackets.py"] = _deep_brackets()
    project = make_project(tmp_path / "project", files)
    run = run_limited("calls", ".", "--no-cache", "-j", "2", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert run.json_problem() is None, run.json_problem()
    listed = call_rows(run)
    assert {(f"mod_{index}.py", GOOD_CALL_ROW) for index in range(20)} <= listed
    assert ("deep_brackets.py", GOOD_CALL_ROW) in listed or "deep_brackets.py" in run.error_lines()


def _inode_owner_links(path: Path) -> tuple[int, int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_uid, info.st_gid, info.st_nlink


def test_fix_keeps_hard_links(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"prompts.py": FILLER_CALL + "\n"})
    os.link(project / "prompts.py", tmp_path / "twin.py")  # outside the project: only one name is linted
    before = _inode_owner_links(project / "prompts.py")
    run = run_limited("check", "prompts.py", "--no-cache", "--fix", "--unsafe-fixes", "--select", "PRM101", cwd=project)
    assert_healthy(run)
    assert run.code == 0, run.stdout + run.stderr
    fixed = (project / "prompts.py").read_bytes()
    assert fixed != (FILLER_CALL + "\n").encode()
    assert (tmp_path / "twin.py").read_bytes() == fixed
    assert _inode_owner_links(project / "prompts.py") == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_fix_as_root_keeps_the_owner_and_group(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"prompts.py": FILLER_CALL + "\n"})
    os.chown(project / "prompts.py", 4321, 8765)
    os.chmod(project / "prompts.py", 0o640)
    run = run_limited("check", "prompts.py", "--no-cache", "--fix", "--unsafe-fixes", "--select", "PRM101", cwd=project)
    assert_healthy(run)
    assert run.code == 0, run.stdout + run.stderr
    info = (project / "prompts.py").stat()
    assert (project / "prompts.py").read_bytes() != (FILLER_CALL + "\n").encode()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (4321, 8765, 0o640)


def test_an_unclosed_ignore_bracket_does_not_silence_other_codes(tmp_path: Path) -> None:
    source = FILLER_CALL.replace('model="gpt-4.1-mini"', 'model="gpt-3.5-turbo"') + "  # promptlint: ignore[PRM402\n"
    project = make_project(tmp_path / "project", {"prompts.py": source})
    run = run_limited("check", "prompts.py", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert "PRM101" in {finding["code"] for finding in run.json()}, run.stdout


def test_stdin_filename_naming_a_directory_does_not_lint_the_directory(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {})
    (project / "pkg").mkdir()
    (project / "pkg" / "inside.py").write_text(FILLER_CALL + "\n", encoding="utf-8")
    run = run_limited("check", "--no-cache", "--stdin-filename", "pkg", cwd=project, stdin=GOOD.encode())
    assert_healthy(run)
    assert "inside.py" not in run.stdout, run.stdout
    assert run.code == 2 and "directory" in run.stderr, run.stderr


def test_runner_reports_what_it_measures(tmp_path: Path) -> None:
    """The harness itself: a healthy run passes, and its numbers are real."""
    project = make_project(tmp_path / "project", {})
    run = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert run.problems() == [] and run.json_problem() is None
    assert 10 * 2**20 < run.peak_rss < LIMIT_BYTES
    assert 0 < run.seconds < LIMIT_SECONDS and run.most_processes >= 1
    assert shutil.which(str(PROMPTLINT)) is not None
