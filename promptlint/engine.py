# SPDX-License-Identifier: MIT
"""From paths to diagnostics: discover, select, analyse (in parallel, cached), link entry
points across files, run the rules, apply suppressions, price the findings.

The stages (docs/architecture.md):

1. `files.discover` turns paths into the Python files to lint.
2. `prefilter` picks, from bytes alone, the files that may hold an LLM call, define an
   entry point that reaches one, or read prompts another file sends.
3. Each chosen file is summarized once (`index`) and analysed (`analysis.calls`) with the
   project index as its view of the rest of the project; a process pool spreads files
   over cores for large runs. Calls of project wrappers are found in rounds: the first
   round's wrappers name the files the next round reads.
4. Entry points are linked across files, the rules run on every analysis together, and
   findings are priced.

A file's analysis is cached by its content hash, the configuration, the version and the
result of every lookup it made, found or not (`cache`), so a warm run re-analyses only
what changed. A file that cannot be read, decoded or parsed is one error for that file;
a file whose analysis takes too long, or that hits a bug of ours, is reported as such and
the run goes on.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import os
import re
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from promptlint import __version__, files, prefilter
from promptlint.cache import CACHE_DIRNAME, PRICES_FILENAME, CachedRun, FileStats, ResultsCache, file_hash
from promptlint.config import Config, config_fingerprint, is_rule_enabled
from promptlint.paths import canonical, module_name_for
from promptlint.types import Diagnostic, FileError

# Analysis, the index, the rules, pricing and tokens are imported where a run first needs
# them (`_init_worker`, `analyze_file`, `run_rules`): a run answered from the cache, with
# nothing changed, imports none of them (40 of a warm run's 150 ms went to importing them).
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from promptlint.analysis.results import FileAnalysis, Handler, LLMCall, WrapperDef
    from promptlint.index.project import ProjectIndex
    from promptlint.rule import Rule, RuleContext

# Below this many files, a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 24
# Files that may hold a call but are larger than this are reported, not parsed.
MAX_ANALYSED_BYTES = 2_000_000
# Runs on a few files (pre-commit) check every call for a wrapper at once, with no rounds.
SMALL_RUN = 40
WRAPPER_ROUNDS = 4
REPORT_URL = "https://github.com/promptlint/promptlint/issues"

Progress = Callable[[int, int], None]  # (files done, files to do)


@dataclass
class LintResult:
    """A run's findings and errors. `analyses` holds the given files' analyses when the run
    analysed them; a warm run that reused the last run's whole result (nothing changed)
    has none, but names the files in `analysed` all the same."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    analyses: list[FileAnalysis] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)  # the given files that were analysed (canonical)
    files_checked: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # texts of files with findings
    reported: frozenset[str] = frozenset()  # files whose findings are reported (canonical)
    dependents: dict[str, list[str]] = field(default_factory=dict)  # a file -> the given files that read it


# ----------------------------------------------------------------------------- workers


@dataclass
class _Task:
    """What a worker needs to analyse files (sent with each chunk of a round)."""

    run: str  # identifies the run: a new run never reuses an older run's index
    root: str
    wrappers: tuple
    overrides: dict[str, str]
    store: str | None
    timeout: float
    wrapper_names: frozenset[str] | None
    known_wrappers: dict[str, tuple[WrapperDef, ...]]
    only: frozenset[str] | None = None  # look at the calls of these names only (a later round)


_state: dict[str, object] = {}
_RUNS = itertools.count()


def _init_worker(task: _Task) -> None:
    """Set up (or reuse) this process's project index for a round."""
    index = _state.get("index")
    key = task.run
    if index is None or _state.get("key") != key:
        from promptlint.index.project import ProjectIndex
        from promptlint.index.store import SummaryStore

        store = SummaryStore(Path(task.store)) if task.store else None
        index = ProjectIndex(Path(task.root), overrides=task.overrides, store=store)
        _state["index"] = index
        _state["key"] = key
    _state["task"] = task


def _analyze_in_worker(path: str) -> FileAnalysis | FileError:
    task: _Task = _state["task"]  # type: ignore[assignment]
    index: ProjectIndex = _state["index"]  # type: ignore[assignment]
    return analyze_file(path, index, task)


class _Timeout(Exception):
    pass


def _alarm(signum, frame) -> None:  # noqa: ARG001 - the signal handler's signature
    raise _Timeout


#: Files analysed between two collections of cyclic garbage while automatic collection is
#: off (`collecting_in_batches`). Each collection walks every young object still alive, the
#: summaries kept among them, so it costs the same however little garbage there is: every
#: 64 files it was about 4% of the corpus's CPU time (deepeval: 9 collections, 0.28 s). At
#: 512, a project of a few hundred analysed files is never collected; on the 17,000-file
#: stress tree the largest worker peaked at 265-274 MB instead of 258-265 MB.
FILES_PER_COLLECTION = 512
_analysed_since_collection = 0


@contextmanager
def collecting_in_batches() -> Iterator[None]:
    """Run with Python's automatic garbage collection off, collecting the young objects
    every FILES_PER_COLLECTION files instead. Summaries and analyses make millions of
    small acyclic objects; the collector's automatic passes, each walking more of a heap
    that only grows, took about a third of a large project's run (crewAI: 8.4 s with
    them, 5.8 s without, the same peak memory). Objects alive on entry are frozen out of
    every collection. Nested uses, and callers who turned collection off, change nothing.
    Garbage cycles left at the end are collected with the oldest generation."""
    if not gc.isenabled():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        # What the run made and still holds would all be young on the first allocation
        # after `enable`, and that one collection would walk it all (0.13 s of a 1.5 s run
        # on a 326-file project, spent while the report was written): move it to the oldest
        # generation first, as if it had survived the collections skipped.
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _collect_now_and_then() -> None:
    """Collect the garbage cycles of the last few files (objects younger than the last
    collection only, so each object is looked at about once)."""
    global _analysed_since_collection
    if gc.isenabled():
        return
    _analysed_since_collection += 1
    if _analysed_since_collection >= FILES_PER_COLLECTION:
        _analysed_since_collection = 0
        gc.collect(1)


