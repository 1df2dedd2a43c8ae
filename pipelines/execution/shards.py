"""Shards: contiguous ranges of segments (or lists of documents) that one task handles, and a directory
of their outputs as Parquet files, each written once (temp file, then rename), so that a retried or
duplicated task replaces a file with identical content instead of adding rows, and an interrupted run
can resume from the files already there.

A shard file says what it holds: its Parquet footer carries a header (HEADER_KEY) with the key the file
is named by, what the shard holds (for instance a system and its row range), its row count and its
columns. Reading checks the file against that header, so a truncated, empty or garbage file, one with
rows or columns gone, or another shard's file copied under this name is a BadShard, never a result."""
from __future__ import annotations

import json
import math
import os
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

HEADER_KEY = b"calque.shard"


class BadShard(ValueError):
    """A shard file that cannot be read, or does not hold what its name says."""


class ShardWarning(UserWarning):
    """A kept shard a resumed run could not use and computes again."""

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
    """A directory of shard outputs, one Parquet file per shard key. `warn` receives one line for each
    file a resumed run cannot use (default: a Python warning)."""

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self._warn = warn

    def warn(self, line: str) -> None:
        if self._warn is not None:
            self._warn(line)
        else:
            warnings.warn(line, ShardWarning, stacklevel=3)

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.parquet"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def keys(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.parquet")) if self.directory.is_dir() else []

    def write(self, key: str, columns: dict[str, Any], holds: Any = None) -> Path:
        """Write a shard's columns as `key`, with a header naming the key, `holds` (JSON) and its shape."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.directory.mkdir(parents=True, exist_ok=True)
        table = pa.table({name: _column(value) for name, value in columns.items()})
        header = {"key": key, "holds": holds, "rows": table.num_rows, "columns": table.column_names}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), HEADER_KEY: json.dumps(header).encode()})
        final = self.path(key)
        temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
        try:
            pq.write_table(table, temporary)
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
        return final

    def header(self, key: str) -> dict[str, Any]:
        """The header of the shard file `key` (read from its footer only); BadShard when the file is
        unreadable, has no header, or names another key."""
        import pyarrow.parquet as pq

        try:
            metadata = pq.read_schema(self.path(key)).metadata or {}
        except (OSError, ValueError, TypeError) as problem:  # pyarrow's errors are OSError or ValueError
            raise BadShard(f"unreadable ({_first_line(problem)})") from None
        try:
            header = json.loads(metadata[HEADER_KEY])
        except (KeyError, ValueError):
            raise BadShard("it carries no Calque shard header") from None
        if not isinstance(header, dict) or header.get("key") != key:
            found = header.get("key") if isinstance(header, dict) else None
            raise BadShard(f"it holds shard {found!r}, not the one it is named after")
        return header

    def _table(self, key: str):
        import pyarrow.parquet as pq

        header = self.header(key)
        try:
            table = pq.read_table(self.path(key))
        except (OSError, ValueError, TypeError) as problem:
            raise BadShard(f"unreadable ({_first_line(problem)})") from None
        if table.num_rows != header.get("rows"):
            raise BadShard(f"it has {table.num_rows} rows, its header says {header.get('rows')}")
        if table.column_names != header.get("columns"):
            raise BadShard(f"its columns {table.column_names} are not the {header.get('columns')} it was written with")
        return table

    def read(self, key: str) -> dict[str, Any]:
        """The shard's columns as arrays (a fixed-size list column as a 2-d array); BadShard as `header`."""
        table = self._table(key)
        return {name: _array(table.column(name)) for name in table.column_names}

    def read_rows(self, key: str) -> list[dict[str, Any]]:
        """The shard's rows as Python values (nulls stay None, list columns lists); BadShard as `header`."""
        return self._table(key).to_pylist()


def _first_line(problem: BaseException) -> str:
    return (str(problem).strip().splitlines() or [type(problem).__name__])[0][:200]


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
