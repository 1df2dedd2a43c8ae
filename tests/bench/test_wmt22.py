"""WMT22 en-de general task: `calque bench` reproduces the official BLEU and chrF of all 6 systems
(expected_scores.en-de.tsv, full precision), ranks them, and writes a report that loads in Chromium."""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
from pipelines.cli import main
from tests.report.browser import assert_page_is_clean

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def wmt22(request):
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "wmt22_ende"
    if not folder.is_dir():
        pytest.skip("../shared/data is not present")
    expected: dict[tuple[str, str], float] = {}
    with open(folder / "expected_scores.en-de.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            expected[(row["system"], row["metric"])] = float(row["score"])
    return folder, expected


@pytest.mark.parametrize("references, suffix", [(["A"], "A"), (["B"], "B"), (["A", "B"], "all")])
def test_official_bleu_and_chrf(wmt22, references, suffix):
    folder, expected = wmt22
    testset = load_wmt_testset(folder, "en-de")
    result = run_bench(testset, BenchConfig(metrics=["bleu", "chrf"], references=references, checks=False, n_bootstrap=0))
    assert len(result["systems"]) == 6
    for row in result["systems"]:
        for metric in ("bleu", "chrf"):
            assert row["scores"][metric]["score"] == pytest.approx(expected[(row["system"], f"{metric}-{suffix}")], abs=1e-9)
    # systems are ranked by the first metric, as the official BLEU column ranks them
    official = sorted({s for s, _ in expected}, key=lambda s: -expected[(s, f"bleu-{suffix}")])
    assert [row["system"] for row in result["systems"]] == official


def test_bench_command_ranks_clusters_and_reports(wmt22, tmp_path, monkeypatch):
    folder, expected = wmt22
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["bench", "--testset", str(folder), "--langs", "en-de", "--report", str(report),
                                       "--json", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "local Dask cluster of 2 worker processes" in result.stderr
    data = json.loads(result.stdout)
    ranked = [row["system"] for row in data["systems"]]
    assert ranked == sorted(ranked, key=lambda s: -expected[(s, "bleu-A")])
    for row in data["systems"]:
        assert row["scores"]["bleu"]["score"] == pytest.approx(expected[(row["system"], "bleu-A")], abs=1e-9)
        assert row["scores"]["chrf"]["score"] == pytest.approx(expected[(row["system"], "chrf-A")], abs=1e-9)
    for metric in ("bleu", "chrf", "ter"):
        significance = data["significance"][metric]
        assert len(significance["pairs"]) == 15
        clusters = [significance["clusters"][s] for s in significance["order"]]
        assert clusters[0] == 1 and clusters == sorted(clusters)
        # a cluster never separates systems whose difference was not significant, and the top and bottom systems
        # (over 2.5 BLEU apart on 2037 segments) never share one
        assert clusters[-1] > 1
    assert data["checks"]["segments"]["Online-B"] == 2037
    assert data["testset"]["data_hash"].startswith("sha256:")
    assert report.is_file()
    assert_page_is_clean(report)
