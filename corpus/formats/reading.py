"""Strict readers shared by the importers: UTF-8 checked line by line, empty files refused."""
from __future__ import annotations

from itertools import repeat
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


def file_error(error: OSError, path: str | Path, what: str = "file") -> InputError:
    """The one-line error for a file that cannot be opened; `what` names the kind of file the caller expects
    ("model file")."""
    if isinstance(error, FileNotFoundError):
        return InputError(f"{what} not found", str(path))
    if isinstance(error, IsADirectoryError):
        return InputError(f"is a directory, not a {what}", str(path))
    return InputError(f"cannot read the {what} ({error.strerror or error})", str(path))


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """A whole file's bytes; `file_error` when it is missing, a directory or unreadable."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise file_error(error, path, what) from None


def read_text(path: str | Path) -> str:
    """A whole text file, strictly decoded; refused when empty or blank."""
    lines = [line for _, line in iter_lines(path)]
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("file has no text", str(path))
    return text


def read_lines(path: str | Path) -> list[str]:
    """The lines of iter_lines, read and decoded as one piece when the file is good; when it is not (or
    cannot be read), iter_lines finds the line and says what is wrong with it."""
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if not text or "\x00" in text:
        return [line for _, line in iter_lines(path)]
    lines = text.split("\n")  # UTF-8 has no other byte 0x0A, so these are the lines iter_lines splits
    if lines[-1] == "":
        lines.pop()
    if "\r" in text:
        lines = list(map(str.rstrip, lines, repeat("\r")))
    if lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines


def parse_json_line(line: str, path: str | Path, number: int):
    """One line of a JSON-lines file; InputError naming file, line and column when it is not JSON."""
    from corpus.validation import load_json

    return load_json(line, str(path), number)
