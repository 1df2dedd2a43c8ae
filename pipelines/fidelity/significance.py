"""Paired significance tests against a baseline (sacrebleu's paired bootstrap and paired approximate
randomization, on the per-segment statistics of any metric) and multiple-comparison correction across
systems (Holm, Benjamini–Hochberg)."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from sacrebleu.significance import _compute_p_value, estimate_ci

from corpus.errors import InputError
from pipelines.fidelity.registry import Metric, Resampling, ScoringContext, get_metric
from pipelines.fidelity.scoring import reference_count
from pipelines.fidelity.shard_scores import SystemStatistics, system_statistics

TESTS = {"bs": "paired bootstrap resampling", "ar": "paired approximate randomization"}
DEFAULT_SAMPLES = {"bs": 1000, "ar": 10000}  # sacrebleu's PairedTest defaults


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni step-down adjusted p-values (family-wise error rate), in input order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted.tolist()


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), via scipy."""
    if len(p_values) == 0:
        return []
    from scipy.stats import false_discovery_control

    return np.atleast_1d(false_discovery_control(np.asarray(p_values, dtype=float), method="bh")).tolist()


CORRECTIONS: dict[str, Callable[[Sequence[float]], list[float]]] = {
    "holm": holm,
    "bh": benjamini_hochberg,
    "none": lambda p: list(map(float, p)),
}


@dataclass
class PairedResult:
    system: str
    metric: str
    score: float
    baseline_score: float
    p_value: float
    p_adjusted: float
    significant: bool
    mean: float | None
    ci_halfwidth: float | None
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def paired_test(
    systems: Mapping[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric],
    baseline: str,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    tables: Mapping[str, SystemStatistics] | None = None,
    test: str = "bs",
    n_samples: int = 0,
    correction: str = "holm",
    alpha: float = 0.05,
) -> list[PairedResult]:
    """Each non-baseline system against `baseline`, per metric, with p-values corrected across systems.

    sacrebleu's paired bootstrap and approximate randomisation (`sacrebleu.significance`: the same seed
    rule, SACREBLEU_SEED, default 12345, and the same draws and arithmetic, so the same p-values), run on the
    systems' per-segment statistics: `tables` from `system_statistics` (computed in process when not given).
    Any registered metric works, a segment-level one through its per-segment scores. n_samples 0 means
    sacrebleu's defaults: 1000 bootstrap resamples, 10000 AR trials. The bootstrap draws one resample at a
    time; AR holds an n_samples × segments mask.
    """
    if test not in TESTS:
        raise InputError(f"unknown paired test {test!r}; known: {', '.join(TESTS)}")
    others = _others(systems, baseline, correction)
    context = context or ScoringContext()
    chosen = [get_metric(m) for m in metrics]
    if tables is None:
        tables = system_statistics(systems, refs_list, chosen, sources=sources, context=context)
    n_samples = n_samples if n_samples > 0 else DEFAULT_SAMPLES[test]
    resampling = Resampling(test, n_samples, os.environ.get("SACREBLEU_SEED", "12345").lower())
    results: list[PairedResult] = []
    for metric in chosen:
        outcomes = compare_to_baseline(metric, context, tables[baseline].stats[metric.name],
                                       {name: tables[name].stats[metric.name] for name in others}, test, n_samples)
        results += _corrected(metric, outcomes, refs_list, context, resampling, correction, alpha)
    return results


def _others(systems: Sequence[str], baseline: str, correction: str) -> list[str]:
    """The systems to compare with the baseline; one-line errors for a bad correction or baseline."""
    if correction not in CORRECTIONS:
        raise InputError(f"unknown correction {correction!r}; known: {', '.join(CORRECTIONS)}")
    if baseline not in systems:
        raise InputError(f"baseline {baseline!r} is not among the systems: {', '.join(systems)}")
    if len(systems) < 2:
        raise InputError("a paired test needs at least one system besides the baseline")
    return [name for name in systems if name != baseline]


def _corrected(metric: Metric, outcomes: Mapping[str, "PairedOutcome"], refs_list, context: ScoringContext,
               resampling: Resampling, correction: str, alpha: float) -> list[PairedResult]:
    """One metric's outcomes as results, p-values corrected across the systems."""
    n_refs = reference_count(refs_list[:metric.references_used(len(refs_list))])
    signature = f"{metric.signature(context, n_refs, resampling=resampling)}|test:{resampling.test}|correction:{correction}"
    names = list(outcomes)
    raw = [outcomes[name].p_value for name in names]
    return [PairedResult(system=name, metric=metric.name, score=outcomes[name].score,
                         baseline_score=outcomes[name].baseline_score, p_value=float(p_raw), p_adjusted=float(p_adj),
                         significant=bool(p_adj < alpha), mean=outcomes[name].mean,
                         ci_halfwidth=outcomes[name].ci_halfwidth, signature=signature)
            for name, p_raw, p_adj in zip(names, raw, CORRECTIONS[correction](raw))]


@dataclass
class PairedOutcome:
    """One system against the baseline: both scores, the raw p-value and (paired bootstrap) the system's
    bootstrap mean and 95% CI half-width."""

    score: float
    baseline_score: float
    p_value: float
    mean: float | None = None
    ci_halfwidth: float | None = None


