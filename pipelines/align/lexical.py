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
import unicodedata
from collections import Counter
from dataclasses import dataclass, fields
from typing import Iterable, Mapping

import numpy as np
import scipy.sparse as sp

from pipelines.align.length import LengthCosts, halve, sentence_lengths
from pipelines.align.registry import Aligner, SearchOptions, register

TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
DIGITS = re.compile(r"\d+")
PUNCTUATION_CLASSES = {
    "?": "?", "¿": "?", "!": "!", "¡": "!", ":": ":", ";": ";",
    "(": "(", ")": ")", "[": "(", "]": ")",
    "«": "quote", "»": "quote", "„": "quote", "“": "quote", "”": "quote", '"': "quote", "‹": "quote", "›": "quote",
    "–": "dash", "—": "dash", "…": "...", "%": "%", "&": "&", "/": "/", "§": "§", "+": "+", "=": "=",
}
MAX_COUNT = 8


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


def fold(text: str) -> str:
    """Lower-case, accents removed, ß → ss: the spelling that cognates and names share across languages."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def anchors(sentence: str, weights: LexicalWeights, dictionary: Mapping[str, Iterable[str]] | None = None,
            dictionary_targets: frozenset[str] | None = None) -> Counter:
    """The anchor multiset of one sentence, keys prefixed by kind (n: p: N: w: c: d:)."""
    features: Counter = Counter()
    tokens = TOKEN.findall(sentence)
    first_word = True
    for token in tokens:
        if token.isdigit() or DIGITS.search(token):
            for run in DIGITS.findall(token):
                features["n:" + run.lstrip("0") or "0"] += 1
            first_word = False
            continue
        if not token[0].isalnum() and token[0] != "_":
            kind = PUNCTUATION_CLASSES.get(token)
            if kind:
                features["p:" + kind] += 1
            continue
        folded = fold(token)
        if token[0].isupper() and not first_word and len(token) > 1:
            features["N:" + folded] += 1
        first_word = False
        if len(folded) >= weights.min_word:
            features["w:" + folded] += 1
            if weights.cognate and len(folded) > weights.prefix:
                features["c:" + folded[: weights.prefix]] += 1
        if dictionary is not None:
            for translation in dictionary.get(folded, ()):
                features["d:" + translation] += 1
        if dictionary_targets is not None and folded in dictionary_targets:
            features["d:" + folded] += 1
    return features


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
            rows.append(r)
            cols.append(vocabulary[key])
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


class LexicalCosts(LengthCosts):
    """Gale–Church costs minus weighted anchor matches."""

    def __init__(self, src_counts: sp.csr_matrix, tgt_counts: sp.csr_matrix, feature_weights: np.ndarray,
                 src_lengths: np.ndarray, tgt_lengths: np.ndarray, weights: LexicalWeights, ratio: float | None = None,
                 max_size: int = 3):
        super().__init__(src_lengths, tgt_lengths, ratio=ratio, length_weight=weights.length)
        self.weights = weights
        self.src_counts, self.tgt_counts = src_counts, tgt_counts
        self.feature_weights = feature_weights
        self.max_size = max_size
        root = np.sqrt(feature_weights)
        self._src = {a: _expand(_node_windows(src_counts, a), root) for a in range(1, max_size + 1)}
        self._tgt_t = {b: _expand(_node_windows(tgt_counts, b), root).T.tocsr() for b in range(1, max_size + 1)}

    def matches(self, a: int, b: int, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
        return (self._src[a][i0:i1] @ self._tgt_t[b][:, j0:j1]).toarray()

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
        return LexicalCosts(
            _halve_rows(self.src_counts), _halve_rows(self.tgt_counts), self.feature_weights,
            halve(self.src_lengths), halve(self.tgt_lengths), self.weights, self.ratio, max_size=2,
        )

    def bead_score(self, a, b, i, j, cost):
        """Weighted Dice overlap of the bead's anchors (0 when neither side has any)."""
        if a == 0 or b == 0:
            return 0.0
        x = np.asarray(self.src_counts[i - a : i].sum(axis=0)).ravel()
        y = np.asarray(self.tgt_counts[j - b : j].sum(axis=0)).ravel()
        total = float((self.feature_weights * (x + y)).sum())
        return float(2 * (self.feature_weights * np.minimum(x, y)).sum() / total) if total else 0.0


class AnchorCosts(LexicalCosts):
    """Only the anchor evidence (-M), no length or prior terms and free skips: a part for CombinedCosts."""

    def block(self, a, b, i0, i1, j0, j1):
        return -self.matches(a, b, i0, i1, j0, j1)

    def skip_src(self):
        return np.zeros(self.n_src)

    def skip_tgt(self):
        return np.zeros(self.n_tgt)

    def coarsen(self):
        return AnchorCosts(
            _halve_rows(self.src_counts), _halve_rows(self.tgt_counts), self.feature_weights,
            halve(self.src_lengths), halve(self.tgt_lengths), self.weights, self.ratio, max_size=2,
        )


def _halve_rows(counts: sp.csr_matrix) -> sp.csr_matrix:
    even = counts.shape[0] - counts.shape[0] % 2
    return (counts[0:even:2] + counts[1:even:2]).tocsr()


def lexical_costs(src: list[str], tgt: list[str], weights: LexicalWeights | None = None,
                  dictionary: Mapping[str, Iterable[str]] | None = None, ratio: float | None = None,
                  cls: type[LexicalCosts] | None = None) -> LexicalCosts:
    weights = weights or LexicalWeights()
    folded_dictionary = None
    targets = None
    if dictionary:
        folded_dictionary = {fold(k): [fold(t) for t in v] for k, v in dictionary.items()}
        targets = frozenset(t for v in folded_dictionary.values() for t in v)
    src_bags = [anchors(s, weights, dictionary=folded_dictionary) for s in src]
    tgt_bags = [anchors(s, weights, dictionary_targets=targets) for s in tgt]
    df: Counter = Counter()
    for bag in src_bags + tgt_bags:
        df.update(bag.keys())
    src_keys = {k for bag in src_bags for k in bag}
    tgt_keys = {k for bag in tgt_bags for k in bag}
    shared = sorted(src_keys & tgt_keys)  # a feature seen on one side only can never match
    vocabulary = {key: k for k, key in enumerate(shared)}
    n_docs = len(src_bags) + len(tgt_bags)
    feature_weights = np.array(
        [_kind_weight(key, weights) * math.log((n_docs + 1) / df[key]) for key in shared], dtype=np.float64
    )
    src_counts = _count_matrix([Counter({k: c for k, c in bag.items() if k in vocabulary}) for bag in src_bags], vocabulary)
    tgt_counts = _count_matrix([Counter({k: c for k, c in bag.items() if k in vocabulary}) for bag in tgt_bags], vocabulary)
    return (cls or LexicalCosts)(src_counts, tgt_counts, np.maximum(feature_weights, 0.0),
                        sentence_lengths(src), sentence_lengths(tgt), weights, ratio)


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
        return lexical_costs(list(src), list(tgt), self.weights(), dictionary=dictionary)
