# SPDX-License-Identifier: MIT
"""Command-line wiring only: options in, `api` calls, renderers out, exit codes.

Exit codes (as ruff): 0 nothing found, 1 findings, 2 usage, configuration or tool error
(including any file that could not be read, decoded or parsed: never 0 when a file was
not checked).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from promptlint import __version__, api
from promptlint.config import ConfigError
from promptlint.output import render_errors

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"promptlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _color(stream) -> bool:
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


class _Progress:
    """A progress bar on stderr, shown only on a terminal and only once a run passes ~1 s."""

    DELAY = 1.0
    WIDTH = 30

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.enabled = sys.stderr.isatty()
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


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select PRM1,PRM201 --select PRM3` -> ("PRM1", "PRM201", "PRM3")."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="promptlint")
def main() -> None:
    """promptlint: find the LLM calls in Python code that waste tokens, money or latency."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the configured set).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable on top of the configured set.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix or --diff), and show them as fixable.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing. Exit 1 if there are any.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default="text",
    show_default=True,
)
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--stdin-filename", help="Lint standard input, reporting it as this file name.")
@click.option("--add-ignore", is_flag=True, help="Add `# promptlint: ignore[...]` comments for every current finding.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary.")
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    output_format: str,
    statistics: bool,
    exit_zero: bool,
    no_cache: bool,
    config_path: Path | None,
    stdin_filename: str | None,
    add_ignore: bool,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Check PATHS (default: the current directory) for wasted tokens, money and latency."""
    if add_ignore and (stdin_filename is not None or diff):
        _fail("--add-ignore edits files on disk: it cannot be combined with --stdin-filename or --diff")
    paths = paths or (Path("."),)
    if stdin_filename is not None:
        # Standard input is linted as that file: its configuration, its per-file ignores.
        paths = (Path(stdin_filename),)
    try:
        config = api.load_run_config(
            paths,
            config_path=config_path,
            select=_codes(select),
            extend_select=_codes(extend_select),
            ignore=_codes(ignore),
        )
    except ConfigError as error:
        _fail(str(error))
        return
    stdin_text = _read_stdin() if stdin_filename is not None else None

    # Like ruff: with --stdin-filename, --fix writes the fixed source to stdout, so the
    # report goes to stderr.
    report_to_stderr = stdin_text is not None and fix and not diff
    progress = _Progress()
    options = api.RunOptions(jobs=jobs, use_cache=not no_cache, unsafe_fixes=unsafe_fixes, progress=progress)
    if diff or fix:
        outcome = api.fix_paths(paths, config, options, write=fix and not diff, stdin_text=stdin_text)
        if diff:
            click.echo(outcome.diff, nl=False)
            _echo_errors(outcome.result.errors)
            if outcome.result.errors:
                sys.exit(EXIT_ERROR)
            sys.exit(EXIT_FINDINGS if outcome.changed_files else EXIT_CLEAN)
        if report_to_stderr:
            click.echo(outcome.stdin_output, nl=False)
        result = outcome.result
        fixed_count = outcome.fixed_count
        for dropped in outcome.dropped:
            click.echo(f"warning: {dropped}", err=True)
    else:
        result = api.lint_paths(paths, config, options, stdin_text=stdin_text)
        fixed_count = 0
    progress.close()

    if add_ignore:
        added = api.add_ignores(result)
        click.echo(f"Added {added} ignore comment{'s' if added != 1 else ''}.", err=True)
        _echo_errors(result.errors)
        sys.exit(EXIT_ERROR if result.errors else EXIT_CLEAN)

    if statistics:
        click.echo(api.statistics_table(result, unsafe_fixes=unsafe_fixes), nl=False, err=report_to_stderr)
    else:
        color = _color(sys.stderr if report_to_stderr else sys.stdout)
        text = api.render(
            output_format,
            result,
            color=color,
            fixed_count=fixed_count,
            unsafe_fixes=unsafe_fixes,
            quiet=quiet,
            calls_per_month=config.calls_per_month,
        )
        # `color` passed on: click would otherwise strip the styles FORCE_COLOR asked for.
        click.echo(text, nl=not text.endswith("\n") and bool(text), err=report_to_stderr, color=color)
    _echo_errors(result.errors)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if result.diagnostics and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
def calls(paths: tuple[Path, ...], output_format: str, config_path: Path | None, no_cache: bool, jobs: int | None) -> None:
    """List every LLM call site under PATHS with its model, prompt and cost."""
    paths = paths or (Path("."),)
    try:
        config = api.load_run_config(paths, config_path=config_path)
    except ConfigError as error:
        _fail(str(error))
        return
    progress = _Progress()
    inventory, errors = api.call_inventory(
        paths, config, api.RunOptions(jobs=jobs, use_cache=not no_cache, progress=progress)
    )
    progress.close()
    if output_format == "json":
        click.echo(json.dumps(inventory, indent=2))
    else:
        for row in inventory:
            click.echo(api.format_call_row(row))
        if not inventory:
            click.echo("No LLM calls found.", err=True)
    _echo_errors(errors)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


@main.command()
@click.argument("rule", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's documentation.")
def rule(rule: str | None, show_all: bool) -> None:
    """Print a rule's documentation (by code, such as PRM201, or name)."""
    if show_all:
        click.echo(api.all_rule_docs())
        return
    if rule is None:
        _fail("give a rule code or name, or --all")
        return
    docs = api.rule_docs(rule)
    if docs is None:
        _fail(f"unknown rule '{rule}' (see `promptlint rule --all`)")
        return
    click.echo(docs)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    try:
        return api.decode_source(data)
    except UnicodeDecodeError as error:
        _fail(f"standard input is not valid text: {error.reason} at byte {error.start}")
    except SyntaxError as error:
        _fail(f"standard input is not valid text: {error.msg}")
    return ""


def _echo_errors(errors) -> None:
    if errors:
        click.echo(render_errors(errors), nl=False, err=True)
