"""A whole benchmark on the tiny test set: scores, clusters, checks, stored results and table formats."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sacrebleu

from corpus import Corpus
from pipelines.bench import BenchConfig, format_table, load_wmt_testset, run_bench, store_results


@pytest.fixture(scope="module")
def tiny_result(request):
    from tests.conftest import TEST_DATA

    testset = load_wmt_testset(TEST_DATA / "bench" / "tiny_wmt", "en-de")
    return testset, run_bench(testset, BenchConfig(metrics=["bleu", "chrf", "ter"]))


def test_scores_are_sacrebleus(tiny_result):
    testset, result = tiny_result
    refs = [testset.references["A"]]
    for row in result["systems"]:
        hyps = testset.systems[row["system"]]
        assert row["scores"]["bleu"]["score"] == pytest.approx(sacrebleu.corpus_bleu(hyps, refs).score, abs=1e-9)
        assert row["scores"]["chrf"]["score"] == pytest.approx(sacrebleu.corpus_chrf(hyps, refs).score, abs=1e-9)
        assert row["scores"]["ter"]["score"] == pytest.approx(sacrebleu.corpus_ter(hyps, refs).score, abs=1e-9)


def test_ranking_and_clusters(tiny_result):
    _, result = tiny_result
    assert [row["system"] for row in result["systems"]] == ["careful", "literal", "broken"]
    for metric in ("bleu", "chrf", "ter"):
        significance = result["significance"][metric]
        assert significance["order"] == ["careful", "literal", "broken"]  # TER: lower first
        assert len(significance["pairs"]) == 3
        clusters = [significance["clusters"][s] for s in significance["order"]]
        assert clusters == sorted(clusters) and clusters[0] == 1
        # the untranslated, truncated system is significantly behind the careful one
        assert next(p for p in significance["pairs"] if p["worse"] == "broken" and p["better"] == "careful")["significant"]
        assert clusters[-1] > 1
    ci = result["systems"][0]["scores"]["chrf"]["ci"]
    assert ci["low"] < ci["mean"] < ci["high"]


def test_checks_flag_the_broken_system(tiny_result):
    _, result = tiny_result
    checks = result["checks"]
    assert checks["totals"]["careful"] == 0
    assert checks["totals"]["broken"] > checks["totals"]["literal"]
    found = checks["counts"]["broken"]
    assert found.get("repetition") and found.get("markup") and found.get("number-mismatch")
    repeated = next(f for f in checks["findings"]["broken"] if f["type"] == "repetition")
    assert repeated["segment"] == 4 and "warnten" in repeated["text"]


def test_worst_segments_carry_texts(tiny_result):
    _, result = tiny_result
    worst = result["worst_segments"]
    assert worst["metric"] == "chrf"
    broken = worst["systems"]["broken"]
    assert len(broken) == 5
    assert broken == sorted(broken, key=lambda r: r["score"])
    assert {"source", "reference", "hypothesis"} <= set(broken[0])


def test_results_are_stored_with_hash_and_signatures(tiny_result, tmp_path):
    testset, result = tiny_result
    with Corpus.init(tmp_path / "c") as corpus:
        ids = store_results(corpus, result)
        stored = corpus.results()
    assert len(ids) == 4
    bench = stored[stored.kind == "bench"]
    assert set(bench.data_hash) == {testset.data_hash}
    short = testset.data_hash.split(":")[1][:16]
    assert all(f"data:{short}" in s and "version:" in s and "calque:" in s for s in bench.signature)
    chrf = next(p for p in bench.payload if p["metric"] == "chrf")
    assert [s["system"] for s in chrf["systems"]] == ["careful", "literal", "broken"]
    assert chrf["signature"].startswith("nrefs:1|bs:1000|seed:12345")
    assert (stored.kind == "bench-checks").sum() == 1


def test_table_formats(tiny_result):
    _, result = tiny_result
    rows = list(csv.DictReader(io.StringIO(format_table(result, "csv"))))
    assert [r["system"] for r in rows] == ["careful", "literal", "broken"]
    assert float(rows[0]["bleu"]) == pytest.approx(result["systems"][0]["scores"]["bleu"]["score"], abs=1e-4)
    markdown = format_table(result, "markdown").splitlines()
    assert markdown[0].startswith("| system") and len(markdown) == 5
    latex = format_table(result, "latex")
    assert r"\begin{tabular}" in latex and r"bleu\_cluster" in latex and latex.count(r"\midrule") >= 2
    assert json.loads(format_table(result, "json"))["testset"]["name"] == "tinytest2024"
    text = format_table(result, "text")
    assert "careful" in text and "chrf: nrefs:1" in text
    header, rule, first, *_ = text.splitlines()
    assert header.split()[:3] == ["system", "BLEU", "chrF2"] and set(rule.replace(" ", "")) == {"-"}
    bleu = result["systems"][0]["scores"]["bleu"]
    assert first.split()[:4] == ["careful", f"{bleu['score']:.2f}", f"±{bleu['ci']['halfwidth']:.2f}", f"[{bleu['cluster']}]"]
    assert len(header) == len(rule) and "0.357143" not in text


def test_text_table_rounds_term_success(test_data):
    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    result = run_bench(testset, BenchConfig(metrics=["chrf"], checks=False, n_bootstrap=0,
                                            terms=str(test_data / "bench" / "tiny_glossary.tsv"),
                                            mqm=str(test_data / "bench" / "tiny_mqm.tsv")))
    rows = {line.split()[0]: line for line in format_table(result, "text").splitlines()[2:5]}
    literal = result["terminology"]["systems"]["literal"]["success_rate"]
    assert rows["literal"].split()[-1] == f"{100 * literal:.1f}%" == "40.0%"


def test_multi_reference_and_unknown_reference(test_data):
    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    with pytest.raises(Exception, match="unknown reference"):
        run_bench(testset, BenchConfig(metrics=["bleu"], references=["B"], checks=False))
    result = run_bench(testset, BenchConfig(metrics=["chrf"], checks=False, n_bootstrap=0))
    assert result["significance"]["chrf"]["test"] is None and "checks" not in result
    # without resamples there are no clusters, but systems are still ordered best first
    assert [row["system"] for row in result["systems"]] == ["careful", "literal", "broken"]


def test_terminology_and_mqm_sections(test_data):
    from pipelines.report import render_report

    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    result = run_bench(testset, BenchConfig(metrics=["chrf"], checks=False, n_bootstrap=0,
                                            terms=str(test_data / "bench" / "tiny_glossary.tsv"),
                                            mqm=str(test_data / "bench" / "tiny_mqm.tsv")))
    terms = result["terminology"]
    # careful uses every approved term; literal writes "Rat", "Komitee" (forbidden) and "Bewohner"; broken leaves them out
    assert terms["systems"]["careful"]["success_rate"] == 1.0
    assert terms["systems"]["literal"]["matched"] == 2 and terms["systems"]["literal"]["total"] == 5
    assert terms["terms"]["bridge"]["literal"] == {"found": 2, "total": 2, "success": 1.0, "consistent": True,
                                                   "renderings": {"Brücke": 2}}
    assert terms["signature"].startswith("terms:glossary|n:5")
    mqm = result["mqm"]
    assert [row["system"] for row in mqm["systems"]] == ["ref", "sysA", "sysB", "sysC"]
    assert mqm["breakdown"]["sysC"]["Accuracy"]["Major"] == {"count": 3, "penalty": 15.0}
    text = render_report(result)
    assert 'id="terminology"' in text and 'id="mqm"' in text
    assert "Brücke ×2" in text
    assert '<th class="num">Accuracy</th>' in text and "Accuracy/Omission" not in text  # by top-level category
    table = format_table(result, "text")
    assert "terminology: terms:glossary" in table and "mqm: metric:mqm" in table


def test_a_sharded_bench_gives_the_same_scores_checks_and_worst_segments(tiny_result, tmp_path):
    """--bootstrap sharded: totals reduced per shard, CIs from sharded draws (the signature says so); everything
    that is not random is the exact run's."""
    testset, exact = tiny_result
    sharded = run_bench(testset, BenchConfig(metrics=["bleu", "chrf", "ter"], bootstrap="sharded"))
    assert sharded["checks"] == exact["checks"] and sharded["worst_segments"] == exact["worst_segments"]
    for here, there in zip(exact["systems"], sharded["systems"]):
        assert here["system"] == there["system"]
        for metric in ("bleu", "chrf", "ter"):
            assert there["scores"][metric]["score"] == here["scores"][metric]["score"]
            assert there["scores"][metric]["ci"]["halfwidth"] > 0
    info = sharded["metric_info"]["bleu"]
    assert info["signature"] == exact["metric_info"]["bleu"]["signature"].replace("|version:", "|draws:sharded|version:")
    assert sharded["significance"]["bleu"]["draws"] == "sharded" and "draws" not in exact["significance"]["bleu"]
    assert sharded["config"]["bootstrap"] == "sharded"
    with pytest.raises(Exception, match="--test ar"):
        run_bench(testset, BenchConfig(bootstrap="sharded", test="ar", checks=False))
    with pytest.raises(Exception, match="give --shards DIR"):
        run_bench(testset, BenchConfig(bootstrap="sharded", segments=True, checks=False))
    from pipelines.execution import ShardStore

    kept = run_bench(testset, BenchConfig(bootstrap="sharded", segments=True, checks=False), shards=ShardStore(tmp_path))
    assert "segment_scores" not in kept and kept["segment_shards"] == str(tmp_path) and len(list(tmp_path.glob("*.parquet"))) == 3


def test_bench_command_takes_the_bootstrap_mode(test_data):
    from click.testing import CliRunner

    from pipelines.cli import main

    arguments = ["bench", "--testset", str(test_data / "bench" / "tiny_wmt"), "--langs", "en-de", "--no-store", "--no-checks",
                 "--n-samples", "100", "--json"]
    result = CliRunner().invoke(main, [*arguments, "--bootstrap", "sharded"])
    assert result.exit_code == 0, result.output
    assert "|draws:sharded|" in json.loads(result.stdout)["metric_info"]["chrf"]["signature"]
    refused = CliRunner().invoke(main, [*arguments, "--bootstrap", "sharded", "--test", "ar"])
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: approximate randomisation (--test ar)")
    from pipelines.fidelity.resampling import EXACT_LIMIT

    assert f"{EXACT_LIMIT:,} system-segments" in " ".join(CliRunner().invoke(main, ["bench", "--help"]).output.split())
