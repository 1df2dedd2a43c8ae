"""Run a benchmark: every system of a test set scored with each metric (CI and significance clusters),
checked for artifacts, and (when given) evaluated for terminology and MQM. The result is a plain dict
(JSON-ready) that tables, the HTML report and the corpus results table all read."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.bench.clusters import approximate_randomization_tests, clusters_from_tests, order_systems, pairwise_tests
from pipelines.bench.scores import Draws, SystemScore, score_system
from pipelines.bench.testset import TestSet
from pipelines.fidelity import get_metric
from pipelines.fidelity.registry import ScoringContext
from pipelines.fidelity.resampling import resampling_mode
from pipelines.fidelity.scoring import systems_data_hashes
from pipelines.fidelity.shard_scores import system_statistics
from pipelines.provenance import calque_signature, calque_version

if TYPE_CHECKING:
    from pipelines.execution import Executor, ShardStore

RESULT_KIND = "bench"
WORST_METRIC_PREFERENCE = ("chrf", "chrf++", "bleu", "ter")


@dataclass
class BenchConfig:
    metrics: list[str] = field(default_factory=lambda: ["bleu", "chrf", "ter"])
    references: list[str] | None = None  # used together as multi-reference; default: the first one
    checks: bool | list[str] = True
    check_block: int = 20
    terms: str | None = None
    terms_key: str | None = None
    mqm: str | None = None
    n_bootstrap: int = 1000
    test: str = "bs"
    correction: str = "holm"
    alpha: float = 0.05
    worst: int = 5
    segments: bool = False  # keep every segment score in the result
    tokenize: str | None = None  # BLEU's tokeniser; default: sacrebleu's choice for the target language
    bootstrap: str = "auto"  # exact, sharded, or auto: exact up to EXACT_LIMIT system-segments (pipelines.fidelity.resampling)

    def __post_init__(self):
        self.metrics = [get_metric(m).name for m in self.metrics]
        if not self.metrics:
            raise InputError("a benchmark needs at least one metric")
        if self.test not in ("bs", "ar"):
            raise InputError(f"unknown paired test {self.test!r}; known: bs, ar")
        if not 0 < self.alpha < 1:
            raise InputError(f"alpha must lie between 0 and 1, not {self.alpha}")
        resampling_mode(self.bootstrap, 0, 0)  # a mode it does not know is a one-line error now
        if self.tokenize:
            from pipelines.fidelity.bleu_tokenizers import bleu_tokenizer

            bleu_tokenizer(None, self.tokenize)

    def describe(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "references": self.references, "checks": self.checks,
                "check_block": self.check_block, "terms": self.terms, "mqm": self.mqm, "n_bootstrap": self.n_bootstrap,
                "test": self.test, "correction": self.correction, "alpha": self.alpha, "tokenize": self.tokenize,
                "bootstrap": self.bootstrap}


def worst_metric(metrics: Sequence[str]) -> str:
    return next((m for m in WORST_METRIC_PREFERENCE if m in metrics), metrics[0])


class ScoredSystems(NamedTuple):
    """What `score_systems` gives: per system and metric the scores (with CI, position, cluster), per metric
    its info and significance, the segment scores it kept (by metric and system) and the worst segments."""

    scores: dict
    info: dict
    significance: dict
    segments: dict
    worst: dict


def score_systems(
    systems: dict[str, Sequence[str]],
    refs_list: Sequence[Sequence[str]],
    config: BenchConfig,
    hash_value: str,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    shards: ShardStore | None = None,
    resume: bool = False,
    *,
    sources: Sequence[str] | None = None,
    langs: tuple[str | None, str | None] = (None, None),
    worst_sources: Sequence[str] | None = None,
) -> ScoredSystems:
    """Scores, metric info and significance per metric; segment scores per metric and system; the worst segments
    of `worst_metric` (with `worst_sources` as their sources). Up to EXACT_LIMIT system-segments (or with
    config.bootstrap 'exact') every segment's statistics are gathered from the shards run on `executor` and
    the bootstrap is sacrebleu's; beyond it (or 'sharded') the workers reduce them (pipelines.fidelity.shard_totals)
    and the segment scores stay in the shard files. `langs` (source, target) choose BLEU's tokeniser and reach
    the learned metrics."""
    if not systems:
        raise InputError("no system to score")
    n = len(next(iter(systems.values())))
    context = ScoringContext(*langs, tokenize=config.tokenize)
    chosen = worst_metric(config.metrics)
    # segment scores feed the worst-segments table (one metric) unless all are asked for
    wanted_segments = config.metrics if config.segments else [chosen]
    specs = [get_metric(metric) for metric in config.metrics]
    hashes = systems_data_hashes(specs, systems, refs_list, sources, executor)
    tables = None
    sharded = resampling_mode(config.bootstrap, len(systems), n) == "sharded"
    if sharded:
        by_metric, worst, n_samples, seed = _sharded_scores(systems, refs_list, config, context, hashes, executor, shards,
                                                            resume, sources, worst_sources)
        results_of = by_metric.__getitem__
    else:
        tables = system_statistics(systems, refs_list, config.metrics, sources=sources, context=context,
                                   segments=wanted_segments, executor=executor, shards=shards, resume=resume)
        draws = Draws.sacrebleu(n, config.n_bootstrap) if config.n_bootstrap > 1 else None
        n_samples, seed = (draws.n_samples, draws.seed) if draws else (0, None)

        def results_of(metric: str) -> dict[str, SystemScore]:  # one metric at a time: its resamples are large
            return {system: score_system(get_metric(metric), hyps, refs_list, hashes[system][metric], draws,
                                         segments=metric in wanted_segments, table=tables[system], sources=sources,
                                         context=context) for system, hyps in systems.items()}

        worst = worst_segments({system: table.segment_scores(chosen) for system, table in tables.items()}, systems,
                               refs_list[0], worst_sources, chosen, config.worst)
    scores: dict[str, dict[str, Any]] = {s: {} for s in systems}
    info: dict[str, dict[str, Any]] = {}
    significance: dict[str, dict[str, Any]] = {}
    segments: dict[str, dict[str, list[float]]] = {}
    for metric in config.metrics:
        spec = get_metric(metric)
        results = results_of(metric)
        if progress:
            for system in systems:
                progress(f"{metric} {system}")
        first = next(iter(results.values())).result
        info[metric] = {"name": first.name, "signature": first.signature, "segment_signature": first.segment_signature,
                        "calque_signature": calque_signature(first.signature, hash_value),
                        "higher_is_better": spec.higher_is_better}
        observed = {s: r.result.score for s, r in results.items()}
        tests, ordered = [], order_systems(observed, spec.higher_is_better)
        if len(systems) > 1 and n_samples > 1:
            if config.test == "bs":
                ordered, tests = pairwise_tests(observed, {s: r.resampled for s, r in results.items()},
                                                spec.higher_is_better, config.correction, config.alpha)
            else:
                ordered, tests = approximate_randomization_tests(tables, spec, observed, spec.higher_is_better,
                                                                 config.correction, config.alpha, executor=executor,
                                                                 context=context)
        if tests:
            clusters = clusters_from_tests(ordered, tests, config.alpha)
        else:  # a single system is its own cluster; without resamples nothing is tested
            clusters = {ordered[0]: 1} if len(ordered) == 1 else {}
        significance[metric] = {
            "test": config.test if tests else None, "n_samples": n_samples, "seed": seed, "correction": config.correction,
            "alpha": config.alpha, "order": ordered, "clusters": clusters, "pairs": [t.to_dict() for t in tests],
            **({"draws": "sharded"} if sharded else {}),
        }
        segments[metric] = {}
        for position, system in enumerate(ordered, start=1):
            result = results[system].result
            ci = result.ci
            scores[system][metric] = {
                "score": result.score, "data_hash": result.data_hash, "formatted": result.formatted, "position": position,
                "cluster": clusters.get(system),
                "ci": None if ci is None else {"mean": ci.mean, "halfwidth": ci.halfwidth, "low": ci.low, "high": ci.high},
            }
            if result.segments is not None:
                segments[metric][system] = result.segments
    return ScoredSystems(scores, info, significance, segments, worst)


def _sharded_scores(systems, refs_list, config: BenchConfig, context, hashes, executor, shards, resume, sources,
                    worst_sources) -> tuple[dict, dict, int, str | None]:
    """score_systems' figures reduced on the workers, with sharded bootstrap draws."""
    from pipelines.fidelity.registry import Resampling
    from pipelines.fidelity.scoring import result_from_totals
    from pipelines.fidelity.shard_totals import WorstSegments, system_totals

    n_samples = config.n_bootstrap if config.n_bootstrap > 1 else 0
    if config.test == "ar" and n_samples and len(systems) > 1:
        raise InputError("approximate randomisation (--test ar) needs every segment's statistics in this process; "
                         "for a run this large use the paired bootstrap (--test bs), or --bootstrap exact")
    if config.segments and shards is None:
        raise InputError("the per-segment scores of a sharded run go to Parquet shard files, never through this process: "
                         "give --shards DIR")
    chosen = worst_metric(config.metrics)
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    worst = WorstSegments(chosen, config.worst, get_metric(chosen).higher_is_better)
    totals = system_totals(systems, refs_list, config.metrics, sources=sources, context=context,
                           segments=config.metrics if config.segments else [], n_bootstrap=n_samples, seed=seed, worst=worst,
                           worst_sources=worst_sources, executor=executor, shards=shards, resume=resume)
    resampling = Resampling("bs", n_samples, seed.lower(), "sharded") if n_samples else None
    results = {metric: {system: SystemScore(result_from_totals(get_metric(metric), totals[system], refs_list,
                                                               hashes[system][metric], context,
                                                               resampling=resampling, segment_signature=True,
                                                               ci_in_formatted=False),
                                            None, totals[system].resampled.get(metric))
                        for system in systems} for metric in config.metrics}
    return results, {system: part.worst for system, part in totals.items()}, n_samples, seed.lower() if n_samples else None


