"""ruff's command-line conventions, kept by the installed `promptlint` (issue 11): rule
selection, `--diff`, `--statistics`, standard input, quiet and colour, syntax errors,
suppression comments, and the CLI's own failures (issue 12).

Where a test needs the program to misbehave (an internal error) or to reveal what it asked
the system for (worker processes), it runs the installed command with a `sitecustomize`
module on PYTHONPATH that patches one function: the program under test is still the one a
user runs.
"""

from __future__ import annotations

import json
import os
import pstats
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from test_cli import ANSI, PLANTED, PROMPTLINT, _json_report, _on_terminal, codes, copy_fixtures, line_of, promptlint

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "promptlint" / "output" / "schemas"

@pytest.fixture
def plain(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path, "plain")


def with_sitecustomize(tmp_path: Path, source: str) -> dict[str, str]:
    """An environment whose Python runs `source` at start-up (before promptlint loads)."""
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join(filter(None, (str(folder), os.environ.get("PYTHONPATH"))))}


def schema(name: str) -> jsonschema.protocols.Validator:
    document = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(document)(document)


# ----------------------------------------------------------------------------- selection


def test_ignore_all_turns_every_rule_off(plain: Path) -> None:
    assert _json_report(plain, "plain")  # there is something to turn off
    run = promptlint("check", "plain", "--ignore", "ALL", "--output-format", "json", cwd=plain)
    assert run.code == 0, run.err
    assert run.json() == []
    # In the same layer the more specific selector wins, as in ruff.
    assert codes(_json_report(plain, "plain", "--ignore", "ALL", "--extend-select", "PRM402")) == {"PRM402"}


def test_command_line_ignore_overrides_the_configured_selection(plain: Path) -> None:
    (plain / "pyproject.toml").write_text('[tool.promptlint]\nselect = ["PRM101", "PRM402"]\n', encoding="utf-8")
    assert codes(_json_report(plain, "plain")) == {"PRM101", "PRM402"}
    # A less specific command-line ignore still beats the file's exact select ...
    assert codes(_json_report(plain, "plain", "--ignore", "PRM4")) == {"PRM101"}
    # ... and a command-line select starts afresh, dropping the file's modifiers.
    (plain / "pyproject.toml").write_text('[tool.promptlint]\nignore = ["PRM402"]\n', encoding="utf-8")
    assert codes(_json_report(plain, "plain", "--select", "PRM402")) == {"PRM402"}


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
@pytest.mark.parametrize("value", ["", " , "])
def test_an_empty_selector_is_a_usage_error(plain: Path, option: str, value: str) -> None:
    run = promptlint("check", "plain", option, value, cwd=plain)
    assert run.code == 2
    assert "names no rule code" in run.err and option in run.err
    assert run.out == ""


# ----------------------------------------------------------------------------- --diff


def test_diff_prints_what_it_would_fix_and_respects_exit_zero(plain: Path) -> None:
    fixed = promptlint("check", "plain", "--fix", "--unsafe-fixes", "--no-cache", cwd=copy_fixtures(plain / "copy", "plain"))
    count = int(re.search(r"\((\d+) fixed", fixed.out).group(1))
    assert count > 0

    diff = promptlint("check", "plain", "--diff", "--unsafe-fixes", cwd=plain)
    assert diff.code == 1
    assert diff.out.startswith("--- a/")
    assert diff.err.strip().splitlines()[-1] == f"Would fix {count} problem{'s' if count != 1 else ''}."

    zero = promptlint("check", "plain", "--diff", "--unsafe-fixes", "--exit-zero", cwd=plain)
    assert zero.code == 0
    assert zero.out == diff.out

    # Without --unsafe-fixes nothing is safe to fix here; the summary says what more is possible.
    safe_only = promptlint("check", "plain", "--diff", cwd=plain)
    assert safe_only.code == 0 and safe_only.out == ""
    assert re.fullmatch(r"No problems would be fixed \(\d+ more with --unsafe-fixes\)\.", safe_only.err.strip())
    assert promptlint("check", "plain", "--diff", "-q", cwd=plain).err == ""


# ----------------------------------------------------------------------------- --statistics


