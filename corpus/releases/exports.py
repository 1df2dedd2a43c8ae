"""Files for other tools, gzipped, written into a release (exports/) from the release's own Parquet data."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyarrow as pa

from corpus import __version__

from corpus.formats.aligned_pairs import gzip_stream, one_to_one_pairs, tables_from_release
from corpus.formats.moses import write_moses
from corpus.formats.tmx import write_tmx

EXPORTS_DIR = "exports"
GZIP_LEVEL = 1  # exports are several times the size of the Parquet data; level 1 gets most of the saving at a fraction of the time


def _tmx(pairs: pa.Table, directory: Path) -> list[Path]:
    if pairs.num_rows == 0:
        return []
    path = directory / "corpus.tmx.gz"
    with open(path, "wb") as raw, gzip_stream(raw, GZIP_LEVEL) as stream:
        write_tmx(stream, pairs, __version__)
    return [path]


def _moses(pairs: pa.Table, directory: Path) -> list[Path]:
    moses = directory / "moses"
    moses.mkdir(exist_ok=True)
    written = write_moses(pairs, moses, "corpus", GZIP_LEVEL)
    if not written:
        moses.rmdir()
    return [Path(w[role]) for w in written for role in ("source", "target", "docids")]


RELEASE_EXPORTS: dict[str, Callable[[pa.Table, Path], list[Path]]] = {"tmx": _tmx, "moses": _moses}


def write_exports(release: Path, names: list[str] | None = None) -> list[str]:
    """Write the named exports (default: all) under release/exports/; returns the files relative to release."""
    names = list(RELEASE_EXPORTS) if names is None else names
    if not names:
        return []
    directory = release / EXPORTS_DIR
    directory.mkdir(exist_ok=True)
    pairs = one_to_one_pairs(tables_from_release(release))
    written: list[Path] = []
    for name in names:
        written += RELEASE_EXPORTS[name](pairs, directory)
    if not written:
        directory.rmdir()
    return [p.relative_to(release).as_posix() for p in written]
