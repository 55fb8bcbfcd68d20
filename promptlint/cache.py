# SPDX-License-Identifier: MIT
"""Per-file analysis results kept between runs in `<root>/.promptlint_cache/`.

Analysis (libcst parsing and prompt resolution) is the expensive step, and its result for a
file depends only on the file's bytes, the configuration, the promptlint version and the
project files it read (imported prompts, client modules): the entry stores all four and is
used only when every one still matches. One entry per source file and analysis slot (the
file's whole analysis, and each wrapper round's re-reading of it; named by a hash of both) is
overwritten as the file changes, so the directory does not grow with history.

Entries are JSON decoded against `FileAnalysis`'s type hints (see `serialize`), never
pickle: a planted or corrupt entry is a miss, not code execution. Failing to write the
cache (a read-only checkout) never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptlint import __version__
from promptlint.serialize import DecodeError, decode, encode
from promptlint.types import Diagnostic, FileError

if TYPE_CHECKING:
    from promptlint.analysis.results import FileAnalysis

CACHE_DIRNAME = ".promptlint_cache"
FINDINGS_FILENAME = "findings.json"  # per-file entries are named by a hash, never this
# https://bford.info/cachedir/: backup and archiving tools skip directories tagged so.
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by promptlint.\n"
)


def file_hash(data: bytes) -> str:
    """The content hash used for cache keys and `FileAnalysis.dependencies`."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


STATS_FILENAME = "stats.json"
PRICES_FILENAME = "prices.json"  # pricing.PriceMemo
# A file changed this soon before its hash was recorded may have changed again within the
# filesystem's timestamp granularity (2 s on FAT, 1 s on some others) without its stat
# showing it: such an entry is not trusted.
RACY_NS = 2_000_000_000


class FileStats:
    """What each file's bytes hashed to when a run last read them, by the file's stat (size,
    modification and change times, inode), as git's index keeps it: a warm run reads and
    hashes only the files whose stat changed. Any write to a file changes its change time,
    which no tool can set back; an entry whose file changed less than RACY_NS before the
    entry was written is read again."""

    def __init__(self, entries: dict[str, list[int | str]] | None = None, written_ns: int = 0) -> None:
        self._entries = entries or {}
        self._written_ns = written_ns
        self._racy = False
        self.updated: dict[str, list[int | str]] = {}

    @property
    def trusted(self) -> bool:
        """Whether any file's hash may come from its stat: a run recorded them, on a
        system whose change time every write moves (not Windows, whose `st_ctime` is the
        creation time)."""
        return bool(self._entries) and os.name != "nt"

    def known_hash(self, path: str, info: os.stat_result) -> str | None:
        """The recorded hash of `path` if its stat is the one recorded and not racy (never
        where stats are not `trusted`)."""
        if not self.trusted:
            return None
        entry = self._entries.get(path)
        if entry is None or entry[:4] != _stat_key(info):
            return None
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self._written_ns - RACY_NS:
            self._racy = True
            return None
        self.updated[path] = entry
        return str(entry[4])

    def record(self, path: str, info: os.stat_result, content_hash: str) -> None:
        self.updated[path] = [*_stat_key(info), content_hash]

    def changed(self) -> bool:
        """Whether the entries are worth writing: they differ, or some were too recent to
        trust (written again now, they are trusted from the next run on, as git rewrites
        its index after a racy check)."""
        return self._racy or self.updated != self._entries


def _stat_key(info: os.stat_result) -> list[int | str]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


