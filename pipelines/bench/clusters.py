"""Significance clusters, as in the WMT findings tables: systems ordered by score, every pair compared
with a paired test, p-values corrected across all pairs of a metric (Holm by default), and a new cluster
starts at a system that some system of the current cluster significantly outperforms (mt-metrics-eval's
`AssignRanks`). Systems of one cluster share its rank.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.significance import CORRECTIONS

if TYPE_CHECKING:
    from pipelines.execution import Executor
    from pipelines.fidelity.registry import Metric, ScoringContext
    from pipelines.fidelity.shard_scores import SystemStatistics

TESTS = ("bs", "ar")


@dataclass
class PairTest:
    """`better` is ranked above `worse`; delta is the absolute score difference between them."""

    better: str
    worse: str
    delta: float
    p_value: float
    p_adjusted: float
    significant: bool

    def to_dict(self) -> dict:
        return asdict(self)


def bootstrap_p_value(observed: float, resampled_a: np.ndarray, resampled_b: np.ndarray) -> float:
    """sacrebleu's paired bootstrap p-value (Koehn 2004 as in Moses): the share of resampled absolute
    differences, centred on their mean, above the observed absolute difference (+1 smoothing).
    Identical resamples (the same output twice) are not different at all: p = 1."""
    sample_diffs = np.abs(resampled_b - resampled_a)
    if not np.any(sample_diffs) and observed == 0:
        return 1.0
    centred = sample_diffs - sample_diffs.mean()
    return float((np.sum(centred > abs(observed)) + 1) / (len(centred) + 1))


def order_systems(scores: Mapping[str, float], higher_is_better: bool = True) -> list[str]:
    """Best first; equal scores keep their given order."""
    names = list(scores)
    return sorted(names, key=lambda s: (-scores[s] if higher_is_better else scores[s], names.index(s)))


def assign_clusters(ordered: Sequence[str], p_adjusted: Mapping[tuple[str, str], float], alpha: float = 0.05) -> dict[str, int]:
    """Cluster rank of each system, `ordered` best first; p_adjusted[(a, b)] for a ranked above b.
    A new cluster starts at the first system that a member of the current cluster significantly beats."""
    ranks: dict[str, int] = {}
    rank, start = 1, 0
    for i, system in enumerate(ordered):
        if any(p_adjusted[(above, system)] < alpha for above in ordered[start:i]):
            rank += 1
            start = i
        ranks[system] = rank
    return ranks


def pairwise_tests(
    scores: Mapping[str, float],
    resampled: Mapping[str, np.ndarray],
    higher_is_better: bool = True,
    correction: str = "holm",
    alpha: float = 0.05,
) -> tuple[list[str], list[PairTest]]:
    """Paired bootstrap tests between all systems from their resampled scores (same draws for all)."""
    if correction not in CORRECTIONS:
        raise InputError(f"unknown correction {correction!r}; known: {', '.join(CORRECTIONS)}")
    ordered = order_systems(scores, higher_is_better)
    pairs = list(combinations(ordered, 2))
    raw = [bootstrap_p_value(scores[a] - scores[b], resampled[a], resampled[b]) for a, b in pairs]
    return ordered, _tests(scores, pairs, raw, correction, alpha)


def _tests(scores, pairs, raw, correction, alpha) -> list[PairTest]:
    adjusted = CORRECTIONS[correction](raw) if raw else []
    return [PairTest(a, b, float(abs(scores[a] - scores[b])), float(p), float(q), bool(q < alpha))
            for (a, b), p, q in zip(pairs, raw, adjusted)]


def approximate_randomization_tests(
    tables: Mapping[str, "SystemStatistics"],
    metric: "str | Metric",
    scores: Mapping[str, float],
    higher_is_better: bool = True,
    correction: str = "holm",
    alpha: float = 0.05,
    n_samples: int = 0,
    executor: "Executor | None" = None,
    context: "ScoringContext | None" = None,
) -> tuple[list[str], list[PairTest]]:
    """All pairs through sacrebleu's paired approximate randomization on the systems' statistics
    (pipelines.fidelity.significance), each system in turn the baseline of the systems ranked below it (one
    task per baseline, on `executor`); corrected across all pairs."""
    from pipelines.execution import InProcessExecutor
    from pipelines.fidelity.registry import ScoringContext, get_metric

    executor = executor or InProcessExecutor(progress=False)
    chosen, context = get_metric(metric), context or ScoringContext()
    ordered = order_systems(scores, higher_is_better)
    tasks = [(chosen, context, tables[baseline].stats[chosen.name],
              {name: tables[name].stats[chosen.name] for name in ordered[i + 1:]}, n_samples)
             for i, baseline in enumerate(ordered[:-1])]
    raw_by_pair: dict[tuple[str, str], float] = {}
    for baseline, outcomes in zip(ordered, executor.map(_ar_baseline, tasks, label=f"{chosen.name} AR")):
        for system, outcome in outcomes.items():
            raw_by_pair[(baseline, system)] = outcome.p_value
    pairs = list(combinations(ordered, 2))
    return ordered, _tests(scores, pairs, [raw_by_pair[p] for p in pairs], correction, alpha)


def _ar_baseline(task: tuple) -> dict:
    """Worker: raw AR p-values of the systems below one baseline, from their statistics."""
    from pipelines.fidelity.significance import compare_to_baseline

    metric, context, baseline_stats, others, n_samples = task
    return compare_to_baseline(metric, context, baseline_stats, others, test="ar", n_samples=n_samples)


def clusters_from_tests(ordered: Sequence[str], tests: Sequence[PairTest], alpha: float = 0.05) -> dict[str, int]:
    return assign_clusters(ordered, {(t.better, t.worse): t.p_adjusted for t in tests}, alpha)