def analyze_file(path: str, index: ProjectIndex, task: _Task) -> FileAnalysis | FileError:
    """Summarize and analyse one file; every failure becomes a FileError for that file."""
    from promptlint.analysis.calls import analyze_module
    from promptlint.analysis.objects import Budget, BudgetExceeded

    _collect_now_and_then()
    index.start_file()
    summary = index.summary(path)
    if summary is None:
        return FileError(path, "cannot read")
    if summary.error is not None:
        return FileError(path, summary.error, summary.error_line, summary.error_column)
    timed = task.timeout > 0 and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _alarm) if timed else None
    try:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, task.timeout)
        analysis = analyze_module(
            summary,
            index,
            configured=task.wrappers,
            wrapper_names=task.wrapper_names,
            known_wrappers=task.known_wrappers,
            only=task.only,
            budget=Budget(),
        )
    except _Timeout:
        return FileError(path, f"not analysed: analysis took over {task.timeout:g} s (the limit is `file-timeout`)")
    except BudgetExceeded as error:
        return FileError(path, f"not analysed: {error} (a prompt built to explode?)")
    except RecursionError:
        return FileError(path, "not analysed: too deeply nested to analyse")
    except MemoryError:
        return FileError(path, "not analysed: ran out of memory analysing it")
    except Exception as error:  # noqa: BLE001 - one file's bug of ours must not stop the run
        where = traceback.extract_tb(error.__traceback__)[-1]
        return FileError(
            path,
            f"internal error (a bug in promptlint {__version__}, not in this file): {type(error).__name__}: {error} "
            f"at {os.path.basename(where.filename)}:{where.lineno}; please report it at {REPORT_URL}",
            internal=True,
        )
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    dependencies = tuple(item for item in analysis.dependencies if item[0] != path)
    return replace(analysis, content_hash=summary.content_hash, module=summary.name, dependencies=dependencies)


class _Workers:
    """The run's analysis processes, started when a round first has enough files for them
    and kept for the whole run. Each keeps its project index (the summaries it built or
    loaded) from round to round, and a file goes back to the process that analysed it
    before: a wrapper round reads files again, and a process that had not read one parsed
    it, and the modules it imports, a second time (on two cores deepeval's rounds were
    barely faster than on one). So each process is a pool of one, fed by this process: its
    files first (a file new to the run goes where its folder's files went), then, once
    its share is done, a batch left to another process (a process that took another's file
    holds it from then on). A process that dies costs only the batches it held: the others
    take its queue, then its files are analysed one by one in processes of their own, and
    the next round starts new processes."""

    IN_FLIGHT = 2  # batches sent ahead to each process, so none waits for the next

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pools: list[ProcessPoolExecutor] = []
        self._home: dict[str, int] = {}  # a file or folder -> the process holding its summaries

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        for pool in self._pools:
            pool.shutdown(cancel_futures=True)
        self._pools = []
        self._home = {}

    def run(self, groups: list[tuple[list[str], _Task]], progress: Progress | None, done: list[int], total: int) -> list[list[FileAnalysis | FileError]]:
        """Analyse each group's paths with its task (in the worker processes when worth
        it), in their order. The groups of one round are sent together: each batch of work
        waits for its slowest process, and a round's two groups (files new to the run, files
        read again for the new wrappers) sent one after the other waited twice."""

        def advance() -> None:
            done[0] += 1
            if progress:
                progress(done[0], total)

        # Once the processes run, small rounds go to them too: they hold the summaries
        # already, and this process building them again cost time and memory.
        if self.jobs <= 1 or (not self._pools and sum(len(paths) for paths, _ in groups) < MIN_FILES_FOR_POOL):
            analysed = []
            for paths, task in groups:
                _init_worker(task)
                results = []
                for path in paths:
                    results.append(_analyze_in_worker(path))
                    advance()
                analysed.append(results)
            return analysed
        from concurrent.futures import FIRST_COMPLETED, wait  # a run without worker processes never needs them
        from concurrent.futures.process import BrokenProcessPool

        if not self._pools:
            _import_analysis()  # before the fork: each process would import it again
            self._pools = [_new_pool() for _ in range(self.jobs)]
        queues = self._queues(groups)
        found: list[dict[str, FileAnalysis | FileError]] = [{} for _ in groups]
        running: dict[Future, tuple[int, int, list[str]]] = {}  # -> (process, group, paths)
        dead: set[int] = set()
        crashed: list[tuple[int, list[str]]] = []  # the batches dead processes held
        while True:
            for worker in sorted(set(range(self.jobs)) - dead):
                while sum(1 for w, _, _ in running.values() if w == worker) < self.IN_FLIGHT:
                    batch = _next_batch(queues, worker)
                    if batch is None:
                        break
                    number, paths = batch
                    try:
                        running[self._pools[worker].submit(_analyze_chunk, groups[number][1], paths)] = (worker, number, paths)
                    except BrokenProcessPool:  # it died after its last batch was collected
                        dead.add(worker)
                        crashed.append(batch)
                        break
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                worker, number, paths = running.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    dead.add(worker)  # its queue goes to the others
                    crashed.append((number, paths))
                    continue
                for path, result in zip(paths, outcomes):
                    found[number][path] = result
                    self._home[path] = self._home[os.path.dirname(path)] = worker
                    advance()
        if dead:
            # A process died on one of its files (or on the batch sent with them): each is
            # analysed alone to find which, once no process of the run is left (forking
            # beside their threads could deadlock the child); the next round starts anew.
            self._close()
            for number, paths in crashed + [batch for queue in queues for batch in queue]:
                for path in paths:
                    found[number][path] = _isolated(path, groups[number][1])
                    advance()
        return [[found[number][path] for path in paths] for number, (paths, _) in enumerate(groups)]

    def _queues(self, groups: list[tuple[list[str], _Task]]) -> list[list[tuple[int, list[str]]]]:
        """Each process's batches (group number, paths): the files it analysed before, and
        files new to the run by their folder (neighbours share imports), a new folder to
        the process with the fewest files so far."""
        shares: list[list[list[str]]] = [[[] for _ in groups] for _ in range(self.jobs)]
        counts = [0] * self.jobs
        for number, (paths, _) in enumerate(groups):
            for path in sorted(paths):
                worker = self._home.get(path, self._home.get(os.path.dirname(path)))
                if worker is None:
                    worker = self._home[os.path.dirname(path)] = counts.index(min(counts))
                shares[worker][number].append(path)
                counts[worker] += 1
        size = max(1, min(16, sum(counts) // (self.jobs * 6)))
        return [
            [(number, paths[start : start + size]) for number, paths in enumerate(share) for start in range(0, len(paths), size)]
            for share in shares
        ]


def _import_analysis() -> None:
    """Import what analysing a file needs. Forked processes inherit it: each importing it
    itself cost 35 ms of CPU per process, and this process imported it again for the
    rules (on 2 cores, 30 ms of wall time on each project that starts processes)."""
    import promptlint.analysis.calls  # noqa: F401 - imported for its side effect
    import promptlint.index.project  # noqa: F401
    import promptlint.index.store  # noqa: F401


def _new_pool() -> ProcessPoolExecutor:
    """A pool of one process. Where processes are forked, it is forked now: a pool forks
    on its first task, and then would fork while the other pools' threads run (a child
    forked with threads running can deadlock on a lock one of them held, cpython#90622)."""
    from concurrent.futures.process import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1)
    if getattr(pool, "_safe_to_dynamically_spawn_children", True) is False and hasattr(pool, "_launch_processes"):
        pool._launch_processes()  # what its first `submit` does under fork, before any thread
    return pool


def _next_batch(queues: list[list[tuple[int, list[str]]]], worker: int) -> tuple[int, list[str]] | None:
    """The next batch for a process: the first of its own, else the last of the longest
    other queue (furthest from where its owner is)."""
    if queues[worker]:
        return queues[worker].pop(0)
    longest = max(range(len(queues)), key=lambda other: len(queues[other]))
    return queues[longest].pop() if queues[longest] else None


def _analyze_chunk(task: _Task, paths: list[str]) -> list[FileAnalysis | FileError]:
    """A pool worker's share of a round: the round's task travels with each chunk, and the
    worker's index stays as long as the run (`_init_worker`)."""
    _init_worker(task)
    return [_analyze_in_worker(path) for path in paths]


def _isolated(path: str, task: _Task) -> FileAnalysis | FileError:
    """Analyse one file in a process of its own: when a worker died, find which file killed
    it without losing the others."""
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_worker, initargs=(task,)) as pool:
        try:
            return pool.submit(_analyze_in_worker, path).result(timeout=max(task.timeout * 2, 30))
        except BrokenProcessPool:
            return FileError(path, "not analysed: the analysis process crashed on this file", internal=True)
        except Exception as error:  # noqa: BLE001 - a timeout or a pickling failure
            return FileError(path, f"not analysed: {type(error).__name__}", internal=True)


