import pytest

from corpus.errors import InputError
from pipelines.checks import catalogue_from_records, load_catalogue
from tests.checks.conftest import CHECKS_DATA


def test_loads_entries_and_normalises_languages():
    entries = load_catalogue(CHECKS_DATA / "catalogue.jsonl")
    assert [e.target for e in entries][:2] == ["Wachhund", "Knie-Ruck-Reaktion"]
    assert entries[0].applies_to("en-GB", "de") and not entries[4].applies_to("en", "de")


@pytest.mark.parametrize(
    "name, line, problem",
    [
        ("catalogue_bad_json.jsonl", 2, "invalid JSON"),
        ("catalogue_missing_field.jsonl", 3, "'target' must be a non-empty string"),
    ],
)
def test_bad_lines_name_file_and_line(name, line, problem):
    with pytest.raises(InputError) as error:
        load_catalogue(CHECKS_DATA / name)
    assert error.value.line == line and error.value.path.endswith(name)
    assert problem in str(error.value) and f"{name}:{line}:" in str(error.value)


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"source": "a", "target": "b", "type": "calque", "src_lang": "en", "tgt_lang": "xx-nonsense-tag"}', "tgt_lang"),
        ('{"source": "a", "target": "b", "type": "Calque!", "src_lang": "en", "tgt_lang": "de"}', "artifact type 'Calque!' must be lower-case"),
        ('{"type": "artifact", "artifact_type": "calque", "source_cue": "a", "src_lang": "en", "tgt_lang": "de"}',
         "catalogue field 'target_form' must be a non-empty string"),
        ('{"source": "a", "target": "b", "type": "calque", "src_lang": "en", "tgt_lang": "de", "colour": 1}', "unknown catalogue field"),
        ('["a", "b"]', "JSON object"),
        ("", "no catalogue entry in the file"),
        ('{"type": "document", "id": "d", "lang": "en"}', "no catalogue entry in the file .no artifact records.; a catalogue line is a corpus artifact record"),
    ],
)
def test_other_malformed_catalogues(tmp_path, text, problem):
    path = tmp_path / "catalogue.jsonl"
    path.write_text(text + "\n", "utf-8")
    with pytest.raises(InputError, match=problem):
        load_catalogue(path)


def test_corpus_artifact_records_are_accepted():
    [entry] = catalogue_from_records([{"id": "wd", "artifact_type": "calque", "source_cue": "watchdog", "target_form": "Wachhund",
                                       "src_lang": "en", "tgt_lang": "de", "note": None, "examples": ["…"]}])
    assert (entry.id, entry.type, entry.source, entry.target) == ("wd", "calque", "watchdog", "Wachhund")


def test_a_whole_corpus_export_serves_as_catalogue_and_messages_name_the_corpus_fields(tmp_path):
    from corpus import Corpus
    from pipelines.demo import demo_corpus_file

    corpus = Corpus.init(tmp_path / "demo")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.export_jsonl(tmp_path / "corpus.jsonl")
    entries = load_catalogue(tmp_path / "corpus.jsonl")
    assert len(entries) == len(corpus.artifacts()) == 19
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "x", "target": "y", "type": "calque", "src_lang": "en", "tgt_lang": "de", "colour": 1}\n', "utf-8")
    with pytest.raises(InputError) as error:
        load_catalogue(bad)
    assert "unknown catalogue field(s) colour" in str(error.value)
    assert all(name in str(error.value) for name in ("source_cue", "target_form", "artifact_type"))


def test_known_artifact_messages_say_what_is_wrong_and_what_to_write():
    from pipelines.checks import run_checks

    catalogue = catalogue_from_records([
        {"artifact_type": "untranslated", "source_cue": "MP", "target_form": "MP", "src_lang": "en", "tgt_lang": "de",
         "note": "Post-nominal 'MP' left in English. German: 'der Abgeordnete ...'."},
        {"artifact_type": "calque", "source_cue": "watchdog", "target_form": "Wachhund", "src_lang": "en", "tgt_lang": "de", "note": None},
    ])
    findings = run_checks(None, ["Tom Tugendhat MP sprach mit dem Wachhund."], "en", "de", catalogue=catalogue, only=["known-artifact"])
    messages = {f.text: f.message for f in findings}
    assert messages["MP"].startswith("'MP' copied unchanged from the source is a known untranslated artifact. ")
    assert "German: 'der Abgeordnete ...'" in messages["MP"] and "'MP' for 'MP'" not in messages["MP"]
    assert messages["Wachhund"].startswith("'Wachhund' for 'watchdog' is a known calque artifact; see the artifact catalogue")
    assert messages["Wachhund"].endswith("(no source to verify: applies if the source says 'watchdog')")
