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
        ('{"source": "a", "target": "b", "type": "Calque!", "src_lang": "en", "tgt_lang": "de"}', "type"),
        ('{"source": "a", "target": "b", "type": "calque", "src_lang": "en", "tgt_lang": "de", "colour": 1}', "unknown catalogue field"),
        ('["a", "b"]', "JSON object"),
        ("", "catalogue is empty"),
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
