from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from tests.annotations.conftest import DATA, GOOGLE_SAMPLE, snapshot


@pytest.fixture
def council_dir(tmp_path) -> str:
    corpus = Corpus.init(tmp_path / "council", actor="tester")
    corpus.import_jsonl(str(DATA / "agreement.jsonl"))
    corpus.close()
    return str(tmp_path / "council")


def run(corpus_dir: str, *args: str, user: str = "tester"):
    return CliRunner().invoke(main, ["--corpus", corpus_dir, *args], env={"CALQUE_USER": user, "CALQUE_ANNOTATOR": user})


def test_the_annotator_of_a_cli_addition_is_explicit(council_dir):
    add = ["--corpus", council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "3",
           "--text", "Mittag", "--category", "Style/Awkward", "--severity", "Minor"]
    by_env = CliRunner().invoke(main, add, env={"CALQUE_USER": "ops", "CALQUE_ANNOTATOR": "fiona"})
    assert by_env.exit_code == 0 and by_env.stdout.strip().endswith("by fiona") and by_env.stderr == ""
    by_option = CliRunner().invoke(main, [*add, "--annotator", "gus"], env={"CALQUE_ANNOTATOR": "fiona"})
    assert by_option.stdout.strip().endswith("by gus")
    fallback = CliRunner().invoke(main, add, env={"CALQUE_USER": "ops", "CALQUE_ANNOTATOR": None})
    assert fallback.stdout.strip().endswith("by ops")
    assert "annotator: ops (from CALQUE_USER; choose with --annotator NAME or CALQUE_ANNOTATOR)" in fallback.stderr
    notes = Corpus.open(council_dir).annotations()
    assert {"fiona", "gus", "ops"} <= set(notes.annotator)