def compare_to_baseline(metric: Metric, context: ScoringContext, baseline_stats: np.ndarray,
                        others: Mapping[str, np.ndarray], test: str = "bs", n_samples: int = 0) -> dict[str, PairedOutcome]:
    """Raw p-values of each system against the baseline from their statistics, as sacrebleu's paired test
    computes them. sacrebleu counts resampled differences strictly above the observed one, so a system the
    metric cannot tell from the baseline (the same statistics in every segment: all differences 0) would get
    the smallest p-value; it is not different at all: p = 1."""
    n_samples = n_samples if n_samples > 0 else DEFAULT_SAMPLES[test]
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    compare = _paired_bs if test == "bs" else _paired_ar
    outcomes = {}
    for name, stats in others.items():
        outcome = compare(metric, context, baseline_stats, stats, n_samples, seed)
        if np.array_equal(stats, baseline_stats):
            outcome.p_value = 1.0
        outcomes[name] = outcome
    return outcomes


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(None if seed.lower() == "none" else int(seed))


def _paired_bs(metric, context, baseline_stats, system_stats, n_samples, seed) -> PairedOutcome:
    """sacrebleu.significance._paired_bs_test on statistics already extracted."""
    n = len(system_stats)
    idxs = _rng(seed).choice(n, size=(n_samples, n), replace=True)
    scorer = metric.totals_scorer(context)
    baseline_score, system_score = metric.corpus_score(baseline_stats, context).score, metric.corpus_score(system_stats, context).score
    system32, baseline32 = system_stats.astype("float32"), baseline_stats.astype("float32")
    scores_bl = np.array([scorer(baseline32[row].sum(0), n).score for row in idxs])
    scores_sys = np.array([scorer(system32[row].sum(0), n).score for row in idxs])
    return paired_bootstrap_outcome(system_score, baseline_score, scores_sys, scores_bl)


def paired_bootstrap_outcome(system_score: float, baseline_score: float, resampled_system: np.ndarray,
                             resampled_baseline: np.ndarray) -> PairedOutcome:
    """sacrebleu's paired bootstrap p-value and the system's CI from both systems' scores on the same resamples."""
    mean, halfwidth = estimate_ci(resampled_system)
    sample_diffs = np.abs(resampled_system - resampled_baseline)
    p = _compute_p_value(sample_diffs - sample_diffs.mean(), abs(baseline_score - system_score))
    return PairedOutcome(float(system_score), float(baseline_score), float(p), float(mean), float(halfwidth))


def paired_test_sharded(results: Mapping[str, Mapping[str, Any]], totals: Mapping[str, Any], metrics: Sequence[str | Metric],
                        baseline: str, refs_list: Sequence[Sequence[str | None]], *, context: ScoringContext | None = None,
                        n_samples: int, correction: str = "holm", alpha: float = 0.05) -> list[PairedResult]:
    """paired_test's bootstrap for runs reduced on the workers (pipelines.fidelity.shard_totals): each system's
    scores on the same sharded resamples (`totals[system].resampled`), its corpus score from `results`
    (MetricResults by system and metric). A system whose totals and resamples equal the baseline's gets p = 1."""
    others = _others(list(totals), baseline, correction)
    context = context or ScoringContext()
    resampling = Resampling("bs", n_samples, os.environ.get("SACREBLEU_SEED", "12345").lower(), "sharded")
    out: list[PairedResult] = []
    for metric in map(get_metric, metrics):
        base, base_scores = totals[baseline], totals[baseline].resampled[metric.name]
        outcomes = {}
        for name in others:
            mine = totals[name]
            outcome = paired_bootstrap_outcome(results[name][metric.name].score, results[baseline][metric.name].score,
                                               mine.resampled[metric.name], base_scores)
            if mine.totals[metric.name] == base.totals[metric.name] and np.array_equal(mine.resampled[metric.name], base_scores):
                outcome.p_value = 1.0
            outcomes[name] = outcome
        out += _corrected(metric, outcomes, refs_list, context, resampling, correction, alpha)
    return out


def _paired_ar(metric, context, baseline_stats, system_stats, n_samples, seed) -> PairedOutcome:
    """sacrebleu.significance._paired_ar_test (no confidence estimation) on statistics already extracted."""
    n = len(system_stats)
    pos_sel = _rng(seed).integers(2, size=(n_samples, n), dtype=bool)
    neg_sel = ~pos_sel
    baseline_score, system_score = metric.corpus_score(baseline_stats, context).score, metric.corpus_score(system_stats, context).score
    shuf_a = pos_sel @ baseline_stats + neg_sel @ system_stats
    shuf_b = neg_sel @ baseline_stats + pos_sel @ system_stats
    scorer = metric.totals_scorer(context)
    scores_a = np.array([scorer(x, n).score for x in shuf_a])
    scores_b = np.array([scorer(x, n).score for x in shuf_b])
    p = _compute_p_value(np.abs(scores_a - scores_b), abs(baseline_score - system_score))
    return PairedOutcome(float(system_score), float(baseline_score), float(p))
