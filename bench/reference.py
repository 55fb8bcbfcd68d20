#!/usr/bin/env python3
"""What promptlint reports on known trees, kept as a reference and compared against.

    python bench/reference.py snapshot --promptlint PATH --out bench/reference/NAME
    python bench/reference.py compare bench/reference/NAME [--promptlint PATH]

The trees: examples/, each project under tests/fixtures/projects, and each project of
../shared/corpus (when present). For each, `promptlint calls` and `promptlint check` run
cold (`--no-cache`, `--exit-zero`) from inside the tree (a hard-linked copy for the
read-only corpus), and the reference keeps what identifies a result: call sites as
(file, row) and findings as (file, row, code). `compare` runs the given promptlint again
and prints, per tree, the counts then and now and every result of the reference that is
no longer reported. A finding reported now at another row of the same file, under the
same code, counts as moved, not lost. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import peers

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def trees() -> dict[str, Path]:
    found = {"examples": ROOT / "examples"}
    for project in sorted((ROOT / "tests" / "fixtures" / "projects").iterdir()):
        if project.is_dir():
            found[f"fixtures/{project.name}"] = project
    if peers.SHARED_CORPUS.is_dir():
        for project in sorted(p for p in peers.SHARED_CORPUS.iterdir() if p.is_dir()):
            found[f"corpus/{project.name}"] = peers.linked_copy(project, peers.REAL / project.name)
    return found


def run_json(promptlint: str, command: str, tree: Path) -> list[dict]:
    argv = [promptlint, command, "--output-format", "json", "--no-cache", "."]
    if command == "check":
        argv.insert(-1, "--exit-zero")
    done = subprocess.run(argv, cwd=tree, capture_output=True, text=True)
    if done.returncode not in (0, 1, 2) or not done.stdout.strip():
        raise SystemExit(f"{command} on {tree} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def results(promptlint: str, tree: Path) -> dict[str, list[list]]:
    calls = run_json(promptlint, "calls", tree)
    found = run_json(promptlint, "check", tree)
    return {
        "calls": sorted([c["filename"], c["location"]["row"]] for c in calls),
        "findings": sorted([f["filename"], f["location"]["row"], f["code"]] for f in found),
    }


def snapshot(promptlint: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, tree in trees().items():
        target = out / (name.replace("/", "__") + ".json")
        target.write_text(json.dumps(results(promptlint, tree), indent=0) + "\n", encoding="utf-8")
        print(f"{name}: written", file=sys.stderr)


def compare(reference: Path, promptlint: str) -> int:
    lost_any = 0
    totals: dict[str, Counter] = {"then": Counter(), "now": Counter()}
    print(f"{'tree':45} {'calls then':>10} {'now':>5} {'findings then':>14} {'now':>5} {'lost':>5} {'moved':>5}")
    for name, tree in trees().items():
        stored = reference / (name.replace("/", "__") + ".json")
        if not stored.is_file():
            continue
        then = json.loads(stored.read_text(encoding="utf-8"))
        now = results(promptlint, tree)
        now_calls = {tuple(c) for c in now["calls"]}
        now_findings = {tuple(f) for f in now["findings"]}
        lost_calls = [c for c in then["calls"] if tuple(c) not in now_calls]
        lost, moved = [], []
        for finding in then["findings"]:
            if tuple(finding) in now_findings:
                continue
            same = any(f[0] == finding[0] and f[2] == finding[2] for f in now_findings)
            (moved if same else lost).append(finding)
        for key in ("then", "now"):
            source = then if key == "then" else now
            totals[key].update(f[2] for f in source["findings"])
            totals[key]["calls"] += len(source["calls"])
        print(
            f"{name:45} {len(then['calls']):>10} {len(now['calls']):>5} {len(then['findings']):>14} "
            f"{len(now['findings']):>5} {len(lost) + len(lost_calls):>5} {len(moved):>5}"
        )
        for item in lost_calls:
            print(f"    lost call {item[0]}:{item[1]}")
        for item in lost:
            print(f"    lost finding {item[0]}:{item[1]} {item[2]}")
        lost_any += len(lost) + len(lost_calls)
    for key in ("then", "now"):
        print(f"{key}: " + ", ".join(f"{code} {count}" for code, count in sorted(totals[key].items())))
    return 1 if lost_any else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["snapshot", "compare"])
    parser.add_argument("target", nargs="?", type=Path, help="compare: the reference folder")
    parser.add_argument("--promptlint", default=str(ROOT / ".venv" / "bin" / "promptlint"))
    parser.add_argument("--out", type=Path, help="snapshot: where to write the reference")
    args = parser.parse_args()
    if args.mode == "snapshot":
        snapshot(args.promptlint, args.out or BENCH / "reference" / "current")
        return 0
    return compare(args.target or BENCH / "reference" / "baseline", args.promptlint)


if __name__ == "__main__":
    sys.exit(main())
