"""Sharded bootstrap draws: resampled sums with the distribution of sacrebleu's (mean n·μ and covariance n·Σ of
the statistics, as a multinomial resample of n segments has), the same draws for every system, seeded."""
from __future__ import annotations

import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.fidelity.resampling import EXACT_LIMIT, ci_tolerance, resampling_mode, shard_draws

SIZES = [25, 25, 7, 3]  # unequal shards, as a test set's last shard is


def stats_table() -> np.ndarray:
    """60 segments × 3 statistics: counts of different spread and two correlated columns."""
    rng = np.random.default_rng(3)
    first = rng.integers(0, 30, size=60)
    return np.stack([first, first // 2 + rng.integers(0, 3, size=60), rng.integers(0, 2, size=60)], axis=1)


def sharded_sums(stats: np.ndarray, n_samples: int, seed: str) -> np.ndarray:
    bounds = np.cumsum([0, *SIZES])
    draws = shard_draws(n_samples, SIZES, seed)
    return sum(d.resampled_sums(stats[a:b]) for d, a, b in zip(draws, bounds, bounds[1:]))


def covariance_matches(sums: np.ndarray, covariance: np.ndarray, n_samples: int) -> bool:
    """Every entry of the sample covariance within 4 standard errors, sqrt((Σii·Σjj + Σij²) / R), of `covariance`."""
    error = np.sqrt((np.outer(np.diag(covariance), np.diag(covariance)) + covariance**2) / n_samples)
    return bool(np.all(np.abs(np.cov(sums.T) - covariance) < 4 * error))


def test_resampled_sums_have_the_distribution_of_sacrebleus_draws():
    stats, n_samples = stats_table(), 40_000
    sums = sharded_sums(stats, n_samples, "12345")
    n = len(stats)
    # sacrebleu's draws: n indices uniformly with replacement, so Σ stats has mean n·μ and covariance n·Σ (population)
    mean, covariance = n * stats.mean(axis=0), n * np.cov(stats.T, bias=True)
    standard_error = np.sqrt(np.diag(covariance) / n_samples)
    assert np.all(np.abs(sums.mean(axis=0) - mean) < 4 * standard_error)
    assert covariance_matches(sums, covariance, n_samples)
    # sacrebleu's own draws pass the same test, and draws of half as many segments do not: it tells them apart
    rng = np.random.default_rng(12345)
    assert covariance_matches(np.stack([stats[row].sum(axis=0) for row in rng.choice(n, size=(n_samples, n))]),
                              covariance, n_samples)
    halves = np.stack([stats[row].sum(axis=0) for row in rng.choice(n, size=(n_samples, n // 2))]) * 2
    assert not covariance_matches(halves, covariance, n_samples)


def test_every_resample_draws_n_segments_split_across_shards():
    draws = shard_draws(500, SIZES, "7")
    assert (sum(d.counts for d in draws) == sum(SIZES)).all()
    ones = np.ones((sum(SIZES), 1))
    bounds = np.cumsum([0, *SIZES])
    for d, a, b in zip(draws, bounds, bounds[1:]):  # inside a shard the counts add up to its share of the draws
        assert (d.resampled_sums(ones[a:b])[:, 0] == d.counts).all()


def test_draws_are_seeded_and_shared():
    stats = stats_table()
    assert (sharded_sums(stats, 50, "12345") == sharded_sums(stats, 50, "12345")).all()
    assert not (sharded_sums(stats, 50, "12345") == sharded_sums(stats, 50, "12346")).all()
    fresh = shard_draws(50, SIZES, "none")
    assert fresh[0].entropy == fresh[1].entropy  # one stream per run, shared by every system and shard


def test_exact_up_to_the_limit_then_sharded():
    assert resampling_mode("auto", 10, EXACT_LIMIT // 10) == "exact"
    assert resampling_mode("auto", 10, EXACT_LIMIT // 10 + 1) == "sharded"
    assert resampling_mode("sharded", 1, 5) == "sharded" and resampling_mode("exact", 100, 10**6) == "exact"
    with pytest.raises(InputError, match="unknown bootstrap mode 'fast'"):
        resampling_mode("fast", 1, 1)


def test_the_tolerance_is_a_few_monte_carlo_standard_errors():
    mean_tolerance, halfwidth_tolerance = ci_tolerance(1.0, 1000)
    assert mean_tolerance == pytest.approx(0.091, abs=0.001) and halfwidth_tolerance == pytest.approx(0.171, abs=0.001)
    # two independent bootstraps of the same normal scores stay within it
    rng = np.random.default_rng(1)
    from sacrebleu.significance import estimate_ci

    first, second = estimate_ci(rng.normal(size=1000)), estimate_ci(rng.normal(size=1000))
    mean_tolerance, halfwidth_tolerance = ci_tolerance(first[1], 1000)
    assert abs(first[0] - second[0]) < mean_tolerance and abs(first[1] - second[1]) < halfwidth_tolerance
