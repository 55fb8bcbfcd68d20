# SPDX-License-Identifier: MIT
from __future__ import annotations

import os
from pathlib import Path

import pytest

from promptlint import files
from promptlint.config import Config
from promptlint.files import discover
from promptlint.types import FileError


def make(root: Path, *names: str, content: str = "") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def found(root: Path, paths: list[str | Path] | None = None, **config: object) -> list[str]:
    result, errors = discover(paths or [root], Config(root=root, **config))  # type: ignore[arg-type]
    assert errors == []
    return [path.relative_to(root).as_posix() for path in result]


# --------------------------------------------------------------------------- walking


def test_walk_finds_python_files_and_skips_default_excludes(tmp_path: Path) -> None:
    make(
        tmp_path,
        "app.py",
        "notes.txt",
        "stubs.pyi",
        "pkg/mod.py",
        "pkg/deep/er.py",
        ".venv/lib/x.py",
        "venv/y.py",
        "node_modules/z.py",
        "build/b.py",
        "pkg/dist/d.py",
        "pkg/__pycache__/c.py",
        ".git/hooks/h.py",
        ".promptlint_cache/e.py",
    )
    assert found(tmp_path) == ["app.py", "pkg/deep/er.py", "pkg/mod.py"]


def test_gitignore_at_root_and_nested(tmp_path: Path) -> None:
    make(tmp_path, "app.py", "gen_pb2.py", "generated/a.py", "pkg/local.py", "pkg/keep_pb2.py", "pkg/other.py")
    (tmp_path / ".gitignore").write_text("*_pb2.py\ngenerated/\n")
    (tmp_path / "pkg" / ".gitignore").write_text("local.py\n!keep_pb2.py\n")
    assert found(tmp_path) == ["app.py", "pkg/keep_pb2.py", "pkg/other.py"]


def test_nested_gitignore_applies_only_below_its_directory(tmp_path: Path) -> None:
    make(tmp_path, "local.py", "pkg/local.py")
    (tmp_path / "pkg" / ".gitignore").write_text("local.py\n")
    assert found(tmp_path) == ["local.py"]


def test_parent_gitignores_apply_when_walking_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("secret.py\n")
    make(tmp_path, "src/app.py", "src/secret.py")
    assert found(tmp_path, [tmp_path / "src"]) == ["src/app.py"]


def test_gitignore_above_the_work_tree_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("app.py\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    make(repo, "app.py")
    assert found(repo) == ["app.py"]


def test_exclude_replaces_defaults_and_extend_exclude_adds(tmp_path: Path) -> None:
    make(tmp_path, "app.py", "build/b.py", "vendor/v.py", "legacy/l.py")
    assert found(tmp_path, exclude=("vendor/",)) == ["app.py", "build/b.py", "legacy/l.py"]
    assert found(tmp_path, extend_exclude=("legacy", "/vendor")) == ["app.py"]


def test_exclude_patterns_are_relative_to_the_config_root(tmp_path: Path) -> None:
    make(tmp_path, "scripts/tool.py", "src/scripts/tool.py")
    assert found(tmp_path, extend_exclude=("/scripts/",)) == ["src/scripts/tool.py"]


def test_explicit_files_are_taken_whatever_their_suffix(tmp_path: Path) -> None:
    make(tmp_path, "bin/run", "notes.txt")
    assert found(tmp_path, [tmp_path / "bin" / "run"]) == ["bin/run"]


def test_excludes_apply_to_explicit_files_and_directories(tmp_path: Path) -> None:
    make(tmp_path, "app.py", ".venv/lib/x.py", "migrations/0001.py")
    paths: list[str | Path] = [tmp_path / "app.py", tmp_path / ".venv" / "lib" / "x.py", tmp_path / ".venv"]
    assert found(tmp_path, paths) == ["app.py"]
    assert found(tmp_path, [tmp_path / "migrations" / "0001.py"], extend_exclude=("migrations/",)) == []


def test_gitignore_does_not_apply_to_explicit_files(tmp_path: Path) -> None:
    make(tmp_path, "scratch.py")
    (tmp_path / ".gitignore").write_text("scratch.py\n")
    assert found(tmp_path) == []
    assert found(tmp_path, [tmp_path / "scratch.py"]) == ["scratch.py"]


def test_paths_keep_the_form_they_were_given_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "src/app.py")
    monkeypatch.chdir(tmp_path)
    result, _ = discover(["src"], Config(root=tmp_path))
    assert result == [Path("src/app.py")]
    result, _ = discover(["."], Config(root=tmp_path))
    assert result == [Path("src/app.py")]


