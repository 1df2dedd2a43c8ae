"""The segments of a one-segment-per-line file, read where they are needed. A `FileLines` names a file, its
lines [first, first + count) and a few marks (a line start and its line number, about one per MiB), so it
reads any line by seeking to the mark before it and counting newlines from there. A slice is a smaller
`FileLines` (a path, two numbers and the marks in its range), so a task that carries one carries a
description of its input, not the texts, and the worker that runs it reads its own lines.

Indexing is itself work for the workers: a file is cut into byte ranges (`ByteRange`, RANGE_BYTES each) and
`scan_range` reads one: it snaps to the first line start at or after its first byte and takes every line
that starts before its last, so the ranges of a file hold each line exactly once. It counts the lines,
checks them (UTF-8, some text), and notes the marks; the client adds up the counts. It never holds a
per-line index: a file of 10⁹ lines costs it a mark per MiB.

The lines are exactly those `read_segments` returns (UTF-8, a leading BOM dropped, LF or CRLF line ends,
a last line without a newline kept), and a bad file gives the same one-line error naming file and line.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from corpus.errors import InputError
from corpus.formats.reading import file_error

if TYPE_CHECKING:
    from pipelines.execution import Executor

BOM = b"\xef\xbb\xbf"
RANGE_BYTES = 64 * 2**20  # bytes of a file one indexing task scans
READ_BYTES = 2**20  # bytes per read; every block read while indexing starts with a mark

Mark = tuple[int, int]  # (byte at which a line starts, its line number in the file, from 0)


class LazyLines(Sequence[str]):
    """Segments that stay in their files until read: a slice is a smaller description, not a list."""


@dataclass(frozen=True)
class ByteRange:
    """The lines of `path` whose first byte lies in [start, end)."""

    path: str
    start: int
    end: int


@dataclass
class RangeScan:
    """What `scan_range` found: the number of lines, whether any holds text, marks (line numbers counted from
    the range's first line) and, for a range with bytes that are not UTF-8, the first of them."""

    lines: int
    has_text: bool
    marks: list[Mark]
    bad: Mark | None = None  # (absolute byte, line number within the range)


def byte_ranges(path: str, size: int, range_bytes: int | None = None) -> list[ByteRange]:
    """[0, size) cut into ranges of range_bytes (default RANGE_BYTES; one, possibly empty, for an empty file)."""
    range_bytes = range_bytes or RANGE_BYTES
    return [ByteRange(path, start, min(start + range_bytes, size)) for start in range(0, max(size, 1), range_bytes)]


def _first_line_start(handle, start: int) -> int:
    """The first line start at or after byte `start`; the file's size if none."""
    if start == 0:
        return 0
    handle.seek(start - 1)
    position = start - 1
    while True:
        block = handle.read(READ_BYTES)
        if not block:
            return position
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)


def line_blocks(task: ByteRange) -> Iterator[tuple[int, bytes]]:
    """(byte, data) blocks of whole lines: the lines that start in the range, in order, each block starting at
    a line start; the last line of the file may lack its newline. The first line starts at byte 0; its BOM,
    if any, is left out."""
    with open(task.path, "rb") as handle:
        position = _first_line_start(handle, task.start)
        handle.seek(position)
        pending = b""
        while position < task.end:
            data = handle.read(READ_BYTES)
            if not data and not pending:
                return
            pending += data
            cut = pending.rfind(b"\n") + 1 if data else len(pending)
            if cut == 0:  # a line longer than a read: read on
                continue
            block, pending = pending[:cut], pending[cut:]
            last = position + len(block) > task.end
            if last:  # stop after the line holding byte end - 1
                block = block[:block.find(b"\n", task.end - position - 1) + 1 or len(block)]
            skip = len(BOM) if position == 0 and block.startswith(BOM) else 0
            yield position + skip, block[skip:]
            if last:
                return
            position += len(block)


def scan_range(task: ByteRange) -> RangeScan:
    """Worker: count, check and mark the lines of a byte range."""
    lines, has_text, marks = 0, False, []
    for position, block in line_blocks(task):
        if not block:  # a BOM alone
            continue
        marks.append((position, lines))
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError as error:
            return RangeScan(lines, has_text, marks, (position + error.start, lines + block.count(b"\n", 0, error.start)))
        has_text = has_text or not (text.isspace() or not text)
        lines += block.count(b"\n") + (not block.endswith(b"\n"))
    return RangeScan(lines, has_text, marks)


