# SPDX-License-Identifier: MIT
"""Issue 12's items that belong to the analysis core, each through the installed command
under the time and memory limits of `test_hostile_input`: long flat code is not "too
deeply nested", odd literals are values, `--diff` keeps the prefilter and the size limit,
the same tree gives the same results however its paths are typed, a NUL byte in an
imported module is not blamed on the importer, a prompt file outside the root is never
read, and a worker that dies costs only its file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_hostile_input import GOOD_CALL_ROW, SDK_CALL, SDK_HEAD, assert_healthy, call_rows, make_project, run_limited

from promptlint import engine
from promptlint.config import load_config

FILLER = (
    "You are a helpful AI assistant. Please note that you must answer in one short sentence. "
    "In order to keep the dashboard tidy, do not add greetings or sign-offs."
)


def flat_prompt_programs() -> dict[str, str]:
    """Long but flat code, each shape CPython compiles (once reported as too deeply nested)."""
    augmented = "def build():\n    prompt = ''\n" + "".join(f"    prompt += 'line {i}. '\n" for i in range(940)) + "    return prompt\n"
    adjacent = "PROMPT = (\n" + "".join(f"    'part {i}. '\n" for i in range(320)) + ")\n"
    plus = "PROMPT = (\n    'start. '\n" + "".join(f"    + 'part {i}. '\n" for i in range(320)) + ")\n"
    elifs = "def pick(x):\n    if x == 0:\n        return 'a'\n" + "".join(
        f"    elif x == {i}:\n        return 'b{i}'\n" for i in range(1, 318)
    ) + "    return 'z'\n"
    ors = "def pick(a):\n    return " + " or ".join(f"a.get('k{i}')" for i in range(320)) + " or 'default'\n"
    return {
        "augmented.py": SDK_HEAD + augmented + SDK_CALL.format(prompt="build()"),
        "adjacent.py": SDK_HEAD + adjacent + SDK_CALL.format(prompt="PROMPT"),
        "plus.py": SDK_HEAD + plus + SDK_CALL.format(prompt="PROMPT"),
        "elifs.py": SDK_HEAD + elifs + SDK_CALL.format(prompt="pick(3)"),
        "ors.py": SDK_HEAD + ors + SDK_CALL.format(prompt="pick({})"),
    }


def test_long_flat_code_is_analysed(tmp_path: Path) -> None:
    programs = flat_prompt_programs()
    project = make_project(tmp_path / "project", programs)
    run = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert run.error_lines() == {}
    listed = {name for name, _ in call_rows(run)}
    assert listed == {"good.py", *programs}


@pytest.mark.parametrize("literal", ["1e309", "3 + 4j", "b'bytes'", "10**400", "-1e309j", "...", "0x" + "f" * 2000])
def test_odd_literals_in_a_prompt_are_values(tmp_path: Path, literal: str) -> None:
    project = make_project(tmp_path / "project", {"odd.py": SDK_HEAD + SDK_CALL.format(prompt=f'f"Count: {{{literal}}}"')})
    runs = [run_limited(*args, cwd=project) for args in (("calls", ".", "--no-cache", "--output-format", "json"), ("check", ".", "--no-cache"))]
    assert_healthy(*runs)
    assert runs[0].error_lines() == {}
    assert ("odd.py", 4) in call_rows(runs[0])


def test_diff_keeps_the_prefilter_and_the_size_limit(tmp_path: Path) -> None:
    """A file without SDK code is not parsed (its syntax error is not reported) and a
    candidate over 2 MB is reported as too large, with `--diff` as without."""
    big = SDK_HEAD + SDK_CALL.format(prompt='"hi"') + "".join(f"X{i} = {i}\n" for i in range(300_000))
    project = make_project(
        tmp_path / "project",
        {
            "fixme.py": SDK_HEAD + SDK_CALL.format(prompt=repr(FILLER)),
            "data.py": "def broken(:\n" + "ROW = [1, 2, 3]\n" * 400_000,
            "big.py": big,
        },
    )
    plain = run_limited("check", ".", "--no-cache", cwd=project)
    diffed = run_limited("check", ".", "--no-cache", "--diff", "--unsafe-fixes", cwd=project)
    assert_healthy(plain, diffed)
    for run in (plain, diffed):
        errors = run.error_lines()
        assert "data.py" not in errors
        assert "over the 2 MB limit" in errors.get("big.py", "")
    assert "+++ " in diffed.stdout and "fixme.py" in diffed.stdout


def test_the_same_tree_gives_the_same_results_however_its_paths_are_typed(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "system.txt").write_text(FILLER * 3 + "\n", encoding="utf-8")
    prompt = '(Path(__file__).parent / "system.txt").read_text()'
    (project / "app.py").write_text("from pathlib import Path\n" + SDK_HEAD + SDK_CALL.format(prompt=prompt), encoding="utf-8")

    def codes(cwd: Path, *paths: str) -> list[tuple[str, int, str]]:
        run = run_limited("check", *paths, "--no-cache", "--exit-zero", "--output-format", "json", cwd=cwd)
        assert_healthy(run)
        return sorted((os.path.basename(f["filename"]), f["location"]["row"], f["code"]) for f in run.json())

    reference = codes(project, ".")
    assert any(code == "PRM101" for _, _, code in reference)
    assert codes(tmp_path, "proj") == reference
    assert codes(tmp_path, "proj/app.py") == reference
    assert codes(tmp_path, str(project.resolve())) == reference
    assert codes(project, "app.py") == reference


def test_a_nul_byte_in_an_imported_module_is_not_blamed_on_the_importer(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "project",
        {
            "prompts.py": b'SYSTEM = "Be brief.\x00"\n',
            "app.py": "from prompts import SYSTEM\n" + SDK_HEAD + SDK_CALL.format(prompt="SYSTEM") + SDK_CALL.format(prompt='"hi"'),
        },
    )
    run = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert "app.py" not in run.error_lines()
    assert {("app.py", 5), ("app.py", 6), ("good.py", GOOD_CALL_ROW)} <= call_rows(run)
    assert not any("internal error" in reason for reason in run.error_lines().values())


def test_a_prompt_file_linked_outside_the_root_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP-SECRET-CONTENT " + FILLER * 50, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "system.txt").symlink_to(outside)
    prompt = '(Path(__file__).parent / "system.txt").read_text()'
    (project / "app.py").write_text("from pathlib import Path\n" + SDK_HEAD + SDK_CALL.format(prompt=prompt), encoding="utf-8")
    for args in (("check", ".", "--output-format", "json"), ("calls", ".", "--output-format", "json")):
        run = run_limited(*args, cwd=project)
        assert_healthy(run)
        assert b"TOP-SECRET" not in run.out
    assert not [p for p in (project / ".promptlint_cache").rglob("*") if p.is_file() and b"TOP-SECRET" in p.read_bytes()]


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool run (more files than MIN_FILES_FOR_POOL) where analysing one file kills its
    worker process: that file is reported as crashed (ours), every other call is found."""
    for number in range(engine.MIN_FILES_FOR_POOL + 6):
        (tmp_path / f"mod{number:02}.py").write_text(SDK_HEAD + SDK_CALL.format(prompt='"hi"'), encoding="utf-8")
    analyse = engine.analyze_file

    def dies_on_one_file(path, index, task):
        if path.endswith("mod07.py"):
            os._exit(1)  # the worker process dies, as a parser crash would end it
        return analyse(path, index, task)

    monkeypatch.setattr(engine, "analyze_file", dies_on_one_file)
    run = engine.analyze_run([tmp_path], load_config(start=tmp_path), jobs=2, use_cache=False)
    crashed = [(Path(e.filename).name, e.reason, e.internal) for e in run.errors]
    assert crashed == [("mod07.py", "not analysed: the analysis process crashed on this file", True)]
    found = sorted(Path(a.filename).name for a in run.analyses if a.calls)
    assert found == [f"mod{n:02}.py" for n in range(engine.MIN_FILES_FOR_POOL + 6) if n != 7]


