#!/usr/bin/env python3
"""Fuzz the installed `promptlint` command with generated programs and mutated real files.

Programs come from two sources, half each by default:

1. **Generated**: modules from hypothesmith's grammar strategy (valid Python with odd
   whitespace, Unicode names, deep expressions), when hypothesmith is installed.
2. **Mutated real files**: Python files under `--corpus` (e.g. /work/shared/corpus, read
   only, never copied into the repository) changed by one to three mutations: deleted or
   duplicated lines, truncation, random bytes, deep nesting, long lines, huge literals,
   odd encodings and line endings.

Each program gets an SDK call planted at its end (with names of its own), so the prefilter
passes it and, whenever the file parses, the call must be listed. Programs are linted in
batches, one `promptlint` process per batch and command (`calls --output-format json`,
`check --output-format json`, `check`), each in its own session under an address-space
wall of `--memory-wall` (so a blow-up cannot take the shared machine down) and timed.

A run fails when it is ended by a signal, prints a traceback, exits other than 0/1/2,
writes invalid JSON, runs past `--hang-seconds` for one file, peaks above `--memory-limit`
of resident memory, reports a file as an internal error, or loses a file (neither lists
its planted call nor reports it). A failed batch is bisected down to the file that fails
alone, and each distinct failure is minimized by line-based delta debugging (ddmin) to a
small file, written to `--out` with a note of the command and what happened.

Standard library only, except hypothesmith for the generated half.

    python bench/fuzz.py --corpus /work/shared/corpus --programs 3000 --out /tmp/fuzz-out
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

PLANTED = (
    b"\nfrom openai import OpenAI as _FuzzOpenAI\n"
    b"_fuzz_client = _FuzzOpenAI()\n"
    b'_fuzz_client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Say hi."}])\n'
)
SDK_IMPORT = re.compile(rb"^\s*(?:from|import)\s+(?:openai|anthropic|litellm|langchain\w*|pydantic_ai|instructor|google)\b", re.M)
COMMANDS: dict[str, tuple[str, ...]] = {
    "calls-json": ("calls", "--no-cache", "--output-format", "json"),
    "check-json": ("check", "--no-cache", "--output-format", "json"),
    "check-text": ("check", "--no-cache"),
}
TRACEBACK = b"Traceback (most recent call last)"
RERUNS_AFTER_A_CRASH = 4


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    command: str
    files: list[str]
    code: int | None  # None: killed at the time limit; negative: ended by that signal
    out: bytes
    err: bytes
    seconds: float
    peak_rss: int


@dataclass
class Limits:
    hang_seconds: float
    memory_limit: int  # bytes of peak resident memory that count as a failure
    memory_wall: int  # bytes of address space the process may map at all
    jobs: int


def find_promptlint() -> str:
    beside = Path(sys.executable).with_name("promptlint")
    if beside.is_file():
        return str(beside)
    found = shutil.which("promptlint")
    if not found:
        sys.exit("fuzz.py: no `promptlint` next to this Python or on PATH")
    return found


def run_promptlint(
    promptlint: str, command: str, files: list[str], cwd: Path, limits: Limits, *, timeout: float | None = None
) -> Run:
    """One run on `files` (relative to `cwd`), killed with its workers past `timeout`: by
    default the hang limit, and a fifth of a second more per file of a batch (a batch past
    the hang limit at all is split to find out whether one file is)."""
    if timeout is None:
        timeout = limits.hang_seconds + (1 if len(files) == 1 else 0.2 * len(files))

    def wall() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_wall, limits.memory_wall))

    args = [promptlint, *COMMANDS[command], "-j", str(limits.jobs), *files]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=wall, start_new_session=True
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        out.seek(0)
        err.seek(0)
        return Run(command, files, None if timed_out else process.returncode, out.read(), err.read(), seconds, usage.ru_maxrss * 1024)


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class Failure:
    kind: str  # signal, traceback, exit-code, invalid-json, hang, memory, internal-error, lost
    signature: str  # what makes two failures of one kind the same bug
    file: str | None  # the file it is pinned on, or None for the whole run

    def key(self) -> tuple[str, str]:
        return (self.kind, self.signature)


def _last_line(stream: bytes) -> str:
    lines = [line for line in stream.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _generic(text: str) -> str:
    """A message with its numbers, quoted values and paths masked: one bug, one signature."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"/\S+", "PATH", text)
    return re.sub(r"\d+", "N", text)[:120]


