"""Corpus and segment scores of any registered metric (pipelines.fidelity.registry), with signatures, data
hashes and bootstrap confidence intervals.

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
from pipelines.fidelity.registry import Metric, Resampling, ScoringContext, get_metric
from pipelines.fidelity.file_lines import LazyLines
from pipelines.fidelity.shard_scores import SystemStatistics, system_statistics
from pipelines.provenance import calque_signature, calque_version, data_hash

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore
    from pipelines.fidelity.shard_totals import SystemTotals

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


def validate_streams(hyps: Sequence[str], refs_list: Sequence[Sequence[str | None]],
                     sources: Sequence[str] | None = None) -> None:
    if len(hyps) == 0:
        raise InputError("no hypothesis segments to score")
    for number, refs in enumerate(refs_list, start=1):
        if len(refs) != len(hyps):
            raise InputError(
                f"reference {number} has {len(refs)} segments but the hypotheses have {len(hyps)}"
            )
    if sources is not None and len(sources) != len(hyps):
        raise InputError(f"the source has {len(sources)} segments but the hypotheses have {len(hyps)}")
    for index, hyp in enumerate(hyps):
        if not isinstance(hyp, str):
            raise InputError(f"hypothesis segment {index + 1} is not text ({type(hyp).__name__})")


def reference_count(refs_list: Sequence[Sequence[str | None]]) -> int:
    """sacrebleu's nrefs: the number of references, or -1 ('var') when some segments lack some."""
    if not refs_list:
        return 0
    if all(isinstance(refs, LazyLines) for refs in refs_list):  # a line of a file is never missing
        return len(refs_list)
    counts = {sum(ref is not None for ref in segment) for segment in zip(*refs_list)}
    return counts.pop() if len(counts) == 1 else -1


def metric_data_hash(metric: Metric, hyps: Sequence[str], refs_list: Sequence[Sequence[str | None]],
                     sources: Sequence[str] | None = None) -> str:
    """The hash of the streams a metric's figures depend on: the hypotheses, the references it uses and,
    for a metric that reads it, the source."""
    used = list(refs_list[:metric.references_used(len(refs_list))])
    return data_hash(hyps, *used, *([sources] if metric.needs_source and sources is not None else []))


def bootstrap_scores(metric: Metric, context: ScoringContext, stats: Sequence, n_bootstrap: int) -> tuple[str, list]:
    """sacrebleu's bootstrap resampling (same seed rule and index draw as
    `sacrebleu.significance._bootstrap_resample`, hence the same scores), resampled one draw at a
    time so memory stays at one segment-statistics table instead of n_bootstrap of them."""
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    rng = np.random.default_rng(None if seed.lower() == "none" else int(seed))
    idxs = rng.choice(len(stats), size=(n_bootstrap, len(stats)), replace=True)
    stats_np = np.array(stats, dtype="float32")
    scorer = metric.totals_scorer(context)
    scores = [scorer(stats_np[row].sum(0), len(stats)) for row in idxs]
    return seed.lower(), scores


def score_metric(
    metric_name: str | Metric,
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: bool = False,
    n_bootstrap: int = 0,
    executor: Executor | None = None,
    hash_value: str | None = None,
    table: SystemStatistics | None = None,
) -> MetricResult:
    metric = get_metric(metric_name)
    context = context or ScoringContext()
    if table is None:
        table = system_statistics({"": hyps}, refs_list, [metric], sources=sources, context=context,
                                  segments=[metric] if segments else [], executor=executor)[""]
    stats, segment_scores = table.stats[metric.name], table.segment_scores(metric.name)
    n_refs = reference_count(refs_list[:metric.references_used(len(refs_list))])
    score = metric.corpus_score(stats, context)
    ci = resampling = None
    if n_bootstrap > 1:
        seed, resampled = bootstrap_scores(metric, context, stats, n_bootstrap)
        score.estimate_ci(resampled)
        resampling = Resampling("bs", n_bootstrap, seed)
        ci = ConfidenceInterval(float(score._mean), float(score._ci), n_bootstrap, seed)
    return MetricResult(
        metric=metric.name,
        name=score.name,
        score=float(score.score),
        signature=metric.signature(context, n_refs, resampling=resampling),
        data_hash=hash_value or metric_data_hash(metric, hyps, refs_list, sources),
        tool_version=calque_version(),
        n_segments=len(hyps),
        n_refs=metric.references_used(len(refs_list)),
        formatted=str(score),
        higher_is_better=metric.higher_is_better,
        ci=ci,
        segments=segment_scores,
        segment_signature=metric.signature(context, n_refs, segment=True) if segments else None,
    )