# ----------------------------------------------------------------------------- selection


@dataclass
class _File:
    """A file of the run as selection sees it: its hash and size, taken as it is read, and
    what selection asks of its bytes (`_scan_bytes`). The bytes are not kept: held for a whole
    tree of site-packages they were 200 MB, which stayed resident after they were let go,
    and which every forked worker carried. They are scanned as they are read when no last run
    may answer instead (`_read`); what needs them later (a file's call names for wrapper
    rounds, its entry points, the scan otherwise) reads the file again, one at a time."""

    path: str  # canonical
    module: str
    package: str
    content_hash: str
    size: int
    unsaved: bytes | None = None  # an editor's buffer: there is nothing on disk to read again
    imports: set[str] | None = None
    # What `_scan_bytes` found in the bytes (None: not scanned yet).
    imports_sdk: bool | None = None
    builds_client: bool = False  # imports an SDK and builds a client with it
    spells_call: bool = False  # spells a call an SDK or a configured wrapper is made with

    @property
    def data(self) -> bytes:
        if self.unsaved is not None:
            return self.unsaved
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except OSError:
            return b""  # gone since it was read: it spells nothing


#: Files a cold run reads before it shares the reading (with the hashing and the scan for
#: selection, `_scan_bytes`) among forked processes, one per core (`forked.Child`). On the
#: SDK stress tree's 17,000 files this took the reading from 2.7-3.0 s to 1.9 s on two
#: cores, and on the corpus's projects of 300-1,000 files from 47-119 ms to 32-84 ms (the
#: best of five each); on fewer files the fork and the pickle of the results cost about
#: what the reading they share saves.
PARALLEL_READ_FILES = 300


