"""The same store code on PostgreSQL: import, read, journal, optimistic concurrency, export round trip.

Runs when CALQUE_TEST_POSTGRES_URL names a role that may create databases (`make test` sets it when
a local PostgreSQL server is running); skipped otherwise.
"""
from __future__ import annotations

import os

import pandas as pd
import pytest

from corpus import ConflictError, Corpus

SERVER_URL = os.environ.get("CALQUE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER_URL, reason="CALQUE_TEST_POSTGRES_URL is not set")


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


def test_store_works_the_same_on_postgresql(tmp_path, test_data, database_url):
    corpus = Corpus.init(tmp_path / "pg", database_url=database_url, actor="alice")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    corpus.import_parallel(str(test_data / "corpus" / "news.en"), str(test_data / "corpus" / "news.de"), "en", "de")
    reopened = Corpus.open(tmp_path / "pg")
    assert reopened.stats()["documents"] == 3
    assert list(reopened.alignments("news.de").source_idx) == [[0], [1], [2]]
    note = reopened.annotations(translation_id="bridge.de.mt").iloc[0]
    reopened.update_annotation(note.id, {"severity": "Major"}, expected_version=int(note.version))
    with pytest.raises(ConflictError):
        reopened.update_annotation(note.id, {"severity": "Minor"}, expected_version=int(note.version))
    exported = tmp_path / "pg.jsonl"
    reopened.export_jsonl(exported)
    sqlite = Corpus.init(tmp_path / "sqlite")
    sqlite.import_jsonl(str(exported))
    for table in ("documents", "translations", "segments", "alignments", "annotations", "glossary", "artifacts"):
        pd.testing.assert_frame_equal(getattr(reopened, table)(), getattr(sqlite, table)(), obj=table, check_dtype=False)
    reopened.close()
    corpus.close()


def test_failed_import_leaves_postgresql_unchanged(tmp_path, database_url):
    corpus = Corpus.init(tmp_path / "pg", database_url=database_url)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "document", "id": "a", "lang": "en", "source": {"text": "Hi."}}\n{"type": "document", "id": "a", "lang": "en", "source": {"text": "Hi."}}\n')
    with pytest.raises(Exception, match="duplicate document id"):
        corpus.import_jsonl(str(bad))
    assert corpus.stats()["documents"] == 0 and corpus.stats()["journal_entries"] == 0
    corpus.close()


def test_schema_1_database_is_migrated_on_postgresql(tmp_path, test_data, database_url):
    corpus = Corpus.init(tmp_path / "pg", database_url=database_url)
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"), progress=False)
    with corpus.engine.begin() as connection:  # back to schema 1: no 'resolved' status
        connection.exec_driver_sql("ALTER TABLE annotations DROP CONSTRAINT annotation_status")
        connection.exec_driver_sql("ALTER TABLE annotations ADD CONSTRAINT annotation_status CHECK (status IN ('open', 'confirmed', 'rejected'))")
        connection.exec_driver_sql("UPDATE meta SET value='1' WHERE key='schema_version'")
    corpus.close()
    migrated = Corpus.open(tmp_path / "pg")
    note = migrated.annotations().id[0]
    migrated.update_annotation(note, {"status": "resolved"})
    assert migrated.annotations(include_resolved=True).set_index("id").loc[note, "status"] == "resolved"
    migrated.close()


def test_moses_and_tmx_exports_re_import_into_the_same_postgresql_corpus_as_no_ops(tmp_path, test_data, database_url):
    from corpus.formats.moses import export_moses, import_moses_into
    from corpus.formats.tmx import export_tmx, import_tmx_into
    from tests.corpus.helpers import store_fingerprint

    corpus = Corpus.init(tmp_path / "pg", database_url=database_url, actor="alice")
    corpus.import_parallel(str(test_data / "corpus" / "news.en"), str(test_data / "corpus" / "news.de"), "en", "de")
    [written] = export_moses(corpus, tmp_path / "moses")
    export_tmx(corpus, tmp_path / "memory.tmx")
    before = store_fingerprint(corpus)
    assert import_moses_into(corpus, written)["already_present"] == 1
    assert import_tmx_into(corpus, tmp_path / "memory.tmx")["already_present"] == 1
    assert store_fingerprint(corpus) == before
    corpus.close()
