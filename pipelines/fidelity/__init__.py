"""Fidelity metrics: BLEU, chrF, chrF++ and TER through sacrebleu, with signatures, data hashes,
confidence intervals and paired significance tests against a baseline."""
from pipelines.fidelity import sacrebleu_metrics as _register_sacrebleu_metrics  # noqa: F401
from pipelines.fidelity.registry import MetricSpec, available_metrics, get_metric, parse_metric_list, register_metric
from pipelines.fidelity.scoring import (
    DEFAULT_METRICS,
    ConfidenceInterval,
    MetricResult,
    score_corpus,
    score_metric,
    score_segments,
)

__all__ = [
    "DEFAULT_METRICS",
    "ConfidenceInterval",
    "MetricResult",
    "MetricSpec",
    "available_metrics",
    "get_metric",
    "parse_metric_list",
    "register_metric",
    "score_corpus",
    "score_metric",
    "score_segments",
]
