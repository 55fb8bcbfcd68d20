"""Bad input to the installed `promptlint`: each case is one line on stderr that names the
problem (the code, key, file or path), exit code 2, and never a traceback (the `promptlint`
helper asserts that on every run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cli import Run, copy_fixtures, promptlint


def assert_one_line_error(run: Run, *needles: str) -> str:
    assert run.code == 2, (run.code, run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the `plain` fixture project as the working directory."""
    return copy_fixtures(tmp_path, "plain") / "plain"


def _unreadable(path: Path) -> None:
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads whatever the mode says
        path.chmod(0o644)
        pytest.skip("this user can read a file with mode 000")


# ----------------------------------------------------------------------------- rule codes


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_rule_code_on_the_command_line(project: Path, option: str) -> None:
    run = promptlint("check", option, "PRM999", cwd=project)
    assert_one_line_error(run, "PRM999", "command line")
    assert run.out == ""


def test_unknown_rule_code_among_known_ones(project: Path) -> None:
    assert_one_line_error(promptlint("check", "--select", "PRM101,PRM42", cwd=project), "PRM42")


@pytest.mark.parametrize(
    "table",
    [
        '[tool.promptlint]\nselect = ["PRM101", "PRM999"]\n',
        '[tool.promptlint]\nignore = ["PRM999"]\n',
        '[tool.promptlint.per-file-ignores]\n"tests/" = ["PRM999"]\n',
    ],
)
def test_unknown_rule_code_in_the_configuration(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(table, encoding="utf-8")
    run = promptlint("check", cwd=project)
    assert_one_line_error(run, "PRM999", "pyproject.toml")
    assert run.out == ""


def test_unknown_rule_for_rule_docs(tmp_path: Path) -> None:
    assert_one_line_error(promptlint("rule", "PRM999", cwd=tmp_path), "PRM999")
    assert_one_line_error(promptlint("rule", "no-such-rule", cwd=tmp_path), "no-such-rule")
    assert_one_line_error(promptlint("rule", cwd=tmp_path), "--all")


# ----------------------------------------------------------------------------- configuration


def test_malformed_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.promptlint\nselect = ["PRM1"]\n', encoding="utf-8")
    assert_one_line_error(promptlint("check", cwd=project), "pyproject.toml", "TOML")


def test_configuration_that_is_not_utf8(project: Path) -> None:
    (project / "promptlint.toml").write_bytes(b'select = ["PRM1"]  # \xff\xfe\n')
    assert_one_line_error(promptlint("check", cwd=project), "promptlint.toml", "UTF-8")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('[tool.promptlint]\nselekt = ["PRM1"]\n', "selekt"),
        ('[tool.promptlint.retired-model]\ninclude-deprecatd = false\n', "include-deprecatd"),
        ('[tool.promptlint.models."my-deployment"]\nalias = "gpt-4o"\n', "alias"),
        ('[tool.promptlint.wrappers."app.llm.ask"]\nmodel-arg = "m"\n', "model-arg"),
    ],
)
def test_unknown_configuration_key(project: Path, table: str, key: str) -> None:
    (project / "pyproject.toml").write_text(table, encoding="utf-8")
    assert_one_line_error(promptlint("check", cwd=project), f"'{key}'", "pyproject.toml")


def test_unknown_key_in_an_explicit_config_file(project: Path, tmp_path: Path) -> None:
    config = tmp_path / "ci.toml"
    config.write_text("calls_per_month = 10\n", encoding="utf-8")
    assert_one_line_error(promptlint("check", "--config", str(config), cwd=project), "calls_per_month", "ci.toml")


def test_invalid_configuration_value(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.promptlint]\ncalls-per-month = "lots"\n', encoding="utf-8")
    assert_one_line_error(promptlint("check", cwd=project), "calls-per-month", "pyproject.toml")


def test_config_file_that_does_not_exist(project: Path) -> None:
    assert_one_line_error(promptlint("check", "--config", "missing.toml", cwd=project), "missing.toml")


def test_config_file_that_cannot_be_read(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text('[tool.promptlint]\nselect = ["PRM1"]\n', encoding="utf-8")
    _unreadable(config)
    try:
        assert_one_line_error(promptlint("check", cwd=project), "pyproject.toml", "cannot read")
        assert_one_line_error(promptlint("check", "--config", "pyproject.toml", cwd=project), "pyproject.toml")
    finally:
        config.chmod(0o644)


# ----------------------------------------------------------------------------- paths and files


def test_path_that_does_not_exist(project: Path) -> None:
    line = assert_one_line_error(promptlint("check", "no/such/dir", cwd=project), "no/such/dir")
    assert "No such file or directory" in line


def test_missing_path_next_to_a_real_one_still_checks_the_real_one(project: Path) -> None:
    run = promptlint("check", "app.py", "gone.py", "--output-format", "concise", cwd=project)
    assert_one_line_error(run, "gone.py")
    assert "app.py:" in run.out


def test_source_file_that_cannot_be_read(project: Path) -> None:
    source = project / "app.py"
    _unreadable(source)
    try:
        assert_one_line_error(promptlint("check", "app.py", cwd=project), "app.py", "cannot read")
    finally:
        source.chmod(0o644)


def test_source_file_that_cannot_be_decoded(project: Path) -> None:
    (project / "latin.py").write_bytes(
        b"from openai import OpenAI\n\nOpenAI().chat.completions.create(model='gpt-6-luna', user='Jos\xe9')\n"
    )
    assert_one_line_error(promptlint("check", "latin.py", cwd=project), "latin.py", "decode")


def test_unknown_output_format_is_a_usage_error(project: Path) -> None:
    run = promptlint("check", "--output-format", "xml", cwd=project)
    assert run.code == 2
    assert "xml" in run.err


@pytest.mark.parametrize("other", [["--stdin-filename", "app.py"], ["--diff"]])
def test_add_ignore_with_an_option_that_writes_nothing(project: Path, other: list[str]) -> None:
    source = (project / "app.py").read_bytes()
    run = promptlint("check", "--add-ignore", *other, cwd=project, stdin=source)
    assert_one_line_error(run, "--add-ignore", other[0])
    assert (project / "app.py").read_bytes() == source


def test_add_ignore_on_a_file_that_cannot_be_written(project: Path) -> None:
    source = (project / "app.py").read_bytes()
    project.chmod(0o555)  # no temporary file can be created next to app.py
    try:
        if os.access(project, os.W_OK):
            pytest.skip("this user can write to a directory with mode 555")
        run = promptlint("check", "app.py", "--add-ignore", cwd=project)
        assert run.code == 2
        assert "app.py: error: cannot add ignore comments" in run.err
    finally:
        project.chmod(0o755)
    assert (project / "app.py").read_bytes() == source

# ----------------------------------------------------------------------------- standard input


@pytest.mark.parametrize(
    "data",
    [
        b"x = '\x80\x81'\n",  # not UTF-8, no coding cookie
        b"# -*- coding: klingon -*-\nx = 1\n",  # an encoding Python does not know
        b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",  # a UTF-8 BOM contradicting the cookie
    ],
)
def test_undecodable_standard_input(project: Path, data: bytes) -> None:
    run = promptlint("check", "--stdin-filename", "app.py", cwd=project, stdin=data)
    assert_one_line_error(run, "standard input")
    assert run.out == ""

