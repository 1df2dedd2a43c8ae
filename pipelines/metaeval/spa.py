"""Soft pairwise accuracy (SPA) of a metric at the system level: Thompson, Mathur, Deutsch & Khayrallah 2024,
"Improving Statistical Significance in Human Evaluation of Automatic Metrics via Soft Pairwise Accuracy",
the system-level statistic of the WMT24 metrics task.

Followed: google-research/mt-metrics-eval `mt_metrics_eval/pce.py` (`compute_pairwise_p_values`,
`compute_one_minus_pce`) and `stats.PairwiseConfidenceError`. For every pair of systems, a paired permutation
test over segments gives the p-value of "system i is better than system j", once from the human segment scores
and once from the metric's; SPA = 1 − mean over pairs of |p_human − p_metric|. A metric that is as sure as
the people are, about every pair, scores 1.

As in pce.py: system scores are sums of segment scores (float32); 1,000 permutations; each permutation keeps
or swaps the two systems' scores of a segment with probability 1/2, one ±1 mask per segment shared by all
system pairs; the masks come from `numpy.random.default_rng(4)` (pce.py's default seed), so the same masks
serve the human and every metric and SPA is deterministic; p = share of permutations whose difference is
>= the observed one (one-sided, no +1 correction).

Missing scores: pce.py reshapes the scores into systems × segments after dropping missing gold scores,
which is well formed only where every system misses the same segments; here SPA uses the items that every
system has a human and a metric score for (`complete_items`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.errors import InputError

PERMUTATIONS = 1000
SEED = 4


@dataclass(frozen=True)
class SoftPairwiseAccuracy:
    value: float
    items: int  # items every system has a human and a metric score for
    pairs: int  # system pairs


def permutation_signs(permutations: int, segments: int, seed: int = SEED) -> np.ndarray:
    """The ±1 masks (permutations × segments), drawn exactly as pce.py draws them."""
    rng = np.random.default_rng(seed)
    signs = rng.random(size=(permutations, segments), dtype=np.float32)
    np.rint(signs, out=signs, casting="same_kind")
    signs *= 2.0
    signs -= 1.0
    return signs


def upper_p_values(partial: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """p-values of every system pair i < j (triangle order) from permuted sums.

    partial: (..., systems, permutations) — each system's sum under each mask; totals: (..., systems), the
    observed sums. Returns (..., pairs)."""
    systems, permutations = partial.shape[-2], partial.shape[-1]
    first, second = np.triu_indices(systems, k=1)
    counts = np.empty(partial.shape[:-2] + (first.size,))
    for pair, (i, j) in enumerate(zip(first, second)):
        observed = (totals[..., i] - totals[..., j])[..., None]
        counts[..., pair] = np.count_nonzero(partial[..., i, :] - partial[..., j, :] >= observed, axis=-1)
    return counts / permutations


def pairwise_p_values(segment_scores, permutations: int = PERMUTATIONS, seed: int = SEED) -> np.ndarray:
    """systems × systems matrix whose upper triangle holds the p-value of "system i > system j" (NaN elsewhere),
    from complete segment scores (systems × segments, higher = better)."""
    scores = np.asarray(segment_scores, dtype=np.float32)
    if scores.ndim != 2 or np.isnan(scores).any():
        raise InputError("pairwise p-values need a complete systems × segments matrix")
    systems = scores.shape[0]
    signs = permutation_signs(permutations, scores.shape[1], seed)
    partial = (signs @ scores.T).T  # systems × permutations
    matrix = np.full((systems, systems), np.nan)
    matrix[np.triu_indices(systems, k=1)] = upper_p_values(partial, scores.sum(axis=1))
    return matrix


def one_minus_pce(human_p_values: np.ndarray, metric_p_values: np.ndarray) -> float:
    """1 − pairwise confidence error: 1 − mean over the upper triangle of |p_human − p_metric|."""
    upper = np.triu_indices(np.asarray(human_p_values).shape[0], k=1)
    return float(1.0 - np.mean(np.abs(np.asarray(human_p_values) - np.asarray(metric_p_values))[upper]))


def complete_items(human, metric) -> np.ndarray:
    """Mask of the items (columns) that every system has a human and a metric score for."""
    human, metric = np.asarray(human, dtype=float), np.asarray(metric, dtype=float)
    if human.shape != metric.shape or human.ndim != 2:
        raise InputError(f"human scores {human.shape} and metric scores {metric.shape} must be systems × items alike")
    return ~(np.isnan(human) | np.isnan(metric)).any(axis=0)


def soft_pairwise_accuracy(human, metric, permutations: int = PERMUTATIONS, seed: int = SEED) -> SoftPairwiseAccuracy:
    """SPA of a metric's segment scores (systems × items, higher = better, as the human scores)."""
    human, metric = np.asarray(human, dtype=float), np.asarray(metric, dtype=float)
    keep = complete_items(human, metric)
    systems = human.shape[0]
    pairs = systems * (systems - 1) // 2
    if systems < 2 or not keep.any():
        return SoftPairwiseAccuracy(float("nan"), int(keep.sum()), pairs)
    value = one_minus_pce(pairwise_p_values(human[:, keep], permutations, seed),
                          pairwise_p_values(metric[:, keep], permutations, seed))
    return SoftPairwiseAccuracy(value, int(keep.sum()), pairs)
