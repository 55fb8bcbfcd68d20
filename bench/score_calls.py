#!/usr/bin/env python3
"""Score `promptlint calls` against hand-written call-site labels of real projects.

The labels (bench/labels/OWNER+NAME.json, format in bench/labels/FORMAT.md) list the LLM
call sites a careful reviewer finds by reading each corpus project: direct SDK calls
(kind "sdk"), calls of the project's own wrappers where the prompt is visible (kind
"wrapper"), and look-alikes that send no generation request ("non_calls").

For every project that has a labels file, this script gets promptlint's calls, either by
running `promptlint calls . --output-format json --no-cache` inside the project folder or
by reading a saved `OWNER+NAME.calls.json` from --from-dir, and reports per project:

- sdk: labelled SDK calls of the SDKs promptlint supports, how many were reported, recall;
- wrapper: the same for wrapper calls;
- FP: labelled non-calls that were reported;
- unlabelled: reported calls that match no label (a labelling miss or a false positive;
  --verbose lists them, with the labels that were missed).

A label matches a reported call when the files are equal and the label's line lies within
the call's [location.row, end_location.row].

Standard library only, so it runs from any Python >= 3.10.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
LABELS_DIR = BENCH / "labels"
DEFAULT_CORPUS = REPO_ROOT / ".." / "shared" / "corpus"
SUPPORTED_SDKS = frozenset({"openai", "anthropic", "litellm", "langchain", "google", "pydantic-ai", "instructor"})
KINDS = ("sdk", "wrapper")
EXIT_OK, EXIT_RUN_FAILED, EXIT_SETUP = 0, 1, 2


class SetupError(Exception):
    """The scorer cannot start or a labels file is invalid: the message says what to fix."""


@dataclass(frozen=True)
class Label:
    """One labelled line: a call (kind sdk/wrapper) or a non-call."""

    file: str
    line: int
    kind: str  # "sdk", "wrapper" or "non_call"
    sdk: str | None = None
    api: str | None = None

    @property
    def scored(self) -> bool:
        """Calls of unsupported SDKs (`other:...`) are labelled but not counted in recall.

        A wrapper whose backend is chosen at run time (a config, a plugin, a model id) has
        sdk null; it is counted, since the projects' backends are mostly supported SDKs.
        """
        if self.kind == "wrapper" and self.sdk is None:
            return True
        return self.kind in KINDS and self.sdk in SUPPORTED_SDKS

    def describe(self) -> str:
        what = self.api if self.kind in KINDS else "non-call"
        sdk = "" if self.kind == "non_call" else (self.sdk or "any")
        return " ".join(part for part in (f"{self.file}:{self.line}", self.kind, sdk, what) if part)


@dataclass(frozen=True)
class ReportedCall:
    """One row of `promptlint calls --output-format json`."""

    file: str
    first_row: int
    last_row: int
    provider: str
    api: str

    def covers(self, label: Label) -> bool:
        return self.file == label.file and self.first_row <= label.line <= self.last_row

    def describe(self) -> str:
        rows = f"{self.first_row}" if self.first_row == self.last_row else f"{self.first_row}-{self.last_row}"
        return f"{self.file}:{rows} {self.provider} {self.api}"


@dataclass
class KindScore:
    labelled: int = 0
    found: int = 0

    @property
    def recall(self) -> float | None:
        return 100.0 * self.found / self.labelled if self.labelled else None


@dataclass
class ProjectScore:
    project: str
    reported: int = 0
    sdk: KindScore = field(default_factory=KindScore)
    wrapper: KindScore = field(default_factory=KindScore)
    false_positives: int = 0
    unlabelled: int = 0
    error: str | None = None
    missed: list[str] = field(default_factory=list)
    reported_non_calls: list[str] = field(default_factory=list)
    unlabelled_calls: list[str] = field(default_factory=list)


# --- reading labels and promptlint output -------------------------------------------------


def normalise_path(path: str, project_dir: Path | None = None) -> str:
    """A `/`-separated path relative to the project folder, without a leading `./`."""
    text = path.replace("\\", "/")
    if project_dir is not None and PurePosixPath(text).is_absolute():
        try:
            text = Path(text).resolve().relative_to(project_dir.resolve()).as_posix()
        except ValueError:
            pass  # outside the project: keep it, it will simply match no label
    while text.startswith("./"):
        text = text[2:]
    return text


def load_labels(path: Path) -> tuple[str, list[Label]]:
    """Read one labels file; any structural problem is a SetupError naming the file and entry."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SetupError(f"{path}: cannot read labels: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("calls"), list):
        raise SetupError(f"{path}: expected an object with a 'calls' list (see {LABELS_DIR / 'FORMAT.md'})")
    project = doc.get("repo") or path.stem
    if project != path.stem:
        raise SetupError(f"{path}: 'repo' is {project!r} but the file is named for {path.stem!r}")
    labels: list[Label] = []
    for index, entry in enumerate(doc["calls"]):
        where = f"{path}: calls[{index}]"
        _check_location(entry, where)
        if entry.get("kind") not in KINDS:
            raise SetupError(f"{where}: 'kind' must be one of {KINDS}, got {entry.get('kind')!r}")
        sdk = entry.get("sdk")
        if not (isinstance(sdk, str) or (sdk is None and entry["kind"] == "wrapper")):
            raise SetupError(f"{where}: 'sdk' must be openai, ..., other:NAME (null only for a wrapper)")
        labels.append(Label(normalise_path(entry["file"]), entry["line"], entry["kind"], entry["sdk"], entry.get("api")))
    for index, entry in enumerate(doc.get("non_calls", [])):
        _check_location(entry, f"{path}: non_calls[{index}]")
        labels.append(Label(normalise_path(entry["file"]), entry["line"], "non_call"))
    return project, labels