def error_lines(run: Run) -> dict[str, str]:
    found = {}
    for line in run.err.decode("utf-8", "replace").splitlines():
        location, marker, reason = line.partition(": error: ")
        if marker:
            found[re.sub(r"(:\d+)+$", "", location)] = reason  # `path:line:column: error:`
    return found


def has_planted_call(data: bytes) -> bool:
    """Whether the planted call survived the mutations intact (line endings aside): then,
    if the file parses, the call must be listed."""
    return PLANTED.strip() in data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def judge(run: Run, limits: Limits, planted: set[str] | frozenset[str] = frozenset()) -> list[Failure]:
    """Everything wrong with one run: failures of the run (file None) and of single files.

    A run over the hang limit is a hang of the run: for one file a failure, for a batch
    a reason to split it. `planted` names the files whose planted call must be accounted for.
    """
    failures = []
    if run.code is None or run.seconds > limits.hang_seconds:
        failures.append(Failure("hang", f"over {limits.hang_seconds:.0f} s", None))
    elif run.code < 0:
        failures.append(Failure("signal", signal.Signals(-run.code).name, None))
    elif run.code not in (0, 1, 2):
        failures.append(Failure("exit-code", f"exit {run.code}: {_generic(_last_line(run.err))}", None))
    memory_error = b"MemoryError" in run.out + run.err
    if run.peak_rss > limits.memory_limit or (memory_error and TRACEBACK in run.out + run.err):
        failures.append(Failure("memory", f"peak over {limits.memory_limit // 2**20} MiB", None))
    for stream in (run.out, run.err):
        if TRACEBACK in stream:
            failures.append(Failure("traceback", _generic(_last_line(stream)), None))
    if run.code is None or run.code < 0:
        return failures
    for name, reason in error_lines(run).items():
        if "internal error" in reason:
            kind = "memory" if "MemoryError" in reason else "internal-error"
            failures.append(Failure(kind, _generic(reason), name))
    if run.command.endswith("-json"):
        try:
            document = json.loads(run.out.decode("utf-8"))
        except ValueError as error:
            failures.append(Failure("invalid-json", f"{type(error).__name__}", None))
            return failures
        if run.command == "calls-json" and run.code in (0, 1, 2):
            listed = {row.get("filename") for row in document if isinstance(row, dict)}
            reported = error_lines(run)
            for name in run.files:
                if name in planted and name not in listed and name not in reported:
                    failures.append(Failure("lost", "neither listed nor reported", name))
    return failures


# --------------------------------------------------------------------------- programs


@dataclass
class Program:
    name: str
    origin: str  # "generated #N" or "PATH + mutations"
    data: bytes


def generated_programs(count: int, seed: int) -> list[bytes]:
    """`count` hypothesmith modules with a fixed seed ([] without hypothesmith)."""
    try:
        import hypothesmith
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as with_seed
    except ImportError:
        print("fuzz.py: hypothesmith is not installed: mutations only", file=sys.stderr)
        return []
    found: list[bytes] = []

    @with_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def collect(source: str) -> None:
        found.append(source.encode("utf-8", "surrogatepass"))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return found


def corpus_files(corpus: Path, max_bytes: int = 200_000) -> list[Path]:
    """The corpus's Python files that import an SDK (the ones promptlint parses), sorted."""
    chosen = []
    for path in sorted(corpus.rglob("*.py")):
        try:
            if path.is_file() and path.stat().st_size <= max_bytes and SDK_IMPORT.search(path.read_bytes()):
                chosen.append(path)
        except OSError:
            continue
    return chosen


