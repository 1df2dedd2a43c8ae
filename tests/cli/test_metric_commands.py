"""`calque metric train / evaluate / show` through click's CliRunner, error paths included."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.fidelity.learned import read_model
from tests.conftest import TEST_DATA

TINY = TEST_DATA / "learned" / "tiny_ende"
TINY_ARGS = ["--scores", str(TINY / "tiny_esa.en-de.tsv"), "--testset", str(TINY), "--langs", "en-de",
             "--reference", "A", "--higher-is-better"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    path = tmp_path_factory.mktemp("metric") / "tiny.npz"
    result = run("metric", "train", path, *TINY_ARGS, "--json")
    assert result.exit_code == 0, result.output
    return path, json.loads(result.output)


def test_train_writes_a_model_file_named_by_its_hash(trained):
    path, summary = trained
    assert summary["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert summary["signature"].startswith(f"learned|model:tiny|sha256:{summary['sha256'][:12]}|heads:encoder+general|")
    assert {h["head"] for h in summary["heads"]} == {"encoder", "general"}
    assert len(summary["cv_splits"]) == 5 and all("item fold" in s["split"] for s in summary["cv_splits"])


def test_evaluate_a_model_beside_the_baselines(trained):
    path, _ = trained
    result = run("metric", "evaluate", path, *TINY_ARGS, "--json")
    assert result.exit_code == 0, result.output
    fold = json.loads(result.output)["folds"][0]
    assert [r["metric"] for r in fold["rows"]] == ["learned", "chrf", "bleu"]
    learned = fold["rows"][0]
    assert learned["sys_pairs"] == 6 and learned["sys_accuracy"] >= 4 / 6
    assert fold["head"] == "encoder" and fold["trained_on"] == ["tiny+tiny_esa.en-de.tsv"]


def test_evaluate_tests_the_metric_against_each_baseline_as_meta_eval_does(trained):
    path, _ = trained
    result = run("metric", "evaluate", path, *TINY_ARGS, "--json")
    fold = json.loads(result.output)["folds"][0]
    rows = {r["metric"]: r for r in fold["rows"]}
    assert fold["sig_samples"] == 1000
    assert {(v["baseline"], v["statistic"]) for v in fold["versus"]} == {
        (b, s) for b in ("chrf", "bleu") for s in ("sys_accuracy", "sys_spa", "seg_acc_eq")}
    meta = run("meta-eval", *TINY_ARGS, "-m", f"learned:{path},chrf,bleu", "--seed", 4, "--json")
    assert meta.exit_code == 0, meta.output
    p_values = {s: c["p_values"] for s, c in json.loads(meta.output)["significance"].items()}
    name = next(m for m in p_values["sys_accuracy"] if m.startswith("learned"))
    for versus in fold["versus"]:
        statistic, baseline = versus["statistic"], versus["baseline"]
        assert versus["delta"] == pytest.approx(rows["learned"][statistic] - rows[baseline][statistic], abs=1e-12)
        assert versus["p_better"] == p_values[statistic][name][baseline]
        assert versus["p_worse"] == p_values[statistic][baseline][name]


def test_evaluate_table_gives_each_difference_with_the_p_value_of_its_direction(trained):
    path, _ = trained
    data = json.loads(run("metric", "evaluate", path, *TINY_ARGS, "--json").output)["folds"][0]
    lines = run("metric", "evaluate", path, *TINY_ARGS, "--format", "markdown").output.splitlines()
    header, *rows = ([cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("| "))
    chrf = dict(zip(header, next(row for row in rows if row[header.index("metric")] == "chrf")))
    for versus in (v for v in data["versus"] if v["baseline"] == "chrf"):
        delta, decimals = versus["delta"], 3 if versus["statistic"] == "sys_accuracy" else 4
        p = versus["p_better"] if delta > 0 else versus["p_worse"]
        expected = "0 (tie)" if abs(delta) < 1e-9 else f"{delta:+.{decimals}f} ({'p<0.001' if p == 0 else f'p={p:.3f}'})"
        assert chrf[f"metric − this baseline: {versus['statistic']} (p)"] == expected
    untested = json.loads(run("metric", "evaluate", path, *TINY_ARGS, "--sig-samples", 0, "--json").output)["folds"][0]
    assert untested["versus"] == [] and untested["rows"][0]["sys_accuracy"] == data["rows"][0]["sys_accuracy"]


def test_leave_one_set_out_names_each_split(tmp_path):
    sets = tmp_path / "sets.json"
    entry = {"scores": str(TINY / "tiny_esa.en-de.tsv"), "testset": str(TINY), "langs": "en-de", "reference": "A",
             "higher_is_better": True}
    sets.write_text(json.dumps({"sets": [{"name": "first", **entry}, {"name": "second", **entry}]}), encoding="utf-8")
    result = run("metric", "evaluate", "--leave-one-set-out", "--sets", sets, "--qe", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("| held_out | langs | trained_on | metric |")
    assert any(line.startswith("| first | en-de | second | learned-qe (encoder head) |") for line in lines)
    assert any(line.startswith("| second | en-de | first | embed-sim |") for line in lines)


def test_show_reads_the_header(trained):
    path, summary = trained
    result = run("metric", "show", path, "--json")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["sha256"] == summary["sha256"] and shown["header"]["training"]["seed"] == 0


@pytest.mark.parametrize("args, message", [
    (["metric", "show", "missing.npz"], "missing.npz: model file not found"),
    (["metric", "train", "model.txt", *TINY_ARGS], "model.txt: the model file name must end in .npz"),
    (["metric", "evaluate", "--leave-one-set-out"], "--leave-one-set-out needs --sets FILE with at least two sets"),
    (["metric", "train", "m.npz", "--mqm", str(TEST_DATA / "bench" / "tiny_mqm.tsv"), "--scores",
      str(TINY / "tiny_esa.en-de.tsv")], "give one of --sets, --mqm and --scores (got --mqm and --scores)"),
])
def test_errors_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {message}"]


@pytest.mark.parametrize("extra, message", [
    (["--protocol", "esa"], "--protocol chooses the corpus's human scores: leave it out with --sets"),
    (["--mqm", str(TEST_DATA / "bench" / "tiny_mqm.tsv")], "give one of --sets, --mqm and --scores (got --sets and --mqm)"),
])
def test_leave_one_set_out_refuses_other_sources_of_judgements(extra, message, tmp_path):
    sets = tmp_path / "sets.json"
    sets.write_text(json.dumps({"sets": []}), encoding="utf-8")
    result = CliRunner().invoke(main, ["metric", "evaluate", "--leave-one-set-out", "--sets", str(sets), *extra])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {message}"]


def test_a_corrupt_model_file_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.npz").write_bytes(b"not a zip archive at all")
    result = CliRunner().invoke(main, ["metric", "show", "broken.npz"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: broken.npz: not a Calque learned-metric model file (not an .npz archive)"


def test_every_command_has_an_example():
    for command in ("train", "evaluate", "show"):
        result = run("metric", command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output


@pytest.fixture(scope="module")
def esa_corpus(tmp_path_factory):
    """The tiny judged set as a corpus: its test set by `import wmt`, its ESA file by `annotate import`."""
    corpus_dir = tmp_path_factory.mktemp("esa") / "corpus"
    for args in (["init", corpus_dir], ["--corpus", corpus_dir, "import", "wmt", TINY, "--langs", "en-de"],
                 ["--corpus", corpus_dir, "annotate", "import", "--format", "scores", TINY / "tiny_esa.en-de.tsv",
                  "--protocol", "esa"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
    return corpus_dir


def assert_trains_as_the_score_file(corpus_dir, source_args, trained, path):
    """Training on the corpus's copy of the tiny set's judgements rates every segment, chooses the same settings
    and gets the same cross-validated margins as training on the score file."""
    result = run("--corpus", corpus_dir, "metric", "train", path, *source_args, "--reference", "A", "--json")
    assert result.exit_code == 0, result.output
    from_corpus, from_file = json.loads(result.output), trained[1]
    [stored] = read_model(path).header["training"]["sets"]
    assert (stored["systems"], stored["items"], stored["rated"]) == (4, 24, 96)
    assert from_corpus["settings"] == from_file["settings"]
    assert [s["margin"] for s in from_corpus["cv_splits"]] == pytest.approx([s["margin"] for s in from_file["cv_splits"]])


def test_a_metric_trains_on_the_corpus_esa_scores_as_on_the_score_file(esa_corpus, trained, tmp_path):
    assert_trains_as_the_score_file(esa_corpus, ["--protocol", "esa"], trained, tmp_path / "from-corpus.npz")


def test_meta_eval_reads_the_corpus_esa_scores(esa_corpus):
    result = run("--corpus", esa_corpus, "meta-eval", "--protocol", "esa", "--reference", "A", "-m", "chrf",
                 "--sig-samples", "0", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["human"], report["rated_segments"], report["reference"]) == ("esa", 96, "A")
    people = report["human_system_scores"]
    assert people["fluent"] > people["short"] > people["wrong"]  # the file's ESA scores, higher is better
    [chrf] = report["rows"]
    assert chrf["sys_pairs"] == 6 and chrf["sys_accuracy"] >= 4 / 6  # oriented as people are


@pytest.mark.parametrize("args, message", [
    (["metric", "train", "m.npz", "--protocol", "da", "--reference", "A"], "the corpus holds no da scores"),
    (["metric", "train", "m.npz", "--protocol", "esa", "--scores", str(TINY / "tiny_esa.en-de.tsv")],
     "--protocol chooses the corpus's human scores: leave it out with --scores"),
])
def test_protocol_errors(esa_corpus, args, message):
    result = CliRunner().invoke(main, ["--corpus", str(esa_corpus), *args])
    assert result.exit_code == 1 and message in result.output


def test_a_metric_trains_on_a_campaign_as_on_the_scores_its_annotator_gave(esa_corpus, trained, tmp_path):
    """An ESA campaign over the tiny set whose one annotator gives each segment the score file's score: training
    on the campaign's results (--campaign) chooses and cross-validates as training on the file does."""
    import shutil

    from corpus import Corpus
    from corpus.campaigns import CampaignSpec, CampaignStore
    from corpus.campaigns.claims import claim, submit
    from pipelines.campaign.build import create_campaign

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(esa_corpus, corpus_dir)
    given = {}
    for line in (TINY / "tiny_esa.en-de.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        system, seg_id, score = line.split()
        given[(system, int(seg_id) - 1)] = float(score)
    corpus = Corpus.open(corpus_dir, actor="owner")
    try:
        translations = corpus.translations()
        rated = list(translations[translations.system.isin({s for s, _ in given})].id)
        create_campaign(corpus, CampaignSpec(name="tiny-esa", translations=rated, annotators=["a"], protocol="esa"))
        while (slot := claim(corpus, "tiny-esa", "a")) is not None:
            unit = CampaignStore(corpus).unit(slot["unit_id"])
            submit(corpus, slot["id"], "a", given[(unit["system"], unit["rows"][0]["idx"])])
    finally:
        corpus.close()
    path = tmp_path / "from-campaign.npz"
    assert_trains_as_the_score_file(corpus_dir, ["--campaign", "tiny-esa"], trained, path)
    both = CliRunner().invoke(main, ["--corpus", str(corpus_dir), "metric", "train", str(path), "--campaign", "tiny-esa",
                                     "--protocol", "esa"])
    assert both.exit_code == 1 and "--campaign scores by the campaign's own protocol and weights: leave out --protocol" in both.output
