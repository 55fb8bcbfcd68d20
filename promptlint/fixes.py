# SPDX-License-Identifier: MIT
"""Applying fixes to a file without ever writing a broken or re-encoded one.

A file is fixed in rounds, as ruff does: each round takes the applicable fixes in order of
position, defers any fix whose edits overlap (or touch) an already accepted one to the next
round, applies the rest and re-parses the result with libcst. A fix whose result does not
parse (or cannot be encoded in the file's encoding) is dropped and reported, never written.
The file is then re-linted and the next round starts, up to a bounded fixed point, because
one fix can move, create or resolve the findings of another.

The file is written once, at the end, in its original encoding (coding cookie or BOM), line
endings and mode, so a fix never shows up in a diff as anything but the edit itself; and
as the same file: its owner, group and hard links survive (see `write_atomic` for how, and
what that costs in atomicity).
"""

from __future__ import annotations

import difflib
import errno
import io
import os
import re
import stat
import tokenize
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from promptlint.types import Diagnostic, Edit, FileError, Position, select_fixes

# Python's own line terminators. Not `str.splitlines`, which also breaks on form feeds and
# Unicode separators that are ordinary characters to the tokenizer (and to libcst positions).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

DEFAULT_MAX_ROUNDS = 10


# ----------------------------------------------------------------------------- edits


class LineIndex:
    """Maps 1-based (row, column-in-characters) positions of one text to string offsets."""

    def __init__(self, text: str) -> None:
        breaks = list(_LINE_BREAK.finditer(text))
        self._starts = [0, *(match.end() for match in breaks)]
        self._ends = [*(match.start() for match in breaks), len(text)]  # before the terminator

    def offset(self, position: Position) -> int:
        """The offset of `position`; a column may point just past the line's last character."""
        row, column = position.row, position.column
        if not 1 <= row <= len(self._starts):
            raise ValueError(f"position {row}:{column} is outside the source ({len(self._starts)} lines)")
        start, end = self._starts[row - 1], self._ends[row - 1]
        if not 1 <= column <= end - start + 1:
            raise ValueError(f"position {row}:{column} is outside the source (line {row} has {end - start} characters)")
        return start + column - 1


@dataclass(frozen=True)
class _Splice:
    """An edit resolved to offsets of the text it applies to."""

    start: int
    end: int
    content: str


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    """`source` with every edit applied; the edits must not overlap."""
    index = LineIndex(source)
    return _splice(source, [_Splice(index.offset(e.span.start), index.offset(e.span.end), e.content) for e in edits])


def _splice(source: str, splices: Iterable[_Splice]) -> str:
    ordered = sorted(splices, key=lambda s: (s.start, s.end))  # stable: insertions keep their order
    parts: list[str] = []
    cursor = 0
    for splice in ordered:
        if splice.end < splice.start:
            raise ValueError(f"edit ends before it starts (offsets {splice.start}..{splice.end})")
        if splice.start < cursor:
            raise ValueError(f"edits overlap at offset {splice.start}")
        parts.append(source[cursor : splice.start])
        parts.append(splice.content)
        cursor = splice.end
    parts.append(source[cursor:])
    return "".join(parts)


# ----------------------------------------------------------------------------- rounds


@dataclass(frozen=True)
class DroppedFix:
    """A fix that was not applied, and why: its result would not parse or not encode in the
    file's encoding, or its edits do not fit the file."""

    filename: str
    code: str
    title: str
    position: Position
    reason: str

    def __str__(self) -> str:
        where = f"{self.filename}:{self.position.row}:{self.position.column}"
        return f"{where}: {self.code} fix not applied ({self.title}): {self.reason}"


@dataclass(frozen=True)
class _Candidate:
    diagnostic: Diagnostic
    splices: tuple[_Splice, ...]


def _identity(diagnostic: Diagnostic, text: str, index: LineIndex) -> tuple:
    """What identifies a fix across rounds, so a dropped one is not re-tried: its rule, title
    and edits, located by the text they replace (positions move as other fixes apply)."""
    assert diagnostic.fix is not None
    edits = diagnostic.fix.edits
    try:
        where: tuple = tuple(text[index.offset(e.span.start) : index.offset(e.span.end)] for e in edits)
    except ValueError:
        where = tuple(e.span for e in edits)
    return (diagnostic.code, diagnostic.fix.title, where, tuple(e.content for e in edits))


@dataclass
class _Round:
    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    dropped: list[tuple[tuple, DroppedFix]] = field(default_factory=list)  # (identity, report)


def _overlaps(a: _Splice, b: _Splice) -> bool:
    """Whether two edits overlap or touch. Touching counts (as in ruff): two insertions at one
    point have no defined order, so the later fix waits for the next round's fresh positions."""
    return a.start <= b.end and b.start <= a.end


