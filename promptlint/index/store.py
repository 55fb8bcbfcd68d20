# SPDX-License-Identifier: MIT
"""Module summaries kept between runs: one JSON file per module in
`.promptlint_cache/index/`, the way mypy keeps one per module in `.mypy_cache`.

An entry is named by a hash of the module's path and holds the content hash, module name
and package it was built for, so it is used only for exactly those bytes in exactly that
place, and overwritten when the file changes (the directory does not grow with history).
Entries are JSON decoded into summaries by hand (never pickle): a planted or corrupt entry
is a miss. Writes are atomic and a failure to write only costs speed. Workers of one run
share the directory, so a module imported by files in several workers is parsed once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from promptlint import __version__
from promptlint.cache import CACHE_DIRNAME, ensure_cache_directory, write_entry
from promptlint.index import values
from promptlint.index.summary import Binding, CallInfo, ClassSummary, FunctionSummary, Loop, ModuleSummary, Param

FORMAT = 4  # bump when the summary's shape changes


class SummaryStore:
    def __init__(self, directory: Path, *, version: str = __version__) -> None:
        self.directory = Path(directory)
        self.version = version
        self._ready = False

    def get(self, content_hash: str, name: str, package: str, path: str) -> ModuleSummary | None:
        try:
            entry = json.loads(self._entry(path).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != self._key(content_hash, name, package, path):
            return None
        try:
            return decode_summary(entry["summary"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def put(self, summary: ModuleSummary) -> None:
        key = self._key(summary.content_hash, summary.name, summary.package, summary.path)
        try:
            payload = json.dumps({"key": key, "summary": encode_summary(summary)}, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return  # not worth keeping (it will be parsed again next time)
        try:
            if not self._ready:
                if self.directory.parent.name == CACHE_DIRNAME:
                    ensure_cache_directory(self.directory.parent)
                self.directory.mkdir(parents=True, exist_ok=True)
                self._ready = True
            write_entry(self._entry(summary.path), payload)
        except OSError:
            return

    def _key(self, content_hash: str, name: str, package: str, path: str) -> list[Any]:
        return [FORMAT, self.version, content_hash, name, package, path]

    def _entry(self, path: str) -> Path:
        digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        return self.directory / f"{digest}.json"


# --------------------------------------------------------------------------- encoding

enc = values.to_json


def _dec(data: Any) -> values.Value | None:
    return values.from_json(data)


def _loc(data: Any) -> values.Loc:
    loc = tuple(int(x) for x in data)
    if len(loc) != 4:
        raise ValueError("bad location")
    return loc  # type: ignore[return-value]


def _binding(b: Binding) -> list[Any]:
    return [b.kind, enc(b.value), b.line, enc(b.key), b.op, enc(b.annotation), b.within]


def _unbinding(d: list[Any]) -> Binding:
    return Binding(str(d[0]), _dec(d[1]), int(d[2]), _dec(d[3]), d[4], _dec(d[5]), d[6])


def _table(table: dict[str, list[Binding]]) -> dict[str, Any]:
    return {name: [_binding(b) for b in bindings] for name, bindings in table.items()}


def _untable(data: dict[str, Any]) -> dict[str, list[Binding]]:
    return {str(name): [_unbinding(b) for b in bindings] for name, bindings in data.items()}


def _function(f: FunctionSummary) -> dict[str, Any]:
    return {
        "n": f.name, "c": f.class_name, "a": f.is_async, "l": list(f.loc), "p": f.parent, "y": f.yields,
        "P": [[p.name, p.kind, enc(p.annotation), enc(p.default)] for p in f.params],
        "d": [enc(d) for d in f.decorators],
        "r": [[enc(value), line] for value, line in f.returns],
        "b": _table(f.bindings),
        "L": [[lp.kind, list(lp.loc), enc(lp.iterable), list(lp.targets), lp.exits_early] for lp in f.loops],
        "N": {name: [[line, enc(cls)] for line, cls in entries] for name, entries in f.narrowed.items()},
        "C": [
            [enc(c.call), list(c.loops), c.awaited, c.block, c.index, list(c.assigned_to), c.result_used, c.in_lambda, c.in_main_guard]
            for c in f.calls
        ],
    }


def _unfunction(d: dict[str, Any]) -> FunctionSummary:
    function = FunctionSummary(
        name=str(d["n"]),
        class_name=d["c"],
        is_async=bool(d["a"]),
        params=tuple(Param(str(p[0]), str(p[1]), _dec(p[2]), _dec(p[3])) for p in d["P"]),
        decorators=tuple(_dec(x) for x in d["d"]),  # type: ignore[misc]
        loc=_loc(d["l"]),
        returns=[(_dec(value), int(line)) for value, line in d["r"]],  # type: ignore[misc]
        bindings=_untable(d["b"]),
        loops=[Loop(str(x[0]), _loc(x[1]), _dec(x[2]), tuple(x[3]), bool(x[4])) for x in d["L"]],
        parent=d["p"],
        yields=bool(d["y"]),
        narrowed={str(name): [(int(line), _dec(cls)) for line, cls in entries] for name, entries in d["N"].items()},  # type: ignore[misc]
    )
    function.calls = [
        CallInfo(_dec(c[0]), tuple(c[1]), bool(c[2]), int(c[3]), int(c[4]), tuple(c[5]), bool(c[6]), bool(c[7]), bool(c[8]))  # type: ignore[arg-type]
        for c in d["C"]
    ]
    return function


def encode_summary(s: ModuleSummary) -> dict[str, Any]:
    return {
        "path": s.path, "name": s.name, "package": s.package, "hash": s.content_hash,
        "imports": s.imports, "stars": s.star_imports, "all": s.all_names,
        "bindings": _table(s.bindings),
        "functions": [[key, _function(f)] for key, f in s.functions.items()],
        "classes": [
            {
                "n": c.name, "b": [enc(b) for b in c.bases], "d": [enc(x) for x in c.decorators], "l": list(c.loc),
                "a": _table(c.attributes), "m": c.methods,
                "s": {name: [[method, _binding(b)] for method, b in items] for name, items in c.self_attributes.items()},
                "k": [[k, enc(value)] for k, value in c.keywords],
            }
            for c in s.classes.values()
        ],
        "top": _function(s.toplevel) if s.toplevel is not None else None,
        "error": [s.error, s.error_line, s.error_column],
    }


def decode_summary(d: dict[str, Any]) -> ModuleSummary:
    summary = ModuleSummary(
        path=str(d["path"]), name=str(d["name"]), package=str(d["package"]), content_hash=str(d["hash"]),
        imports={str(k): str(x) for k, x in d["imports"].items()},
        star_imports=[str(x) for x in d["stars"]],
        all_names=d["all"],
        bindings=_untable(d["bindings"]),
    )
    for key, f in d["functions"]:
        summary.functions[str(key)] = _unfunction(f)
    for c in d["classes"]:
        summary.classes[str(c["n"])] = ClassSummary(
            name=str(c["n"]),
            bases=tuple(_dec(b) for b in c["b"]),  # type: ignore[misc]
            decorators=tuple(_dec(x) for x in c["d"]),  # type: ignore[misc]
            loc=_loc(c["l"]),
            attributes=_untable(c["a"]),
            self_attributes={str(n): [(str(m), _unbinding(b)) for m, b in items] for n, items in c["s"].items()},
            methods=[str(m) for m in c["m"]],
            keywords=tuple((k, _dec(x)) for k, x in c["k"]),  # type: ignore[misc]
        )
    summary.toplevel = _unfunction(d["top"]) if d["top"] is not None else None
    summary.error, summary.error_line, summary.error_column = d["error"]
    return summary
