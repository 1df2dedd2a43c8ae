"""Shards: contiguous ranges of segments (or lists of documents) that one task handles, and a directory
of their outputs as Parquet files, each written once (temp file, then rename), so that a retried or
duplicated task replaces a file with identical content instead of adding rows, and an interrupted run
can resume from the files already there."""
from __future__ import annotations

import math
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np

MAX_SHARD_SEGMENTS = 20_000  # bounds one task's memory; large runs get more, not bigger, shards
MIN_SHARD_SEGMENTS = 500  # below this a task's scheduling overhead outweighs its work
SHARDS_PER_SEQUENCE = 8  # enough tasks per system to keep several workers busy


def shard_bounds(n: int, size: int) -> list[tuple[int, int]]:
    """[start, end) ranges of at most `size` items covering 0..n, in order."""
    size = max(1, size)
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def shard_size(n_items: int, limit: int = MAX_SHARD_SEGMENTS, minimum: int = MIN_SHARD_SEGMENTS) -> int:
    """Items per shard of a sequence of n_items: about SHARDS_PER_SEQUENCE shards, each between `minimum`
    and `limit` items. The layout depends on the data only, never on the cluster, so a run resumed on
    another cluster finds the shards an earlier run wrote."""
    return max(1, min(limit, max(minimum, math.ceil(max(1, n_items) / SHARDS_PER_SEQUENCE))))


class ShardStore:
    """A directory of shard outputs, one Parquet file per shard key."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.parquet"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def keys(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.parquet")) if self.directory.is_dir() else []

    def write(self, key: str, columns: dict[str, Any]) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.path(key)
        temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
        try:
            pq.write_table(pa.table({name: _column(value) for name, value in columns.items()}), temporary)
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
        return final

    def read(self, key: str) -> dict[str, Any]:
        import pyarrow.parquet as pq

        table = pq.read_table(self.path(key))
        return {name: _array(table.column(name)) for name in table.column_names}

    def read_rows(self, key: str) -> list[dict[str, Any]]:
        """The shard's rows as Python values (nulls stay None, list columns lists)."""
        import pyarrow.parquet as pq

        return pq.read_table(self.path(key)).to_pylist()


def _column(value: Any):
    """A 2-d array becomes a fixed-size list column (one row per segment); anything else stays as it is."""
    import pyarrow as pa

    if isinstance(value, np.ndarray) and value.ndim == 2:
        return pa.FixedSizeListArray.from_arrays(pa.array(value.reshape(-1)), value.shape[1])
    return value


def _array(column) -> np.ndarray:
    import pyarrow as pa

    chunked = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    if pa.types.is_fixed_size_list(chunked.type):
        width = chunked.type.list_size
        return chunked.flatten().to_numpy(zero_copy_only=False).reshape(-1, width)
    return chunked.to_numpy(zero_copy_only=False)
