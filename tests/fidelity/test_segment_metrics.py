"""Segment-level metrics (a scorer per segment, the system score their mean) as first-class metrics: file
and corpus eval, bench with CIs and paired tests, meta-eval, resumable shards, and their one-line errors.
The scorer is tests/fidelity/toy_scorer.py, whose figures can be recomputed by hand."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from corpus import Corpus
from corpus.errors import InputError
from pipelines.cli import main
from pipelines.execution import InProcessExecutor, ShardStore
from pipelines.fidelity import ScoringContext, get_metric, registry, score_corpus, score_many
from pipelines.fidelity.significance import paired_test
from tests.fidelity.toy_scorer import bigram_f1, length_closeness, toy_metric

@pytest.fixture
def toy(monkeypatch):
    """`toy:ref` and `toy:qe` nameable in --metrics, for this test only."""
    monkeypatch.setitem(registry._FAMILIES, "toy", (toy_metric, "VARIANT"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_system_score_is_the_mean_of_segment_scores(tiny, toy):
    _, t = tiny
    results = score_corpus(t["careful"], [t["ref"]], ["toy:ref", "toy:qe"], sources=t["src"], segments=True,
                           n_bootstrap=200, context=ScoringContext("en", "de"))
    by_hand = [bigram_f1(h, r) for h, r in zip(t["careful"], t["ref"])]
    ref = results["toy:ref"]
    assert ref.segments == pytest.approx(by_hand) and ref.score == pytest.approx(np.mean(by_hand))
    assert ref.name == "Toy-ref" and ref.n_refs == 1 and ref.higher_is_better
    assert ref.signature == f"{get_metric('toy:ref').info.signature}|nrefs:1|langs:en-de|bs:200|seed:12345|sys:mean"
    assert ref.segment_signature.endswith("|nrefs:1|langs:en-de|seg:model")
    # the bootstrap resamples segments with sacrebleu's draws: the CI brackets the mean
    assert ref.ci.low < ref.score < ref.ci.high
    qe = results["toy:qe"]
    assert qe.segments == pytest.approx([length_closeness(s, h) for s, h in zip(t["src"], t["careful"])])
    assert qe.n_refs == 0 and "|nrefs:0|" in qe.signature
    # the data hash covers what the score depends on: the source and the translation, not the reference
    assert qe.data_hash == score_corpus(t["careful"], [], ["toy:qe"], sources=t["src"])["toy:qe"].data_hash
    assert qe.data_hash != ref.data_hash


def test_eval_file_mode_with_and_without_a_reference(tiny, toy):
    paths, t = tiny
    free = run("eval", "-s", paths["src"], "-t", paths["careful"], paths["broken"], "--metrics", "toy:qe", "--segments",
               "--langs", "en-de", "--json")
    assert free.exit_code == 0, free.output
    rows = {r["system"]: r for r in json.loads(free.stdout)["results"]}
    assert rows["careful"]["score"] == pytest.approx(np.mean([length_closeness(s, h) for s, h in zip(t["src"], t["careful"])]))
    both = run("eval", "-s", paths["src"], "-r", paths["ref"], "-t", paths["careful"], paths["broken"], "--metrics",
               "chrf,toy:ref,toy:qe", "--paired-bs", "--n-samples", "200", "--json")
    assert both.exit_code == 0, both.output
    data = json.loads(both.stdout)
    scores = {(r["system"], r["metric"]): r["score"] for r in data["results"]}
    assert scores[("careful", "toy:qe")] == rows["careful"]["score"]  # a reference changes nothing for a QE metric
    (ref_test,) = [p for p in data["paired_tests"] if p["metric"] == "toy:ref"]
    assert ref_test["system"] == "broken" and ref_test["significant"]
    assert "|nrefs:1|bs:200|seed:12345|sys:mean|test:bs|correction:holm" in ref_test["signature"]


@pytest.mark.parametrize("args,message", [
    (["-t", "careful", "--metrics", "toy:qe"], "metric toy:qe needs the source segments: give them with -s SRC"),
    (["-s", "src", "-t", "careful", "--metrics", "toy:ref"], "metric toy:ref needs a reference: give it with -r REF"),
    (["-s", "src", "-t", "careful", "--metrics", "toy:"], "metric toy: needs its VARIANT after the colon"),
    (["-s", "src", "-r", "ref", "-t", "careful", "--metrics", "comet:/nowhere/model.ckpt"], "comet"),
])
def test_errors_are_one_line(tiny, toy, args, message):
    paths, _ = tiny
    result = run("eval", *[paths.get(a, a) for a in args])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr


def test_library_checks_say_what_is_missing(tiny, toy):
    _, t = tiny
    with pytest.raises(InputError, match="metric toy:qe needs the source segments, and none were given"):
        score_corpus(t["careful"], [t["ref"]], ["toy:qe"])
    with pytest.raises(InputError, match="metric toy:ref needs a reference translation, and none was given"):
        score_corpus(t["careful"], [], ["toy:ref"], sources=t["src"])
    with pytest.raises(InputError, match="the source has 3 segments but the hypotheses have 8"):
        score_corpus(t["careful"], [t["ref"]], ["toy:qe"], sources=t["src"][:3])


def test_paired_tests_and_bootstrap_agree(tiny, toy):
    from pipelines.bench.clusters import bootstrap_p_value
    from pipelines.bench.scores import Draws, score_system

    _, t = tiny
    systems = {name: t[name] for name in ("careful", "literal", "broken")}
    systems["copy"] = list(t["careful"])
    results = paired_test(systems, [t["ref"]], ["toy:ref"], "careful", sources=t["src"], test="bs", correction="none")
    by_system = {r.system: r for r in results}
    assert by_system["copy"].p_value == 1.0 and not by_system["copy"].significant
    assert by_system["broken"].p_value < 0.05
    draws = Draws.sacrebleu(len(t["ref"]), 1000)
    metric = get_metric("toy:ref")
    scored = {n: score_system(metric, systems[n], [t["ref"]], "h", draws, sources=t["src"]) for n in ("careful", "broken")}
    ours = bootstrap_p_value(scored["careful"].result.score - scored["broken"].result.score, scored["careful"].resampled,
                             scored["broken"].resampled)
    assert ours == pytest.approx(by_system["broken"].p_value)
    assert scored["broken"].result.ci.halfwidth == pytest.approx(by_system["broken"].ci_halfwidth, rel=1e-5)
    ar = paired_test(systems, [t["ref"]], ["toy:ref"], "careful", sources=t["src"], test="ar", n_samples=500)
    assert {r.system for r in ar} == {"literal", "broken", "copy"} and all(0 < r.p_value <= 1 for r in ar)


def test_bench_with_cis_clusters_and_both_paired_tests(test_data, toy):
    from pipelines.bench import BenchConfig, load_wmt_testset, run_bench

    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    for test in ("bs", "ar"):
        result = run_bench(testset, BenchConfig(metrics=["chrf", "toy:ref", "toy:qe"], checks=False, n_bootstrap=200, test=test))
        for metric in ("toy:ref", "toy:qe"):
            significance = result["significance"][metric]
            assert significance["test"] == test and len(significance["pairs"]) == 3
            for row in result["systems"]:
                cell = row["scores"][metric]
                assert cell["ci"]["low"] <= cell["score"] <= cell["ci"]["high"] and cell["cluster"] >= 1
        ref_scores = {row["system"]: row["scores"]["toy:ref"]["score"] for row in result["systems"]}
        assert ref_scores["careful"] == pytest.approx(np.mean([bigram_f1(h, r) for h, r in
                                                               zip(testset.systems["careful"], testset.references["A"])]))
        assert result["significance"]["toy:ref"]["order"][0] == "careful"
        assert result["metric_info"]["toy:qe"]["signature"].startswith("toy|variant:qe|")


def test_bench_command_names_a_segment_level_metric(test_data, toy, tmp_path):
    result = run("bench", "--testset", test_data / "bench" / "tiny_wmt", "--langs", "en-de", "-m", "toy:qe,bleu",
                 "--no-checks", "--n-samples", "100", "--no-store", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["metrics"] == ["toy:qe", "bleu"] and "tok:13a" in data["metric_info"]["bleu"]["signature"]


def test_meta_eval_judges_a_reference_free_segment_metric(test_data, toy):
    from pipelines.bench import load_wmt_testset
    from pipelines.metaeval import from_score_file, meta_evaluate

    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    dataset = from_score_file(test_data / "bench" / "tiny_scores.tsv", testset, "A")
    report = meta_evaluate(dataset, ["toy:qe", "toy:ref"])
    qe, ref = report.rows
    assert qe.reference_free and not ref.reference_free
    for system in dataset.systems:
        assert qe.system_scores[system] == pytest.approx(np.mean([length_closeness(s, h) for s, h in
                                                                  zip(dataset.sources, dataset.hypotheses[system])]))
    assert 0 <= ref.sys_accuracy <= 1 and ref.sys_pairs == 3


def test_resumed_shards_carry_the_scorer_and_the_sources(tiny, toy, tmp_path):
    _, t = tiny
    store = ShardStore(tmp_path / "shards")
    first = score_corpus(t["careful"], [t["ref"]], ["toy:qe"], sources=t["src"], shards=store, segments=True)["toy:qe"]
    (key,) = store.keys()
    again = score_corpus(t["careful"], [t["ref"]], ["toy:qe"], sources=t["src"], shards=store, resume=True,
                         segments=True, executor=NoWork())["toy:qe"]
    assert again.segments == first.segments and store.keys() == [key]
    # another source is other data: its shard has another key, so it is computed, never read stale
    other = [s + " And more." for s in t["src"]]
    fresh = score_corpus(t["careful"], [t["ref"]], ["toy:qe"], sources=other, shards=store, resume=True)["toy:qe"]
    assert len(store.keys()) == 2 and fresh.score != first.score


class NoWork(InProcessExecutor):
    def map(self, function, shards, label=None):
        assert not shards, "every shard should have been read back"
        return []


def bilingual_corpus(tmp_path, tiny, with_source: bool) -> Corpus:
    _, t = tiny
    text = lambda key: "\n".join(t[key]) + "\n"  # noqa: E731
    record = {"type": "document", "id": "harbour", "lang": "en", "title": "Harbour bridge",
              "source": text("src") if with_source else None,
              "translations": [{"id": "harbour.de.human", "lang": "de", "producer": "human", "text": text("ref")},
                               {"id": "harbour.de.careful", "lang": "de", "producer": "mt", "system": "careful",
                                "text": text("careful")}]}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(tmp_path / "c.jsonl"), progress=False)
    return corpus


def test_corpus_eval_and_report_with_a_segment_level_metric(tmp_path, tiny, toy):
    from pipelines.fidelity.corpus_eval import collect_system_units, evaluate_corpus
    from pipelines.report import corpus_report

    with bilingual_corpus(tmp_path, tiny, with_source=True) as corpus:
        (units,) = collect_system_units(corpus).values()
        rows = evaluate_corpus(corpus, ["toy:qe", "chrf"])
        by_metric = {row["metric"]: row for row in rows}
        assert by_metric["toy:qe"]["score"] == pytest.approx(np.mean([length_closeness(s, h) for s, h in
                                                                      zip(units.sources, units.hyps)]))
        assert by_metric["toy:qe"]["result_id"] and "|langs:en-de|sys:mean" in by_metric["toy:qe"]["signature"]
        path, result = corpus_report(corpus, tmp_path / "r.html", config=_config(["toy:qe", "chrf"]))
        assert "Toy-qe" in path.read_text("utf-8") and "toy:qe" in result["metric_info"]
    cli = run("--corpus", tmp_path / "c", "report", "--metrics", "chrf,toy:qe", "--n-samples", "50", "--no-store", "--json")
    assert cli.exit_code == 0, cli.output
    assert "toy:qe" in json.loads(cli.stdout)["signatures"]


def test_corpus_units_without_a_source_say_so(tmp_path, tiny, toy):
    with bilingual_corpus(tmp_path, tiny, with_source=False):
        pass
    result = run("--corpus", tmp_path / "c", "eval", "--metrics", "toy:qe", "--no-store")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "metric toy:qe needs the source of each unit, and document harbour (careful)" in result.stderr


def _config(metrics):
    from pipelines.bench import BenchConfig

    return BenchConfig(metrics=metrics, checks=False, n_bootstrap=50)


def test_in_process_scorer_is_loaded_once(tiny, toy):
    from tests.fidelity import toy_scorer

    _, t = tiny
    before = toy_scorer.LOADS["count"]
    many = {f"s{i}": t["careful"] for i in range(5)}
    score_many(many, [t["ref"]], ["toy:ref-once"], sources=t["src"], n_bootstrap=10)
    score_many(many, [t["ref"]], [toy_metric("ref-once")], sources=t["src"], segments=True)
    assert toy_scorer.LOADS["count"] - before == 1
