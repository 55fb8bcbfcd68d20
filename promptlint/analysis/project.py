# SPDX-License-Identifier: MIT
"""The project around a file: other modules it imports from, and files it reads prompts from.

Analysis follows an import (`from app.prompts import SYSTEM`) into the imported module
only when that module is a file of the project; each such module is parsed once per
process and kept. Every file read this way is recorded as a dependency of the file being
analysed, so a cached result is invalidated when any of them changes.
"""

from __future__ import annotations

from collections import OrderedDict
import os
from pathlib import Path

import libcst as cst

from promptlint.analysis.scope import ModuleInfo, build_module_info
from promptlint.cache import file_hash

MAX_PROMPT_FILE_BYTES = 1_000_000
MAX_CACHED_MODULES = 256


class Project:
    """Finds and parses the project's modules on demand (one parse per module per process)."""

    def __init__(self, root: Path, overrides: dict[Path, str] | None = None) -> None:
        self.root = root.resolve()
        self.lexical_root = _as_written(root)
        # In-memory contents that replace files on disk (a fix being re-checked, stdin).
        self.overrides = {path.resolve(): text for path, text in (overrides or {}).items()}
        # Parsed modules, least recently used first; bounded, as a worker may see thousands.
        self._modules: OrderedDict[Path, ModuleInfo | None] = OrderedDict()
        self._module_paths: dict[str, Path | None] = {}
        self._recorded: dict[Path, str] = {}

    # -- dependency recording ------------------------------------------------------------
    def start_file(self) -> None:
        """Begin recording the dependencies of one analysed file."""
        self._recorded = {}

    def dependencies(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((str(path), digest) for path, digest in self._recorded.items()))

    def _record(self, path: Path, data: bytes) -> None:
        self._recorded[path] = file_hash(data)

    # -- modules ---------------------------------------------------------------------
    def search_roots(self, importer: ModuleInfo | None) -> list[Path]:
        roots: list[Path] = []
        if importer is not None and importer.name:
            depth = importer.name.count(".") + (1 if importer.path.stem != "__init__" else 0)
            top = _as_written(importer.path)
            for _ in range(depth):
                top = top.parent
            roots.append(top)
        roots.extend([self.root, self.root / "src"])
        seen: list[Path] = []
        for root in roots:
            if root not in seen:
                seen.append(root)
        return seen

    def find_module(self, dotted: str, importer: ModuleInfo | None) -> Path | None:
        key = f"{dotted}@{importer.path if importer else ''}"
        if key in self._module_paths:
            return self._module_paths[key]
        found: Path | None = None
        relative = Path(*dotted.split("."))
        for root in self.search_roots(importer):
            for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                if candidate.is_file() and self._inside_project(candidate):
                    found = _as_written(candidate)
                    break
            if found:
                break
        self._module_paths[key] = found
        return found

    def module(self, path: Path) -> ModuleInfo | None:
        """The parsed module at `path`, or None when it cannot be read or parsed.

        Modules are kept by their real path (parsed once however they are reached) but
        carry the path they were found at, so `__file__` stays inside a symlinked tree.
        """
        written = _as_written(path)
        path = path.resolve()
        if path in self._modules:
            self._modules.move_to_end(path)
        else:
            while len(self._modules) >= MAX_CACHED_MODULES:
                self._modules.popitem(last=False)
            try:
                data = (
                    self.overrides[path].encode("utf-8") if path in self.overrides else path.read_bytes()
                )
                module = cst.parse_module(data)
                self._modules[path] = build_module_info(written, module.code, module)
            except (OSError, cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
                self._modules[path] = None
            else:
                self._record(path, data)
                return self._modules[path]
        info = self._modules[path]
        if info is not None and path not in self._recorded:
            self._record(path, info.source.encode("utf-8"))
        return info

    def resolve_import(
        self, qualified: str, importer: ModuleInfo | None
    ) -> tuple[ModuleInfo, str] | None:
        """Split `pkg.mod.NAME` into the project module `pkg.mod` and `NAME`.

        Returns None when no prefix of the name is a module of this project (a third-party
        import such as `openai.OpenAI`).
        """
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = self.find_module(".".join(parts[:cut]), importer)
            if path is not None:
                info = self.module(path)
                if info is None:
                    return None
                return info, ".".join(parts[cut:])
        return None

    def add_module(self, info: ModuleInfo) -> None:
        """Register the module being analysed so imports of it are not parsed again."""
        self._modules[info.path.resolve()] = info

    # -- prompt files ----------------------------------------------------------------
    def read_text_file(self, path: Path) -> str | None:
        """Text of a prompt file inside the project, or None (outside, missing, binary, huge)."""
        try:
            resolved = path.resolve()
            if not self._inside_project(path) or not resolved.is_file():
                return None
            data = resolved.read_bytes()
        except OSError:
            return None
        if len(data) > MAX_PROMPT_FILE_BYTES:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        self._record(resolved, data)
        return text

    def _inside_project(self, path: Path) -> bool:
        """Whether `path` is in the project, as written (a directory symlinked into the
        tree is part of it, as discovery walks it) or once symlinks are resolved."""
        written = _as_written(path)
        return any(
            candidate.is_relative_to(root)
            for candidate in (written, path.resolve())
            for root in (self.root, self.lexical_root)
        )


def _as_written(path: Path) -> Path:
    """An absolute, normalized path with symlinks kept (`resolve()` would follow them)."""
    return Path(os.path.normpath(path.absolute()))
