# SPDX-License-Identifier: MIT
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from promptlint import config as config_module
from promptlint.config import (
    DEFAULT_EXCLUDES,
    Config,
    ConfigError,
    ModelOverride,
    Wrapper,
    config_fingerprint,
    is_rule_enabled,
    load_config,
    validate_selector,
)
from promptlint.rule import Rule


@dataclass(frozen=True)
class FakeOptions:
    max_tokens: int = 1500
    ratio: float = 0.5
    strict: bool = False
    phrases: tuple[str, ...] = ()


class FakeRule(Rule):
    code = "PRM901"
    name = "fake-rule"
    Options = FakeOptions


class OtherFakeRule(Rule):
    code = "PRM902"
    name = "other-fake-rule"


@pytest.fixture(autouse=True)
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_module, "_rules", lambda: (FakeRule, OtherFakeRule))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- finding


def test_no_configuration_gives_defaults_rooted_at_start(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.root == tmp_path
    assert config.source is None
    assert config.select == ("PRM",)
    assert config.exclude == DEFAULT_EXCLUDES


def test_nearest_pyproject_with_table_is_found_walking_up(tmp_path: Path) -> None:
    source = write(tmp_path / "pyproject.toml", '[tool.promptlint]\nignore = ["PRM901"]\n')
    nested = tmp_path / "src" / "app"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.source == source
    assert config.root == tmp_path
    assert config.ignore == ("PRM901",)


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "promptlint.toml", 'extend-select = ["PRM902"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    config = load_config(start=tmp_path / "pkg")
    assert config.source == tmp_path / "promptlint.toml"
    assert config.extend_select == ("PRM902",)


def test_promptlint_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.promptlint]\nignore = ["PRM901"]\n')
    write(tmp_path / "promptlint.toml", 'ignore = ["PRM902"]\n')
    assert load_config(start=tmp_path).ignore == ("PRM902",)


def test_start_may_be_a_file(tmp_path: Path) -> None:
    write(tmp_path / "promptlint.toml", "calls-per-month = 10\n")
    script = write(tmp_path / "app.py", "")
    assert load_config(start=script).calls_per_month == 10


def test_explicit_promptlint_toml_is_the_table(tmp_path: Path) -> None:
    path = write(tmp_path / "custom.toml", 'select = ["PRM9"]\n')
    config = load_config(path)
    assert config.select == ("PRM9",)
    assert config.root == tmp_path


def test_explicit_pyproject_needs_the_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.ruff]\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: no \[tool.promptlint\] table"):
        load_config(path)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml: cannot read"):
        load_config(tmp_path / "missing.toml")


def test_malformed_toml_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "promptlint.toml", 'select = ["PRM"]\nignore = [\n"PRM901"\nbad line\n')
    with pytest.raises(ConfigError) as error:
        load_config(start=tmp_path)
    message = str(error.value)
    assert message.startswith("promptlint.toml: invalid TOML")
    assert "line 4" in message
    assert "\n" not in message


def test_invalid_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "promptlint.toml").write_bytes(b"select = ['\xff']\n")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_config(start=tmp_path)


# --------------------------------------------------------------------------- keys


def test_unknown_key_names_key_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "promptlint.toml", 'selct = ["PRM"]\n')
    with pytest.raises(ConfigError) as error:
        load_config(start=tmp_path)
    assert str(error.value) == "promptlint.toml: unknown key 'selct' in [tool.promptlint]"