def _read(
    paths: Sequence[str],
    overrides: dict[str, str],
    errors: list[FileError],
    stats: FileStats | None,
    configured: re.Pattern[bytes] | None,
    processes: int = 1,
) -> list[_File]:
    """The files of a run, each read and hashed, or with `stats` (the last run's hashes by
    file stat), hashed only when its stat changed. Without a last run to answer from (the
    cache off, or no stats to trust), each file read is scanned for selection as well
    (`_scan_bytes`) while its bytes are at hand: reading the stress tree's 17,000 files a
    second time for the scan cost 0.4 s. With one, the run may be answered from the cache
    after the hashing, and the scan waits until selection needs it."""
    from promptlint import forked

    scan = stats is None or not stats.trusted
    read = functools.partial(_read_one, overrides=overrides, stats=stats, scan=scan, configured=configured)
    shares = 1
    if scan and processes > 1 and len(paths) >= PARALLEL_READ_FILES and forked.can_fork():
        shares = min(processes, len(paths) // (PARALLEL_READ_FILES // 2))
    # Every `shares`-th file to each process, not a slice each: sizes cluster by folder.
    parts = [paths[share::shares] for share in range(shares)]
    children = [forked.Child(functools.partial(_read_all, read, part)) for part in parts[1:]]
    results: list = [None] * len(paths)
    results[0::shares] = _read_all(read, parts[0])
    for share, (child, part) in enumerate(zip(children, parts[1:]), start=1):
        got = child.result()
        results[share::shares] = got if isinstance(got, list) and len(got) == len(part) else _read_all(read, part)  # the child failed: read here
    found = []
    for path, outcome, info in results:
        if isinstance(outcome, FileError):
            errors.append(outcome)
            continue
        if stats is not None and info is not None:
            stats.record(path, info, outcome.content_hash)
        found.append(outcome)
    return found


def _read_all(read: Callable[[str], tuple[str, _File | FileError, os.stat_result | None]], paths: Sequence[str]) -> list:
    return [read(path) for path in paths]


def _read_one(
    path: str, *, overrides: dict[str, str], stats: FileStats | None, scan: bool, configured: re.Pattern[bytes] | None
) -> tuple[str, _File | FileError, os.stat_result | None]:
    """One file of `_read`: (path, the file or why it cannot be read, the stat to record
    with its hash when it was read for `stats`)."""
    module, package = module_name_for(path)
    if path in overrides:
        data = overrides[path].encode("utf-8", "surrogatepass")
        # An editor's buffer: its bytes are held anyway, and scanned now.
        return path, _scan_bytes(_File(path, module, package, file_hash(data), len(data), data), data, configured), None
    info = None
    if stats is not None:
        try:
            info = os.stat(path)
        except OSError:
            pass  # reading it says why
        known = stats.known_hash(path, info) if info is not None else None
        if known is not None:
            return path, _File(path, module, package, known, info.st_size), None
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return path, FileError(path, f"cannot read: {error.strerror or error}"), None
    file = _File(path, module, package, file_hash(data), len(data))
    return path, _scan_bytes(file, data, configured) if scan else file, info


def _configured_calls(config: Config) -> re.Pattern[bytes] | None:
    """The pattern of calls of the configured wrappers (None without any)."""
    _, wrapper_calls = prefilter.configured_wrapper_names(config.wrappers)
    return prefilter.name_calls(wrapper_calls)


def _scan(project: list[_File], config: Config) -> None:
    """Scan the files not scanned as they were read (their hash came from their stat),
    reading each again."""
    configured = _configured_calls(config)
    for file in project:
        if file.imports_sdk is None:
            _scan_bytes(file, file.data, configured)


def _scan_bytes(file: _File, data: bytes, configured: re.Pattern[bytes] | None) -> _File:
    """Record what selection asks of a file's bytes: its imports, whether it imports an
    SDK and builds a client, and whether it spells a call that may reach an SDK (rule 1
    of `select`)."""
    if file.imports is None:
        file.imports = prefilter.imported_modules(data, file.package)
    file.imports_sdk = prefilter.sdk_imports(data)
    file.builds_client = file.imports_sdk and prefilter.builds_client(data)
    file.spells_call = (
        (file.imports_sdk and prefilter.may_call_sdk(data))
        or prefilter.has_distinctive_call(data)
        or (configured is not None and configured.search(data) is not None)
    )
    return file


def _imports(file: _File) -> set[str]:
    if file.imports is None:
        file.imports = prefilter.imported_modules(file.data, file.package)
    return file.imports


def select(project: list[_File], given: set[str], config: Config, reading: set[str] | None = None) -> set[str]:
    """The files that may hold an LLM call. `project` holds every file the selection may
    look at; `given` the ones linted.

    1. Files that import an SDK and spell a call it is made with, or spell a call whose
       shape is an SDK's (`client.chat.completions.create(...)` on a client passed in) or
       name such a method as a value (`create = client.chat.completions.create`).
    2. Files that spell such a call and import a project module that imports an SDK and
       builds a client with it (a client built in clients.py, called in bot.py).
    3. Files that import a given file (pre-commit passed a prompts module: the calls that
       send its prompts are read again): `reading`, when the caller has them already.

    Entry points reaching the calls are chosen after analysis (`select_entries`).
    """
    wrapper_modules, _ = prefilter.configured_wrapper_names(config.wrappers)
    roots = _roots(config)
    chosen: set[str] = set()
    client_modules: set[str] = set(wrapper_modules)
    _scan(project, config)
    for file in project:
        if file.builds_client:
            client_modules |= _names(file, roots) - prefilter.SDK_MODULE_NAMES
        if file.spells_call:
            chosen.add(file.path)
    for file in project:
        if file.path not in chosen and _imports(file) & client_modules and prefilter.has_call_shape(file.data):
            chosen.add(file.path)
    return chosen | (importers(project, given, config) if reading is None else reading)


def _callers_of_chosen(project: list[_File], given: set[str], chosen: set[str], config: Config) -> set[str]:
    """The given files that are chosen, or that import a chosen file (whose wrappers they
    may call): a given file with neither holds no LLM call and is not parsed."""
    modules = _module_names(project, chosen, config)
    return {f.path for f in project if f.path in given and (f.path in chosen or _imports(f) & modules)}


def importers(project: list[_File], given: set[str], config: Config) -> set[str]:
    """Files that import a given file and spell a call: the calls that read what it defines."""
    given_modules = _module_names(project, given, config)
    return {f.path for f in project if f.path not in given and _imports(f) & given_modules and prefilter.has_call_shape(f.data)}


def select_entries(project: list[_File], reaching: set[str], analysed: set[str], config: Config) -> set[str]:
    """Files that define an entry point and import, directly or through other such files,
    a file whose analysis found an LLM call or wrapper (`reaching`): the call graph from
    a route or a job to a call passes through them. Chosen after the calls are known, so
    the many files that merely import an SDK module cost nothing here."""
    roots = _roots(config)
    entries: set[str] = set()
    modules = _module_names(project, reaching, config)
    entry: dict[str, bool] = {}  # read a file's bytes for entry points only once it imports a reaching file

    def is_entry(file: _File) -> bool:
        if file.path not in entry:
            entry[file.path] = prefilter.is_entry_file(os.path.basename(file.path), file.data)
        return entry[file.path]

    pending = [f for f in project if f.path not in analysed]
    while pending:
        reached = [f for f in pending if _imports(f) & modules and is_entry(f)]
        if not reached:
            break
        for file in reached:
            entries.add(file.path)
            modules |= _names(file, roots)
        pending = [f for f in pending if f.path not in entries]
    return entries


def _roots(config: Config) -> list[str]:
    """Where dotted import paths start: the project root, and `src/` below it."""
    return [canonical(config.root), canonical(Path(config.root) / "src")]


def _module_names(project: list[_File], paths: set[str], config: Config) -> set[str]:
    """Every name an import can reach one of the files `paths` by (see `_names`)."""
    roots = _roots(config)
    return {name for f in project if f.path in paths for name in _names(f, roots)}


def _names(file: _File, roots: list[str]) -> set[str]:
    """The names an import can reach a file by: its module name, and its dotted path from
    the project root (or `src/`), which differs when a folder has no `__init__.py`
    (`from app.clients import x` reaching app/clients.py, which calls itself `clients`)."""
    names = {file.module}
    for root in roots:
        if file.path.startswith(root + os.sep):
            relative = file.path[len(root) + 1 : -3].replace(os.sep, ".")
            names.add(relative[: -len(".__init__")] if relative.endswith(".__init__") else relative)
    return names


# ----------------------------------------------------------------------------- analysis


@dataclass
class Run:
    """What analysis found: every analysis (given files and the files read for them),
    the errors of the given files, how many files were discovered, and which were given."""

    analyses: list[FileAnalysis]
    errors: list[FileError]
    files_checked: int
    given: frozenset[str]
    targets: Callable[[str], str] | None = None  # canonical names of call-edge targets


def analyze_paths(
    paths: Sequence[str | Path],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overrides: dict[Path, str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[FileAnalysis], list[FileError], int]:
    """`analyze_run` as (analyses, errors, files discovered)."""
    run = analyze_run(paths, config, jobs=jobs, use_cache=use_cache, overrides=overrides, progress=progress)
    return run.analyses, run.errors, run.files_checked


@collecting_in_batches()
def analyze_run(
    paths: Sequence[str | Path],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overrides: dict[Path, str] | None = None,
    progress: Progress | None = None,
) -> Run:
    """Analyse every chosen file under `paths`. Paths in results are canonical (absolute,
    symlinks kept)."""
    tree = gather(paths, config, overrides, jobs=jobs)
    return analyze_tree(tree, config, jobs=jobs, use_cache=use_cache, progress=progress)


@dataclass
class Tree:
    """The files a run reads, before any is parsed: the given ones, and in a run on some
    files only, the rest of the project as context."""

    given: list[str]  # canonical
    project_files: list[_File]
    errors: list[FileError]  # files that could not be discovered or read
    subset: bool
    overrides: dict[str, str]
    hashes: dict[str, str]  # path -> content hash, for the cache keys

    def key(self, config: Config, today: date) -> str:
        """Every input of the run's findings that is known before analysis: the files'
        names and bytes, which were given, the configuration and the date. (What analysis
        reads besides, such as prompt files, is checked separately.)"""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr((config_fingerprint(config), today.isoformat(), self.subset, self.given)).encode("utf-8", "surrogatepass"))
        for file in self.project_files:
            digest.update(file.path.encode("utf-8", "surrogatepass") + b"\0" + self.hashes[file.path].encode())
        for error in self.errors:
            digest.update(repr((error.filename, error.reason, error.line)).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def gather(
    paths: Sequence[str | Path],
    config: Config,
    overrides: dict[Path, str] | None = None,
    stats: FileStats | None = None,
    jobs: int | None = None,
) -> Tree:
    """Discover and read the files of a run (`overrides`: unsaved editor buffers; `stats`
    and `jobs`, the processes that may share the reading: see `_read`)."""
    overrides_c = {canonical(path): text for path, text in (overrides or {}).items()}
    unsaved = [p for p in paths if canonical(p) in overrides_c and not os.path.lexists(p)]
    discovered, errors = files.discover([p for p in paths if p not in unsaved], config)
    given = sorted({canonical(p) for p in (*discovered, *unsaved)})
    errors = [replace(e, filename=canonical(e.filename)) for e in errors]
    configured = _configured_calls(config)
    project_files = _read(given, overrides_c, errors, stats, configured, _processes(jobs))
    # A run on some files only (pre-commit passes the changed ones) also reads the files of
    # the project that import them or that they reach.
    subset = any(os.path.isfile(p) or Path(p) in unsaved for p in paths)
    if subset:
        others, _ = files.discover([config.root], config)
        extra = sorted({canonical(p) for p in others} - set(given))
        project_files += _read(extra, overrides_c, [], stats, configured, _processes(jobs))
    return Tree(given, project_files, errors, subset, overrides_c, {f.path: f.content_hash for f in project_files})


def _processes(jobs: int | None) -> int:
    """The processes a run may use: `jobs` (None: one per core), never more than the cores."""
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, cores))


