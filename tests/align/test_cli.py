import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def hut_files(test_data):
    folder = test_data / "align"
    return folder / "hut.de", folder / "hut.fr", folder / "hut.defr"


def test_align_files_prints_vecalign_beads(runner, hut_files):
    src, tgt, gold = hut_files
    result = runner.invoke(main, ["align-files", str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == gold.read_text(encoding="utf-8").splitlines()


def test_align_files_json_and_scores(runner, hut_files):
    src, tgt, _ = hut_files
    result = runner.invoke(main, ["align-files", str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr", "-m", "lexical", "--json"])
    data = json.loads(result.output)
    assert data["method"] == "lexical" and data["signature"].startswith("method:lexical|")
    assert data["beads"][0]["source"] == [0] and data["beads"][0]["target"] == [0]
    scored = runner.invoke(main, ["align-files", str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr", "-m", "length", "--scores"])
    assert scored.output.splitlines()[0].startswith("[0]:[0]:0.")


def test_align_eval_round_trip(runner, hut_files, tmp_path):
    src, tgt, gold = hut_files
    hyp = tmp_path / "hut.hyp"
    hyp.write_text(runner.invoke(main, ["align-files", str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr", "-m", "length"]).output)
    result = runner.invoke(main, ["align-eval", str(gold), str(hyp), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"strict", "lax"} and set(data["strict"]) == {"precision", "recall", "f1"}
    assert 0.8 <= data["strict"]["f1"] < 1.0
    table = runner.invoke(main, ["align-eval", str(gold), str(gold)])
    assert "strict  1.0000" in table.output


def test_align_eval_pools_folders(runner, test_data, tmp_path):
    gold_dir, hyp_dir = tmp_path / "gold", tmp_path / "hyp"
    gold_dir.mkdir(), hyp_dir.mkdir()
    folder = test_data / "align"
    for name in ("a.txt", "b.txt"):
        (gold_dir / name).write_text((folder / "eval_gold.txt").read_text())
        (hyp_dir / name).write_text((folder / "eval_hyp.txt").read_text())
    data = json.loads(runner.invoke(main, ["align-eval", str(gold_dir), str(hyp_dir), "--json"]).output)
    assert data["strict"]["precision"] == pytest.approx(0.5)


@pytest.mark.parametrize("args, message", [
    (["align-files", "{src}", "{empty}", "--src-lang", "de", "--tgt-lang", "fr"], "empty: no sentences"),
    (["align-files", "{src}", "{tgt}", "--src-lang", "de", "--tgt-lang", "qq-zz"], "unknown language code 'qq-zz'"),
    (["align-files", "{src}", "{tgt}", "--src-lang", "de", "--tgt-lang", "fr", "-m", "magic"], "unknown alignment method"),
    (["align-files", "{src}", "{tgt}", "--src-lang", "de", "--tgt-lang", "fr", "-o", "colour=red"], "unknown option 'colour'"),
    (["align-files", "{src}", "{long}", "--src-lang", "de", "--tgt-lang", "fr"], "too different"),
    (["align-files", "{src}", "{missing}", "--src-lang", "de", "--tgt-lang", "fr"], "file not found"),
    (["align-eval", "{malformed}", "{gold}"], "malformed.txt:3: not a bead line"),
    (["align-eval", "{gold}"], "GOLD HYP pairs"),
])
def test_bad_input_is_one_line_and_exit_1(runner, hut_files, test_data, tmp_path, args, message):
    src, tgt, gold = hut_files
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "long.txt").write_text("Satz.\n" * 200)
    paths = {"src": src, "tgt": tgt, "gold": gold, "empty": tmp_path / "empty.txt", "long": tmp_path / "long.txt",
             "missing": tmp_path / "nope.txt", "malformed": test_data / "align" / "malformed.txt"}
    result = runner.invoke(main, [a.format(**paths) for a in args])
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_help_has_examples(runner):
    for command in (["align-files"], ["align-eval"], ["align"], ["align", "show"], ["align", "set"], ["align", "run"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


@pytest.fixture
def demo_corpus(tmp_path):
    from corpus import Corpus
    from pipelines.demo import demo_corpus_file

    corpus = Corpus.init(tmp_path / "corpus")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.close()
    return tmp_path / "corpus"


def test_corpus_align_show_set_and_realign(runner, demo_corpus):
    base = ["--corpus", str(demo_corpus)]
    result = runner.invoke(main, [*base, "align", "--all", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    aligned = [r for r in summary if "skipped" not in r]
    assert {r["method"] for r in aligned} == {"embedding"}  # en → de: both covered by the bundled encoder
    assert any(r.get("skipped") == "no source text" for r in summary)

    shown = json.loads(runner.invoke(main, [*base, "align", "show", "harbour-bridge", "--translation", "harbour-bridge.de.mt", "--json"]).output)
    assert shown[0]["source"] == [0] and shown[0]["target"] == [0] and shown[0]["method"] == "embedding"
    assert all(row["score"] is not None for row in shown)

    set_result = runner.invoke(main, [*base, "align", "set", "harbour-bridge", "--translation", "harbour-bridge.de.mt",
                                      "--source", "7", "--target", "7"])
    assert set_result.exit_code == 0, set_result.output
    realigned = runner.invoke(main, [*base, "align", "harbour-bridge", "--method", "lexical", "--json"])
    assert realigned.exit_code == 0, realigned.output
    rows = json.loads(runner.invoke(main, [*base, "align", "show", "harbour-bridge", "--translation", "harbour-bridge.de.mt", "--json"]).output)
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    assert confirmed == [{**confirmed[0], "source": [7], "target": [7], "method": "manual"}]
    # the automatic links were rebuilt around the hand-set one: every segment is linked exactly once
    assert sorted(i for r in rows for i in r["source"]) == list(range(10))
    assert sorted(i for r in rows for i in r["target"]) == list(range(11))
    assert {r["method"] for r in rows if r["status"] == "auto"} == {"lexical"}


@pytest.mark.parametrize("args, message", [
    (["align", "nope"], "no document with id 'nope'"),
    (["align", "harbour-bridge", "--all"], "not both"),
    (["align", "set", "harbour-bridge", "--translation", "harbour-bridge.de.mt", "--source", "70", "--target", "1"], "source segment 70 does not exist"),
    (["align", "set", "harbour-bridge", "--translation", "retailer-fine.de.mt", "--source", "1", "--target", "1"], "belongs to document 'retailer-fine'"),
    (["align", "set", "harbour-bridge", "--translation", "harbour-bridge.de.mt", "--source", "a", "--target", "1"], "segment numbers"),
    (["align", "set", "harbour-bridge", "--translation", "harbour-bridge.de.mt", "--source", "", "--target", ""], "at least one"),
])
def test_corpus_command_errors(runner, demo_corpus, args, message):
    result = runner.invoke(main, ["--corpus", str(demo_corpus), *args])
    assert result.exit_code != 0
    assert message in result.output
