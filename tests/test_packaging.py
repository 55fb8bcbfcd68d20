# SPDX-License-Identifier: MIT
"""Packaging: both an editable install and a built wheel find the `rules/` data.

The checkout keeps the data in top-level `rules/`; the wheel ships it as
`promptlint/_rules`. The wheel is built offline (`python -m build --no-isolation`, with the
hatchling of this environment), unpacked, and imported from the unpacked tree in a fresh
interpreter, so the data it finds is the wheel's own and not the checkout's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import promptlint
from promptlint import data

CHECKOUT = Path(__file__).resolve().parent.parent
RULES = CHECKOUT / "rules"
PROBE = (
    "import json, promptlint, promptlint.data as d;"
    "print(json.dumps({'package': promptlint.__file__, 'rules': str(d.rules_dir()),"
    " 'models': len(d.load_yaml('models.yaml') or {}),"
    " 'lexicons': sorted(p.name for p in (d.rules_dir() / 'lexicons').iterdir())}))"
)


def data_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def probe(cwd: Path, pythonpath: Path | None = None) -> dict:
    """What a fresh interpreter started in `cwd` imports and which rules/ it reads."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_editable_install_reads_the_checkout_rules(tmp_path: Path) -> None:
    distribution = metadata.distribution("promptlint-static")
    direct_url = json.loads(distribution.read_text("direct_url.json") or "{}")
    if not direct_url.get("dir_info", {}).get("editable"):
        pytest.skip("promptlint is not installed editable here")
    found = probe(tmp_path)  # started elsewhere: the checkout is found through the install
    assert Path(found["package"]).resolve().parent == CHECKOUT / "promptlint"
    assert Path(found["rules"]).resolve() == RULES
    assert found["models"] > 0
    assert found["lexicons"] == sorted(p.name for p in (RULES / "lexicons").iterdir())


def test_in_process_data_dir_is_the_checkout() -> None:
    assert Path(promptlint.__file__).resolve().parent == CHECKOUT / "promptlint"
    assert data.rules_dir().resolve() == RULES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    completed = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(CHECKOUT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0 and "No module named build" in completed.stderr:
        pytest.skip("the `build` package (test extra) is not installed")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (built,) = outdir.glob("promptlint_static-*.whl")
    return built


def test_wheel_contains_the_rules_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {name.removeprefix("promptlint/_rules/") for name in names if name.startswith("promptlint/_rules/")}
    assert "models.yaml" in shipped
    assert {name for name in data_files(RULES) if name.startswith("lexicons/")} <= shipped
    assert data_files(RULES) <= shipped  # every data file of the checkout is shipped
    assert not any(name.startswith("rules/") for name in names)  # only under the package
    assert not any(name.startswith("tests/") for name in names)


def test_wheel_finds_its_own_rules(wheel: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    found = probe(tmp_path, pythonpath=unpacked)
    assert Path(found["package"]).resolve().is_relative_to(unpacked.resolve())
    rules = Path(found["rules"]).resolve()
    assert rules == (unpacked / "promptlint" / "_rules").resolve()
    assert not rules.is_relative_to(CHECKOUT)
    assert found["models"] > 0
    assert found["lexicons"] == sorted(p.name for p in (RULES / "lexicons").iterdir())


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert "promptlint = promptlint.cli:run" in text
