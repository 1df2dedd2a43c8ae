"""Beads (n:m sentence links) and the Vecalign/Bertalign text format `[0]:[0, 1]`, one bead per line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from corpus.errors import InputError

_IDS = r"\[\s*(?:\d+\s*(?:,\s*\d+\s*)*)?\]"
BEAD_LINE = re.compile(rf"^\s*({_IDS})\s*:\s*({_IDS})\s*(?::\s*(-?[0-9.eE+-]+|nan|inf)\s*)?$")


@dataclass(frozen=True)
class Bead:
    """Source and target sentence indices (0-based, consecutive, either side may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None = field(default=None, compare=False)
    cost: float | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def to_dict(self) -> dict:
        return {"source": list(self.src), "target": list(self.tgt), "score": self.score, "cost": self.cost}


def format_bead(bead: Bead) -> str:
    return f"{list(bead.src)}:{list(bead.tgt)}"


def _ids(text: str) -> tuple[int, ...]:
    inner = text.strip()[1:-1].strip()
    return tuple(int(part) for part in inner.split(",")) if inner else ()


def parse_bead_line(line: str, path: str | None = None, line_no: int | None = None) -> Bead:
    match = BEAD_LINE.match(line)
    if not match:
        raise InputError(f"not a bead line like '[0]:[0, 1]': {line.strip()[:80]!r}", path, line_no)
    src, tgt = _ids(match.group(1)), _ids(match.group(2))
    if not src and not tgt:
        raise InputError("bead with both sides empty", path, line_no)
    score = float(match.group(3)) if match.group(3) else None
    return Bead(src, tgt, score=score)


def read_beads(path: str | Path) -> list[Bead]:
    """Read a bead file (gold or hypothesis); blank lines are skipped, anything else malformed is an error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", str(path)) from None
    beads = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            beads.append(parse_bead_line(line, str(path), line_no))
    return beads


def write_beads(beads: Iterable[Bead]) -> str:
    return "".join(format_bead(bead) + "\n" for bead in beads)


def check_covers(beads: list[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ValueError unless the beads cover every sentence exactly once, in order."""
    src = [k for bead in beads for k in bead.src]
    tgt = [k for bead in beads for k in bead.tgt]
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise ValueError("beads do not cover both texts exactly once in order")
