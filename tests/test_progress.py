"""The progress bar: on a terminal, and only once a run has taken about a second."""

from __future__ import annotations

import io

import pytest

from promptlint import cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_appears_on_a_terminal_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = Terminal()
    monkeypatch.setattr(cli.sys, "stderr", stderr)
    progress = cli._Progress()
    progress(1, 4)
    assert stderr.getvalue() == ""  # a quick run shows nothing
    progress.start -= progress.DELAY + 0.1
    progress(2, 4)
    assert "2/4 files" in stderr.getvalue() and "[===============" in stderr.getvalue()
    progress.close()
    assert stderr.getvalue().endswith("\r")


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", stderr)
    progress = cli._Progress()
    progress.start -= progress.DELAY + 0.1
    progress(2, 4)
    progress.close()
    assert stderr.getvalue() == ""