@dataclass(frozen=True)
class CachedRun:
    """A whole run's result, kept for the next run over the same tree."""

    findings: tuple[Diagnostic, ...]
    errors: tuple[FileError, ...]
    analysed: tuple[str, ...]  # the given files that were analysed
    reported: tuple[str, ...]  # the files whose findings were reported
    dependencies: tuple[tuple[str, str], ...]  # (path, hash) of every file the analyses read
    # A file the given files read (its index in `dependencies`) and those files (indexes
    # in `analysed`): written out as paths, they were four fifths of the entry, which a
    # warm run reads whole.
    dependents: tuple[tuple[int, tuple[int, ...]], ...]

    @classmethod
    def of(
        cls,
        findings: tuple[Diagnostic, ...],
        errors: tuple[FileError, ...],
        analysed: tuple[str, ...],
        reported: tuple[str, ...],
        dependencies: tuple[tuple[str, str], ...],
        dependents: dict[str, list[str]],
    ) -> CachedRun:
        """The entry for a run whose given files `dependents` maps each file they read to."""
        at_dependency: dict[str, int] = {}
        for i, (path, _) in enumerate(dependencies):
            at_dependency.setdefault(path, i)
        at_analysed = {path: i for i, path in enumerate(analysed)}
        readers = tuple(
            (at_dependency[path], tuple(at_analysed[reader] for reader in found)) for path, found in sorted(dependents.items())
        )
        return cls(findings, errors, analysed, reported, dependencies, readers)

    def readers(self) -> dict[str, list[str]]:
        """Each file the given files read -> the given files that read it."""
        return {self.dependencies[i][0]: [self.analysed[j] for j in found] for i, found in self.dependents}

    def consistent(self) -> bool:
        """Whether every index names an entry (a corrupt or planted entry may not)."""
        files, readers = len(self.dependencies), len(self.analysed)
        return all(0 <= i < files and all(0 <= j < readers for j in found) for i, found in self.dependents)


