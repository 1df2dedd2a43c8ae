"""Lexical bead costs: Gale–Church length plus anchors that need no model.

Anchors per sentence (a multiset of features):
- numbers (each digit run),
- punctuation classes (? ! : ; brackets, quotes, dashes, ellipsis),
- names: capitalised tokens that do not start the sentence, compared case- and accent-free,
- words of 4+ letters compared case- and accent-free (identical spellings: names, loans, cognates),
- cognates: the first `prefix` letters of longer words (Simard et al. 1992's character n-gram anchor),
- dictionary translations, when a bilingual dictionary is given or learned from confirmed links.

Each feature weighs `kind weight × idf` (idf over the sentences of both texts). For a bead with
source multiset X and target multiset Y the anchor evidence is M = Σ_f w_f · min(X_f, Y_f), and

    cost(bead) = Gale–Church cost + bead prior - anchor_weight · M.

Because Σ_f w_f·(X_f + Y_f) over a whole path is the same for every path, rewarding matches and
penalising unmatched anchors are the same thing here. Σ min(·,·) becomes a dot product once every
count c is expanded into indicator features (f, 1) … (f, c), so costs of a whole band come from
sparse matrix products.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import chain
from collections import Counter
from dataclasses import dataclass, fields
from typing import Iterable, Mapping

import numpy as np
import scipy.sparse as sp

from pipelines.align.dp import DEFAULT_MAX_BEAD
from pipelines.align.length import LengthCosts, halve, sentence_lengths
from pipelines.align.registry import Aligner, SearchOptions, register
from pipelines.align.tokens import DEFAULT_SEGMENTER, fold, is_spaceless, numbers, resolve_segmenter, words

FIRST_WORD = re.compile(r"[^\w]*[^\W\d_]")
PUNCTUATION_CLASSES = {
    "?": "?", "¿": "?", "!": "!", "¡": "!", ":": ":", ";": ";",
    "(": "(", ")": ")", "[": "(", "]": ")",
    "«": "quote", "»": "quote", "„": "quote", "“": "quote", "”": "quote", '"': "quote", "‹": "quote", "›": "quote",
    "–": "dash", "—": "dash", "…": "...", "%": "%", "&": "&", "/": "/", "§": "§", "+": "+", "=": "=",
    # full-width and CJK forms
    "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")", "［": "(", "］": ")", "【": "(", "】": ")",
    "「": "quote", "」": "quote", "『": "quote", "』": "quote", "《": "quote", "》": "quote", "＂": "quote",
    "％": "%", "＆": "&", "／": "/", "＋": "+", "＝": "=", "⋯": "...",
}
MARKS = re.compile("[" + re.escape("".join(PUNCTUATION_CLASSES)) + "]")
MAX_COUNT = 8
COARSE_MAX_UNITS = 8


@dataclass(frozen=True)
class LexicalWeights:
    """Per-kind multipliers of the idf weights (`number` … `dictionary`), the weight of all anchors
    against the Gale–Church cost (`anchor`, `length`), and the cost of a 1-0/0-1 bead (`skip`;
    None = Gale–Church's own). Defaults are the anchor weights used beside embeddings; the lexical
    aligner's tuned values (Text+Berg dev) are LEXICAL_DEFAULTS."""

    number: float = 2.0
    punctuation: float = 0.5
    name: float = 1.0
    word: float = 1.0
    cognate: float = 0.5
    dictionary: float = 1.0
    anchor: float = 1.0
    length: float = 1.0
    skip: float | None = None
    prefix: int = 4
    min_word: int = 4
    segmenter: str = DEFAULT_SEGMENTER


@lru_cache(maxsize=1 << 17)
def _word_keys(word: str, sentence_initial: bool, min_word: int, prefix: int, cognates: bool) -> tuple[str, str, tuple[str, ...]]:
    """(folded word, …) and the name/word/cognate keys one word contributes."""
    folded = fold(word)
    keys = []
    if word[0].isupper() and not sentence_initial and len(word) > 1:
        keys.append("N:" + folded)
    if len(folded) >= min_word:
        keys.append("w:" + folded)
        if cognates and len(folded) > prefix:
            keys.append("c:" + folded[:prefix])
    return folded, word, tuple(keys)


@lru_cache(maxsize=1 << 17)
def _base_anchors(sentence: str, min_word: int, prefix: int, cognates: bool,
                  segmenter: str = "bigram") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Anchor keys of a sentence without dictionary features, and its folded words (spaceless scripts
    segmented; their words only ever match through a word list)."""
    keys = [f"n:{value}" for value in numbers(sentence)]
    keys += ["p:" + PUNCTUATION_CLASSES[mark] for mark in MARKS.findall(sentence)]
    starts_with_word = FIRST_WORD.match(sentence) is not None
    folded_words = []
    for position, word in enumerate(words(sentence, segmenter)):
        if is_spaceless(word):
            folded_words.append(word)
            continue
        folded, _, word_keys = _word_keys(word, position == 0 and starts_with_word, min_word, prefix, cognates)
        keys += word_keys
        folded_words.append(folded)
    return tuple(keys), tuple(folded_words)


def anchors(sentence: str, weights: LexicalWeights, dictionary: Mapping[str, Iterable[str]] | None = None,
            dictionary_targets: frozenset[str] | None = None, segmenter: str = "bigram") -> Counter:
    """The anchor multiset of one sentence, keys prefixed by kind (n: p: N: w: c: d:)."""
    base, folded_words = _base_anchors(sentence, weights.min_word, weights.prefix, bool(weights.cognate), segmenter)
    if dictionary is None and dictionary_targets is None:
        return Counter(base)
    keys = list(base)
    for folded in folded_words:
        if dictionary is not None and folded in dictionary:
            keys += ["d:" + translation for translation in dictionary[folded]]
        if dictionary_targets is not None and folded in dictionary_targets:
            keys.append("d:" + folded)
    return Counter(keys)


def _kind_weight(key: str, weights: LexicalWeights) -> float:
    return {
        "n": weights.number,
        "p": weights.punctuation,
        "N": weights.name,
        "w": weights.word,
        "c": weights.cognate,
        "d": weights.dictionary,
    }[key[0]]


def _count_matrix(bags: list[Counter], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for r, bag in enumerate(bags):
        for key, count in bag.items():
            col = vocabulary.get(key)
            if col is not None:
                rows.append(r)
                cols.append(col)
                vals.append(count)
    return sp.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=(len(bags), len(vocabulary)))


def _node_windows(counts: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Row k (a node, 0..n) holds the summed counts of sentences k-size .. k-1 (empty for k < size)."""
    n = counts.shape[0]
    nodes = np.arange(size, n + 1)
    rows = np.repeat(nodes, size)
    cols = (nodes[:, None] - np.arange(1, size + 1)[None, :]).ravel()
    selector = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n))
    return (selector @ counts).tocsr()


