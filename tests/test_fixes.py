# SPDX-License-Identifier: MIT
"""Applying fixes: edits, rounds, verification and byte-faithful atomic writes.

The linter is faked: `Relint` finds a regex in the text and proposes a replacement, so these
tests exercise fixes.py alone. Positions are computed here from string offsets with
`str.splitlines`, independently of fixes.py's own line index.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from promptlint import fixes
from promptlint.fixes import apply_edits, fix_file, unified_diff, write_atomic
from promptlint.types import Applicability, Diagnostic, Edit, Fix, Position, Span, select_fixes


def position_at(text: str, offset: int) -> Position:
    before = text[:offset].splitlines(keepends=True)
    if not before or before[-1].endswith(("\n", "\r")):
        return Position(len(before) + 1, 1)
    return Position(len(before), len(before[-1]) + 1)


def diagnostic(code: str, span: Span, *edits: Edit, applicability: Applicability = Applicability.SAFE) -> Diagnostic:
    fix = Fix(f"fix {code}", applicability, tuple(edits))
    return Diagnostic(code, code.lower(), f"{code} finding", "example.py", span, fix=fix)


@dataclass(frozen=True)
class Rule:
    """Each match of `pattern` is a finding whose fix replaces it by `replace(match)`."""

    code: str
    pattern: str
    replace: Callable[[re.Match[str]], str]
    applicability: Applicability = Applicability.SAFE

    def find(self, text: str) -> list[Diagnostic]:
        found = []
        for match in re.finditer(self.pattern, text, flags=re.MULTILINE):
            span = Span(position_at(text, match.start()), position_at(text, match.end()))
            found.append(diagnostic(self.code, span, Edit(span, self.replace(match)), applicability=self.applicability))
        return found


FOO_TO_BAR = Rule("PRM901", r"\bfoo\b", lambda m: "bar")


@dataclass
class Relint:
    """A fake linter: records every text it is asked about."""

    rules: tuple[Rule, ...]
    seen: list[str] = field(default_factory=list)

    def __call__(self, text: str) -> list[Diagnostic]:
        self.seen.append(text)
        return [d for rule in self.rules for d in rule.find(text)]


def write(tmp_path: Path, data: bytes, name: str = "example.py") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------------------- edits


def span(start: tuple[int, int], end: tuple[int, int]) -> Span:
    return Span(Position(*start), Position(*end))


def test_columns_count_characters_not_bytes() -> None:
    source = "s = 'ünï𝔘cödé'; foo = 1\n"
    start = source.index("foo")
    edit_span = Span(position_at(source, start), position_at(source, start + 3))
    assert edit_span.start.column == 17  # characters: the UTF-8 bytes before it are more
    assert apply_edits(source, [Edit(edit_span, "bar")]) == "s = 'ünï𝔘cödé'; bar = 1\n"


def test_insertion_edit() -> None:
    assert apply_edits("f(a)\n", [Edit(span((1, 4), (1, 4)), ", b=1")]) == "f(a, b=1)\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_rows_follow_every_line_ending(newline: str) -> None:
    source = newline.join(["a = 1", "b = 2", "c = 3", ""])
    edited = apply_edits(source, [Edit(span((2, 5), (2, 6)), "20"), Edit(span((3, 1), (3, 2)), "d")])
    assert edited == newline.join(["a = 1", "b = 20", "d = 3", ""])


def test_edits_apply_against_the_original_positions() -> None:
    source = "x = foo + foo\n"
    edits = [Edit(span((1, 11), (1, 14)), "second"), Edit(span((1, 5), (1, 8)), "first")]
    assert apply_edits(source, edits) == "x = first + second\n"


def test_edit_outside_the_source_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="outside the source"):
        apply_edits("x = 1\n", [Edit(span((1, 9), (1, 9)), "y")])
    with pytest.raises(ValueError, match="outside the source"):
        apply_edits("x = 1\n", [Edit(span((5, 1), (5, 1)), "y")])


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef\n", [Edit(span((1, 1), (1, 4)), "x"), Edit(span((1, 3), (1, 5)), "y")])


def test_select_fixes_follows_applicability() -> None:
    where = span((1, 1), (1, 2))
    edit = Edit(where, "y")
    safe = diagnostic("PRM1", where, edit)
    unsafe = diagnostic("PRM2", where, edit, applicability=Applicability.UNSAFE)
    display = diagnostic("PRM3", where, edit, applicability=Applicability.DISPLAY_ONLY)
    no_edits = diagnostic("PRM4", where)
    no_fix = Diagnostic("PRM5", "prm5", "m", "example.py", where)
    everything = [safe, unsafe, display, no_edits, no_fix]
    assert select_fixes(everything, unsafe=False) == [safe]
    assert select_fixes(everything, unsafe=True) == [safe, unsafe]


# ----------------------------------------------------------------------------- rounds


def test_overlapping_fix_waits_for_the_next_round(tmp_path: Path) -> None:
    path = write(tmp_path, b"value = foo(1)\n")
    call_arg = Rule("PRM902", r"\w+\(1\)", lambda m: m.group().replace("(1)", "(2)"))
    relint = Relint((FOO_TO_BAR, call_arg))
    outcome = fix_file(path, relint, unsafe=False)
    # Round 1 applies only the fix that comes first; the overlapping one is re-found on the
    # fixed text and applied in round 2.
    assert relint.seen[1] == "value = bar(1)\n"
    assert path.read_bytes() == b"value = bar(2)\n"
    assert outcome.applied == {"PRM901": 1, "PRM902": 1}
    assert outcome.changed and not outcome.dropped


def test_fix_that_breaks_parsing_is_dropped_and_file_untouched(tmp_path: Path) -> None:
    original = b"x = foo\n"
    path = write(tmp_path, original)
    relint = Relint((Rule("PRM903", r"\bfoo\b", lambda m: "foo("),))
    outcome = fix_file(path, relint, unsafe=False)
    assert path.read_bytes() == original
    assert not outcome.changed and outcome.new_text == outcome.original_text
    assert [(d.code, d.position) for d in outcome.dropped] == [("PRM903", Position(1, 5))]
    assert "does not parse" in outcome.dropped[0].reason
    assert "PRM903" in str(outcome.dropped[0]) and "example.py:1:5" in str(outcome.dropped[0])
    assert len(relint.seen) == 2  # a dropped fix is not retried round after round


def test_broken_fix_does_not_hold_back_the_others(tmp_path: Path) -> None:
    path = write(tmp_path, b"a = foo\nb = baz\n")
    breaks = Rule("PRM903", r"\bbaz\b", lambda m: "baz)")
    outcome = fix_file(path, Relint((FOO_TO_BAR, breaks)), unsafe=False)
    assert path.read_bytes() == b"a = bar\nb = baz\n"
    assert outcome.applied == {"PRM901": 1}
    assert [d.code for d in outcome.dropped] == ["PRM903"]


def test_fix_deferred_behind_a_dropped_fix_is_retried(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = foo\n")
    breaks = Rule("PRM900", r"\bfoo\b", lambda m: "(")  # sorts first at the same place
    outcome = fix_file(path, Relint((breaks, FOO_TO_BAR)), unsafe=False)
    assert path.read_bytes() == b"x = bar\n"
    assert [d.code for d in outcome.dropped] == ["PRM900"]


def test_edit_outside_the_file_is_dropped_not_raised(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = 1\n")

    def relint(text: str) -> list[Diagnostic]:
        where = span((7, 1), (7, 2))
        return [diagnostic("PRM904", where, Edit(where, "y"))]

    outcome = fix_file(path, relint, unsafe=False)
    assert not outcome.changed
    assert "outside the source" in outcome.dropped[0].reason


def test_unsafe_fixes_need_opting_in(tmp_path: Path) -> None:
    unsafe_rule = Rule("PRM905", r"\bfoo\b", lambda m: "bar", Applicability.UNSAFE)
    path = write(tmp_path, b"foo = 1\n")
    assert not fix_file(path, Relint((unsafe_rule,)), unsafe=False).changed
    assert fix_file(path, Relint((unsafe_rule,)), unsafe=True).changed
    assert path.read_bytes() == b"bar = 1\n"


def test_fixed_point_loop_is_bounded(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = 1\n")
    always = Rule("PRM906", r"\A", lambda m: "y = 0\n")  # a fix every time, forever
    relint = Relint((always,))
    outcome = fix_file(path, relint, unsafe=False, max_rounds=4)
    assert len(relint.seen) == 4
    assert outcome.applied == {"PRM906": 4}
    assert path.read_text() == "y = 0\n" * 4 + "x = 1\n"


def test_write_false_leaves_the_file_alone(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1\n")
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False, write=False)
    assert outcome.changed and outcome.new_text == "bar = 1\n"
    assert path.read_bytes() == b"foo = 1\n"


def test_source_text_is_fixed_instead_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = 1\n")
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False, write=False, source="foo = 2\n")
    assert outcome.new_text == "bar = 2\n"
    with pytest.raises(ValueError, match="never written"):
        fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False, source="foo = 2\n")


# ----------------------------------------------------------------------------- files


ADD_IMPORT = Rule("PRM907", r"\A(?!import os)", lambda m: "import os\n")


def test_crlf_file_keeps_crlf_including_inserted_lines(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = foo\r\ny = foo\r\n")
    fix_file(path, Relint((FOO_TO_BAR, ADD_IMPORT)), unsafe=False)
    assert path.read_bytes() == b"import os\r\nx = bar\r\ny = bar\r\n"


def test_dominant_line_ending() -> None:
    assert fixes.dominant_line_ending("a\r\nb\r\nc\n") == "\r\n"
    assert fixes.dominant_line_ending("a\rb\r") == "\r"
    assert fixes.dominant_line_ending("no newline") == "\n"


def test_latin1_file_with_coding_cookie_keeps_its_encoding(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\nname = 'café'; foo = 1\n"
    path = write(tmp_path, text.encode("latin-1"))
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert outcome.original_text == text
    assert path.read_bytes() == text.replace("foo", "bar").encode("latin-1")


def test_fix_the_encoding_cannot_hold_is_dropped(tmp_path: Path) -> None:
    data = "# -*- coding: latin-1 -*-\nprice = 'foo'\n".encode("latin-1")
    path = write(tmp_path, data)
    euro = Rule("PRM908", r"\bfoo\b", lambda m: "€")
    outcome = fix_file(path, Relint((euro,)), unsafe=False)
    assert path.read_bytes() == data
    assert "cannot be encoded" in outcome.dropped[0].reason


def test_utf8_bom_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfs = '\xc3\xa9'; foo = 1\n")
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert not outcome.original_text.startswith("\ufeff")  # columns count from the code
    assert path.read_bytes() == b"\xef\xbb\xbfs = '\xc3\xa9'; bar = 1\n"


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, b"#!/usr/bin/env python\nfoo = 1\n")
    os.chmod(path, 0o755)
    fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert path.read_bytes().endswith(b"bar = 1\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1\n")
    inode = path.stat().st_ino
    fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.py"]
    assert path.stat().st_ino != inode  # replaced by a new file, not rewritten in place


def test_failed_write_keeps_the_original_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"foo = 1\n")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixes.os, "replace", refuse)
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert path.read_bytes() == b"foo = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.py"]
    assert not outcome.changed
    assert outcome.error is not None and "cannot write: No space left on device" in outcome.error.reason


def test_hard_links_survive_and_share_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1\n")
    twin = tmp_path / "twin.py"
    os.link(path, twin)
    inode = path.stat().st_ino
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert outcome.error is None
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2  # rewritten in place
    assert twin.read_bytes() == path.read_bytes() == b"bar = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.py", "twin.py"]


def test_in_place_rewrite_keeps_mode_and_a_shorter_result_leaves_no_tail(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1  # a long comment that the fix removes\n")
    os.link(path, tmp_path / "twin.py")
    os.chmod(path, 0o750)
    write_atomic(path, "bar = 1\n", path.read_bytes())
    assert path.read_bytes() == b"bar = 1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o750


def test_failed_in_place_write_puts_the_original_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = b"foo = 1\n"
    path = write(tmp_path, original)
    os.link(path, tmp_path / "twin.py")
    real_fsync = os.fsync
    calls = []

    def fail_once(descriptor: int) -> None:  # the disk fails after the new bytes went out
        calls.append(descriptor)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real_fsync(descriptor)

    monkeypatch.setattr(fixes.os, "fsync", fail_once)
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert outcome.error is not None and "cannot write: Input/output error" in outcome.error.reason
    assert path.read_bytes() == original


def test_replace_refused_falls_back_to_writing_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"foo = 1\n")
    inode = path.stat().st_ino

    def refuse(source: str, target: str) -> None:  # as in a sticky directory owned by someone else
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fixes.os, "replace", refuse)
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert outcome.error is None and outcome.changed
    assert path.read_bytes() == b"bar = 1\n" and path.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.py"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_owner_and_group_are_kept_when_root_fixes_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1\n")
    os.chown(path, 12345, 23456)
    fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)
    assert path.read_bytes() == b"bar = 1\n"
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)


def test_a_file_edited_while_being_fixed_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, b"foo = 1\n")

    def relint_while_someone_saves(text: str) -> list[Diagnostic]:
        path.write_bytes(b"foo = 2  # saved by an editor meanwhile\n")
        return FOO_TO_BAR.find(text)

    outcome = fix_file(path, relint_while_someone_saves, unsafe=False, max_rounds=1)
    assert outcome.error is not None and "changed on disk" in outcome.error.reason
    assert path.read_bytes() == b"foo = 2  # saved by an editor meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.py"]


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    outcome = fix_file(tmp_path / "missing.py", Relint((FOO_TO_BAR,)), unsafe=False)
    assert outcome.error is not None and "cannot read" in outcome.error.reason
    assert not outcome.changed


def test_symlink_survives_and_its_target_is_fixed(tmp_path: Path) -> None:
    target = write(tmp_path, b"foo = 1\n", name="real.py")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    fix_file(link, Relint((FOO_TO_BAR,)), unsafe=False)
    assert link.is_symlink()
    assert target.read_bytes() == b"bar = 1\n"


def test_write_atomic_encodes_like_the_original(tmp_path: Path) -> None:
    original = "# coding: latin-1\nx = 'é'\n".encode("latin-1")
    path = write(tmp_path, original)
    write_atomic(path, "# coding: latin-1\nx = 'è'\n", original)
    assert path.read_bytes() == "# coding: latin-1\nx = 'è'\n".encode("latin-1")


# ----------------------------------------------------------------------------- diff


def test_unified_diff(tmp_path: Path) -> None:
    path = write(tmp_path, b"a = 1\nx = foo\nb = 2\n")
    outcome = fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False, write=False)
    diff = unified_diff(outcome)
    lines = diff.splitlines()
    assert lines[0] == f"--- a/{path.as_posix()}"
    assert lines[1] == f"+++ b/{path.as_posix()}"
    assert lines[2].startswith("@@ -1,3 +1,3 @@")
    assert [line for line in lines[3:] if line[:1] in "+-"] == ["-x = foo", "+x = bar"]
    assert " a = 1" in lines and " b = 2" in lines


def test_unified_diff_marks_a_missing_final_newline(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = foo")
    diff = unified_diff(fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False, write=False))
    assert diff.endswith("-x = foo\n\\ No newline at end of file\n+x = bar\n\\ No newline at end of file\n")


def test_unified_diff_is_empty_without_changes(tmp_path: Path) -> None:
    path = write(tmp_path, b"x = 1\n")
    assert unified_diff(fix_file(path, Relint((FOO_TO_BAR,)), unsafe=False)) == ""
