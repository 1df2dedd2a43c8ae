"""Sufficient statistics of many systems, shard by shard: a shard is a contiguous range of one system's
segments, scored for every metric at once by `score_shard` (a pure function, so any worker may run it,
twice if need be). Each shard's per-segment statistics and scores can be written as one Parquet file
named by the shard's content key (pipelines.execution.resumable); `resume` reads the files already there
instead of recomputing them.

The client concatenates the shards' rows in segment order, so every figure computed from them (corpus
score, segment scores, bootstrap, paired tests) is the same as from one process.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from pipelines.fidelity.file_lines import LazyLines, materialise, portion
from pipelines.fidelity.registry import Metric, ScoringContext, get_metric
from pipelines.provenance import calque_version, data_hash

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore

STATS_SUFFIX, SCORE_SUFFIX = ":stats", ":score"


@dataclass(frozen=True)
class ScoreShard:
    """One system's segments [start, end) with their references (and sources, when a metric needs them),
    and what to compute on them. The texts are lists, or lazy lines (FileLines, ParquetLines: where the
    rows lie) that the worker reads itself. The metrics travel as objects, so a worker needs no registry."""

    system: str
    start: int
    hyps: Sequence[str]
    refs_list: list[Sequence[str | None]]
    metrics: tuple[Metric, ...]
    segments: tuple[str, ...]  # the metrics whose segment scores are wanted
    context: ScoringContext = field(default_factory=ScoringContext)
    sources: Sequence[str] | None = None


@dataclass
class ShardResult:
    system: str
    start: int
    stats: dict[str, np.ndarray]
    scores: dict[str, np.ndarray]


@dataclass
class SystemStatistics:
    """One system's per-segment statistics per metric (rows in segment order) and its segment scores."""

    stats: dict[str, np.ndarray]
    scores: dict[str, np.ndarray]

    def segment_scores(self, metric: str) -> list[float] | None:
        return self.scores[metric].tolist() if metric in self.scores else None


def shard_key(shard: ScoreShard) -> str:
    """Content key of a shard's output: its texts, position, metrics (with everything their statistics depend
    on: tokeniser, model hash, versions) and the Calque version."""
    streams = [shard.hyps, *shard.refs_list] + ([shard.sources] if shard.sources is not None else [])
    recipe = json.dumps({"data": data_hash(*streams), "start": shard.start, "sources": shard.sources is not None,
                         "metrics": [m.identity(shard.context) for m in shard.metrics], "segments": shard.segments,
                         "calque": calque_version()}, sort_keys=True, default=str)
    return "scores-" + hashlib.sha256(recipe.encode()).hexdigest()[:32]


def score_shard(shard: ScoreShard) -> ShardResult:
    """Worker: statistics (and segment scores) of one shard for every metric."""
    stats, scores = {}, {}
    hyps, refs_list = materialise(shard.hyps), [materialise(refs) for refs in shard.refs_list]
    sources = materialise(shard.sources)
    for metric in shard.metrics:
        rows = metric.statistics(hyps, refs_list, sources, shard.context)
        stats[metric.name] = rows
        if metric.name in shard.segments:
            scores[metric.name] = metric.segment_scores(rows, shard.context)
    return ShardResult(shard.system, shard.start, stats, scores)


def shard_columns(result: ShardResult) -> dict[str, Any]:
    """A shard's Parquet file: one row per segment, its statistics and scores per metric."""
    n = len(next(iter(result.stats.values()))) if result.stats else 0
    columns: dict[str, Any] = {"system": [result.system] * n, "segment": np.arange(result.start, result.start + n)}
    columns.update({name + STATS_SUFFIX: value for name, value in result.stats.items()})
    columns.update({name + SCORE_SUFFIX: value for name, value in result.scores.items()})
    return columns


def shard_holds(shard: ScoreShard) -> dict[str, Any]:
    """What a shard's file must hold: this system's segments [start, end)."""
    return {"system": shard.system, "segments": [shard.start, shard.start + len(shard.hyps)]}


def read_shard(store: "ShardStore", key: str, shard: ScoreShard) -> ShardResult:
    columns = store.read(key)
    stats = {metric.name: columns[metric.name + STATS_SUFFIX] for metric in shard.metrics}
    scores = {name: columns[name + SCORE_SUFFIX] for name in shard.segments}
    return ShardResult(shard.system, shard.start, stats, scores)


def plan_shards(systems: Mapping[str, Sequence[str]], refs_list: Sequence[Sequence[str | None]],
                metrics: Sequence[str | Metric], *, sources: Sequence[str] | None = None,
                context: ScoringContext | None = None, segments: Sequence[str | Metric] = ()) -> list[ScoreShard]:
    """The score shards of every system, each metric checked first (a reference or the source it needs, its
    tokeniser or model), so a run that cannot finish does not start. Segment range by segment range, every
    system in turn: a process then prepares each range's references once. The layout depends on the number
    of segments only (pipelines.execution.shards)."""
    from pipelines.execution.shards import shard_bounds, shard_size

    context = context or ScoringContext()
    chosen = tuple(get_metric(m) for m in metrics)
    for metric in chosen:
        metric.check(context, has_source=sources is not None, n_refs=len(refs_list))
    wanted = {get_metric(s).name for s in segments}
    segment_names = tuple(m.name for m in chosen if m.name in wanted)
    refs_list = [refs if isinstance(refs, LazyLines) else list(refs) for refs in refs_list]
    if sources is not None and not isinstance(sources, LazyLines):
        sources = list(sources)
    carried = sources if any(m.needs_source for m in chosen) else None
    n = len(next(iter(systems.values()))) if systems else 0
    return [ScoreShard(system, start, portion(hyps, start, end), [portion(refs, start, end) for refs in refs_list], chosen,
                       segment_names, context, None if carried is None else portion(carried, start, end))
            for start, end in shard_bounds(n, shard_size(n)) for system, hyps in systems.items()]


def system_statistics(
    systems: Mapping[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric],
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: Sequence[str | Metric] = (),
    executor: "Executor | None" = None,
    shards: "ShardStore | None" = None,
    resume: bool = False,
    label: str = "scores",
) -> dict[str, SystemStatistics]:
    """Statistics of every system for every metric, its shards (`plan_shards`) run on `executor` (default: in
    process), every segment's row gathered here."""
    from pipelines.execution import InProcessExecutor
    from pipelines.execution.resumable import map_resumable

    executor = executor or InProcessExecutor(progress=False)
    planned = plan_shards(systems, refs_list, metrics, sources=sources, context=context, segments=segments)
    names = tuple(get_metric(m).name for m in metrics)
    wanted = {get_metric(s).name for s in segments}
    segment_names = tuple(name for name in names if name in wanted)
    results = map_resumable(executor, score_shard, planned, keys=[shard_key(s) for s in planned] if shards else [],
                            encode=shard_columns, decode=read_shard, store=shards, resume=resume, label=label, describe=shard_holds)
    parts: dict[str, list[ShardResult]] = {system: [] for system in systems}
    for shard, result in zip(planned, results):
        parts[shard.system].append(result)
    return {system: _concatenate(results, names, segment_names) for system, results in parts.items()}


def _concatenate(results: list[ShardResult], metrics: tuple[str, ...], segments: tuple[str, ...]) -> SystemStatistics:
    results = sorted(results, key=lambda r: r.start)
    stats = {m: np.concatenate([r.stats[m] for r in results]) if results else np.empty((0, 0)) for m in metrics}
    scores = {m: np.concatenate([r.scores[m] for r in results]) if results else np.empty(0) for m in segments}
    return SystemStatistics(stats, scores)
