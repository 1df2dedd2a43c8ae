"""Strict readers shared by the importers: UTF-8 checked line by line, empty files refused."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from corpus.errors import InputError


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, line without its newline); InputError on bad UTF-8 or an empty file."""
    path = str(path)
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", path) from None
    empty = True
    with stream:
        for number, raw in enumerate(stream, start=1):
            empty = False
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputError(f"invalid UTF-8 at byte {error.start} of the line", path, number) from None
            if "\x00" in line:
                raise InputError("contains NUL characters (UTF-16 without a byte-order mark? save it as UTF-8)", path, number)
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield number, line.rstrip("\r\n")
    if empty:
        raise InputError("file is empty", path)


def read_text(path: str | Path) -> str:
    """A whole text file, strictly decoded; refused when empty or blank."""
    lines = [line for _, line in iter_lines(path)]
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("file has no text", str(path))
    return text


def read_lines(path: str | Path) -> list[str]:
    return [line for _, line in iter_lines(path)]


def parse_json_line(line: str, path: str | Path, number: int):
    """One line of a JSON-lines file; InputError naming file, line and column when it is not JSON."""
    from corpus.validation import load_json

    return load_json(line, str(path), number)
