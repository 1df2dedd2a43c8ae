"""What the learned-metric plug-ins share about local model files: a checked path, a content hash computed
once per process (keyed by the files' size and modification time), offline loading, and one-line errors
for a missing package or file."""
from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import io
import logging
import os
from pathlib import Path
from typing import Iterable, Iterator

from corpus.errors import InputError

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def require_package(module: str, distribution: str, install: str, metric: str) -> str:
    """The installed version of `distribution`; a one-line InputError naming what to install otherwise."""
    if importlib.util.find_spec(module) is None:
        raise InputError(f"metric {metric} needs {distribution}: pip install {install}")
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise InputError(f"metric {metric} needs {distribution} (the module {module!r} found is another package): "
                         f"pip install {install}") from None


def existing(path: str, what: str, metric: str, *, folder: bool = False) -> Path:
    found = Path(path).expanduser()
    if not (found.is_dir() if folder else found.is_file()):
        raise InputError(f"metric {metric}: {what} not found (give the local path; nothing is downloaded)", str(found))
    return found.resolve()


def files_hash(paths: Iterable[Path], root: Path | None = None) -> str:
    """sha256 over the files' names and contents (pipelines.encoders' model fingerprint), once per process
    for files whose sizes and modification times have not changed."""
    files = tuple(sorted(Path(p) for p in paths))
    stamps = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _hash(stamps, None if root is None else str(root))


@functools.lru_cache(maxsize=64)
def _hash(stamps: tuple, root: str | None) -> str:
    from pipelines.encoders.base import sha256_of_files

    return sha256_of_files([Path(path) for path, _, _ in stamps], None if root is None else Path(root))


def go_offline() -> None:
    """Model hubs are never asked: set before transformers or huggingface_hub read their settings."""
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def quiet(*loggers: str) -> Iterator[None]:
    """Library chatter (Lightning's banners, transformers' warnings) kept off stdout, where --json goes."""
    levels = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
