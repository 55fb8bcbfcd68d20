# SPDX-License-Identifier: MIT
"""`[tool.promptlint]` in pyproject.toml (or promptlint.toml) turned into a frozen `Config`.

The loader is strict on purpose: a misspelt key or rule code would otherwise silently turn
a check off, so every unknown key, code or option is an error naming the file and key, and
so is every value of the wrong type, naming the type expected and the one given
("'provider' in [tool.promptlint.wrappers."app.ask"] must be a string (got an array)").

Recognised keys (kebab-case), all optional:

```toml
[tool.promptlint]
select = ["PRM"]                 # "ALL", "PRM" or a prefix of rule codes ("PRM2", "PRM201")
extend-select = []
ignore = ["PRM401"]
exclude = [".venv", "build"]    # gitignore-style patterns relative to the config's
extend-exclude = ["legacy/"]    # directory; `exclude` replaces the defaults
calls-per-month = 1000000
file-timeout = 20                # seconds one file's analysis may take (0: no limit)

[tool.promptlint.per-file-ignores]
"tests/" = ["PRM1"]              # gitignore-style pattern -> selectors

[tool.promptlint.models."my-azure-deployment"]
alias-of = "gpt-4o"              # and/or prices in $ per million tokens:
input = 2.5                      # input, output, cache-read, cache-write

[tool.promptlint.wrappers."myapp.llm.ask"]   # one table per wrapper function
provider = "anthropic"           # openai, anthropic, litellm, google, langchain, pydantic-ai
model = "model_name"             # parameter names; `false` = the wrapper has no such
messages = "messages"            # parameter (defaults: model, messages, system, no prompt)
system = false
prompt = "question"

[tool.promptlint.verbose-system-prompt]      # options of one rule, by rule name
max-tokens = 2000
```

In a `promptlint.toml` the same keys sit at the top level.
"""

from __future__ import annotations

import dataclasses
import functools
import datetime
import hashlib
import json
import math
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

from promptlint.paths import relative_to_root

import tomllib

if TYPE_CHECKING:
    from promptlint.rule import Rule

#: What `exclude` holds unless configured: environments, build output and caches.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "build",
    "dist",
    "__pycache__",
    "site-packages",
    ".promptlint_cache",
    ".tox",
    ".mypy_cache",
    ".ruff_cache",
)

#: The SDK names a wrapper may forward to (`LLMCall.provider` values).
WRAPPER_PROVIDERS = frozenset({"openai", "anthropic", "litellm", "google", "langchain", "pydantic-ai"})

CONFIG_FILENAME = "promptlint.toml"
PYPROJECT_FILENAME = "pyproject.toml"
TABLE = "[tool.promptlint]"
# Seconds one file's analysis may take before it is reported as too slow (`file-timeout`).
DEFAULT_FILE_TIMEOUT = 20.0


class ConfigError(Exception):
    """A configuration that cannot be used; the message is one line naming file and key."""


@dataclass(frozen=True)
class Wrapper:
    """A project function that forwards to an SDK, analysed like an SDK call.

    `function` is its qualified name (`myapp.llm.ask`); the other fields name which of its
    parameters hold the model, the messages and the system prompt; `provider` is the SDK
    it forwards to.
    """

    function: str
    provider: str = "openai"
    model: str | None = "model"
    messages: str | None = "messages"
    system: str | None = "system"
    prompt: str | None = None


