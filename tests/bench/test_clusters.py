"""Significance clusters: the assignment rule on a synthetic p-value table, the paired bootstrap on
synthetic resamples, and p-values equal to sacrebleu's paired bootstrap on real files."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.bench.clusters import assign_clusters, bootstrap_p_value, clusters_from_tests, order_systems, pairwise_tests
from pipelines.bench.scores import Draws, score_system
from pipelines.fidelity.significance import paired_test
from pipelines.fidelity.textfile import read_segments
from pipelines.provenance import data_hash


def test_cluster_rule_on_a_synthetic_table():
    # A ~ B, A beats C and D, B beats D, C ~ D, B ~ C: C is beaten by A, a member of cluster 1, so a new
    # cluster starts at C; D is only compared with C from then on.
    ordered = ["A", "B", "C", "D"]
    p = {("A", "B"): 0.5, ("A", "C"): 0.01, ("A", "D"): 0.001, ("B", "C"): 0.2, ("B", "D"): 0.01, ("C", "D"): 0.3}
    assert assign_clusters(ordered, p) == {"A": 1, "B": 1, "C": 2, "D": 2}
    # nothing significant: one cluster
    assert set(assign_clusters(ordered, {k: 0.9 for k in p}).values()) == {1}
    # everything significant: one system per cluster
    assert assign_clusters(ordered, {k: 0.001 for k in p}) == {"A": 1, "B": 2, "C": 3, "D": 4}
    # alpha decides: 0.01 is not below 0.01
    assert assign_clusters(ordered, p, alpha=0.01)["C"] == 1


def test_order_is_best_first_for_both_directions():
    assert order_systems({"x": 10.0, "y": 30.0, "z": 20.0}) == ["y", "z", "x"]
    assert order_systems({"x": 10.0, "y": 30.0, "z": 20.0}, higher_is_better=False) == ["x", "z", "y"]


def test_bootstrap_clusters_from_synthetic_resamples():
    rng = np.random.default_rng(7)
    # two close systems and one far behind, resampled with a common noise term (paired resamples)
    common = rng.normal(0, 1.0, 1000)
    resampled = {"a": 50 + common + rng.normal(0, 0.05, 1000), "b": 49.95 + common + rng.normal(0, 0.05, 1000),
                 "c": 45 + common + rng.normal(0, 0.05, 1000)}
    scores = {"a": 50.0, "b": 49.95, "c": 45.0}
    ordered, tests = pairwise_tests(scores, resampled)
    assert ordered == ["a", "b", "c"]
    by_pair = {(t.better, t.worse): t for t in tests}
    assert not by_pair[("a", "b")].significant
    assert by_pair[("a", "c")].significant and by_pair[("b", "c")].significant
    assert clusters_from_tests(ordered, tests) == {"a": 1, "b": 1, "c": 2}
    # Holm: the smallest of the three p-values is multiplied by 3, none gets smaller
    smallest = min(tests, key=lambda t: t.p_value)
    assert smallest.p_adjusted == pytest.approx(min(1.0, 3 * smallest.p_value))
    assert all(t.p_adjusted >= t.p_value for t in tests)


def test_identical_outputs_are_not_different():
    same = np.linspace(40, 42, 100)
    assert bootstrap_p_value(0.0, same, same.copy()) == 1.0


@pytest.mark.parametrize("metric", ["bleu", "chrf", "ter"])
def test_p_values_equal_sacrebleu_paired_bootstrap(test_data, metric):
    folder = test_data / "fidelity"
    refs = [read_segments(folder / "ref.de")]
    systems = {name: read_segments(folder / f"{name}.de") for name in ("good", "poor")}
    draws = Draws.sacrebleu(len(refs[0]), 1000)
    scored = {name: score_system(metric, hyps, refs, data_hash(hyps, *refs), draws) for name, hyps in systems.items()}
    ours = bootstrap_p_value(scored["good"].result.score - scored["poor"].result.score, scored["good"].resampled,
                             scored["poor"].resampled)
    (theirs,) = paired_test(systems, refs, [metric], "good", test="bs", correction="none")
    assert ours == pytest.approx(theirs.p_value)
    # the confidence interval is sacrebleu's as well (paired_test reports it for the non-baseline system)
    assert scored["poor"].result.ci.halfwidth == pytest.approx(theirs.ci_halfwidth, rel=1e-5)
