"""Corpus and segment scores through sacrebleu's metric objects, with signatures, data hashes and
bootstrap confidence intervals.

Sufficient statistics are extracted once per metric, shard by shard (the costly part; on a Dask
cluster when an executor says so, see pipelines.fidelity.shard_scores); the corpus score, the segment
scores and the bootstrap all come from those statistics, so where they were computed cannot change them.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.registry import MetricSpec, get_metric
from pipelines.fidelity.shard_scores import SystemStatistics, system_statistics
from pipelines.provenance import calque_signature, calque_version, data_hash

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore

DEFAULT_METRICS = ("bleu", "chrf", "ter")


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
    counts = {sum(ref is not None for ref in segment) for segment in zip(*refs_list)}
    return counts.pop() if len(counts) == 1 else -1


def segment_statistics(
    spec: MetricSpec,
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    *,
    segments: bool = False,
    executor: Executor | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[np.ndarray, list[float] | None]:
    """Per-segment sufficient statistics (rows in segment order) and, if asked, segment scores, computed
    shard by shard on `executor` (default: in process)."""
    table = system_statistics({"": hyps}, refs_list, [spec.name], segments=[spec.name] if segments else [],
                              executor=executor, options=options)[""]
    return table.stats[spec.name], table.segment_scores(spec.name)


def corpus_score_from_stats(metric, stats: np.ndarray):
    """sacrebleu's corpus score from per-segment statistics: their column sums, added in segment order as
    sacrebleu's `sum_of_lists` adds them (integer statistics sum exactly in any order)."""
    if len(stats) == 0:
        raise InputError("no segment statistics to aggregate")
    totals = stats.cumsum(axis=0)[-1] if stats.dtype.kind == "f" else stats.sum(axis=0)
    return metric._compute_score_from_stats(totals.tolist())


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
    executor: Executor | None = None,
    options: dict[str, Any] | None = None,
    hash_value: str | None = None,
    table: SystemStatistics | None = None,
) -> MetricResult:
    spec = get_metric(metric_name)
    options = options or {}
    if table is None:
        table = system_statistics({"": hyps}, refs_list, [spec.name], segments=[spec.name] if segments else [],
                                  executor=executor, options=options)[""]
    stats, segment_scores = table.stats[spec.name], table.segment_scores(spec.name)
    metric = spec.corpus_metric(**options)
    metric.num_refs = _reference_count(refs_list)
    score = corpus_score_from_stats(metric, stats)
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
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
) -> dict[str, MetricResult]:
    """Corpus scores of one system against one or more reference streams, keyed by metric name.

    >>> score_corpus(["Das ist gut."], [["Das ist gut."]], ["bleu"])["bleu"].score
    100.00000000000004
    """
    return score_many({"": hyps}, refs_list, metrics, segments=segments, n_bootstrap=n_bootstrap, executor=executor,
                      shards=shards, resume=resume)[""]


def score_many(
    systems: dict[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    segments: bool = False,
    n_bootstrap: int = 0,
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
) -> dict[str, dict[str, MetricResult]]:
    """score_corpus for several systems on the same references, their shards all on one executor."""
    for hyps in systems.values():
        validate_streams(hyps, refs_list)
    names = [get_metric(m).name for m in metrics]
    tables = system_statistics(systems, refs_list, names, segments=names if segments else [], executor=executor,
                               shards=shards, resume=resume)
    results = {}
    for system, hyps in systems.items():
        hash_value = data_hash(hyps, *refs_list)
        results[system] = {name: score_metric(name, hyps, refs_list, segments=segments, n_bootstrap=n_bootstrap,
                                              hash_value=hash_value, table=tables[system]) for name in names}
    return results


def score_segments(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    executor: Executor | None = None,
) -> dict[str, list[float]]:
    """Segment scores only (sentence BLEU with effective order, sentence chrF, sentence TER)."""
    validate_streams(hyps, refs_list)
    names = [get_metric(m).name for m in metrics]
    table = system_statistics({"": hyps}, refs_list, names, segments=names, executor=executor)[""]
    return {name: table.segment_scores(name) for name in names}