Mutation = Callable[[bytes, random.Random], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _span(lines: list[bytes], rng: random.Random, most: int) -> tuple[int, int]:
    start = rng.randrange(len(lines))
    return start, min(len(lines), start + rng.randint(1, most))


def delete_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start, end = _span(lines, rng, 8)
    return b"".join(lines[:start] + lines[end:])


def duplicate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start, end = _span(lines, rng, 20)
    return b"".join(lines[:end] + lines[start:end] * rng.choice([1, 2, 10, 200]) + lines[end:])


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def random_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        position = rng.randrange(len(buffer) + 1)
        noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.5:
            buffer[position:position] = noise
        else:
            buffer[position : position + len(noise)] = noise
    return bytes(buffer)


def _insert_line(data: bytes, block: bytes, rng: random.Random) -> bytes:
    """`block` (one or more lines) inserted at a random line start, indented like the line
    it goes before."""
    lines = _lines(data)
    position = rng.randrange(len(lines) + 1)
    following = lines[position] if position < len(lines) else b""
    indent = following[: len(following) - len(following.lstrip(b" \t"))]
    inserted = [indent + line + b"\n" for line in block.split(b"\n")]
    return b"".join(lines[:position] + inserted + lines[position:])


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 200, 1_000, 5_000, 20_000])
    shapes = [
        b"_fuzz = " + b"(" * depth + b"1" + b")" * depth,
        b"_fuzz = " + b"[" * depth + b"]" * depth,
        b"_fuzz = " + b"{'k': " * depth + b"1" + b"}" * depth,
        b"_fuzz = " + b"f(" * depth + b"x" + b")" * depth,
        b"_fuzz = " + b"-" * depth + b"1",
        b"_fuzz = " + b"not " * depth + b"x",
        b"_fuzz = x" + b".a" * depth,
        b"_fuzz = " + b"lambda: " * min(depth, 2_000) + b"1",
        b'_fuzz = f"' + b"{f'" * min(depth, 50) + b"x" + b"'}" * min(depth, 50) + b'"',
    ]
    if rng.random() < 0.2:  # nested blocks: indentation as deep as the lexer allows and past it
        levels = min(depth, 200)
        block = b"".join(b" " * i + b"if x:\n" for i in range(levels)) + b" " * levels + b"pass"
        return _insert_line(data, block, rng)
    return _insert_line(data, rng.choice(shapes), rng)


def long_lines(data: bytes, rng: random.Random) -> bytes:
    terms = rng.choice([1_000, 20_000, 250_000])
    shapes = [
        b"_fuzz = " + b"+".join([b'"a"'] * terms),
        b"_fuzz = (" + b" ".join([b'"word "'] * terms) + b")",
        b"_fuzz = [" + b", ".join(str(i).encode() for i in range(terms)) + b"]",
        b"_fuzz = " + b" or ".join([b"x"] * terms),
        b'_fuzz = "' + b"a" * (terms * 8) + b'"',
        b"_fuzz_" + b"a" * (terms * 4) + b" = 1",
        b"# " + b"x" * (terms * 8),
    ]
    return _insert_line(data, rng.choice(shapes), rng)


def huge_literals(data: bytes, rng: random.Random) -> bytes:
    shapes = [
        b"_fuzz = " + b"7" * rng.choice([4_301, 5_000, 100_000]),
        b'_fuzz = f"{' + b"7" * 5_000 + b'}"',
        b"_fuzz = 1e309 * 1e309j",
        b"_fuzz = 0x" + b"f" * 50_000,
        b'_fuzz = "ab" * 1000; _fuzz2 = _fuzz * 1000; _fuzz3 = _fuzz2 * 1000',
        b'_fuzz = "x" * 10**12',
        b'_fuzz = b"\\x00" * 100 + b"' + b"\\xff" * 1_000 + b'"',
        b'_fuzz = "\\ud800\\udfff\\U0010ffff\\N{BOM}\\x00"',
        b'_fuzz = """' + b"line\n" * 50_000 + b'"""',
    ]
    return _insert_line(data, rng.choice(shapes), rng)


def odd_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(8)
    if choice == 0:
        return b"# -*- coding: latin-1 -*-\n" + text.encode("latin-1", "replace")
    if choice == 1:
        return b"\xef\xbb\xbf" + data
    if choice == 2:
        return b"\xef\xbb\xbf# coding: latin-1\n" + data  # BOM and cookie disagree
    if choice == 3:
        return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    if choice == 4:
        return b"# coding: klingon\n" + data
    if choice == 5:
        return text.encode("cp1252", "replace") + b"# caf\xe9\n"  # Latin-1 bytes without a cookie
    if choice == 6:
        position = rng.randrange(len(data) + 1)
        return data[:position] + b"\x00" + data[position:]
    return b"# coding: utf-8\n# coding: latin-1\n" + data


