# SPDX-License-Identifier: MIT
"""The library surface: everything the CLI does, callable from Python.

`lint_paths` and `lint_source` return a `LintResult`; `fix_paths` applies fixes;
`call_inventory` lists call sites. The CLI only parses options and prints.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from promptlint import output
from promptlint.files import decode_source
from promptlint.analysis.prefix import all_static_text, dynamic_segments, static_prefix
from promptlint.checks import all_rules, rule_by_code_or_name
from promptlint.config import Config, ConfigError, load_config, validate_selector
from promptlint.engine import LintResult, analyze_paths, analyze_run, display_path, link_entry_points, lint
from promptlint.fixes import DroppedFix, fix_file, select_fixes, unified_diff, write_atomic
from promptlint.pricing import lookup
from promptlint.suppress import add_ignore_comments
from promptlint.tokens import count_tokens
from promptlint.types import Applicability, Diagnostic, FileError, LLMCall


@dataclass(frozen=True)
class RunOptions:
    jobs: int | None = None
    use_cache: bool = True
    unsafe_fixes: bool = False
    today: date | None = None
    progress: Callable[[int, int], None] | None = None


def _common_parent(paths: Sequence[Path]) -> Path:
    resolved = [p.resolve() if p.exists() else p.absolute() for p in paths]
    parents = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(p) for p in parents])) if parents else Path.cwd()


def load_run_config(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    select: tuple[str, ...] = (),
    extend_select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> Config:
    """The configuration for a run, with command-line selections applied over the file's."""
    config = load_config(config_path, start=_common_parent(paths))
    for code in (*select, *extend_select, *ignore):
        validate_selector(code, source="the command line")
    if select:
        config = replace(config, select=select, extend_select=())
    if extend_select:
        config = replace(config, extend_select=config.extend_select + extend_select)
    if ignore:
        config = replace(config, ignore=config.ignore + ignore)
    return config


def lint_paths(
    paths: Sequence[str | Path],
    config: Config,
    options: RunOptions = RunOptions(),
    *,
    stdin_text: str | None = None,
) -> LintResult:
    overrides = {Path(paths[0]): stdin_text} if stdin_text is not None else None
    return lint(
        paths,
        config,
        jobs=options.jobs,
        use_cache=options.use_cache and overrides is None,
        overrides=overrides,
        today=options.today,
        progress=options.progress,
    )


def lint_source(source: str, filename: str = "<stdin>.py", config: Config | None = None, **kwargs) -> LintResult:
    """Lint one file's text as if it were at `filename` (imports resolve from its folder)."""
    path = Path(filename)
    config = config or Config(root=path.resolve().parent)
    return lint([path], config, use_cache=False, overrides={path: source}, **kwargs)


# ----------------------------------------------------------------------------- fixes


@dataclass
class FixRun:
    result: LintResult  # what remains after fixing
    fixed_count: int = 0
    changed_files: list[str] = field(default_factory=list)
    diff: str = ""
    stdin_output: str = ""
    dropped: list[DroppedFix] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)  # files that could not be fixed


def fix_paths(
    paths: Sequence[Path],
    config: Config,
    options: RunOptions,
    *,
    write: bool,
    stdin_text: str | None = None,
) -> FixRun:
    """Apply applicable fixes file by file, each re-checked to a fixed point."""
    first = lint_paths(paths, config, options, stdin_text=stdin_text)
    fixable = select_fixes(first.diagnostics, unsafe=options.unsafe_fixes)
    targets = sorted({d.filename for d in fixable})
    run = FixRun(first)
    overrides: dict[Path, str] = {}
    if stdin_text is not None:
        overrides[Path(paths[0]).resolve()] = stdin_text
    dependents = _dependents(first)
    for filename in targets:
        path = Path(filename)
        scope = [path, *dependents.get(str(path.resolve()), ())]

        def relint(text: str, path: Path = path, scope: list[Path] = scope) -> list[Diagnostic]:
            result = lint(
                scope,
                config,
                use_cache=False,
                overrides={**overrides, path.resolve(): text},
                today=options.today,
            )
            return [d for d in result.diagnostics if Path(d.filename).resolve() == path.resolve()]

        original = overrides.get(path.resolve())
        outcome = fix_file(
            path,
            relint,
            unsafe=options.unsafe_fixes,
            write=write and original is None,
            source=original,
        )
        if outcome.error is not None:
            run.errors.append(outcome.error)
        if outcome.changed:
            run.changed_files.append(filename)
            run.fixed_count += sum(outcome.applied.values())
            run.diff += unified_diff(outcome)
            overrides[path.resolve()] = outcome.new_text
        run.dropped.extend(outcome.dropped)
    if stdin_text is not None:
        run.stdin_output = overrides[Path(paths[0]).resolve()]
    if run.changed_files:
        live_overrides = overrides if (not write or stdin_text is not None) else {}
        run.result = lint(paths, config, jobs=options.jobs, use_cache=False, overrides=live_overrides or None, today=options.today)
    run.result.errors.extend(run.errors)
    return run


def _dependents(result: LintResult) -> dict[str, list[Path]]:
    """For each file, the analysed files whose results depend on it (they import from it)."""
    found: dict[str, list[Path]] = {}
    for analysis in result.analyses:
        for dependency, _ in analysis.dependencies:
            found.setdefault(str(Path(dependency).resolve()), []).append(Path(analysis.filename))
    return found


