"""Semantic fidelity: cross-lingual embedding similarity (reference-free and against references) with
omission/hallucination flags. COMET (`calque semantic --comet CKPT`) is the fidelity metric `comet:CKPT`
(pipelines.fidelity.comet_metric)."""
from pipelines.semantic.similarity import FlagRule, SemanticReport, cosines, flag_segments, semantic_fidelity

__all__ = ["FlagRule", "SemanticReport", "cosines", "flag_segments", "semantic_fidelity"]