class ResultsCache:
    """Analysis results by file, valid for one configuration fingerprint and version."""

    def __init__(self, root: Path, fingerprint: str, enabled: bool = True, *, version: str = __version__) -> None:
        self.directory = Path(root) / CACHE_DIRNAME
        self.root = Path(root)
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.version = version
        self._hashes: dict[str, str] = {}  # dependency path -> current hash, per run
        self._run_entry: dict[str, Any] | None = None  # findings.json as read (`_last_run`)

    def get(self, path: Path, content_hash: str, extra: str = "", slot: str = "") -> FileAnalysis | None:
        """The stored analysis of `path` if it is still valid for these bytes, else None.

        Valid means: the same bytes, configuration, version and `extra` (what else the
        analysis was asked to look for), and every file it read, or looked for and did not
        find, still hashes the same or is still missing."""
        if not self.enabled:
            return None
        try:
            entry = json.loads(self._entry_path(path, slot).read_bytes())
        except (OSError, ValueError):  # no entry, unreadable, or not JSON
            return None
        if not isinstance(entry, dict) or entry.get("key") != self._key(path, content_hash, extra):
            return None
        from promptlint.analysis.results import FileAnalysis  # a run answered whole never needs it

        try:
            analysis = decode(FileAnalysis, entry.get("analysis"))
        except (DecodeError, TypeError, ValueError):
            return None
        for dependency, digest in analysis.dependencies:
            if self._current_hash(dependency) != digest:
                return None
        return analysis

    def put(self, path: Path, content_hash: str, analysis: FileAnalysis, extra: str = "", slot: str = "") -> None:
        """Store the analysis of `path` in `slot` (replacing any older entry), atomically."""
        if not self.enabled:
            return
        try:
            payload = json.dumps({"key": self._key(path, content_hash, extra), "analysis": encode(analysis)})
        except (TypeError, ValueError, RecursionError):
            return
        self._write(self._entry_path(path, slot), payload)

    # ----------------------------------------------------------------- whole runs

    def get_run(self, tree_key: str) -> CachedRun | None:
        """The last run's result if it read exactly the same files (`tree_key`: names,
        bytes, configuration, date) and every other file its analyses read (prompt files,
        modules looked for and not found) is unchanged: a warm run that parses nothing."""
        entry = self._last_run()
        if entry is None or entry.get("tree") != self._run_key(tree_key):
            return None
        try:
            run = decode(CachedRun, entry.get("run"))
        except (DecodeError, TypeError, ValueError):
            return None
        if any(self._current_hash(path) != digest for path, digest in run.dependencies):
            return None
        return run if run.consistent() else None

    def get_findings(self, run_key: str) -> list[Diagnostic] | None:
        """The findings of the last run if its analyses saw exactly the same inputs
        (`run_key`): when only files without calls changed, the rules need not run again
        (loading the tokenizer and lexicons is most of their cost)."""
        entry = self._last_run()
        if entry is None or entry.get("key") != self._run_key(run_key):
            return None
        try:
            return list(decode(CachedRun, entry.get("run")).findings)
        except (DecodeError, TypeError, ValueError):
            return None

    def put_run(self, run_key: str, tree_key: str, run: CachedRun) -> None:
        if not self.enabled:
            return
        entry = {"key": self._run_key(run_key), "tree": self._run_key(tree_key), "run": encode(run)}
        self._write(self.directory / FINDINGS_FILENAME, json.dumps(entry))
        self._run_entry = entry

    def _last_run(self) -> dict[str, Any] | None:
        """The whole-run entry, read once: a run that misses `get_run` asks `get_findings`."""
        if not self.enabled:
            return None
        if self._run_entry is None:
            try:
                entry = json.loads((self.directory / FINDINGS_FILENAME).read_bytes())
            except (OSError, ValueError):
                entry = None
            self._run_entry = entry if isinstance(entry, dict) else {}
        return self._run_entry or None

    def _run_key(self, run_key: str) -> dict[str, Any]:
        return {"version": self.version, "fingerprint": self.fingerprint, "run": run_key}

    # ----------------------------------------------------------------- other entries

    def load(self, name: str) -> Any:
        """The JSON entry `name` the last run stored (None when missing, unreadable, or the
        cache is off)."""
        if not self.enabled:
            return None
        try:
            return json.loads((self.directory / name).read_bytes())
        except (OSError, ValueError):
            return None

    def store(self, name: str, data: Any) -> None:
        if self.enabled:
            self._write(self.directory / name, json.dumps(data))

    # ----------------------------------------------------------------- file stats

    def file_stats(self) -> FileStats | None:
        """The hashes the last run recorded by file stat (None with the cache off)."""
        if not self.enabled:
            return None
        try:
            entry = self.load(STATS_FILENAME)
            entries, written_ns = entry["files"], int(entry["written_ns"])
            if not isinstance(entries, dict) or not all(isinstance(x, list) and len(x) == 5 for x in entries.values()):
                raise ValueError("not a stats entry")
        except (ValueError, KeyError, TypeError):
            return FileStats()
        return FileStats(entries, written_ns)

    def remember(self, hashes: dict[str, str]) -> None:
        """Hashes of files this run has read already (path -> hash): dependencies among
        them are not read again."""
        self._hashes.update(hashes)

    def put_file_stats(self, stats: FileStats | None) -> None:
        if stats is not None and stats.changed():
            self.store(STATS_FILENAME, {"written_ns": time.time_ns(), "files": stats.updated})

    # ----------------------------------------------------------------- internals

    def _write(self, target: Path, payload: str) -> None:
        try:
            self._ensure_directory()
            write_entry(target, payload)
        except OSError:
            return  # a cache that cannot be written only costs speed

    def _key(self, path: Path, content_hash: str, extra: str = "") -> dict[str, Any]:
        return {
            "version": self.version,
            "fingerprint": self.fingerprint,
            "path": os.path.abspath(path),
            "content_hash": content_hash,
            "extra": extra,
        }

    def _entry_path(self, path: Path, slot: str = "") -> Path:
        named = os.path.abspath(path) + ("\0" + slot if slot else "")
        name = hashlib.blake2b(named.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        return self.directory / f"{name}.json"

    def _current_hash(self, dependency: str) -> str:
        """The hash of a dependency's bytes now ("" when missing or unreadable, as a lookup
        that found nothing records it), read once per run."""
        location = dependency if os.path.isabs(dependency) else os.path.join(self.root, dependency)
        if location not in self._hashes:
            try:
                self._hashes[location] = file_hash(Path(location).read_bytes()) if os.path.isfile(location) else ""
            except OSError:
                self._hashes[location] = ""
        return self._hashes[location]

    def _ensure_directory(self) -> None:
        ensure_cache_directory(self.directory)


def write_entry(target: Path, payload: str) -> None:
    """Write a cache entry atomically: a temporary file beside it, renamed over it, so a
    reader never sees half an entry. Raises OSError."""
    import tempfile  # imported by the runs that write a cache only (it costs 6 ms at startup)

    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def ensure_cache_directory(directory: Path) -> None:
    """Create `.promptlint_cache/`, tagged so git, backup and archiving tools skip it."""
    if (directory / "CACHEDIR.TAG").is_file():
        return
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("*\n", encoding="utf-8")
    (directory / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, encoding="utf-8")