@dataclass(frozen=True)
class ModelOverride:
    """`[tool.promptlint.models."<id>"]`: an alias (Azure deployment) or custom prices ($/Mtok)."""

    alias_of: str | None = None
    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the file the configuration came from
    select: tuple[str, ...] = ("PRM",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by rule name
    models: Mapping[str, ModelOverride] = field(default_factory=dict)
    wrappers: tuple[Wrapper, ...] = ()
    calls_per_month: int | None = None
    file_timeout: float = DEFAULT_FILE_TIMEOUT


# --------------------------------------------------------------------------- finding


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The configuration for a run.

    `path` is an explicit `--config` file: a pyproject.toml (which must hold
    `[tool.promptlint]`) or any other TOML file whose top level is the table. Without it,
    the nearest `promptlint.toml`, or `pyproject.toml` holding `[tool.promptlint]`, in
    `start` or one of its parents is used (promptlint.toml wins within one directory);
    with none found, the defaults apply with `root = start`.
    """
    if path is not None:
        path = Path(path)
        document = _read_toml(path)
        if path.name != PYPROJECT_FILENAME:
            return _build(document, path)
        tool = document.get("tool")
        if not isinstance(tool, dict) or "promptlint" not in tool:
            raise ConfigError(f"{_display(path)}: no {TABLE} table")
        return _build(tool["promptlint"], path)

    here = Path(start) if start is not None else Path.cwd()
    here = here.absolute()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return _build(_read_toml(candidate), candidate)
        candidate = directory / PYPROJECT_FILENAME
        if candidate.is_file():
            tool = _read_toml(candidate).get("tool")
            if isinstance(tool, dict) and "promptlint" in tool:
                return _build(tool["promptlint"], candidate)
    return Config(root=here)


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: files.py builds on this module (Config), so it cannot be imported at the top.
    from promptlint.files import read_regular_file

    try:
        text = read_regular_file(path).decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{_display(path)}: not valid UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from None


# --------------------------------------------------------------------------- building


_LIST_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
}
_PATTERN_KEYS = {"exclude": "exclude", "extend-exclude": "extend_exclude"}
_MODEL_KEYS = {
    "alias-of": "alias_of",
    "input": "input",
    "output": "output",
    "cache-read": "cache_read",
    "cache-write": "cache_write",
}
_WRAPPER_PARAMETERS = ("model", "messages", "system", "prompt")


def _build(table: Any, source: Path) -> Config:
    """Validate one `[tool.promptlint]` table into a Config rooted at the file's directory."""
    where = _display(source)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {TABLE} must be a table{_got(table)}")
    values: dict[str, Any] = {"root": source.absolute().parent, "source": source}
    rule_options: dict[str, Mapping[str, Any]] = {}
    for key, value in table.items():
        if key in _LIST_KEYS:
            values[_LIST_KEYS[key]] = _selectors(value, f"'{key}' in {TABLE}", where)
        elif key in _PATTERN_KEYS:
            values[_PATTERN_KEYS[key]] = tuple(_patterns(value, f"'{key}' in {TABLE}", where))
        elif key == "per-file-ignores":
            values["per_file_ignores"] = _per_file_ignores(value, where)
        elif key == "calls-per-month":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{where}: 'calls-per-month' in {TABLE} must be a non-negative integer{_got_number(value)}")
            values["calls_per_month"] = value
        elif key == "file-timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
                raise ConfigError(f"{where}: 'file-timeout' in {TABLE} must be a non-negative number of seconds{_got_number(value)}")
            values["file_timeout"] = float(value)
        elif key == "models":
            values["models"] = _models(value, where)
        elif key == "wrappers":
            values["wrappers"] = _wrappers(value, where)
        else:
            rule = next((rule for rule in _rules() if rule.name == key), None)
            if rule is None:
                raise ConfigError(f"{where}: unknown key '{key}' in {TABLE}")
            rule_options[key] = _rule_options(rule, value, where)
    values["rule_options"] = rule_options
    return Config(**values)


def _rules() -> tuple[type[Rule], ...]:
    """Every rule class, imported when a configuration first names a rule or a rule code:
    loading them all costs more than the rest of a cached run's imports, and a
    configuration that names none needs none."""
    from promptlint.checks import all_rules

    return all_rules()


def _got(value: Any) -> str:
    """" (got an array)": the TOML type of a value of the wrong type, for error messages."""
    return f" (got {_toml_type(value)})"


def _toml_type(value: Any) -> str:
    if isinstance(value, list):
        inner = {_toml_type(item) for item in value}
        return f"an array holding {' and '.join(sorted(inner))}" if inner else "an empty array"
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "a boolean"),  # before int: bool is an int in Python
        (str, "a string"),
        (int, "an integer"),
        (float, "a float"),
        (dict, "a table"),
        ((datetime.datetime, datetime.date, datetime.time), "a date or time"),
    )
    return next((label for kind, label in kinds if isinstance(value, kind)), type(value).__name__)