def analyze_tree(
    tree: Tree,
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    cache: ResultsCache | None = None,
) -> Run:
    """Select, summarize and analyse the files of `tree` (see the module docstring). `cache`:
    the run's results cache, when the caller has opened it (it remembers the files hashed)."""
    given, project_files, subset, overrides_c = tree.given, tree.project_files, tree.subset, tree.overrides
    given_set = set(given)
    errors = list(tree.errors)
    _scan(project_files, config)
    reading = importers(project_files, given_set, config)
    chosen = select(project_files, given_set, config, reading)
    sizes = {f.path: f.size for f in project_files}
    too_large = {path for path in chosen if sizes[path] > MAX_ANALYSED_BYTES}
    targets = sorted(chosen - too_large)
    jobs = min(_processes(jobs), len(targets) or 1)
    if cache is None:
        cache = ResultsCache(config.root, config_fingerprint(config), enabled=use_cache and not overrides_c)
    # With the cache on, summaries are kept between runs (and shared by the workers) in
    # `.promptlint_cache/index`. Without it each worker builds the summaries it needs:
    # sharing them through a temporary store cost more (encoding every summary costs about
    # half of building it) than the rebuilding it saved; the corpus ran 5% faster without.
    store = str(Path(config.root) / CACHE_DIRNAME / "index") if use_cache and not overrides_c else None
    with _Workers(jobs) as workers:
        task = _Task(
            run=f"{os.getpid()}-{id(config)}-{next(_RUNS)}",
            root=str(config.root),
            wrappers=config.wrappers,
            overrides=overrides_c,
            store=store,
            timeout=config.file_timeout,
            wrapper_names=frozenset(),
            known_wrappers={},
        )
        hashes = tree.hashes
        # A run on a few files (pre-commit) checks every call of the files it was given, and
        # of the files that read what those define, for a wrapper at once (entry points
        # too); the other SDK callers that import a module holding a prompt those calls
        # send are read for context (a shared prompt is priced with every call that sends
        # it), without rounds. Larger runs find wrapper calls in rounds.
        near = set()
        if subset:
            near = _callers_of_chosen(project_files, given_set, chosen, config) | reading
            near = {path for path in near if sizes[path] <= MAX_ANALYSED_BYTES}
        if subset and len(near) <= SMALL_RUN:
            task = replace(task, wrapper_names=None)
            results = _analyze(sorted(near), task, cache, hashes, workers, progress)
            context = replace(task, wrapper_names=frozenset())
            analysed = [result for result in results.values() if _is_analysis(result)]
            prompt_files = reported_files(analysed, frozenset(near)) - near
            senders = importers(project_files, set(prompt_files), config) & set(targets)
            results.update(_analyze(sorted(senders - near), context, cache, hashes, workers, progress))
        else:
            results = _analyze(targets, task, cache, hashes, workers, progress)
            results, task = _wrapper_rounds(results, project_files, task, cache, hashes, workers, progress, too_large)
        reaching = {path for path, result in results.items() if _is_analysis(result) and (result.calls or result.wrappers)}
        entries = select_entries(project_files, reaching, set(results), config)
        large_entries = {path for path in entries if sizes[path] > MAX_ANALYSED_BYTES}
        too_large |= large_entries
        results.update(_analyze(sorted(entries - large_entries), task, cache, hashes, workers, progress))
        analyses = [result for _, result in sorted(results.items()) if _is_analysis(result)]
    for path in sorted(too_large & given_set):
        errors.append(
            FileError(path, f"not analysed: {sizes[path] / 1e6:.1f} MB is over the {MAX_ANALYSED_BYTES / 1e6:.0f} MB limit (generated code? exclude it)")
        )
    for path, result in sorted(results.items()):
        if isinstance(result, FileError) and (path in given_set or result.internal):
            errors.append(result)
    errors.sort(key=lambda e: e.filename)
    return Run(analyses, errors, len(given), frozenset(given_set), EdgeTargets(Path(config.root), overrides_c))


def _analyze(
    paths: list[str],
    task: _Task,
    cache: ResultsCache,
    hashes: dict[str, str],
    workers: _Workers,
    progress: Progress | None,
) -> dict[str, FileAnalysis | FileError]:
    """One round of one task: cached analyses where still valid, the rest analysed."""
    return _analyze_groups([(paths, task, "")], cache, hashes, workers, progress)[0]


