# SPDX-License-Identifier: MIT
"""From paths to diagnostics: discover, prefilter, analyse (in parallel, cached), link
entry points across files, run the rules, apply suppressions, price the findings.

Each candidate file is parsed once with libcst and walked once (`analysis.calls`). The
analysis of a file is cached by its content hash, the configuration and the version;
rules are cheap and always re-run on the (cached) analyses, so a price or rule change
never serves a stale finding.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import libcst as cst

from promptlint import files
from promptlint.analysis.calls import analyze_module
from promptlint.analysis.project import Project
from promptlint.analysis.scope import build_module_info, module_name_for
from promptlint.cache import ResultsCache, file_hash
from promptlint.checks import all_rules
from promptlint.config import Config, Wrapper, config_fingerprint, is_rule_enabled
from promptlint.pricing import price_stake
from promptlint.rule import Rule, RuleContext
from promptlint.suppress import parse_suppressions
from promptlint.tokens import count_tokens
from promptlint.types import Diagnostic, FileAnalysis, FileError, Handler

# Below this many files, a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 16
# Files that may hold a call but are larger than this are reported, not parsed.
MAX_ANALYSED_BYTES = 2_000_000
# Bytes that show an entry point: a route or job decorator, an import of a web, chat-UI
# or job framework (its routes, views and callbacks are entry points), or a `__main__`
# block. Separate line-anchored patterns with `[ \t]*`: one alternation of them all
# defeats the regex engine's literal scanning and runs several times slower.
_ENTRY_DECORATOR = re.compile(
    rb"^[ \t]*@[\w.]*(?:get|post|put|patch|delete|route|api_route|websocket|task|shared_task|command|flow|on_message)\b",
    re.M,
)
_FRAMEWORK_IMPORT = re.compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:fastapi|starlette|flask|quart|sanic|litestar|django|rest_framework|ninja"
    rb"|chainlit|celery|dramatiq|rq|click|typer|streamlit|gradio)\b",
    re.M,
)


def _is_entry_file(path: Path, data: bytes) -> bool:
    return (
        path.stem == "views"
        or b"__main__" in data
        or (b"@" in data and _ENTRY_DECORATOR.search(data) is not None)
        or _FRAMEWORK_IMPORT.search(data) is not None
    )


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    analyses: list[FileAnalysis] = field(default_factory=list)
    files_checked: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # texts of files with findings


# ----------------------------------------------------------------------------- analysis


def analyze_source(
    path: Path, data: bytes | str, project: Project, wrappers: tuple[Wrapper, ...] = ()
) -> FileAnalysis | FileError:
    """Parse and analyse one file's contents; any failure becomes a FileError for that file."""
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        return FileError(str(path), f"syntax error: {error.message}", error.raw_line)
    except SyntaxError as error:  # libcst raises this for a bad or missing encoding declaration
        return FileError(str(path), f"cannot decode: {error.msg} (not UTF-8 and no coding cookie)")
    except UnicodeDecodeError as error:
        return FileError(str(path), f"cannot decode: {error.reason} at byte {error.start}")
    except RecursionError:
        return FileError(str(path), "too deeply nested to parse")
    try:
        info = build_module_info(path, module.code, module)
        return analyze_module(info, project, wrappers)
    except RecursionError:
        return FileError(str(path), "too deeply nested to analyse")
    except Exception as error:  # noqa: BLE001 - one file's bug must not stop the run
        return FileError(str(path), f"internal error while analysing: {type(error).__name__}: {error}")


# Each worker process keeps one Project, so a module imported by many files is parsed once.
_worker_project: Project | None = None
_worker_wrappers: tuple[Wrapper, ...] = ()


def _init_worker(root: str, wrappers: tuple[Wrapper, ...]) -> None:
    global _worker_project, _worker_wrappers
    _worker_project = Project(Path(root))
    _worker_wrappers = wrappers


def _analyze_in_worker(path: str) -> FileAnalysis | FileError:
    assert _worker_project is not None
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return FileError(path, f"cannot read: {error.strerror or error}")
    if len(data) > MAX_ANALYSED_BYTES:
        # libcst needs minutes and gigabytes for a multi-megabyte (generated) module.
        return FileError(
            path,
            f"not analysed: {len(data) / 1e6:.1f} MB is over the {MAX_ANALYSED_BYTES / 1e6:.0f} MB limit "
            "(generated code? exclude it)",
        )
    return analyze_source(Path(path), data, _worker_project, _worker_wrappers)


Progress = Callable[[int, int], None]  # (files done, files to do)


