import json

from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from tests.checks.conftest import CHECKS_DATA


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_file_mode_prints_one_json_object_per_finding():
    result = invoke("check", "-s", str(CHECKS_DATA / "numbers_wrong.en"), "-t", str(CHECKS_DATA / "numbers_wrong.de"),
                    "--langs", "en-de", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(list(row) == ["segment", "type", "start", "end", "text", "message"] for row in rows)
    assert {(r["segment"], r["type"], r["text"]) for r in rows} >= {(0, "number-mismatch", "42,000"), (2, "number-mismatch", "24.000")}


def test_clean_localised_translation_has_no_findings():
    result = invoke("check", "-s", str(CHECKS_DATA / "localised.en"), "-t", str(CHECKS_DATA / "localised.de"), "--langs", "en-de", "--json")
    assert result.exit_code == 0 and result.output == ""
    result = invoke("check", "-t", str(CHECKS_DATA / "clean.de"), "--langs", "en-de", "--json")
    assert result.exit_code == 0 and result.output == ""


def test_target_only_with_catalogue_and_only():
    result = invoke("check", "-t", str(CHECKS_DATA / "markup.de"), "--langs", "en-de", "--only", "markup", "--json",
                    "--catalogue", str(CHECKS_DATA / "catalogue.jsonl"))
    assert result.exit_code == 0
    assert [json.loads(line)["text"] for line in result.output.splitlines()] == ["&amp;", "[enter]"]


def test_list_shows_every_check():
    result = invoke("check", "--list", "--json")
    names = [row["name"] for row in json.loads(result.output)]
    assert names == ["untranslated", "wrong-language", "number-mismatch", "entity-mismatch", "markup", "truncation",
                     "omission", "repetition", "segmentation", "quote-style", "known-artifact", "calque-candidate"]


def test_bad_input_is_one_line_error_and_exit_1(tmp_path):
    empty = tmp_path / "empty.de"
    empty.write_text("", "utf-8")
    short = tmp_path / "short.de"
    short.write_text("Eine Zeile.\n", "utf-8")
    cases = [
        (["-s", str(CHECKS_DATA / "localised.en"), "-t", str(short)], "short.de: has 1 lines but"),
        (["-t", str(empty)], "empty.de: file is empty"),
        (["-t", str(short), "--catalogue", str(CHECKS_DATA / "catalogue_bad_json.jsonl")], "catalogue_bad_json.jsonl:2: invalid JSON"),
        (["-t", str(short), "--only", "spelling"], "unknown check(s) spelling"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, ["check", *args, "--langs", "en-de"])
        assert result.exit_code == 1, (args, result.output)
        [line] = result.output.strip().splitlines()
        assert line.startswith("Error: ") and message in line
    result = CliRunner().invoke(main, ["check", "-t", str(short), "--langs", "ende"])
    assert result.exit_code == 1 and "expected SRC-TGT" in result.output
    result = CliRunner().invoke(main, ["check", "-s", str(short)])
    assert result.exit_code != 0 and "needs -t" in result.output


def _corpus(tmp_path):
    corpus = Corpus.init(tmp_path / "corpus")
    corpus.import_jsonl(str(CHECKS_DATA / "corpus.jsonl"), progress=False)
    return corpus


def test_corpus_mode_writes_and_replaces_open_auto_annotations(tmp_path):
    corpus = _corpus(tmp_path)
    first = invoke("--corpus", str(corpus.path), "check", "--json")
    assert first.exit_code == 0
    findings = [json.loads(line) for line in first.stdout.splitlines()]
    assert {(f["translation_id"], f["type"], f["text"]) for f in findings} >= {
        ("bridge.de.mt", "number-mismatch", "42,000"),
        ("bridge.de.mt", "known-artifact", "Knie-Ruck-Reaktion"),
        ("bridge.de.mt", "entity-mismatch", "Die Stadträtin nannte es „eine einmal-in-einer-Generation Chance“."),
        ("bridge.de.mt", "quote-style", "“"),
    }
    assert not [f for f in findings if f["translation_id"] == "bridge.de.human"]
    auto = corpus.annotations()
    auto = auto[auto.origin.str.startswith("auto:")]
    assert len(auto) == len(findings) and set(auto.status) == {"open"} and set(auto.annotator) == {"calque-check"}
    calque = auto[auto.origin == "auto:known-artifact"].iloc[0]
    assert (calque.artifact_type, calque.category) == ("calque", "Accuracy/Mistranslation")

    kept = auto[auto.origin == "auto:quote-style"].iloc[0]
    corpus.update_annotation(kept.id, {"status": "confirmed"})
    second = invoke("--corpus", str(corpus.path), "check")
    assert second.exit_code == 0
    after = corpus.annotations()
    assert len(after[after.origin == "human"]) == 3
    assert kept.id in set(after.id) and after.set_index("id").loc[kept.id, "status"] == "confirmed"
    assert len(after[after.origin.str.startswith("auto:")]) == len(findings) + 1  # the confirmed one stays beside the new run


def test_corpus_mode_errors_and_dry_run(tmp_path):
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "check", "--doc", "nope"])
    assert result.exit_code == 1 and "nope" in result.output
    result = invoke("--corpus", str(corpus.path), "check", "--dry-run")
    assert result.exit_code == 0 and corpus.stats()["annotations_auto"] == 0


def test_score_against_human_annotations(tmp_path):
    corpus = _corpus(tmp_path)
    result = invoke("--corpus", str(corpus.path), "check", "score", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    overall = report["overall"]
    assert overall["human_annotations"] == 3 and overall["detectable"] == 2 and overall["not_detectable"] == 1
    assert overall["recall_detectable"] == 1.0 and overall["recall_all"] == 2 / 3
    assert report["by_annotated_type"]["calque"]["found"] == 1
    assert report["unannotated_translations"]["findings"] == 0
    assert report["signature"].startswith("checks:all|match:span-overlap+compatible-type|catalogue:1|gold:human|data:")
    text = invoke("--corpus", str(corpus.path), "check", "score")
    assert "| number-mismatch |" in text.output and "precision" in text.output
