"""The engine's worker processes: a file read again in a later round goes back to the process
that holds its summary, files new to the run go by folder, and a process with nothing left
of its own takes another's remaining work."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace

import pytest

from promptlint import engine

TASK = engine._Task(
    run="test", root="/", wrappers=(), overrides={}, store=None, timeout=0, wrapper_names=frozenset(), known_wrappers={}
)


def _which_process(path: str) -> tuple[int, str]:
    return os.getpid(), path


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patched worker function reaches the processes by fork")
def test_a_file_read_again_is_queued_for_the_process_that_analysed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_analyze_in_worker", _which_process)
    paths = [f"/project/package{n % 4}/module{n}.py" for n in range(64)]
    with engine._Workers(2) as workers:
        first = workers.run([(paths, TASK)], None, [0], len(paths))[0]
        pids = [next(iter(pool._processes)) for pool in workers._pools]  # one process per pool
        rereading = replace(TASK, only=frozenset({"ask"}))
        queues = workers._queues([(paths[::3], rereading), (paths[1::3], TASK)])
        again = workers.run([(paths[::3], rereading)], None, [0], 0)[0]
    assert [path for _, path in first] == paths  # results in the order asked
    analysed_by = {path: pid for pid, path in first}
    assert set(analysed_by.values()) == set(pids)  # both processes had work
    for worker, queue in enumerate(queues):
        assert all(analysed_by[path] == pids[worker] for _, batch in queue for path in batch)
    assert [path for _, path in again] == paths[::3]


def test_new_files_go_by_folder_to_the_process_with_the_fewest() -> None:
    workers = engine._Workers(2)
    workers._home = {"/p/a/one.py": 1, "/p/a": 1}
    queues = workers._queues([(["/p/a/one.py", "/p/a/two.py", "/p/b/three.py", "/p/c/four.py"], TASK)])
    mine = [[path for _, batch in queue for path in batch] for queue in queues]
    # a/ is process 1's; b/ is new and goes to process 0 (it has none), c/ to whichever has fewer.
    assert "/p/a/one.py" in mine[1] and "/p/a/two.py" in mine[1]
    assert mine[0][0] == "/p/b/three.py"
    assert sorted(mine[0] + mine[1]) == sorted(["/p/a/one.py", "/p/a/two.py", "/p/b/three.py", "/p/c/four.py"])


def test_a_process_with_nothing_left_takes_the_last_batch_of_the_longest_queue() -> None:
    queues = [[], [(0, ["a"]), (0, ["b"])], [(0, ["c"]), (0, ["d"]), (1, ["e"])]]
    assert engine._next_batch(queues, 1) == (0, ["a"])  # its own first
    assert engine._next_batch(queues, 0) == (1, ["e"])  # then the far end of the longest
    assert queues == [[], [(0, ["b"])], [(0, ["c"]), (0, ["d"])]]
    assert engine._next_batch([[], []], 0) is None
