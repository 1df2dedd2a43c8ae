"""Correlation statistics of metric scores against human scores, defined as mt-metrics-eval defines them.

Scores are oriented so that higher is better on both sides (negate MQM and TER before calling).
Segment-level inputs are matrices with one row per system and one column per item (segment);
NaN marks a missing score and is filtered pairwise, as mt-metrics-eval filters None.

- `pairwise_accuracy`: system-level accuracy (Kocmi et al. 2021; mt-metrics-eval `Agreement`):
  the share of system pairs whose human and metric differences have the same sign (ties included).
- `kendall_tau_b`: scipy's tau-b over the flattened scores (mt-metrics-eval `Kendall`, average_by none).
- `tie_calibrated_accuracy`: acc_eq of Deutsch, Foster & Freitag 2023 ("Ties Matter"), mt-metrics-eval
  `KendallWithTiesOpt(variant='acc23', average_by='item', sample_rate=1.0)` as used by WMT23: metric
  differences up to a threshold epsilon count as ties; epsilon is chosen to maximise the accuracy.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.stats

from corpus.errors import InputError

AVERAGE_BY = ("item", "sys", "none")
TIE_VARIANTS = ("acc23", "23")


@dataclass(frozen=True)
class TauStats:
    """Pair counts: concordant, discordant, tied only in human, only in metric, tied in both."""

    con: int = 0
    dis: int = 0
    ties_human: int = 0
    ties_metric: int = 0
    ties_both: int = 0

    @property
    def pairs(self) -> int:
        return self.con + self.dis + self.ties_human + self.ties_metric + self.ties_both

    def acc23(self) -> float:
        return (self.con + self.ties_both) / self.pairs

    def tau23(self) -> float:
        return (self.con + self.ties_both - self.dis - self.ties_human - self.ties_metric) / self.pairs


@dataclass(frozen=True)
class TieCalibration:
    value: float
    epsilon: float
    groups: int
    pairs: int
    variant: str


def _vectors(human: Sequence[float], metric: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    h = np.asarray(human, dtype=float).ravel()
    m = np.asarray(metric, dtype=float).ravel()
    if h.shape != m.shape:
        raise InputError(f"human and metric scores differ in length ({h.size} vs {m.size})")
    keep = ~(np.isnan(h) | np.isnan(m))
    return h[keep], m[keep]


def pearson(human: Sequence[float], metric: Sequence[float]) -> float:
    h, m = _vectors(human, metric)
    if h.size < 2 or np.all(h == h[0]) or np.all(m == m[0]):
        return float("nan")
    return float(scipy.stats.pearsonr(h, m)[0])


def kendall_tau_b(human: Sequence[float], metric: Sequence[float]) -> float:
    h, m = _vectors(human, metric)
    if h.size < 2:
        return float("nan")
    return float(scipy.stats.kendalltau(h, m, variant="b")[0])


def _pair_indices(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, k=1)


def tau_stats(human: Sequence[float], metric: Sequence[float]) -> TauStats:
    h, m = _vectors(human, metric)
    i, j = _pair_indices(h.size)
    dh, dm = h[i] - h[j], m[i] - m[j]
    tie_h, tie_m = dh == 0, dm == 0
    return TauStats(
        con=int(np.sum((dh * dm) > 0)),
        dis=int(np.sum((dh * dm) < 0)),
        ties_human=int(np.sum(tie_h & ~tie_m)),
        ties_metric=int(np.sum(tie_m & ~tie_h)),
        ties_both=int(np.sum(tie_h & tie_m)),
    )


def pairwise_accuracy(human: Sequence[float], metric: Sequence[float]) -> tuple[float, int, int]:
    """(accuracy, agreeing pairs, pairs): pairs whose differences have the same sign (0 = tie)."""
    h, m = _vectors(human, metric)
    i, j = _pair_indices(h.size)
    agree = int(np.sum(np.sign(h[i] - h[j]) == np.sign(m[i] - m[j])))
    pairs = int(i.size)
    return (agree / pairs if pairs else float("nan")), agree, pairs


def _groups(human: np.ndarray, metric: np.ndarray, average_by: str) -> list[tuple[np.ndarray, np.ndarray]]:
    if average_by not in AVERAGE_BY:
        raise InputError(f"unknown grouping {average_by!r}; known: {', '.join(AVERAGE_BY)}")
    if human.shape != metric.shape:
        raise InputError(f"human scores {human.shape} and metric scores {metric.shape} differ in shape")
    if human.ndim == 1 or average_by == "none":
        return [(human.ravel(), metric.ravel())]
    if average_by == "item":
        return [(human[:, c], metric[:, c]) for c in range(human.shape[1])]
    return [(human[r], metric[r]) for r in range(human.shape[0])]


def tie_calibrated_accuracy(
    human: Sequence, metric: Sequence, variant: str = "acc23", average_by: str = "item"
) -> TieCalibration:
    """acc_eq (variant 'acc23') or tau_eq ('23') with the tie threshold epsilon optimised over all pairs.

    Each group (an item: the systems' translations of one segment) contributes the mean of its pairs'
    scores, and the result is the mean over groups that have at least one pair. A pair scores 1 when
    human and metric agree (same order, or both tied) and 0 otherwise (acc23); with epsilon, metric
    differences |Δm| <= epsilon are ties. Every distinct |Δm| is a candidate epsilon, plus 0; the first
    best is kept, as mt-metrics-eval's `tau_optimization` with sample_rate 1.0 does.
    """
    if variant not in TIE_VARIANTS:
        raise InputError(f"unknown tie-calibrated variant {variant!r}; known: {', '.join(TIE_VARIANTS)}")
    human = np.asarray(human, dtype=float)
    metric = np.asarray(metric, dtype=float)
    normal_parts, tie_parts, diff_parts, weight_parts = [], [], [], []
    groups = 0
    for h, m in _groups(human, metric, average_by):
        keep = ~(np.isnan(h) | np.isnan(m))
        h, m = h[keep], m[keep]
        if h.size < 2:
            continue
        i, j = _pair_indices(h.size)
        dh, dm = h[i] - h[j], m[i] - m[j]
        agree = ((dh * dm) > 0) | ((dh == 0) & (dm == 0))
        tie_agree = dh == 0
        if variant == "acc23":
            normal, tie = agree.astype(float), tie_agree.astype(float)
        else:
            normal, tie = np.where(agree, 1.0, -1.0), np.where(tie_agree, 1.0, -1.0)
        normal_parts.append(normal)
        tie_parts.append(tie)
        diff_parts.append(np.abs(dm))
        weight_parts.append(np.full(i.size, 1.0 / i.size))
        groups += 1
    if not groups:
        return TieCalibration(float("nan"), 0.0, 0, 0, variant)
    normal = np.concatenate(normal_parts)
    tie = np.concatenate(tie_parts)
    diff = np.concatenate(diff_parts)
    weight = np.concatenate(weight_parts) / groups
    start = float(np.sum(normal * weight))
    order = np.argsort(diff, kind="stable")
    diff = diff[order]
    running = start + np.cumsum(((tie - normal) * weight)[order])
    last_of_value = np.r_[diff[1:] != diff[:-1], True]
    thresholds = np.r_[0.0, diff[last_of_value]]
    values = np.r_[start, running[last_of_value]]
    if thresholds.size > 1 and thresholds[1] == 0.0:  # pairs already tied in the metric: same value as start
        thresholds, values = thresholds[1:], values[1:]
    best = int(np.nanargmax(values))
    return TieCalibration(float(values[best]), float(thresholds[best]), groups, int(diff.size), variant)
