"""`load_release`: a release as a `datasets.DatasetDict` keyed by table name.

`datasets` gives each config of a card one split, so a DatasetDict of configs is not something it
builds by itself; this returns the natural equivalent, one Dataset per table (dd["annotations"]), each
loaded with the packaged Parquet builder (no network). A table without rows becomes an empty Dataset
with the table's features, which `load_dataset` cannot produce from an empty file.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from corpus.releases.layout import read_manifest
from corpus.releases.verify import require_verified


def load_directory(release: Path, tables: list[str] | None = None, verify: bool = True, cache_dir: str | None = None):
    import datasets

    if verify:
        require_verified(release)
    manifest = read_manifest(release)
    loaded = {}
    for name, info in manifest["tables"].items():
        if tables is not None and name not in tables:
            continue
        path = release / info["file"]
        if info["rows"] == 0:
            loaded[name] = datasets.Dataset(pq.read_table(path))
        else:
            loaded[name] = datasets.load_dataset("parquet", data_files={"train": str(path)}, split="train", cache_dir=cache_dir)
    return datasets.DatasetDict(loaded)
