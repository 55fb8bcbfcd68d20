#!/usr/bin/env python3
"""Benchmark the installed `promptlint` console script on a large corpus.

The corpus is (1) the site-packages of a venv holding the LLM SDKs promptlint reads
(openai, anthropic, litellm, langchain, google-genai: ~12k files of real SDK code, created
in bench/.venv on first run) or any directory given with --corpus, and (2) a generated
application of --app-files modules (see appgen.py) in bench/corpus/app.

Each measured run is a fresh child process, started through a small wrapper that reports
the child's wall time and peak resident memory (`getrusage(RUSAGE_CHILDREN).ru_maxrss`,
the largest single process in its tree, so a worker pool shows its biggest worker, not the
sum). The runs: `calls` over the corpus, `check --no-cache` (cold), `check` filling the
results cache, `check` again (warm), and `check --no-cache` on 5 files, the size of a
pre-commit run.

Standard library only, so it runs from any Python >= 3.10.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import appgen
import peers

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv"
CORPUS = BENCH / "corpus"
RESULTS = BENCH / "results.json"
SDK_PACKAGES = (
    "openai", "anthropic", "litellm", "langchain", "langchain-openai", "langchain-anthropic", "google-genai",
    "pydantic-ai", "fastapi", "django",
)
# Import names that show an install finished (a venv cut short by Ctrl-C lacks some).
SDK_IMPORT_DIRS = ("openai", "anthropic", "litellm", "langchain", "langchain_openai", "langchain_anthropic", "google/genai")
PRE_COMMIT_FILES = 5
EXIT_OK, EXIT_RUN_FAILED, EXIT_SETUP = 0, 1, 2

# Runs argv with stdout/stderr sent to files, then prints one JSON line about the child.
# It is a separate process so that RUSAGE_CHILDREN covers exactly one promptlint run.
WRAPPER = """
import json, resource, subprocess, sys, time
argv, out, err = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
start = time.perf_counter()
with open(out, "wb") as stdout, open(err, "wb") as stderr:
    try:
        code = subprocess.run(argv, stdout=stdout, stderr=stderr, timeout=float(sys.argv[4])).returncode
    except subprocess.TimeoutExpired:
        code = None
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"returncode": code, "wall": wall, "maxrss": rss}))
"""


class SetupError(Exception):
    """The benchmark cannot start: the message says what is missing and how to fix it."""


@dataclass
class Run:
    """One measured promptlint invocation."""

    name: str
    argv: list[str]
    files: int
    returncode: int | None = None
    wall_s: float | None = None
    files_per_s: float | None = None
    peak_rss_mb: float | None = None
    calls: int | None = None
    calls_in_app: int | None = None  # of `calls`, those in the generated app
    findings: int | None = None
    findings_by_code: dict[str, int] = field(default_factory=dict)
    file_errors: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# ----------------------------------------------------------------------------- setup


def find_promptlint() -> Path:
    """The console script next to this interpreter, else the first on PATH."""
    beside = Path(sys.executable).parent / ("promptlint.exe" if os.name == "nt" else "promptlint")
    if beside.is_file():
        return beside
    found = shutil.which("promptlint")
    if found is None:
        raise SetupError(
            f"no `promptlint` console script next to {sys.executable} or on PATH; "
            "install it (`pip install -e .` in the repository) or run this script with the "
            "Python of the environment that has it"
        )
    return Path(found)


def promptlint_version(promptlint: Path) -> str:
    try:
        done = subprocess.run([str(promptlint), "--version"], capture_output=True, text=True, timeout=120)
    except OSError as error:
        raise SetupError(f"cannot run {promptlint}: {error}") from None
    if done.returncode != 0:
        raise SetupError(f"`{promptlint} --version` failed (exit {done.returncode}):\n{done.stderr.strip()}")
    return done.stdout.strip()


def compile_bytecode() -> None:
    """Write promptlint's bytecode before timing it, as `pip install` does for a wheel and
    did for every peer: an editable install run with PYTHONDONTWRITEBYTECODE set (as on
    this workplace's machines) compiles the whole package again on every start."""
    script = "import compileall, os, promptlint; compileall.compile_dir(os.path.dirname(promptlint.__file__), quiet=1)"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=600, check=False)


