"""Is one metric's agreement with people significantly better than another's? Paired permutation tests between
every two metrics, for system pairwise accuracy, SPA and segment acc_eq, and the significance clusters (ranks)
that the WMT metrics tasks report.

Followed: google-research/mt-metrics-eval `mt_metrics_eval/stats.py` (`PermutationSigDiff`, the PERM-BOTH test
of Deutsch et al. 2021, https://arxiv.org/abs/2104.00054; `PairwisePermutationSigDiff`) and `data.py`
(`ComputeSigMatrix`, `AssignRanks`, `CompareMetricsWithGlobalAccuracy`, `CompareMetricsWithPairwiseConfidenceError`),
as `tasks.WMT24` runs them:

- `sys_accuracy`: each metric's system scores are z-scored; a draw swaps the two metrics' scores of each
  system with probability 1/2 and recomputes both accuracies.
- `sys_spa`: each metric's segment scores are z-scored over all (system, item) scores; a draw swaps the two
  metrics' scores of each (system, item) with probability 1/2 and recomputes both SPAs (human p-values fixed).
- `seg_acc_eq` (WMT23/24's `perm_test='pairs'`): each metric keeps its own optimal tie threshold epsilon; a
  draw swaps the two metrics' verdicts on each compared pair (two systems' translations of one item) with
  probability 1/2 and recomputes both acc_eq, without re-calibrating epsilon.

For metrics a and b with observed difference d = stat(a) − stat(b), p[a][b] is the share of draws whose
difference stat(hybrid_a) − stat(hybrid_b) is >= d: the one-sided p-value that a beats b by chance
(`PermutationSigDiff`'s "p-value for metric2 > metric1"); p[b][a] comes from the same draws (<= d).
k = 1,000 draws (mt-metrics-eval's default), all of them: `PermutationSigDiffParams`' early stop (block_size
1000 = k by default; WMT24's tasks set 100) only saves time, and vectorised draws make it unnecessary.
Unlike mt-metrics-eval, whose draws come from numpy's unseeded global generator, each pair of metrics draws
from `numpy.random.default_rng(seed)`, so a p-value does not depend on which other metrics are compared.
Differences within 1e-9 count as equal (floating-point sums of the same terms in another order).

Ranks (`AssignRanks`): metrics sorted by decreasing value (name second); a new rank starts at a metric that
some metric since the current rank's first significantly beats (p <= alpha, default 0.05).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Callable, Sequence

import numpy as np

from pipelines.metaeval import spa
from pipelines.metaeval.stats import grouped_pairs, pair_agreement, tie_calibrated_accuracy

SAMPLES = 1000
SEED = 4
ALPHA = 0.05
STATISTICS = ("sys_accuracy", "sys_spa", "seg_acc_eq")
TESTS = {
    "sys_accuracy": "PERM-BOTH: z-scored system scores of the two metrics swapped per system",
    "sys_spa": "PERM-BOTH: z-scored segment scores of the two metrics swapped per (system, item)",
    "seg_acc_eq": "pairs: the two metrics' verdicts swapped per compared pair, each metric keeping its own epsilon",
}
TOLERANCE = 1e-9
BLOCK = 100  # draws evaluated at once


@dataclass
class Candidate:
    """One metric's scores, oriented higher = better: system vector and systems × items segment matrix;
    its acc_eq tie threshold when known (else optimised here)."""

    name: str
    system: np.ndarray
    segment: np.ndarray
    acc_eq_epsilon: float | None = None


@dataclass
class Comparison:
    """Every pair of metrics compared on one statistic."""

    statistic: str
    test: str
    metrics: list[str]  # by decreasing value
    values: list[float | None]
    ranks: list[int | None]  # significance cluster, 1 = best
    p_values: dict[str, dict[str, float | None]]  # p_values[a][b]: one-sided p that a beats b
    samples: int
    seed: int
    alpha: float
    deltas: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def rank(self, metric: str) -> int | None:
        return self.ranks[self.metrics.index(metric)]

    def significant(self, better: str, worse: str) -> bool:
        p = self.p_values[better][worse]
        return p is not None and p <= self.alpha

    def matrix_rows(self) -> list[dict]:
        """One row per metric (decreasing value): rank, value, and its p-value of beating each other metric."""
        return [{"metric": m, "rank": r, self.statistic: v, **{o: self.p_values[m].get(o) for o in self.metrics}}
                for m, r, v in zip(self.metrics, self.ranks, self.values)]


def zscore(values: np.ndarray) -> np.ndarray:
    """scipy.stats.zscore (ddof 0) over all given values; a constant metric becomes zeros."""
    std = float(np.std(values))
    return (values - np.mean(values)) / std if std > 0 else np.zeros_like(values)


def _signs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(0, 2, size=shape, dtype=np.int8).astype(bool)


class _Accuracy:
    """System pairwise accuracy of many score vectors at once (mt-metrics-eval `Agreement`)."""

    def __init__(self, human_system: np.ndarray, keep: np.ndarray):
        self.first, self.second = np.triu_indices(int(keep.sum()), k=1)
        h = human_system[keep]
        self.human_sign = np.sign(h[self.first] - h[self.second])

    def __call__(self, scores: np.ndarray) -> np.ndarray:  # (..., systems) -> (...)
        sign = np.sign(scores[..., self.first] - scores[..., self.second])
        return np.mean(sign == self.human_sign, axis=-1)


def accuracy_draws(human_system, a, b, samples: int, rng) -> tuple[float, np.ndarray]:
    """(observed difference, differences under the draws) of system pairwise accuracy, metric a minus b."""
    keep = ~(np.isnan(human_system) | np.isnan(a) | np.isnan(b))
    accuracy = _Accuracy(human_system, keep)
    za, zb = zscore(a[keep]), zscore(b[keep])
    swap = _signs(rng, (samples, za.size))
    hybrid_a, hybrid_b = np.where(swap, zb, za), np.where(swap, za, zb)
    return float(accuracy(za) - accuracy(zb)), accuracy(hybrid_a) - accuracy(hybrid_b)


def spa_draws(human, a, b, samples: int, rng, permutations: int = spa.PERMUTATIONS,
              seed: int = spa.SEED) -> tuple[float, np.ndarray]:
    """(observed difference, differences under the draws) of SPA, metric a minus b, on the items complete for
    the human and both metrics. The permuted sums of a hybrid are those of metric b plus the swapped part."""
    keep = spa.complete_items(human, a) & spa.complete_items(human, b)
    human_p = spa.pairwise_p_values(human[:, keep], permutations, seed)[np.triu_indices(human.shape[0], k=1)]
    za, zb = zscore(a[:, keep]), zscore(b[:, keep])
    signs = spa.permutation_signs(permutations, int(keep.sum()), seed)

    def spa_of(partial: np.ndarray, totals: np.ndarray) -> np.ndarray:
        return 1.0 - np.mean(np.abs(spa.upper_p_values(partial, totals) - human_p), axis=-1)

    za, zb = za.astype(np.float32), zb.astype(np.float32)
    partial_a, partial_b = (signs @ za.T).T, (signs @ zb.T).T
    totals_a, totals_b = za.sum(axis=1), zb.sum(axis=1)
    observed = float(spa_of(partial_a, totals_a) - spa_of(partial_b, totals_b))
    diff = za - zb  # a draw's hybrid of a is b + taken·diff, its hybrid of b is a − taken·diff
    null = np.empty(samples)
    for start in range(0, samples, BLOCK):
        count = min(BLOCK, samples - start)
        taken = _signs(rng, (count,) + diff.shape) * diff  # draws × systems × items
        moved = (signs @ taken.reshape(-1, diff.shape[1]).T).T.reshape(count, diff.shape[0], permutations)
        moved_totals = taken.sum(axis=2)
        null[start:start + count] = (spa_of(partial_b + moved, totals_b + moved_totals)
                                     - spa_of(partial_a - moved, totals_a - moved_totals))
    return observed, null


def acc_eq_draws(human, a, b, epsilon_a: float, epsilon_b: float, samples: int, rng) -> tuple[float, np.ndarray]:
    """(observed difference, differences under the draws) of acc_eq grouped by item, metric a minus b. A draw
    flips the sign of each pair's contribution weight · (agree_a − agree_b) with probability 1/2."""
    pairs = grouped_pairs(~(np.isnan(human) | np.isnan(a) | np.isnan(b)), "item")
    h, fa, fb = human.ravel(), a.ravel(), b.ravel()
    dh = h[pairs.first] - h[pairs.second]
    agree_a = pair_agreement(dh, fa[pairs.first] - fa[pairs.second], epsilon_a)
    agree_b = pair_agreement(dh, fb[pairs.first] - fb[pairs.second], epsilon_b)
    terms = (pairs.weight * (agree_a.astype(float) - agree_b.astype(float)))[agree_a != agree_b]
    null = np.empty(samples)
    for start in range(0, samples, BLOCK):
        count = min(BLOCK, samples - start)
        flips = np.where(_signs(rng, (count, terms.size)), -1.0, 1.0)
        null[start:start + count] = flips @ terms
    return float(terms.sum()), null