def _expand(window: sp.csr_matrix, root_weights: np.ndarray) -> sp.csr_matrix:
    """Counts → indicators (f, 1..c) valued sqrt(w_f), so that a dot product is Σ_f w_f·min(x_f, y_f)."""
    window = window.tocoo()
    counts = np.minimum(np.rint(window.data).astype(np.int64), MAX_COUNT)
    keep = counts > 0
    rows, cols, counts = window.row[keep], window.col[keep], counts[keep]
    repeat_rows = np.repeat(rows, counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    level = np.arange(len(repeat_rows)) - starts
    repeat_cols = np.repeat(cols, counts) * MAX_COUNT + level
    values = root_weights[np.repeat(cols, counts)]
    return sp.csr_matrix(
        (values, (repeat_rows, repeat_cols)), shape=(window.shape[0], window.shape[1] * MAX_COUNT)
    )


def rows_dot(left: sp.csr_matrix, i0: int, i1: int, right: sp.csr_matrix, j0: int, j1: int) -> np.ndarray:
    """Dense (i1-i0) × (j1-j0) matrix of dot products between rows of two CSR matrices.

    A join on feature ids (sort + searchsorted), so the cost depends on the entries of the two row
    ranges only, never on the number of features (a scipy product would convert a slice per call).
    """
    n_rows, n_cols = i1 - i0, j1 - j0
    l_start, l_stop = left.indptr[i0], left.indptr[i1]
    r_start, r_stop = right.indptr[j0], right.indptr[j1]
    if l_start == l_stop or r_start == r_stop:
        return np.zeros((n_rows, n_cols))
    l_rows = np.repeat(np.arange(n_rows), np.diff(left.indptr[i0 : i1 + 1]))
    l_feats, l_vals = left.indices[l_start:l_stop], left.data[l_start:l_stop]
    r_rows = np.repeat(np.arange(n_cols), np.diff(right.indptr[j0 : j1 + 1]))
    r_feats, r_vals = right.indices[r_start:r_stop], right.data[r_start:r_stop]
    order = np.argsort(r_feats, kind="stable")
    r_feats, r_rows, r_vals = r_feats[order], r_rows[order], r_vals[order]
    first = np.searchsorted(r_feats, l_feats, "left")
    counts = np.searchsorted(r_feats, l_feats, "right") - first
    total = int(counts.sum())
    if total == 0:
        return np.zeros((n_rows, n_cols))
    l_pick = np.repeat(np.arange(len(l_feats)), counts)
    r_pick = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(total)
    cells = l_rows[l_pick] * n_cols + r_rows[r_pick]
    products = l_vals[l_pick] * r_vals[r_pick]
    return np.bincount(cells, weights=products, minlength=n_rows * n_cols).reshape(n_rows, n_cols)


class LexicalCosts(LengthCosts):
    """Gale–Church costs minus weighted anchor matches."""

    def __init__(self, src_counts: sp.csr_matrix, tgt_counts: sp.csr_matrix, feature_weights: np.ndarray,
                 src_lengths: np.ndarray, tgt_lengths: np.ndarray, weights: LexicalWeights, ratio: float | None = None,
                 max_size: int = DEFAULT_MAX_BEAD):
        super().__init__(src_lengths, tgt_lengths, ratio=ratio, length_weight=weights.length)
        self.weights = weights
        self.src_counts, self.tgt_counts = src_counts, tgt_counts
        self.feature_weights = feature_weights
        self.max_size = max_size
        root = np.sqrt(feature_weights)
        self._src = {a: _expand(_node_windows(src_counts, a), root) for a in range(1, max_size + 1)}
        self._tgt = {b: _expand(_node_windows(tgt_counts, b), root) for b in range(1, max_size + 1)}

    def matches(self, a: int, b: int, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
        return rows_dot(self._src[a], i0, i1, self._tgt[b], j0, j1)

    def block(self, a, b, i0, i1, j0, j1):
        return super().block(a, b, i0, i1, j0, j1) - self.weights.anchor * self.matches(a, b, i0, i1, j0, j1)

    def skip_src(self):
        if self.weights.skip is None:
            return super().skip_src()
        return np.full(self.n_src, self.weights.skip)

    def skip_tgt(self):
        if self.weights.skip is None:
            return super().skip_tgt()
        return np.full(self.n_tgt, self.weights.skip)

    def coarsen(self):
        src, tgt = _halve_pair(self.src_counts, self.tgt_counts)
        return type(self)(src, tgt, self.feature_weights, halve(self.src_lengths), halve(self.tgt_lengths),
                          self.weights, self.ratio, max_size=2)

    def bead_score(self, a, b, i, j, cost):
        """Weighted Dice overlap of the bead's anchors (0 when neither side has any)."""
        return float(self._dice(a, b, np.array([i]), np.array([j]))[0]) if a and b else 0.0

    def bead_scores(self, path):
        scores = np.zeros(len(path))
        for a, b, positions, i, j in self._grouped(path):
            if a and b:
                scores[positions] = self._dice(a, b, i, j)
        return scores

    def _dice(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        x, y = self._src[a][i], self._tgt[b][j]
        matched = np.asarray(x.multiply(y).sum(axis=1)).ravel()
        total = np.asarray(x.multiply(x).sum(axis=1)).ravel() + np.asarray(y.multiply(y).sum(axis=1)).ravel()
        return np.divide(2 * matched, total, out=np.zeros_like(total), where=total > 0)


class AnchorCosts(LexicalCosts):
    """Only the anchor evidence (-M), no length or prior terms and free skips: a part for CombinedCosts."""

    def block(self, a, b, i0, i1, j0, j1):
        return -self.matches(a, b, i0, i1, j0, j1)

    def skip_src(self):
        return np.zeros(self.n_src)

    def skip_tgt(self):
        return np.zeros(self.n_tgt)



def _halve_rows(counts: sp.csr_matrix) -> sp.csr_matrix:
    even = counts.shape[0] - counts.shape[0] % 2
    return (counts[0:even:2] + counts[1:even:2]).tocsr()


def _halve_pair(src: sp.csr_matrix, tgt: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Both texts at half resolution, keeping only anchors found in at most COARSE_MAX_UNITS units
    per side: a coarse unit holds many sentences, and frequent features would make every pair of
    units match (and cost quadratic time) without telling where the path goes."""
    src, tgt = _halve_rows(src), _halve_rows(tgt)
    src_units = np.bincount(src.indices, minlength=src.shape[1])
    tgt_units = np.bincount(tgt.indices, minlength=tgt.shape[1])
    keep = sp.diags(((src_units <= COARSE_MAX_UNITS) & (tgt_units <= COARSE_MAX_UNITS)).astype(np.float64))
    src, tgt = (src @ keep).tocsr(), (tgt @ keep).tocsr()
    src.eliminate_zeros()
    tgt.eliminate_zeros()
    return src, tgt


def lexical_costs(src: list[str], tgt: list[str], weights: LexicalWeights | None = None,
                  dictionary: Mapping[str, Iterable[str]] | None = None, ratio: float | None = None,
                  cls: type[LexicalCosts] | None = None, max_size: int = DEFAULT_MAX_BEAD,
                  src_lang: str | None = None, tgt_lang: str | None = None) -> LexicalCosts:
    weights = weights or LexicalWeights()
    src_cut, tgt_cut = resolve_segmenter(weights.segmenter, src_lang), resolve_segmenter(weights.segmenter, tgt_lang)
    folded_dictionary = None
    targets = None
    if dictionary:
        folded_dictionary = {fold(k): [fold(t) for t in v] for k, v in dictionary.items()}
        targets = frozenset(t for v in folded_dictionary.values() for t in v)
    src_bags = [anchors(s, weights, dictionary=folded_dictionary, segmenter=src_cut) for s in src]
    tgt_bags = [anchors(s, weights, dictionary_targets=targets, segmenter=tgt_cut) for s in tgt]
    df = Counter(chain.from_iterable(src_bags + tgt_bags))
    src_keys = {k for bag in src_bags for k in bag}
    tgt_keys = {k for bag in tgt_bags for k in bag}
    shared = sorted(src_keys & tgt_keys)  # a feature seen on one side only can never match
    vocabulary = {key: k for k, key in enumerate(shared)}
    n_docs = len(src_bags) + len(tgt_bags)
    feature_weights = np.array(
        [_kind_weight(key, weights) * math.log((n_docs + 1) / df[key]) for key in shared], dtype=np.float64
    )
    src_counts = _count_matrix(src_bags, vocabulary)
    tgt_counts = _count_matrix(tgt_bags, vocabulary)
    return (cls or LexicalCosts)(src_counts, tgt_counts, np.maximum(feature_weights, 0.0),
                        sentence_lengths(src), sentence_lengths(tgt), weights, ratio, max_size=max_size)


LEXICAL_DEFAULTS = LexicalWeights(number=3.0, dictionary=0.5, anchor=1.5, skip=8.0)


@dataclass(frozen=True)
class LexicalOptions(SearchOptions, LexicalWeights):
    """Anchor weights (see LexicalWeights), plus a bilingual `word_list` (mapping or TSV path) and
    `self_train`: a second pass with word pairs learned from the first pass's 1-1 beads."""

    number: float = LEXICAL_DEFAULTS.number
    dictionary: float = LEXICAL_DEFAULTS.dictionary
    anchor: float = LEXICAL_DEFAULTS.anchor
    skip: float | None = LEXICAL_DEFAULTS.skip
    word_list: Mapping[str, list[str]] | str | None = None
    self_train: bool = True
    min_dice: float = 0.6


@register("lexical")
class LexicalAligner(Aligner):
    """Gale–Church lengths plus model-free anchors (numbers, punctuation, names, cognates, dictionary)."""

    Options = LexicalOptions

    def weights(self) -> LexicalWeights:
        names = {f.name for f in fields(LexicalWeights)}
        return LexicalWeights(**{name: getattr(self.options, name) for name in names})

    def costs(self, src, tgt, src_lang, tgt_lang, dictionary=None):
        return lexical_costs(list(src), list(tgt), self.weights(), dictionary=dictionary, max_size=self.options.max_bead,
                             src_lang=src_lang, tgt_lang=tgt_lang)