def venv_site_packages(venv: Path) -> Path | None:
    candidates = sorted(venv.glob("lib/python3*/site-packages")) + [venv / "Lib" / "site-packages"]
    return next((path for path in candidates if path.is_dir()), None)


def missing_sdks(site_packages: Path) -> list[str]:
    return [name for name in SDK_IMPORT_DIRS if not (site_packages / name).is_dir()]


def ensure_sdk_venv(skip_install: bool) -> Path:
    """bench/.venv's site-packages with every SDK installed, creating it unless told not to."""
    site_packages = venv_site_packages(VENV)
    if site_packages is not None and not missing_sdks(site_packages):
        return site_packages
    if skip_install:
        state = "does not exist" if site_packages is None else f"lacks {', '.join(missing_sdks(site_packages))}"
        raise SetupError(f"{VENV} {state}; run without --skip-install to create it, or pass --corpus DIR")
    if site_packages is None:
        print(f"creating {VENV} ...", flush=True)
        _run_setup([sys.executable, "-m", "venv", str(VENV)])
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    print(f"installing {' '.join(SDK_PACKAGES)} into {VENV} (takes a few minutes) ...", flush=True)
    _run_setup([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", *SDK_PACKAGES])
    site_packages = venv_site_packages(VENV)
    if site_packages is None or missing_sdks(site_packages):
        raise SetupError(f"the install into {VENV} finished but the SDKs are not all there; delete {VENV} and retry")
    return site_packages


def _run_setup(argv: list[str]) -> None:
    try:
        code = subprocess.run(argv).returncode
    except OSError as error:
        raise SetupError(f"cannot run {argv[0]}: {error}") from None
    if code != 0:
        raise SetupError(f"`{' '.join(argv[:4])} ...` failed with exit code {code} (its output is above)")


def make_view(parts: dict[str, Path]) -> Path:
    """A directory outside any git work tree holding one symlink per corpus part.

    bench/.venv and bench/corpus are gitignored and sit under `.venv`/`site-packages`, which
    promptlint skips by default, as it should for a user's project. Linting them through
    links from a fresh directory, with a config there that clears the default excludes,
    measures the whole corpus without changing what promptlint does anywhere else.
    """
    view = Path(tempfile.mkdtemp(prefix="promptlint-bench-"))
    for name, target in parts.items():
        (view / name).symlink_to(target.resolve(), target_is_directory=True)
    (view / "promptlint.toml").write_text("# written by bench/run.py: lint every file\nexclude = []\n", encoding="utf-8")
    return view


def python_files(root: Path) -> tuple[int, int]:
    """(number, total bytes) of the .py files below `root`, following the view's links."""
    count = size = 0
    for directory, subdirectories, names in os.walk(root, followlinks=True):
        subdirectories[:] = [d for d in subdirectories if d != ".promptlint_cache"]
        for name in names:
            if name.endswith(".py"):
                count += 1
                size += os.path.getsize(os.path.join(directory, name))
    return count, size


def first_files(root: Path, count: int) -> list[str]:
    """The first `count` .py files below `root` in sorted walk order, relative to it."""
    found: list[str] = []
    for directory, subdirectories, names in os.walk(root, followlinks=True):
        subdirectories.sort()
        subdirectories[:] = [d for d in subdirectories if d != ".promptlint_cache"]
        found += [os.path.relpath(os.path.join(directory, n), root) for n in sorted(names) if n.endswith(".py")]
        if len(found) >= count:
            break
    return found[:count]


# ----------------------------------------------------------------------------- measuring


def measure(run: Run, cwd: Path, timeout: float, scratch: Path) -> Run:
    """Run `run.argv` in a fresh wrapper process and fill in the measurements."""
    out, err = scratch / f"{run.name}.out", scratch / f"{run.name}.err"
    wrapper = [sys.executable, "-c", WRAPPER, json.dumps(run.argv), str(out), str(err), str(timeout)]
    done = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        run.error = f"the measuring wrapper failed:\n{done.stderr.strip()}"
        return run
    report = json.loads(done.stdout)
    stderr = err.read_text(encoding="utf-8", errors="replace")
    run.returncode = report["returncode"]
    run.wall_s = round(report["wall"], 3)
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    run.peak_rss_mb = round(report["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
    run.files_per_s = round(run.files / report["wall"], 1) if report["wall"] > 0 else None
    run.file_errors = sum(1 for line in stderr.splitlines() if ": error: " in line)
    if run.returncode is None:
        run.error = f"timed out after {timeout:.0f} s"
        return run
    try:
        payload = json.loads(out.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        payload = None
    # Exit 1 means findings; exit 2 with a JSON result means some files could not be read
    # or parsed (counted in file_errors), which a corpus of third-party code can contain.
    if not isinstance(payload, list) or run.returncode not in (0, 1, 2):
        tail = "\n".join(stderr.strip().splitlines()[-30:]) or "(no output on stderr)"
        run.error = f"`{' '.join(run.argv[1:3])}` exited {run.returncode} without a JSON result; stderr:\n{tail}"
        return run
    if run.argv[1] == "calls":
        run.calls = len(payload)
        run.calls_in_app = sum(1 for row in payload if Path(str(row.get("filename", ""))).parts[:1] == ("app",))
    else:
        run.findings = len(payload)
        run.findings_by_code = dict(sorted(Counter(str(item.get("code")) for item in payload).items()))
    return run


def plan(promptlint: Path, only: str | None, jobs: int | None, files: int, sample: list[str]) -> list[Run]:
    """The runs to make, in order (the warm run relies on the cache-filling one before it)."""
    base = [str(promptlint)]
    job_args = ["--jobs", str(jobs)] if jobs else []
    runs: list[Run] = []
    if only in (None, "calls"):
        runs.append(Run("calls", [*base, "calls", ".", "--output-format", "json", "--no-cache", *job_args], files))
    if only in (None, "check"):
        check = [*base, "check", ".", "--output-format", "json", *job_args]
        runs += [
            Run("check cold", [*check, "--no-cache"], files),
            Run("check cache fill", check, files),
            Run("check warm", check, files),
            Run(f"check {len(sample)} files", [*base, "check", *sample, "--output-format", "json", "--no-cache"], len(sample)),
        ]
    return runs


def report_table(runs: list[Run]) -> str:
    header = ("run", "files", "calls", "findings", "wall s", "files/s", "peak MB", "exit")
    rows = [header] + [
        (
            run.name,
            f"{run.files:,}",
            "-" if run.calls is None else f"{run.calls:,}",
            "-" if run.findings is None else f"{run.findings:,}",
            "-" if run.wall_s is None else f"{run.wall_s:.2f}",
            "-" if run.files_per_s is None else f"{run.files_per_s:,.0f}",
            "-" if run.peak_rss_mb is None else f"{run.peak_rss_mb:,.0f}",
            ("-" if run.returncode is None else str(run.returncode)) + ("" if run.ok else " FAILED"),
        )
        for run in runs
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) if i == 0 else cell.rjust(width) for i, (cell, width) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="lint this directory instead of bench/.venv's site-packages")
    parser.add_argument("--app-files", type=int, default=2000, metavar="N", help="modules in the generated app (0: none; default 2000)")
    parser.add_argument("--seed", type=int, default=20261127, help="seed of the generated app (default %(default)s)")
    parser.add_argument("--jobs", type=int, help="passed to promptlint as --jobs (default: promptlint's, all cores)")
    parser.add_argument("--skip-install", action="store_true", help="never create or install bench/.venv")
    parser.add_argument("--only", choices=("calls", "check"), help="run one command's measurements only")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per run (default %(default)s)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file (default bench/results.json)")
    parser.add_argument("--peers", action="store_true", help="time promptlint side by side with its peers (see peers.py)")
    parser.add_argument("--tools", help="with --peers: a comma-separated subset of the tools to run")
    parser.add_argument("--trees", default="stress,corpus,app", help="with --peers: which trees (default %(default)s)")
    args = parser.parse_args(argv)
    if args.app_files < 0 or args.app_files == 1:
        parser.error("--app-files must be 0 or at least 2")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus}: not a directory")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        promptlint = find_promptlint()
        version = promptlint_version(promptlint)
        compile_bytecode()
        parts: dict[str, Path] = {}
        parts["corpus" if args.corpus else "sdks"] = args.corpus or ensure_sdk_venv(args.skip_install)
    except SetupError as error:
        print(f"bench: {error}", file=sys.stderr)
        return EXIT_SETUP

    if args.peers:
        app_root = None
        if args.app_files:
            appgen.generate(CORPUS, args.app_files, seed=args.seed)
            app_root = peers.linked_copy(CORPUS / "app", peers.TREES / "app")
        stress = parts.get("sdks") or parts.get("corpus")
        tools = args.tools.split(",") if args.tools else None
        chosen = set(args.trees.split(","))
        return peers.run_peers(
            promptlint,
            stress if "stress" in chosen else None,
            app_root if "app" in chosen else None,
            corpus="corpus" in chosen,
            skip_install=args.skip_install,
            timeout=args.timeout,
            tools=tools,
            output=args.output,
        )

    app = None
    if args.app_files:
        app = appgen.generate(CORPUS, args.app_files, seed=args.seed)
        parts["app"] = CORPUS / "app"
    view = make_view(parts)
    try:
        files, size = python_files(view)
        # Five LLM-calling files of the generated app (its paths are relative to the view
        # too), or without an app the first five files of the corpus.
        sample = list(app.llm_files[:PRE_COMMIT_FILES]) if app else first_files(view, PRE_COMMIT_FILES)
        print(f"{version}; corpus: {files:,} files, {size / 1e6:,.0f} MB ({', '.join(f'{k} -> {v}' for k, v in parts.items())})", flush=True)
        with tempfile.TemporaryDirectory(prefix="promptlint-bench-out-") as scratch:
            runs = []
            for run in plan(promptlint, args.only, args.jobs, files, sample):
                if run.name == "check cache fill":
                    shutil.rmtree(view / ".promptlint_cache", ignore_errors=True)
                print(f"  {run.name} ...", end="", flush=True)
                runs.append(measure(run, view, args.timeout, Path(scratch)))
                print(f" {runs[-1].wall_s if runs[-1].wall_s is not None else '-'} s", flush=True)
    finally:
        shutil.rmtree(view, ignore_errors=True)  # removes the links, never what they point to

    print()
    print(report_table(runs))
    for run in runs:
        if run.error:
            print(f"\n{run.name}: {run.error}", file=sys.stderr)
        elif run.file_errors:
            print(f"\n{run.name}: {run.file_errors} file(s) reported as unreadable or unparseable", file=sys.stderr)
    app_calls = None
    if app is not None:
        app_calls = {"generated": app.call_sites, "llm_files": len(app.llm_files)}
        for run in runs:
            if run.calls_in_app is not None:
                print(f"\ngenerated app: {run.name} found {run.calls_in_app} of the {app.call_sites} call sites written")
    results = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "promptlint": version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "corpus": {"parts": {k: str(v) for k, v in parts.items()}, "files": files, "bytes": size, "app_files": app.files if app else 0, "app_calls": app_calls},
        "runs": [asdict(run) for run in runs],
    }
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")
    return EXIT_OK if all(run.ok for run in runs) else EXIT_RUN_FAILED


if __name__ == "__main__":
    sys.exit(main())
