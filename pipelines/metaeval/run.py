"""Meta-evaluation: how well each metric agrees with human judgements, at the system and segment level.

Columns follow the WMT metrics tasks (mt-metrics-eval): system-level Pearson and pairwise accuracy;
segment-level Pearson and Kendall tau-b over all scored segments (no grouping, WMT22), and tie-calibrated
pairwise accuracy acc_eq grouped by item (WMT23), with its optimal tie threshold epsilon.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np

from pipelines.fidelity.provenance import calque_signature, calque_version
from pipelines.metaeval import stats
from pipelines.metaeval.data import MetaEvalSet
from pipelines.metaeval.metrics import MetricScores, metric_scores

RESULT_KIND = "meta-eval"
COLUMNS = ["metric", "sys_pearson", "sys_accuracy", "seg_pearson", "seg_kendall_tau_b", "seg_acc_eq", "acc_eq_epsilon"]


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

    def table(self):
        import pandas as pd

        return pd.DataFrame([{k: getattr(r, k) for k in COLUMNS} for r in self.rows], columns=COLUMNS)

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
    )


def meta_evaluate(dataset: MetaEvalSet, metrics: Sequence[str], progress=None, executor=None, *,
                  tokenize: str | None = None) -> MetaEvalReport:
    """Every metric against the human scores; metric scores are computed on `executor` when given. BLEU
    tokenises for the set's target language unless `tokenize` names a tokeniser."""
    rows = []
    for name in metrics:
        rows.append(evaluate_metric(dataset, metric_scores(dataset, name, executor, tokenize=tokenize)))
        if progress is not None:
            progress(name)
    signature = (f"meta-eval|human:{dataset.human_name}|ref:{dataset.reference_name or 'none'}|sys:pearson,accuracy"
                 f"|seg:pearson,kendall-b(none),acc_eq(item,acc23,sample:1.0)|systems:{len(dataset.systems)}|items:{len(dataset.items)}")
    return MetaEvalReport(
        name=dataset.name, human=dataset.human_name, human_signature=dataset.human_signature,
        human_system_scores=dataset.human_system_scores(), systems=list(dataset.systems), items=len(dataset.items),
        rated_segments=int(np.sum(~np.isnan(dataset.human))), reference=dataset.reference_name, rows=rows,
        data_hash=dataset.data_hash, tool_version=calque_version(), signature=signature,
    )
