"""Corpus and segment scores through sacrebleu's metric objects, with signatures, data hashes,
bootstrap confidence intervals, and segment statistics computed by N worker processes.

Sufficient statistics are extracted once per metric (the costly part, split across workers);
the corpus score, the segment scores and the bootstrap all come from those statistics.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.provenance import calque_signature, calque_version, data_hash
from pipelines.fidelity.registry import MetricSpec, get_metric

DEFAULT_METRICS = ("bleu", "chrf", "ter")
CHUNKS_PER_WORKER = 4


@dataclass
class ConfidenceInterval:
    """sacrebleu's bootstrap estimate: mean of the resampled scores and the 95% half-width."""

    mean: float
    halfwidth: float
    n_bootstrap: int
    seed: str

    @property
    def low(self) -> float:
        return self.mean - self.halfwidth

    @property
    def high(self) -> float:
        return self.mean + self.halfwidth


@dataclass
class MetricResult:
    metric: str
    name: str
    score: float
    signature: str
    data_hash: str
    tool_version: str
    n_segments: int
    n_refs: int
    formatted: str
    higher_is_better: bool = True
    ci: ConfidenceInterval | None = None
    segments: list[float] | None = None
    segment_signature: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def calque_signature(self) -> str:
        return calque_signature(self.signature, self.data_hash)

    def to_dict(self, include_segments: bool = True) -> dict[str, Any]:
        row = asdict(self)
        row["calque_signature"] = self.calque_signature
        if self.ci is not None:
            row["ci"].update(low=self.ci.low, high=self.ci.high)
        if not include_segments:
            row.pop("segments")
        return row


def validate_streams(hyps: Sequence[str], refs_list: Sequence[Sequence[str | None]]) -> None:
    if len(hyps) == 0:
        raise InputError("no hypothesis segments to score")
    if len(refs_list) == 0:
        raise InputError("at least one reference stream is needed")
    for number, refs in enumerate(refs_list, start=1):
        if len(refs) != len(hyps):
            raise InputError(
                f"reference {number} has {len(refs)} segments but the hypotheses have {len(hyps)}"
            )
    for index, hyp in enumerate(hyps):
        if not isinstance(hyp, str):
            raise InputError(f"hypothesis segment {index + 1} is not text ({type(hyp).__name__})")


def _reference_count(refs_list: Sequence[Sequence[str | None]]) -> int:
    """sacrebleu's nrefs: the number of references, or -1 ('var') when some segments lack some."""
    counts = {sum(refs[i] is not None for refs in refs_list) for i in range(len(refs_list[0]))}
    return counts.pop() if len(counts) == 1 else -1


def _chunk_statistics(task: tuple) -> tuple[list, list[float] | None]:
    """Worker: statistics (and segment scores) for one contiguous chunk of segments."""
    metric_name, options, hyps, refs_list, want_segments = task
    spec = get_metric(metric_name)
    metric = spec.corpus_metric(**options)
    stats = metric._extract_corpus_statistics(hyps, refs_list)
    if not want_segments:
        return stats, None
    segment_metric = spec.segment_metric(**options)
    return stats, [segment_metric._compute_score_from_stats(s).score for s in stats]


