"""Semantic fidelity: cross-lingual embedding similarity (reference-free and against references),
omission/hallucination flags, and optional COMET from a local checkpoint."""
from pipelines.semantic.comet import comet_available, comet_scores
from pipelines.semantic.similarity import FlagRule, SemanticReport, flag_segments, semantic_fidelity

__all__ = ["FlagRule", "SemanticReport", "comet_available", "comet_scores", "flag_segments", "semantic_fidelity"]
