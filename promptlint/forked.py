# SPDX-License-Identifier: MIT
"""A piece of work done in a forked child process, its result sent back through a pipe.

For CPU-bound work on what this process already holds (the paths of a run to read and
scan), where a process pool would cost more than it saves: a pool starts threads (after
which forking the analysis workers is unsafe, cpython#90622) and pickles every task. The
child inherits everything, does its work, writes one pickle and ends. Any failure of the
child (it raised, died or was killed) is a `None` result, and the caller does the work
itself: nothing depends on the child but speed.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable


def can_fork() -> bool:
    """Whether forking is safe here: Linux (macOS's system libraries are not fork-safe),
    and no other thread running (one could hold a lock the child then waits on forever)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Child:
    """`work()` run in a forked child; `result()` is what it returned, or None."""

    def __init__(self, work: Callable[[], object]) -> None:
        self._pid: int | None = None
        self._from: int | None = None
        read_end, write_end = os.pipe()
        # A Ctrl-C is held back across the fork: raised in the child before its `try`, it
        # would return into this process's code as a second copy of the run.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns, whatever happens
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # no atexit handlers, no second flush of inherited buffers
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(write_end)
        self._pid, self._from = pid, read_end

    def result(self) -> object | None:
        """What the child's `work()` returned; None if it failed or could not start."""
        if self._pid is None or self._from is None:
            return None
        pid, self._pid = self._pid, None
        try:
            with os.fdopen(self._from, "rb") as source:
                data = source.read()
            _, status = os.waitpid(pid, 0)
            pid = None
            if status != 0 or not data:
                return None
            return pickle.loads(data)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        finally:
            if pid is not None:  # interrupted while waiting: the child goes too
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except OSError:
                    pass
