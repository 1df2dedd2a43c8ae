"""Inter-annotator agreement: span P/R/F1 (exact, overlap, severity-aware), Cohen's kappa on
error/no-error per segment, Krippendorff's alpha on segment MQM scores."""
from pipelines.agreement.corpus_agreement import agreement, corpus_agreement, rated_units
from pipelines.agreement.segments import cohen_kappa, krippendorff_alpha
from pipelines.agreement.spans import MATCHES, Span, match_count, pair_counts

__all__ = ["MATCHES", "Span", "agreement", "cohen_kappa", "corpus_agreement", "krippendorff_alpha", "match_count",
           "pair_counts", "rated_units"]
