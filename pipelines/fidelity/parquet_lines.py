"""The segments of one string column of Parquet files, indexed but not held: `ParquetLines` knows the
files and their row counts (from the footers, without reading any text) and reads rows when asked, only
the row groups that hold them. A slice is a smaller `ParquetLines`, so a task carries a description of
its input and the worker that runs it reads its own rows, as with FileLines for text files.

Several files are one sequence, in the order given (part-0000.parquet, part-0001.parquet, …). A null
cell is an error naming the file and row, as a bad line is in a text file.
"""
from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Iterator, Sequence

from corpus.errors import InputError
from pipelines.fidelity.file_lines import LazyLines

Part = tuple[str, int]  # a file and its number of rows
Span = tuple[int, int]  # rows [start, stop) of the parts' concatenation


class ParquetLines(LazyLines):
    """The rows of `column` in `spans` of the concatenation of `parts`, in order: one span for a whole
    column, one per document when a stream is gathered from a release's segments table."""

    def __init__(self, parts: tuple[Part, ...], column: str, spans: tuple[Span, ...] | None = None):
        self.parts, self.column = parts, column
        self.spans = ((0, sum(n for _, n in parts)),) if spans is None else tuple(s for s in spans if s[1] > s[0])
        self.length = sum(stop - start for start, stop in self.spans)

    @classmethod
    def index(cls, paths: Sequence[str | os.PathLike], column: str) -> "ParquetLines":
        """Open each file's footer, checking it has `column` as text; no row is read."""
        parts = tuple((str(path), text_column_rows(path, column)) for path in paths)
        if not parts or not any(n for _, n in parts):
            raise InputError(f"no rows in column {column!r}", str(paths[0]) if paths else "")
        return cls(parts, column)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return ParquetLines(self.parts, self.column, _sub_spans(self.spans, start, max(start, stop)))
        index = item + len(self) if item < 0 else item
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return next(iter(self[index:index + 1]))

    def __iter__(self) -> Iterator[str]:
        reader = _RowGroupReader(self.parts, self.column)
        for start, stop in self.spans:
            yield from reader.rows(start, stop)

    def __reduce__(self):
        return ParquetLines, (self.parts, self.column, self.spans)

    def __repr__(self) -> str:
        return f"ParquetLines({self.parts[0][0]!r}…, {self.column!r}, {len(self)} rows)"


def _sub_spans(spans: tuple[Span, ...], start: int, stop: int) -> tuple[Span, ...]:
    """The spans of items [start, stop) of the sequence that `spans` make up."""
    out, position = [], 0
    for low, high in spans:
        size = high - low
        a, b = max(start, position), min(stop, position + size)
        if a < b:
            out.append((low + a - position, low + b - position))
        position += size
        if position >= stop:
            break
    return tuple(out)


def text_column_rows(path: str | os.PathLike, column: str) -> int:
    """The row count of a Parquet file (from its footer) that has `column` as text; an InputError otherwise."""
    import pyarrow as pa

    file = open_parquet(path)
    names = file.schema_arrow.names
    if column not in names:
        raise InputError(f"no column {column!r} (columns: {', '.join(names)})", str(path))
    kind = file.schema_arrow.field(column).type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputError(f"column {column!r} holds {kind}, not text", str(path))
    return file.metadata.num_rows


class _RowGroupReader:
    """Reads rows of one column, a row group at a time, through the process's cache of recent groups."""

    def __init__(self, parts: tuple[Part, ...], column: str):
        self.parts, self.column = parts, column

    def rows(self, start: int, stop: int) -> Iterator[str]:
        offset = 0
        for path, n in self.parts:
            low, high = max(start, offset), min(stop, offset + n)
            if low < high:
                yield from self._file_rows(path, low - offset, high - offset)
            offset += n
            if offset >= stop:
                return

    def _file_rows(self, path: str, start: int, stop: int) -> Iterator[str]:
        position = 0
        for group, size in enumerate(_group_sizes(*_identity(path))):
            low, high = max(start, position), min(stop, position + size)
            if low < high:
                values = RECENT_GROUPS.column(path, self.column, group)
                for row, value in enumerate(values.slice(low - position, high - low).to_pylist(), start=low):
                    if value is None:
                        raise InputError(f"row {row + 1}: no text (null) in column {self.column!r}", path)
                    yield value
            position += size
            if position >= stop:
                return


def _identity(path: str) -> tuple[str, int, int]:
    """A file as its path, modification time and size: a replaced file is not served from the caches."""
    try:
        stat = os.stat(path)
    except OSError:
        open_parquet(path)  # names the problem
        raise
    return path, stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=256)
def _group_sizes(path: str, _mtime_ns: int, _size: int) -> tuple[int, ...]:
    metadata = open_parquet(path).metadata
    return tuple(metadata.row_group(group).num_rows for group in range(metadata.num_row_groups))


class _RecentGroups:
    """The row groups this process read last, decoded, bounded in number and bytes. A worker runs many
    tasks over the same groups (a check shard reads its blocks of 20 rows one at a time, a score shard
    is often smaller than a group), and decoding a group again costs more than the task's own work."""

    MAX_GROUPS = 8
    MAX_BYTES = 256 * 2**20

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def column(self, path: str, column: str, group: int):
        key = (*_identity(path), column, group)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        values = open_parquet(path).read_row_group(group, columns=[column]).column(column)
        with self.lock:
            self.entries[key] = values
            while len(self.entries) > 1 and (len(self.entries) > self.MAX_GROUPS
                                             or sum(v.nbytes for v in self.entries.values()) > self.MAX_BYTES):
                self.entries.popitem(last=False)
        return values


RECENT_GROUPS = _RecentGroups()


def open_parquet(path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, ValueError) as error:  # pyarrow raises ArrowInvalid (a ValueError) for a non-Parquet file
        raise InputError(f"not a readable Parquet file ({str(error).splitlines()[0]})", str(path)) from None


def parquet_parts(path: str | os.PathLike) -> list[Path]:
    """A Parquet file, or the Parquet files of a directory in name order (its parts)."""
    path = Path(path)
    if path.is_dir():
        parts = sorted(p for p in path.iterdir() if p.suffix == ".parquet" and p.is_file() and not p.name.startswith("."))
        if not parts:
            raise InputError("no .parquet file in this directory", str(path))
        return parts
    return [path]
