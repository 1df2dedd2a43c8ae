"""Sets files: several human-judged sets for training and evaluating metrics, with clear errors."""
from __future__ import annotations

import json

import pytest

from corpus.errors import InputError
from pipelines.bench.judged_sets import load_sets, read_sets_file


def write(path, data):
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_paths_are_relative_to_the_sets_file_and_names_are_kept(tmp_path, test_data):
    folder = test_data / "learned" / "tiny_ende"
    sets = write(tmp_path / "sets.json", {"sets": [
        {"name": "tiny", "scores": str(folder / "tiny_esa.en-de.tsv"), "testset": str(folder), "langs": "en-de",
         "reference": "A", "higher_is_better": True},
        {"name": "mqm", "mqm": str(test_data / "bench" / "tiny_mqm.tsv"), "langs": "en-de", "reference": "ref"}]})
    loaded = load_sets(sets)
    assert [d.name for d in loaded] == ["tiny", "mqm"]
    assert loaded[0].human_higher_is_better and not loaded[1].human_higher_is_better
    assert loaded[0].systems == ["copy", "fluent", "short", "wrong"]
    (tmp_path / "sub").mkdir()
    relative = write(tmp_path / "sub" / "sets.json", {"sets": [{"mqm": "../m.tsv", "langs": "en-de"}]})
    assert read_sets_file(relative)[0].mqm == str((tmp_path / "m.tsv").resolve())


@pytest.mark.parametrize("content, message", [
    ("{", "not valid JSON"),
    ({"sets": []}, "at least one set"),
    ({"sets": [{"mqm": "a.tsv", "scores": "b.tsv"}]}, "set 1 must name either mqm or scores"),
    ({"sets": [{"scores": "b.tsv", "langs": "en-de"}]}, "set 1: a score file needs testset and langs"),
    ({"sets": [{"mqm": "a.tsv", "colour": "red"}]}, "set 1 has unknown key(s) colour"),
    ({"sets": ["a.tsv"]}, "set 1 is not an object"),
])
def test_a_bad_sets_file_is_a_one_line_error_naming_it(tmp_path, content, message):
    path = write(tmp_path / "sets.json", content)
    with pytest.raises(InputError) as error:
        read_sets_file(path)
    assert str(path) in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_sets_file(tmp_path):
    with pytest.raises(InputError, match="sets file not found"):
        read_sets_file(tmp_path / "none.json")