def add_ignores(result: LintResult) -> int:
    """Write `# promptlint: ignore[CODE]` comments for every finding; returns how many.

    A file that cannot be read or written is added to `result.errors` and left as it was.
    """
    by_file: dict[str, dict[int, set[str]]] = {}
    for diagnostic in result.diagnostics:
        by_file.setdefault(diagnostic.filename, {}).setdefault(diagnostic.span.start.row, set()).add(diagnostic.code)
    added = 0
    for filename, codes_by_line in by_file.items():
        path = Path(filename)
        try:
            original = path.read_bytes()
            text = decode_source(original)
            updated = add_ignore_comments(text, codes_by_line)
            if updated != text:
                write_atomic(path, updated, original)
                added += len(codes_by_line)
        except OSError as error:
            result.errors.append(FileError(filename, f"cannot add ignore comments: {error.strerror or error}"))
    return added


# ----------------------------------------------------------------------------- output


def render(
    fmt: str,
    result: LintResult,
    *,
    color: bool,
    fixed_count: int = 0,
    unsafe_fixes: bool = False,
    quiet: bool = False,
    calls_per_month: int | None = None,
) -> str:
    data = output.RenderInput(
        diagnostics=result.diagnostics,
        errors=result.errors,
        sources=result.sources,
        fixed_count=fixed_count,
        calls_per_month=calls_per_month,
        unsafe_fixes=unsafe_fixes,
        quiet=quiet,
    )
    return output.render(fmt, data, color=color)


def statistics_table(result: LintResult, *, unsafe_fixes: bool) -> str:
    counts = Counter(d.code for d in result.diagnostics)
    fixable = {d.code for d in select_fixes(result.diagnostics, unsafe=unsafe_fixes)}
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_code_or_name(code)
        name = rule.name if rule else ""
        marker = "[*]" if code in fixable else "[ ]"
        lines.append(f"{count}\t{code}\t{marker} {name}")
    return "\n".join(lines) + ("\n" if lines else "")


def rule_docs(key: str) -> str | None:
    rule = rule_by_code_or_name(key)
    if rule is None:
        return None
    header = f"# {rule.name} ({rule.code})\n\n"
    fix = {
        None: "Fix: none",
        Applicability.SAFE: "Fix: safe (applied by --fix)",
        Applicability.UNSAFE: "Fix: unsafe (applied with --fix --unsafe-fixes)",
        Applicability.DISPLAY_ONLY: "Fix: display-only (shown, never applied)",
    }[rule.fix_applicability]
    return header + fix + "\n\n" + rule.docs() + "\n"


def all_rule_docs() -> str:
    return "\n".join(rule_docs(rule.code) or "" for rule in all_rules())


# ----------------------------------------------------------------------------- calls


def call_inventory(
    paths: Sequence[Path], config: Config, options: RunOptions = RunOptions()
) -> tuple[list[dict], list]:
    """One JSON-ready row per call site (the `promptlint calls` listing)."""
    run = analyze_run(paths, config, jobs=options.jobs, use_cache=options.use_cache, progress=options.progress)
    rows = [
        call_row(call)
        for analysis in link_entry_points(run.analyses)
        if analysis.filename in run.given
        for call in analysis.calls
    ]
    return rows, [replace(error, filename=display_path(error.filename)) for error in run.errors]


def call_row(call: LLMCall) -> dict:
    prefix, _ = static_prefix(call)
    prefix_count = count_tokens(prefix, call.model) if prefix else None
    static_count = count_tokens(all_static_text(call), call.model)
    prices = lookup(call.model, call.model_provider) if call.model else None
    usd = None if prices is None else round(static_count.tokens * prices.input, 2)
    return {
        "filename": display_path(call.filename),
        "location": {"row": call.span.start.row, "column": call.span.start.column},
        "end_location": {"row": call.span.end.row, "column": call.span.end.column},
        "provider": call.provider,
        "api": call.api,
        "model": call.model,
        "model_provider": call.model_provider,
        "stream": call.stream,
        "prefix_tokens": prefix_count.tokens if prefix_count else 0,
        "static_tokens": static_count.tokens,
        "tokens_exact": static_count.exact,
        "dynamic_segments": [
            {"kind": s.kind.value, "expression": s.text, "row": s.span.start.row if s.span else None}
            for s in dynamic_segments(call)
        ],
        "usd_per_1m_calls": usd,
        "in_loop": bool(call.context.loops),
        "user_facing": call.context.handler is not None,
        "handler": call.context.handler.route or call.context.handler.function if call.context.handler else None,
        "background": call.context.background,
        "via": call.via,  # the project wrapper this call goes through, if any
        "wrapped": call.wrapped,  # an SDK call made inside a wrapper whose callers were found
    }


def format_call_row(row: dict) -> str:
    location = f"{row['filename']}:{row['location']['row']}:{row['location']['column']}"
    model = row["model"] or "dynamic"
    stream = "stream" if row["stream"] else "no-stream"
    approx = "" if row["tokens_exact"] else "~"
    kinds = ",".join(sorted({d["kind"] for d in row["dynamic_segments"]})) or "-"
    usd = f"${row['usd_per_1m_calls']:,.2f}/1M calls" if row["usd_per_1m_calls"] is not None else "$? (price unknown)"
    where = []
    if row["in_loop"]:
        where.append("loop")
    if row["user_facing"]:
        where.append(f"user-facing {row['handler']}")
    elif row["background"]:
        where.append(f"background ({row['background']})")
    if row.get("via"):
        where.append(f"via wrapper {row['via']}")
    if row.get("wrapped"):
        where.append("inside a wrapper")
    return (
        f"{location}: {row['provider']} {row['api']} model={model} {stream} "
        f"prefix={approx}{row['prefix_tokens']:,} tok dynamic={kinds} input={usd}"
        + (f" [{'; '.join(where)}]" if where else "")
    )


__all__ = ["ConfigError", "LintResult", "RunOptions", "lint_paths", "lint_source", "fix_paths"]
