"""SPA and the significance matrix on Google's MQM of the WMT21 TED talks (en-de), the real data; skips
without ../shared/data."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.metaeval import MetricScores, compare_metrics, evaluate_metric, from_google_mqm
from pipelines.metaeval.metrics import metric_scores

METRICS = ["bleu", "chrf", "ter"]


@pytest.fixture
def ted(shared_data):
    dataset = from_google_mqm(shared_data / "mqm" / "ted_ende" / "mqm_ted_ende.tsv", reference="ref", src_lang="en", tgt_lang="de")
    scores = [metric_scores(dataset, name) for name in METRICS]
    human_system = np.array([np.nanmean(row) for row in dataset.human_oriented])
    # the human MQM itself as a metric: the upper bound every statistic should single out
    scores.append(MetricScores("oracle", dict(zip(dataset.systems, human_system)), dataset.human_oriented.copy(), True, "oracle"))
    return dataset, scores


def test_bleu_chrf_ter_and_the_human_oracle_on_ted(ted):
    dataset, scores = ted
    assert len(dataset.systems) == 13 and len(dataset.items) == 529
    rows = [evaluate_metric(dataset, s) for s in scores]
    comparisons = compare_metrics(dataset, rows, scores, samples=1000, seed=4)
    by_name = {row.metric: row for row in rows}
    assert by_name["oracle"].sys_spa == 1.0 and by_name["oracle"].sys_spa_items == 529  # every item rated
    for name in METRICS:
        assert 0.3 < by_name[name].sys_spa < 1.0
    for statistic, comparison in comparisons.items():
        assert comparison.metrics[0] == "oracle" and comparison.ranks[0] == 1
        for name in METRICS:
            # people's own scores beat every string metric significantly on each statistic
            assert comparison.significant("oracle", name), (statistic, name, comparison.p_values["oracle"][name])
            assert getattr(by_name[name], f"{statistic}_rank") >= 2
            others = [m for m in comparison.metrics if m != name]
            assert sorted(comparison.p_values[name]) == sorted(others)
