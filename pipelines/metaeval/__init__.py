"""Metric meta-evaluation against human judgements (system-level Pearson, pairwise accuracy and soft pairwise
accuracy, segment-level Pearson, Kendall tau-b and tie-calibrated acc_eq) and permutation tests between metrics,
as mt-metrics-eval defines them.

    from pipelines.metaeval import from_google_mqm, meta_evaluate
    report = meta_evaluate(from_google_mqm("mqm_ted_ende.tsv", reference="ref"), ["bleu", "chrf", "ter", "embed-sim"])
    print(report.table())
    report.significance["sys_spa"].significant("chrf", "bleu")  # p <= 0.05?
"""
from pipelines.metaeval.data import MetaEvalSet, from_corpus, from_google_mqm, from_score_file, read_score_file
from pipelines.metaeval.metrics import EMBEDDING_METRIC, MetricScores, metric_scores, parse_metrics
from pipelines.metaeval.run import RESULT_KIND, MetaEvalReport, MetricRow, compare_metrics, evaluate_metric, meta_evaluate
from pipelines.metaeval.significance import Candidate, Comparison
from pipelines.metaeval.spa import SoftPairwiseAccuracy, pairwise_p_values, soft_pairwise_accuracy
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
    "EMBEDDING_METRIC", "RESULT_KIND", "Candidate", "Comparison", "MetaEvalReport", "MetaEvalSet", "MetricRow",
    "MetricScores", "SoftPairwiseAccuracy", "TauStats", "TieCalibration", "compare_metrics", "evaluate_metric",
    "from_corpus", "from_google_mqm", "from_score_file", "kendall_tau_b", "meta_evaluate", "metric_scores", "pairwise_accuracy",
    "pairwise_p_values", "parse_metrics", "pearson", "read_score_file", "soft_pairwise_accuracy", "tau_stats",
    "tie_calibrated_accuracy",
]
