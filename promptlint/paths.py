# SPDX-License-Identifier: MIT
"""What a file's path inside the project says: its one spelling, its module name, where it
sits relative to the project root, and whether it is test code. Shared by discovery,
configuration, the index and rules, so it depends on nothing of promptlint's."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def relative_to_root(path: str | os.PathLike[str], root: Path) -> str:
    """`path` as a '/'-separated path relative to `root`; paths outside it stay absolute
    without the leading '/', so only unanchored patterns ('build', '*.py') can match them."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        relative = os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        relative = os.path.splitdrive(absolute)[1].lstrip(os.sep)
    return relative.replace(os.sep, "/")


def is_test_file(path: str | os.PathLike[str], root: Path | None = None) -> bool:
    """Whether a file is test code: pytest's default discovery names (`test_*.py`,
    `*_test.py`, `conftest.py`) or a `tests`/`test` folder. With a root, only the folders
    inside it count, so a project checked out under `~/test/` is not all test code."""
    name = os.fspath(path)
    relative = relative_to_root(name, root) if root is not None else name.replace(os.sep, "/")
    *folders, base = relative.split("/")
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py" or bool({"tests", "test"} & set(folders))


@lru_cache(maxsize=4096)
def _package_parts(directory: str) -> tuple[str, ...]:
    """The package names of a directory: its own and its parents' while `__init__.py` exists."""
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent = os.path.dirname(directory)
    if parent == directory:
        return (os.path.basename(directory),)
    return (*_package_parts(parent), os.path.basename(directory))


def module_name_for(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The dotted module name of a file and its package, from the `__init__.py` chain."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    stem = filename.rsplit(".", 1)[0]
    package = ".".join(_package_parts(directory))
    if stem == "__init__":
        return package, package
    return (f"{package}.{stem}" if package else stem), package


def canonical(path: str | os.PathLike[str]) -> str:
    """An absolute, normalized path with symlinks kept: one spelling per file, however the
    user typed it (`resolve()` would follow symlinks out of a symlinked tree)."""
    return os.path.normpath(os.path.abspath(path))
