"""Meta-evaluation inputs (Google MQM TSV, corpus annotations, score files) and the command."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from corpus import Corpus
from corpus.errors import InputError
from corpus.formats.annotations import import_annotations
from pipelines.bench import load_wmt_testset
from pipelines.cli import main
from pipelines.metaeval import MetricScores, evaluate_metric, from_corpus, from_google_mqm, from_score_file, meta_evaluate

# tiny_mqm.tsv, Google 2021 weights (Major 5, Minor 1, Minor Fluency/Punctuation 0.1, Non-translation 25):
#   sysA: 0 | 0 | Minor 1                   -> 0, 0, 1
#   sysB: Minor + Major | Minor | Minor punct. -> 6, 1, 0.1
#   sysC: Non-translation | Major + Major | Major -> 25, 10, 5
EXPECTED_MQM = {"sysA": [0, 0, 1], "sysB": [6, 1, 0.1], "sysC": [25, 10, 5]}


@pytest.fixture
def tiny_mqm(test_data):
    return test_data / "bench" / "tiny_mqm.tsv"


def test_google_mqm_tsv_gives_mqm_segment_scores_and_texts(tiny_mqm):
    dataset = from_google_mqm(tiny_mqm, reference="ref", src_lang="en", tgt_lang="de")
    assert dataset.systems == ["sysA", "sysB", "sysC"]
    assert dataset.items == ["1", "2", "3"]
    np.testing.assert_allclose(dataset.human, [EXPECTED_MQM[s] for s in dataset.systems])
    assert dataset.references[2] == "Die Anwohner waren zufrieden."
    assert dataset.hypotheses["sysC"][0] == "The bridge opens in 2027."
    assert dataset.human_system_scores()["sysB"] == pytest.approx(7.1 / 3)
    assert "weights:google-2021" in dataset.human_signature


def test_corpus_annotations_give_the_same_dataset(tmp_path, tiny_mqm):
    with Corpus.init(tmp_path / "c") as corpus:
        import_annotations(corpus, "google-mqm", tiny_mqm, src_lang="en", tgt_lang="de")
        dataset = from_corpus(corpus, reference="ref")
    np.testing.assert_allclose(dataset.human, [EXPECTED_MQM[s] for s in dataset.systems])
    with Corpus.init(tmp_path / "d") as corpus:
        import_annotations(corpus, "google-mqm", tiny_mqm, src_lang="en", tgt_lang="de")
        with pytest.raises(InputError, match="no system named 'human-X'"):
            from_corpus(corpus, reference="human-X")


def test_metric_rows_by_hand(tiny_mqm):
    dataset = from_google_mqm(tiny_mqm, reference="ref", src_lang="en", tgt_lang="de")
    # A metric that is exactly minus MQM agrees on everything that is not a human tie.
    perfect = MetricScores("oracle", {s: -float(np.mean(EXPECTED_MQM[s])) for s in dataset.systems},
                           -dataset.human, True, "oracle")
    row = evaluate_metric(dataset, perfect)
    assert row.sys_accuracy == 1.0 and row.sys_pairs == 3
    assert row.sys_spa == 1.0 and row.sys_spa_items == 3  # its pairwise p-values are the human's
    assert row.sys_pearson == pytest.approx(1.0)
    assert row.seg_kendall_tau_b == pytest.approx(1.0)
    # items: 1 -> (0, 6, 25), 2 -> (0, 1, 10), 3 -> (1, 0.1, 5): every pair is strict and ordered alike
    assert row.seg_acc_eq == pytest.approx(1.0)
    # a lower-is-better metric is negated before correlating
    reversed_row = evaluate_metric(dataset, MetricScores("mqm-like", {s: float(np.mean(EXPECTED_MQM[s])) for s in dataset.systems},
                                                         dataset.human.copy(), False, "x"))
    assert reversed_row.sys_accuracy == 1.0


def test_sacrebleu_metrics_rank_the_tiny_systems_like_mqm(tiny_mqm):
    report = meta_evaluate(from_google_mqm(tiny_mqm, reference="ref", src_lang="en", tgt_lang="de"), ["bleu", "chrf", "ter"])
    table = report.table().set_index("metric")
    # sysA copies the reference almost exactly, sysC is untranslated/truncated: every metric orders them like MQM
    assert (table.sys_accuracy == 1.0).all()
    assert report.human_system_scores["sysC"] == pytest.approx(40 / 3)
    data = report.to_dict()
    assert data["calque_signature"].startswith("meta-eval|human:mqm|ref:ref")
    assert data["data_hash"].startswith("sha256:")


def test_score_file_with_a_wmt_testset(test_data):
    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    dataset = from_score_file(test_data / "bench" / "tiny_scores.tsv", testset, reference="A")
    assert dataset.systems == ["broken", "careful", "literal"]
    assert dataset.human[0, 0] == 25 and dataset.human[1, 1] == 1
    report = meta_evaluate(dataset, ["chrf"])
    assert report.rows[0].sys_accuracy == 1.0


def test_score_file_errors(tmp_path, test_data):
    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    bad = tmp_path / "bad.tsv"
    bad.write_text("system\tseg_id\tscore\ncareful\t1\t0\ncareful\tx\t1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:3: seg_id must be an integer"):
        from_score_file(bad, testset)
    outside = tmp_path / "outside.tsv"
    outside.write_text("system\tseg_id\tscore\ncareful\t1\t0\nliteral\t99\t1\n", encoding="utf-8")
    with pytest.raises(InputError, match="seg_id 99 is outside"):
        from_score_file(outside, testset)


def test_meta_eval_command(tiny_mqm, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["--corpus", str(tmp_path / "none"), "meta-eval", "--mqm", str(tiny_mqm), "--langs", "en-de",
                                  "--reference", "ref", "-m", "bleu,chrf", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["metric"] for row in data["rows"]] == ["bleu", "chrf"]
    assert data["systems"] == ["sysA", "sysB", "sysC"]
    markdown = runner.invoke(main, ["meta-eval", "--mqm", str(tiny_mqm), "--langs", "en-de", "-m", "chrf", "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.splitlines()[0].startswith("| metric")
    unknown = runner.invoke(main, ["meta-eval", "--mqm", str(tiny_mqm), "-m", "bleurt"])
    assert unknown.exit_code == 1 and "Error: unknown metric 'bleurt'" in unknown.output


def test_meta_eval_command_significance_json(tiny_mqm):
    runner = CliRunner()
    args = ["meta-eval", "--mqm", str(tiny_mqm), "--langs", "en-de", "--reference", "ref", "-m", "bleu,chrf,ter", "--json"]
    result = runner.invoke(main, args + ["--sig-samples", "200", "--seed", "7"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert all(0.0 <= row["sys_spa"] <= 1.0 and row["sys_spa_items"] == 3 for row in data["rows"])
    assert "|sig:perm(k:200,seed:7,alpha:0.05)|" in data["signature"]
    assert set(data["significance"]) == {"sys_accuracy", "sys_spa", "seg_acc_eq"}
    for statistic, comparison in data["significance"].items():
        assert (comparison["samples"], comparison["seed"], comparison["alpha"]) == (200, 7, 0.05)
        assert sorted(comparison["metrics"]) == ["bleu", "chrf", "ter"]
        assert comparison["values"] == sorted(comparison["values"], reverse=True)
        for a in ("bleu", "chrf", "ter"):
            others = {b for b in ("bleu", "chrf", "ter") if b != a}
            assert set(comparison["p_values"][a]) == others
            assert all(0.0 <= comparison["p_values"][a][b] <= 1.0 for b in others)
        for row in data["rows"]:
            assert row[f"{statistic}_rank"] == comparison["ranks"][comparison["metrics"].index(row["metric"])]
    again = json.loads(runner.invoke(main, args + ["--sig-samples", "200", "--seed", "7"]).output)
    assert again["significance"] == data["significance"]
    untested = json.loads(runner.invoke(main, args + ["--sig-samples", "0"]).output)
    assert untested["significance"] == {} and untested["rows"][0]["sys_spa_rank"] is None
    assert "|sig:none|" in untested["signature"]
    text = runner.invoke(main, args[:-1] + ["--sig-samples", "100"])
    assert text.exit_code == 0, text.output
    assert "sys_spa_rank" in text.output and "sys_spa: one-sided p-value that the row metric beats the column metric" in text.output
    bad = runner.invoke(main, args + ["--sig-samples", "-1"])
    assert bad.exit_code == 2 and "--sig-samples" in bad.output


def test_meta_eval_on_the_corpus_stores_the_result(tmp_path, tiny_mqm):
    with Corpus.init(tmp_path / "c") as corpus:
        import_annotations(corpus, "google-mqm", tiny_mqm, src_lang="en", tgt_lang="de")
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "c"), "meta-eval", "--reference", "ref", "-m", "ter"])
    assert result.exit_code == 0, result.output
    assert "ter" in result.output and "meta-eval|human:mqm" in result.output
    with Corpus.open(tmp_path / "c") as corpus:
        stored = corpus.results("meta-eval")
    assert len(stored) == 1 and stored.signature[0].startswith("meta-eval|")
    payload = stored.payload[0]
    assert payload["rows"][0]["sys_spa"] is not None and set(payload["significance"]) == {"sys_accuracy", "sys_spa", "seg_acc_eq"}


def test_reference_free_embedding_similarity(tiny_mqm):
    from pipelines.metaeval.metrics import metric_scores

    dataset = from_google_mqm(tiny_mqm, reference="ref", src_lang="en", tgt_lang="de")
    scores = metric_scores(dataset, "embed-sim")
    assert scores.reference_free and scores.higher_is_better
    assert scores.segment.shape == (3, 3)
    # sysC copied the English source into segment 1: identical text has cosine 1 — the blind spot of a
    # reference-free similarity that the meta-evaluation exposes
    assert scores.segment[2, 0] == pytest.approx(1.0, abs=1e-5)
    assert 0.3 < scores.segment[0, 0] < 1.0
    assert scores.signature.startswith("embed-sim|encoder:use-multilingual-v3")
    assert "|nrefs:0|langs:en-de|sys:mean" in scores.signature
    row = evaluate_metric(dataset, scores)
    assert row.reference_free and row.sys_pairs == 3
