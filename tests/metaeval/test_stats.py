"""Meta-evaluation statistics on examples small enough to count by hand, and against scipy."""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from pipelines.metaeval.stats import kendall_tau_b, pairwise_accuracy, pearson, tau_stats, tie_calibrated_accuracy

# Four items, higher is better on both sides. Pairs (i<j):
# (0,1) Δh=+2 Δm=+.8 concordant; (0,2) +1 +.4 conc.; (0,3) +1 +.3 conc.; (1,2) -1 -.4 conc.; (1,3) -1 -.5 conc.;
# (2,3) Δh=0 Δm=-.1: tied in the human scores only.
HUMAN = [3.0, 1.0, 2.0, 2.0]
METRIC = [0.9, 0.1, 0.5, 0.6]


def test_pair_counts_by_hand():
    stats = tau_stats(HUMAN, METRIC)
    assert (stats.con, stats.dis, stats.ties_human, stats.ties_metric, stats.ties_both) == (5, 0, 1, 0, 0)
    assert stats.acc23() == pytest.approx(5 / 6)
    assert stats.tau23() == pytest.approx(4 / 6)


def test_kendall_tau_b_by_hand_and_scipy():
    # tau_b = (C - D) / sqrt((n0 - n_h)(n0 - n_m)) = 5 / sqrt(5 * 6)
    assert kendall_tau_b(HUMAN, METRIC) == pytest.approx(5 / math.sqrt(30))
    assert kendall_tau_b(HUMAN, METRIC) == pytest.approx(scipy.stats.kendalltau(HUMAN, METRIC, variant="b")[0])


def test_pairwise_accuracy_counts_a_human_tie_against_a_metric_difference_as_disagreement():
    accuracy, agree, pairs = pairwise_accuracy(HUMAN, METRIC)
    assert (agree, pairs) == (5, 6)
    assert accuracy == pytest.approx(5 / 6)
    # a metric that ties exactly where the human ties agrees on every pair
    assert pairwise_accuracy(HUMAN, [0.9, 0.1, 0.5, 0.5])[0] == 1.0
    # a reversed metric disagrees on every strict pair
    assert pairwise_accuracy([1, 2, 3], [3, 2, 1])[1:] == (0, 3)


def test_pearson_matches_scipy_and_skips_missing_values():
    human = [1.0, 2.0, np.nan, 4.0, 5.0]
    metric = [2.0, 2.5, 100.0, 4.5, 7.0]
    expected = scipy.stats.pearsonr([1, 2, 4, 5], [2.0, 2.5, 4.5, 7.0])[0]
    assert pearson(human, metric) == pytest.approx(expected)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_tie_calibration_turns_the_small_metric_difference_into_a_tie():
    # epsilon 0: 5/6. Epsilon |0.5 - 0.6| ties pair (2,3) in the metric too: tied in both = agreement, 6/6.
    # Larger epsilons then tie concordant pairs and only lose.
    result = tie_calibrated_accuracy(HUMAN, METRIC, average_by="none")
    assert result.value == pytest.approx(1.0)
    assert result.epsilon == pytest.approx(0.1)
    assert (result.groups, result.pairs) == (1, 6)


def test_tie_calibration_averages_over_items():
    # rows = systems, columns = items; one pair per item.
    # item 0: human tie, metric tie -> agree (1); item 1: Δh=+2, Δm=-0.4 -> discordant (0);
    # item 2: Δh=-1, Δm=-0.3 -> concordant (1). epsilon 0 gives 2/3; epsilon 0.3 or 0.4 only loses.
    human = [[0.0, -1.0, -2.0], [0.0, -3.0, -1.0]]
    metric = [[0.5, 0.2, 0.1], [0.5, 0.6, 0.4]]
    result = tie_calibrated_accuracy(human, metric, average_by="item")
    assert result.value == pytest.approx(2 / 3)
    assert result.epsilon == 0.0
    assert result.groups == 3


def test_tie_calibration_item_groups_weigh_equally_and_skip_unrated():
    # item 0 has three systems (three pairs, all concordant: 1.0); item 1 has one rated pair that is discordant (0.0)
    # after the missing human score is dropped. The mean over items is 0.5, not 3/4.
    human = np.array([[3.0, 1.0], [2.0, np.nan], [1.0, 2.0]])
    metric = np.array([[0.9, 0.8], [0.5, 0.1], [0.1, 0.2]])
    result = tie_calibrated_accuracy(human, metric, average_by="item")
    assert result.groups == 2
    assert result.value == pytest.approx(0.5)


def test_tau23_variant_and_unknown_variant():
    assert tie_calibrated_accuracy(HUMAN, METRIC, variant="23", average_by="none").value == pytest.approx(1.0)
    with pytest.raises(Exception, match="variant"):
        tie_calibrated_accuracy(HUMAN, METRIC, variant="b")
