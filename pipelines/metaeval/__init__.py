"""Metric meta-evaluation against human judgements (system-level Pearson and pairwise accuracy,
segment-level Pearson, Kendall tau-b and tie-calibrated acc_eq), as mt-metrics-eval defines them.

    from pipelines.metaeval import from_google_mqm, meta_evaluate
    report = meta_evaluate(from_google_mqm("mqm_ted_ende.tsv", reference="ref"), ["bleu", "chrf", "ter", "embed-sim"])
    print(report.table())
"""
from pipelines.metaeval.data import MetaEvalSet, from_corpus, from_google_mqm, from_score_file, read_score_file
from pipelines.metaeval.metrics import EMBEDDING_METRIC, MetricScores, metric_scores, parse_metrics
from pipelines.metaeval.run import RESULT_KIND, MetaEvalReport, MetricRow, evaluate_metric, meta_evaluate
from pipelines.metaeval.stats import (
    TauStats,
    TieCalibration,
    kendall_tau_b,
    pairwise_accuracy,
    pearson,
    tau_stats,
    tie_calibrated_accuracy,
)

__all__ = [
    "EMBEDDING_METRIC", "RESULT_KIND", "MetaEvalReport", "MetaEvalSet", "MetricRow", "MetricScores", "TauStats",
    "TieCalibration", "evaluate_metric", "from_corpus", "from_google_mqm", "from_score_file", "kendall_tau_b",
    "meta_evaluate", "metric_scores", "pairwise_accuracy", "parse_metrics", "pearson", "read_score_file", "tau_stats",
    "tie_calibrated_accuracy",
]