def test_all_keys(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
[tool.promptlint]
select = ["ALL"]
ignore = ["PRM9"]
extend-select = ["PRM901"]
exclude = ["vendor/"]
extend-exclude = ["legacy/"]
calls-per-month = 2000000

[tool.promptlint.per-file-ignores]
"tests/" = ["PRM902"]

[tool.promptlint.models."my-deployment"]
alias-of = "gpt-4o"
input = 2
cache-read = 0.25

[tool.promptlint.wrappers."myapp.llm.ask"]
provider = "anthropic"
model = "model_name"
system = false
prompt = "question"

[tool.promptlint.fake-rule]
max-tokens = 2000
phrases = ["please"]
""",
    )
    config = load_config(start=tmp_path)
    assert config.select == ("ALL",)
    assert config.ignore == ("PRM9",)
    assert config.extend_select == ("PRM901",)
    assert config.exclude == ("vendor/",)
    assert config.extend_exclude == ("legacy/",)
    assert config.calls_per_month == 2_000_000
    assert config.per_file_ignores == {"tests/": ("PRM902",)}
    assert config.models == {"my-deployment": ModelOverride(alias_of="gpt-4o", input=2.0, cache_read=0.25)}
    assert config.wrappers == (
        Wrapper("myapp.llm.ask", provider="anthropic", model="model_name", system=None, prompt="question"),
    )
    assert config.rule_options == {"fake-rule": {"max-tokens": 2000, "phrases": ("please",)}}
    assert FakeRule.make_options(config.rule_options["fake-rule"]) == FakeOptions(max_tokens=2000, phrases=("please",))


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('select = ["PRM999"]', "unknown rule code 'PRM999' in 'select' in [tool.promptlint]"),
        ('ignore = ["PL101"]', "unknown rule code 'PL101' in 'ignore'"),
        ('extend-select = ["prm901"]', "unknown rule code 'prm901' in 'extend-select'"),
        ('select = "PRM"', "'select' in [tool.promptlint] must be a list of strings"),
        ("exclude = [1]", "'exclude' in [tool.promptlint] must be a list of strings"),
        ("calls-per-month = -1", "'calls-per-month' in [tool.promptlint] must be a non-negative integer"),
        ("calls-per-month = true", "'calls-per-month'"),
        ("file-timeout = -1", "'file-timeout' in [tool.promptlint] must be a non-negative number of seconds"),
        ('file-timeout = "20s"', "'file-timeout' in [tool.promptlint] must be a non-negative number of seconds"),
        ("file-timeout = inf", "'file-timeout'"),
        (
            '[per-file-ignores]\n"tests/" = ["PRM3"]',
            "unknown rule code 'PRM3' in 'tests/' in [tool.promptlint.per-file-ignores]",
        ),
        ('[models."m"]\nprice = 1', "unknown key 'price' in [tool.promptlint.models.\"m\"]"),
        ('[models."m"]\ninput = -1', "'input' in [tool.promptlint.models.\"m\"] must be a non-negative price"),
        ('[models."m"]\nalias-of = 3', "'alias-of'"),
        ('[wrappers."myapp.ask"]\nprovider = "acme"', "unknown provider 'acme'"),
        ('[wrappers."myapp.ask"]\nmodell = "m"', "unknown key 'modell' in [tool.promptlint.wrappers.\"myapp.ask\"]"),
        (
            '[wrappers."myapp.ask"]\nmodel = true',
            "'model' in [tool.promptlint.wrappers.\"myapp.ask\"] must be a parameter name or false",
        ),
        ('[wrappers."ask"]\nmodel = "m"', "must name a function as 'module.function'"),
        ("[[wrappers]]\nfunction = 'a.b'", "[tool.promptlint.wrappers] must be a table"),
        ("[fake-rule]\nmax-tokenz = 3", "unknown option 'max-tokenz' in [tool.promptlint.fake-rule]"),
        ('[fake-rule]\nmax-tokens = "many"', "'max-tokens' in [tool.promptlint.fake-rule] must be an integer"),
        ("[fake-rule]\nstrict = 1", "'strict' in [tool.promptlint.fake-rule] must be true or false"),
        ("[other-fake-rule]\nanything = 1", "unknown option 'anything' in [tool.promptlint.other-fake-rule]"),
        ("[no-such-rule]\nmax-tokens = 1", "unknown key 'no-such-rule' in [tool.promptlint]"),
        # Values of the wrong type name the type expected and the one given.
        ('[wrappers."app.ask"]\nprovider = ["openai"]', "'provider' in [tool.promptlint.wrappers.\"app.ask\"] must be a string, one of: anthropic"),
        ('[wrappers."app.ask"]\nprovider = ["openai"]', "(got an array holding a string)"),
        ("select = [1]", "must be a list of strings (got an array holding an integer)"),
        ('[models."m"]\ninput = nan', "must be a non-negative price ($ per million tokens) (got nan)"),
        ('[models."m"]\noutput = inf', "(got inf)"),
        ("[fake-rule]\nratio = nan", "'ratio' in [tool.promptlint.fake-rule] must be a finite number (got nan)"),
        ('[fake-rule]\nphrases = ["a", 2]', "'phrases' in [tool.promptlint.fake-rule] must be a list of strings (got an array holding a string and an integer)"),
        ("calls-per-month = 1979-05-27", "must be a non-negative integer (got a date or time)"),
        ('exclude = ["!"]', "invalid pattern '!' in 'exclude' in [tool.promptlint]"),
        ('extend-exclude = ["[z-a]"]', "invalid pattern '[z-a]' in 'extend-exclude' in [tool.promptlint]"),
    ],
)
def test_invalid_values_are_errors_naming_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "promptlint.toml", toml + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(start=tmp_path)
    assert str(error.value).startswith("promptlint.toml: ")
    assert message in str(error.value)


def test_integer_option_accepted_for_float(tmp_path: Path) -> None:
    write(tmp_path / "promptlint.toml", "[fake-rule]\nratio = 1\n")
    options = load_config(start=tmp_path).rule_options["fake-rule"]
    assert options == {"ratio": 1.0}
    assert isinstance(options["ratio"], float)


# --------------------------------------------------------------------------- selection


@pytest.mark.parametrize("code", ["ALL", "PRM", "PRM9", "PRM90", "PRM901", "PRM902"])
def test_valid_selectors(code: str) -> None:
    assert validate_selector(code) == code


@pytest.mark.parametrize("code", ["PRM1", "PRM903", "PRM9011", "PR", "P", "", "all", "E501"])
def test_invalid_selectors(code: str) -> None:
    with pytest.raises(ConfigError, match="unknown rule code"):
        validate_selector(code)


def test_invalid_selector_names_its_source() -> None:
    with pytest.raises(ConfigError) as error:
        validate_selector("PRM7", source="the command line")
    assert str(error.value) == "unknown rule code 'PRM7' in the command line"


def test_default_selection_enables_every_rule() -> None:
    assert is_rule_enabled(Config(), "PRM901")


def test_most_specific_selector_wins() -> None:
    config = Config(select=("PRM",), ignore=("PRM9",), extend_select=("PRM901",))
    assert is_rule_enabled(config, "PRM901")
    assert not is_rule_enabled(config, "PRM902")


def test_more_specific_ignore_beats_select() -> None:
    config = Config(select=("PRM90",), ignore=("PRM902",))
    assert is_rule_enabled(config, "PRM901")
    assert not is_rule_enabled(config, "PRM902")


def test_ignore_wins_at_equal_specificity() -> None:
    assert not is_rule_enabled(Config(select=("PRM901",), ignore=("PRM901",)), "PRM901")


def test_unselected_rule_is_off() -> None:
    config = Config(select=("PRM901",))
    assert not is_rule_enabled(config, "PRM902")


def test_all_selects_and_ignores_everything() -> None:
    assert is_rule_enabled(Config(select=("ALL",)), "PRM902")
    assert not is_rule_enabled(Config(select=("ALL",), ignore=("ALL",)), "PRM902")
    assert is_rule_enabled(Config(select=("PRM",), ignore=("ALL",)), "PRM902")  # PRM is more specific
    assert is_rule_enabled(Config(select=("PRM902",), ignore=("ALL",)), "PRM902")


def test_per_file_ignores_match_paths_relative_to_root(tmp_path: Path) -> None:
    config = Config(root=tmp_path, per_file_ignores={"tests/": ("PRM90",), "scripts/*.py": ("PRM902",)})
    assert not is_rule_enabled(config, "PRM901", str(tmp_path / "tests" / "test_app.py"))
    assert not is_rule_enabled(config, "PRM901", tmp_path / "pkg" / "tests" / "unit.py")
    assert is_rule_enabled(config, "PRM901", str(tmp_path / "src" / "app.py"))
    assert not is_rule_enabled(config, "PRM902", str(tmp_path / "scripts" / "run.py"))
    assert is_rule_enabled(config, "PRM901", str(tmp_path / "scripts" / "run.py"))
    assert is_rule_enabled(config, "PRM901")  # no file: per-file ignores do not apply


def test_per_file_ignores_with_relative_filename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = Config(root=tmp_path, per_file_ignores={"/gen/*.py": ("PRM",)})
    assert not is_rule_enabled(config, "PRM901", "gen/client.py")
    assert is_rule_enabled(config, "PRM901", "src/gen/client.py")  # anchored pattern


# --------------------------------------------------------------------------- fingerprint


def test_fingerprint_is_stable_and_ignores_where_the_config_came_from(tmp_path: Path) -> None:
    first = Config(root=tmp_path, source=tmp_path / "a.toml", per_file_ignores={"a/": ("PRM9",), "b/": ("PRM901",)})
    second = Config(root=tmp_path, source=tmp_path / "b.toml", per_file_ignores={"b/": ("PRM901",), "a/": ("PRM9",)})
    assert config_fingerprint(first) == config_fingerprint(second)


@pytest.mark.parametrize(
    "change",
    [
        {"select": ("PRM9",)},
        {"models": {"m": ModelOverride(input=1.0)}},
        {"wrappers": (Wrapper("a.b"),)},
        {"rule_options": {"fake-rule": {"max-tokens": 3}}},
        {"calls_per_month": 5},
    ],
)
def test_fingerprint_changes_with_settings(tmp_path: Path, change: dict) -> None:
    base = Config(root=tmp_path)
    assert config_fingerprint(base) != config_fingerprint(Config(root=tmp_path, **change))


# --------------------------------------------------------------------------- value types

# One TOML value of each kind; every key is given each kind it does not accept.
TOML_VALUES = {
    "string": '"text"',
    "integer": "7",
    "float": "1.5",
    "nan": "nan",
    "boolean": "true",
    "integers": "[1]",
    "strings": '["PRM"]',
    "tables": "[{ a = 1 }]",
    "table": "{ a = 1 }",
    "date": "1979-05-27",
}
NUMBER = {"integer", "float"}


def _key_cases() -> list[tuple[str, str, frozenset[str]]]:
    """(table header or "", key, kinds of value it accepts) for every configuration key,
    every rule's options included: adding a key or an option extends this list by itself."""
    from promptlint.checks import all_rules

    cases = [("", key, frozenset({"strings"})) for key in ("select", "ignore", "extend-select", "exclude", "extend-exclude")]
    cases += [
        ("", "calls-per-month", frozenset({"integer"})),
        ("", "per-file-ignores", frozenset({"table"})),
        ("per-file-ignores", '"tests/"', frozenset({"strings"})),
        ("", "models", frozenset({"table"})),
        ("models", '"m"', frozenset({"table"})),
        ('models."m"', "alias-of", frozenset({"string"})),
        *(('models."m"', key, frozenset(NUMBER)) for key in ("input", "output", "cache-read", "cache-write")),
        ("", "wrappers", frozenset({"table"})),
        ("wrappers", '"app.ask"', frozenset({"table"})),
        ('wrappers."app.ask"', "provider", frozenset({"string"})),  # "text" is an unknown provider
        *(('wrappers."app.ask"', key, frozenset({"string"})) for key in ("model", "messages", "system", "prompt")),
    ]
    kinds = {bool: {"boolean"}, int: {"integer"}, float: NUMBER, str: {"string"}}
    for rule in all_rules():
        cases.append(("", rule.name, frozenset({"table"})))
        for option, default in rule.option_defaults().items():
            if isinstance(default, (tuple, list, frozenset)):
                accepted = {"strings"} if all(isinstance(item, str) for item in default) else {"strings", "integers"}
            else:
                accepted = kinds[type(default)]
            cases.append((rule.name, option, frozenset(accepted)))
    return cases


WRONG_TYPES = [
    pytest.param(header, key, kind, id=f"{header or '.'}:{key}={kind}")
    for header, key, accepted in _key_cases()
    for kind in TOML_VALUES
    if kind not in accepted
]


@pytest.mark.parametrize(("header", "key", "kind"), WRONG_TYPES)
def test_every_key_of_the_wrong_type_is_an_error_naming_key_and_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, key: str, kind: str
) -> None:
    from promptlint.checks import all_rules

    monkeypatch.setattr(config_module, "_rules", all_rules)  # the real rules and their options
    monkeypatch.chdir(tmp_path)
    assignment = f"{key} = {TOML_VALUES[kind]}\n"
    write(tmp_path / "promptlint.toml", f"[{header}]\n{assignment}" if header else assignment)
    with pytest.raises(ConfigError) as error:
        load_config(start=tmp_path)
    message = str(error.value)
    assert message.startswith("promptlint.toml: ")
    assert key.strip('"') in message and "must be" in message and "(got " in message, message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_config_that_is_a_named_pipe_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "promptlint.toml")
    with pytest.raises(ConfigError, match=r"promptlint.toml: cannot read: not a regular file \(a named pipe\)"):
        load_config(tmp_path / "promptlint.toml")