def _apply_round(
    text: str,
    fixes: Sequence[Diagnostic],
    *,
    line_ending: str,
    encoding: str,
) -> _Round:
    """Apply one round of fixes to `text`: non-overlapping ones, each verified to parse."""
    result = _Round(text)
    index = LineIndex(text)

    def drop(diagnostic: Diagnostic, reason: str) -> None:
        assert diagnostic.fix is not None
        report = DroppedFix(diagnostic.filename, diagnostic.code, diagnostic.fix.title, diagnostic.span.start, reason)
        result.dropped.append((_identity(diagnostic, text, index), report))

    candidates: list[_Candidate] = []
    for diagnostic in fixes:
        assert diagnostic.fix is not None
        try:
            splices = tuple(
                _Splice(index.offset(e.span.start), index.offset(e.span.end), _with_line_ending(e.content, line_ending))
                for e in diagnostic.fix.edits
            )
        except ValueError as error:
            drop(diagnostic, str(error))
            continue
        candidates.append(_Candidate(diagnostic, splices))
    candidates.sort(key=lambda c: (min(s.start for s in c.splices), min(s.end for s in c.splices), c.diagnostic.code))

    accepted: list[_Candidate] = []
    for candidate in candidates:
        if any(_overlaps(mine, theirs) for other in accepted for mine in candidate.splices for theirs in other.splices):
            continue  # deferred: re-linted and re-tried next round
        try:
            _splice(text, candidate.splices)
        except ValueError as error:  # the fix's own edits overlap or run backwards
            drop(candidate.diagnostic, str(error))
            continue
        accepted.append(candidate)

    combined = _splice(text, [s for c in accepted for s in c.splices])
    if _verify(combined, encoding) is None:
        result.text = combined
        result.applied = [c.diagnostic for c in accepted]
        return result

    # Some fix breaks the file: add them one by one, keeping each only if the result still
    # verifies, so one broken fix does not hold back the others.
    kept: list[_Candidate] = []
    for candidate in accepted:
        trial = _splice(text, [s for c in [*kept, candidate] for s in c.splices])
        reason = _verify(trial, encoding)
        if reason is None:
            kept.append(candidate)
            result.text = trial
        else:
            drop(candidate.diagnostic, reason)
    result.applied = [c.diagnostic for c in kept]
    return result


def _verify(text: str, encoding: str) -> str | None:
    """Why `text` must not be written, or None when it parses and fits the file's encoding."""
    import libcst  # here: only a run that writes a fix pays for loading it

    try:
        libcst.parse_module(text)
    except libcst.ParserSyntaxError as error:
        return f"the fixed source does not parse: {(error.message.splitlines() or [str(error)])[0]}"
    try:
        text.encode(encoding)
    except UnicodeEncodeError as error:
        return f"the fixed source cannot be encoded as {encoding}: {error.object[error.start : error.end]!r}"
    return None


def _with_line_ending(content: str, line_ending: str) -> str:
    """Fix contents come with "\\n" (or text copied from the file): use the file's ending."""
    return _LINE_BREAK.sub(line_ending, content)


def dominant_line_ending(text: str) -> str:
    """The file's most common line terminator ("\\n" for a file without any, or on a tie)."""
    counts = Counter(match.group() for match in _LINE_BREAK.finditer(text))
    return max(["\n", "\r\n", "\r"], key=lambda ending: counts[ending])


# ----------------------------------------------------------------------------- files


@dataclass(frozen=True)
class FixOutcome:
    """What fixing one file did. `applied` counts applied fixes by rule code; `error` is set
    (and nothing changed or written) when the file could not be read, decoded or written."""

    path: Path
    original_text: str
    new_text: str
    applied: Counter[str] = field(default_factory=Counter)
    dropped: list[DroppedFix] = field(default_factory=list)
    changed: bool = False
    error: FileError | None = None


def source_encoding(data: bytes) -> str:
    """The encoding of Python source bytes: BOM ("utf-8-sig"), coding cookie, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return encoding


def fix_file(
    path: Path,
    relint: Callable[[str], list[Diagnostic]],
    *,
    unsafe: bool,
    max_rounds: int = DEFAULT_MAX_ROUNDS,
    write: bool = True,
    source: str | None = None,
) -> FixOutcome:
    """Fix `path` to a bounded fixed point and (with `write`) write it back if it changed.

    `relint(text)` lints `text` as this file and returns the file's diagnostics. `source`
    is text to fix instead of the file's contents (standard input); it is never written,
    so it needs `write=False`.
    """
    if source is not None and write:
        raise ValueError("fix_file: text passed as `source` is never written; pass write=False")
    if source is None:
        try:
            data = path.read_bytes()
            encoding = source_encoding(data)
            original = data.decode(encoding)
        except OSError as error:
            return _failed(path, "", f"cannot read: {error.strerror or error}")
        except (SyntaxError, UnicodeDecodeError) as error:
            return _failed(path, "", f"cannot decode: {error}")
    else:
        data, encoding, original = b"", "utf-8", source

    line_ending = dominant_line_ending(original)
    text = original
    applied: Counter[str] = Counter()
    dropped: dict[tuple, DroppedFix] = {}
    for _ in range(max_rounds):
        index = LineIndex(text)
        fixes = [d for d in select_fixes(relint(text), unsafe=unsafe) if _identity(d, text, index) not in dropped]
        if not fixes:
            break
        result = _apply_round(text, fixes, line_ending=line_ending, encoding=encoding)
        newly_dropped = {key: report for key, report in result.dropped if key not in dropped}
        dropped.update(newly_dropped)
        if result.text == text and not newly_dropped:
            break  # nothing left that could change (fixes deferred behind a dropped one retry)
        if result.text != text:
            applied.update(d.code for d in result.applied)
            text = result.text

    outcome = FixOutcome(path, original, text, applied, list(dropped.values()), changed=text != original)
    if outcome.changed and write:
        try:
            write_atomic(path, text, data)
        except OSError as error:
            return _failed(path, original, f"cannot write: {error.strerror or error}", dropped=outcome.dropped)
    return outcome


def _failed(path: Path, original: str, reason: str, dropped: list[DroppedFix] | None = None) -> FixOutcome:
    return FixOutcome(path, original, original, dropped=dropped or [], error=FileError(str(path), reason))


class ChangedOnDisk(OSError):
    """The file no longer holds the bytes the fix was computed from (edited meanwhile)."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ESTALE, "the file changed on disk while it was being fixed; run again", str(path))


