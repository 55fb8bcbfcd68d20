# SPDX-License-Identifier: MIT
"""Command-line wiring only: options in, `api` calls, renderers out, exit codes.

Exit codes (as ruff): 0 nothing found, 1 findings, 2 usage, configuration or tool error
(including any file that could not be read, decoded or parsed: never 0 when a file was
not checked, and never 1 for a bug of ours: an unexpected exception is reported as a
promptlint internal error and exits 2).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

import click

from promptlint import DISTRIBUTION, __version__

if TYPE_CHECKING:  # imported where used: `--version` and `--help` need none of it
    from promptlint import api

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
#: Set to 1 to see the traceback of an internal error.
DEBUG_VARIABLE = "PROMPTLINT_DEBUG"


def _fail(message: str) -> NoReturn:
    _write(sys.stderr, f"promptlint: error: {message}\n")
    sys.exit(EXIT_ERROR)


def _warn(message: str) -> None:
    _write(sys.stderr, f"warning: {message}\n")


def _write(stream: IO[str], text: str, *, utf8: bool = False) -> None:
    """Write `text` so that no character can make it fail: what the stream's encoding cannot
    hold is written as a backslash escape. Machine-readable formats are UTF-8 always."""
    from promptlint.output import encode

    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (an embedding application's)
        stream.write(text)
        return
    stream.flush()
    buffer.write(encode(text, "utf-8" if utf8 else (stream.encoding or "utf-8")))
    buffer.flush()


def _color(stream: IO[str]) -> bool:
    """Colour on a terminal, following no-color.org (a non-empty NO_COLOR turns it off),
    FORCE_COLOR (non-empty: on even when piped) and TERM=dumb (off)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


class _Progress:
    """A progress bar on stderr, shown only on a terminal and only once a run passes ~1 s."""

    DELAY = 1.0
    WIDTH = 30

    def __init__(self, *, enabled: bool = True) -> None:
        self.start = time.monotonic()
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < self.DELAY:
            return
        filled = self.WIDTH * done // max(total, 1)
        sys.stderr.write(f"\r[{'=' * filled}{' ' * (self.WIDTH - filled)}] {done}/{total} files")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * (self.WIDTH + 30) + "\r")
            sys.stderr.flush()


class _Report:
    """Where a command's report goes: `--output-file`, standard output, or standard error
    (when standard output carries the fixed source of `--stdin-filename --fix`)."""

    def __init__(self, output_file: Path | None, *, to_stderr: bool = False) -> None:
        self.output_file = output_file
        self.stream = sys.stderr if to_stderr else sys.stdout

    @property
    def color(self) -> bool:
        return self.output_file is None and _color(self.stream)

    def write(self, text: str, *, utf8: bool = False) -> None:
        from promptlint.output import encode
        from promptlint.output.common import printable_path

        if self.output_file is None:
            _write(self.stream, text, utf8=utf8)
            return
        try:
            self.output_file.parent.mkdir(parents=True, exist_ok=True)
            self.output_file.write_bytes(encode(text))  # a file is UTF-8, whatever the terminal
        except OSError as error:
            _fail(f"cannot write --output-file {printable_path(str(self.output_file))}: {error.strerror or error}")


