# SPDX-License-Identifier: MIT
"""The project index: every module a run needs, summarized once, and lookups across them.

A run analyses some files, but their calls read names from other modules of the project
(prompts, clients, wrappers, base classes), also when pre-commit passed only the changed
files. The index finds those modules on disk (inside the project root only), summarizes
each once per process (`summary.summarize`, or the summary cached for its bytes in
`store`), and answers "what does `pkg.mod.NAME` refer to?" by following imports,
re-exports and `from x import *` with a worklist and a visited set, so an import cycle or
a 50-deep re-export chain ends in "unknown", never in a RecursionError. Answers are
memoized per process.

Every lookup is recorded for the file being analysed, including the ones that found
nothing (a module an import names that does not exist yet, a prompt file not written
yet): a cached analysis is reused only while each of them would still find the same.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from promptlint.cache import file_hash
from promptlint.files import decode_source
from promptlint.index import compat
from promptlint.index.lower import Lines
from promptlint.index.store import SummaryStore
from promptlint.index.summary import ClassSummary, FunctionSummary, ModuleSummary, parse_source, summarize
from promptlint.paths import canonical, module_name_for

MAX_PROMPT_FILE_BYTES = 1_000_000
MAX_MODULE_BYTES = 2_000_000  # the same limit the engine applies to the files it lints
MAX_LOOKUP_STEPS = 64  # re-export hops before a name is "unknown"
MAX_KEPT_TEXTS = 64  # source texts kept for quoting dynamic expressions
# Module summaries a process keeps from one analysed file to the next, the most recently
# used first, bounded by the size of their sources (a summary takes 12-14 bytes of memory
# per byte of source, on the corpus and on the stress tree alike): a tree of 17,000
# library files otherwise kept every summary it ever built, over 1 GB in one process. One
# that is let go is read again when needed. The bound was 200 summaries, which on that
# tree (modules of ~40 KB) is about this size; counted in summaries it also let go of
# deepeval's (6 KB each), which its wrapper rounds then parsed again: 227 of the 235
# files re-read for new wrappers, a third of its run.
MAX_KEPT_SOURCE_BYTES = 8_000_000

ABSENT = ""  # the recorded hash of a path that did not exist (or could not be read)


@dataclass(frozen=True, slots=True)
class Symbol:
    """What a qualified name refers to in the project.

    `kind` is "module", "function", "class", "binding" (a module-level variable, `name`
    naming it) or "attribute" (a class body's name, `name` is "Class.attr"); `external`
    names the qualified name when it leaves the project (an SDK, the standard library).
    """

    kind: str
    module: ModuleSummary | None = None
    name: str = ""
    external: str | None = None

    @property
    def function(self) -> FunctionSummary | None:
        return self.module.functions.get(self.name) if self.module and self.kind == "function" else None

    @property
    def cls(self) -> ClassSummary | None:
        return self.module.classes.get(self.name) if self.module and self.kind == "class" else None


class ProjectIndex:
    """Module summaries and cross-module lookups for one run, in one process."""

    def __init__(
        self,
        root: Path,
        *,
        overrides: dict[str, str] | None = None,
        store: SummaryStore | None = None,
        max_module_bytes: int = MAX_MODULE_BYTES,
        bodies: bool = True,
    ) -> None:
        """`bodies=False` summarizes modules without what their function bodies hold (calls,
        local bindings, returns): enough to find where a name is defined, for a third of
        the memory. Such summaries are never written to a store."""
        self.root = canonical(root)
        self.real_root = os.path.realpath(self.root)
        self.overrides = {canonical(path): text for path, text in (overrides or {}).items()}
        self.store = store if bodies else None
        self.bodies = bodies
        self.max_module_bytes = max_module_bytes
        self._summaries: OrderedDict[str, ModuleSummary | None] = OrderedDict()
        self._sizes: dict[str, int] = {}  # bytes of source of each summary kept
        self._kept_bytes = 0
        self._texts: OrderedDict[str, Lines] = OrderedDict()
        self._found: dict[tuple[str, tuple[str, ...]], tuple[str | None, tuple[str, ...]]] = {}
        self._symbols: dict[str, tuple[Symbol | None, tuple[str, ...]]] = {}
        self._recorded: dict[str, str] = {}
        self._may_call: dict[str, bool] = {}
        self._roots: dict[str, tuple[str, ...]] = {}  # importer path -> search_roots
        self.parsed = 0  # modules parsed (not served from the store) in this process

    # ------------------------------------------------------------------ dependencies

    def start_file(self) -> None:
        """Begin recording what one analysed file's result depends on. Between two files
        (never during one, whose analysis holds on to values of the summaries it read), the
        least recently used summaries beyond MAX_KEPT_SOURCE_BYTES are let go, with the
        name lookups that point into them."""
        self._recorded = {}
        if self._kept_bytes > MAX_KEPT_SOURCE_BYTES:
            while self._summaries and self._kept_bytes > MAX_KEPT_SOURCE_BYTES * 3 // 4:
                path, _ = self._summaries.popitem(last=False)
                self._kept_bytes -= self._sizes.pop(path, 0)
            self._symbols.clear()

    def dependencies(self) -> tuple[tuple[str, str], ...]:
        """(path, content hash) of every file read, and (path, "") of every path looked for
        and not found, since `start_file`."""
        return tuple(sorted(self._recorded.items()))

    def _record(self, path: str) -> None:
        if path not in self._recorded:
            self._recorded[path] = self.current_hash(path)

    def current_hash(self, path: str) -> str:
        """The content hash of a path now (ABSENT when missing or unreadable)."""
        if path in self.overrides:
            return file_hash(self.overrides[path].encode("utf-8", "surrogatepass"))
        summary = self._summaries.get(path)
        if summary is not None:
            return summary.content_hash
        try:
            with open(path, "rb") as handle:
                return file_hash(handle.read())
        except OSError:
            return ABSENT

    # ------------------------------------------------------------------ modules

    def search_roots(self, importer: ModuleSummary | None) -> tuple[str, ...]:
        """Where absolute imports are looked for: the importer's top-level package's parent,
        the project root, and its `src/`; then the folder holding the importer's top-level
        package and the folders above it, up to the root, nearest first. Those come last, so
        they only find what the others do not: run from above a project without a
        configuration file (the root is then the working directory), its tests'
        `import deepeval` is found in the project's folder, where before it was found
        nowhere (deepeval's calls fell from 312 to 202). Never a folder inside a package,
        where `import types` would find `genai/types.py`. Memoized per importer: every
        import a module makes asks."""
        key = importer.path if importer is not None and importer.name else ""
        roots = self._roots.get(key)
        if roots is None:
            first: list[str] = []
            above: list[str] = []
            if key:
                is_package = os.path.basename(key) == "__init__.py"
                top = key
                for _ in range(importer.name.count(".") + (0 if is_package else 1)):  # type: ignore[union-attr]
                    top = os.path.dirname(top)
                first.append(top)
                # A package's `__init__.py` is one level deeper than its name says, so for
                # it `top` is inside the package; the folder holding the package is above.
                folder = os.path.dirname(os.path.dirname(top)) if is_package else top
                while folder.startswith(self.root + os.sep):
                    above.append(folder)
                    folder = os.path.dirname(folder)
            roots = self._roots[key] = tuple(dict.fromkeys([*first, self.root, os.path.join(self.root, "src"), *above]))
        return roots

    def find_module(self, dotted: str, importer: ModuleSummary | None) -> str | None:
        """The file of project module `dotted`, seen from `importer` (None when not a file of
        this project). Every path tried is recorded, found or not."""
        roots = self.search_roots(importer)
        key = (dotted, roots)
        if key not in self._found:
            tried: list[str] = []
            found = None
            relative = os.path.join(*dotted.split(".")) if dotted else ""
            for root in roots if relative else ():
                for candidate in (os.path.join(root, relative + ".py"), os.path.join(root, relative, "__init__.py")):
                    tried.append(candidate)
                    if self._is_module_file(candidate):
                        found = candidate
                        break
                if found:
                    break
            self._found[key] = (found, tuple(tried))
        found, tried = self._found[key]
        for path in tried:
            self._record(path)
        return found

    def _is_module_file(self, path: str) -> bool:
        if path in self.overrides:
            return True
        return os.path.isfile(path) and self.inside_root(path)

    def summary(self, path: str) -> ModuleSummary | None:
        """The summary of the module at `path` (canonical), parsed at most once per process.
        A module that cannot be read is None; one that does not parse is a summary whose
        `error` says why."""
        path = canonical(path)
        self._record(path)
        if path not in self._summaries:
            self._summaries[path] = self._load(path)
            self._kept_bytes += self._sizes.get(path, 0)
        else:
            self._summaries.move_to_end(path)
        return self._summaries[path]

    def _load(self, path: str) -> ModuleSummary | None:
        try:
            if path in self.overrides:
                data = self.overrides[path].encode("utf-8", "surrogatepass")
            else:
                with open(path, "rb") as handle:
                    data = handle.read(self.max_module_bytes + 1)
        except OSError:
            return None
        name, package = module_name_for(path)
        digest = file_hash(data)
        if len(data) > self.max_module_bytes:
            return ModuleSummary(path, name, package, digest, error="too large to read as an imported module")
        self._sizes[path] = len(data)
        if self.store is not None:
            cached = self.store.get(digest, name, package, path)
            if cached is not None:
                return cached
        summary = build_summary(data, path=path, name=name, package=package, content_hash=digest, bodies=self.bodies)
        self.parsed += 1
        if self.store is not None:
            self.store.put(summary)
        return summary

    def module_may_call_sdk(self, qualified: str, importer: ModuleSummary | None) -> bool:
        """Whether the project module a qualified name lives in spells an SDK call, from its
        bytes (cheap: no parse), for deciding whether resolving a call into it can pay."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            path = self.find_module(".".join(parts[:cut]), importer)
            if path is not None:
                return self.path_may_call_sdk(path)
        return False

    def path_may_call_sdk(self, path: str) -> bool:
        """Whether a module's bytes spell a call an SDK is made with (its client may come
        from another project module, so no SDK import is required)."""
        if path not in self._may_call:
            from promptlint.prefilter import has_call_shape

            self._may_call[path] = has_call_shape(self._bytes(path))
        return self._may_call[path]

    def _bytes(self, path: str) -> bytes:
        if path in self.overrides:
            return self.overrides[path].encode("utf-8", "surrogatepass")
        try:
            with open(path, "rb") as handle:
                return handle.read(self.max_module_bytes)
        except OSError:
            return b""

    def module(self, dotted: str, importer: ModuleSummary | None) -> ModuleSummary | None:
        path = self.find_module(dotted, importer)
        return self.summary(path) if path is not None else None

    # ------------------------------------------------------------------ names

    def lookup(self, qualified: str, importer: ModuleSummary | None) -> Symbol | None:
        """What `pkg.mod.NAME` (or `pkg.mod.Class.attr`) refers to, following re-exports.

        None means unknown: a name the module does not define, a cycle, too many hops, or a
        module that does not parse. A name outside the project is `Symbol("external")`.
        """
        key = f"{qualified}@{importer.path if importer is not None else ''}"
        if key in self._symbols:
            symbol, touched = self._symbols[key]
            for path in touched:
                self._record(path)
            return symbol
        before = set(self._recorded)
        symbol = self._lookup(qualified, importer)
        self._symbols[key] = (symbol, tuple(path for path in self._recorded if path not in before))
        return symbol

    def _lookup(self, qualified: str, importer: ModuleSummary | None) -> Symbol | None:
        pending = [(qualified, importer)]
        seen: set[tuple[str, str]] = set()
        steps = 0
        while pending:
            qualified, importer = pending.pop()
            steps += 1
            if steps > MAX_LOOKUP_STEPS:
                return None
            parts = qualified.split(".")
            module = None
            cut = 0
            for cut in range(len(parts), 0, -1):
                module = self.module(".".join(parts[:cut]), importer)
                if module is not None:
                    break
            if module is None:
                return Symbol("external", external=qualified)
            rest = parts[cut:]
            if not rest:
                return Symbol("module", module)
            if module.error is not None:
                return None
            head = rest[0]
            marker = (module.path, ".".join(rest))
            if marker in seen:
                return None  # a re-export cycle
            seen.add(marker)
            if head in module.classes:
                if len(rest) == 1:
                    return Symbol("class", module, head)
                attribute = f"{head}.{rest[1]}"
                if len(rest) == 2 and attribute in module.functions:
                    return Symbol("function", module, attribute)
                if len(rest) == 2 and rest[1] in module.classes[head].attributes:
                    return Symbol("attribute", module, attribute)
                nested = ".".join(rest[:2])
                if nested in module.classes:
                    rest = [nested, *rest[2:]]
                    if len(rest) == 1:
                        return Symbol("class", module, nested)
                return None
            if head in module.functions and len(rest) == 1 and _last_binding_kind(module, head) in (None, "def"):
                return Symbol("function", module, head)
            if head in module.bindings and len(rest) == 1:
                return Symbol("binding", module, head)
            if head in module.imports:
                target = module.imports[head]
                pending.append((".".join([target, *rest[1:]]), module))
                continue
            for star in reversed(module.star_imports):
                pending.append((".".join([star, *rest]), module))
            # Nothing found here: the star imports (pushed last) are tried next.
        return None

    # ------------------------------------------------------------------ files

    def inside_root(self, path: str) -> bool:
        """Whether `path` is part of the project: its real path lies inside the project root,
        or inside a directory symlinked into the project (a tree linked in is walked by
        discovery too). A symlinked *file* pointing outside (to /etc/passwd) is not: nothing
        outside the project is ever read."""
        real = os.path.realpath(path)
        if _under(real, self.real_root):
            return True
        written = canonical(path)
        if not _under(written, self.root):
            return False
        current = os.path.dirname(written)
        while _under(current, self.root) and current != self.root:
            if os.path.islink(current) and _under(real, os.path.realpath(current)):
                return True
            current = os.path.dirname(current)
        return False

    def read_text_file(self, path: str) -> str | None:
        """The text of a prompt file inside the project (None: outside, missing, binary, huge),
        recorded as a dependency either way."""
        path = canonical(path)
        self._record(path)
        if path in self.overrides:
            return self.overrides[path]
        if not self.inside_root(path):
            return None
        try:
            if not os.path.isfile(path):
                return None
            with open(path, "rb") as handle:
                data = handle.read(MAX_PROMPT_FILE_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_PROMPT_FILE_BYTES or b"\x00" in data:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def lines(self, path: str) -> Lines | None:
        """The source lines of a module, for quoting an expression's text."""
        if path in self._texts:
            self._texts.move_to_end(path)
            return self._texts[path]
        try:
            if path in self.overrides:
                text = self.overrides[path]
            else:
                with open(path, "rb") as handle:
                    text = decode_source(handle.read())
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
            return None
        lines = Lines(text)
        self._texts[path] = lines
        while len(self._texts) > MAX_KEPT_TEXTS:
            self._texts.popitem(last=False)
        return lines

    def keep_lines(self, path: str, lines: Lines) -> None:
        self._texts[path] = lines


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _last_binding_kind(module: ModuleSummary, name: str) -> str | None:
    bindings = module.bindings.get(name)
    return bindings[-1].kind if bindings else None


def build_summary(data: bytes, *, path: str, name: str, package: str, content_hash: str, bodies: bool = True) -> ModuleSummary:
    """Parse and summarize one module's bytes (`bodies`: see `ProjectIndex`); failures
    become a summary with `error`."""
    try:
        text = decode_source(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        return ModuleSummary(path, name, package, content_hash, error=f"cannot decode: {error}")
    try:
        tree = parse_source(text, path)
    except SyntaxError as error:
        rewritten = compat.blank_fstring_fields(text) if compat.is_fstring_error(error) else None
        if rewritten is not None:
            try:
                return summarize(parse_source(rewritten, path), rewritten, path=path, name=name, package=package, content_hash=content_hash, bodies=bodies)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
        return ModuleSummary(
            path, name, package, content_hash,
            error=f"syntax error: {error.msg}", error_line=error.lineno, error_column=error.offset,
        )
    except ValueError as error:  # "source code string cannot contain null bytes" (3.11)
        return ModuleSummary(path, name, package, content_hash, error=f"syntax error: {error}")
    except (RecursionError, MemoryError):
        return ModuleSummary(
            path, name, package, content_hash,
            error="too deeply nested to analyse (Python's own parser refuses it too)",
        )
    return summarize(tree, text, path=path, name=name, package=package, content_hash=content_hash, bodies=bodies)
