"""Sentence files (one sentence per line) for `calque align-files`, with clear errors for bad input."""
from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from corpus.formats.reading import read_bytes

MAX_RATIO = 3.0
MIN_DIFFERENCE = 10


def read_sentence_file(path: str | Path) -> list[str]:
    """Lines of a UTF-8 file, one sentence each; blank lines stay (as empty sentences) so ids = line numbers - 1."""
    path = Path(path)
    data = read_bytes(path, "sentence file")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InputError("binary data (NUL byte), not a text file", str(path), line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text ({error.reason})", str(path), line) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    sentences = [line.rstrip("\r") for line in lines]
    if not any(s.strip() for s in sentences):
        raise InputError("empty: no sentences", str(path))
    return sentences


def check_parallel(src: list[str], tgt: list[str], src_path: str, tgt_path: str, max_ratio: float = MAX_RATIO) -> None:
    """Refuse pairs whose sentence counts are too far apart to be a text and its translation."""
    small, large = sorted((len(src), len(tgt)))
    if large > max_ratio * small and large - small > MIN_DIFFERENCE:
        raise InputError(
            f"{src_path} has {len(src)} sentences but {tgt_path} has {len(tgt)}: too different to be a "
            f"translation pair (more than {max_ratio:g}×); check the files or pass --force"
        )
