"""Reading a test set in the WMT text layout, its content hash, and bad layouts."""
from __future__ import annotations

import shutil

import pytest

from corpus.errors import InputError
from pipelines.bench import load_wmt_testset


@pytest.fixture
def tiny(test_data):
    return test_data / "bench" / "tiny_wmt"


def test_reads_sources_references_and_systems(tiny):
    testset = load_wmt_testset(tiny, "en-de")
    assert testset.name == "tinytest2024"
    assert (testset.src_lang, testset.tgt_lang) == ("en", "de")
    assert list(testset.references) == ["A"]
    assert sorted(testset.systems) == ["broken", "careful", "literal"]
    assert len(testset) == 8
    assert testset.sources[5] == "The vote was 31 to 12."
    assert testset.systems["literal"][6] == "Das Komitee wird seinen Bericht nächsten Monat veröffentlichen."
    assert testset.data_hash.startswith("sha256:")


def test_content_hash_follows_the_data(tiny, tmp_path):
    copy = tmp_path / "t"
    shutil.copytree(tiny, copy)
    assert load_wmt_testset(copy, "en-de").data_hash == load_wmt_testset(tiny, "en-de").data_hash
    hyp = copy / "system-outputs" / "tinytest2024.en-de.hyp.careful.de"
    hyp.write_text(hyp.read_text("utf-8").replace("Frühjahr", "Frühling"), encoding="utf-8")
    assert load_wmt_testset(copy, "en-de").data_hash != load_wmt_testset(tiny, "en-de").data_hash
    # a selection is other data
    full = load_wmt_testset(tiny, "en-de")
    assert full.select(systems=["careful"]).data_hash != full.data_hash


def test_select_unknown_system(tiny):
    with pytest.raises(InputError, match="unknown system"):
        load_wmt_testset(tiny, "en-de").select(systems=["nope"])


def test_bad_layouts(tiny, tmp_path):
    with pytest.raises(InputError, match="no source file"):
        load_wmt_testset(tiny, "de-en")
    with pytest.raises(InputError, match="SRC-TGT"):
        load_wmt_testset(tiny, "english")
    with pytest.raises(InputError, match="not a directory"):
        load_wmt_testset(tmp_path / "missing", "en-de")
    copy = tmp_path / "t"
    shutil.copytree(tiny, copy)
    hyp = copy / "system-outputs" / "tinytest2024.en-de.hyp.broken.de"
    hyp.write_text("\n".join(hyp.read_text("utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"hyp\.broken\.de: has 7 lines but .* has 8"):
        load_wmt_testset(copy, "en-de")
    hyp.write_bytes(b"\xff\xfe broken\n" * 8)
    with pytest.raises(InputError, match="not UTF-8"):
        load_wmt_testset(copy, "en-de")
    shutil.rmtree(copy / "references")
    with pytest.raises(InputError, match="no reference"):
        load_wmt_testset(copy, "en-de")


def test_document_ids_file(tiny, tmp_path):
    copy = tmp_path / "t"
    shutil.copytree(tiny, copy)
    (copy / "documents").mkdir()
    (copy / "documents" / "tinytest2024.en-de.docs").write_text("a\na\na\na\nb\nb\nb\nb\n", encoding="utf-8")
    testset = load_wmt_testset(copy, "en-de")
    assert testset.documents == ["a"] * 4 + ["b"] * 4
