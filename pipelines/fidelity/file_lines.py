"""The segments of a one-segment-per-line file, indexed but not held: a `FileLines` knows the byte offset
of each of its lines and reads them from the file when asked. A slice is a smaller `FileLines` (a path
and a few offsets), so a task that carries one carries a description of its input, not the texts, and
the worker that runs it reads its own lines from storage it sees.

The lines are exactly those `read_segments` returns (UTF-8, a leading BOM dropped, LF or CRLF line ends,
a last line without a newline kept), and a bad file gives the same one-line error naming file and line.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from corpus.errors import InputError

BOM = b"\xef\xbb\xbf"
READ_BLOCK = 10_000  # lines per read while iterating


class LazyLines(Sequence[str]):
    """Segments that stay in their files until read: a slice is a smaller description, not a list."""


class FileLines(LazyLines):
    """Lines [i, i+1) of `path` lie between bytes offsets[i] and offsets[i + 1]."""

    def __init__(self, path: str, offsets: np.ndarray):
        self.path, self.offsets = path, offsets

    @classmethod
    def index(cls, path: str | os.PathLike) -> "FileLines":
        """Scan a file once, checking it as `read_segments` does and keeping only its line offsets."""
        path = Path(path)
        offsets, position, has_text = [], 0, False
        try:
            with open(path, "rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    start = position
                    if number == 1 and raw.startswith(BOM):
                        start += len(BOM)
                    try:
                        text = raw[start - position:].decode("utf-8")
                    except UnicodeDecodeError as error:
                        raise InputError(f"not UTF-8 text (byte {start + error.start})", str(path), number) from None
                    has_text = has_text or bool(text.strip())
                    offsets.append(start)
                    position += len(raw)
        except IsADirectoryError:
            raise InputError("is a directory, not a text file", str(path)) from None
        except OSError as error:
            raise InputError(f"cannot read file ({error.strerror or error})", str(path)) from None
        if not has_text:
            raise InputError("file is empty", str(path))
        offsets.append(position)
        return cls(str(path), np.asarray(offsets, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return FileLines(self.path, self.offsets[start:max(start, stop) + 1].copy())
        index = item + len(self) if item < 0 else item
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        return self._read(index, index + 1)[0]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), READ_BLOCK):
            yield from self._read(start, min(start + READ_BLOCK, len(self)))

    def __reduce__(self):
        return FileLines, (self.path, self.offsets)

    def __repr__(self) -> str:
        return f"FileLines({self.path!r}, {len(self)} lines)"

    def _read(self, start: int, stop: int) -> list[str]:
        if stop <= start:
            return []
        with open(self.path, "rb") as handle:
            handle.seek(int(self.offsets[start]))
            data = handle.read(int(self.offsets[stop] - self.offsets[start]))
        lines = data.decode("utf-8").split("\n")[: stop - start]
        return [line[:-1] if line.endswith("\r") else line for line in lines]


def materialise(lines: Sequence[str] | None) -> list[str] | None:
    """A list of the lines (read from their file for lazy lines): what a worker scores or checks."""
    return None if lines is None else list(lines)


def portion(lines: Sequence[str], start: int, end: int) -> Sequence[str]:
    """Lines [start, end) to hand to a task: lazy lines stay a description, anything else a list."""
    return lines[start:end] if isinstance(lines, LazyLines) else list(lines[start:end])