def test_a_rule_that_runs_out_of_memory_on_one_file_costs_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from promptlint.checks import rule_by_code_or_name
    from promptlint.engine import lint

    retired = SDK_HEAD + 'client.chat.completions.create(model="gpt-3.5-turbo", messages=[])\n'
    (tmp_path / "huge.py").write_text(retired, encoding="utf-8")
    (tmp_path / "fine.py").write_text(retired, encoding="utf-8")
    rule = rule_by_code_or_name("PRM402")
    check = rule.check

    def exhausted_on_one_file(self, analysis, ctx):
        if analysis.filename.endswith("huge.py"):
            raise MemoryError
        return check(self, analysis, ctx)

    monkeypatch.setattr(rule, "check", exhausted_on_one_file)
    result = lint([tmp_path], load_config(start=tmp_path), use_cache=False, jobs=1)
    assert [(Path(d.filename).name, d.code) for d in result.diagnostics if d.code == "PRM402"] == [("fine.py", "PRM402")]
    assert [(Path(e.filename).name, e.reason) for e in result.errors] == [("huge.py", "PRM402 not checked: ran out of memory judging its calls")]


def test_a_50_mb_candidate_with_fix_and_diff_is_reported_over_the_limit(tmp_path: Path) -> None:
    """Issue 12: a generated module (an SDK import, one call, then 500k constant lines) beside
    a small file with a fixable finding, through `--fix --unsafe-fixes --diff`: the big file
    is reported as over the limit, the small one is fixed in the diff, under the limits."""
    project = make_project(tmp_path / "project", {"fixme.py": SDK_HEAD + SDK_CALL.format(prompt=repr(FILLER))})
    with open(project / "generated.py", "w", encoding="utf-8") as handle:
        handle.write(SDK_HEAD + SDK_CALL.format(prompt='"hi"'))
        line = "CONSTANT_{:06d} = 'a fixed value that pads this module out to fifty MB'\n"
        handle.writelines(line.format(number) for number in range(700_000))
    assert (project / "generated.py").stat().st_size > 50_000_000
    run = run_limited("check", ".", "--no-cache", "--fix", "--unsafe-fixes", "--diff", cwd=project)
    assert_healthy(run)
    assert "over the 2 MB limit" in run.error_lines().get("generated.py", "")
    assert "+++ " in run.stdout and "fixme.py" in run.stdout