def line_endings(data: bytes, rng: random.Random) -> bytes:
    unix = data.replace(b"\r\n", b"\n")
    choice = rng.randrange(6)
    if choice == 0:
        return unix.replace(b"\n", b"\r\n")
    if choice == 1:
        return unix.replace(b"\n", b"\r")
    if choice == 2:
        return b"".join(line.rstrip(b"\n") + rng.choice([b"\n", b"\r\n", b"\r"]) for line in _lines(unix))
    if choice == 3:
        return unix.replace(b"\n", b"\n\x0c", rng.randint(1, 20))
    if choice == 4:
        return unix.replace(b"    ", b"\t", rng.randint(1, 50))
    return unix.rstrip(b"\n")


MUTATIONS: dict[str, Mutation] = {
    "delete-lines": delete_lines,
    "duplicate-lines": duplicate_lines,
    "truncate": truncate,
    "random-bytes": random_bytes,
    "deep-nesting": deep_nesting,
    "long-lines": long_lines,
    "huge-literals": huge_literals,
    "odd-encoding": odd_encoding,
    "line-endings": line_endings,
}


def with_planted_call(data: bytes) -> bytes:
    return data + PLANTED


def mutated(source: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """`source` with its planted call, changed by one to three mutations (encodings last,
    so they apply to the whole file)."""
    names = rng.sample(sorted(MUTATIONS), rng.choice([1, 1, 2, 3]))
    names.sort(key=lambda name: name in ("odd-encoding", "line-endings"))
    data = with_planted_call(source)
    for name in names:
        data = MUTATIONS[name](data, rng)
    return data, names


def build_programs(count: int, corpus: Path | None, generated_share: float, seed: int) -> list[Program]:
    rng = random.Random(seed)
    seeds = corpus_files(corpus) if corpus else []
    wanted_generated = count if not seeds else round(count * generated_share)
    generated = generated_programs(wanted_generated, seed) if wanted_generated else []
    programs = [
        Program(f"gen_{index:04d}.py", f"generated #{index}", with_planted_call(data)) for index, data in enumerate(generated)
    ]
    if not seeds and len(programs) < count:
        sys.exit("fuzz.py: give --corpus DIR (Python files to mutate) or install hypothesmith")
    while len(programs) < count:
        source = rng.choice(seeds)
        data, names = mutated(source.read_bytes(), rng)
        index = len(programs)
        programs.append(Program(f"mut_{index:04d}.py", f"{source} + {', '.join(names)}", data))
    return programs


# --------------------------------------------------------------------------- bisecting and minimizing


def single_file_failures(
    promptlint: str, command: str, program: Program, work: Path, limits: Limits, data: bytes | None = None
) -> list[Failure]:
    """The failures of `command` on `program` alone (or on `data` under its name)."""
    directory = Path(tempfile.mkdtemp(dir=work, prefix="alone-"))
    try:
        content = program.data if data is None else data
        (directory / program.name).write_bytes(content)
        planted = {program.name} if has_planted_call(content) else set()
        failures = judge(run_promptlint(promptlint, command, [program.name], directory, limits), limits, planted)
        return [Failure(f.kind, f.signature, program.name) for f in failures]
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def bisect(
    promptlint: str, run: Run, failure: Failure, programs: dict[str, Program], cwd: Path, limits: Limits
) -> list[str]:
    """The file of a failed run that shows `failure` alone ([] when only several together do)."""
    names = run.files
    # Only "over the limit or not" matters for a hang: no part need run longer than that.
    timeout = limits.hang_seconds + 0.5 if failure.kind == "hang" else None
    while len(names) > 1:
        half = len(names) // 2
        for part in (names[:half], names[half:]):
            again = judge(run_promptlint(promptlint, run.command, part, cwd, limits, timeout=timeout), limits)
            if any(f.key() == failure.key() for f in again):
                names = part
                break
        else:
            return []
    alone = single_file_failures(promptlint, run.command, programs[names[0]], cwd, limits)
    return names if any(f.kind == failure.kind for f in alone) else []


def ddmin(lines: list[bytes], fails: Callable[[list[bytes]], bool], budget_seconds: float) -> list[bytes]:
    """Zeller's ddmin over lines: a smallest-found list of lines for which `fails` holds,
    stopping at the time budget with the smallest so far."""
    deadline = time.monotonic() + budget_seconds
    chunks = 2
    while len(lines) >= 2 and time.monotonic() < deadline:
        size = math.ceil(len(lines) / chunks)
        subsets = [lines[start : start + size] for start in range(0, len(lines), size)]
        for index, subset in enumerate(subsets):
            if time.monotonic() >= deadline:
                return lines
            if fails(subset):
                lines, chunks = subset, 2
                break
            complement = [line for other, part in enumerate(subsets) if other != index for line in part]
            if len(subsets) > 2 and fails(complement):
                lines, chunks = complement, max(chunks - 1, 2)
                break
        else:
            if chunks >= len(lines):
                break
            chunks = min(len(lines), chunks * 2)
    return lines


def minimize(
    promptlint: str, command: str, program: Program, failure: Failure, work: Path, limits: Limits, budget: float
) -> bytes:
    def fails(lines: list[bytes]) -> bool:
        found = single_file_failures(promptlint, command, program, work, limits, b"".join(lines))
        return any(f.key() == failure.key() for f in found)

    return b"".join(ddmin(program.data.splitlines(keepends=True), fails, budget))


# --------------------------------------------------------------------------- the campaign


@dataclass
class Finding:
    kind: str
    signature: str
    command: str
    count: int = 0
    files: list[str] = field(default_factory=list)  # every program that showed it
    origin: str = ""
    minimized: str | None = None  # the file written to --out
    minimized_bytes: int | None = None
    original_bytes: int | None = None
    note: str = ""


def batches(programs: list[Program], size: int) -> Iterator[list[Program]]:
    for start in range(0, len(programs), size):
        yield programs[start : start + size]


def campaign(args: argparse.Namespace) -> dict:
    promptlint = find_promptlint()
    limits = Limits(args.hang_seconds, args.memory_limit * 2**20, args.memory_wall * 2**20, args.jobs)
    started = time.monotonic()
    programs = build_programs(args.programs, args.corpus, args.generated_share, args.seed)
    built = time.monotonic() - started
    by_name = {program.name: program for program in programs}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    findings: dict[tuple[str, str, str], Finding] = {}
    work = Path(tempfile.mkdtemp(prefix="promptlint-fuzz-"))
    runs = 0
    slowest = (0.0, "")
    peak = (0, "")
    try:
        for number, batch in enumerate(batches(programs, args.batch)):
            directory = work / f"batch_{number:03d}"
            directory.mkdir()
            for program in batch:
                (directory / program.name).write_bytes(program.data)
            planted = {program.name for program in batch if has_planted_call(program.data)}
            suspects: list[str] = []  # files that failed a whole run of an earlier command
            for command in COMMANDS:
                recorded: set[tuple[str, str, str | None]] = set()  # reruns see file failures again
                for name in suspects:  # alone first: a file that hangs one command likely hangs all
                    for failure in single_file_failures(promptlint, command, by_name[name], work, limits):
                        finding = findings.setdefault(
                            (failure.kind, failure.signature, command), Finding(failure.kind, failure.signature, command)
                        )
                        finding.count += 1
                        finding.files.append(name)
                        recorded.add((failure.kind, failure.signature, name))
                    runs += 1
                names = [program.name for program in batch if program.name not in suspects]
                # A failure of the whole run (a crash, a hang) hides what the other files
                # would show: its file is taken out and the rest run again, a few times.
                for _ in range(RERUNS_AFTER_A_CRASH):
                    run = run_promptlint(promptlint, command, names, directory, limits)
                    runs += 1
                    slowest = max(slowest, (run.seconds / len(names), f"{command} on batch {number}"))
                    peak = max(peak, (run.peak_rss, f"{command} on batch {number}"))
                    pinned: list[str] = []
                    for failure in judge(run, limits, planted):
                        if failure.file is not None and (failure.kind, failure.signature, failure.file) in recorded:
                            continue
                        recorded.add((failure.kind, failure.signature, failure.file))
                        culprits = [failure.file] if failure.file else bisect(promptlint, run, failure, by_name, directory, limits)
                        if not culprits and failure.kind == "hang" and run.code is not None:
                            continue  # a slow batch, no file of it over the limit alone
                        if failure.file is None:
                            pinned += culprits
                        key = (failure.kind, failure.signature, command)
                        finding = findings.setdefault(key, Finding(failure.kind, failure.signature, command))
                        finding.count += 1
                        finding.files.extend(culprits or [f"batch {number} ({len(names)} files together)"])
                        if not culprits:
                            finding.note = "shows only with several files together: not minimized"
                    names = [name for name in names if name not in pinned]
                    suspects += pinned
                    if not pinned or not names:
                        break
            shutil.rmtree(directory, ignore_errors=True)
            print(
                f"batch {number + 1}/{math.ceil(len(programs) / args.batch)}: "
                f"{sum(f.count for f in findings.values())} failures so far",
                file=sys.stderr,
            )
        ordered = sorted(findings.values(), key=lambda f: (f.kind, f.signature))
        for index, finding in enumerate(ordered[: args.most_minimized]):
            program = next((by_name[name] for name in finding.files if name in by_name), None)
            if program is None:
                continue
            finding.origin = program.origin
            failure = Failure(finding.kind, finding.signature, program.name)
            small = minimize(promptlint, finding.command, program, failure, work, limits, args.minimize_seconds)
            target = out / f"{index:02d}-{finding.kind}-{finding.command}.py"
            target.write_bytes(small)
            finding.minimized = str(target)
            finding.minimized_bytes, finding.original_bytes = len(small), len(program.data)
            target.with_suffix(".txt").write_text(
                f"command: promptlint {' '.join(COMMANDS[finding.command])} {target.name}\n"
                f"failure: {finding.kind}: {finding.signature}\n"
                f"seen {finding.count} time(s), first in {program.name} ({program.origin})\n"
                f"minimized from {len(program.data)} to {len(small)} bytes\n",
                encoding="utf-8",
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "programs": len(programs),
        "generated": sum(1 for p in programs if p.origin.startswith("generated")),
        "mutated": sum(1 for p in programs if not p.origin.startswith("generated")),
        "batch_runs": runs,  # bisecting and minimizing run more
        "seconds": round(time.monotonic() - started, 1),
        "seconds_building_programs": round(built, 1),
        "slowest_batch_seconds_per_file": round(slowest[0], 3),
        "slowest_batch": slowest[1],
        "peak_rss_mib": round(peak[0] / 2**20, 1),
        "peak_run": peak[1],
        "failures_by_kind": dict(Counter(f.kind for f in findings.values() for _ in range(f.count))),
        "findings": [asdict(f) for f in sorted(findings.values(), key=lambda f: (f.kind, f.signature))],
        "settings": {key: str(value) for key, value in vars(args).items()},
    }
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def print_report(report: dict) -> None:
    print(
        f"{report['programs']} programs ({report['generated']} generated, {report['mutated']} mutated), "
        f"{report['batch_runs']} batch runs in {report['seconds']} s; peak {report['peak_rss_mib']} MiB "
        f"({report['peak_run']}); slowest batch {report['slowest_batch_seconds_per_file']} s per file"
    )
    if not report["findings"]:
        print("no failures: 0 crashes, 0 hangs, 0 memory blow-ups, 0 internal errors, 0 lost files")
        return
    print("failures by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(report["failures_by_kind"].items())))
    for finding in report["findings"]:
        size = f"{finding['original_bytes']} -> {finding['minimized_bytes']} bytes" if finding["minimized"] else finding["note"]
        print(f"- {finding['kind']} in {finding['command']} ({finding['count']}x): {finding['signature']}")
        print(f"    {finding['minimized'] or ''} {size}; first: {finding['origin'] or finding['files'][0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="directory of real Python files to mutate (read only)")
    parser.add_argument("--programs", type=int, default=3000, help="programs to try (default 3000)")
    parser.add_argument("--generated-share", type=float, default=0.5, help="share of generated programs (default 0.5)")
    parser.add_argument("--out", default="fuzz-out", help="where minimized failures and report.json go")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50, help="programs per promptlint run (default 50)")
    parser.add_argument("--jobs", type=int, default=1, help="promptlint -j (default 1: a shared machine)")
    parser.add_argument("--hang-seconds", type=float, default=10.0, help="a file taking longer hangs (default 10)")
    parser.add_argument("--memory-limit", type=int, default=1024, help="MiB of peak RSS that fail (default 1024)")
    parser.add_argument("--memory-wall", type=int, default=2048, help="MiB of address space a run may map (default 2048)")
    parser.add_argument("--minimize-seconds", type=float, default=120.0, help="time budget per minimization (default 120)")
    parser.add_argument("--most-minimized", type=int, default=30, help="distinct failures to minimize (default 30)")
    args = parser.parse_args()
    print_report(campaign(args))


if __name__ == "__main__":
    main()
