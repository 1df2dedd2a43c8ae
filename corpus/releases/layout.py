"""Where releases live: CORPUS/releases/VERSION/, built in CORPUS/releases/.tmp-VERSION-xxxx and renamed into place."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

from corpus.releases.errors import ReleaseError
from corpus.releases.semver import Version, is_version

RELEASES_DIR = "releases"
TEMP_PREFIX = ".tmp-"
LOCK_FILE = ".lock"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CARD = "README.md"
CHANGELOG = "CHANGELOG.md"


def releases_root(corpus_path: str | os.PathLike) -> Path:
    return Path(corpus_path) / RELEASES_DIR


def release_versions(root: Path) -> list[Version]:
    """Published releases, oldest first; build leftovers (.tmp-*) and other names are ignored."""
    if not root.is_dir():
        return []
    return sorted(Version.parse(p.name) for p in root.iterdir() if p.is_dir() and is_version(p.name))


def release_dir(root: Path, version: str) -> Path:
    Version.parse(version)  # a version is also a path component: refuse anything else
    directory = root / version
    if not directory.is_dir():
        known = ", ".join(str(v) for v in release_versions(root)) or "none"
        raise ReleaseError(f"no release {version} in {root} (releases: {known})")
    return directory


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ReleaseError(f"{path}: missing (not a Calque release)") from None
    except (OSError, ValueError) as error:
        raise ReleaseError(f"{path}: unreadable manifest ({error})") from None


def fsync_directory(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One release build at a time per corpus; the lock dies with its process, so kill -9 never leaves it held."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"{root}: another release is being built right now") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(root: Path) -> list[str]:
    """Delete half-built releases of killed runs; call only while holding `exclusive(root)`."""
    removed = []
    if root.is_dir():
        for path in root.iterdir():
            if path.name.startswith(TEMP_PREFIX) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    return removed