def _strings(value: Any, what: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {what} must be a list of strings{_got(value)}")
    return value


def _pattern_error(pattern: str) -> str | None:
    """Why a gitignore-style pattern is invalid, or None when it is valid."""
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except Exception as exc:  # noqa: BLE001 - pathspec raises several types (its own, re.error, ValueError)
        return str(exc)
    return None


def _patterns(value: Any, what: str, where: str) -> list[str]:
    """A list of gitignore-style patterns, each one checked (a bad one would fail mid-run)."""
    patterns = _strings(value, what, where)
    for pattern in patterns:
        reason = _pattern_error(pattern)
        if reason is not None:
            raise ConfigError(f"{where}: invalid pattern '{pattern}' in {what}: {reason}")
    return patterns


def _selectors(value: Any, what: str, where: str) -> tuple[str, ...]:
    codes = []
    for code in _strings(value, what, where):
        try:
            codes.append(validate_selector(code, source=what))
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return tuple(codes)


def _per_file_ignores(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    table = "[tool.promptlint.per-file-ignores]"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {table} must be a table of pattern = [codes]{_got(value)}")
    result = {}
    for pattern, codes in value.items():
        reason = _pattern_error(pattern)
        if reason is not None:
            raise ConfigError(f"{where}: invalid pattern '{pattern}' in {table}: {reason}")
        result[pattern] = _selectors(codes, f"'{pattern}' in {table}", where)
    return result


def _models(value: Any, where: str) -> dict[str, ModelOverride]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [tool.promptlint.models] must be a table of model tables{_got(value)}")
    result = {}
    for model, entry in value.items():
        table = f'[tool.promptlint.models."{model}"]'
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: {table} must be a table{_got(entry)}")
        fields: dict[str, Any] = {}
        for key, item in entry.items():
            if key not in _MODEL_KEYS:
                raise ConfigError(f"{where}: unknown key '{key}' in {table}")
            if key == "alias-of":
                if not isinstance(item, str) or not item:
                    raise ConfigError(f"{where}: 'alias-of' in {table} must be a model id string{_got(item)}")
            elif isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item) or item < 0:
                raise ConfigError(
                    f"{where}: '{key}' in {table} must be a non-negative price ($ per million tokens){_got_number(item)}"
                )
            else:
                item = float(item)
            fields[_MODEL_KEYS[key]] = item
        result[model] = ModelOverride(**fields)
    return result


def _wrappers(value: Any, where: str) -> tuple[Wrapper, ...]:
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where}: [tool.promptlint.wrappers] must be a table of "
            f'[tool.promptlint.wrappers."module.function"] tables{_got(value)}'
        )
    result = []
    for function, entry in value.items():
        table = f'[tool.promptlint.wrappers."{function}"]'
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: {table} must be a table{_got(entry)}")
        if "." not in function or not all(part.isidentifier() for part in function.split(".")):
            raise ConfigError(f"{where}: {table} must name a function as 'module.function'")
        fields: dict[str, Any] = {"function": function}
        for key, item in entry.items():
            if key == "provider":
                known = ", ".join(sorted(WRAPPER_PROVIDERS))
                if not isinstance(item, str):
                    raise ConfigError(f"{where}: 'provider' in {table} must be a string, one of: {known}{_got(item)}")
                if item not in WRAPPER_PROVIDERS:
                    raise ConfigError(f"{where}: unknown provider {item!r} in {table} (known: {known})")
                fields["provider"] = item
            elif key in _WRAPPER_PARAMETERS:
                if item is False:
                    fields[key] = None
                elif isinstance(item, str) and item.isidentifier():
                    fields[key] = item
                else:
                    got = "" if isinstance(item, str) else _got(item)
                    raise ConfigError(f"{where}: '{key}' in {table} must be a parameter name or false{got}")
            else:
                raise ConfigError(f"{where}: unknown key '{key}' in {table}")
        result.append(Wrapper(**fields))
    return tuple(result)


def _rule_options(rule: Any, value: Any, where: str) -> dict[str, Any]:
    """Check a rule's option table against its Options dataclass (names and value types)."""
    table = f"[tool.promptlint.{rule.name}]"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {table} must be a table of options{_got(value)}")
    defaults = rule.option_defaults()
    options: dict[str, Any] = {}
    for key, item in value.items():
        if key in defaults:
            item_type = _item_type(rule.Options, key.replace("-", "_"))
            item = _check_option_type(item, defaults[key], f"'{key}' in {table}", where, item_type)
        options[key] = item
    try:
        rule.make_options(options)
    except KeyError as exc:
        raise ConfigError(f"{where}: unknown option {exc} in {table}") from None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: invalid options in {table}: {exc}") from None
    return options


def _item_type(options: type, field_name: str) -> type | None:
    """The item type of a sequence option (`str` for `tuple[str, ...]`), from its annotation."""
    try:
        annotation = typing.get_type_hints(options).get(field_name)
    except Exception:  # noqa: BLE001 - an annotation that does not evaluate: items go unchecked
        return None
    arguments = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
    return arguments[0] if len(arguments) == 1 and arguments[0] in _ITEM_NAMES else None


