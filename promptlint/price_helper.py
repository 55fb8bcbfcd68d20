# SPDX-License-Identifier: MIT
"""genai-prices imported in a process of its own, beside the rules.

Importing genai-prices costs about 0.15 s. A run that needs it needs it in the middle of
its rules, usually just after building the tokenizer (about 0.2 s), and the two ran one
after the other on one core while the other core sat idle: 0.3–0.4 s of the rules phase
of deepeval, ragas and babyagi. A `PriceHelper` forks a process that imports genai-prices
at once and answers `pricing`'s questions over a pipe (one JSON line each way), while this
process goes on running the rules.

It is never needed for an answer. It is started only where forking is safe (Linux, no
other thread running: a child forked beside threads can deadlock on a lock one of them
held); when it cannot start, dies, answers with an error or takes longer than `TIMEOUT`,
it is stopped and the question is answered in this process, as without it. It lives
for one lint run, and is killed at its end whether it was asked or not.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

#: Seconds to wait for one answer, the import included.
TIMEOUT = 10.0


class HelperUnavailable(Exception):
    """The helper gave no usable answer: ask in this process."""


class PriceHelper:
    """A forked process that imports genai-prices and answers questions with `answer`."""

    def __init__(self, answer: Callable[[list], object], warm_up: Callable[[], object]) -> None:
        self._answer = answer
        self._warm_up = warm_up
        self._pid: int | None = None
        self._to: int | None = None  # the pipe this process writes questions to
        self._from: int | None = None  # the pipe answers are read from

    def start(self) -> None:
        """Fork the helper, where that is safe; otherwise it stays unavailable."""
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            return
        questions_read, questions_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # A Ctrl-C is held back across the fork: raised in the child before its `try`, it
        # would return into this process's code as a second copy of the run.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # the mask before
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            for fd in (questions_read, questions_write, answers_read, answers_write):
                os.close(fd)
            return
        if pid == 0:  # the helper: never returns, whatever happens
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # a Ctrl-C ends it at once
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(questions_write)
                os.close(answers_read)
                self._serve(questions_read, answers_write)
                status = 0
            finally:
                os._exit(status)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(questions_read)
        os.close(answers_write)
        self._pid, self._to, self._from = pid, questions_write, answers_read

    def ask(self, question: list, valid: Callable[[object], bool] = lambda answer: True) -> object:
        """The helper's answer to `question`; HelperUnavailable when there is none, or
        when it is not `valid` (not what was asked for)."""
        if self._to is None or self._from is None:
            raise HelperUnavailable
        try:
            os.write(self._to, json.dumps(question).encode() + b"\n")
            line = self._read_line(time.monotonic() + TIMEOUT)
            reply = json.loads(line) if line else None
        except (OSError, ValueError):
            reply = None
        if not (isinstance(reply, dict) and "answer" in reply and valid(reply["answer"])):
            self.stop()  # dead, stuck, an error it raised, or a wrong answer: ask here from now on
            raise HelperUnavailable
        return reply["answer"]

    def _read_line(self, deadline: float) -> bytes:
        """One answer line, or b"" when the helper closes its end or the deadline passes
        first (the whole line is waited for against it, not only its first byte)."""
        assert self._from is not None
        parts: list[bytes] = []
        while not parts or not parts[-1].endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from], [], [], left) if left > 0 else ([], [], [])
            chunk = os.read(self._from, 1 << 16) if ready else b""
            if not chunk:
                return b""
            parts.append(chunk)
        return b"".join(parts)

    def stop(self) -> None:
        """Kill the helper (it may still be importing) and reap it."""
        pid, ends = self._pid, (self._to, self._from)
        self._pid = self._to = self._from = None
        try:
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except OSError:
                    pass  # gone already
        finally:
            for end in ends:
                if end is not None:
                    try:
                        os.close(end)
                    except OSError:
                        pass

    def __enter__(self) -> PriceHelper:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, questions: int, answers: int) -> None:
        """The helper's life: import, then answer each question line until the pipe
        closes. Its caller ends it with `os._exit`, so none of the parent's exit handlers
        and buffered output run twice."""
        self._warm_up()
        with os.fdopen(questions, "rb") as reader, os.fdopen(answers, "wb") as writer:
            for line in reader:
                try:
                    reply = {"answer": self._answer(json.loads(line))}
                except Exception as exc:  # noqa: BLE001 - the parent asks again itself, and sees it raised there
                    reply = {"error": f"{type(exc).__name__}: {exc}"}
                writer.write(json.dumps(reply).encode() + b"\n")
                writer.flush()
