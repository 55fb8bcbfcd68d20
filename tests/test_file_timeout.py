"""`file-timeout`: a file whose analysis takes longer than the limit is reported as too slow,
and the run goes on with the other files."""

from __future__ import annotations

import time
from pathlib import Path

from promptlint import engine
from promptlint.analysis import calls
from promptlint.config import load_config

CALL = 'from openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt-4o-mini", messages=[])\n'


def test_a_slow_file_is_reported_and_the_others_are_analysed(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "promptlint.toml").write_text("file-timeout = 0.2\n", encoding="utf-8")
    (tmp_path / "slow.py").write_text(CALL, encoding="utf-8")
    (tmp_path / "good.py").write_text(CALL, encoding="utf-8")
    analyse = calls.analyze_module

    def slow_on_one_file(summary, *args, **kwargs):
        if summary.path.endswith("slow.py"):
            time.sleep(5)  # interrupted by the 0.2 s limit
        return analyse(summary, *args, **kwargs)

    monkeypatch.setattr(calls, "analyze_module", slow_on_one_file)
    started = time.monotonic()
    run = engine.analyze_run([tmp_path], load_config(start=tmp_path), jobs=1, use_cache=False)
    assert time.monotonic() - started < 4
    assert [(Path(e.filename).name, e.reason) for e in run.errors] == [
        ("slow.py", "not analysed: analysis took over 0.2 s (the limit is `file-timeout`)")
    ]
    assert [Path(a.filename).name for a in run.analyses if a.calls] == ["good.py"]


def test_no_limit_with_zero(tmp_path: Path) -> None:
    (tmp_path / "promptlint.toml").write_text("file-timeout = 0\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(CALL, encoding="utf-8")
    config = load_config(start=tmp_path)
    assert config.file_timeout == 0
    run = engine.analyze_run([tmp_path], config, jobs=1, use_cache=False)
    assert not run.errors and [len(a.calls) for a in run.analyses] == [1]
