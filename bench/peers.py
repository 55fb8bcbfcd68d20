#!/usr/bin/env python3
"""promptlint side by side with its peers, on the same trees, in one run (`run.py --peers`).

The peers (tokenlint, llmdoctor, overllm, pcdlint, Semgrep with one rule, ruff) are
installed into a venv of their own, bench/.peers-venv. Every tool runs cold, one after
another, on each tree:

- `stress`: the site-packages of bench/.venv (openai, anthropic, langchain, litellm,
  google-genai, pydantic-ai, fastapi, django and what they pull in), hard-linked into
  $TMPDIR/promptlint-bench-trees/stress so no tool skips it for living under
  `site-packages` or in a gitignored folder;
- `corpus`: each project of ../shared/corpus (its MANIFEST.md), linted one at a time from
  a hard-linked copy beside it (the shared corpus is read-only, and promptlint's warm run
  needs to write its cache); the table sums the projects' wall times and shows the
  largest peak;
- `app`: the generated application of appgen.py.

promptlint also runs warm (a second run with its results cache), and at pre-commit size:
one file and five files cold, and `--version`, each a fresh process with interpreter
start included. Wall time and the peak resident memory of the largest process come from
a wrapper process (`getrusage(RUSAGE_CHILDREN)`). Standard library only.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEERS_VENV = BENCH / ".peers-venv"
# Outside any git work tree: tools honour .gitignore files, and bench/corpus is gitignored.
TREES = Path(tempfile.gettempdir()) / "promptlint-bench-trees"
STRESS = TREES / "stress"
REAL = TREES / "real"
SHARED_CORPUS = BENCH.parent.parent / "shared" / "corpus"
PEER_PACKAGES = ("tokenlint", "llmdoctor", "overllm", "pcdlint", "semgrep", "ruff")
SEMGREP_RULE = """rules:
  - id: gpt-4o-chat-completion
    languages: [python]
    severity: INFO
    message: a chat completion on gpt-4o
    pattern: $C.chat.completions.create(..., model="gpt-4o", ...)
"""
WRAPPER = """
import json, resource, subprocess, sys, time
argv, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
start = time.perf_counter()
try:
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout).returncode
except subprocess.TimeoutExpired:
    code = None
