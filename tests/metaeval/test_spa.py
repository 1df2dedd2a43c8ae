"""Soft pairwise accuracy: hand-checkable cases, and a reference computation of mt-metrics-eval's pce.py
written out from its documented definition."""
from __future__ import annotations

import csv
import itertools

import numpy as np
import pytest

from pipelines.metaeval.spa import pairwise_p_values, soft_pairwise_accuracy

# Two systems, three segments. A permutation keeps or swaps each segment's two scores with probability 1/2;
# p = share of permutations whose difference of sums is >= the observed one. With segment differences
# d = (3, 2, 1) only "keep all three" reaches the observed 6: p = 1/8 exactly in the limit.
HUMAN = [[3.0, 2.0, 1.0], [0.0, 0.0, 0.0]]
MANY = 40000  # permutations, so that a p-value is within ±0.006 (3 sd) of its exact value


def test_p_values_approach_the_exact_permutation_distribution():
    assert pairwise_p_values(HUMAN, MANY)[0, 1] == pytest.approx(1 / 8, abs=0.006)
    # d = (3, -1, 0), observed 2: reached by (+,+,·) = 2 and (+,−,·) = 4, not by (−,·,·): p = 1/2
    assert pairwise_p_values([[3.0, 0.0, 5.0], [0.0, 1.0, 5.0]], MANY)[0, 1] == pytest.approx(1 / 2, abs=0.006)
    # no difference at all: every permutation ties the observed 0, p = 1
    assert pairwise_p_values([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])[0, 1] == 1.0
    matrix = pairwise_p_values(HUMAN)
    assert np.isnan(matrix[1, 0]) and np.isnan(matrix[0, 0])


def test_a_metric_as_sure_as_the_humans_scores_one():
    # d = (1, 1, 1): again only "keep all" reaches the observed 3 — the same permutations as the human's
    assert soft_pairwise_accuracy(HUMAN, [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]).value == 1.0
    assert soft_pairwise_accuracy(HUMAN, HUMAN).value == 1.0


def test_reversed_and_unsure_metrics_score_low():
    # reversed: the metric's p-value is 1 (every permutation >= −6), the human's 1/8: SPA = 1 − 7/8
    reversed_ = soft_pairwise_accuracy(HUMAN, [[0.0, 0.0, 0.0], [3.0, 2.0, 1.0]], permutations=MANY)
    assert reversed_.value == pytest.approx(1 / 8, abs=0.006)
    # right direction, less sure (p = 1/2): SPA = 1 − |1/8 − 1/2|
    unsure = soft_pairwise_accuracy(HUMAN, [[3.0, 0.0, 5.0], [0.0, 1.0, 5.0]], permutations=MANY)
    assert unsure.value == pytest.approx(5 / 8, abs=0.012)
    assert (unsure.items, unsure.pairs) == (3, 1)


def test_items_missing_for_any_system_are_left_out():
    human = np.array([[3.0, 2.0, np.nan, 1.0], [0.0, 0.0, 4.0, 0.0]])
    metric = np.array([[1.0, 1.0, 9.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    result = soft_pairwise_accuracy(human, metric)
    assert result.items == 3
    assert result.value == soft_pairwise_accuracy(human[:, [0, 1, 3]], metric[:, [0, 1, 3]]).value == 1.0


def _fixture(test_data):
    rows = list(csv.DictReader((test_data / "metaeval" / "spa_scores.tsv").open(encoding="utf-8"), delimiter="\t"))
    systems = sorted({r["system"] for r in rows})
    segments = max(int(r["seg_id"]) for r in rows)
    matrices = {c: np.zeros((len(systems), segments)) for c in ("human", "metric_close", "metric_loose")}
    for r in rows:
        for column, matrix in matrices.items():
            matrix[systems.index(r["system"]), int(r["seg_id"]) - 1] = float(r[column])
    return matrices


def _reference_p_values(scores, permutations=1000, seed=4):
    """pce.compute_pairwise_p_values as its docstring defines it, one pair and one permutation at a time: the
    ±1 mask m of a permutation is round(uniform float32) · 2 − 1 from numpy's default_rng(4); the permuted
    difference is Σ m_l (a_l − b_l); p = share of permutations where it is >= Σ (a_l − b_l)."""
    rng = np.random.default_rng(seed)
    masks = [[2 * round(float(u)) - 1 for u in row] for row in rng.random(size=(permutations, len(scores[0])), dtype=np.float32)]
    p = {}
    for i, j in itertools.combinations(range(len(scores)), 2):
        diff = [a - b for a, b in zip(scores[i], scores[j])]
        observed = sum(diff)
        p[i, j] = sum(1 for m in masks if sum(s * d for s, d in zip(m, diff)) >= observed) / permutations
    return p


def test_spa_matches_the_reference_computation_on_the_fixture(test_data):
    matrices = _fixture(test_data)
    human_p = _reference_p_values(matrices["human"].tolist())
    computed = pairwise_p_values(matrices["human"])
    for (i, j), p in human_p.items():
        assert computed[i, j] == p
    values = {}
    for metric in ("metric_close", "metric_loose"):
        metric_p = _reference_p_values(matrices[metric].tolist())
        expected = 1 - sum(abs(human_p[k] - metric_p[k]) for k in human_p) / len(human_p)
        values[metric] = soft_pairwise_accuracy(matrices["human"], matrices[metric]).value
        assert values[metric] == pytest.approx(expected, abs=1e-12)
    # the metric that follows the errors is the surer judge of the same pairs
    assert values["metric_close"] > values["metric_loose"]
