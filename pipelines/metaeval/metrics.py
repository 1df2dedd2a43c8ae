"""The metrics a meta-evaluation judges: any metric of the fidelity registry (pipelines.fidelity), named as
in `calque eval --metrics`: the sacrebleu metrics, and segment-level metrics, reference-free
(`embed-sim`, CometKiwi, a learned QE metric) or not. Each is scored on the set's sources, its one
reference and the systems' translations, exactly as `calque eval` scores them (BLEU tokenised for the
target language), and returns system scores and segment scores, oriented as the metric is, with its
signature."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def metric_scores(dataset: MetaEvalSet, name: str, executor=None, *, tokenize: str | None = None) -> MetricScores:
    """System and segment scores of one metric on the set (shard by shard on `executor` when given)."""
    from pipelines.fidelity import ScoringContext, get_metric
    from pipelines.fidelity.scoring import score_many

    metric = get_metric(name)
    refs_list = [dataset.references] if dataset.references else []
    scored = score_many({s: dataset.hypotheses[s] for s in dataset.systems}, refs_list, [metric], sources=dataset.sources,
                        context=ScoringContext(dataset.src_lang, dataset.tgt_lang, tokenize), segments=True,
                        executor=executor)
    results = [scored[s][metric.name] for s in dataset.systems]
    return MetricScores(metric.name, {s: r.score for s, r in zip(dataset.systems, results)},
                        np.array([r.segments for r in results], dtype=float), metric.higher_is_better,
                        f"{results[0].signature} (segments: {results[0].segment_signature})",
                        reference_free=metric.references_used(len(refs_list)) == 0)


def parse_metrics(text: str) -> list[str]:
    from pipelines.fidelity import parse_metric_list

    return parse_metric_list(text)