def _codes(option: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select PRM1,PRM201 --select PRM3` -> ("PRM1", "PRM201", "PRM3").

    A value naming no code (`--select ""`) is a usage error, as in ruff: silently taking
    it as "no selection" would run every rule.
    """
    codes = []
    for value in values:
        parts = [code.strip().upper() for code in value.split(",")]
        if not any(parts):
            raise click.BadParameter(f"{value!r} names no rule code", param_hint=f"'{option}'")
        codes += [code for code in parts if code]
    return tuple(codes)


def _report_issues_url() -> str:
    """Where to report a bug: the distribution's `Issues` project URL."""
    from importlib import metadata

    try:
        for entry in metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "issues":
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return "the promptlint issue tracker"


class _Group(click.Group):
    """The command group, which turns an exception nobody expected into a short "internal
    error" report naming the command and the exception type (exit 2): a bug of ours is
    never shown as a traceback, nor taken for findings (exit 1)."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            _write(sys.stderr, "\npromptlint: interrupted\n")
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`promptlint check | head`): nothing left to tell it.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except Exception as error:  # noqa: BLE001 - the one place that reports our bugs
            command = " ".join(filter(None, ("promptlint", ctx.invoked_subcommand)))
            if os.environ.get(DEBUG_VARIABLE) == "1":
                traceback.print_exc()
            detail = (str(error).splitlines() or [""])[0][:200]
            hint = "" if os.environ.get(DEBUG_VARIABLE) == "1" else f" (set {DEBUG_VARIABLE}=1 for the traceback)"
            _write(
                sys.stderr,
                f"promptlint: internal error in `{command}`: {type(error).__name__}"
                + (f": {detail}" if detail else "")
                + f"\npromptlint: this is a bug in promptlint {__version__}, not in your code: "
                f"please report it at {_report_issues_url()}{hint}\n",
            )
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="promptlint")
def main() -> None:
    """promptlint: find the LLM calls in Python code that waste tokens, money or latency."""



def run() -> NoReturn:
    """The installed command: `main`, then an exit that skips the interpreter's teardown.

    A run ends holding up to millions of objects (summaries, analyses, the tokenizer).
    A normal exit collects and frees each of them before the process ends, which took
    0.15-0.22 s of a 1.3 s run on a 326-file project; the operating system frees them at
    once. Everything written is flushed first. A run that cannot end so cleanly (a failed
    flush, a process or thread still running, an exit status that is not a number) exits
    the normal way, as the interpreter would report it; so does a run under a profiler,
    a debugger or coverage, which write their reports at exit.
    """
    try:
        main()
        status: object = EXIT_CLEAN
    except SystemExit as exit_:
        status = EXIT_CLEAN if exit_.code is None else exit_.code
    if not isinstance(status, int) or _still_running() or _observed():
        sys.exit(status)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: closed when the program started (`>&-`)
                stream.flush()
    except (OSError, ValueError):
        sys.exit(status)
    os._exit(status)


def _observed() -> bool:
    """Whether a profiler, a debugger or coverage watches this process: a trace or profile
    hook, or (Python 3.12 and later, where cProfile and coverage use it) a `sys.monitoring`
    tool."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))


def _still_running() -> bool:
    """Whether a worker process or a thread of this run is still alive (an interrupted
    run's pool), which a normal exit waits for or reaps."""
    multiprocessing = sys.modules.get("multiprocessing")
    threading = sys.modules.get("threading")
    return bool(multiprocessing and multiprocessing.active_children()) or bool(threading and threading.active_count() > 1)

_OUTPUT_FILE = click.option(
    "--output-file",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the configured set).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable on top of the configured set.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable (ALL: every rule).")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix or --diff), and show them as fixable.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing. Exit 1 if there are any.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default="text",
    show_default=True,
)
@_OUTPUT_FILE
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--stdin-filename", help="Lint standard input as this file (path arguments are ignored).")
@click.option("--add-ignore", is_flag=True, help="Add `# promptlint: ignore[...]` comments for every current finding.")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings that this baseline file (from --write-baseline) does not record.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record every current finding in this file, to pass to --baseline later.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default and most: the cores).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, progress bar or warnings.")
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    exit_zero: bool,
    no_cache: bool,
    config_path: Path | None,
    stdin_filename: str | None,
    add_ignore: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Check PATHS (default: the current directory) for wasted tokens, money and latency."""
    from promptlint import api
    from promptlint.output import UTF8_FORMATS
    from promptlint.output.common import printable_path

    if add_ignore and (stdin_filename is not None or diff):
        _fail("--add-ignore edits files on disk: it cannot be combined with --stdin-filename or --diff")
    if baseline is not None and write_baseline is not None:
        _fail("--baseline and --write-baseline cannot be combined (--write-baseline records every finding)")
    if write_baseline is not None and (diff or add_ignore or statistics):
        _fail("--write-baseline cannot be combined with --diff, --add-ignore or --statistics")
    if statistics and output_format not in ("text", "concise", "json"):
        raise click.UsageError(f"--statistics prints text or json, not {output_format}")
    selection = {
        "select": _codes("--select", select),
        "extend_select": _codes("--extend-select", extend_select),
        "ignore": _codes("--ignore", ignore),
    }
    if stdin_filename is not None:
        if Path(stdin_filename).is_dir():
            _fail(f"--stdin-filename {printable_path(stdin_filename)} is a directory: name the file standard input holds")
        if paths:
            ignored = ", ".join(printable_path(str(path)) for path in paths)
            _warn(f"ignoring the path arguments ({ignored}) in favor of standard input (--stdin-filename)")
        # Standard input is linted as that file: its configuration, its per-file ignores.
        paths = (Path(stdin_filename),)
    paths = paths or (Path("."),)
    try:
        config = api.load_run_config(paths, config_path=config_path, **selection)
        known = api.read_baseline(baseline) if baseline is not None else None
    except (api.ConfigError, api.BaselineError) as error:
        _fail(str(error))
    stdin_text = _read_stdin() if stdin_filename is not None else None

    # Like ruff: with --stdin-filename, --fix writes the fixed source to stdout, so the
    # report goes to stderr (or to --output-file).
    report = _Report(output_file, to_stderr=stdin_text is not None and fix and not diff)
    progress = _Progress(enabled=not quiet)
    options = api.RunOptions(jobs=jobs, use_cache=not no_cache, unsafe_fixes=unsafe_fixes, progress=progress, price_helper=True)
    if diff or fix:
        outcome = api.fix_paths(paths, config, options, write=fix and not diff, stdin_text=stdin_text)
        progress.close()
        if not quiet:
            for dropped in outcome.dropped:
                _warn(str(dropped))
        if diff:
            _finish_diff(outcome, report, unsafe_fixes=unsafe_fixes, quiet=quiet, exit_zero=exit_zero)
        if report.stream is sys.stderr:
            _write(sys.stdout, outcome.stdin_output)
        result = outcome.result
        fixed_count = outcome.fixed_count
    else:
        result = api.lint_paths(paths, config, options, stdin_text=stdin_text)
        progress.close()
        fixed_count = 0

    if not quiet:
        stdin = (Path(stdin_filename), stdin_text) if stdin_filename is not None and stdin_text is not None else None
        for warning in api.suppression_warnings(result, stdin=stdin):
            _warn(warning)

    if add_ignore:
        added = api.add_ignores(result)
        _write(sys.stderr, f"Added {added} ignore comment{'s' if added != 1 else ''}.\n")
        _echo_errors(result.errors)
        sys.exit(EXIT_ERROR if result.errors else EXIT_CLEAN)

    if write_baseline is not None:
        try:
            recorded = api.write_baseline(write_baseline, result, api.repository_root(paths, config))
        except api.BaselineError as error:
            _fail(str(error))
        noun = "finding" if recorded == 1 else "findings"
        _write(sys.stderr, f"Wrote a baseline of {recorded} {noun} to {printable_path(str(write_baseline))}.\n")
        _echo_errors(result.errors)
        sys.exit(EXIT_ERROR if result.errors else EXIT_CLEAN)

    baselined = 0
    if known is not None:
        result, baselined = api.apply_baseline(result, known, api.repository_root(paths, config))

    if statistics:
        if output_format == "json":
            report.write(json.dumps(api.statistics(result, unsafe_fixes=unsafe_fixes), indent=2) + "\n", utf8=True)
        else:
            report.write(api.statistics_table(result, unsafe_fixes=unsafe_fixes))
    else:
        text = api.render(
            output_format,
            result,
            color=report.color,
            fixed_count=fixed_count,
            unsafe_fixes=unsafe_fixes,
            quiet=quiet,
            calls_per_month=config.calls_per_month,
            root=api.report_root(output_format, paths, config),
            baselined=baselined,
        )
        report.write(text if not text or text.endswith("\n") else text + "\n", utf8=output_format in UTF8_FORMATS)
    _echo_errors(result.errors)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if result.diagnostics and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _finish_diff(outcome: api.FixRun, report: _Report, *, unsafe_fixes: bool, quiet: bool, exit_zero: bool) -> NoReturn:
    """Print `--diff`'s diff and ruff's summary ("Would fix N problems."); exit 1 when
    something would change (0 with --exit-zero), 2 when a file could not be checked."""
    from promptlint import api
    report.write(outcome.diff)
    if not quiet:
        remaining = outcome.result.diagnostics
        hidden = 0 if unsafe_fixes else api.unsafe_fix_count(remaining)
        more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
        count = outcome.fixed_count
        noun = "problem" if count == 1 else "problems"
        summary = f"Would fix {count} {noun}{more}." if count else f"No problems would be fixed{more}."
        _write(sys.stderr, summary + "\n")
    _echo_errors(outcome.result.errors)
    if outcome.result.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.changed_files and not exit_zero else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_OUTPUT_FILE
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default and most: the cores).")
def calls(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    config_path: Path | None,
    no_cache: bool,
    jobs: int | None,
) -> None:
    """List every LLM call site under PATHS with its model, prompt and cost."""
    from promptlint import api
    paths = paths or (Path("."),)
    try:
        config = api.load_run_config(paths, config_path=config_path)
    except api.ConfigError as error:
        _fail(str(error))
    progress = _Progress()
    inventory, errors = api.call_inventory(
        paths, config, api.RunOptions(jobs=jobs, use_cache=not no_cache, progress=progress)
    )
    progress.close()
    report = _Report(output_file)
    if output_format == "json":
        report.write(json.dumps(inventory, indent=2, ensure_ascii=False) + "\n", utf8=True)
    else:
        report.write("".join(api.format_call_row(row) + "\n" for row in inventory))
        if not inventory:
            _write(sys.stderr, "No LLM calls found.\n")
    _echo_errors(errors)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


@main.command()
@click.argument("rule", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's documentation.")
def rule(rule: str | None, show_all: bool) -> None:
    """Print a rule's documentation (by code, such as PRM201, or name)."""
    from promptlint import api
    if show_all:
        _write(sys.stdout, api.all_rule_docs() + "\n")
        return
    if rule is None:
        _fail("give a rule code or name, or --all")
    docs = api.rule_docs(rule)
    if docs is None:
        _fail(f"unknown rule '{rule}' (see `promptlint rule --all`)")
    _write(sys.stdout, docs + "\n")


def _read_stdin() -> str:
    from promptlint import api

    data = sys.stdin.buffer.read()
    try:
        return api.decode_source(data)
    except UnicodeDecodeError as error:
        _fail(f"standard input is not valid text: {error.reason} at byte {error.start}")
    except SyntaxError as error:
        _fail(f"standard input is not valid text: {error.msg}")


def _echo_errors(errors) -> None:  # type: ignore[no-untyped-def]
    from promptlint.output import render_errors

    if errors:
        _write(sys.stderr, render_errors(errors))