def test_result_is_sorted_and_deduplicated(tmp_path: Path) -> None:
    make(tmp_path, "b.py", "a.py", "sub/c.py")
    paths: list[str | Path] = [tmp_path / "sub", tmp_path, tmp_path / "a.py", tmp_path / "a.py"]
    assert found(tmp_path, paths) == ["a.py", "b.py", "sub/c.py"]


def test_missing_path_is_a_file_error(tmp_path: Path) -> None:
    make(tmp_path, "app.py")
    missing = str(tmp_path / "nope.py")
    result, errors = discover([missing, tmp_path / "app.py"], Config(root=tmp_path))
    assert result == [tmp_path / "app.py"]
    assert errors == [FileError(missing, "No such file or directory")]


def test_unreadable_directory_is_a_file_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "app.py", "locked/x.py")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> object:
        if os.path.abspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    result, errors = discover([tmp_path], Config(root=tmp_path))
    assert result == [tmp_path / "app.py"]
    assert errors == [FileError(str(tmp_path / "locked"), "Permission denied")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_directory_symlink_loops_terminate(tmp_path: Path) -> None:
    make(tmp_path, "pkg/app.py", "pkg/sub/mod.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "sub" / "back")
    os.symlink(tmp_path / "pkg" / "sub", tmp_path / "pkg" / "sub" / "self")
    assert found(tmp_path) == ["pkg/app.py", "pkg/sub/mod.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_broken_symlinks_are_skipped_in_walks(tmp_path: Path) -> None:
    make(tmp_path, "app.py")
    os.symlink(tmp_path / "gone.py", tmp_path / "dangling.py")
    assert found(tmp_path) == ["app.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_and_device_are_reported_not_read(tmp_path: Path) -> None:
    make(tmp_path, "app.py")
    os.mkfifo(tmp_path / "pipe.py")
    result, errors = discover([tmp_path / "pipe.py", os.devnull, tmp_path / "app.py"], Config(root=tmp_path))
    assert result == [tmp_path / "app.py"]
    assert errors == [
        FileError(str(tmp_path / "pipe.py"), "not a regular file (a named pipe)"),
        FileError(os.devnull, "not a regular file (a character device)"),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipes_in_a_walk_are_skipped_even_as_gitignore(tmp_path: Path) -> None:
    make(tmp_path, "app.py", "pkg/mod.py")
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / "pkg" / files.GITIGNORE)  # opening it to read would wait for a writer
    assert found(tmp_path) == ["app.py", "pkg/mod.py"]


def test_read_regular_file_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    make(tmp_path, "app.py", content="x = 1\n")
    assert files.read_regular_file(tmp_path / "app.py") == b"x = 1\n"
    with pytest.raises(OSError, match="not a regular file \\(a character device\\)"):
        files.read_regular_file(os.devnull)
    with pytest.raises(IsADirectoryError if os.name != "nt" else OSError):
        files.read_regular_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_named_symlink_loop_is_a_file_error(tmp_path: Path) -> None:
    make(tmp_path, "app.py")
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    result, errors = discover([tmp_path / "loop_a.py", tmp_path / "app.py"], Config(root=tmp_path))
    assert result == [tmp_path / "app.py"]
    assert errors == [FileError(str(tmp_path / "loop_a.py"), "symbolic link loop (too many levels of symbolic links)")]


def test_a_file_named_several_ways_is_found_once_as_first_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "app.py", "pkg/mod.py")
    monkeypatch.chdir(tmp_path)
    given = ["app.py", "./app.py", str(tmp_path / "app.py"), "pkg/../app.py", "pkg", str(tmp_path / "pkg" / "mod.py")]
    result, errors = discover(given, Config(root=tmp_path))
    assert errors == []
    assert result == [Path("app.py"), Path("pkg/mod.py")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_file_linked_twice_in_a_tree_is_found_once(tmp_path: Path) -> None:
    make(tmp_path, "pkg/llm.py", "pkg/other.py")
    os.symlink(tmp_path / "pkg" / "llm.py", tmp_path / "alias.py")
    os.link(tmp_path / "pkg" / "other.py", tmp_path / "pkg" / "same.py")
    assert found(tmp_path) == ["alias.py", "pkg/other.py"]  # each file once, under its smallest name


@pytest.mark.skipif(os.name == "nt" or os.uname().sysname == "Darwin", reason="needs byte file names")
def test_file_names_with_undecodable_bytes_are_found(tmp_path: Path) -> None:
    directory = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(directory)
    with open(os.path.join(directory, b"r\xff\xfesum\xe9.py"), "wb") as handle:
        handle.write(b"x = 1\n")
    (result,) = found(tmp_path)
    assert os.fsencode(result) == b"caf\xe9/r\xff\xfesum\xe9.py"
