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



def test_rechecking_is_idempotent_and_keeps_review_decisions(tmp_path):
    corpus = _corpus(tmp_path)
    assert invoke("--corpus", str(corpus.path), "check").exit_code == 0
    auto = corpus.annotations()
    auto = auto[auto.origin.str.startswith("auto:")]
    total = len(auto)
    confirmed = auto[auto.origin == "auto:quote-style"].iloc[0].id
    rejected = auto[auto.origin == "auto:known-artifact"].iloc[0].id
    invoke("--corpus", str(corpus.path), "annotate", "confirm", confirmed)
    invoke("--corpus", str(corpus.path), "annotate", "reject", rejected)

    again = invoke("--corpus", str(corpus.path), "check")
    assert again.exit_code == 0
    assert f"0 new, {total} already stored, 0 resolved" in again.stderr
    after = corpus.annotations()
    after = after[after.origin.str.startswith("auto:")].set_index("id")
    assert len(after) == total and after.index.is_unique
    assert after.loc[confirmed, "status"] == "confirmed" and after.loc[rejected, "status"] == "rejected"
    assert (after.status == "open").sum() == total - 2
    assert len(corpus.annotations()[lambda f: f.origin == "human"]) == 3

    # A finding that no longer fires is resolved, not deleted; when it fires again it is reopened.
    open_one = after[(after.status == "open") & (after.index != confirmed)].iloc[0]
    segment_row = corpus.segments(translation_id=open_one.translation_id)
    segment_row = segment_row[segment_row.idx == open_one.segment_idx].iloc[0]
    from corpus import schema

    with corpus.engine.begin() as connection:  # the text the finding was on changes
        connection.execute(schema.segments.update().where(schema.segments.c.id == segment_row.id).values(text_hash="changed"))
    third = invoke("--corpus", str(corpus.path), "check")
    assert third.exit_code == 0 and "resolved (no longer found)" in third.stderr
    resolved = corpus.annotations(include_resolved=True).set_index("id")
    assert resolved.loc[open_one.name, "status"] == "resolved"
    assert open_one.name not in set(corpus.annotations().id)
    listed = invoke("--corpus", str(corpus.path), "annotate", "ls", "--status", "resolved", "--json")
    assert open_one.name in {row["id"] for row in json.loads(listed.stdout)}
    with corpus.engine.begin() as connection:
        connection.execute(schema.segments.update().where(schema.segments.c.id == segment_row.id).values(text_hash=segment_row.text_hash))
    fourth = invoke("--corpus", str(corpus.path), "check")
    assert "reopened" in fourth.stderr
    assert corpus.annotations().set_index("id").loc[open_one.name, "status"] == "open"


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
