"""Session fixtures for the tests that install promptlint as a user does (offline)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from wheelhouse import build_wheelhouse, checkout_as_repository


@pytest.fixture(scope="session")
def offline_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of the test environment's distributions, for `PIP_NO_INDEX`/`PIP_FIND_LINKS`."""
    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))


@pytest.fixture(scope="session")
def checkout_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout, as it is now, committed in a throwaway git repository: (path, SHA)."""
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    return checkout_as_repository(tmp_path_factory.mktemp("promptlint-repository"))