def range_lines(task: ByteRange) -> list[str]:
    """The lines of a byte range, as `read_segments` gives them (used by tests: ranges cover each line once)."""
    return [line for _, block in line_blocks(task) for line in _split(block)]


def _split(block: bytes) -> list[str]:
    """The lines of a block of whole lines, without line ends (LF, CRLF)."""
    lines = block.decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _opened(path: str) -> int:
    """The size of a readable file; the one-line error `read_segments` gives otherwise."""
    try:
        with open(path, "rb") as handle:
            return os.fstat(handle.fileno()).st_size
    except OSError as error:
        raise file_error(error, path, "text file") from None


class FileLines(LazyLines):
    """Lines [first, first + count) of `path`; `marks` say where some lines start (at least one at or before
    `first`)."""

    def __init__(self, path: str, first: int, count: int, marks: Sequence[Mark]):
        self.path, self.first, self.count, self.marks = path, first, count, tuple(marks)
        self._lines = [line for _, line in self.marks]  # the marks' line numbers, for bisection

    @classmethod
    def index(cls, path: str | os.PathLike, executor: "Executor | None" = None) -> "FileLines":
        """Check a file as `read_segments` does and mark its lines (on `executor`'s workers when given)."""
        return index_files([path], executor)[0]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._part(start, max(start, stop))
        index = item + len(self) if item < 0 else item
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        return next(iter(self._part(index, index + 1)))

    def _part(self, start: int, stop: int) -> "FileLines":
        first, last = self.first + start, self.first + stop
        low = max(0, bisect.bisect_right(self._lines, first) - 1)
        high = bisect.bisect_left(self._lines, last, lo=low)
        return FileLines(self.path, first, stop - start, self.marks[low:max(high, low + 1)])

    def __iter__(self) -> Iterator[str]:
        if not self.count:
            return iter(())
        byte, line = self.marks[max(0, bisect.bisect_right(self._lines, self.first) - 1)]
        return islice(_lines_from(self.path, byte), self.first - line, self.first - line + self.count)

    def __reduce__(self):
        return FileLines, (self.path, self.first, self.count, self.marks)

    def __repr__(self) -> str:
        return f"FileLines({self.path!r}, lines {self.first}–{self.first + self.count})"


def _lines_from(path: str, byte: int) -> Iterator[str]:
    """The lines of `path` from the line start at `byte` to the end, read a block at a time."""
    with open(path, "rb") as handle:
        handle.seek(byte)
        pending = b""
        while True:
            data = handle.read(READ_BYTES)
            if not data:
                if pending:
                    yield from _split(pending)
                return
            pending += data
            cut = pending.rfind(b"\n") + 1
            if cut:
                block, pending = pending[:cut], pending[cut:]
                yield from _split(block)


def index_files(paths: Sequence[str | os.PathLike], executor: "Executor | None" = None) -> list[FileLines]:
    """Index several files at once: their byte ranges are scanned on `executor` (in process when None); the
    first bad file (in the order given) is a one-line InputError naming it and the line."""
    from pipelines.execution import InProcessExecutor

    names = [str(Path(path)) for path in paths]
    ranges = {name: byte_ranges(name, _opened(name)) for name in names}
    tasks = [task for name in names for task in ranges[name]]
    scans = iter((executor or InProcessExecutor(progress=False)).map(scan_range, tasks, label="index"))
    indexed = []
    for name in names:
        marks, total, has_text = [], 0, False
        for scan in islice(scans, len(ranges[name])):
            if scan.bad is not None:
                byte, line = scan.bad
                raise InputError(f"not UTF-8 text (byte {byte})", name, total + line + 1)
            marks += [(byte, total + line) for byte, line in scan.marks]
            total += scan.lines
            has_text = has_text or scan.has_text
        if not has_text:
            raise InputError("file is empty", name)
        indexed.append(FileLines(name, 0, total, marks))
    return indexed


def materialise(lines: Sequence[str] | None) -> list[str] | None:
    """A list of the lines (read from their file for lazy lines): what a worker scores or checks."""
    return None if lines is None else list(lines)


def portion(lines: Sequence[str], start: int, end: int) -> Sequence[str]:
    """Lines [start, end) to hand to a task: lazy lines stay a description, anything else a list."""
    return lines[start:end] if isinstance(lines, LazyLines) else list(lines[start:end])
