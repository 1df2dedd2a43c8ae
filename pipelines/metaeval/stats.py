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


@dataclass(frozen=True)
class GroupedPairs:
    """The pairs acc_eq compares: within each group (an item, a system, or everything), every two rated entries.
    `first`/`second` are flat indices into the systems × items matrix, group by group in triangle order;
    `weight` is 1 / (pairs in the pair's group × groups), so that each group counts once."""

    first: np.ndarray
    second: np.ndarray
    weight: np.ndarray
    groups: int


def grouped_pairs(valid, average_by: str = "item") -> GroupedPairs:
    """Pairs of the entries marked valid (True = human and metric scores present), grouped as mt-metrics-eval's
    `_Reshape` groups a systems × items matrix: 'item' = columns, 'sys' = rows, 'none' = all together."""
    if average_by not in AVERAGE_BY:
        raise InputError(f"unknown grouping {average_by!r}; known: {', '.join(AVERAGE_BY)}")
    valid = np.asarray(valid, dtype=bool)
    flat = np.arange(valid.size).reshape(valid.shape)
    if valid.ndim == 1 or average_by == "none":
        members = flat.reshape(1, -1)
    elif average_by == "item":
        members = flat.T
    else:
        members = flat
    present = valid.ravel()[members]
    a, b = _pair_indices(members.shape[1])
    both = present[:, a] & present[:, b]
    group_of, pair_of = np.nonzero(both)
    counts = both.sum(axis=1)
    groups = int(np.count_nonzero(counts))
    weight = 1.0 / counts[group_of] / groups if groups else np.zeros(0)
    return GroupedPairs(members[group_of, a[pair_of]], members[group_of, b[pair_of]], weight, groups)


def pair_agreement(human_diff: np.ndarray, metric_diff: np.ndarray, epsilon: float = 0.0) -> np.ndarray:
    """acc23 per pair: True where human and metric order the pair alike, a metric difference |Δm| <= epsilon
    counting as a metric tie (mt-metrics-eval `_MatrixSufficientStatistics`: concordant or tied in both)."""
    metric_tie = np.abs(metric_diff) <= epsilon
    return (((human_diff > 0) & (metric_diff > 0) | (human_diff < 0) & (metric_diff < 0)) & ~metric_tie) | (
        (human_diff == 0) & metric_tie)


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
    if human.shape != metric.shape:
        raise InputError(f"human scores {human.shape} and metric scores {metric.shape} differ in shape")
    pairs = grouped_pairs(~(np.isnan(human) | np.isnan(metric)), average_by)
    if not pairs.groups:
        return TieCalibration(float("nan"), 0.0, 0, 0, variant)
    h, m = human.ravel(), metric.ravel()
    dh, dm = h[pairs.first] - h[pairs.second], m[pairs.first] - m[pairs.second]
    agree = pair_agreement(dh, dm)
    tie_agree = dh == 0
    if variant == "acc23":
        normal, tie = agree.astype(float), tie_agree.astype(float)
    else:
        normal, tie = np.where(agree, 1.0, -1.0), np.where(tie_agree, 1.0, -1.0)
    diff, weight, groups = np.abs(dm), pairs.weight, pairs.groups
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
