"""AnnotationService under concurrency: saves from many threads share commits, each keeps its own outcome."""
from __future__ import annotations

import threading

import pytest

from corpus import Corpus
from corpus.errors import InputError
from pipelines.demo import demo_corpus_file
from pipelines.serve.service import AnnotationService


def test_concurrent_saves_are_each_stored_once_and_refusals_stay_separate(corpus):
    service = AnnotationService(corpus)
    segment = corpus.segments(translation_id="retailer-fine.de.mt").set_index("idx").loc[0]
    word = segment.text.split()[0]
    outcomes: dict[str, object] = {}
    start = threading.Barrier(8)

    def annotate(n: int) -> None:
        start.wait()
        for i in range(12):
            marker = f"t{n}-{i}"
            quoted = word if i % 3 else word + "x"  # every third save quotes the wrong text and must be refused
            try:
                row = service.create({"translation": "retailer-fine.de.mt", "segment": 0, "start": 0, "end": len(word), "text": quoted,
                                      "category": "Accuracy/Mistranslation", "severity": "Minor", "comment": marker}, f"annotator-{n}")
                outcomes[marker] = row
            except InputError as refused:
                outcomes[marker] = refused

    threads = [threading.Thread(target=annotate, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    service.close()

    accepted = {m: r for m, r in outcomes.items() if isinstance(r, dict)}
    refused = {m for m, r in outcomes.items() if isinstance(r, InputError)}
    assert len(outcomes) == 96 and len(accepted) == 64 and len(refused) == 32
    assert all(int(m.split("-")[1]) % 3 == 0 for m in refused)
    assert all(row["comment"] == m and row["annotator"] == f"annotator-{m[1:].split('-')[0]}" for m, row in accepted.items())

    stored = corpus.annotations(translation_id="retailer-fine.de.mt")
    mine = stored[stored.comment.fillna("").str.startswith("t")]
    assert sorted(mine.comment) == sorted(accepted) and mine.id.is_unique
    journal = corpus.journal(entity="annotations").set_index("entity_id")
    assert all(journal.loc[row["id"], "actor"] == row["annotator"] for row in accepted.values())


def _concurrent_saves(service, corpus, poison):
    """16 threads save at once; every fourth save carries `poison` in its comment."""
    segment = corpus.segments(translation_id="retailer-fine.de.mt").set_index("idx").loc[0]
    word = segment.text.split()[0]
    outcomes: dict[str, object] = {}
    start = threading.Barrier(16)

    def annotate(n: int) -> None:
        start.wait()
        for i in range(8):
            marker = f"p{n}-{i}"
            record = {"translation": "retailer-fine.de.mt", "segment": 0, "start": 0, "end": len(word), "text": word,
                      "category": "Accuracy/Mistranslation", "severity": "Minor", "comment": marker + (poison if i % 4 == 0 else "")}
            try:
                outcomes[marker] = service(record, f"annotator-{n}")
            except Exception as refused:  # noqa: BLE001 - the test sorts outcomes by kind below
                outcomes[marker] = refused

    threads = [threading.Thread(target=annotate, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_poisoned_save_fails_alone_and_is_refused_as_bad_input(corpus):
    """A lone surrogate in a comment is refused before it is queued; every valid save batched alongside it is stored."""
    service = AnnotationService(corpus)
    outcomes = _concurrent_saves(service.create, corpus, "\ud800")
    service.close()
    accepted = {m for m, r in outcomes.items() if isinstance(r, dict)}
    refused = {m: r for m, r in outcomes.items() if not isinstance(r, dict)}
    assert len(accepted) == 96 and len(refused) == 32
    assert all(isinstance(r, InputError) and "comment" in str(r) for r in refused.values())
    stored = corpus.annotations(translation_id="retailer-fine.de.mt")
    assert sorted(stored[stored.comment.fillna("").str.startswith("p")].comment) == sorted(accepted)


def test_group_commit_isolates_a_save_that_fails_inside_the_database(corpus):
    """Below validation: a record the database itself cannot store fails on its own savepoint, not the batch."""
    service = AnnotationService(corpus)
    committer = service._committer
    outcomes = _concurrent_saves(lambda record, who: committer.enqueue({**record, "origin": "human", "status": "confirmed",
                                                                         "annotator": who}, who).result(), corpus, "\ud800")
    service.close()
    accepted = {m for m, r in outcomes.items() if isinstance(r, dict)}
    assert len(accepted) == 96 and len(outcomes) == 128
    stored = corpus.annotations(translation_id="retailer-fine.de.mt")
    assert sorted(stored[stored.comment.fillna("").str.startswith("p")].comment) == sorted(accepted)


REFUSE_POISON = {
    "sqlite": ["CREATE TRIGGER refuse_poison BEFORE INSERT ON annotations WHEN instr(NEW.comment, 'poison') > 0 "
               "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"],
    "postgresql": ["CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN IF strpos(NEW.comment, 'poison') > 0 THEN "
                   "RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER refuse_poison BEFORE INSERT ON annotations FOR EACH ROW EXECUTE FUNCTION refuse_poison()"],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_corpus(request, tmp_path):
    """The demo corpus on SQLite and (when CALQUE_TEST_POSTGRES_URL is set) on PostgreSQL."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    corpus = Corpus.init(tmp_path / "corpus", database_url=url, actor="test")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    yield corpus
    corpus.close()


def test_a_save_the_database_refuses_fails_alone_and_the_others_are_answered_with_their_stored_rows(backend_corpus):
    """Valid saves whose rows a trigger refuses inside the database: the batch's insert fails there, and each
    save is then tried on its own, so only the refused ones fail."""
    corpus = backend_corpus
    with corpus.engine.begin() as connection:
        for statement in REFUSE_POISON[corpus.engine.dialect.name]:
            connection.exec_driver_sql(statement)
    service = AnnotationService(corpus)
    outcomes = _concurrent_saves(service.create, corpus, " poison")
    accepted = {m: r for m, r in outcomes.items() if isinstance(r, dict)}
    refused = {m: r for m, r in outcomes.items() if not isinstance(r, dict)}
    assert len(accepted) == 96 and len(refused) == 32
    assert all("poisoned row" in str(r) for r in refused.values())
    assert all(row == service.annotation(row["id"]) for row in accepted.values())  # the answer is the committed row
    service.close()
    stored = corpus.annotations(translation_id="retailer-fine.de.mt")
    assert sorted(stored[stored.comment.fillna("").str.startswith("p")].comment) == sorted(accepted)
    journal = corpus.journal(entity="annotations").set_index("entity_id")
    assert all(journal.loc[row["id"], "actor"] == row["annotator"] for row in accepted.values())