def worst_segments(
    segment_scores: dict[str, list[float]],
    systems: dict[str, Sequence[str]],
    references: Sequence[str] | None,
    sources: Sequence[str] | None,
    metric: str,
    count: int,
) -> dict[str, list[dict]]:
    higher = get_metric(metric).higher_is_better
    worst = {}
    for system, values in segment_scores.items():
        order = np.argsort(np.asarray(values) * (1 if higher else -1), kind="stable")
        rows = []
        for index in order:
            if len(rows) >= count:
                break
            if references is not None and not references[index]:
                continue
            rows.append({"segment": int(index), "score": float(values[index]), "source": None if sources is None else sources[index],
                         "reference": None if references is None else references[index], "hypothesis": systems[system][index]})
        worst[system] = rows
    return worst


def run_bench(testset: TestSet, config: BenchConfig | None = None, progress: Callable[[str], None] | None = None,
              executor: Executor | None = None, shards: ShardStore | None = None, resume: bool = False) -> dict[str, Any]:
    """Benchmark the systems of a test set; returns the result dict (see module docstring). Segment
    statistics and checks run shard by shard on `executor` (default: in process); with `shards` the
    per-segment statistics are written there as Parquet, and `resume` reuses the shards already written."""
    config = config or BenchConfig()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    ref_names = config.references or [next(iter(testset.references))]
    unknown = [r for r in ref_names if r not in testset.references]
    if unknown:
        raise InputError(f"unknown reference(s) {', '.join(unknown)}; {testset.name} has {', '.join(testset.references)}")
    refs_list = [testset.references[r] for r in ref_names]
    hash_value = testset.data_hash

    clock = time.perf_counter()
    scores, info, significance, segments, worst = score_systems(testset.systems, refs_list, config, hash_value, progress,
                                                                executor, shards, resume, sources=testset.sources,
                                                                langs=(testset.src_lang, testset.tgt_lang),
                                                                worst_sources=testset.sources)
    timings["metrics"] = time.perf_counter() - clock

    result: dict[str, Any] = {
        "kind": RESULT_KIND,
        "title": f"{testset.name} {testset.langs}",
        "testset": {"name": testset.name, "langs": testset.langs, "segments": len(testset), "references": ref_names,
                    "data_hash": hash_value, "systems": list(testset.systems), "documents": testset.documents is not None,
                    "paths": testset.paths},
        "tool_version": calque_version(),
        "config": config.describe(),
        "metrics": config.metrics,
        "metric_info": info,
        "significance": significance,
        "systems": [{"system": s, "scores": scores[s]} for s in significance[config.metrics[0]]["order"]],
    }
    chosen = worst_metric(config.metrics)
    result["worst_segments"] = {"metric": chosen, "signature": info[chosen]["segment_signature"], "systems": worst}
    if config.segments and significance[chosen].get("draws") == "sharded":
        result["segment_shards"] = str(shards.directory)  # the segment scores are there, never here
    elif config.segments:
        result["segment_scores"] = segments

    if config.checks:
        from pipelines.bench.checking import checks_available, checks_signature, system_check_summary

        if checks_available():
            from pipelines.checks import resolve_checks

            clock = time.perf_counter()
            only = None if config.checks is True else list(config.checks)
            names = resolve_checks(only)
            summary = system_check_summary(testset.systems, testset.sources, testset.src_lang, testset.tgt_lang,
                                           testset.documents, names, block=config.check_block, executor=executor)
            summary["signature"] = checks_signature(names, config.check_block, testset.documents is not None)
            result["checks"] = summary
            timings["checks"] = time.perf_counter() - clock

    if config.terms:
        from pipelines.bench.terms import system_terms

        clock = time.perf_counter()
        result["terminology"] = system_terms(testset.systems, testset.sources, config.terms, testset.src_lang,
                                             testset.tgt_lang, config.terms_key, executor=executor)
        timings["terminology"] = time.perf_counter() - clock

    if config.mqm:
        from pipelines.bench.mqm_summary import google_tsv_mqm

        clock = time.perf_counter()
        result["mqm"] = google_tsv_mqm(config.mqm, src_lang=testset.src_lang, tgt_lang=testset.tgt_lang)
        timings["mqm"] = time.perf_counter() - clock

    timings["total"] = time.perf_counter() - started
    result["timings"] = timings
    return result