def write_atomic(path: Path, text: str, original: bytes) -> None:
    """Replace `path`'s contents with `text`, encoded as `original` was (cookie or BOM), as
    the same file: mode, owner, group and hard links are kept.

    `original` must be the file's current bytes: if the file holds anything else now (an
    editor saved it since it was read), nothing is written and `ChangedOnDisk` is raised.
    `text` is written as is: line endings are the caller's (fixes convert theirs to the
    file's). A symlink is followed, so the link survives and its target is updated.

    Two ways to write, chosen per file:

    - **Replace** (the usual case): write a temporary file beside the target, give it the
      target's mode, owner and group, and `os.replace` it over the target. Atomic: a reader
      or a crash sees the old file or the new one, never a partial one.
    - **Rewrite in place**, when replacing would lose something: the file has other hard
      links (a new inode would split them), or its owner or group cannot be given to a new
      file (only root may give a file away), or it carries extended attributes (ACLs,
      SELinux labels) a new file would not. The same inode keeps all of that; the price is
      atomicity. A concurrent reader can see a partly written file, and a crash or a kill
      during the write can leave one. Everything that can be checked is checked before the
      first byte changes: the new text is complete and verified, the space it needs is
      reserved (`posix_fallocate`), and a failed write puts the original bytes back.
    """
    target = Path(os.path.realpath(path))
    payload = text.encode(source_encoding(original))
    info = target.stat()
    if info.st_nlink == 1 and not _extended_attributes(target):
        try:
            _replace(target, payload, original, info)
            return
        except PermissionError:
            pass  # no new file may be made beside it, or be given its owner: rewrite in place
    _rewrite_in_place(target, payload, original)


def _replace(target: Path, payload: bytes, original: bytes, info: os.stat_result) -> None:
    """Write a new file with the target's mode, owner and group, and rename it over the target."""
    import tempfile  # only a run that writes fixes needs it

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".promptlint.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
            created = os.fstat(stream.fileno())
        if (created.st_uid, created.st_gid) != (info.st_uid, info.st_gid):
            os.chown(temporary, info.st_uid, info.st_gid)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which clears setuid bits
        if target.read_bytes() != original:
            raise ChangedOnDisk(target)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _rewrite_in_place(target: Path, payload: bytes, original: bytes) -> None:
    """Overwrite the file's bytes through its own inode (see `write_atomic`)."""
    with open(target, "r+b") as stream:
        if stream.read() != original:
            raise ChangedOnDisk(target)
        descriptor = stream.fileno()
        if len(payload) > len(original) and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(descriptor, 0, len(payload))  # ENOSPC now, before any change
            except OSError as error:
                if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        try:
            _overwrite(stream, payload)
        except BaseException:
            _overwrite(stream, original)  # fits: the file held these bytes a moment ago
            raise


def _overwrite(stream: io.BufferedRandom, data: bytes) -> None:
    stream.seek(0)
    stream.write(data)
    stream.truncate(len(data))
    stream.flush()
    os.fsync(stream.fileno())


def _extended_attributes(path: Path) -> list[str]:
    """The file's extended attribute names; [] where the system or file system has none."""
    try:
        return os.listxattr(path) if hasattr(os, "listxattr") else []
    except OSError:
        return []


# ----------------------------------------------------------------------------- diff


def unified_diff(outcome: FixOutcome) -> str:
    """The change as a `--- a/path` / `+++ b/path` unified diff ("" when nothing changed)."""
    if not outcome.changed:
        return ""
    name = outcome.path.as_posix()
    lines = difflib.unified_diff(
        _lines(outcome.original_text), _lines(outcome.new_text), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    missing = "\n\\ No newline at end of file\n"
    return "".join(line if _LINE_BREAK.search(line[-1:]) else line + missing for line in lines)


def _lines(text: str) -> list[str]:
    """`text` split after each line terminator, terminators kept."""
    ends = [match.end() for match in _LINE_BREAK.finditer(text)]
    starts = [0, *ends]
    return [text[a:b] for a, b in zip(starts, [*ends, len(text)]) if a < b]