def _analyze_groups(
    groups: list[tuple[list[str], _Task, str]],
    cache: ResultsCache,
    hashes: dict[str, str],
    workers: _Workers,
    progress: Progress | None,
) -> list[dict[str, FileAnalysis | FileError]]:
    """One round of several tasks, each group's files with its task, cached analyses where
    still valid. A group's slot keeps a wrapper round's re-reading of a file apart from
    the file's whole analysis in the cache."""
    found: list[dict[str, FileAnalysis | FileError]] = []
    pending: list[list[str]] = []
    keys = [_round_key(task) for _, task, _ in groups]
    for (paths, _, slot), extra in zip(groups, keys):
        results: dict[str, FileAnalysis | FileError] = {}
        for path in paths:
            cached = cache.get(Path(path), hashes[path], extra, slot)
            if cached is not None:
                results[path] = cached
        found.append(results)
        pending.append([path for path in paths if path not in results])
    done = [sum(len(results) for results in found)]
    total = sum(len(paths) for paths, _, _ in groups)
    analysed = workers.run([(paths, task) for paths, (_, task, _) in zip(pending, groups)], progress, done, total)
    for (_, _, slot), extra, results, paths, outcomes in zip(groups, keys, found, pending, analysed):
        for path, result in zip(paths, outcomes):
            results[path] = result
            if _is_analysis(result):
                cache.put(Path(path), hashes[path], result, extra, slot)
    return found


def _round_key(task: _Task) -> str:
    """What a round's analyses depend on besides the file: the wrappers looked for."""
    if task.wrapper_names is None:
        return "all"
    known = sorted((name, tuple(sorted(w.function for w in defs))) for name, defs in task.known_wrappers.items())
    only = sorted(task.only) if task.only is not None else None
    return hashlib.blake2b(repr((sorted(task.wrapper_names), known, only)).encode(), digest_size=16).hexdigest()


def _is_analysis(result: FileAnalysis | FileError | None) -> TypeGuard[FileAnalysis]:
    """Whether a file's result is its analysis (not an error). Asked this way because this
    module does not import `FileAnalysis`: a run answered from the cache never defines it."""
    return result is not None and not isinstance(result, FileError)


def _wrapper_rounds(
    results: dict[str, FileAnalysis | FileError],
    project_files: list[_File],
    task: _Task,
    cache: ResultsCache,
    hashes: dict[str, str],
    workers: _Workers,
    progress: Progress | None,
    skip: set[str],
) -> tuple[dict[str, FileAnalysis | FileError], _Task]:
    """Find the callers of wrappers: each round reads the files that spell a call of a
    wrapper found so far; the wrappers they define name the next round's files."""
    names: set[str] = set()
    for round_number in range(1, WRAPPER_ROUNDS + 1):
        known: dict[str, list[WrapperDef]] = {}
        # In path order: results arrive in whatever order the workers finish, and which
        # override of a wrapper `polymorphic` picks first must not depend on it.
        for _, result in sorted(results.items()):
            if _is_analysis(result):
                for wrapper in result.wrappers:
                    known.setdefault(wrapper.name, []).append(wrapper)
        new = set(known) - names
        if not new:
            break
        names |= new
        if round_number == 1:
            calling = _files_calling(project_files)
        callers = sorted(_callers(calling, new, known, skip))
        if not callers:
            break
        task = replace(task, wrapper_names=frozenset(names), known_wrappers={k: tuple(x) for k, x in known.items()})
        # Files analysed already are read again for the new wrappers' calls only; the rest
        # are analysed whole (their entry points and call edges count too).
        seen = [path for path in callers if _is_analysis(results.get(path))]
        fresh = [path for path in callers if path not in results]
        rereading = replace(task, only=frozenset(new))
        whole, again = _analyze_groups([(fresh, task, ""), (seen, rereading, f"round-{round_number}")], cache, hashes, workers, progress)
        results.update(whole)
        for path, found in again.items():
            if _is_analysis(found):
                results[path] = _merged(results[path], found)  # type: ignore[arg-type]
    return results, task


# A wrapper name called in more files than this is a common word (`request`, `call`): only
# its callers that import from near the wrapper's module are read.
COMMON_NAME_FILES = 150


def _callers(calling: dict[str, list[_File]], names: set[str], known: dict[str, list[WrapperDef]], skip: set[str]) -> set[str]:
    """The files that may call one of the wrappers named `names` (`calling`: see
    `_files_calling`)."""
    found: set[str] = set()
    for name in names:
        callers = [f for f in calling.get(name, ()) if f.path not in skip]
        if len(callers) > COMMON_NAME_FILES:
            homes = {_module_of(wrapper.path) for wrapper in known[name]}
            callers = [f for f in callers if _imports_near(f, homes)]
        found.update(f.path for f in callers)
    return found


def _module_of(path: str) -> str:
    return module_name_for(path)[0]


def _imports_near(file: _File, homes: set[str]) -> bool:
    """Whether a file imports from near a wrapper's module: the module itself, or a package
    on its path sharing at least two components with it (`deepeval.models` for
    `deepeval.models.llms.openai_model`); a whole top-level package (`litellm`) is too far
    to tell its callers from everyone else's. A wrapper's own module counts too."""
    if file.module in homes:
        return True
    for imported in _imports(file):
        parts = imported.split(".")
        for home in homes:
            home_parts = home.split(".")
            shared = min(2, len(home_parts))
            if parts[:shared] == home_parts[:shared] and (home.startswith(imported) or imported.startswith(home)):
                return True
    return False


def _files_calling(project_files: list[_File]) -> dict[str, list[_File]]:
    """Each name the files' bytes spell a call of (`name(`) -> the files spelling it, from
    one reading of each file. Asking every file about every wrapper name instead cost
    1.6 s on the stress tree (109 names x 17,000 files)."""
    calling: dict[str, list[_File]] = {}
    for file in project_files:
        for name in prefilter.called_names(file.data):
            calling.setdefault(name, []).append(file)
    return calling


def _merged(base: FileAnalysis, extra: FileAnalysis) -> FileAnalysis:
    """An analysis with the wrapper calls and wrappers a later round found added."""
    have = {(c.span, c.via) for c in base.calls}
    calls = base.calls + tuple(c for c in extra.calls if (c.span, c.via) not in have)
    wrappers = base.wrappers + tuple(w for w in extra.wrappers if w.function not in {x.function for x in base.wrappers})
    dependencies = tuple(sorted(set(base.dependencies) | set(extra.dependencies)))
    edges: dict[str, set[str]] = {caller: set(callees) for caller, callees in base.calls_from}
    for caller, callees in extra.calls_from:
        edges.setdefault(caller, set()).update(callees)
    return replace(
        base,
        calls=tuple(sorted(calls, key=lambda c: c.span.start)),
        wrappers=wrappers,
        dependencies=dependencies,
        calls_from=tuple(sorted((caller, tuple(sorted(callees))) for caller, callees in edges.items())),
    )


# ----------------------------------------------------------------------------- linking


