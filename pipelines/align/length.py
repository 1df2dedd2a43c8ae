"""Gale & Church (1993) length-based bead costs: the baseline that needs nothing but character counts.

cost(bead) = -log P(type) - log 2·(1 - Φ(|δ|)),  δ = (c·l_src - l_tgt) / sqrt(s² · (l_src + l_tgt / c) / 2)
where c is the target/source character ratio of the document and s² = 6.8 (Gale & Church).
"""
from __future__ import annotations

import math
import re

import numpy as np
from scipy.special import log_ndtr

from dataclasses import dataclass

from pipelines.align.dp import PairCosts
from pipelines.align.registry import Aligner, SearchOptions, register

VARIANCE = 6.8
PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (1, 2): 0.089 / 2,
    (2, 1): 0.089 / 2,
    (2, 2): 0.011,
    (1, 3): 0.0005,
    (3, 1): 0.0005,
}


WIDE_DECAY = 0.1


def wide_prior(a: int, b: int) -> float:
    """Prior of a shape Gale & Church did not count (1-4, 2-3, …): their 1-3 prior, ×0.1 per extra sentence."""
    return PRIORS[(1, 3)] * WIDE_DECAY ** max(a + b - 4, 0)


# Characters of scripts that write a syllable or a morpheme per character, counted as the number of
# Latin letters they typically stand for, so that lengths of any two scripts share one unit and
# Gale & Church's variance (per Latin character) applies. Alphabets (Latin, Cyrillic, Greek, Arabic,
# Hebrew, Thai, Devanagari, …) count 1: the document's own length ratio absorbs the rest.
SCRIPT_WEIGHTS: dict[str, tuple[str, float]] = {
    "han": ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f", 3.0),
    "kana": ("\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f", 1.5),
    "hangul": ("\u1100-\u11ff\u3130-\u318f\uac00-\ud7af", 2.5),
}
_DENSE = {name: re.compile(f"[{chars}]") for name, (chars, _) in SCRIPT_WEIGHTS.items()}
_ANY_DENSE = re.compile("[" + "".join(chars for chars, _ in SCRIPT_WEIGHTS.values()) + "]")


def text_length(sentence: str) -> float:
    """Length in Latin-character equivalents: every character counts 1, except those of SCRIPT_WEIGHTS."""
    if not _ANY_DENSE.search(sentence):
        return float(len(sentence))
    extra = sum((weight - 1.0) * len(_DENSE[name].findall(sentence)) for name, (_, weight) in SCRIPT_WEIGHTS.items())
    return len(sentence) + extra


def sentence_lengths(sentences: list[str]) -> np.ndarray:
    return np.fromiter((text_length(s) for s in sentences), dtype=np.float64, count=len(sentences))


def halve(values: np.ndarray) -> np.ndarray:
    """Merge neighbouring entries pairwise (a trailing odd entry is dropped, as in Vecalign)."""
    even = len(values) - len(values) % 2
    return values[0:even:2] + values[1:even:2]


def length_cost(l_src: np.ndarray, l_tgt: np.ndarray, ratio: float, variance: float = VARIANCE) -> np.ndarray:
    """-log of the two-sided probability of the length difference (Gale & Church's match cost)."""
    mean = (l_src + l_tgt / ratio) / 2.0
    delta = (ratio * l_src - l_tgt) / np.sqrt(variance * np.maximum(mean, 1e-9))
    return -(math.log(2.0) + log_ndtr(-np.abs(delta)))


class LengthCosts(PairCosts):
    """Bead costs from sentence lengths alone."""

    def __init__(
        self,
        src_lengths: np.ndarray,
        tgt_lengths: np.ndarray,
        ratio: float | None = None,
        variance: float = VARIANCE,
        priors: dict[tuple[int, int], float] | None = None,
        length_weight: float = 1.0,
    ):
        self.src_lengths = np.asarray(src_lengths, dtype=np.float64)
        self.tgt_lengths = np.asarray(tgt_lengths, dtype=np.float64)
        self.n_src, self.n_tgt = len(self.src_lengths), len(self.tgt_lengths)
        if ratio is None:
            total_src = self.src_lengths.sum()
            ratio = float(self.tgt_lengths.sum() / total_src) if total_src > 0 else 1.0
        self.ratio = ratio if ratio > 0 else 1.0
        self.variance = variance
        self.priors = dict(PRIORS if priors is None else priors)
        self.length_weight = length_weight
        self._src_prefix = np.concatenate([[0.0], np.cumsum(self.src_lengths)])
        self._tgt_prefix = np.concatenate([[0.0], np.cumsum(self.tgt_lengths)])

    def prior_cost(self, a: int, b: int) -> float:
        return -math.log(self.priors.get((a, b)) or wide_prior(a, b))

    def _window(self, prefix: np.ndarray, size: int, start: int, stop: int) -> np.ndarray:
        nodes = np.arange(start, stop)
        return prefix[nodes] - prefix[np.maximum(nodes - size, 0)]

    def length_block(self, a: int, b: int, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
        l_src = self._window(self._src_prefix, a, i0, i1)[:, None]
        l_tgt = self._window(self._tgt_prefix, b, j0, j1)[None, :]
        return self.length_weight * length_cost(l_src, l_tgt, self.ratio, self.variance)

    def block(self, a, b, i0, i1, j0, j1):
        return self.length_block(a, b, i0, i1, j0, j1) + self.prior_cost(a, b)

    def skip_src(self):
        zeros = np.zeros_like(self.src_lengths)
        return self.length_weight * length_cost(self.src_lengths, zeros, self.ratio, self.variance) + self.prior_cost(1, 0)

    def skip_tgt(self):
        zeros = np.zeros_like(self.tgt_lengths)
        return self.length_weight * length_cost(zeros, self.tgt_lengths, self.ratio, self.variance) + self.prior_cost(0, 1)

    def coarsen(self):
        return LengthCosts(
            halve(self.src_lengths), halve(self.tgt_lengths), self.ratio, self.variance, self.priors, self.length_weight
        )


@dataclass(frozen=True)
class LengthOptions(SearchOptions):
    variance: float = VARIANCE
    ratio: float | None = None



@register("length")
class LengthAligner(Aligner):
    """Gale & Church (1993): character lengths only."""

    Options = LengthOptions

    def costs(self, src, tgt, src_lang, tgt_lang, dictionary=None):
        return LengthCosts(sentence_lengths(src), sentence_lengths(tgt), self.options.ratio, self.options.variance)