def _value(statistic: str, human: np.ndarray, human_system: np.ndarray, candidate: Candidate, epsilon: float) -> float:
    if statistic == "sys_accuracy":
        keep = ~(np.isnan(human_system) | np.isnan(candidate.system))
        return float(_Accuracy(human_system, keep)(candidate.system[keep])) if keep.sum() >= 2 else math.nan
    if statistic == "sys_spa":
        return spa.soft_pairwise_accuracy(human, candidate.segment).value
    pairs = grouped_pairs(~(np.isnan(human) | np.isnan(candidate.segment)), "item")
    if not pairs.groups:
        return math.nan
    h, m = human.ravel(), candidate.segment.ravel()
    agree = pair_agreement(h[pairs.first] - h[pairs.second], m[pairs.first] - m[pairs.second], epsilon)
    return float(np.sum(pairs.weight * agree))


def assign_ranks(ordered: Sequence[str], p_values: dict[str, dict[str, float | None]], alpha: float) -> list[int]:
    """mt-metrics-eval `AssignRanks` over metrics in decreasing order."""
    ranks, current, first = [], 1, 0
    for i, metric in enumerate(ordered):
        if any(p_values[ordered[s]][metric] is not None and p_values[ordered[s]][metric] <= alpha for s in range(first, i)):
            current += 1
            first = i
        ranks.append(current)
    return ranks