def score_corpus(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric] = DEFAULT_METRICS,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: bool = False,
    n_bootstrap: int = 0,
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
) -> dict[str, MetricResult]:
    """Corpus scores of one system against zero or more reference streams (a reference-free metric needs
    none), keyed by metric name.

    >>> score_corpus(["Das ist gut."], [["Das ist gut."]], ["bleu"])["bleu"].score
    100.00000000000004
    """
    return score_many({"": hyps}, refs_list, metrics, sources=sources, context=context, segments=segments,
                      n_bootstrap=n_bootstrap, executor=executor, shards=shards, resume=resume)[""]


def score_many(
    systems: dict[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric] = DEFAULT_METRICS,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: bool = False,
    n_bootstrap: int = 0,
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
    tables: dict[str, SystemStatistics] | None = None,
) -> dict[str, dict[str, MetricResult]]:
    """score_corpus for several systems on the same references, their shards all on one executor (or from
    `tables` computed already by `system_statistics`)."""
    for hyps in systems.values():
        validate_streams(hyps, refs_list, sources)
    chosen = [get_metric(m) for m in metrics]
    if tables is None:
        tables = system_statistics(systems, refs_list, chosen, sources=sources, context=context,
                                   segments=chosen if segments else [], executor=executor, shards=shards, resume=resume)
    hashes = systems_data_hashes(chosen, systems, refs_list, sources, executor)
    return {system: {metric.name: score_metric(metric, hyps, refs_list, sources=sources, context=context, segments=segments,
                                               n_bootstrap=n_bootstrap, hash_value=hashes[system][metric.name],
                                               table=tables[system])
                     for metric in chosen}
            for system, hyps in systems.items()}


def systems_data_hashes(metrics: Sequence[Metric], systems: dict[str, Sequence[str]],
                        refs_list: Sequence[Sequence[str | None]], sources: Sequence[str] | None = None,
                        executor: Executor | None = None) -> dict[str, dict[str, str]]:
    """data_hashes of every system. When every stream stays in its file (lazy lines) the hashing runs on
    `executor`, one task per system reading its own files, so a large run's client does not stream them all."""
    streams = [*systems.values(), *refs_list, *([] if sources is None else [sources])]
    if executor is None or not all(isinstance(stream, LazyLines) for stream in streams):
        return {system: data_hashes(metrics, hyps, refs_list, sources) for system, hyps in systems.items()}
    tasks = [(tuple(metrics), hyps, list(refs_list), sources) for hyps in systems.values()]
    return dict(zip(systems, executor.map(_data_hashes_task, tasks, label="hashes")))


def _data_hashes_task(task: tuple) -> dict[str, str]:
    return data_hashes(*task)


def data_hashes(metrics: Sequence[Metric], hyps: Sequence[str], refs_list: Sequence[Sequence[str | None]],
                sources: Sequence[str] | None = None) -> dict[str, str]:
    """metric_data_hash of each metric, the streams hashed once per set of streams (lazy files are read once)."""
    by_recipe: dict[tuple, str] = {}
    hashes = {}
    for metric in metrics:
        recipe = (metric.references_used(len(refs_list)), metric.needs_source)
        if recipe not in by_recipe:
            by_recipe[recipe] = metric_data_hash(metric, hyps, refs_list, sources)
        hashes[metric.name] = by_recipe[recipe]
    return hashes


