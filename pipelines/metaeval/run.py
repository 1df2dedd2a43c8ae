"""Meta-evaluation: how well each metric agrees with human judgements, at the system and segment level.

Columns follow the WMT metrics tasks (mt-metrics-eval): system-level Pearson, pairwise accuracy and soft
pairwise accuracy (SPA, WMT24); segment-level Pearson and Kendall tau-b over all scored segments (no grouping,
WMT22), and tie-calibrated pairwise accuracy acc_eq grouped by item (WMT23/24), with its optimal tie threshold
epsilon. For sys_accuracy, sys_spa and seg_acc_eq, every pair of metrics is compared with mt-metrics-eval's
permutation test and each metric gets its significance cluster (rank), as in the WMT24 results.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np

from pipelines.metaeval import significance, spa, stats
from pipelines.metaeval.data import MetaEvalSet
from pipelines.metaeval.metrics import MetricScores, metric_scores
from pipelines.provenance import calque_signature, calque_version

RESULT_KIND = "meta-eval"
COLUMNS = ["metric", "sys_pearson", "sys_accuracy", "sys_spa", "seg_pearson", "seg_kendall_tau_b", "seg_acc_eq", "acc_eq_epsilon"]
RANK_COLUMNS = {statistic: f"{statistic}_rank" for statistic in significance.STATISTICS}


@dataclass
class MetricRow:
    metric: str
    sys_pearson: float
    sys_accuracy: float
    sys_pairs: int
    seg_pearson: float
    seg_kendall_tau_b: float
    seg_acc_eq: float
    acc_eq_epsilon: float
    acc_eq_groups: int
    reference_free: bool
    signature: str
    system_scores: dict[str, float] = field(default_factory=dict)
    sys_spa: float = math.nan
    sys_spa_items: int = 0
    sys_accuracy_rank: int | None = None
    sys_spa_rank: int | None = None
    seg_acc_eq_rank: int | None = None


@dataclass
class MetaEvalReport:
    name: str
    human: str
    human_signature: str
    human_system_scores: dict[str, float]
    systems: list[str]
    items: int
    rated_segments: int
    reference: str | None
    rows: list[MetricRow]
    data_hash: str
    tool_version: str
    signature: str
    significance: dict[str, significance.Comparison] = field(default_factory=dict)

    def table(self):
        """One row per metric; with significance tests, each tested statistic's rank (significance cluster)."""
        import pandas as pd

        columns = COLUMNS + [RANK_COLUMNS[s] for s in self.significance if self.significance[s].samples > 0]
        return pd.DataFrame([{k: getattr(r, k) for k in columns} for r in self.rows], columns=columns)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["calque_signature"] = calque_signature(self.signature, self.data_hash)
        return _finite(data)


def _finite(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def evaluate_metric(dataset: MetaEvalSet, scores: MetricScores) -> MetricRow:
    human = dataset.human_oriented
    human_system = np.array([np.nanmean(row) if np.any(~np.isnan(row)) else np.nan for row in human])
    metric_system, metric_segment = scores.oriented()
    accuracy, _, pairs = stats.pairwise_accuracy(human_system, metric_system)
    soft = spa.soft_pairwise_accuracy(human, metric_segment)
    tie = stats.tie_calibrated_accuracy(human, metric_segment, variant="acc23", average_by="item")
    return MetricRow(
        metric=scores.metric,
        sys_pearson=stats.pearson(human_system, metric_system),
        sys_accuracy=accuracy,
        sys_pairs=pairs,
        seg_pearson=stats.pearson(human.ravel(), metric_segment.ravel()),
        seg_kendall_tau_b=stats.kendall_tau_b(human.ravel(), metric_segment.ravel()),
        seg_acc_eq=tie.value,
        acc_eq_epsilon=tie.epsilon,
        acc_eq_groups=tie.groups,
        reference_free=scores.reference_free,
        signature=scores.signature,
        system_scores=dict(scores.system),
        sys_spa=soft.value,
        sys_spa_items=soft.items,
    )


def compare_metrics(dataset: MetaEvalSet, rows: Sequence[MetricRow], scores: Sequence[MetricScores],
                    samples: int = significance.SAMPLES, seed: int = significance.SEED, alpha: float = significance.ALPHA,
                    progress=None) -> dict[str, significance.Comparison]:
    """Permutation tests between every two metrics for sys_accuracy, sys_spa and seg_acc_eq; sets each row's ranks."""
    candidates = []
    for row, scored in zip(rows, scores):
        system, segment = scored.oriented()
        candidates.append(significance.Candidate(row.metric, system, segment, row.acc_eq_epsilon))
    comparisons = significance.compare_metrics(dataset.human_oriented, candidates, samples, seed, alpha, progress=progress)
    for statistic, comparison in comparisons.items():
        for row in rows:
            setattr(row, RANK_COLUMNS[statistic], comparison.rank(row.metric))
    return comparisons


def significance_steps(metrics: int, samples: int) -> int:
    """Progress steps of the significance tests: one per pair of metrics and statistic."""
    return len(significance.STATISTICS) * metrics * (metrics - 1) // 2 if samples > 0 else 0


def meta_evaluate(dataset: MetaEvalSet, metrics: Sequence[str], progress=None, executor=None,
                  sig_samples: int = significance.SAMPLES, seed: int = significance.SEED,
                  alpha: float = significance.ALPHA, tokenize: str | None = None) -> MetaEvalReport:
    """Every metric against the human scores, then every pair of metrics against each other (sig_samples
    permutation draws; 0 skips the tests); metric scores are computed on `executor` when given. BLEU
    tokenises for the set's target language unless `tokenize` names a tokeniser."""
    rows, scored = [], []
    for name in metrics:
        scored.append(metric_scores(dataset, name, executor, tokenize=tokenize))
        rows.append(evaluate_metric(dataset, scored[-1]))
        if progress is not None:
            progress(name)
    comparisons = compare_metrics(dataset, rows, scored, sig_samples, seed, alpha, progress) if sig_samples > 0 else {}
    tests = f"perm(k:{sig_samples},seed:{seed},alpha:{alpha})" if sig_samples > 0 else "none"
    signature = (f"meta-eval|human:{dataset.human_name}|ref:{dataset.reference_name or 'none'}"
                 f"|sys:pearson,accuracy,spa(perm:{spa.PERMUTATIONS},seed:{spa.SEED})"
                 f"|seg:pearson,kendall-b(none),acc_eq(item,acc23,sample:1.0)|sig:{tests}"
                 f"|systems:{len(dataset.systems)}|items:{len(dataset.items)}")
    return MetaEvalReport(
        name=dataset.name, human=dataset.human_name, human_signature=dataset.human_signature,
        human_system_scores=dataset.human_system_scores(), systems=list(dataset.systems), items=len(dataset.items),
        rated_segments=int(np.sum(~np.isnan(dataset.human))), reference=dataset.reference_name, rows=rows,
        data_hash=dataset.data_hash, tool_version=calque_version(), signature=signature, significance=comparisons,
    )


def stored_reports(corpus) -> list[dict[str, Any]]:
    """The corpus's stored meta-evaluations (`MetaEvalReport.to_dict` payloads), newest first, the latest one
    per signature and list of metrics."""
    stored = corpus.results(RESULT_KIND)
    seen, reports = set(), []
    for row in reversed(list(stored.itertuples())):
        payload = row.payload if isinstance(row.payload, dict) else {}
        key = (row.signature, tuple(r.get("metric") for r in payload.get("rows", [])))
        if key not in seen:
            seen.add(key)
            reports.append({**payload, "result_id": row.id, "created_at": str(row.created_at)})
    return reports
