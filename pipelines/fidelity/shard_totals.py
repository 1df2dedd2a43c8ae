"""Systems too large to gather: each score shard is reduced on its worker to what the figures need, and the
shards of a system are combined on the workers (the executor's tree reduction), so the client receives per
system and metric the column totals of the statistics, the score of each bootstrap resample and the worst
segments, never a row per segment.

- Totals are exact: integer statistics (BLEU's and chrF's counts, TER's edits and reference length with one
  reference) sum exactly in any order, so the corpus scores equal the gathered run's. Float statistics (TER's
  mean reference length with several references, a segment-level metric's scores) are summed exactly too
  (as fractions) and rounded once, where the gathered run adds them in segment order: the two may differ in
  the last bits of the total.
- Resamples follow pipelines.fidelity.resampling: each shard sums its statistics over its share of each
  resample's draws; the root turns each resample's totals into its score (the metric's `totals_scorer`).
- Worst segments: each shard keeps its `count` worst (with their texts); merged, they are the system's.
- Per-segment statistics and scores go to the shard files (`--shards`) from the worker, never to the client;
  a resumed run's worker reads its own shard's file when it is usable.

Any registered metric works through the `Metric` interface: its statistics rows, `segment_scores` and
`totals_scorer`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from pipelines.fidelity.file_lines import materialise, portion
from pipelines.fidelity.registry import Metric, ScoringContext, get_metric
from pipelines.fidelity.resampling import ShardDraws, shard_draws
from pipelines.fidelity.shard_scores import (
    ScoreShard,
    plan_shards,
    read_shard,
    score_shard,
    shard_columns,
    shard_holds,
    shard_key,
)

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore


@dataclass(frozen=True)
class WorstSegments:
    """Keep the `count` segments with the worst score of `metric` (ties: the earlier segment), skipping
    segments whose first reference is empty."""

    metric: str
    count: int
    higher_is_better: bool


@dataclass(frozen=True)
class TotalsTask:
    """One score shard, and what its worker reduces it to; `sources` are the shard's sources for the worst
    segments' rows (the shard carries them only when a metric reads them)."""

    shard: ScoreShard
    draws: ShardDraws | None = None
    worst: WorstSegments | None = None
    sources: Sequence[str] | None = None
    store: str | None = None
    resume: bool = False


@dataclass
class SystemTotals:
    """One system's figures: per metric the column totals of its statistics and (with draws) the sums of each
    resample, as resamples × statistics until `finish_totals` turns them into each resample's score."""

    n_segments: int
    totals: dict[str, list]
    resampled: dict[str, np.ndarray] = field(default_factory=dict)
    worst: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def exact_totals(stats: np.ndarray) -> list:
    """Column totals: Python ints for integer statistics, exact fractions for float ones."""
    if stats.dtype.kind in "iub":
        return [int(x) for x in stats.sum(axis=0, dtype=np.int64)]
    return [sum(map(Fraction, column), Fraction(0)) for column in np.asarray(stats, dtype=float).T.tolist()]


def shard_totals(task: TotalsTask) -> SystemTotals:
    """Worker: score one shard (reading its lines, or its kept file on a resumed run) and reduce it."""
    shard = task.shard
    texts = ScoreShard(shard.system, shard.start, materialise(shard.hyps), [materialise(refs) for refs in shard.refs_list],
                       shard.metrics, shard.segments, shard.context, materialise(shard.sources))
    warnings: list[str] = []
    if task.store is None:
        result = score_shard(texts)
    else:
        from pipelines.execution.resumable import kept_on_worker
        from pipelines.execution.shards import ShardStore

        result = kept_on_worker(score_shard, texts, store=ShardStore(task.store, warn=warnings.append), key=shard_key(texts),
                                encode=shard_columns, decode=read_shard, resume=task.resume, holds=shard_holds(texts))
    totals = {name: exact_totals(stats) for name, stats in result.stats.items()}
    resampled = {}
    if task.draws is not None:  # one counts matrix for all metrics: their statistics side by side
        names = list(result.stats)
        sums = task.draws.resampled_sums(np.hstack([np.asarray(result.stats[name], dtype=float) for name in names]))
        edges = np.cumsum([0, *(result.stats[name].shape[1] for name in names)])
        resampled = {name: sums[:, a:b] for name, a, b in zip(names, edges, edges[1:])}
    worst = []
    if task.worst is not None:
        sources = materialise(task.sources)
        references = texts.refs_list[0] if texts.refs_list else None
        worst = _worst_rows(task.worst, result.scores[task.worst.metric], shard.start, texts.hyps, references, sources)
    return SystemTotals(len(texts.hyps), totals, resampled, worst, warnings)


