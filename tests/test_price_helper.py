# SPDX-License-Identifier: MIT
"""The process that imports genai-prices beside the rules (`price_helper`): it answers
what this process would, and when it cannot (not started, dead, stuck, raising), the
answer comes from this process instead. Forking is what it needs, so these run on Linux."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from test_cli import copy_fixtures, promptlint
from test_cli_conventions import with_sitecustomize

from promptlint import price_helper, pricing
from promptlint.api import available_cpus
from promptlint.price_helper import HelperUnavailable, PriceHelper

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper is forked on Linux only")


@pytest.fixture(autouse=True)
def _no_other_thread() -> None:
    """The helper is forked only while no other thread runs: a test (or plugin) that left
    one running would make these fail for a reason of its own."""
    assert threading.active_count() == 1, f"threads left running: {threading.enumerate()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _nothing() -> None:
    pass


def test_it_answers_from_a_process_of_its_own() -> None:
    with PriceHelper(lambda question: [question[1] * 2, os.getpid()], _nothing) as helper:
        doubled, pid = helper.ask(["double", 21])
        assert doubled == 42
        assert pid != os.getpid() and _alive(pid)
        assert helper.ask(["double", "ab"])[0] == "abab"  # one process for every question
    assert not _alive(pid)  # killed and reaped at the end


def test_an_error_it_raises_makes_it_unavailable() -> None:
    def answer(question: list) -> object:
        raise LookupError(question[0])

    with PriceHelper(answer, _nothing) as helper:
        with pytest.raises(HelperUnavailable):
            helper.ask(["anything"])
        with pytest.raises(HelperUnavailable):  # stopped: never asked again
            helper.ask(["anything"])


def test_a_helper_that_dies_is_unavailable_and_reaped() -> None:
    with PriceHelper(lambda question: os._exit(3), _nothing) as helper:
        pid = helper._pid
        assert pid is not None
        with pytest.raises(HelperUnavailable):
            helper.ask(["die"])
        assert helper._pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # no zombie left


def test_a_stuck_helper_is_given_up_after_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(price_helper, "TIMEOUT", 0.2)
    with PriceHelper(lambda question: None, lambda: time.sleep(60)) as helper:
        pid = helper._pid
        started = time.monotonic()
        with pytest.raises(HelperUnavailable):
            helper.ask(["price"])
        assert time.monotonic() - started < 5
    assert pid is not None and not _alive(pid)


def test_a_helper_stuck_in_the_middle_of_an_answer_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(price_helper, "TIMEOUT", 0.3)
    helper = PriceHelper(lambda question: None, _nothing)
    helper._serve = _stalling  # type: ignore[method-assign]
    with helper:
        assert helper._pid is not None
        started = time.monotonic()
        with pytest.raises(HelperUnavailable):
            helper.ask(["price"])
        assert 0.3 <= time.monotonic() - started < 5


def _stalling(questions: int, answers: int) -> None:
    """A helper that writes the start of an answer line and then stalls."""
    os.read(questions, 1 << 16)
    os.write(answers, b'{"answer": [1')
    time.sleep(60)


def test_stopping_kills_a_helper_still_importing() -> None:
    helper = PriceHelper(lambda question: None, lambda: time.sleep(60))
    helper.start()
    pid = helper._pid
    assert pid is not None
    started = time.monotonic()
    helper.stop()
    assert time.monotonic() - started < 5 and not _alive(pid)


@pytest.mark.parametrize("blocked", [False, True], ids=["sigint-open", "sigint-blocked"])
def test_forking_leaves_the_signal_mask_as_it_was(blocked: bool) -> None:
    # SIGINT is held back across the fork only: afterwards the mask is the caller's again.
    before = signal.pthread_sigmask(signal.SIG_BLOCK if blocked else signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with PriceHelper(lambda question: 1, _nothing) as helper:
            assert helper._pid is not None
            assert (signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())) is blocked
            assert helper.ask(["one"]) == 1
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def test_it_is_not_forked_beside_another_thread() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with PriceHelper(lambda question: 1, _nothing) as helper:
            assert helper._pid is None
            with pytest.raises(HelperUnavailable):
                helper.ask(["price"])
    finally:
        release.set()
        thread.join()


# ----------------------------------------------------------------------------- pricing through it


def test_prices_through_the_helper_are_the_prices_found_here(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime(2026, 6, 1, tzinfo=timezone.utc)
    here = [pricing._genai_prices_lookup(model, None, when) for model in ("gpt-4o", "claude-sonnet-4-5", "no-such-model-x")]
    with PriceHelper(pricing._answer, pricing._import_genai_prices) as helper:
        monkeypatch.setattr(pricing, "_HELPER", helper)
        asked = [pricing._from_genai_prices(model, None, when) for model in ("gpt-4o", "claude-sonnet-4-5", "no-such-model-x")]
        assert helper._pid is not None  # still there: every question was answered
        assert list(helper.ask(["suggestions"])) == list(pricing._suggestion_ids())
    assert asked == here
    assert here[0] is not None and here[2] is None


def test_without_an_answer_the_price_is_found_here(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime(2026, 6, 1, tzinfo=timezone.utc)
    with PriceHelper(lambda question: ["a", "b", "1.0", "2.0", None, None], _nothing) as helper:  # six fields, not prices
        monkeypatch.setattr(pricing, "_HELPER", helper)
        assert pricing._from_genai_prices("gpt-4o", None, when) == pricing._genai_prices_lookup("gpt-4o", None, when)
        assert helper._pid is None  # stopped: never asked again
    with PriceHelper(lambda question: os._exit(1), _nothing) as helper:  # a helper that dies
        monkeypatch.setattr(pricing, "_HELPER", helper)
        assert pricing._from_genai_prices("gpt-4o", None, when) == pricing._genai_prices_lookup("gpt-4o", None, when)


def test_no_helper_once_genai_prices_is_imported_here() -> None:
    pricing.lookup("gpt-4o")  # genai-prices is now imported in this process
    with pricing.imported_beside(True):
        assert pricing._HELPER is None


# ----------------------------------------------------------------------------- the installed command

LOGGING = """
import json, os
from promptlint import price_helper
asked = price_helper.PriceHelper.ask
def ask(self, question, *rest, **options):
    with open(os.environ["ASKED_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(question) + "\\n")
    answer = asked(self, question, *rest, **options)
    with open(os.environ["ASKED_LOG"], "a", encoding="utf-8") as log:
        log.write("answered\\n")
    return answer
price_helper.PriceHelper.ask = ask
"""


@pytest.mark.skipif(available_cpus() < 2, reason="the command starts the helper only with a core to spare")
@pytest.mark.parametrize("helper_fails", [False, True], ids=["helper", "helper-dies-importing"])
def test_the_command_prices_through_the_helper_as_it_does_without(tmp_path: Path, helper_fails: bool) -> None:
    project = copy_fixtures(tmp_path, "plain")
    source = LOGGING + ("from promptlint import pricing\npricing._import_genai_prices = lambda: os._exit(1)\n" if helper_fails else "")
    log = tmp_path / "asked.jsonl"
    env = {**with_sitecustomize(tmp_path, source), "ASKED_LOG": str(log)}
    alone = promptlint("check", "plain", "--no-cache", "-j1", "--output-format", "json", cwd=project, env=env)
    assert not log.exists()  # one job: no helper
    helped = promptlint("check", "plain", "--no-cache", "-j2", "--output-format", "json", cwd=project, env=env)
    assert (alone.code, helped.code) == (1, 1), helped.err
    assert helped.json() == alone.json()
    assert any(finding["cost"]["usd_per_1m_calls"] for finding in alone.json())  # priced findings
    asked = log.read_text(encoding="utf-8")
    assert '"price"' in asked  # the helper was asked ...
    if helper_fails:
        assert "answered" not in asked  # ... found dead, and the prices found here
    else:
        assert "answered" in asked
