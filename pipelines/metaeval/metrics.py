"""Metrics a meta-evaluation can judge, by name: the fidelity registry's sacrebleu metrics (reference-based)
and `embed-sim`, the reference-free cosine similarity of source and translation embeddings.

Each returns system scores (corpus BLEU/chrF/TER; mean similarity) and segment scores, oriented as the
metric is, with its signature."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from corpus.errors import InputError
from pipelines.metaeval.data import MetaEvalSet

EMBEDDING_METRIC = "embed-sim"


@dataclass
class MetricScores:
    metric: str
    system: dict[str, float]
    segment: np.ndarray  # systems × items
    higher_is_better: bool
    signature: str
    reference_free: bool = False

    def oriented(self) -> tuple[np.ndarray, np.ndarray]:
        """(system vector, segment matrix) with higher = better."""
        sign = 1.0 if self.higher_is_better else -1.0
        return sign * np.array(list(self.system.values()), dtype=float), sign * self.segment


def _sacrebleu_metric(name: str) -> Callable[..., MetricScores]:
    def score(dataset: MetaEvalSet, executor=None) -> MetricScores:
        from pipelines.fidelity import get_metric
        from pipelines.fidelity.scoring import score_many

        spec = get_metric(name)
        system, rows, signature = {}, [], ""
        scored = score_many({s: dataset.hypotheses[s] for s in dataset.systems}, [dataset.references], [spec.name],
                            segments=True, executor=executor)
        for s in dataset.systems:
            result = scored[s][spec.name]
            system[s] = result.score
            rows.append(result.segments)
            signature = f"{result.signature} (segments: {result.segment_signature})"
        return MetricScores(spec.name, system, np.array(rows, dtype=float), spec.higher_is_better, signature)

    return score


def embedding_similarity(dataset: MetaEvalSet, executor=None, encoder_name: str | None = None) -> MetricScores:
    """cos(source, translation) per segment, from pipelines.semantic (bundled multilingual encoder, or a
    local model folder); the system score is the mean."""
    from pipelines.encoders import get_encoder
    from pipelines.semantic import semantic_fidelity

    encoder = get_encoder(encoder_name)
    for lang in (dataset.src_lang, dataset.tgt_lang):
        if lang and not encoder.supports(lang):
            raise InputError(f"encoder {encoder.name} does not cover language {lang!r}")
    system, rows, signature = {}, [], ""
    for s in dataset.systems:
        report = semantic_fidelity(dataset.sources, dataset.hypotheses[s], executor=executor,
                                   encoder=encoder if executor is None else (encoder_name or "use"))
        rows.append(np.asarray(report.src_hyp, dtype=float))
        system[s] = float(np.mean(rows[-1]))
        signature = f"{EMBEDDING_METRIC}|{report.signature}|sys:mean"
    return MetricScores(EMBEDDING_METRIC, system, np.array(rows), True, signature, reference_free=True)


def available() -> list[str]:
    from pipelines.fidelity import available_metrics

    return [*available_metrics(), EMBEDDING_METRIC]


def scorer(name: str) -> Callable[..., MetricScores]:
    """The scoring function of a metric: (dataset, executor=None) -> MetricScores."""
    key = name.strip().lower()
    if key == EMBEDDING_METRIC:
        return embedding_similarity
    from pipelines.fidelity import get_metric

    return _sacrebleu_metric(get_metric(key).name)


def parse_metrics(text: str) -> list[str]:
    names = []
    for part in text.split(","):
        key = part.strip().lower()
        if not key:
            continue
        if key != EMBEDDING_METRIC and key not in available():
            raise InputError(f"unknown metric {part.strip()!r}; known: {', '.join(available())}")
        if key not in names:
            names.append(key)
    if not names:
        raise InputError("no metric given; known: " + ", ".join(available()))
    return names
