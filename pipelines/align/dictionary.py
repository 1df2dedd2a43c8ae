"""Bilingual word lists for the lexical scorer: read from a file, or learned from aligned sentence pairs.

Learning counts, over aligned pairs, how often a source word and a target word occur together
and keeps pairs whose Dice association 2·c(s,t) / (c(s) + c(t)) is high (hunalign's `-realign`
and Moore 2002 use the same idea). Sources: the confirmed links of a corpus, or the confident
1-1 beads of a first alignment pass over the document itself.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from corpus.errors import InputError
from pipelines.align.lexical import fold

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def words(sentence: str) -> set[str]:
    return {fold(w) for w in WORD.findall(sentence)}


def learn_dictionary(
    pairs: Iterable[tuple[str, str]],
    min_count: int = 2,
    min_dice: float = 0.3,
    max_translations: int = 3,
) -> dict[str, list[str]]:
    """Word translations from aligned (source text, target text) pairs; identical spellings are skipped."""
    src_freq: Counter = Counter()
    tgt_freq: Counter = Counter()
    joint: Counter = Counter()
    for src, tgt in pairs:
        s_words, t_words = words(src), words(tgt)
        src_freq.update(s_words)
        tgt_freq.update(t_words)
        joint.update((s, t) for s in s_words for t in t_words if s != t)
    candidates: dict[str, list[tuple[float, str]]] = {}
    for (s, t), count in joint.items():
        if count < min_count:
            continue
        dice = 2 * count / (src_freq[s] + tgt_freq[t])
        if dice >= min_dice:
            candidates.setdefault(s, []).append((dice, t))
    return {s: [t for _, t in sorted(found, key=lambda x: (-x[0], x[1]))[:max_translations]] for s, found in candidates.items()}


def read_dictionary(path: str | Path) -> dict[str, list[str]]:
    """A tab-separated file `source<TAB>target` (one pair per line; '#' starts a comment line)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("dictionary file not found", str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", str(path)) from None
    entries: dict[str, list[str]] = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError("expected 'source<TAB>target'", str(path), line_no)
        entries.setdefault(parts[0].strip(), []).append(parts[1].strip())
    return entries
