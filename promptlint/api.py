# SPDX-License-Identifier: MIT
"""The library surface: everything the CLI does, callable from Python.

`lint_paths` and `lint_source` return a `LintResult`; `fix_paths` applies fixes;
`call_inventory` lists call sites; `write_baseline`/`apply_baseline` keep known findings
out of a report. The CLI only parses options and prints.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from promptlint import output
from promptlint.files import decode_source
from promptlint.config import Config, ConfigError, load_config, validate_selector, with_command_line_selection
from promptlint.engine import LintResult, SourceReader, analyze_run, display_path, link_entry_points, lint
from promptlint.output.common import printable_path, relative_path
from promptlint.output.fingerprint import fingerprints
from promptlint.types import Applicability, Diagnostic, FileError, select_fixes

if TYPE_CHECKING:
    from promptlint.analysis.results import LLMCall
    from promptlint.fixes import DroppedFix  # a fix run imports the fixer; a check never does


@dataclass(frozen=True)
class RunOptions:
    jobs: int | None = None
    use_cache: bool = True
    unsafe_fixes: bool = False
    today: date | None = None
    progress: Callable[[int, int], None] | None = None
    #: Import genai-prices in a process of its own while the rules run, with
    #: more than one job: a process that lints once (the command) gains the import's
    #: time, one that lints again and again would start a process each time.
    price_helper: bool = False


def available_cpus() -> int:
    """The cores this process may run on (its affinity mask, where the system has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _jobs(requested: int | None) -> int | None:
    """The worker processes to ask the engine for: never more than the cores, so `-j 1000`
    does not start a thousand processes. None lets the engine choose."""
    return None if requested is None else max(1, min(requested, available_cpus()))


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
    """The configuration for a run, with command-line selections applied over the file's.

    Without a configuration file the project root is the working directory, as in ruff,
    when every path lies inside it (else the paths' common folder): `check shop/email.py`
    and `check .` then see the same project and name its files the same way."""
    start = _common_parent(paths)
    config = load_config(config_path, start=start)
    if config.source is None:
        here = Path.cwd()
        if all(Path(os.path.abspath(path)).is_relative_to(here) for path in paths):  # no resolve: a named symlink loop is reported later
            config = replace(config, root=here)
    for code in (*select, *extend_select, *ignore):
        validate_selector(code, source="the command line")
    return with_command_line_selection(config, select, extend_select, ignore)


def lint_paths(
    paths: Sequence[str | Path],
    config: Config,
    options: RunOptions = RunOptions(),
    *,
    stdin_text: str | None = None,
) -> LintResult:
    """Lint `paths`; with `stdin_text`, lint that text as the one file `paths[0]` names.

    Standard input is the editor's buffer: the rest of the project is read as context
    (imports, prompts), but only the buffer's findings and errors are reported, as ruff does.
    """
    overrides = {Path(paths[0]): stdin_text} if stdin_text is not None else None
    result = lint(
        paths,
        config,
        jobs=_jobs(options.jobs),
        use_cache=options.use_cache and overrides is None,
        overrides=overrides,
        today=options.today,
        progress=options.progress,
        price_helper=options.price_helper and (_jobs(options.jobs) or available_cpus()) > 1,
    )
    return only_files(result, [Path(paths[0])]) if stdin_text is not None else result


def only_files(result: LintResult, wanted: Sequence[Path]) -> LintResult:
    """`result` keeping the findings and errors of the `wanted` files (or files below them)."""
    given = [path.resolve() for path in wanted]
    diagnostics = [d for d in result.diagnostics if _is_given(d.filename, given)]
    return replace(
        result,
        diagnostics=diagnostics,
        errors=[e for e in result.errors if _is_given(e.filename, given)],
        sources={d.filename: result.sources[d.filename] for d in diagnostics if d.filename in result.sources},
    )


def _is_given(filename: str, given: Sequence[Path]) -> bool:
    """Whether `filename` is one of the `given` (resolved) paths or lies below one."""
    path = Path(filename).resolve()
    return any(path == root or path.is_relative_to(root) for root in given)


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
    """Apply applicable fixes file by file, each re-checked to a fixed point.

    Only the files `paths` name (or hold) are changed: pre-commit passes the files it
    stages and rolls back when the hook touches another, so a fix that belongs in a file
    not given (a prompt defined in an unchanged module) is reported as not applied.
    """
    from promptlint.fixes import DroppedFix, fix_file, unified_diff

    first = lint_paths(paths, config, options, stdin_text=stdin_text)
    given = [Path(path).resolve() for path in paths]
    fixable = select_fixes(first.diagnostics, unsafe=options.unsafe_fixes)
    targets = sorted({d.filename for d in fixable if _is_given(d.filename, given)})
    run = FixRun(first)
    for diagnostic in fixable:
        if not _is_given(diagnostic.filename, given):
            title = diagnostic.fix.title if diagnostic.fix else ""
            reason = "the file is not among the paths given (name it to fix it)"
            run.dropped.append(DroppedFix(diagnostic.filename, diagnostic.code, title, diagnostic.span.start, reason))
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
        run.result = lint(
            paths, config, jobs=_jobs(options.jobs), use_cache=False, overrides=live_overrides or None, today=options.today
        )
        if stdin_text is not None:
            run.result = only_files(run.result, [Path(paths[0])])
    run.result.errors.extend(run.errors)
    return run


def _dependents(result: LintResult) -> dict[str, list[Path]]:
    """For each file, the analysed files whose results depend on it (they import from it)."""
    return {str(Path(path).resolve()): [Path(reader) for reader in readers] for path, readers in result.dependents.items()}


def add_ignores(result: LintResult) -> int:
    """Write `# promptlint: ignore[CODE]` comments for every finding; returns how many.

    A file that cannot be read or written is added to `result.errors` and left as it was.
    """
    from promptlint.fixes import write_atomic
    from promptlint.suppress import add_ignore_comments

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
    root: Path | None = None,
    baselined: int = 0,
) -> str:
    """`result` in format `fmt`; `root` is what CI formats' paths are relative to (see
    `report_root`), `baselined` how many findings a baseline hid."""
    data = output.RenderInput(
        diagnostics=result.diagnostics,
        errors=result.errors,
        sources=result.sources,
        fixed_count=fixed_count,
        calls_per_month=calls_per_month,
        unsafe_fixes=unsafe_fixes,
        quiet=quiet,
        root=str(root) if root is not None else None,
        baselined=baselined,
    )
    return output.render(fmt, data, color=color)