class EdgeTargets:
    """Call edges name their targets as the caller wrote them (`pkg.run`, which pkg's
    `__init__` re-exports from `pkg.core`). Linking looks up, once each and only when an
    entry point reaches it, a target that is no function of the analysed files."""

    def __init__(self, root: Path, overrides: dict[str, str] | None = None) -> None:
        self.root = root
        self.overrides = overrides or {}
        self._index: ProjectIndex | None = None
        self._found: dict[str, str] = {}

    def __call__(self, target: str) -> str:
        if "." not in target:
            return target
        if target not in self._found:
            found = target
            head = target.split(".")[0]
            root = str(self.root)
            if any(os.path.exists(os.path.join(base, name)) for base in (root, os.path.join(root, "src")) for name in (head, head + ".py")):
                if self._index is None:
                    from promptlint.index.project import ProjectIndex

                    self._index = ProjectIndex(self.root, overrides=self.overrides, bodies=False)
                self._index.start_file()  # each lookup on its own: old summaries may go
                symbol = self._index.lookup(target, None)
                if symbol is not None and symbol.module is not None and symbol.kind in ("function", "class"):
                    name = f"{symbol.module.name}.{symbol.name}" if symbol.module.name else symbol.name
                    found = f"{name}.__init__" if symbol.kind == "class" else name
            self._found[target] = found
        return self._found[target]


def link_entry_points(analyses: list[FileAnalysis], targets: Callable[[str], str] | None = None) -> list[FileAnalysis]:
    """Mark calls reached from an entry point in any file: a handler's helper in another
    module is user-facing too. Wrapped SDK calls (made inside a wrapper whose callers were
    found) are marked so rules judge the callers, where the prompt is written. `targets`
    canonicalizes an edge target no analysed function is named like (see EdgeTargets)."""
    edges: dict[str, set[str]] = {}
    entries: list[Handler] = []
    wrapped: set[tuple[str, int]] = set()
    wrappers_called: set[str] = set()
    for analysis in analyses:
        entries.extend(analysis.handlers)
        for caller, callees in analysis.calls_from:
            edges.setdefault(caller, set()).update(callees)
        for call in analysis.calls:
            if call.via is not None:
                wrapped.update((path, span.start.row) for path, span in call.related)
                wrappers_called.add(call.via)
    wrapper_names = {name.rsplit(".", 1)[-1] for name in wrappers_called}
    # Only functions that may lead to a call matter: those holding one, and, backwards,
    # those with an edge to one. A re-exported function keeps its own name, so a target is
    # matched by its last name until an entry point's walk reaches it and it is looked up.
    leading = {c.context.function for a in analyses for c in a.calls if c.context.function}
    callers_by_name: dict[str, set[str]] = {}
    for caller, callees in edges.items():
        for target in callees:
            callers_by_name.setdefault(target.rsplit(".", 1)[-1], set()).add(caller)
    last_names = {name.rsplit(".", 1)[-1] for name in leading}
    pending = list(last_names)
    while pending:
        for caller in callers_by_name.get(pending.pop(), ()):
            if caller not in leading:
                leading.add(caller)
                name = caller.rsplit(".", 1)[-1]
                if name not in last_names:
                    last_names.add(name)
                    pending.append(name)
    known = set(edges) | leading
    reached: dict[str, Handler] = {}
    # User-facing entry points first, so a function reached from both counts as user-facing.
    for entry in sorted(entries, key=lambda h: not h.user_facing):
        pending = [entry.function]
        while pending:
            function = pending.pop()
            if function in reached:
                continue
            reached[function] = entry
            for target in edges.get(function, ()):
                if target in known or targets is None:
                    pending.append(target)
                elif target.rsplit(".", 1)[-1] in last_names:
                    pending.append(targets(target))
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
            if call.via is None:
                is_wrapped = (call.filename, call.span.start.row) in wrapped
            else:
                is_wrapped = _is_hop(call, wrappers_called, wrapper_names)
            calls.append(replace(call, context=context, wrapped=is_wrapped))
        linked.append(replace(analysis, calls=tuple(calls)))
    return linked


def _is_hop(call: LLMCall, wrappers_called: set[str], wrapper_names: set[str]) -> bool:
    """Whether a wrapper call is a hop on the prompt's way to the SDK, whose callers carry
    the prompt, rather than where a prompt is written.

    A function forwarding its parameters into a wrapper call (`call.wrapped` from analysis)
    is a hop when its callers were found. When they were not (called from outside the
    project, or through dispatch names do not resolve), it is still a hop if it adds no
    prompt text of its own (`def _aask(self, prompt): return self.llm.aask(prompt)`), if
    it is a method calling a method of its own object (`run` calling `self._request`), or
    if it is a method named like a wrapper that is called (an override: `AzureLLM.call`
    for callers of `LLM.call`). Otherwise it writes the prompt, and is the call site."""
    function = call.context.function or ""
    if function in wrappers_called:
        return True
    if not call.wrapped:
        return False
    return call.hop in ("pass", "self") or (call.hop == "method" and function.rsplit(".", 1)[-1] in wrapper_names)


# ----------------------------------------------------------------------------- rules


class SourceReader:
    """File texts for fixes and suppressions, read once, with in-memory overrides."""

    def __init__(self, overrides: dict[Path, str] | None = None) -> None:
        self._texts = {canonical(path): text for path, text in (overrides or {}).items()}

    def __call__(self, filename: str) -> str:
        key = canonical(filename)
        if key not in self._texts:
            try:
                self._texts[key] = files.decode_source(Path(filename).read_bytes())
            except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
                self._texts[key] = ""
        return self._texts[key]


def enabled_rules(config: Config) -> list[Rule]:
    from promptlint.checks import all_rules

    return [cls() for cls in all_rules() if is_rule_enabled(config, cls.code)]


def run_rules(
    analyses: Iterable[FileAnalysis],
    config: Config,
    *,
    today: date | None = None,
    read_source: SourceReader | None = None,
    errors: list[FileError] | None = None,
) -> list[Diagnostic]:
    """Every enabled rule's findings on `analyses`, suppressions applied and priced. A rule
    that runs out of memory or stack on some file's calls skips that file, which is added
    to `errors`; the other files keep their findings."""
    from promptlint.pricing import price_stake
    from promptlint.rule import RuleContext
    from promptlint.suppress import parse_suppressions
    from promptlint.tokens import count_tokens

    read_source = read_source or SourceReader()
    errors = errors if errors is not None else []
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
    judged = list(analyses)
    calls_by_file: dict[str, list] = {}
    for analysis in judged:
        for call in analysis.calls:
            calls_by_file.setdefault(call.filename, []).append(call)
    # Each finding with the lines whose directive silences it: its own first and last
    # line, and the first line of every call it lies in.
    found: dict[tuple, tuple[Diagnostic, set[int]]] = {}
    for rule in rules:
        for diagnostic in _guarded(rule, judged, contexts[rule.code], errors):
            diagnostic = replace(diagnostic, filename=canonical(diagnostic.filename))
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


