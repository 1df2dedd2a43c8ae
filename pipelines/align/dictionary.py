"""Bilingual word lists for the lexical scorer: read from a file, or learned from aligned sentence pairs.

Learning counts, over aligned pairs, how often a source word and a target word occur together
and keeps pairs whose Dice association 2·c(s,t) / (c(s) + c(t)) is high (hunalign's `-realign`
and Moore 2002 use the same idea). Sources: the confirmed links of a corpus, or the confident
1-1 beads of a first alignment pass over the document itself.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from corpus.errors import InputError
from pipelines.align import tokens
from pipelines.align.tokens import fold, is_spaceless

MIN_LETTERS = 3  # shorter words of spaced scripts are mostly function words


def words(sentence: str, segmenter: str = "bigram") -> set[str]:
    """Folded words of a sentence (see `pipelines.align.tokens`); spaceless-script words of any length."""
    return {w if is_spaceless(w) else fold(w) for w in tokens.words(sentence, segmenter)
            if is_spaceless(w) or len(w) >= MIN_LETTERS}


def learn_dictionary(
    pairs: Iterable[tuple[str, str]],
    min_count: int = 2,
    min_dice: float = 0.3,
    max_translations: int = 3,
    src_segmenter: str = "bigram",
    tgt_segmenter: str = "bigram",
) -> dict[str, list[str]]:
    """Word translations from aligned (source text, target text) pairs; identical spellings are skipped."""
    src_bags, tgt_bags = [], []
    for src, tgt in pairs:
        src_bags.append(words(src, src_segmenter))
        tgt_bags.append(words(tgt, tgt_segmenter))
    src_freq = Counter(w for bag in src_bags for w in bag)
    tgt_freq = Counter(w for bag in tgt_bags for w in bag)
    src_vocab = sorted(w for w, c in src_freq.items() if c >= min_count)
    tgt_vocab = sorted(w for w, c in tgt_freq.items() if c >= min_count)
    if not src_vocab or not tgt_vocab:
        return {}
    src_matrix = _incidence(src_bags, {w: k for k, w in enumerate(src_vocab)})
    tgt_matrix = _incidence(tgt_bags, {w: k for k, w in enumerate(tgt_vocab)})
    joint = (src_matrix.T @ tgt_matrix).tocoo()
    s_idx, t_idx, count = joint.row, joint.col, joint.data
    s_freq = np.array([src_freq[w] for w in src_vocab], dtype=np.float64)[s_idx]
    t_freq = np.array([tgt_freq[w] for w in tgt_vocab], dtype=np.float64)[t_idx]
    dice = 2 * count / (s_freq + t_freq)
    keep = (count >= min_count) & (dice >= min_dice)
    candidates: dict[str, list[tuple[float, str]]] = {}
    for s_k, t_k, value in zip(s_idx[keep], t_idx[keep], dice[keep]):
        source, target = src_vocab[s_k], tgt_vocab[t_k]
        if source != target:
            candidates.setdefault(source, []).append((float(value), target))
    return {s: [t for _, t in sorted(found, key=lambda x: (-x[0], x[1]))[:max_translations]] for s, found in candidates.items()}


def _incidence(bags: list[set[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows, cols = [], []
    for row, bag in enumerate(bags):
        for word in bag:
            col = vocabulary.get(word)
            if col is not None:
                rows.append(row)
                cols.append(col)
    data = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(bags), len(vocabulary)))


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
