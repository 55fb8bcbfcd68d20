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

The prefilter (`may_contain_llm_call`) reads bytes only: parsing is ~100x dearer than a
regex scan, and on real code bases only a few percent of files can hold an LLM call.
"""

from __future__ import annotations

import errno
import functools
import io
import os
import re
import stat
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from promptlint.config import Config, Wrapper, relative_to_root
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


# --------------------------------------------------------------------------- prefilter

# An SDK is only usable after an import, so the prefilter looks for import statements rather
# than for SDK names anywhere: CPython's `re` scans an alternation of words at ~50 MB/s, but
# a pattern with a literal prefix (`from`, `import`) at several hundred MB/s, trying the
# alternation only where the prefix occurs. The same two patterns also look for the project
# modules that create clients, for any number of them.
_SDK_MODULES: tuple[bytes, ...] = (
    rb"openai",
    rb"anthropic",
    rb"litellm",
    rb"langchain\w*",
    rb"pydantic_ai",
    rb"instructor",
    rb"google\.genai",
)
_SDK_WORDS = (b"openai", b"anthropic", b"litellm", b"langchain", b"pydantic_ai", b"instructor", b"genai")
_SDK_FROM_FORMS: tuple[bytes, ...] = (rb"google[ \t]+import[ \t]+[(\w \t,]*?(?<!\w)genai(?!\w)",)
_IMPORT_LIST_HEAD = rb"(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*"  # `import os, sys as s, `

# Spellings of an LLM call (or of building the object that makes one), as byte regexes.
CALL_SHAPES: tuple[str, ...] = (
    r"\.create\s*\(",
    r"\.parse\s*\(",
    r"\.stream\s*\(",
    r"\.generate_content",
    r"completion\s*\(",  # litellm completion/acompletion/text_completion
    r"\.a?invoke\s*\(",
    r"\.astream\s*\(",
    r"\.a?batch\s*\(",
    r"\.run\s*\(",
    r"\.run_sync\s*\(",
    r"\.run_stream",
    r"send_message",
    r"Agent\s*\(",
    r"Chat[A-Z]\w*\s*\(",  # ChatOpenAI(, ChatAnthropic(, ChatGoogleGenerativeAI( ...
    r"init_chat_model\s*\(",
)
_CALL = re.compile("|".join(CALL_SHAPES).encode())


def may_contain_llm_call(data: bytes, extra_names: Iterable[str] = (), extra_calls: Iterable[str] = ()) -> bool:
    """Whether a file's bytes could hold an LLM call; False means it need not be parsed.

    True needs an import of a supported SDK or of one of `extra_names` (dotted names of
    project modules known to create clients or define wrappers, also when imported
    relatively or as `from package import module`), and a call shape: an SDK method or
    constructor, or a call of one of `extra_calls` (configured wrapper function names).
    Imports are read from bytes, not parsed: one inside a string counts too.
    """
    if not imports_llm_sdk(data, extra_names):
        return False
    if _CALL.search(data) is not None:
        return True
    calls = _call_pattern(frozenset(filter(None, extra_calls)))
    return calls is not None and calls.search(data) is not None


def imports_llm_sdk(data: bytes, extra_names: Iterable[str] = ()) -> bool:
    """Whether a file's bytes import a supported SDK (or one of `extra_names`).

    A module that only builds a client (`client = OpenAI()`) has no call shape, yet the
    modules importing that client make calls through it: the engine uses this to find
    such client modules, whose importers must be parsed.
    """
    extra = frozenset(filter(None, extra_names))
    # Plain substring tests run at memory speed; most files mention no SDK at all.
    if not any(word in data for word in _SDK_WORDS) and not any(
        name.rpartition(".")[2].encode() in data for name in extra
    ):
        return False
    from_import, plain_import = _import_patterns(extra)
    return from_import.search(data) is not None or plain_import.search(data) is not None


@functools.lru_cache(maxsize=64)
def _import_patterns(extra_names: frozenset[str]) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """`from ... import` and `import ...` patterns naming an SDK or one of `extra_names`."""
    from_forms = [_alternatives(_SDK_MODULES) + rb"(?!\w)", *_SDK_FROM_FORMS]
    imported = list(_SDK_MODULES)
    if extra_names:
        # A module is found where its name, or a dotted tail of it (relative imports), is a
        # run of components of the imported module: `app.clients` is found in
        # `from app.clients.sub import`, `from .clients import`, `import app.clients`; a bare
        # `clients` in `from app.clients import` too.
        tails: set[str] = set()
        parents: set[str] = set()  # `import app` reaches app.clients
        for name in extra_names:
            parts = name.split(".")
            tails.update(".".join(parts[i:]) for i in range(len(parts)))
            parents.update(".".join(parts[:i]) for i in range(1, len(parts)))
        lasts = {name.rpartition(".")[2] for name in extra_names}  # `from app import clients`
        from_forms.append(rb"\.*(?:\w+\.)*" + _alternatives(_escaped(tails)) + rb"(?!\w)")
        from_forms.append(rb"[\w.]*[ \t]+import[ \t]+[(\w \t,]*?(?<!\w)" + _alternatives(_escaped(lasts)) + rb"(?!\w)")
        imported.append(rb"(?:\w+\.)*" + _alternatives(_escaped(set(extra_names) | parents)))
    return (
        re.compile(rb"from[ \t]+" + _alternatives(from_forms)),
        re.compile(rb"import[ \t]+" + _IMPORT_LIST_HEAD + _alternatives(imported) + rb"(?!\w)"),
    )


def _escaped(names: Iterable[str]) -> list[bytes]:
    return [re.escape(name.encode()) for name in sorted(names, key=len, reverse=True)]


def _alternatives(patterns: Iterable[bytes]) -> bytes:
    return rb"(?:" + rb"|".join(patterns) + rb")"


@functools.lru_cache(maxsize=64)
def _call_pattern(calls: frozenset[str]) -> re.Pattern[bytes] | None:
    if not calls:
        return None
    return re.compile(rb"(?<!\w)" + _alternatives(_escaped(calls)) + rb"\s*\(")


def wrapper_prefilter_names(wrappers: Iterable[Wrapper]) -> tuple[frozenset[str], frozenset[str]]:
    """The (`extra_names`, `extra_calls`) that let calls of configured wrappers through the
    prefilter: each wrapper's module and its function name."""
    modules = frozenset(wrapper.function.rpartition(".")[0] for wrapper in wrappers)
    functions = frozenset(wrapper.function.rpartition(".")[2] for wrapper in wrappers)
    return modules, functions


_IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w \t,]*)|import[ \t]+([\w \t,.]*))",
    re.M,
)


def imported_modules(data: bytes, package: str) -> set[str]:
    """The dotted modules a file's import lines name, relative imports resolved against
    `package`; `from app import clients` yields both `app` and `app.clients` (the name may
    be a module). Read from bytes with one regex: the engine compares these sets, which
    scales to large trees where a regex of every module name would not."""
    found: set[str] = set()
    for match in _IMPORT_LINE.finditer(data):
        base, names, plain = match.groups()
        if plain is not None:
            for item in plain.split(b","):
                words = item.split()
                if words:
                    found.add(words[0].decode("ascii", "replace"))
            continue
        module = base.decode("ascii", "replace")
        dots = len(module) - len(module.lstrip("."))
        if dots:
            parts = package.split(".") if package else []
            parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
            rest = module[dots:]
            module = ".".join([*parts, rest] if rest else parts)
        if module:
            found.add(module)
        for item in names.split(b","):
            words = item.split()
            if words:
                name = words[0].decode("ascii", "replace")
                found.add(f"{module}.{name}" if module else name)
    return found


def calls_wrapper(data: bytes, wrapper_calls: Iterable[str]) -> bool:
    """Whether the bytes call one of the configured wrapper functions."""
    calls = _call_pattern(frozenset(filter(None, wrapper_calls)))
    return calls is not None and calls.search(data) is not None


def has_call_shape(data: bytes) -> bool:
    """Whether the bytes spell something that could be an LLM call (see CALL_SHAPES)."""
    return _CALL.search(data) is not None


def decode_source(data: bytes) -> str:
    """Text of Python source bytes, honouring a BOM or coding cookie (PEP 263)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)
