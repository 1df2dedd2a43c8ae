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
from pipelines.fidelity.registry import get_metric
from pipelines.provenance import calque_version, data_hash

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore

STATS_SUFFIX, SCORE_SUFFIX = ":stats", ":score"


@dataclass(frozen=True)
class ScoreShard:
    """One system's segments [start, end) with their references, and what to compute on them. The texts
    are lists, or lazy lines (FileLines, ParquetLines: where the rows lie) that the worker reads itself."""

    system: str
    start: int
    hyps: Sequence[str]
    refs_list: list[Sequence[str | None]]
    metrics: tuple[str, ...]
    segments: tuple[str, ...]  # the metrics whose segment scores are wanted
    options: dict[str, Any] = field(default_factory=dict)


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
    """Content key of a shard's output: its texts, position, metrics and the versions that compute them."""
    import sacrebleu

    recipe = json.dumps({"data": data_hash(shard.hyps, *shard.refs_list), "start": shard.start,
                         "metrics": shard.metrics, "segments": shard.segments, "options": shard.options,
                         "sacrebleu": sacrebleu.__version__, "calque": calque_version()}, sort_keys=True, default=str)
    return "scores-" + hashlib.sha256(recipe.encode()).hexdigest()[:32]


def score_shard(shard: ScoreShard) -> ShardResult:
    """Worker: statistics (and segment scores) of one shard for every metric."""
    stats, scores = {}, {}
    hyps, refs_list = materialise(shard.hyps), [materialise(refs) for refs in shard.refs_list]
    for name in shard.metrics:
        spec = get_metric(name)
        metric = spec.corpus_metric(**shard.options)
        rows = metric._extract_corpus_statistics(hyps, refs_list)
        stats[name] = np.asarray(rows)
        if name in shard.segments:
            segment_metric = spec.segment_metric(**shard.options)
            scores[name] = np.array([segment_metric._compute_score_from_stats(row).score for row in rows], dtype=float)
    return ShardResult(shard.system, shard.start, stats, scores)


def _columns(result: ShardResult) -> dict[str, Any]:
    """A shard's Parquet file: one row per segment, its statistics and scores per metric."""
    n = len(next(iter(result.stats.values()))) if result.stats else 0
    columns: dict[str, Any] = {"system": [result.system] * n, "segment": np.arange(result.start, result.start + n)}
    columns.update({name + STATS_SUFFIX: value for name, value in result.stats.items()})
    columns.update({name + SCORE_SUFFIX: value for name, value in result.scores.items()})
    return columns


def _holds(shard: ScoreShard) -> dict[str, Any]:
    """What a shard's file must hold: this system's segments [start, end)."""
    return {"system": shard.system, "segments": [shard.start, shard.start + len(shard.hyps)]}


def _read_back(store: "ShardStore", key: str, shard: ScoreShard) -> ShardResult:
    columns = store.read(key)
    stats = {name: columns[name + STATS_SUFFIX] for name in shard.metrics}
    scores = {name: columns[name + SCORE_SUFFIX] for name in shard.segments}
    return ShardResult(shard.system, shard.start, stats, scores)


def system_statistics(
    systems: Mapping[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str],
    *,
    segments: Sequence[str] = (),
    executor: "Executor | None" = None,
    options: dict[str, Any] | None = None,
    shards: "ShardStore | None" = None,
    resume: bool = False,
    label: str = "scores",
) -> dict[str, SystemStatistics]:
    """Statistics of every system for every metric, its shards run on `executor` (default: in process)."""
    from pipelines.execution import InProcessExecutor
    from pipelines.execution.resumable import map_resumable
    from pipelines.execution.shards import shard_bounds, shard_size

    executor = executor or InProcessExecutor(progress=False)
    metrics = tuple(get_metric(m).name for m in metrics)
    segments = tuple(m for m in metrics if m in {get_metric(s).name for s in segments})
    refs_list = [refs if isinstance(refs, LazyLines) else list(refs) for refs in refs_list]
    n = len(next(iter(systems.values()))) if systems else 0
    size = shard_size(n)
    planned: list[ScoreShard] = []
    for system, hyps in systems.items():
        for start, end in shard_bounds(len(hyps), size):
            planned.append(ScoreShard(system, start, portion(hyps, start, end), [portion(refs, start, end) for refs in refs_list],
                                      metrics, segments, dict(options or {})))
    results = map_resumable(executor, score_shard, planned, keys=[shard_key(s) for s in planned] if shards else [],
                            encode=_columns, decode=_read_back, store=shards, resume=resume, label=label, describe=_holds)
    parts: dict[str, list[ShardResult]] = {system: [] for system in systems}
    for shard, result in zip(planned, results):
        parts[shard.system].append(result)
    return {system: _concatenate(results, metrics, segments) for system, results in parts.items()}


def _concatenate(results: list[ShardResult], metrics: tuple[str, ...], segments: tuple[str, ...]) -> SystemStatistics:
    results = sorted(results, key=lambda r: r.start)
    stats = {m: np.concatenate([r.stats[m] for r in results]) if results else np.empty((0, 0)) for m in metrics}
    scores = {m: np.concatenate([r.scores[m] for r in results]) if results else np.empty(0) for m in segments}
    return SystemStatistics(stats, scores)