def _check_location(entry: object, where: str) -> None:
    if not isinstance(entry, dict):
        raise SetupError(f"{where}: expected an object")
    if not isinstance(entry.get("file"), str) or not entry["file"]:
        raise SetupError(f"{where}: 'file' must be a non-empty path")
    line = entry.get("line")
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        raise SetupError(f"{where}: 'line' must be a positive integer, got {line!r}")


def parse_calls(text: str, source: str, project_dir: Path | None = None) -> list[ReportedCall]:
    """Rows of `promptlint calls --output-format json`; ValueError says what is wrong."""
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}: not JSON ({exc})") from exc
    if not isinstance(rows, list):
        raise ValueError(f"{source}: expected a JSON list of calls")
    calls = []
    for index, row in enumerate(rows):
        try:
            first = int(row["location"]["row"])
            last = int(row.get("end_location", {}).get("row", first))
            calls.append(
                ReportedCall(
                    normalise_path(row["filename"], project_dir), first, max(first, last),
                    str(row.get("provider", "")), str(row.get("api", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{source}: row {index} lacks filename/location.row ({exc!r})") from exc
    return calls


def run_promptlint(executable: str, project_dir: Path, timeout: float) -> list[ReportedCall]:
    """Run `promptlint calls` inside the project; exit code 2 (unreadable files) still counts."""
    argv = [executable, "calls", ".", "--output-format", "json", "--no-cache"]
    try:
        done = subprocess.run(argv, cwd=project_dir, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ValueError(f"promptlint calls timed out after {timeout:.0f} s") from exc
    if done.returncode not in (0, 1, 2) or not done.stdout.strip():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise ValueError(f"promptlint calls exited {done.returncode} without JSON: {tail}")
    return parse_calls(done.stdout, f"promptlint calls in {project_dir}", project_dir)


# --- scoring --------------------------------------------------------------------------


def score(project: str, labels: list[Label], calls: list[ReportedCall]) -> ProjectScore:
    result = ProjectScore(project, reported=len(calls))
    for label in labels:
        hit = any(call.covers(label) for call in calls)
        if label.kind == "non_call":
            if hit:
                result.false_positives += 1
                result.reported_non_calls.append(label.describe())
        elif label.scored:
            kind = result.sdk if label.kind == "sdk" else result.wrapper
            kind.labelled += 1
            kind.found += hit
            if not hit:
                result.missed.append(label.describe())
    for call in calls:
        if not any(call.covers(label) for label in labels):
            result.unlabelled += 1
            result.unlabelled_calls.append(call.describe())
    return result


def total(scores: list[ProjectScore]) -> ProjectScore:
    summed = ProjectScore("**total**")
    for s in scores:
        if s.error:
            continue
        summed.reported += s.reported
        summed.false_positives += s.false_positives
        summed.unlabelled += s.unlabelled
        for name in KINDS:
            part, whole = getattr(s, name), getattr(summed, name)
            whole.labelled += part.labelled
            whole.found += part.found
    return summed


# --- output ---------------------------------------------------------------------------


def _pct(kind: KindScore) -> str:
    return "–" if kind.recall is None else f"{kind.recall:.0f}%"


def markdown_table(scores: list[ProjectScore]) -> str:
    lines = [
        "| project | reported | sdk labelled | sdk found | sdk recall | wrapper labelled | wrapper found "
        "| wrapper recall | non-calls reported (FP) | unlabelled |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in [*scores, total(scores)]:
        if s.error:
            lines.append(f"| {s.project} | error: {s.error} | | | | | | | | |")
            continue
        lines.append(
            f"| {s.project} | {s.reported} | {s.sdk.labelled} | {s.sdk.found} | {_pct(s.sdk)} "
            f"| {s.wrapper.labelled} | {s.wrapper.found} | {_pct(s.wrapper)} | {s.false_positives} | {s.unlabelled} |"
        )
    return "\n".join(lines)


def details(scores: list[ProjectScore]) -> str:
    out = []
    for s in scores:
        if s.error or not (s.missed or s.reported_non_calls or s.unlabelled_calls):
            continue
        out.append(f"\n### {s.project}")
        for title, items in (
            ("missed labels", s.missed),
            ("reported non-calls (false positives)", s.reported_non_calls),
            ("unlabelled reported calls (labelling miss or false positive)", s.unlabelled_calls),
        ):
            if items:
                out.append(f"{title}:")
                out.extend(f"- {item}" for item in items)
    return "\n".join(out)


def as_json(scores: list[ProjectScore]) -> dict:
    def numbers(s: ProjectScore) -> dict:
        d = asdict(s)
        for name in KINDS:
            d[name]["recall"] = getattr(s, name).recall
        return d

    return {
        "supported_sdks": sorted(SUPPORTED_SDKS),
        "projects": [numbers(s) for s in scores],
        "total": numbers(total(scores)),
    }


# --- command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--promptlint", metavar="PATH", help="promptlint executable (default: the one on PATH)")
    source.add_argument(
        "--from-dir", metavar="DIR", type=Path,
        help="read saved outputs OWNER+NAME.calls.json from DIR instead of running promptlint",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    parser.add_argument("--labels", type=Path, default=LABELS_DIR, help="labels folder (default: %(default)s)")
    parser.add_argument("--project", action="append", metavar="OWNER+NAME", help="score only this project (repeatable)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per promptlint run (default: %(default)s)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON to PATH ('-' for stdout)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list missed labels and unlabelled calls")
    args = parser.parse_args(argv)
    try:
        return _score_all(args)
    except SetupError as exc:
        print(f"score_calls: {exc}", file=sys.stderr)
        return EXIT_SETUP


def _score_all(args: argparse.Namespace) -> int:
    label_files = sorted(args.labels.glob("*+*.json"))
    if args.project:
        wanted = set(args.project)
        unknown = wanted - {p.stem for p in label_files}
        if unknown:
            raise SetupError(f"no labels file for {', '.join(sorted(unknown))} in {args.labels}")
        label_files = [p for p in label_files if p.stem in wanted]
    if not label_files:
        raise SetupError(f"no labels files (OWNER+NAME.json) in {args.labels}")
    labelled = [load_labels(p) for p in label_files]

    executable = None
    if args.from_dir is None:
        executable = shutil.which(args.promptlint or "promptlint")
        if not executable:
            raise SetupError(f"{args.promptlint or 'promptlint'} is not an executable (nor on PATH): pass --promptlint PATH or --from-dir DIR")
        executable = os.path.abspath(executable)  # each project runs in its own folder
        if not args.corpus.is_dir():
            raise SetupError(f"corpus folder {args.corpus} not found: pass --corpus DIR")
    elif not args.from_dir.is_dir():
        raise SetupError(f"--from-dir {args.from_dir} is not a folder")

    scores = []
    for project, labels in labelled:
        try:
            if args.from_dir is not None:
                saved = args.from_dir / f"{project}.calls.json"
                if not saved.is_file():
                    raise ValueError(f"no {saved.name} in {args.from_dir}")
                calls = parse_calls(saved.read_text(encoding="utf-8"), str(saved))
            else:
                project_dir = args.corpus / project
                if not project_dir.is_dir():
                    raise ValueError(f"project folder {project_dir} not found")
                calls = run_promptlint(executable, project_dir, args.timeout)
        except (OSError, ValueError) as exc:
            scores.append(ProjectScore(project, error=str(exc)))
            continue
        scores.append(score(project, labels, calls))

    print(markdown_table(scores))
    if args.verbose:
        print(details(scores))
    if args.json:
        text = json.dumps(as_json(scores), indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    return EXIT_RUN_FAILED if any(s.error for s in scores) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