def _chunk_bounds(n: int, chunks: int) -> list[tuple[int, int]]:
    chunks = max(1, min(chunks, n))
    edges = np.linspace(0, n, chunks + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def _pool_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def segment_statistics(
    spec: MetricSpec,
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    *,
    segments: bool = False,
    workers: int = 1,
    options: dict[str, Any] | None = None,
) -> tuple[list, list[float] | None]:
    """Per-segment sufficient statistics (and segment scores) in segment order, from `workers` processes."""
    options = options or {}
    refs_list = [list(refs) for refs in refs_list]
    if workers <= 1 or len(hyps) < 2:
        return _chunk_statistics((spec.name, options, list(hyps), refs_list, segments))
    bounds = _chunk_bounds(len(hyps), workers * CHUNKS_PER_WORKER)
    tasks = [
        (spec.name, options, list(hyps[a:b]), [refs[a:b] for refs in refs_list], segments)
        for a, b in bounds
    ]
    with _pool_context().Pool(workers) as pool:
        parts = pool.map(_chunk_statistics, tasks, chunksize=1)
    stats = [s for part, _ in parts for s in part]
    scores = [x for _, part in parts for x in part] if segments else None
    return stats, scores


def bootstrap_scores(metric, stats: Sequence, n_bootstrap: int) -> tuple[str, list]:
    """sacrebleu's bootstrap resampling (same seed rule and index draw as
    `sacrebleu.significance._bootstrap_resample`, hence the same scores), resampled one draw at a
    time so memory stays at one segment-statistics table instead of n_bootstrap of them."""
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    rng = np.random.default_rng(None if seed.lower() == "none" else int(seed))
    idxs = rng.choice(len(stats), size=(n_bootstrap, len(stats)), replace=True)
    stats_np = np.array(stats, dtype="float32")
    scores = [metric._compute_score_from_stats(stats_np[row].sum(0)) for row in idxs]
    return seed.lower(), scores


def score_metric(
    metric_name: str,
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    *,
    segments: bool = False,
    n_bootstrap: int = 0,
    workers: int = 1,
    options: dict[str, Any] | None = None,
    hash_value: str | None = None,
) -> MetricResult:
    spec = get_metric(metric_name)
    options = options or {}
    stats, segment_scores = segment_statistics(
        spec, hyps, refs_list, segments=segments, workers=workers, options=options
    )
    metric = spec.corpus_metric(**options)
    metric.num_refs = _reference_count(refs_list)
    score = metric._aggregate_and_compute(stats)
    ci = None
    if n_bootstrap > 1:
        seed, resampled = bootstrap_scores(metric, stats, n_bootstrap)
        score.estimate_ci(resampled)
        metric.n_bootstrap, metric.seed = n_bootstrap, seed
        ci = ConfidenceInterval(float(score._mean), float(score._ci), n_bootstrap, seed)
    segment_signature = None
    if segments:
        segment_metric = spec.segment_metric(**options)
        segment_metric.num_refs = metric.num_refs
        segment_signature = segment_metric.get_signature().format()
    return MetricResult(
        metric=spec.name,
        name=score.name,
        score=float(score.score),
        signature=metric.get_signature().format(),
        data_hash=hash_value or data_hash(hyps, *refs_list),
        tool_version=calque_version(),
        n_segments=len(hyps),
        n_refs=len(refs_list),
        formatted=str(score),
        higher_is_better=spec.higher_is_better,
        ci=ci,
        segments=segment_scores,
        segment_signature=segment_signature,
    )


def score_corpus(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    segments: bool = False,
    n_bootstrap: int = 0,
    workers: int = 1,
) -> dict[str, MetricResult]:
    """Corpus scores of one system against one or more reference streams, keyed by metric name.

    >>> score_corpus(["Das ist gut."], [["Das ist gut."]], ["bleu"])["bleu"].score
    100.00000000000004
    """
    validate_streams(hyps, refs_list)
    hash_value = data_hash(hyps, *refs_list)
    return {
        name: score_metric(
            name, hyps, refs_list, segments=segments, n_bootstrap=n_bootstrap,
            workers=workers, hash_value=hash_value,
        )
        for name in (get_metric(m).name for m in metrics)
    }


def score_segments(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    workers: int = 1,
) -> dict[str, list[float]]:
    """Segment scores only (sentence BLEU with effective order, sentence chrF, sentence TER)."""
    validate_streams(hyps, refs_list)
    result = {}
    for name in metrics:
        spec = get_metric(name)
        _, scores = segment_statistics(spec, hyps, refs_list, segments=True, workers=workers)
        result[spec.name] = scores
    return result
