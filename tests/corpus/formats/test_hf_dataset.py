"""`import dataset`: parallel data sets saved with `datasets` (save_to_disk) or as Parquet, in both column layouts
(flat source/target columns, nested translation dicts), stored as aligned documents; local paths only."""
from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.errors import InputError
from corpus.formats.hf_dataset import Columns, import_dataset_into
from tests.corpus.helpers import store_fingerprint

ROWS = [
    ("harbour", "The council approved the bridge.", "Der Stadtrat genehmigte die Brücke."),
    ("harbour", "It will cost £48.5 million.", "Sie wird 48,5 Millionen Pfund kosten."),
    ("harbour", "", ""),
    ("vote", "The vote was 31 to 12.", "Die Abstimmung endete mit 31 zu 12."),
]


@pytest.fixture
def corpus(tmp_path):
    opened = Corpus.init(tmp_path / "corpus", actor="tester")
    yield opened
    opened.close()


def columns_for(layout: str) -> dict:
    if layout == "nested":
        return {"translation": [{"en": en, "de": de} for _, en, de in ROWS], "url": [doc for doc, _, _ in ROWS]}
    return {"sentence_eng": [en for _, en, _ in ROWS], "sentence_deu": [de for _, _, de in ROWS], "url": [doc for doc, _, _ in ROWS]}


def build(tmp_path, storage: str, layout: str):
    import datasets

    data = datasets.Dataset.from_dict(columns_for(layout))
    if storage == "save_to_disk":
        path = tmp_path / "saved"
        datasets.DatasetDict({"devtest": data}).save_to_disk(str(path))
    else:
        path = tmp_path / "pairs.parquet"
        data.to_parquet(str(path))
    return path


@pytest.mark.parametrize("storage", ["save_to_disk", "parquet"])
@pytest.mark.parametrize("layout", ["nested", "flat"])
def test_rows_become_aligned_documents_in_both_layouts(corpus, tmp_path, storage, layout):
    path = build(tmp_path, storage, layout)
    columns = Columns(document="url") if layout == "nested" else Columns("sentence_eng", "sentence_deu", "url")
    result = import_dataset_into(corpus, path, "en", "de", columns)
    assert result["dataset"]["rows"] == 4 and result["created"] == ["harbour", "vote"]
    assert result["dataset"]["split"] == ("devtest" if storage == "save_to_disk" else None)
    assert corpus.segments(document_id="harbour", side="source").text.tolist() == [en for doc, en, _ in ROWS if doc == "harbour"]
    assert corpus.segments(translation_id="vote.de").text.tolist() == ["Die Abstimmung endete mit 31 zu 12."]
    links = corpus.alignments()
    assert len(links) == 4 and set(links.status) == {"confirmed"}
    before = store_fingerprint(corpus)
    again = import_dataset_into(corpus, path, "en", "de", columns)
    assert again["created"] == [] and again["already_present"] == 2 and store_fingerprint(corpus) == before


def test_columns_named_after_the_languages_need_no_options(corpus, tmp_path):
    import datasets

    path = tmp_path / "flores.parquet"
    datasets.Dataset.from_dict({"en": [en for _, en, _ in ROWS], "de": [de for _, _, de in ROWS]}).to_parquet(str(path))
    result = import_dataset_into(corpus, path, "en", "de")
    assert result["created"] == ["flores"] and result["dataset"]["columns"] == {"source": "en", "target": "de"}


def test_csv_and_json_lines_files_are_read_too(corpus, tmp_path):
    import datasets

    data = datasets.Dataset.from_dict({"source": [en for _, en, _ in ROWS if en], "target": [de for _, _, de in ROWS if de]})
    data.to_csv(str(tmp_path / "pairs.csv"), index=False)
    data.to_json(str(tmp_path / "pairs.jsonl"))
    for name in ("pairs.csv", "pairs.jsonl"):
        fresh = Corpus.init(tmp_path / name.replace(".", "-"), actor="tester")
        result = import_dataset_into(fresh, tmp_path / name, "en", "de")
        assert result["dataset"]["columns"] == {"source": "source", "target": "target"}
        assert fresh.segments(translation_id="pairs.de").text.tolist() == [de for _, _, de in ROWS if de]
        fresh.close()


def test_a_hub_name_is_refused_without_any_download(corpus):
    with pytest.raises(InputError, match="'wmt19' is not a local path.*never downloads from the Hugging Face Hub"):
        import_dataset_into(corpus, "wmt19", "de", "en")


def test_a_missing_text_is_a_one_line_error_naming_the_row(corpus, tmp_path):
    import datasets

    path = tmp_path / "holes.parquet"
    datasets.Dataset.from_dict({"translation": [{"en": "One.", "de": "Eins."}, {"en": "Two.", "de": None}]}).to_parquet(str(path))
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=r"holes\.parquet:2: field 'target': Input should be a valid string") as error:
        import_dataset_into(corpus, path, "en", "de")
    assert "\n" not in str(error.value) and store_fingerprint(corpus) == before


def test_a_dataset_dict_with_several_splits_needs_one_named(corpus, tmp_path):
    import datasets

    path = tmp_path / "saved"
    one = datasets.Dataset.from_dict(columns_for("nested"))
    datasets.DatasetDict({"dev": one, "devtest": one}).save_to_disk(str(path))
    with pytest.raises(InputError, match=r"choose a split with --split \(splits: dev, devtest\)"):
        import_dataset_into(corpus, path, "en", "de")
    result = import_dataset_into(corpus, path, "en", "de", split="dev")
    assert result["created"] == ["saved.dev"]


def test_unknown_columns_are_named(corpus, tmp_path):
    path = build(tmp_path, "parquet", "flat")
    with pytest.raises(InputError, match=r"cannot tell the source and target columns \(columns: sentence_eng, sentence_deu, url\)"):
        import_dataset_into(corpus, path, "en", "de")
    with pytest.raises(InputError, match="no document column 'doc'"):
        import_dataset_into(corpus, path, "en", "de", Columns("sentence_eng", "sentence_deu", "doc"))
