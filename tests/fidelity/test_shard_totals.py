"""Scores reduced on the workers (pipelines.fidelity.shard_totals): the corpus scores equal the gathered run's,
CIs lie within Monte-Carlo tolerance of sacrebleu's, the reduction does not depend on how shards are grouped,
segment-level metrics go through the same path, and per-segment scores reach the shard files only."""
from __future__ import annotations

import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.execution import ShardStore
from pipelines.fidelity import ScoringContext, registry, score_many
from pipelines.fidelity.resampling import ci_tolerance
from pipelines.fidelity.scoring import score_many_sharded
from pipelines.fidelity.shard_scores import plan_shards
from pipelines.fidelity.shard_totals import (
    TotalsTask,
    WorstSegments,
    combine_totals,
    finish_totals,
    shard_totals,
    system_totals,
)
from tests.fidelity.toy_scorer import toy_metric

COPIES = 150  # 8 segments × 150 = 1,200: shards of 500, 500 and 200
METRICS = ["bleu", "chrf", "ter", "toy:ref"]
CONTEXT = ScoringContext("en", "de")


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(registry._FAMILIES, "toy", (toy_metric, "VARIANT"))


@pytest.fixture(scope="module")
def texts(tiny):
    """The tiny test set repeated, each copy's lines numbered so that no two segments are alike."""
    return {key: [f"{line} {copy}" for copy in range(COPIES) for line in lines] for key, lines in tiny[1].items()}


def systems_of(texts):
    return {name: texts[name] for name in ("careful", "literal", "broken")}


def test_corpus_scores_equal_the_exact_ones_and_cis_lie_within_tolerance(texts, toy):
    exact = score_many(systems_of(texts), [texts["ref"]], METRICS, sources=texts["src"], n_bootstrap=300, context=CONTEXT)
    sharded, totals = score_many_sharded(systems_of(texts), [texts["ref"]], METRICS, sources=texts["src"], n_bootstrap=300,
                                         context=CONTEXT)
    for system, by_metric in exact.items():
        for metric, here in by_metric.items():
            there = sharded[system][metric]
            if metric == "toy:ref":  # float statistics: an exact sum rounded once, not added in segment order
                assert there.score == pytest.approx(here.score, rel=1e-12)
            else:
                assert there.score == here.score
            assert (there.data_hash, there.n_segments, there.name) == (here.data_hash, here.n_segments, here.name)
            last = "|sys:mean" if metric == "toy:ref" else "|version:"  # the signature says how the CI was drawn
            assert there.signature == here.signature.replace(last, "|draws:sharded" + last)
            mean_tolerance, halfwidth_tolerance = ci_tolerance(here.ci.halfwidth, 300)
            assert abs(there.ci.mean - here.ci.mean) < mean_tolerance, (system, metric)
            assert abs(there.ci.halfwidth - here.ci.halfwidth) < halfwidth_tolerance, (system, metric)
            assert len(totals[system].resampled[metric]) == 300


def test_float_statistics_of_several_references_are_summed_exactly(texts):
    """TER's mean reference length with two references is a float: the sharded total is the exact sum, rounded once."""
    refs = [texts["ref"], texts["literal"]]
    exact = score_many({"broken": texts["broken"]}, refs, ["ter"])["broken"]["ter"]
    sharded, totals = score_many_sharded({"broken": texts["broken"]}, refs, ["ter"])
    assert sharded["broken"]["ter"].score == pytest.approx(exact.score, rel=1e-13)
    from fractions import Fraction

    from pipelines.fidelity.shard_scores import system_statistics

    rows = system_statistics({"broken": texts["broken"]}, refs, ["ter"])["broken"].stats["ter"]
    assert totals["broken"].totals["ter"] == [float(sum(map(Fraction, column.tolist()), Fraction(0))) for column in rows.T]


def test_the_reduction_does_not_depend_on_how_shards_are_grouped(texts, toy):
    systems = {"broken": texts["broken"]}
    planned = plan_shards(systems, [texts["ref"]], METRICS, sources=texts["src"], context=CONTEXT, segments=["chrf"])
    assert [len(s.hyps) for s in planned] == [500, 500, 200]
    from pipelines.fidelity.resampling import shard_draws

    draws = shard_draws(50, [500, 500, 200], "12345")
    worst = WorstSegments("chrf", 4, True)
    parts = [shard_totals(TotalsTask(shard, d, worst)) for shard, d in zip(planned, draws)]
    finish = [registry.get_metric(m) for m in METRICS]
    at_once = finish_totals(tuple(finish), CONTEXT, combine_totals(parts, worst))
    left = finish_totals(tuple(finish), CONTEXT, combine_totals([combine_totals(parts[:2], worst), parts[2]], worst))
    right = finish_totals(tuple(finish), CONTEXT, combine_totals([parts[0], combine_totals(parts[1:], worst)], worst))
    for other in (left, right):
        assert other.totals == at_once.totals and other.worst == at_once.worst and other.n_segments == 1200
        for metric in METRICS:
            assert np.allclose(other.resampled[metric], at_once.resampled[metric], rtol=1e-12, atol=0)
    # the worst segments are the gathered run's: the lowest chrF, earlier segments first among equals
    from pipelines.fidelity import score_segments

    scores = score_segments(texts["broken"], [texts["ref"]], ["chrf"])["chrf"]
    assert [row["segment"] for row in at_once.worst] == sorted(range(1200), key=lambda i: (scores[i], i))[:4]
    assert at_once.worst[0]["hypothesis"] == texts["broken"][at_once.worst[0]["segment"]]


def test_segment_scores_go_to_the_shard_files_only(texts, tmp_path):
    systems = systems_of(texts)
    with pytest.raises(InputError, match="give --shards DIR"):
        score_many_sharded(systems, [texts["ref"]], ["chrf"], segments=True)
    warnings: list[str] = []
    store = ShardStore(tmp_path / "shards", warn=warnings.append)
    results, _ = score_many_sharded(systems, [texts["ref"]], ["chrf"], segments=True, shards=store)
    assert results["broken"]["chrf"].segments is None and results["broken"]["chrf"].segment_signature
    kept = [store.read(key) for key in store.keys()]
    assert len(kept) == 9  # 3 systems × 3 shards
    by_segment = {(str(system), int(segment)): score for columns in kept
                  for system, segment, score in zip(columns["system"], columns["segment"], columns["chrf:score"])}
    expected = score_many(systems, [texts["ref"]], ["chrf"], segments=True)
    assert [by_segment[("broken", i)] for i in range(1200)] == expected["broken"]["chrf"].segments
    # a resumed run's workers read their own files; one that is not usable is computed again, with a warning
    victim = store.path(store.keys()[0])
    victim.write_bytes(victim.read_bytes()[:100])
    again, _ = score_many_sharded(systems, [texts["ref"]], ["chrf"], segments=True, shards=store, resume=True)
    assert again == results and len(warnings) == 1 and "is not usable" in warnings[0]


def test_system_totals_keep_the_systems_order_and_sizes(texts):
    totals = system_totals({"literal": texts["literal"], "careful": texts["careful"]}, [texts["ref"]], ["bleu"])
    assert list(totals) == ["literal", "careful"] and totals["careful"].n_segments == 1200
    assert totals["careful"].resampled == {} and totals["careful"].worst == []