def _analyze_all(
    paths: list[Path], config: Config, jobs: int, progress: Progress | None = None
) -> list[FileAnalysis | FileError]:
    init_args = (str(config.root), config.wrappers)
    results: list[FileAnalysis | FileError] = []
    if jobs <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        _init_worker(*init_args)
        for path in paths:
            results.append(_analyze_in_worker(str(path)))
            if progress:
                progress(len(results), len(paths))
        return results
    chunk = max(1, min(32, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=init_args) as pool:
        for result in pool.map(_analyze_in_worker, [str(p) for p in paths], chunksize=chunk):
            results.append(result)
            if progress:
                progress(len(results), len(paths))
    return results


def _candidates(paths: list[Path], config: Config) -> tuple[list[tuple[Path, bytes]], list[FileError]]:
    """Files worth parsing, chosen from their bytes without parsing anything.

    1. Files that import an SDK (or a configured wrapper's module) and spell a call.
    2. Files that spell a call or define an entry point and import a project module that
       imports an SDK (a client built in clients.py, called in bot.py) — also when that
       module was not among the paths given (pre-commit passes only changed files).
    3. Files that define an entry point and import a file already chosen (a handler in
       web.py calling a helper in llm.py), until nothing new is reached.
    """
    errors: list[FileError] = []
    wrapper_modules, wrapper_calls = files.wrapper_prefilter_names(config.wrappers)
    selected: dict[Path, bytes] = {}
    client_modules: set[str] = set()  # modules that import an SDK
    rest: list[tuple[Path, bytes]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(FileError(str(path), f"cannot read: {error.strerror or error}"))
            continue
        if files.imports_llm_sdk(data, wrapper_modules):
            client_modules.add(module_name_for(path)[0])
            if files.has_call_shape(data) or files.calls_wrapper(data, wrapper_calls):
                selected[path] = data
        else:
            rest.append((path, data))
    if not rest:
        return list(selected.items()), errors
    locate = _ProjectModules(config.root, client_modules)
    chosen_modules = {module_name_for(path)[0] for path in selected}
    # The costlier call-shape and entry-point searches run only on files whose imports
    # (compared as sets) reach a module of interest.
    pending = []
    for path, data in rest:
        module, package = module_name_for(path)
        imported = files.imported_modules(data, package)
        # `from app.agents import x` where app/ has no __init__.py: the module calls itself `agents`.
        imported |= {name.split(".", i)[i] for name in imported for i in range(1, name.count(".") + 1)}
        pending.append((path, data, module, imported))
    first_round = True
    while pending:
        remaining = []
        reached: set[str] = set()
        for path, data, module, imported in pending:
            via_client = first_round and locate.any_client(imported, path) and files.has_call_shape(data)
            via_entry = bool(imported & chosen_modules) and _is_entry_file(path, data)
            if via_client or via_entry:
                selected[path] = data
                reached.add(module)
            else:
                remaining.append((path, data, module, imported))
        first_round = False
        new = reached - chosen_modules
        if not new:
            break
        chosen_modules |= new
        pending = remaining
    return list(selected.items()), errors


class _ProjectModules:
    """Answers "does this import name a project module that imports an SDK?", reading a
    module from disk when it was not among the paths given."""

    def __init__(self, root: Path, client_modules: set[str]) -> None:
        self.bases = [os.path.abspath(root), os.path.join(os.path.abspath(root), "src")]
        self.known = set(client_modules)
        self.checked: dict[tuple[str, str], bool] = {}
        self._entries: dict[str, set[str]] = {}

    def any_client(self, imported: set[str], importer: Path) -> bool:
        if imported & self.known:
            return True
        module = module_name_for(importer)[0]
        top = os.path.dirname(os.path.abspath(importer))
        for _ in range(module.count(".")):
            top = os.path.dirname(top)
        return any(self._on_disk(name, base) for name in imported for base in dict.fromkeys((top, *self.bases)))

    def _names_in(self, base: str) -> set[str]:
        """Top-level module names a directory offers (`pkg`, `mod` for mod.py)."""
        if base not in self._entries:
            try:
                self._entries[base] = {entry.rsplit(".py", 1)[0] for entry in os.listdir(base)}
            except OSError:
                self._entries[base] = set()
        return self._entries[base]

    def _on_disk(self, name: str, base: str) -> bool:
        if name.split(".", 1)[0] not in self._names_in(base):
            return False
        key = (base, name)
        if key not in self.checked:
            stem = os.path.join(base, *name.split("."))
            found = False
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                try:
                    with open(candidate, "rb") as handle:
                        found = files.imports_llm_sdk(handle.read())
                    break
                except OSError:
                    continue
            self.checked[key] = found
        return self.checked[key]


def analyze_paths(
    paths: Sequence[str | Path],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overrides: dict[Path, str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[FileAnalysis], list[FileError], int]:
    """Analyse every candidate file under `paths`: (analyses, errors, files discovered)."""
    overrides = {path.resolve(): text for path, text in (overrides or {}).items()}
    # A path whose text is given (`--stdin-filename` naming a file not saved yet) need not exist.
    unsaved = [Path(p) for p in paths if Path(p).resolve() in overrides and not os.path.lexists(p)]
    discovered, errors = files.discover([p for p in paths if Path(p) not in unsaved], config)
    discovered = sorted({*discovered, *unsaved})
    if overrides:
        project = Project(config.root, overrides)
        analyses: list[FileAnalysis] = []
        for path in discovered:
            resolved = path.resolve()
            data: bytes | str
            if resolved in overrides:
                data = overrides[resolved]
            else:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    errors.append(FileError(str(path), f"cannot read: {error.strerror or error}"))
                    continue
            result = analyze_source(path, data, project, config.wrappers)
            if isinstance(result, FileError):
                errors.append(result)
            else:
                encoded = data.encode("utf-8") if isinstance(data, str) else data
                analyses.append(replace(result, content_hash=file_hash(encoded)))
        return analyses, errors, len(discovered)

    candidates, read_errors = _candidates(discovered, config)
    errors.extend(read_errors)
    cache = ResultsCache(config.root, config_fingerprint(config), enabled=use_cache)
    analyses = []
    pending: list[tuple[Path, str]] = []
    for path, data in candidates:
        digest = file_hash(data)
        cached = cache.get(path, digest)
        # An entry holds file names as the run that wrote it spelled them (relative to its
        # working directory): under another spelling it would report paths that are wrong here.
        if cached is not None and cached.filename == str(path):
            analyses.append(cached)
        else:
            pending.append((path, digest))
    results = _analyze_all([p for p, _ in pending], config, jobs or os.cpu_count() or 1, progress)
    for (path, digest), result in zip(pending, results):
        if isinstance(result, FileError):
            errors.append(result)
        else:
            result = replace(result, content_hash=digest)
            cache.put(path, digest, result)
            analyses.append(result)
    analyses.sort(key=lambda a: a.filename)
    errors.sort(key=lambda e: e.filename)
    return analyses, errors, len(discovered)


# ----------------------------------------------------------------------------- linking


def link_entry_points(analyses: list[FileAnalysis]) -> list[FileAnalysis]:
    """Mark calls reached from an entry point in any file: a handler's helper in another
    module is user-facing too (direct imports only, as the call graph is static)."""
    edges: dict[str, set[str]] = {}
    entries: list[Handler] = []
    for analysis in analyses:
        entries.extend(analysis.handlers)
        for caller, callees in analysis.calls_from:
            edges.setdefault(caller, set()).update(callees)
    reached: dict[str, Handler] = {}
    # User-facing entry points first, so a function reached from both counts as user-facing.
    for entry in sorted(entries, key=lambda h: not h.user_facing):
        pending = [entry.function]
        while pending:
            function = pending.pop()
            if function in reached:
                continue
            reached[function] = entry
            pending.extend(edges.get(function, ()))
    linked = []
    for analysis in analyses:
        calls = []
        for call in analysis.calls:
            entry = reached.get(call.context.function or "")
            context = call.context
            if entry is not None and entry.user_facing and context.handler is None:
                context = replace(context, handler=entry)
            elif entry is not None and not entry.user_facing and context.background is None:
                context = replace(context, background=entry.framework)
            calls.append(replace(call, context=context))
        linked.append(replace(analysis, calls=tuple(calls)))
    return linked


# ----------------------------------------------------------------------------- rules


class SourceReader:
    """File texts for fixes and suppressions, read once, with in-memory overrides."""

    def __init__(self, overrides: dict[Path, str] | None = None) -> None:
        self._texts = {str(path.resolve()): text for path, text in (overrides or {}).items()}

    def __call__(self, filename: str) -> str:
        key = str(Path(filename).resolve())
        if key not in self._texts:
            try:
                self._texts[key] = files.decode_source(Path(filename).read_bytes())
            except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
                self._texts[key] = ""
        return self._texts[key]


def enabled_rules(config: Config) -> list[Rule]:
    return [cls() for cls in all_rules() if is_rule_enabled(config, cls.code)]


def run_rules(
    analyses: Iterable[FileAnalysis],
    config: Config,
    *,
    today: date | None = None,
    read_source: SourceReader | None = None,
) -> list[Diagnostic]:
    read_source = read_source or SourceReader()
    rules = enabled_rules(config)
    contexts = {
        rule.code: RuleContext(
            options=rule.make_options(config.rule_options.get(rule.name, {})),
            count_tokens=count_tokens,
            today=today or date.today(),
            read_source=read_source,
            config=config,
        )
        for rule in rules
    }
    # Each finding with the lines whose directive silences it: its own first and last
    # line, and the first line of every call it lies in.
    found: dict[tuple, tuple[Diagnostic, set[int]]] = {}
    analyses = list(analyses)
    calls_by_file: dict[str, list] = {}
    for analysis in analyses:
        for call in analysis.calls:
            calls_by_file.setdefault(call.filename, []).append(call)
    relative = bool(analyses) and not os.path.isabs(analyses[0].filename)
    for rule in rules:
        for diagnostic in rule.check_project(analyses, contexts[rule.code]):
            filename = _named_like(diagnostic.filename, relative)
            if filename != diagnostic.filename:
                diagnostic = replace(diagnostic, filename=filename)
            key = (diagnostic.code, diagnostic.filename, diagnostic.span, diagnostic.message)
            _, rows = found.setdefault(key, (diagnostic, {diagnostic.span.start.row, diagnostic.span.end.row}))
            rows.update(_enclosing_call_rows(calls_by_file, diagnostic))
    diagnostics = []
    suppressions: dict[str, object] = {}
    for diagnostic, lines in found.values():
        if not is_rule_enabled(config, diagnostic.code, diagnostic.filename):
            continue
        if diagnostic.filename not in suppressions:
            suppressions[diagnostic.filename] = parse_suppressions(read_source(diagnostic.filename))
        suppression = suppressions[diagnostic.filename]
        if suppression.file_ignored or suppression.is_suppressed(diagnostic.code, lines):  # type: ignore[attr-defined]
            continue
        if diagnostic.stake is not None:
            diagnostic = replace(diagnostic, cost=price_stake(diagnostic.stake, config.models))
        diagnostics.append(diagnostic)
    diagnostics.sort(key=lambda d: (d.filename, d.span.start, d.code))
    return diagnostics


def _named_like(filename: str, relative: bool) -> str:
    """`filename` (a finding in another module than the analysed file, such as an imported
    prompt, which the analysis knows by its absolute path) made relative to the working
    directory when the analysed file was named relative, so every report names files the
    way the user did and one file is never named two ways."""
    if not os.path.isabs(filename) or not relative:
        return filename
    try:
        return os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename


def _enclosing_call_rows(calls_by_file: dict[str, list], diagnostic: Diagnostic) -> set[int]:
    """The first line of each call in the finding's file whose span holds the finding's span.

    A `# promptlint: ignore[...]` on a call's first line covers every finding inside the
    call, whichever argument (`model=`, a message) the finding points at.
    """
    return {
        call.span.start.row
        for call in calls_by_file.get(diagnostic.filename, ())
        if call.span.start <= diagnostic.span.start
        and diagnostic.span.end <= call.span.end
    }


def lint(
    paths: Sequence[str | Path],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overrides: dict[Path, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> LintResult:
    analyses, errors, count = analyze_paths(
        paths, config, jobs=jobs, use_cache=use_cache, overrides=overrides, progress=progress
    )
    analyses = link_entry_points(analyses)
    reader = SourceReader(overrides)
    cache = ResultsCache(config.root, config_fingerprint(config), enabled=use_cache and not overrides)
    key = _run_key(analyses, errors, today or date.today())
    diagnostics = cache.get_findings(key)
    if diagnostics is None:
        diagnostics = run_rules(analyses, config, today=today, read_source=reader)
        cache.put_findings(key, diagnostics)
    sources = {d.filename: reader(d.filename) for d in diagnostics}
    return LintResult(diagnostics, errors, analyses, count, sources)


def _run_key(analyses: list[FileAnalysis], errors: list[FileError], today: date) -> str:
    """Everything the rules' findings depend on besides configuration and version: each
    analysed file's name and bytes, the files it read, the files that failed, and the
    date (retirements depend on it)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(today.isoformat().encode())
    for analysis in analyses:
        digest.update(repr((analysis.filename, analysis.content_hash, analysis.dependencies)).encode())
    for error in errors:
        digest.update(repr((error.filename, error.reason, error.line)).encode())
    return digest.hexdigest()