def _worst_rows(worst: WorstSegments, values: np.ndarray, start: int, hyps, references, sources) -> list[dict]:
    sign = 1 if worst.higher_is_better else -1
    keep = [i for i in range(len(values)) if references is None or references[i]]
    keep.sort(key=lambda i: (float(values[i]) * sign, i))
    return [{"segment": start + i, "score": float(values[i]), "source": None if sources is None else sources[i],
             "reference": None if references is None else references[i], "hypothesis": hyps[i]} for i in keep[:worst.count]]


def combine_totals(parts: list[SystemTotals], worst: WorstSegments | None = None) -> SystemTotals:
    """Several shards' (or subtrees') totals of one system as one; exact, and in any grouping the same."""
    first = parts[0]
    totals = {name: [sum(values) for values in zip(*(p.totals[name] for p in parts))] for name in first.totals}
    resampled = {name: sum(p.resampled[name] for p in parts) for name in first.resampled}
    rows = [row for p in parts for row in p.worst]
    if worst is not None:
        sign = 1 if worst.higher_is_better else -1
        rows = sorted(rows, key=lambda row: (row["score"] * sign, row["segment"]))[:worst.count]
    return SystemTotals(sum(p.n_segments for p in parts), totals, resampled, rows, [w for p in parts for w in p.warnings])


def finish_totals(metrics: tuple[Metric, ...], context: ScoringContext, part: SystemTotals) -> SystemTotals:
    """Root of a system's tree: totals as plain numbers (floats rounded once), each resample's score."""
    totals = {name: [float(x) if isinstance(x, Fraction) else x for x in values] for name, values in part.totals.items()}
    scores = {}
    for metric in metrics:
        if metric.name in part.resampled:
            scorer = metric.totals_scorer(context)
            scores[metric.name] = np.array([scorer(row, part.n_segments).score for row in part.resampled[metric.name]])
    return SystemTotals(part.n_segments, totals, scores, part.worst, part.warnings)


def system_totals(
    systems: Mapping[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str | Metric],
    *,
    sources: Sequence[str] | None = None,
    context: ScoringContext | None = None,
    segments: Sequence[str | Metric] = (),
    n_bootstrap: int = 0,
    seed: str = "12345",
    worst: WorstSegments | None = None,
    worst_sources: Sequence[str] | None = None,
    executor: "Executor | None" = None,
    shards: "ShardStore | None" = None,
    resume: bool = False,
    label: str = "scores",
) -> dict[str, SystemTotals]:
    """Every system's totals, resamples (n_bootstrap > 1: sharded draws from `seed`) and worst segments (their
    sources from `worst_sources`), reduced on `executor`'s workers (default: in process). `segments` name the
    metrics whose per-segment scores the shard files keep (with `shards`); they never reach the caller."""
    from pipelines.execution import InProcessExecutor

    executor = executor or InProcessExecutor(progress=False)
    context = context or ScoringContext()
    wanted = [*segments, *([worst.metric] if worst else [])]
    planned = plan_shards(systems, refs_list, metrics, sources=sources, context=context, segments=wanted)
    sizes = {shard.start: len(shard.hyps) for shard in planned}  # one shard position per range, as for every system
    draws = dict(zip(sizes, shard_draws(n_bootstrap, list(sizes.values()), seed))) if n_bootstrap > 1 and planned else {}
    tasks = [TotalsTask(shard, draws.get(shard.start), worst,
                        None if worst is None or worst_sources is None else portion(worst_sources, shard.start,
                                                                                    shard.start + len(shard.hyps)),
                        None if shards is None else str(shards.directory), resume) for shard in planned]
    chosen = tuple(get_metric(m) for m in metrics)
    reduced = executor.reduce(shard_totals, tasks, group=_system_of, combine=partial(combine_totals, worst=worst),
                              finish=partial(finish_totals, chosen, context), label=label)
    if shards is not None:
        for part in reduced.values():
            for line in part.warnings:
                shards.warn(line)
    return {system: reduced[system] for system in systems}


def _system_of(task: TotalsTask) -> str:
    return task.shard.system
