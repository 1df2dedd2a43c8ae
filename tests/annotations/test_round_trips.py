"""Calque's own exports of the demo corpus (hand annotations with comments, documents not from Google
MQM data) re-import into a fresh corpus and into the same corpus without duplicating anything."""
from __future__ import annotations

import pytest

from corpus import Corpus, InputError
from corpus.formats.annotations import export_annotations, import_annotations
from pipelines.demo import demo_corpus_file
from tests.annotations.conftest import annotation_facts, bare_copy

SUFFIX = {"appraise": "csv", "label-studio": "json", "xliff": "xlf", "google-mqm": "tsv"}
OPTIONS = {"google-mqm": {"src_lang": "en", "tgt_lang": "de"}}


@pytest.fixture
def demo(tmp_path) -> Corpus:
    corpus = Corpus.init(tmp_path / "demo", actor="tester")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    yield corpus
    corpus.close()


def errors_per_translation(corpus: Corpus) -> dict:
    frame = corpus.annotations()
    return frame.groupby("translation_id").size().to_dict()


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_re_importing_the_demo_export_into_the_same_corpus_adds_nothing(demo, tmp_path, fmt):
    path = tmp_path / f"demo.{SUFFIX[fmt]}"
    summary = export_annotations(demo, fmt, path)
    assert summary["rows"] > 0
    before = annotation_facts(demo)
    import_annotations(demo, fmt, path, **OPTIONS.get(fmt, {}))
    assert annotation_facts(demo) == before


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_the_demo_export_imports_into_a_fresh_corpus_and_again_without_doubling(demo, tmp_path, fmt):
    path = tmp_path / f"demo.{SUFFIX[fmt]}"
    export_annotations(demo, fmt, path)
    fresh = bare_copy(demo, tmp_path / "fresh")
    import_annotations(fresh, fmt, path, **OPTIONS.get(fmt, {}))
    once = annotation_facts(fresh)
    assert once and errors_per_translation(fresh)
    import_annotations(fresh, fmt, path, **OPTIONS.get(fmt, {}))
    assert annotation_facts(fresh) == once
    again = tmp_path / f"again.{SUFFIX[fmt]}"
    export_annotations(fresh, fmt, again)
    assert again.read_text("utf-8") == path.read_text("utf-8")


def test_google_mqm_export_imports_into_an_empty_corpus(tmp_path):
    """The TSV carries the texts of aligned translations, so it needs no corpus to land in."""
    from tests.annotations.conftest import GOOGLE_SAMPLE

    source = Corpus.init(tmp_path / "source", actor="tester")
    import_annotations(source, "google-mqm", GOOGLE_SAMPLE)
    path = tmp_path / "out.tsv"
    summary = export_annotations(source, "google-mqm", path)
    empty = Corpus.init(tmp_path / "empty", actor="tester")
    import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    assert len(empty.annotations()) == len(source.annotations()) == summary["rows"]


def test_google_mqm_export_of_unaligned_translations_is_refused_by_an_empty_corpus_in_one_line(demo, tmp_path):
    path = tmp_path / "demo.tsv"
    export_annotations(demo, "google-mqm", path)
    empty = Corpus.init(tmp_path / "empty", actor="tester")
    with pytest.raises(InputError, match="has no source text"):
        import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    assert empty.stats()["documents"] == 0


def test_jsonl_export_round_trips_into_a_fresh_corpus(demo, tmp_path):
    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    fresh = Corpus.init(tmp_path / "fresh", actor="tester")
    fresh.import_jsonl(str(path), progress=False)
    assert annotation_facts(fresh) == annotation_facts(demo)
    assert fresh.stats() == demo.stats()


def test_jsonl_export_re_imports_into_the_same_corpus_as_a_no_op(demo, tmp_path):
    from tests.corpus.helpers import store_fingerprint

    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    before = store_fingerprint(demo)
    result = demo.import_jsonl(str(path), progress=False)
    assert result["created"]["already_present"] == sum(result["created"][k] for k in ("document", "annotation", "concept", "artifact"))
    assert result["rows"] == {}
    assert store_fingerprint(demo) == before


def test_jsonl_record_with_a_stored_id_but_other_content_is_still_a_duplicate(demo, tmp_path):
    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    lines = path.read_text("utf-8").splitlines()
    changed = [line.replace('"severity": "Minor"', '"severity": "Major"', 1) if '"type": "annotation"' in line else line for line in lines]
    assert changed != lines
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate"):
        demo.import_jsonl(str(path), progress=False)