wall = time.perf_counter() - start
print(json.dumps({"returncode": code, "wall": wall, "maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass
class Measure:
    tree: str
    tool: str
    wall_s: float = 0.0
    peak_rss_mb: float = 0.0
    returncodes: list[int | None] = field(default_factory=list)
    runs: int = 0

    def add(self, wall: float, rss_kib: int, code: int | None) -> None:
        self.wall_s += wall
        self.peak_rss_mb = max(self.peak_rss_mb, rss_kib / 1024)
        self.returncodes.append(code)
        self.runs += 1


def measure(argv: list[str], cwd: Path, timeout: float) -> tuple[float, int, int | None]:
    done = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(argv), str(timeout)], cwd=cwd, capture_output=True, text=True)
    report = json.loads(done.stdout)
    return report["wall"], report["maxrss"], report["returncode"]


def ensure_peers(skip_install: bool) -> Path:
    """bin/ of bench/.peers-venv with every peer installed."""
    bin_dir = PEERS_VENV / "bin"
    if all((bin_dir / name).exists() for name in PEER_PACKAGES):
        return bin_dir
    if skip_install:
        raise SystemExit(f"bench: {PEERS_VENV} lacks some peers; run without --skip-install")
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", "--disable-pip-version-check", *PEER_PACKAGES], check=True)
    return bin_dir


def linked_copy(source: Path, target: Path) -> Path:
    """`target` as a hard-linked copy of `source` (made once; a plain copy across devices)."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["cp", "-al", str(source), str(target)], capture_output=True).returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)
    return target


def tool_commands(bin_dir: Path, promptlint: Path, rule: Path) -> dict[str, list[str]]:
    """Each tool's command for a cold run on `.` (the working directory is the tree)."""
    return {
        "promptlint": [str(promptlint), "check", ".", "--no-cache", "--exit-zero", "-q", "--output-format", "concise"],
        "tokenlint": [str(bin_dir / "tokenlint"), "--fail-on", "never", "."],
        "llmdoctor": [str(bin_dir / "llmdoctor"), "doctor", "."],
        "overllm": [str(bin_dir / "overllm"), "--exit-zero", "."],
        "pcdlint": [str(bin_dir / "pcdlint"), "."],
        "semgrep": [str(bin_dir / "semgrep"), "scan", "--metrics=off", "--disable-version-check", "--quiet", "--config", str(rule), "."],
        "ruff": [str(bin_dir / "ruff"), "check", "--no-cache", "--exit-zero", "-q", "."],
    }


def trees(stress_source: Path | None, app: Path | None, corpus: bool) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    if stress_source is not None:
        found["stress"] = [linked_copy(stress_source, STRESS)]
    if corpus and SHARED_CORPUS.is_dir():
        projects = sorted(p for p in SHARED_CORPUS.iterdir() if p.is_dir() and not p.name.startswith("."))  # not a stray cache
        found["corpus"] = [linked_copy(p, REAL / p.name) for p in projects]
    if app is not None:
        found["app"] = [app]
    return found


def python_files(roots: list[Path]) -> int:
    return sum(1 for root in roots for _, _, names in os.walk(root) for name in names if name.endswith(".py"))


def run_peers(
    promptlint: Path,
    stress_source: Path | None,
    app: Path | None,
    *,
    corpus: bool = True,
    skip_install: bool,
    timeout: float,
    tools: list[str] | None,
    output: Path,
) -> int:
    bin_dir = ensure_peers(skip_install)
    results: list[Measure] = []
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="promptlint-peers-") as scratch:
        rule = Path(scratch) / "rule.yml"
        rule.write_text(SEMGREP_RULE, encoding="utf-8")
        commands = tool_commands(bin_dir, promptlint, rule)
        chosen = [name for name in commands if tools is None or name in tools]
        for tree, roots in trees(stress_source, app, corpus).items():
            sizes[tree] = python_files(roots)
            print(f"{tree}: {len(roots)} root(s), {sizes[tree]:,} .py files", flush=True)
            for tool in chosen:
                result = Measure(tree, tool)
                for root in roots:
                    if tool == "promptlint":
                        shutil.rmtree(root / ".promptlint_cache", ignore_errors=True)
                    result.add(*measure(commands[tool], root, timeout))
                print(f"  {tool}: {result.wall_s:.2f} s, {result.peak_rss_mb:.0f} MB", flush=True)
                results.append(result)
            if "promptlint" in chosen:
                warm = Measure(tree, "promptlint warm")
                fill = [c for c in commands["promptlint"] if c != "--no-cache"]
                for root in roots:
                    shutil.rmtree(root / ".promptlint_cache", ignore_errors=True)
                    measure(fill, root, timeout)
                    warm.add(*measure(fill, root, timeout))
                print(f"  promptlint warm: {warm.wall_s:.2f} s, {warm.peak_rss_mb:.0f} MB", flush=True)
                results.append(warm)
        if "promptlint" in chosen and app is not None:
            results.extend(pre_commit_runs(promptlint, app, timeout))
    print()
    print(table(results))
    payload = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "files": sizes,
        "runs": [asdict(result) for result in results],
    }
    output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {output}")
    return 0


def pre_commit_runs(promptlint: Path, app: Path, timeout: float) -> list[Measure]:
    """One and five LLM-calling files of the app, cold, and `--version`: best of three,
    interpreter start included (a pre-commit hook pays it on every commit)."""
    sample = sorted(str(p.relative_to(app)) for p in app.rglob("*.py") if b"completions.create" in p.read_bytes())[:5]
    found = []
    for name, argv in (
        ("promptlint --version", [str(promptlint), "--version"]),
        ("promptlint 1 file", [str(promptlint), "check", "--no-cache", "--exit-zero", "-q", *sample[:1]]),
        ("promptlint 5 files", [str(promptlint), "check", "--no-cache", "--exit-zero", "-q", *sample]),
    ):
        best = None
        for _ in range(3):
            wall, rss, code = measure(argv, app, timeout)
            if best is None or wall < best[0]:
                best = (wall, rss, code)
        result = Measure("pre-commit", name)
        result.add(*best)  # type: ignore[misc]
        found.append(result)
        print(f"  {name}: {result.wall_s:.3f} s", flush=True)
    return found


def table(results: list[Measure]) -> str:
    reference = {r.tree: r.wall_s for r in results if r.tool == "promptlint"}
    header = ("tree", "tool", "wall s", "× promptlint", "peak MB", "exit codes")
    rows = [header]
    for r in results:
        ratio = f"{r.wall_s / reference[r.tree]:.2f}" if reference.get(r.tree) else "-"
        codes = ",".join(sorted({str(c) for c in r.returncodes}))
        rows.append((r.tree, r.tool, f"{r.wall_s:.2f}" if r.wall_s >= 1 else f"{r.wall_s:.3f}", ratio, f"{r.peak_rss_mb:.0f}", codes))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
