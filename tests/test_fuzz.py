# SPDX-License-Identifier: MIT
"""A fast, deterministic fuzz test: generated programs never crash the installed command.

hypothesmith generates a few hundred syntactically valid Python modules from CPython's
grammar (odd whitespace, Unicode names, `match` statements, deep expressions), with a
fixed seed, so every run of the suite sees the same programs. Each is planted between an
SDK import and an SDK call, so the prefilter passes it and the whole analysis runs on it.

Parsing and analysing is cheap next to starting the command, so the files go in batches,
one `promptlint` run per batch and output format. Each run must exit 0, 1 or 2 within the
limits of `test_hostile_input.py` (20 s, 1 GB), print no traceback, write valid JSON, and
account for every file: its planted call listed, or the file reported with a reason that
is not an internal error (a generated program is valid Python: an internal error is ours).

The longer fuzzing, with mutations of real files and minimized failures, is
`bench/fuzz.py` (see bench/FUZZ.md).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from test_hostile_input import Limited, run_limited

PROGRAMS = 300
BATCHES = 2
SEED = 20261201

HEAD = "from openai import OpenAI\n\nclient = OpenAI()\n"
CALL = 'client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Say hi."}])\n'


def generated_programs(count: int) -> list[str]:
    """`count` modules from hypothesmith's grammar strategy, the same ones on every run."""
    import hypothesmith

    programs: list[str] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(hypothesmith.from_grammar())
    def collect(source: str) -> None:
        programs.append(source)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # hypothesmith compiles each program: SyntaxWarnings
        collect()
    return programs


def planted(program: str) -> bytes:
    """The program between an SDK import and an SDK call (the call comes last: its row is
    the file's last line)."""
    text = HEAD + program + ("" if program.endswith(("\n", "\r")) else "\n") + CALL
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for index, program in enumerate(generated_programs(PROGRAMS)):
        batch = root / f"batch_{index % BATCHES}"
        batch.mkdir(exist_ok=True)
        (batch / f"gen_{index:03d}.py").write_bytes(planted(program))
    return root


def unaccounted_files(batch: Path, run: Limited) -> list[str]:
    """Files of the batch whose call is not listed and that are not reported either, or
    that are reported as our bug."""
    listed = {row["filename"] for row in run.json()}
    errors = run.error_lines()
    found = []
    for path in sorted(batch.iterdir()):
        name = f"{batch.name}/{path.name}"
        reason = errors.get(name)
        if reason is not None and "internal error" in reason:
            found.append(f"{name}: reported as our bug: {reason[:300]}")
        elif reason is None and name not in listed:
            found.append(f"{name}: neither listed nor reported")
    return found


@pytest.mark.parametrize("batch", range(BATCHES))
def test_generated_programs_are_listed_or_reported(fuzz_tree: Path, batch: int) -> None:
    directory = fuzz_tree / f"batch_{batch}"
    run = run_limited("calls", directory.name, "--no-cache", "--output-format", "json", cwd=fuzz_tree)
    problems = run.problems()
    if run.code is not None and not problems:
        problem = run.json_problem()
        problems += [problem] if problem else unaccounted_files(directory, run)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("batch", range(BATCHES))
def test_generated_programs_never_crash_check(fuzz_tree: Path, batch: int, fmt: str) -> None:
    run = run_limited("check", f"batch_{batch}", "--no-cache", "--output-format", fmt, cwd=fuzz_tree)
    problems = run.problems()
    if fmt == "json" and run.code is not None and (problem := run.json_problem()):
        problems.append(problem)
    assert not problems, "\n".join(problems)
