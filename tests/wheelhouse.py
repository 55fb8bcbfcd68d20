"""Offline installs for the tests that install promptlint the way a user does (pre-commit's
hook environment, the GitHub Action's install step): a wheelhouse repacked from the
distributions installed in the test environment, and a copy of this checkout as a git
repository.

pip is pointed at the wheelhouse with `PIP_NO_INDEX` and `PIP_FIND_LINKS` (and reads no
pip configuration of the machine), so it builds and installs promptlint from source with
exactly the dependencies the tests run with, and never opens a socket. No package offers
"a wheel from an installed distribution", so `repack` does it: an installed distribution's
files (its RECORD) and its `.dist-info` (whose WHEEL file keeps the original wheel's tag)
are what its wheel held.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sysconfig
import zipfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
# Dist-info files the installer wrote, not the wheel.
_INSTALLER_FILES = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _tag_set(tags: list[str]) -> str:
    """The wheel's tags as a file name writes them: `py2.py3-none-any` for py2-none-any and
    py3-none-any."""
    if not tags:
        return "py3-none-any"
    parts = [tag.split("-") for tag in tags]
    return "-".join(".".join(dict.fromkeys(part[i] for part in parts)) for i in range(3))


def repack(distribution: importlib.metadata.Distribution, target: Path) -> Path | None:
    """`distribution` as a wheel in `target`; None if it was not installed from a wheel."""
    info = Path(str(distribution._path))  # type: ignore[attr-defined]  # its .dist-info folder
    wheel_file = info / "WHEEL"
    if not wheel_file.is_file():
        return None
    tags = [line.split(":", 1)[1].strip() for line in wheel_file.read_text().splitlines() if line.startswith("Tag:")]
    site = info.parent
    name = distribution.metadata["Name"].replace("-", "_").replace(".", "_")
    wheel = target / f"{name}-{distribution.version}-{_tag_set(tags)}.whl"
    records = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in distribution.files or ():
            relative = entry.as_posix()
            path = site / entry
            if relative.startswith("..") or "__pycache__" in entry.parts or not path.is_file():
                continue  # scripts (pip writes them again) and bytecode
            if path.parent == info and path.name in _INSTALLER_FILES:
                continue
            data = path.read_bytes()
            archive.writestr(relative, data)
            records.append(f"{relative},{_record_hash(data)},{len(data)}")
        record = f"{info.name}/RECORD"
        archive.writestr(record, "\n".join([*records, f"{record},,"]) + "\n")
    return wheel


def build_wheelhouse(target: Path) -> Path:
    """Wheels of every distribution of this environment but promptlint's own install."""
    target.mkdir(parents=True, exist_ok=True)
    site = sysconfig.get_paths()["purelib"]
    for distribution in importlib.metadata.distributions(path=[site]):
        direct_url = json.loads(distribution.read_text("direct_url.json") or "{}")
        if direct_url.get("dir_info", {}).get("editable") or distribution.metadata["Name"] == "promptlint-static":
            continue
        repack(distribution, target)
    return target


def offline_pip_environment(wheelhouse: Path) -> dict[str, str]:
    """Variables that make any pip (and virtualenv) work from `wheelhouse` alone."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,  # the machine's pip configuration (indexes, caps) is not ours
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
    }


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "promptlint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "promptlint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def git(*args: str, cwd: Path) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_IDENTITY}, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def copy_checkout(target: Path) -> Path:
    """The checkout's files as they are now (committed or not, but not ignored), in `target`."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=CHECKOUT)
    for name in filter(None, listed.split("\0")):
        source = CHECKOUT / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target


def checkout_as_repository(target: Path) -> tuple[Path, str]:
    """`copy_checkout` committed in a fresh git repository: (its path, the commit SHA)."""
    copy_checkout(target)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "promptlint as tested", cwd=target)
    return target, git("rev-parse", "HEAD", cwd=target).strip()
