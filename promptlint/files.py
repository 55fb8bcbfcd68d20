# SPDX-License-Identifier: MIT
"""Paths on the command line turned into the Python files to lint, and a cheap prefilter.

Walking is `os.scandir`-based and prunes excluded directories before entering them, so a
`node_modules` or `.venv` costs one stat. `.gitignore` files (in the walked directories and
their parents up to the enclosing git work tree or the config root) are honoured with git's
own precedence: the deepest file's last matching pattern decides. The configured excludes
are applied to files named explicitly too (pre-commit passes names), like ruff's
`--force-exclude`, always on; `.gitignore` is not, since naming an ignored file is a choice.

Whatever the tree holds, discovery never blocks or raises: a named pipe or a device named
on the command line is reported as not a regular file (reading one would wait forever or
never end), a symlink loop as a loop, and a file named twice (`x.py`, `./x.py`, its absolute
path, a symlink to it) is linted once. File names are carried as the operating system
gives them, undecodable bytes included (as `surrogateescape` characters).

Which of the files are worth parsing is decided from their bytes in `prefilter`.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from promptlint.config import Config
from promptlint.paths import relative_to_root
from promptlint.types import FileError

GITIGNORE = ".gitignore"


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class _Ignore:
    """One .gitignore file: its patterns apply to paths below `base` ('/'-separated, absolute,
    ending in '/')."""

    base: str
    spec: pathspec.GitIgnoreSpec

    @classmethod
    def at(cls, directory: str, spec: pathspec.GitIgnoreSpec) -> _Ignore:
        return cls(directory.replace(os.sep, "/").rstrip("/") + "/", spec)


def discover(paths: Sequence[str | Path], config: Config) -> tuple[list[Path], list[FileError]]:
    """The `.py` files under `paths` (explicit files whatever their suffix), sorted, each file
    once, and the paths that could not be read.

    A file is known by its identity (device and inode), so one reached under several names
    (`x.py`, `./x.py`, `/abs/x.py`, a symlink, a hard link) is linted once, under the
    spelling of the earliest path given, and within one directory walk under its smallest
    name.
    """
    excludes = pathspec.GitIgnoreSpec.from_lines([*config.exclude, *config.extend_exclude])
    found: dict[tuple[int, int], Path] = {}  # (device, inode) -> the name the file is reported under
    errors: list[FileError] = []
    visited: set[tuple[int, int]] = set()
    for given in paths:
        name = os.fspath(given)
        relative = relative_to_root(name, config.root)
        try:
            info = os.stat(name)
        except OSError as exc:  # missing, a broken symlink, a symlink loop, no permission
            errors.append(FileError(name, os_error_reason(exc)))
            continue
        batch: dict[Path, tuple[int, int]] = {}  # file -> (device, inode)
        if stat.S_ISDIR(info.st_mode):
            if relative != "." and excludes.match_file(relative + "/"):
                continue
            ignores = _parent_ignores(os.path.abspath(name), config.root)
            _walk(name, os.path.abspath(name), relative, excludes, ignores, visited, batch, errors)
        elif excludes.match_file(relative):
            continue
        elif not stat.S_ISREG(info.st_mode):
            errors.append(FileError(name, not_regular_reason(info.st_mode)))
            continue
        else:
            batch[Path(name)] = (info.st_dev, info.st_ino)
        for path, identity in batch.items():
            kept = found.get(identity)
            if kept is None or (kept in batch and path < kept):
                found[identity] = path
    return sorted(found.values()), errors


def os_error_reason(error: OSError) -> str:
    """An OSError as the short reason shown beside the path ("No such file or directory")."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links)"
    return error.strerror or str(error)


def not_regular_reason(mode: int) -> str:
    """Why a path that is not a regular file (or a directory) is not linted."""
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((label for test, label in kinds if test(mode)), "a special file")
    return f"not a regular file ({kind})"


