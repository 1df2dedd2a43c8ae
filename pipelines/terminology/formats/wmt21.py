"""WMT21 terminology SGML: <seg>s whose terms are tagged inline as
<term id=".." type=".." src="source term" tgt="a|b"> surface </term>; tgt alternatives are split on '|'."""
from __future__ import annotations

import html
import re
from pathlib import Path

from corpus.errors import InputError
from pipelines.fidelity.textfile import read_text
from pipelines.terminology.model import SegmentTermList, TermPair

_SEG = re.compile(r"<seg\b[^>]*>(.*?)</seg>", re.S | re.I)
_TERM = re.compile(r"<term\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


def read_wmt21_terms(path: str | Path) -> SegmentTermList:
    path = str(path)
    text = read_text(path)
    terms = []
    for seg in _SEG.finditer(text):
        pairs = []
        for tag in _TERM.finditer(seg.group(1)):
            attributes = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(tag.group(1))}
            targets = tuple(t for t in attributes.get("tgt", "").split("|") if t.strip())
            if not attributes.get("src", "").strip() or not targets:
                line = text.count("\n", 0, seg.start() + tag.start()) + 1
                raise InputError('<term> needs non-empty src="…" and tgt="…" attributes', path, line)
            pairs.append(TermPair(attributes["src"], targets))
        terms.append(pairs)
    if not terms:
        raise InputError("no <seg> elements found", path)
    return SegmentTermList(terms, path, kind="wmt21")