def repository_root(paths: Sequence[Path], config: Config) -> Path:
    """The top of the git work tree holding `paths`, else the configuration file's folder,
    else the working directory: what CI reports are relative to, so a run from a
    subdirectory annotates the right files."""
    start = _common_parent(paths)
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return config.root if config.source is not None else Path.cwd()


def report_root(fmt: str, paths: Sequence[Path], config: Config) -> Path | None:
    """What report paths in format `fmt` are relative to: None (as the user named them) for
    the human formats and JSON; the repository root for the CI formats, or for GitLab
    `CI_PROJECT_DIR` when set, as ruff does."""
    if fmt not in output.REPOSITORY_RELATIVE:
        return None
    if fmt == "gitlab" and os.environ.get("CI_PROJECT_DIR"):
        return Path(os.environ["CI_PROJECT_DIR"]).resolve()
    return repository_root(paths, config)


def statistics(result: LintResult, *, unsafe_fixes: bool) -> list[dict]:
    """Findings counted per rule, most frequent first: ruff's `--statistics` JSON objects."""
    from promptlint.checks import rule_by_code_or_name

    counts = Counter(d.code for d in result.diagnostics)
    fixable = {d.code for d in select_fixes(result.diagnostics, unsafe=unsafe_fixes)}
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_code_or_name(code)
        rows.append({"code": code, "name": rule.name if rule else "", "count": count, "fixable": code in fixable})
    return rows


def unsafe_fix_count(diagnostics: Sequence[Diagnostic]) -> int:
    """How many of `diagnostics` only `--unsafe-fixes` would fix."""
    return len(select_fixes(diagnostics, unsafe=True)) - len(select_fixes(diagnostics, unsafe=False))