def _guarded(rule, analyses: list[FileAnalysis], ctx: RuleContext, errors: list[FileError]) -> list[Diagnostic]:
    """`rule.check_project(analyses)`; when that runs out of memory or stack, the rule is run
    on each file alone, and the files it fails on are reported instead."""
    try:
        return list(rule.check_project(analyses, ctx))
    except (MemoryError, RecursionError):
        pass
    found = []
    for analysis in analyses:
        try:
            found += list(rule.check_project([analysis], ctx))
        except (MemoryError, RecursionError) as error:
            what = "ran out of memory" if isinstance(error, MemoryError) else "too deeply nested"
            errors.append(FileError(analysis.filename, f"{rule.code} not checked: {what} judging its calls"))
    return found


def _enclosing_call_rows(calls_by_file: dict[str, list], diagnostic: Diagnostic) -> set[int]:
    """The first line of each call in the finding's file whose span holds the finding's span.

    A `# promptlint: ignore[...]` on a call's first line covers every finding inside the
    call, whichever argument (`model=`, a message) the finding points at.
    """
    return {
        call.span.start.row
        for call in calls_by_file.get(diagnostic.filename, ())
        if call.span.start <= diagnostic.span.start and diagnostic.span.end <= call.span.end
    }


def reported_files(analyses: list[FileAnalysis], given: frozenset[str]) -> frozenset[str]:
    """The files whose findings a run reports: the files it was given, and the files that
    hold prompts sent by calls in them (a prompt is reported where it is written)."""
    found = set(given)
    for analysis in analyses:
        if analysis.filename in given:
            for call in analysis.calls:
                found |= _files_of(call)
    return frozenset(found)


def _files_of(call: LLMCall) -> set[str]:
    """The files a finding on `call` may be reported in: its own, its prompts', its model's."""
    found = {call.filename}
    for text in (call.system, call.tools, *(m.content for m in call.messages)):
        if text is not None:
            found.update(s.filename for s in text.segments if s.filename)
    if call.model_argument is not None and call.model_argument.filename:
        found.add(call.model_argument.filename)
    found.update(path for path, _ in call.related)
    return found


def _may_report(analysis: FileAnalysis, reported: frozenset[str]) -> bool:
    """Whether a finding on one of the analysis's calls could land in a reported file (the
    rules need not judge the calls a run on a few files reads only for context)."""
    return analysis.filename in reported or any(_files_of(call) & reported for call in analysis.calls)


@collecting_in_batches()
def lint(
    paths: Sequence[str | Path],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overrides: dict[Path, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    price_helper: bool = False,
) -> LintResult:
    """Lint `paths`. `price_helper`: genai-prices may be imported in a process of its own
    (`price_helper`), for a process that lints once and has a core to spare."""
    today = today or date.today()
    cache = ResultsCache(config.root, config_fingerprint(config), enabled=use_cache and not overrides)
    stats = cache.file_stats()
    tree = gather(paths, config, overrides, stats, jobs)
    cache.put_file_stats(stats)
    cache.remember(tree.hashes)
    reader = SourceReader(overrides)
    tree_key = tree.key(config, today) if cache.enabled else ""
    # An unchanged tree whose prompt files are unchanged too: the last run's result, with
    # nothing parsed, decoded or tokenized.
    last = cache.get_run(tree_key)
    if last is not None:
        found = _result(list(last.findings), list(last.errors), len(tree.given), frozenset(last.reported), reader)
        return replace(found, analysed=list(last.analysed), dependents=last.readers())
    run = analyze_tree(tree, config, jobs=jobs, use_cache=use_cache, progress=progress, cache=cache)
    analyses, errors, count, given = run.analyses, run.errors, run.files_checked, run.given
    analyses = link_entry_points(analyses, run.targets)
    reported = reported_files(analyses, given)
    key = _run_key(analyses, errors, today, reported)
    diagnostics = cache.get_findings(key)
    if diagnostics is None:
        from promptlint import pricing

        judged = [a for a in analyses if _may_report(a, reported)]
        rule_errors: list[FileError] = []
        prices = pricing.PriceMemo(cache.load(PRICES_FILENAME)) if cache.enabled else None
        # Rules over calls with no prices remembered will likely price a finding: genai-prices
        # is imported beside them, on another core, while they build the tokenizer.
        beside = price_helper and not (prices and prices.entries) and any(a.calls for a in judged)
        with pricing.imported_beside(beside), pricing.remembering(prices):
            diagnostics = [d for d in run_rules(judged, config, today=today, read_source=reader, errors=rule_errors) if d.filename in reported]
        if prices is not None and prices.changed:
            cache.store(PRICES_FILENAME, prices.to_json())
        errors = [*errors, *(e for e in rule_errors if e.filename in reported)]
    given_analyses = [a for a in analyses if a.filename in given]
    dependents: dict[str, list[str]] = {}
    for analysis in given_analyses:
        for dependency, _ in analysis.dependencies:
            dependents.setdefault(dependency, []).append(analysis.filename)
    read = {dependency for analysis in analyses for dependency in analysis.dependencies}
    cache.put_run(
        key,
        tree_key,
        CachedRun.of(
            tuple(diagnostics),
            tuple(errors),
            tuple(a.filename for a in given_analyses),
            tuple(sorted(reported)),
            tuple(sorted(read)),
            dependents,
        ),
    )
    found = _result(diagnostics, errors, count, reported, reader)
    return replace(found, analyses=given_analyses, analysed=[a.filename for a in given_analyses], dependents=dependents)


def _result(diagnostics: list[Diagnostic], errors: list[FileError], count: int, reported: frozenset[str], reader: SourceReader) -> LintResult:
    diagnostics = [replace(d, filename=display_path(d.filename)) for d in diagnostics]
    errors = [replace(e, filename=display_path(e.filename)) for e in errors]
    sources = {d.filename: reader(d.filename) for d in diagnostics}
    return LintResult(diagnostics, errors, files_checked=count, sources=sources, reported=reported)


def display_path(path: str) -> str:
    """A file as reports name it: relative to the working directory when inside it, else
    absolute; the same file is spelled the same way however it was given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir + os.sep) or relative == os.pardir else relative


def _run_key(analyses: list[FileAnalysis], errors: list[FileError], today: date, reported: frozenset[str]) -> str:
    """Everything the rules' findings depend on besides configuration and version: each
    analysed file's name, module name and bytes, the files it read, the files that failed,
    the files reported and the date (retirements depend on it)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(today.isoformat().encode())
    for analysis in analyses:
        digest.update(repr((analysis.filename, analysis.module, analysis.content_hash, analysis.dependencies)).encode("utf-8", "surrogatepass"))
    for error in errors:
        digest.update(repr((error.filename, error.reason, error.line)).encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted(reported)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
