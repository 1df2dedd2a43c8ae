"""Plain one-segment-per-line files, read strictly: a bad file is an InputError naming file and line."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Mapping, Sequence

from corpus.errors import InputError
from corpus.formats.reading import parse_json_line, read_bytes


def read_text(path: str | Path) -> str:
    path = Path(path)
    data = read_bytes(path, "text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {error.start})", str(path), line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("file is empty", str(path))
    return text


def read_segment_file(path: str | Path, field: str | None = None) -> list[str]:
    """Segments of a plain text file (one per line), a JSONL file (the string under `field`, e.g. the
    language code in WMT25 files) or an SGML file (<seg> contents with <term> tags stripped)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl_field(path, field)
    if suffix in (".sgm", ".sgml"):
        return read_sgm_segments(path)
    return read_segments(path)


def read_jsonl_field(path: str | Path, field: str | None) -> list[str]:
    if not field:
        raise InputError("a JSONL segment file needs the field to read (give --langs)", str(path))
    segments = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        record = parse_json_line(line, path, number)
        value = record.get(field) if isinstance(record, dict) else None
        if not isinstance(value, str):
            raise InputError(f"no text field {field!r} in this record", str(path), number)
        segments.append(value)
    return segments


_SEG = re.compile(r"<seg\b[^>]*>(.*?)</seg>", re.S | re.I)
_TAG = re.compile(r"</?term\b[^>]*>", re.I)


def strip_term_tags(text: str) -> str:
    """Plain text of an inline-tagged segment: <term …> tags go, a literal '<' (as in "< 5 ans") stays."""
    return html.unescape(" ".join(_TAG.sub(" ", text).split()))


def read_sgm_segments(path: str | Path) -> list[str]:
    text = read_text(path)
    segments = [strip_term_tags(m.group(1)) for m in _SEG.finditer(text)]
    if not segments:
        raise InputError("no <seg> elements found", str(path))
    return segments


def read_segments(path: str | Path) -> list[str]:
    """Lines of a UTF-8 file without their line ends (the last newline ends the last segment).

    Mirrors how WMT scores are computed (`open(f).read().split('\\n')[:-1]`); a file without a final
    newline keeps its last line, and a CRLF line end is read as LF.
    """
    text = read_text(path)
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