def read_regular_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of `path`, which must be a regular file.

    Opened without blocking and checked on the open descriptor, so a named pipe (whose
    `open` would wait for a writer forever) or a device (whose read never ends) raises an
    OSError whose `strerror` says what it is, with no window in which the path can be
    swapped for one.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb", closefd=True) as handle:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, not_regular_reason(mode), os.fspath(path))
        return handle.read()


def _walk(
    display: str,
    absolute: str,
    relative: str,
    excludes: pathspec.GitIgnoreSpec,
    ignores: list[_Ignore],
    visited: set[tuple[int, int]],
    found: dict[Path, tuple[int, int]],
    errors: list[FileError],
) -> None:
    """Collect the `.py` files below one directory (iteratively: deep trees do not recurse),
    each with its identity (device, inode).

    `display` is the path as the user named it, `relative` the same path relative to the
    config root (what the excludes match). Each directory is entered once by identity, so
    symlinked directories cannot loop. A file's inode comes with the directory listing; only
    a symlink's target costs a `stat`.
    """
    stack = [(display, absolute, "" if relative == "." else relative + "/", ignores)]
    while stack:
        display, absolute, prefix, ignores = stack.pop()
        try:
            info = os.stat(absolute)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(absolute) as scan:
                entries = list(scan)
        except OSError as exc:
            errors.append(FileError(display, os_error_reason(exc)))
            continue
        if any(entry.name == GITIGNORE for entry in entries):
            spec = _read_gitignore(os.path.join(absolute, GITIGNORE))
            if spec is not None:
                ignores = [*ignores, _Ignore.at(absolute, spec)]
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if is_dir:
                child = os.path.join(absolute, entry.name)
                if not _excluded(prefix + entry.name + "/", child + "/", excludes, ignores):
                    stack.append((os.path.join(display, entry.name), child, prefix + entry.name + "/", ignores))
            elif is_file and entry.name.endswith(".py"):
                child = os.path.join(absolute, entry.name)
                if not _excluded(prefix + entry.name, child, excludes, ignores):
                    found[Path(display, entry.name)] = _identity(entry, info.st_dev)


def _identity(entry: os.DirEntry[str], device: int) -> tuple[int, int]:
    """(device, inode) of a listed regular file: its directory's device, unless it is a
    symlink (whose target may live anywhere)."""
    if entry.is_symlink():
        try:
            target = entry.stat()
            return (target.st_dev, target.st_ino)
        except OSError:
            pass
    return (device, entry.inode())


def _excluded(relative: str, absolute: str, excludes: pathspec.GitIgnoreSpec, ignores: list[_Ignore]) -> bool:
    """Whether the configured excludes or the nearest deciding .gitignore drop this path.

    Directory paths end in '/', which is what makes `build/`-style patterns match them.
    """
    if excludes.match_file(relative):
        return True
    absolute = absolute.replace(os.sep, "/")
    for ignore in reversed(ignores):
        decision = ignore.spec.check_file(absolute[len(ignore.base) :]).include
        if decision is not None:
            return decision
    return False


def _parent_ignores(directory: str, root: Path) -> list[_Ignore]:
    """The .gitignore files above a walked directory, outermost first.

    Parents count up to the enclosing git work tree (a directory holding `.git`), so
    running on a subdirectory ignores what running on the whole repository would; outside
    a work tree, only parents up to the config root count.
    """
    parents: list[str] = []
    current = directory
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            top = os.path.abspath(root)
            parents = [p for p in parents if p == top or p.startswith(top.rstrip(os.sep) + os.sep)]
            break
        parents.append(parent)
        current = parent
    ignores = []
    for parent in reversed(parents):
        spec = _read_gitignore(os.path.join(parent, GITIGNORE))
        if spec is not None:
            ignores.append(_Ignore.at(parent, spec))
    return ignores


def _read_gitignore(path: str) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = io.TextIOWrapper(io.BytesIO(read_regular_file(path)), encoding="utf-8", errors="replace")
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (OSError, ValueError):
        return None  # an unreadable or malformed .gitignore ignores nothing, as in git


def decode_source(data: bytes) -> str:
    """Text of Python source bytes, honouring a BOM or coding cookie (PEP 263)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)
