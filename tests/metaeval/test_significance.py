"""Permutation tests between metrics (mt-metrics-eval's PermutationSigDiff / PairwisePermutationSigDiff) and
significance clusters (AssignRanks)."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.metaeval.significance import Candidate, acc_eq_draws, assign_ranks, compare, compare_metrics

STATISTICS = ("sys_accuracy", "sys_spa", "seg_acc_eq")


def _data(seed=3, systems=12, items=60):
    """Human scores with ties (rounded), a metric that is the human score plus tiny noise, a random metric."""
    rng = np.random.default_rng(seed)
    human = np.round(np.linspace(0, 4, systems)[:, None] + rng.normal(0, 2, (systems, items)))
    near = human + rng.normal(0, 0.01, human.shape)
    noisy = human + rng.normal(0, 3, human.shape)
    random = rng.normal(0, 1, human.shape)
    return human, near, noisy, random


def _candidate(name, segment):
    return Candidate(name, segment.mean(axis=1), segment)


def test_identical_metrics_are_never_significantly_different():
    human, near, _, _ = _data()
    results = compare_metrics(human, [_candidate("a", near), _candidate("b", near.copy())], samples=200)
    for statistic in STATISTICS:
        comparison = results[statistic]
        assert comparison.p_values["a"]["b"] == comparison.p_values["b"]["a"] == 1.0
        assert comparison.ranks == [1, 1]
        assert not comparison.significant("a", "b")


def test_human_plus_noise_beats_a_random_metric():
    human, near, _, random = _data()
    results = compare_metrics(human, [_candidate("random", random), _candidate("near", near)], samples=1000)
    for statistic in STATISTICS:
        comparison = results[statistic]
        assert comparison.metrics == ["near", "random"]
        assert comparison.p_values["near"]["random"] < 0.05, statistic
        assert comparison.p_values["random"]["near"] > 0.95, statistic
        assert comparison.significant("near", "random")
        assert comparison.ranks == [1, 2]
        assert comparison.deltas["near"]["random"] == -comparison.deltas["random"]["near"] > 0


def test_seeded_draws_are_deterministic():
    human, near, noisy, _ = _data()
    candidates = [_candidate("near", near), _candidate("noisy", noisy)]
    first = compare("sys_spa", human, candidates, samples=300, seed=11)
    again = compare("sys_spa", human, candidates, samples=300, seed=11)
    assert first.p_values == again.p_values
    # two equally noisy metrics: a p-value in between, from other draws with another seed
    other = human + np.random.default_rng(8).normal(0, 3, human.shape)
    close = [_candidate("noisy", noisy), _candidate("other", other)]
    p = {seed: compare("sys_spa", human, close, samples=300, seed=seed).p_values["noisy"]["other"] for seed in (1, 2)}
    assert 0.1 < p[1] < 0.9 and p[1] != p[2]


def test_the_result_of_a_pair_does_not_depend_on_the_other_metrics():
    human, near, noisy, random = _data()
    two = compare("sys_accuracy", human, [_candidate("near", near), _candidate("noisy", noisy)], samples=300)
    three = compare("sys_accuracy", human, [_candidate("random", random), _candidate("noisy", noisy),
                                            _candidate("near", near)], samples=300)
    assert two.p_values["near"]["noisy"] == three.p_values["near"]["noisy"]


def test_acc_eq_draws_swap_the_verdicts_pair_by_pair():
    # two systems, three items: one pair per item, each item weighs 1/3. Metric a orders all three pairs like
    # the human; metric b gets items 1 and 2 wrong. Observed difference 2/3; a draw flips each of the two
    # differing pairs with probability 1/2: 2/3, 0, 0, −2/3 — so p(a beats b) = 1/4.
    human = np.array([[2.0, 2.0, 2.0], [1.0, 1.0, 1.0]])
    a = np.array([[0.9, 0.9, 0.9], [0.1, 0.1, 0.1]])
    b = np.array([[0.9, 0.1, 0.1], [0.1, 0.9, 0.9]])
    observed, null = acc_eq_draws(human, a, b, 0.0, 0.0, 8000, np.random.default_rng(0))
    assert observed == pytest.approx(2 / 3)
    assert set(np.round(null, 9)) == {round(2 / 3, 9), 0.0, round(-2 / 3, 9)}
    assert np.mean(null >= observed - 1e-9) == pytest.approx(1 / 4, abs=0.02)
    # with its own tie threshold, a metric's small differences are ties: b with epsilon 1 ties every pair,
    # which the human does not, so it agrees on none
    observed, _ = acc_eq_draws(human, a, b, 0.0, 1.0, 10, np.random.default_rng(0))
    assert observed == pytest.approx(1.0)


def test_ranks_as_mt_metrics_eval_assigns_them():
    order = ["a", "b", "c"]
    p = {"a": {"b": 0.2, "c": 0.01}, "b": {"c": 0.3}, "c": {}}
    assert assign_ranks(order, p, 0.05) == [1, 1, 2]  # a beats c: c starts rank 2
    p = {"a": {"b": 0.01, "c": 0.01}, "b": {"c": 0.3}, "c": {}}
    # b starts rank 2; c is compared only with the metrics since b (the current rank's first): still rank 2
    assert assign_ranks(order, p, 0.05) == [1, 2, 2]
    p = {"a": {"b": 0.05, "c": 0.5}, "b": {"c": 0.5}, "c": {}}
    assert assign_ranks(order, p, 0.05) == [1, 2, 2]  # p <= alpha counts, as in AssignRanks


def test_no_draws_no_ranks_and_unknown_statistic():
    human, near, noisy, _ = _data()
    comparison = compare("sys_accuracy", human, [_candidate("near", near), _candidate("noisy", noisy)], samples=0)
    assert comparison.ranks == [None, None] and comparison.p_values["near"]["noisy"] is None
    with pytest.raises(ValueError, match="unknown statistic"):
        compare("seg_pearson", human, [_candidate("near", near)])
