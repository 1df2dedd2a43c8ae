"""Fidelity metrics: BLEU, chrF, chrF++ and TER through sacrebleu (BLEU tokenised for the target language),
segment-level metrics (Calque's learned metric, embedding similarity, COMET and MetricX from local checkpoints), with signatures,
data hashes, confidence intervals and paired significance tests against a baseline.

The registry (pipelines.fidelity.registry) knows no metric; the plug-ins below register themselves."""
# isort: off  (registration order is the order `available_metrics` lists)
from pipelines.fidelity import sacrebleu_metrics as _register_sacrebleu_metrics  # noqa: F401
from pipelines.fidelity import embedding_metric as _register_embedding_similarity  # noqa: F401
from pipelines.fidelity import comet_metric as _register_comet  # noqa: F401
from pipelines.fidelity import metricx_metric as _register_metricx  # noqa: F401
from pipelines.fidelity import learned_metric as _register_learned  # noqa: F401
# isort: on
from pipelines.fidelity.registry import (
    Metric,
    ScoringContext,
    available_metrics,
    get_metric,
    parse_metric_list,
    register_family,
    register_metric,
)
from pipelines.fidelity.scoring import (
    DEFAULT_METRICS,
    ConfidenceInterval,
    MetricResult,
    score_corpus,
    score_many,
    score_metric,
    score_segments,
)
from pipelines.fidelity.segment_metrics import ScorerInfo, SegmentLevelMetric

__all__ = [
    "DEFAULT_METRICS",
    "ConfidenceInterval",
    "Metric",
    "MetricResult",
    "ScorerInfo",
    "ScoringContext",
    "SegmentLevelMetric",
    "available_metrics",
    "get_metric",
    "parse_metric_list",
    "register_family",
    "register_metric",
    "score_corpus",
    "score_many",
    "score_metric",
    "score_segments",
]
