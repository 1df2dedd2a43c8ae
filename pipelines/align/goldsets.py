"""Readers for gold-standard sentence-alignment sets laid out like ../shared/data/alignment/.

- Text+Berg (`textberg_de-fr/{test,dev}/NAME.{de,fr,defr}`): one sentence per line, gold `NAME.defr`;
- ParIce (`parice_en-is/{eng,isl,gold}/NAME.txt`): every line `index<TAB>sentence`;
- MAC-Dev (`mac_zh-en_dev/{zh,en}/NAME`, gold `gold/NAME.align`): Bertalign's Chinese→English set.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.errors import InputError
from pipelines.align.beads import Bead, read_beads
from pipelines.align.files import read_sentence_file


@dataclass(frozen=True)
class GoldPair:
    name: str
    src_lang: str
    tgt_lang: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]


def _strip_index(lines: list[str], path: Path) -> list[str]:
    out = []
    for line_no, line in enumerate(lines, start=1):
        index, tab, sentence = line.partition("\t")
        if not tab or not index.strip().isdigit():
            raise InputError("expected 'index<TAB>sentence'", str(path), line_no)
        out.append(sentence)
    return out


def textberg(root: Path, split: str = "test") -> list[GoldPair]:
    folder = Path(root) / split
    pairs = []
    for gold_path in sorted(folder.glob("*.defr")):
        stem = gold_path.with_suffix("")
        pairs.append(
            GoldPair(
                gold_path.stem,
                "de",
                "fr",
                read_sentence_file(stem.with_suffix(".de")),
                read_sentence_file(stem.with_suffix(".fr")),
                read_beads(gold_path),
            )
        )
    return pairs


def parice(root: Path) -> list[GoldPair]:
    root = Path(root)
    pairs = []
    for gold_path in sorted((root / "gold").glob("*.txt")):
        eng, isl = root / "eng" / gold_path.name, root / "isl" / gold_path.name
        pairs.append(
            GoldPair(
                gold_path.stem,
                "en",
                "is",
                _strip_index(read_sentence_file(eng), eng),
                _strip_index(read_sentence_file(isl), isl),
                read_beads(gold_path),
            )
        )
    return pairs


def mac(root: Path) -> list[GoldPair]:
    root = Path(root)
    pairs = []
    for gold_path in sorted((root / "gold").glob("*.align")):
        name = gold_path.stem
        pairs.append(
            GoldPair(
                name,
                "zh",
                "en",
                read_sentence_file(root / "zh" / name),
                read_sentence_file(root / "en" / name),
                read_beads(gold_path),
            )
        )
    return pairs