def test_statistics_as_json(plain: Path) -> None:
    findings = _json_report(plain, "plain")
    run = promptlint("check", "plain", "--statistics", "--output-format", "json", cwd=plain)
    assert run.code == 1
    rows = run.json()
    schema("statistics.schema.json").validate(rows)
    assert {row["code"]: row["count"] for row in rows} == {
        code: sum(1 for f in findings if f["code"] == code) for code in codes(findings)
    }
    assert [row["count"] for row in rows] == sorted((row["count"] for row in rows), reverse=True)
    unsafe = promptlint("check", "plain", "--statistics", "--output-format", "json", "--unsafe-fixes", cwd=plain)
    assert any(row["fixable"] for row in unsafe.json())
    refused = promptlint("check", "plain", "--statistics", "--output-format", "sarif", cwd=plain)
    assert refused.code == 2 and "--statistics prints text or json" in refused.err


# ----------------------------------------------------------------------------- standard input


@pytest.fixture
def crossfile(tmp_path: Path) -> Path:
    """helpdesk/triage.py sends a prompt that helpdesk/prompts.py defines (and is reported at)."""
    project = copy_fixtures(tmp_path, "crossfile") / "crossfile"
    (project / "helpdesk" / "other.py").write_text(PLANTED, encoding="utf-8")
    return project


def test_stdin_reports_only_the_buffer(crossfile: Path) -> None:
    on_disk = _json_report(crossfile, "helpdesk/triage.py")
    assert {f["filename"] for f in on_disk} == {"helpdesk/prompts.py"}  # reported where it is written
    triage = (crossfile / "helpdesk" / "triage.py").read_text(encoding="utf-8")
    run = promptlint("check", "--stdin-filename", "helpdesk/triage.py", "--output-format", "json", cwd=crossfile, stdin=triage)
    assert run.code == 0, run.err
    assert run.json() == []  # prompts.py is context, not reported
    # The buffer's own findings are reported, under the buffer's name.
    planted = promptlint("check", "--stdin-filename", "helpdesk/triage.py", "--output-format", "json", cwd=crossfile, stdin=PLANTED)
    assert planted.code == 1
    assert {f["filename"] for f in planted.json()} == {"helpdesk/triage.py"}


def test_stdin_warns_that_path_arguments_are_ignored(crossfile: Path) -> None:
    triage = (crossfile / "helpdesk" / "triage.py").read_text(encoding="utf-8")
    run = promptlint(
        "check", "helpdesk/other.py", "helpdesk", "--stdin-filename", "helpdesk/triage.py", cwd=crossfile, stdin=triage
    )
    assert run.code == 0, run.out + run.err  # other.py's planted problem is not checked
    assert "warning: ignoring the path arguments (helpdesk/other.py, helpdesk) in favor of standard input" in run.err


def test_stdin_filename_naming_a_directory_is_an_error(crossfile: Path) -> None:
    run = promptlint("check", "--stdin-filename", "helpdesk", cwd=crossfile, stdin=PLANTED)
    assert run.code == 2
    assert run.err.strip() == "promptlint: error: --stdin-filename helpdesk is a directory: name the file standard input holds"
    assert run.out == ""


# ----------------------------------------------------------------------------- quiet, colour


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_quiet_draws_no_progress_bar(plain: Path, tmp_path: Path) -> None:
    # The bar waits a second before it draws; here it draws at once, so a quick run shows it.
    env = with_sitecustomize(tmp_path, "import promptlint.cli\npromptlint.cli._Progress.DELAY = 0\n")
    bar = re.compile(r"\] \d+/\d+ files")
    loud = _on_terminal(["check", "plain", "--no-cache"], plain, env, stderr_too=True)
    quiet = _on_terminal(["check", "plain", "--no-cache", "-q"], plain, env, stderr_too=True)
    assert bar.search(loud), loud
    assert not bar.search(quiet) and "PRM402" in quiet


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_follows_no_color_force_color_and_term(plain: Path) -> None:
    def coloured(env: dict[str, str]) -> bool:
        return bool(ANSI.search(_on_terminal(["check", "plain/app.py"], plain, {"TERM": "xterm", **env})))

    assert coloured({})
    assert coloured({"NO_COLOR": ""})  # no-color.org: only a non-empty value turns colour off
    assert not coloured({"NO_COLOR": "1"})
    assert not coloured({"TERM": "dumb"})
    assert coloured({"TERM": "dumb", "FORCE_COLOR": "1"})


# ----------------------------------------------------------------------------- syntax errors


