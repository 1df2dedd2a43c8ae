"""The segments of one string column of Parquet files, indexed but not held: `ParquetLines` knows the
files and their row counts (from the footers, without reading any text) and reads rows when asked, only
the row groups that hold them. A slice is a smaller `ParquetLines`, so a task carries a description of
its input and the worker that runs it reads its own rows, as with FileLines for text files.

Several files are one sequence, in the order given (part-0000.parquet, part-0001.parquet, …). A null
cell is an error naming the file and row, as an empty line number is for a text file.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Sequence

from corpus.errors import InputError
from pipelines.fidelity.file_lines import LazyLines

Part = tuple[str, int]  # a file and its number of rows


class ParquetLines(LazyLines):
    """Rows [start, stop) of `column` over the concatenation of `parts`."""

    def __init__(self, parts: tuple[Part, ...], column: str, start: int = 0, stop: int | None = None):
        self.parts, self.column = parts, column
        self.start = start
        self.stop = sum(n for _, n in parts) if stop is None else stop

    @classmethod
    def index(cls, paths: Sequence[str | os.PathLike], column: str) -> "ParquetLines":
        """Open each file's footer, checking it has `column` as text; no row is read."""
        import pyarrow as pa

        parts = []
        for path in paths:
            file = open_parquet(path)
            names = file.schema_arrow.names
            if column not in names:
                raise InputError(f"no column {column!r} (columns: {', '.join(names)})", str(path))
            kind = file.schema_arrow.field(column).type
            if pa.types.is_dictionary(kind):
                kind = kind.value_type
            if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
                raise InputError(f"column {column!r} holds {kind}, not text", str(path))
            parts.append((str(path), file.metadata.num_rows))
        if not parts or not any(n for _, n in parts):
            raise InputError(f"no rows in column {column!r}", str(paths[0]) if paths else "")
        return cls(tuple(parts), column)

    def __len__(self) -> int:
        return self.stop - self.start

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return ParquetLines(self.parts, self.column, self.start + start, self.start + max(start, stop))
        index = item + len(self) if item < 0 else item
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return next(iter(self[index:index + 1]))

    def __iter__(self) -> Iterator[str]:
        offset = 0
        for path, n in self.parts:
            low, high = max(self.start, offset), min(self.stop, offset + n)
            if low < high:
                yield from _rows(path, self.column, low - offset, high - offset)
            offset += n
            if offset >= self.stop:
                return

    def __reduce__(self):
        return ParquetLines, (self.parts, self.column, self.start, self.stop)

    def __repr__(self) -> str:
        return f"ParquetLines({self.parts[0][0]!r}…, {self.column!r}, {len(self)} rows)"


def open_parquet(path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, ValueError) as error:  # pyarrow raises ArrowInvalid (a ValueError) for a non-Parquet file
        raise InputError(f"not a readable Parquet file ({str(error).splitlines()[0]})", str(path)) from None


def _rows(path: str, column: str, start: int, stop: int) -> Iterator[str]:
    """Rows [start, stop) of one file, reading one row group at a time and only those that hold them."""
    file = open_parquet(path)
    position = 0
    for group in range(file.num_row_groups):
        size = file.metadata.row_group(group).num_rows
        low, high = max(start, position), min(stop, position + size)
        if low < high:
            values = file.read_row_group(group, columns=[column]).column(column).slice(low - position, high - low).to_pylist()
            for offset, value in enumerate(values):
                if value is None:
                    raise InputError(f"row {low + offset + 1}: no text (null) in column {column!r}", path)
                yield value
        position += size
        if position >= stop:
            return


def parquet_parts(path: str | os.PathLike) -> list[Path]:
    """A Parquet file, or the Parquet files of a directory in name order (its parts)."""
    path = Path(path)
    if path.is_dir():
        parts = sorted(p for p in path.iterdir() if p.suffix == ".parquet" and p.is_file() and not p.name.startswith("."))
        if not parts:
            raise InputError("no .parquet file in this directory", str(path))
        return parts
    return [path]
