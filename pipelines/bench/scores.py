"""System scores for a benchmark: each system's sufficient statistics are extracted once per metric
(pipelines.fidelity does the extraction) and give the corpus score, the segment scores, the bootstrap
confidence interval and the paired tests between all systems.

Bootstrap draws are sacrebleu's (seed SACREBLEU_SEED, default 12345; the same index draw for every
system), so the scores of each resample, the confidence intervals and the paired bootstrap p-values are
those sacrebleu computes; the resampled sums come from one matrix product instead of a Python loop.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sacrebleu.significance import estimate_ci

from pipelines.fidelity import MetricResult, get_metric
from pipelines.fidelity.registry import Metric, Resampling, ScoringContext
from pipelines.fidelity.scoring import ConfidenceInterval, reference_count
from pipelines.fidelity.shard_scores import SystemStatistics, system_statistics
from pipelines.provenance import calque_version

DRAW_BLOCK = 100  # resamples per matrix product, to bound memory (DRAW_BLOCK × segments floats)


@dataclass
class Draws:
    """The bootstrap draws shared by every system: n_samples rows of segment indices."""

    indices: np.ndarray
    seed: str

    @classmethod
    def sacrebleu(cls, n_segments: int, n_samples: int) -> "Draws":
        seed = os.environ.get("SACREBLEU_SEED", "12345")
        rng = np.random.default_rng(None if seed.lower() == "none" else int(seed))
        return cls(rng.choice(n_segments, size=(n_samples, n_segments), replace=True), seed.lower())

    @property
    def n_samples(self) -> int:
        return int(self.indices.shape[0])

    def resampled_sums(self, stats: np.ndarray) -> np.ndarray:
        """Σ stats over each resample (n_samples × statistics), as counts-matrix products."""
        n_samples, n = self.indices.shape
        sums = np.empty((n_samples, stats.shape[1]))
        for start in range(0, n_samples, DRAW_BLOCK):
            block = self.indices[start:start + DRAW_BLOCK]
            rows = block.shape[0]
            counts = np.bincount((block + (np.arange(rows) * n)[:, None]).ravel(), minlength=rows * n).reshape(rows, n)
            sums[start:start + rows] = counts @ stats
        return sums


@dataclass
class SystemScore:
    result: MetricResult
    stats: np.ndarray
    resampled: np.ndarray | None  # metric score of each bootstrap resample


def score_system(
    metric_name: str | Metric,
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    hash_value: str,
    draws: Draws | None = None,
    segments: bool = True,
    table: SystemStatistics | None = None,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
) -> SystemScore:
    """One system, one metric: MetricResult (with segment scores unless segments=False, and a CI when draws
    are given) plus the statistics and resampled scores the paired tests need. `table` holds the system's
    statistics when they were computed already (for all systems at once, on an executor)."""
    metric = get_metric(metric_name)
    context = context or ScoringContext()
    if table is None:
        table = system_statistics({"": hyps}, refs_list, [metric], sources=sources, context=context,
                                  segments=[metric] if segments else [])[""]
    stats, segment_scores = table.stats[metric.name], table.segment_scores(metric.name) if segments else None
    n_refs = reference_count(refs_list[:metric.references_used(len(refs_list))])
    score = metric.corpus_score(stats, context)
    stats_np = np.asarray(stats, dtype=float)
    ci = resampled = resampling = None
    if draws is not None and draws.n_samples > 1:
        scorer = metric.totals_scorer(context)
        resampled = np.array([scorer(row, len(stats_np)).score for row in draws.resampled_sums(stats_np)])
        mean, halfwidth = estimate_ci(resampled)
        resampling = Resampling("bs", draws.n_samples, draws.seed)
        ci = ConfidenceInterval(float(mean), float(halfwidth), draws.n_samples, draws.seed)
    result = MetricResult(
        metric=metric.name, name=score.name, score=float(score.score),
        signature=metric.signature(context, n_refs, resampling=resampling),
        data_hash=hash_value, tool_version=calque_version(), n_segments=len(hyps),
        n_refs=metric.references_used(len(refs_list)), formatted=str(score), higher_is_better=metric.higher_is_better,
        ci=ci, segments=segment_scores, segment_signature=metric.signature(context, n_refs, segment=True),
    )
    return SystemScore(result, stats_np, resampled)