def test_a_syntax_error_is_reported_at_its_own_line_and_column(plain: Path) -> None:
    broken = "from openai import OpenAI\n\ndef f(:\n    return OpenAI().chat.completions.create(model='gpt-6-luna')\n"
    (plain / "plain" / "broken.py").write_text(broken, encoding="utf-8")
    try:
        compile(broken, "broken.py", "exec")
    except SyntaxError as error:
        line, column = error.lineno, error.offset
    assert (line, column) == (3, 7)
    run = promptlint("check", "plain/broken.py", cwd=plain)
    assert run.code == 2
    assert re.search(rf"^plain/broken\.py:{line}:{column}: error: .*syntax", run.err, re.M), run.err


def test_a_syntax_error_in_a_file_without_sdk_code_is_not_reported(plain: Path) -> None:
    # Documented in the README's exit codes: such files are not parsed at all.
    (plain / "plain" / "notes.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    run = promptlint("check", "plain/notes.py", "plain/clean.py", cwd=plain)
    assert run.code == 0, run.err
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "Files without SDK code are not parsed" in readme


# ----------------------------------------------------------------------------- suppression comments


def test_noqa_with_a_promptlint_code_is_honoured(tmp_path: Path) -> None:
    source = PLANTED.replace('model="gpt-3.5-turbo",', 'model="gpt-3.5-turbo",  # noqa: PRM402')
    (tmp_path / "bot.py").write_text(source, encoding="utf-8")
    assert promptlint("check", "bot.py", cwd=tmp_path).code == 0
    (tmp_path / "bot.py").write_text(source.replace("# noqa: PRM402", "# noqa"), encoding="utf-8")
    assert codes(_json_report(tmp_path, "bot.py")) == {"PRM402"}  # a bare noqa is another linter's


def test_ignore_file_after_a_module_docstring(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text('"""A bot."""\n# promptlint: ignore-file\n' + PLANTED, encoding="utf-8")
    run = promptlint("check", "bot.py", cwd=tmp_path)
    assert run.code == 0, run.out
    assert "warning" not in run.err


def test_unknown_codes_and_malformed_comments_are_warned_about(tmp_path: Path) -> None:
    unknown = PLANTED.replace('model="gpt-3.5-turbo",', 'model="gpt-3.5-turbo",  # promptlint: ignore[PRM402, PRM4O2]')
    (tmp_path / "bot.py").write_text(unknown, encoding="utf-8")
    row = line_of(tmp_path / "bot.py", "PRM4O2")
    run = promptlint("check", "bot.py", cwd=tmp_path)
    assert run.code == 0  # PRM402 is still silenced
    assert f"warning: bot.py:{row}: unknown rule code PRM4O2 in `# promptlint: ignore[PRM402, PRM4O2]`" in run.err
    assert promptlint("check", "bot.py", "-q", cwd=tmp_path).err == ""


def test_an_unclosed_bracket_silences_nothing(tmp_path: Path) -> None:
    source = PLANTED.replace('model="gpt-3.5-turbo",', 'model="gpt-3.5-turbo",  # promptlint: ignore[PRM402')
    (tmp_path / "bot.py").write_text(source, encoding="utf-8")
    row = line_of(tmp_path / "bot.py", "ignore[PRM402")
    run = promptlint("check", "bot.py", "--output-format", "json", cwd=tmp_path)
    assert run.code == 1
    assert {(f["code"], f["location"]["row"]) for f in run.json()} == {("PRM402", row)}
    assert f"warning: bot.py:{row}: malformed `# promptlint: ignore[PRM402` (no closing `]`)" in run.err


# ----------------------------------------------------------------------------- the CLI's own failures


def test_an_internal_error_is_reported_as_ours(plain: Path, tmp_path: Path) -> None:
    env = with_sitecustomize(
        tmp_path,
        """
        import promptlint.api

        def broken(*args, **kwargs):
            raise KeyError("a bug of ours")

        promptlint.api.lint_paths = broken
        """,
    )
    run = promptlint("check", "plain", cwd=plain, env=env)
    assert run.code == 2  # never 1, which would read as findings
    first, second = run.err.strip().splitlines()
    assert first == "promptlint: internal error in `promptlint check`: KeyError: 'a bug of ours'"
    assert second.startswith("promptlint: this is a bug in promptlint")
    assert "please report it at https://" in second and "PROMPTLINT_DEBUG=1" in second
    assert run.out == ""
    debug = promptlint("check", "plain", cwd=plain, env={**env, "PROMPTLINT_DEBUG": "1"}, traceback=True)
    assert debug.code == 2
    assert "Traceback (most recent call last)" in debug.err and "KeyError: 'a bug of ours'" in debug.err


def test_jobs_are_capped_at_the_cores(tmp_path: Path) -> None:
    project = tmp_path / "many"
    project.mkdir()
    for index in range(24):  # enough files for a worker pool
        (project / f"bot_{index}.py").write_text(PLANTED, encoding="utf-8")
    record = tmp_path / "workers.txt"
    env = with_sitecustomize(
        tmp_path,
        f"""
        import concurrent.futures

        original = concurrent.futures.ProcessPoolExecutor.__init__

        def recording(self, max_workers=None, *args, **kwargs):
            with open({str(record)!r}, "a") as handle:
                handle.write(f"{{max_workers}}\\n")
            original(self, max_workers, *args, **kwargs)

        concurrent.futures.ProcessPoolExecutor.__init__ = recording
        """,
    )
    run = promptlint("check", ".", "-j", "1000", "--no-cache", "--output-format", "json", cwd=project, env=env)
    assert run.code == 1, run.err
    assert len(run.json()) == 24
    started = [int(line) for line in record.read_text().split()]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert started and all(workers >= 1 for workers in started) and sum(started) <= cores, (started, cores)


# ----------------------------------------------------------------------------- exit


def _project_of_planted_files(tmp_path: Path, count: int) -> Path:
    project = tmp_path / "many"
    project.mkdir()
    for index in range(count):
        (project / f"bot_{index}.py").write_text(PLANTED, encoding="utf-8")
    return project


def test_the_command_skips_the_interpreters_teardown_and_loses_no_output(tmp_path: Path) -> None:
    project = _project_of_planted_files(tmp_path, 24)  # enough files for a worker pool
    marker = tmp_path / "teardown.txt"
    env = with_sitecustomize(
        tmp_path,
        f"""
        import atexit

        atexit.register(lambda: open({str(marker)!r}, "w").write("torn down"))
        """,
    )
    run = promptlint("check", ".", "--no-cache", "--output-format", "json", cwd=project, env=env)
    assert run.code == 1, run.err
    assert len(run.json()) == 24  # every finding written and flushed before the exit
    assert not marker.exists()  # the interpreter's teardown (atexit, last collection) skipped
    clean = promptlint("check", ".", "--no-cache", "--select", "PRM201", cwd=project, env=env)
    assert clean.code == 0 and "All checks passed" in clean.out and not marker.exists()


def test_a_thread_still_running_at_the_end_is_waited_for(tmp_path: Path) -> None:
    project = _project_of_planted_files(tmp_path, 1)
    marker = tmp_path / "thread.txt"
    env = with_sitecustomize(
        tmp_path,
        f"""
        import threading, time

        def late():
            time.sleep(2)  # longer than the run: only an exit that waits for it sees it end
            open({str(marker)!r}, "w").write("finished")

        threading.Thread(target=late).start()
        """,
    )
    run = promptlint("check", ".", "--no-cache", "--output-format", "json", cwd=project, env=env)
    assert run.code == 1, run.err
    assert len(run.json()) == 1
    assert marker.read_text() == "finished"  # exited the normal way, which joins the thread


@pytest.mark.skipif(os.name != "posix", reason="closes standard output with a POSIX shell")
def test_a_run_with_standard_output_closed_still_writes_its_report_file(tmp_path: Path) -> None:
    project = _project_of_planted_files(tmp_path, 1)
    command = f"'{PROMPTLINT}' check . --no-cache --output-format json -o report.json >&-"
    process = subprocess.run(command, shell=True, cwd=project, stderr=subprocess.PIPE, text=True, timeout=300)
    assert process.returncode == 1, process.stderr  # findings, not a crash at exit
    assert "Traceback" not in process.stderr
    assert len(json.loads((project / "report.json").read_text(encoding="utf-8"))) == 1


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    project = _project_of_planted_files(tmp_path, 1)
    profile = tmp_path / "run.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "promptlint", "check", ".", "--no-cache", "-q"]
    process = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    assert "PRM402" in process.stdout, process.stderr  # (cProfile itself exits 0 after the program's exit)
    assert pstats.Stats(str(profile)).total_calls > 0  # the profiler's exit-time report was written
