from __future__ import annotations

import pytest

from corpus import Corpus, CorpusError, ConflictError
from corpus.schema import SCHEMA_VERSION


def test_init_creates_sqlite_in_wal_mode_with_foreign_keys(tmp_path):
    corpus = Corpus.init(tmp_path / "c")
    with corpus.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("SELECT value FROM meta WHERE key='schema_version'").scalar() == str(SCHEMA_VERSION)


def test_init_refuses_an_existing_corpus_and_open_refuses_a_plain_directory(tmp_path):
    Corpus.init(tmp_path / "c")
    with pytest.raises(CorpusError, match="already a Calque corpus"):
        Corpus.init(tmp_path / "c")
    with pytest.raises(CorpusError, match="not a Calque corpus"):
        Corpus.open(tmp_path)


def test_open_refuses_a_corpus_from_a_newer_schema(tmp_path):
    corpus = Corpus.init(tmp_path / "c")
    with corpus.engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE meta SET value='{SCHEMA_VERSION + 1}' WHERE key='schema_version'")
    corpus.close()
    with pytest.raises(CorpusError, match="newer than this Calque"):
        Corpus.open(tmp_path / "c")


def test_annotation_update_with_stale_version_is_refused_and_journaled_when_fresh(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c", actor="alice")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    note = corpus.annotations(translation_id="bridge.de.mt").iloc[0]
    corpus.update_annotation(note.id, {"severity": "major"}, expected_version=int(note.version), actor="bob")
    with pytest.raises(ConflictError, match="changed by someone else"):
        corpus.update_annotation(note.id, {"severity": "Minor"}, expected_version=int(note.version))
    updated = corpus.annotations(translation_id="bridge.de.mt").iloc[0]
    assert (updated.severity, updated.version) == ("Major", note.version + 1)
    entry = corpus.journal(limit=1).iloc[0]
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == ("bob", "update", "annotations", note.id)
    assert entry.before["severity"] == "Minor" and entry.after["severity"] == "Major"


def test_annotation_becomes_stale_when_its_segment_text_changes(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    note = corpus.annotations(translation_id="seedlike.de.mt").iloc[0]
    assert not note.stale
    with corpus.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE segments SET text='changed', text_hash='x' WHERE id=?", (note.segment_id,))
    assert corpus.annotations(translation_id="seedlike.de.mt").iloc[0].stale


def test_realigning_keeps_confirmed_links(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    result = corpus.set_alignments("bridge.de.human", [{"source": [0], "target": [1], "score": 0.2}, {"source": [1], "target": [1], "score": 0.9}, {"source": [2], "target": [2], "score": 0.8}], method="test")
    assert result == {"stored": 2, "removed": 0, "kept_confirmed": 1}
    corpus.confirm_alignment("bridge.de.human", [1], [1])
    corpus.set_alignments("bridge.de.human", [{"source": [1, 2], "target": [1, 2]}], method="test")
    links = corpus.alignments("bridge.de.human")
    assert sorted(map(tuple, links[links.status == "confirmed"].source_idx)) == [(0,), (1,)]
    assert links[links.status == "auto"].empty


def test_stats_count_documents_translations_segments_annotations(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    stats = corpus.stats()
    assert (stats["documents"], stats["documents_without_source"], stats["translations"]) == (2, 1, 3)
    assert stats["annotations"] == 3 and stats["glossary_concepts"] == 1 and stats["artifacts"] == 1
    assert stats["segments"] == len(corpus.segments())


def test_resegmenting_reanchors_annotations_and_flags_those_that_no_longer_fit(tmp_path):
    from corpus.segment import SegmenterConfig

    corpus = Corpus.init(tmp_path / "c")
    corpus.import_records([
        {"type": "document", "id": "d", "lang": "en", "source": None, "translations": [
            {"id": "d.de", "lang": "de", "producer": "mt", "text": "Er arbeitet bei Qwert. Morgen kommt er. Dann geht er."}]},
        {"type": "annotation", "translation": "d.de", "text": "Morgen", "category": "Other", "severity": "Minor"},
        {"type": "annotation", "translation": "d.de", "text": "geht", "category": "Other", "severity": "Minor"},
    ])
    corpus.set_alignments("d.de", [], method="none")
    assert len(corpus.segments(translation_id="d.de")) == 3
    result = corpus.resegment("d.de", SegmenterConfig(extra_abbreviations={"de": frozenset({"Qwert."})}))
    assert (result["segments_before"], result["segments_after"], result["annotations_reanchored"], result["annotations_stale"]) == (3, 2, 2, 0)
    notes = corpus.annotations(translation_id="d.de").set_index("text")
    segments = corpus.segments(translation_id="d.de").set_index("id")
    for span in ("Morgen", "geht"):
        note = notes.loc[span]
        assert segments.loc[note.segment_id].text[note.start : note.end] == span and not note.stale
    assert notes.loc["Morgen"].segment_id == "d.de:0"
    journal = corpus.journal(entity="annotations")
    assert (journal.action == "update").sum() == 2


def test_resegmenting_flags_a_span_that_now_crosses_a_boundary(tmp_path):
    from corpus.segment import SegmenterConfig

    corpus = Corpus.init(tmp_path / "c")
    corpus.import_records([
        {"type": "document", "id": "d", "lang": "en", "source": None, "translations": [
            {"id": "d.de", "lang": "de", "producer": "mt", "text": "Er arbeitet bei Qwert. Morgen kommt er."}]},
        {"type": "annotation", "translation": "d.de", "segment": 0, "start": 0, "end": 2, "category": "Other", "severity": "Minor"},
    ], label="fixture")
    corpus.resegment("d.de", SegmenterConfig(extra_abbreviations={"de": frozenset({"Qwert."})}))
    corpus.update_annotation(corpus.annotations().id[0], {"comment": "checked"})
    # now split again where the old boundary was and widen nothing: the span still fits, so it is re-anchored
    result = corpus.resegment("d.de")
    assert result["annotations_reanchored"] == 1
    with corpus.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE annotations SET \"end\" = 30, text = 'Er arbeitet bei Qwert. Morgen'")
    # a span spanning two sentences cannot live in one segment: it is kept, quoted text intact, and flagged stale
    result = corpus.resegment("d.de")
    note = corpus.annotations().iloc[0]
    assert result["annotations_stale"] == 1 and note.stale and note.text == "Er arbeitet bei Qwert. Morgen"


def test_every_update_bumps_the_version_so_a_later_stale_write_is_refused(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    note = corpus.annotations(translation_id="bridge.de.mt").iloc[0]
    corpus.update_annotation(note.id, {"comment": "edited without a version"})
    with pytest.raises(ConflictError):
        corpus.update_annotation(note.id, {"comment": "based on the old read"}, expected_version=int(note.version))
    with pytest.raises(ConflictError):
        corpus.delete_annotation(note.id, expected_version=int(note.version))


def test_schema_1_corpus_is_migrated_to_allow_resolved_findings(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    before = corpus.annotations()
    with corpus.engine.begin() as connection:  # turn it back into a schema-1 database
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name='annotations'").scalar()
        old = sql.replace("'rejected', 'resolved'", "'rejected'")
        assert old != sql
        connection.exec_driver_sql("DROP INDEX ix_annotations_segment")
        connection.exec_driver_sql("DROP INDEX ix_annotations_document")
        connection.exec_driver_sql("ALTER TABLE annotations RENAME TO old_annotations")
        connection.exec_driver_sql(old)
        connection.exec_driver_sql("INSERT INTO annotations SELECT * FROM old_annotations")
        connection.exec_driver_sql("DROP TABLE old_annotations")
        connection.exec_driver_sql("UPDATE meta SET value='1' WHERE key='schema_version'")
    corpus.close()
    migrated = Corpus.open(tmp_path / "c")
    with migrated.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT value FROM meta WHERE key='schema_version'").scalar() == str(SCHEMA_VERSION)
        indexes = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='annotations'")}
    assert {"ix_annotations_segment", "ix_annotations_document"} <= indexes
    assert migrated.annotations().equals(before)
    migrated.update_annotation(before.id[0], {"status": "resolved"})
    assert migrated.annotations(include_resolved=True).set_index("id").loc[before.id[0], "status"] == "resolved"
