"""The segments of one string column of Parquet files, indexed but not held: `ParquetLines` knows the
files and their row counts (from the footers, without reading any text) and reads rows when asked, only
the row groups that hold them. A slice is a smaller `ParquetLines`, so a task carries a description of
its input and the worker that runs it reads its own rows, as with FileLines for text files.

Several files are one sequence, in the order given (part-0000.parquet, part-0001.parquet, …). A null
cell is an error naming the file and row, as a bad line is in a text file.
"""
from __future__ import annotations

import os
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
    """Reads rows of one column, a row group at a time, keeping the last group read: the spans of a stream
    come in row order, so consecutive spans in one row group read it once."""

    def __init__(self, parts: tuple[Part, ...], column: str):
        self.parts, self.column = parts, column
        self.cached: tuple[str, int] | None = None
        self.values = None  # the cached row group's column (a pyarrow array)

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
        file = open_parquet(path)
        position = 0
        for group in range(file.num_row_groups):
            size = file.metadata.row_group(group).num_rows
            low, high = max(start, position), min(stop, position + size)
            if low < high:
                if self.cached != (path, group):
                    self.values = file.read_row_group(group, columns=[self.column]).column(self.column)
                    self.cached = (path, group)
                for row, value in enumerate(self.values.slice(low - position, high - low).to_pylist(), start=low):
                    if value is None:
                        raise InputError(f"row {row + 1}: no text (null) in column {self.column!r}", path)
                    yield value
            position += size
            if position >= stop:
                return


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