COMMANDS = [["annotate"], ["annotate", "add"], ["annotate", "ls"], ["annotate", "rm"], ["annotate", "confirm"], ["annotate", "reject"],
            ["annotate", "import"], ["annotate", "export"], ["mqm"], ["mqm", "score"], ["agreement"], ["typology"],
            ["typology", "show"], ["typology", "use"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "calque " in result.output


def test_add_list_and_remove_an_annotation(council_dir):
    added = run(council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "3", "--text", "Mittag",
                "--category", "accuracy/mistranslation", "--severity", "minor", "--comment", "noon", "--json", user="dora")
    assert added.exit_code == 0, added.output
    note = json.loads(added.output)
    assert (note["text"], note["category"], note["severity"], note["annotator"], note["start"]) == ("Mittag", "Accuracy/Mistranslation", "Minor", "dora", 22)
    listed = run(council_dir, "annotate", "ls", "council", "--annotator", "dora", "--json")
    assert [n["id"] for n in json.loads(listed.output)] == [note["id"]]
    table = run(council_dir, "annotate", "ls", "council")
    assert "council.de.mt:t3" in table.output and "No-error" not in table.output
    assert run(council_dir, "annotate", "rm", note["id"]).exit_code == 0
    assert json.loads(run(council_dir, "annotate", "ls", "--annotator", "dora", "--json").output) == []


def test_add_by_offsets_by_artifact_type_and_no_error(council_dir):
    by_offsets = run(council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "1", "--start", "23",
                     "--end", "29", "--artifact-type", "calque", "--severity", "Major", "--json")
    assert json.loads(by_offsets.output)["category"] == "Accuracy/Mistranslation"
    assert json.loads(by_offsets.output)["text"] == "Budget"
    omission = run(council_dir, "annotate", "add", "council", "--source", "--translation", "council.de.mt", "--text", "new",
                   "--category", "Accuracy/Omission", "--severity", "Minor", "--json")
    assert (json.loads(omission.output)["side"], json.loads(omission.output)["translation_id"]) == ("source", "council.de.mt")
    marker = run(council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "0", "--no-error", "--json", user="erin")
    assert json.loads(marker.output)["category"] == "No-error"


@pytest.mark.parametrize("args, message", [
    (["--translation", "council.de.mt", "--segment", "0", "--text", "Rat", "--category", "Acuracy/Mistranslation", "--severity", "Major"],
     "did you mean 'Accuracy/Mistranslation'"),
    (["--translation", "council.de.mt", "--segment", "0", "--text", "Rat", "--category", "House/Style", "--severity", "Major"],
     "to record a category outside the corpus typology anyway, add --any-category"),
    (["--translation", "council.de.mt", "--segment", "0", "--text", "Rat"], "an error needs --category (or --artifact-type) and --severity"),
    (["--translation", "council.de.mt", "--text", "Nirgendwo", "--category", "Style/Awkward", "--severity", "Minor"],
     "'Nirgendwo' does not occur in 'council.de.mt'; copy it exactly from `calque show council`"),
    (["--translation", "council.de.mt", "--segment", "0", "--text", "Stadt", "--category", "Style/Awkward", "--severity", "Minor"],
     "occurs fewer than 1 time"),
    (["--translation", "council.de.mt", "--segment", "9", "--start", "0", "--end", "1", "--category", "Style/Awkward", "--severity", "Minor"],
     "segment 9 does not exist"),
    (["--segment", "0", "--text", "Rat", "--category", "Style/Awkward", "--severity", "Minor"], "say which side"),
    (["--translation", "nope", "--text", "Rat", "--category", "Style/Awkward", "--severity", "Minor"], "no translation with id 'nope'"),
])
def test_add_errors_are_one_line_and_change_nothing(council_dir, args, message):
    before = snapshot(Corpus.open(council_dir))
    result = run(council_dir, "annotate", "add", "council", *args)
    assert result.exit_code == 1 and message in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert snapshot(Corpus.open(council_dir)) == before


def test_confirm_and_reject_auto_annotations(council_dir):
    corpus = Corpus.open(council_dir)
    ids = corpus.sync_auto_annotations(["auto:quote-style"], [
        {"translation": "council.de.mt", "segment": 0, "start": 29, "end": 30, "category": "Fluency/Punctuation", "severity": "Minor",
         "annotator": "calque", "origin": "auto:quote-style"},
        {"translation": "council.de.mt", "segment": 1, "start": 29, "end": 30, "category": "Fluency/Punctuation", "severity": "Minor",
         "annotator": "calque", "origin": "auto:quote-style"}], ["council.de.mt"])["ids"]
    confirmed = run(council_dir, "annotate", "confirm", ids[0])
    assert confirmed.exit_code == 0 and "auto:quote-style, now confirmed" in confirmed.output
    rejected = run(council_dir, "annotate", "reject", ids[1], "--comment", "sentence end")
    assert "now rejected" in rejected.output
    stale_version = run(council_dir, "annotate", "confirm", ids[1], "--version", "1")
    assert stale_version.exit_code == 1 and "changed by someone else" in stale_version.output
    open_auto = json.loads(run(council_dir, "annotate", "ls", "--origin", "auto:quote-style", "--status", "open", "--json").output)
    assert open_auto == []
    assert run(council_dir, "annotate", "reject", "ann-missing").output.startswith("Error: no annotation with id")


def test_mqm_score_and_agreement_json(council_dir):
    result = run(council_dir, "mqm", "score", "--by", "system", "--json")
    payload = json.loads(result.output)
    assert payload["scores"][0]["system"] == "toy-mt" and payload["scores"][0]["score"] == pytest.approx(8.5 / 4)
    assert payload["lower_is_better"] and payload["weights"]["name"] == "google-2021"
    table = run(council_dir, "mqm", "score", "--by", "segment", "--weights", "mqm-industry")
    assert "toy-mt" in table.output and "weights:mqm-industry" in table.output
    bad = run(council_dir, "mqm", "score", "--weights", "Major:five")
    assert bad.exit_code == 1 and "not a number" in bad.output
    agreement = json.loads(run(council_dir, "agreement", "--json").output)
    assert agreement["spans"]["overlap"]["f1"] == pytest.approx(0.8)
    assert "Krippendorff" in run(council_dir, "agreement").output


def test_import_export_through_the_cli(tmp_path, council_dir):
    corpus_dir = str(tmp_path / "google")
    assert CliRunner().invoke(main, ["init", corpus_dir]).exit_code == 0
    imported = run(corpus_dir, "annotate", "import", "--format", "google-mqm", str(GOOGLE_SAMPLE))
    assert imported.exit_code == 0 and "9 annotations" in imported.output
    exported = run(corpus_dir, "annotate", "export", "--format", "xliff", str(tmp_path / "nemo.xlf"), "--translation", "talk.1.Nemo", "--json")
    assert json.loads(exported.output)["rows"] == 2
    mixed = run(council_dir, "annotate", "export", "--format", "xliff", str(tmp_path / "x.xlf"), "--translation", "nope")
    assert mixed.exit_code == 1 and "unknown translation(s): nope" in mixed.output
    bad = tmp_path / "bad.tsv"
    bad.write_text(GOOGLE_SAMPLE.read_text("utf-8").replace("\tMinor\t", "\tMinro\t", 1), "utf-8")
    before = snapshot(Corpus.open(corpus_dir))
    refused = run(corpus_dir, "annotate", "import", "--format", "google-mqm", "--src-lang", "en", "--tgt-lang", "de", str(bad))
    assert refused.exit_code == 1 and refused.output.count("\n") == 1 and "unknown severity 'Minro'" in refused.output
    assert snapshot(Corpus.open(corpus_dir)) == before


def test_typology_show_and_use(council_dir):
    shown = run(council_dir, "typology", "show")
    assert "WMT/Google MQM" in shown.output and "calque" in shown.output and "google-2021" in shown.output
    core = json.loads(run(council_dir, "typology", "show", "mqm-core", "--json").output)
    assert core["artifact_types"]["quote-style"] == "Linguistic conventions/Punctuation"
    assert run(council_dir, "typology", "use", "mqm-core").exit_code == 0
    refused = run(council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "0", "--text", "Rat",
                  "--category", "Fluency/Grammar", "--severity", "Minor")
    assert refused.exit_code == 1 and "not in typology mqm-core" in refused.output
    accepted = run(council_dir, "annotate", "add", "council", "--translation", "council.de.mt", "--segment", "0", "--text", "Rat",
                   "--category", "Linguistic conventions/Grammar", "--severity", "Minor")
    assert accepted.exit_code == 0
    unknown = run(council_dir, "typology", "use", "lisa")
    assert unknown.exit_code == 1 and "unknown typology 'lisa'" in unknown.output