def compare(statistic: str, human, candidates: Sequence[Candidate], samples: int = SAMPLES, seed: int = SEED,
            alpha: float = ALPHA, progress: Callable[[str], None] | None = None) -> Comparison:
    """Every pair of candidates on one statistic (one of STATISTICS); human is systems × items, higher = better."""
    if statistic not in STATISTICS:
        raise ValueError(f"unknown statistic {statistic!r}; known: {', '.join(STATISTICS)}")
    human = np.asarray(human, dtype=float)
    human_system = np.array([np.nanmean(row) if np.any(~np.isnan(row)) else np.nan for row in human])
    epsilons = {c.name: (c.acc_eq_epsilon if c.acc_eq_epsilon is not None
                         else tie_calibrated_accuracy(human, c.segment, "acc23", "item").epsilon) for c in candidates}
    values = {c.name: _value(statistic, human, human_system, c, epsilons[c.name]) for c in candidates}
    by_name = {c.name: c for c in candidates}
    p_values: dict[str, dict[str, float | None]] = {c.name: {} for c in candidates}
    deltas: dict[str, dict[str, float | None]] = {c.name: {} for c in candidates}
    for a, b in combinations([c.name for c in candidates], 2):
        p_values[a][b] = p_values[b][a] = deltas[a][b] = deltas[b][a] = None
        if samples > 0 and not (math.isnan(values[a]) or math.isnan(values[b])):
            rng = np.random.default_rng(seed)
            ca, cb = by_name[a], by_name[b]
            if statistic == "sys_accuracy":
                observed, null = accuracy_draws(human_system, ca.system, cb.system, samples, rng)
            elif statistic == "sys_spa":
                observed, null = spa_draws(human, ca.segment, cb.segment, samples, rng)
            else:
                observed, null = acc_eq_draws(human, ca.segment, cb.segment, epsilons[a], epsilons[b], samples, rng)
            p_values[a][b] = float(np.mean(null >= observed - TOLERANCE))
            p_values[b][a] = float(np.mean(null <= observed + TOLERANCE))
            deltas[a][b], deltas[b][a] = observed, -observed
        if progress is not None:
            progress(f"{statistic}: {a} vs {b}")
    scored = sorted((n for n in values if not math.isnan(values[n])), key=lambda n: (-values[n], n))
    unscored = [n for n in values if math.isnan(values[n])]
    ranks: list[int | None] = assign_ranks(scored, p_values, alpha) if samples > 0 else [None] * len(scored)
    return Comparison(
        statistic=statistic, test=TESTS[statistic], metrics=scored + unscored,
        values=[values[n] for n in scored] + [None] * len(unscored), ranks=ranks + [None] * len(unscored),
        p_values=p_values, samples=samples, seed=seed, alpha=alpha, deltas=deltas,
    )


def compare_metrics(human, candidates: Sequence[Candidate], samples: int = SAMPLES, seed: int = SEED,
                    alpha: float = ALPHA, statistics: Sequence[str] = STATISTICS,
                    progress: Callable[[str], None] | None = None) -> dict[str, Comparison]:
    """`compare` for each statistic."""
    return {s: compare(s, human, candidates, samples, seed, alpha, progress) for s in statistics}
