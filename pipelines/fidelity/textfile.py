"""Plain one-segment-per-line files, read strictly: a bad file is an InputError naming file and line."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from corpus.errors import InputError


def read_segments(path: str | Path) -> list[str]:
    """Lines of a UTF-8 file without their line ends (the last newline ends the last segment).

    Mirrors how WMT scores are computed (`open(f).read().split('\\n')[:-1]`); a file without a final
    newline keeps its last line, and a CRLF line end is read as LF.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory, not a text file", str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read file ({error.strerror or error})", str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {error.start})", str(path), line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("file is empty", str(path))
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def check_parallel(files: Mapping[str, Sequence[str]]) -> int:
    """The common segment count of parallel files; an InputError names the first file that differs."""
    items = list(files.items())
    first_path, first_lines = items[0]
    for path, lines in items[1:]:
        if len(lines) != len(first_lines):
            raise InputError(
                f"has {len(lines)} lines but {first_path} has {len(first_lines)}; "
                "parallel files need one segment per line each",
                path,
            )
    return len(first_lines)