def statistics_table(result: LintResult, *, unsafe_fixes: bool) -> str:
    """`count<TAB>code<TAB>[*] name` per rule, as ruff prints it."""
    lines = [
        f"{row['count']}\t{row['code']}\t{'[*]' if row['fixable'] else '[ ]'} {row['name']}"
        for row in statistics(result, unsafe_fixes=unsafe_fixes)
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def suppression_warnings(result: LintResult, *, stdin: tuple[Path, str] | None = None) -> list[str]:
    """`path:line: message` for each suppression comment that silences less than it seems
    to (malformed, an unknown code, `ignore-file` below code) in the checked files."""
    from promptlint.suppress import may_hold_directives, parse_suppressions

    known: set[str] | None = None  # the rules' codes, once a file has a directive: it imports every rule
    read = SourceReader(dict([stdin]) if stdin else None)
    filenames = {display_path(path) for path in result.analysed} | {d.filename for d in result.diagnostics}
    warnings = []
    for filename in sorted(filenames):
        text = read(filename)
        if not may_hold_directives(text):
            continue
        if known is None:
            from promptlint.checks import all_rules

            known = {rule.code for rule in all_rules()}
        for warning in parse_suppressions(text, known).warnings:
            warnings.append(f"{printable_path(filename)}:{warning.line}: {warning.message}")
    return warnings


# ----------------------------------------------------------------------------- baseline


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


#: `version` of the baseline file format this release writes and reads.
BASELINE_VERSION = 1


def _fingerprints(result: LintResult, root: Path) -> list[str]:
    return fingerprints(result.diagnostics, result.sources, root)


def write_baseline(path: Path, result: LintResult, root: Path) -> int:
    """Record every finding of `result` in `path` by its stable fingerprint (see
    `output/fingerprint.py`: rule, repository-relative file, flagged text, occurrence; no
    line numbers, so edits elsewhere keep a finding known). Returns how many."""
    entries = [
        {
            "fingerprint": fingerprint,
            "code": diagnostic.code,
            "filename": relative_path(diagnostic.filename, root),
            "message": diagnostic.message,
        }
        for diagnostic, fingerprint in zip(result.diagnostics, _fingerprints(result, root))
    ]
    entries.sort(key=lambda entry: (entry["filename"], entry["code"], entry["fingerprint"]))
    document = {"tool": "promptlint", "version": BASELINE_VERSION, "findings": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode(json.dumps(document, indent=2, ensure_ascii=False) + "\n"))
    except OSError as error:
        raise BaselineError(f"{printable_path(str(path))}: cannot write the baseline: {error.strerror or error}") from None
    return len(entries)


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file records."""
    where = printable_path(str(path))
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise BaselineError(f"{where}: cannot read the baseline: {error.strerror or error}") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise BaselineError(f"{where}: not a promptlint baseline (invalid JSON: {error})") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("tool") != "promptlint"
        or not isinstance(findings, list)
        or not all(isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in findings)
    ):
        raise BaselineError(f"{where}: not a promptlint baseline (write one with --write-baseline)")
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{where}: baseline format version {document.get('version')!r}; this promptlint reads "
            f"version {BASELINE_VERSION} (write it again with --write-baseline)"
        )
    return frozenset(entry["fingerprint"] for entry in findings)


def apply_baseline(result: LintResult, known: frozenset[str], root: Path) -> tuple[LintResult, int]:
    """`result` without the findings `known` records, and how many were left out."""
    kept = [d for d, fingerprint in zip(result.diagnostics, _fingerprints(result, root)) if fingerprint not in known]
    return replace(result, diagnostics=kept), len(result.diagnostics) - len(kept)


def rule_docs(key: str) -> str | None:
    from promptlint.checks import rule_by_code_or_name

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
    from promptlint.checks import all_rules

    return "\n".join(rule_docs(rule.code) or "" for rule in all_rules())


# ----------------------------------------------------------------------------- calls


def call_inventory(
    paths: Sequence[Path], config: Config, options: RunOptions = RunOptions()
) -> tuple[list[dict], list]:
    """One JSON-ready row per call site (the `promptlint calls` listing)."""
    run = analyze_run(paths, config, jobs=_jobs(options.jobs), use_cache=options.use_cache, progress=options.progress)
    rows = [
        call_row(call)
        for analysis in link_entry_points(run.analyses, run.targets)
        if analysis.filename in run.given
        for call in analysis.calls
        if not (call.via is not None and call.wrapped)  # a wrapper's pass-through to another
    ]
    return rows, [replace(error, filename=display_path(error.filename)) for error in run.errors]


def call_row(call: LLMCall) -> dict:
    from promptlint.analysis.prefix import all_static_text, dynamic_segments, static_prefix
    from promptlint.pricing import lookup
    from promptlint.tokens import count_tokens

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
        # Whether it streams is decided at run time (`stream=flag`, or options spread
        # from a mapping whose keys cannot be read): `stream` is then false.
        "stream_dynamic": call.stream_dynamic and not call.stream,
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
    location = f"{printable_path(row['filename'])}:{row['location']['row']}:{row['location']['column']}"
    model = row["model"] or "dynamic"
    stream = "stream" if row["stream"] else "stream=dynamic" if row["stream_dynamic"] else "no-stream"
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


__all__ = [
    "BaselineError",
    "ConfigError",
    "LintResult",
    "RunOptions",
    "apply_baseline",
    "fix_paths",
    "lint_paths",
    "lint_source",
    "read_baseline",
    "write_baseline",
]