def store_results(corpus, result: dict[str, Any]) -> list[str]:
    """One `bench` result per metric (signature: the metric's, with data hash and Calque version) and one
    `bench-checks` result; returns their ids."""
    ids = []
    data_hash = result["testset"]["data_hash"]
    for metric in result["metrics"]:
        info = result["metric_info"].get(metric)
        if info is None:
            continue
        payload = {
            "testset": {k: v for k, v in result["testset"].items() if k != "paths"}, "metric": metric,
            "signature": info["signature"], "segment_signature": info["segment_signature"],
            "significance": {k: v for k, v in result["significance"][metric].items() if k != "pairs"},
            "pairs": result["significance"][metric]["pairs"],
            "systems": [{"system": row["system"], **row["scores"][metric]} for row in result["systems"] if metric in row["scores"]],
        }
        ids.append(corpus.add_result(RESULT_KIND, data_hash, info["calque_signature"], payload, result["tool_version"]))
    checks = result.get("checks")
    if checks:
        payload = {k: v for k, v in checks.items() if k != "findings"}
        payload["testset"] = result["testset"]["name"]
        ids.append(corpus.add_result("bench-checks", data_hash, calque_signature(checks["signature"], data_hash), payload,
                                     result["tool_version"]))
    result["result_ids"] = ids
    return ids