def result_from_totals(metric: Metric, totals: "SystemTotals", refs_list: Sequence[Sequence[str | None]], hash_value: str,
                       context: ScoringContext, *, resampling: Resampling | None = None, segment_signature: bool = False,
                       ci_in_formatted: bool = True) -> MetricResult:
    """A metric's result for one system from totals reduced on the workers (pipelines.fidelity.shard_totals):
    the corpus score from its totals, the CI (with `resampling`, sharded draws) from its resamples' scores."""
    from sacrebleu.significance import estimate_ci

    score = metric.score(totals.totals[metric.name], totals.n_segments, context)
    ci = None
    if resampling is not None and metric.name in totals.resampled:
        mean, halfwidth = estimate_ci(totals.resampled[metric.name])
        ci = ConfidenceInterval(float(mean), float(halfwidth), resampling.n_samples, resampling.seed)
        if ci_in_formatted:
            score._mean, score._ci = ci.mean, ci.halfwidth
    n_refs = reference_count(refs_list[:metric.references_used(len(refs_list))])
    return MetricResult(
        metric=metric.name, name=score.name, score=float(score.score),
        signature=metric.signature(context, n_refs, resampling=resampling if ci else None), data_hash=hash_value,
        tool_version=calque_version(), n_segments=totals.n_segments, n_refs=metric.references_used(len(refs_list)),
        formatted=str(score), higher_is_better=metric.higher_is_better, ci=ci,
        segment_signature=metric.signature(context, n_refs, segment=True) if segment_signature else None,
    )


def score_many_sharded(
    systems: dict[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric] = DEFAULT_METRICS,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: bool = False,
    n_bootstrap: int = 0,
    ci: bool = True,
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
) -> tuple[dict[str, dict[str, MetricResult]], dict[str, "SystemTotals"]]:
    """score_many for runs too large to gather: totals and resamples reduced on the workers, the bootstrap drawn
    shard by shard (pipelines.fidelity.resampling; signatures say `draws:sharded`); the results carry CIs unless
    `ci` is False (resamples drawn for paired tests only). Per-segment scores (`segments`) go to the shard files
    in `shards` only. Returns the results and the totals (their resamples serve paired tests)."""
    from pipelines.fidelity.shard_totals import system_totals

    if segments and shards is None:
        raise InputError("the per-segment scores of a sharded run go to Parquet shard files, never through this process: "
                         "give --shards DIR")
    for hyps in systems.values():
        validate_streams(hyps, refs_list, sources)
    chosen = [get_metric(m) for m in metrics]
    context = context or ScoringContext()
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    totals = system_totals(systems, refs_list, chosen, sources=sources, context=context, segments=chosen if segments else [],
                           n_bootstrap=n_bootstrap, seed=seed, executor=executor, shards=shards, resume=resume)
    resampling = Resampling("bs", n_bootstrap, seed.lower(), "sharded") if n_bootstrap > 1 and ci else None
    hashes = systems_data_hashes(chosen, systems, refs_list, sources, executor)
    results = {system: {metric.name: result_from_totals(metric, totals[system], refs_list, hashes[system][metric.name],
                                                        context, resampling=resampling, segment_signature=segments)
                        for metric in chosen} for system in systems}
    return results, totals


def score_segments(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric] = DEFAULT_METRICS,
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    executor: Executor | None = None,
) -> dict[str, list[float]]:
    """Segment scores only (sentence BLEU with effective order, sentence chrF, sentence TER, a learned
    metric's own segment scores)."""
    validate_streams(hyps, refs_list, sources)
    chosen = [get_metric(m) for m in metrics]
    table = system_statistics({"": hyps}, refs_list, chosen, sources=sources, context=context, segments=chosen,
                              executor=executor)[""]
    return {metric.name: table.segment_scores(metric.name) for metric in chosen}