def _check_option_type(value: Any, default: Any, what: str, where: str, item_type: type | None = None) -> Any:
    """Values must have the type of the option's default (a list's items `item_type`, when
    known); TOML arrays become the default's kind of sequence."""
    if isinstance(default, bool):
        ok, kind = isinstance(value, bool), "true or false"
    elif isinstance(default, int):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif isinstance(default, float):
        ok, kind = _is_number(value) and math.isfinite(value), "a finite number"
        value = float(value) if ok else value
    elif isinstance(default, str):
        ok, kind = isinstance(value, str), "a string"
    elif isinstance(default, (tuple, list, frozenset)):
        if item_type is not None:
            ok = isinstance(value, list) and all(_same_type(item, item_type) for item in value)
            kind = f"a list of {_ITEM_NAMES[item_type]}"
        else:
            ok, kind = isinstance(value, list), "a list"
        value = type(default)(value) if ok else value
    else:
        return value
    if not ok:
        raise ConfigError(f"{where}: {what} must be {kind}{_got_number(value)}")
    return value


_ITEM_NAMES = {str: "strings", int: "integers", float: "numbers", bool: "booleans"}


def _same_type(item: Any, item_type: type) -> bool:
    if item_type is float:
        return _is_number(item) and math.isfinite(item)
    return isinstance(item, item_type) and isinstance(item, bool) == (item_type is bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _got_number(value: Any) -> str:
    """`_got`, but a number is shown as itself: -1, nan or inf is of the right type."""
    return f" (got {value})" if _is_number(value) else _got(value)


# --------------------------------------------------------------------------- selection


def validate_selector(code: str, source: str | None = None) -> str:
    """Return `code` if it selects rules ("ALL", "PRM" or a prefix of a rule code), else raise.

    `source` says where the code was written ("the command line", "'select' in
    [tool.promptlint]") for the error message.
    """
    if code in ("ALL", "PRM"):
        return code
    if code.startswith("PRM") and any(rule.code.startswith(code) for rule in _rules()):
        return code
    raise ConfigError(f"unknown rule code '{code}'" + (f" in {source}" if source else ""))


def with_command_line_selection(
    config: Config, select: tuple[str, ...] = (), extend_select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> Config:
    """`config` with the command line's selectors applied as a layer over the file's, as
    ruff resolves them: a command-line `select` starts the rule set afresh (the file's
    `extend-select` and `ignore` no longer apply); otherwise the file's resolved set is the
    start. Then the layer's selectors apply from the least to the most specific (`ignore`
    after `select` at equal specificity), so `--ignore ALL` turns every rule off and
    `--select PRM201 --ignore PRM2` keeps PRM201. The result names its rules exactly.
    """
    if not (select or extend_select or ignore):
        return config
    codes = [rule.code for rule in _rules()]
    enabled = set() if select else {code for code in codes if is_rule_enabled(config, code)}
    layer = [(_specificity(s), False, s) for s in (*select, *extend_select)]
    layer += [(_specificity(s), True, s) for s in ignore]
    for _, ignoring, selector in sorted(layer):
        matched = {code for code in codes if selector == "ALL" or code.startswith(selector)}
        enabled = enabled - matched if ignoring else enabled | matched
    return dataclasses.replace(config, select=tuple(sorted(enabled)), extend_select=(), ignore=())


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _best_match(code: str, selectors: tuple[str, ...]) -> int:
    """The specificity of the most specific selector matching `code`, or -1 for none."""
    return max(
        (_specificity(s) for s in selectors if s == "ALL" or code.startswith(s)),
        default=-1,
    )


def is_rule_enabled(config: Config, code: str, filename: str | os.PathLike[str] | None = None) -> bool:
    """Whether rule `code` runs (on `filename`, when given), with ruff's semantics.

    The most specific matching selector among select/extend-select and ignore decides; at
    equal specificity ignore wins. A per-file-ignores entry whose pattern matches the file
    (relative to `config.root`, gitignore-style) and whose selector matches the code turns
    the rule off for that file regardless.
    """
    selected = _best_match(code, config.select + config.extend_select)
    if selected < 0 or selected <= _best_match(code, config.ignore):
        return False
    if filename is None or not config.per_file_ignores:
        return True
    relative = relative_to_root(filename, config.root)
    for pattern, selectors in config.per_file_ignores.items():
        if _best_match(code, selectors) >= 0 and _pattern(pattern).match_file(relative):
            return False
    return True


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines([pattern])


# --------------------------------------------------------------------------- caching


def config_fingerprint(config: Config) -> str:
    """A stable hash of everything in `config` that can change results (not where it came from)."""
    payload = {f.name: _plain(getattr(config, f.name)) for f in dataclasses.fields(config) if f.name != "source"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _plain(value: Any) -> Any:
    """`value` as JSON-ready data with a deterministic order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    return value
