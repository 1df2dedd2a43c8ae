"""`embed-sim`: the cosine similarity of source and translation embeddings (pipelines.encoders: the bundled
multilingual USE, or `embed-sim:FOLDER` for a local transformers encoder), a reference-free segment-level
metric whose system score is the mean cosine. A language the encoder does not cover is refused."""
from __future__ import annotations

from corpus.errors import InputError
from pipelines.fidelity.registry import register_family, register_metric
from pipelines.fidelity.segment_metrics import SegmentLevelMetric

NAME = "embed-sim"
BATCH_SIZE = 64  # sentences per encoder call; an embedding does not depend on its batch


class CosineScorer:
    """Scores each segment with cos(source, translation) of one encoder's embeddings."""

    name = NAME
    needs_reference = uses_reference = False

    def __init__(self, encoder: str):
        from pipelines.encoders import get_encoder

        self.encoder = get_encoder(encoder)
        self.sha256 = self.encoder.model_hash
        self.signature = f"{NAME}|{self.encoder.signature}"

    def supports(self, lang: str) -> bool:
        return self.encoder.supports(lang)

    def score(self, sources, hypotheses, references, src_lang, tgt_lang):
        from pipelines.semantic.similarity import cosines

        return cosines(self.encoder, sources, hypotheses, BATCH_SIZE)


def load_cosine_scorer(encoder: str) -> CosineScorer:
    return CosineScorer(encoder)


class EmbeddingSimilarity(SegmentLevelMetric):
    def __init__(self, name: str, encoder: str):
        super().__init__(name, load_cosine_scorer, encoder,
                         description="cosine of source and translation sentence embeddings (reference-free)")

    def check(self, context, *, has_source, n_refs):
        super().check(context, has_source=has_source, n_refs=n_refs)
        from pipelines.fidelity.segment_metrics import loaded_scorer

        scorer = loaded_scorer(self.load, self.argument, self.info.sha256)
        for lang in (context.src_lang, context.tgt_lang):
            if lang and not scorer.supports(lang):
                raise InputError(f"encoder {scorer.encoder.name} does not cover language {lang!r} (metric {self.name})")


register_metric(EmbeddingSimilarity(NAME, "use"))
register_family(NAME, lambda folder: EmbeddingSimilarity(f"{NAME}:{folder}", folder), "FOLDER")