def test_a_huge_name_does_not_stall_the_search_for_wrapper_callers(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: a 1.5 MB identifier in a file of a project that has a wrapper
    (so callers of wrappers are searched for by the names each file calls) made that search
    quadratic in the name's length."""
    wrapper = SDK_HEAD + "def ask(prompt):\n    return " + SDK_CALL.format(prompt="prompt")
    project = make_project(
        tmp_path / "project",
        {
            "llm.py": wrapper,
            "route.py": "from llm import ask\n\nask('Summarize the ticket.')\n",
            "generated.py": "VALUE = " + "n" * 1_500_000 + "\n",
        },
    )
    run = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert ("route.py", 3) in call_rows(run)


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_a_pep701_fstring_after_deep_nesting_costs_only_its_file(tmp_path: Path, depth: int) -> None:
    """Found by bench/fuzz.py: on Python 3.11 a file `ast` refuses over a PEP 701 f-string is
    read with libcst, whose native parser hung (5,000 chained `not`s) or segfaulted (20,000)
    on what came before it, and took the run with it."""
    nested = "X = " + "not " * depth + "1\n"
    pep701 = 'LABEL = f"{"quoted"}"\n'
    project = make_project(tmp_path / "project", {"deep.py": SDK_HEAD + nested + pep701 + SDK_CALL.format(prompt="LABEL")})
    run = run_limited("calls", ".", "--no-cache", "--output-format", "json", cwd=project)
    assert_healthy(run)
    assert ("good.py", GOOD_CALL_ROW) in call_rows(run)
    assert "deep.py" in run.error_lines() or "deep.py" in {name for name, _ in call_rows(run)}
