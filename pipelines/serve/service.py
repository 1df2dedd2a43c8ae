"""What the annotation UI can do, as a Python API: the server is a thin HTTP shell over this class.

Writes go through one lock: SQLite takes one writer at a time anyway, and waiting on a Python lock is
cheaper and fairer than many connections spinning on the database's busy timeout. New annotations, the
bulk of the traffic, go through one writer thread that commits whatever has queued up in one transaction.
"""
from __future__ import annotations

import asyncio
import queue
import threading
import time
from concurrent.futures import Future
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from corpus import Corpus, schema
from corpus.errors import CalqueError, InputError, NotFoundError
from corpus.ingest import Ingest
from corpus.validation import AnnotationChange, AnnotationCreate, parse, parse_version
from corpus.typology import NO_ERROR, Typology, corpus_typology
from pipelines.views.document import document_view

SEVERITIES = ("Minor", "Major", "Critical", "Neutral")
EDITABLE = ("category", "severity", "comment", "correction")


class Forbidden(CalqueError):
    """An annotator acting on someone else's annotation."""


_SCALARS = frozenset({str, int, bool, type(None)})


def plain(value: Any) -> Any:
    """JSON-ready: NaN to None, numpy scalars to Python, recursively."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return plain(value.item())
    return value


def is_suggestion(row: dict) -> bool:
    return str(row.get("origin") or "").startswith("auto:")


class GroupCommit:
    """Saves go to one writer thread, which commits everything queued since its last commit in one
    transaction and hands each save its row or its error. A save is answered only after the commit that
    holds it, so an acknowledged annotation is never lost; under load many saves share one commit."""

    def __init__(self, corpus: Corpus, write_lock: threading.Lock):
        self.corpus = corpus
        self.write_lock = write_lock
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def enqueue(self, record: dict, annotator: str, loop: asyncio.AbstractEventLoop | None = None) -> Future | asyncio.Future:
        """Queue one validated record; the future resolves to its stored row once committed: a future of loop
        (answered with the others of its batch in one call into the loop), else a thread-safe Future."""
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="calque-writer", daemon=True)
                    self._thread.start()
        future = Future() if loop is None else loop.create_future()
        self.queue.put((record, annotator, future))
        return future

    def close(self) -> None:
        """Let the writer thread finish what is queued and stop."""
        if self._thread is not None:
            self.queue.put(None)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while True:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            with self.write_lock:
                try:
                    self._commit(batch)
                except Exception:  # every future of the batch already carries the failure
                    pass
            if stop:
                return

    def _commit(self, batch: list[tuple[dict, str, Future]]) -> None:
        """Write the batch in one transaction, and answer each save once it has committed. Should the database
        refuse the insert of the batch, nothing of it is kept and the batch is written again one save at a time,
        so one bad save cannot fail the others."""
        try:
            try:
                saved, refused = self._write(batch, one_by_one=False)
            except _BatchRefused:
                saved, refused = self._write(batch, one_by_one=True)
        except Exception as failure:
            _settle([(future, None, failure) for _, _, future in batch])
            raise
        columns = [c.name for c in schema.annotations.columns]
        _settle([(future, None, problem) for future, problem in refused]
                + [(future, plain({**{name: row[name] for name in columns}, "segment_idx": segment_idx, "stale": False}), None)
                   for future, row, segment_idx in saved])  # each row as committed, in the table's column order

    def _write(self, batch: list[tuple[dict, str, Future]], one_by_one: bool) -> tuple[list, list]:
        """One transaction: every save is checked (a refused one writes nothing), then the rows of the others are
        inserted with one statement and their journal entries (each naming its annotator) with another; or,
        one_by_one, each row in a savepoint of its own, which a row the database refuses rolls back alone."""
        saved: list[tuple[Future, dict, int]] = []
        refused: list[tuple[Future, Exception]] = []
        with self.corpus.transaction("add annotations", batch[0][1]) as tx:
            ingest = Ingest(tx, "annotation")
            checked: list[tuple[Future, dict, int, str]] = []
            for record, annotator, future in batch:
                try:
                    checked.append((future, ingest.annotation_row(record, None), record["segment"], annotator))
                except Exception as problem:  # noqa: BLE001 - handed to this save's own future
                    refused.append((future, problem))
            if not one_by_one:
                try:
                    tx.insert("annotations", [row for _, row, _, _ in checked], [annotator for *_, annotator in checked])
                except Exception as problem:  # noqa: BLE001 - the transaction is rolled back and the batch written again
                    raise _BatchRefused() from problem
                return [(future, row, segment_idx) for future, row, segment_idx, _ in checked], refused
            for future, row, segment_idx, annotator in checked:
                try:
                    with tx.connection.begin_nested():
                        tx.insert("annotations", [row], [annotator])
                    saved.append((future, row, segment_idx))
                except Exception as problem:  # noqa: BLE001 - handed to this save's own future
                    refused.append((future, problem))
        return saved, refused


def _settle(outcomes: list[tuple[Future | asyncio.Future, Any, Exception | None]]) -> None:
    """Give each future its result or its exception: thread-safe futures here, those of an event loop in one call
    into their loop (one wake-up for a whole batch, not one per save)."""
    by_loop: dict[asyncio.AbstractEventLoop, list] = {}
    for outcome in outcomes:
        future = outcome[0]
        if isinstance(future, asyncio.Future):
            by_loop.setdefault(future.get_loop(), []).append(outcome)
        else:
            _resolve(outcome)
    for loop, loop_outcomes in by_loop.items():
        try:
            loop.call_soon_threadsafe(_resolve_all, loop_outcomes)
        except RuntimeError:  # the loop has closed: nobody is waiting any more
            pass


def _resolve(outcome: tuple) -> None:
    future, result, problem = outcome
    if future.done():  # an asyncio future whose request was cancelled (the client went away)
        return
    if problem is None:
        future.set_result(result)
    else:
        future.set_exception(problem)


def _resolve_all(outcomes: list[tuple]) -> None:
    for outcome in outcomes:
        _resolve(outcome)


class _BatchRefused(Exception):
    """The database refused the insert of a batch's rows (which the transaction then rolls back)."""


class AnnotationService:
    def __init__(self, corpus: Corpus, typology_ttl: float = 10.0):
        self.corpus = corpus
        self.write_lock = threading.Lock()
        self.typology_ttl = typology_ttl
        self._typology: tuple[float, Typology] | None = None
        self._committer = GroupCommit(corpus, self.write_lock)

    def _current_typology(self) -> Typology:
        """The corpus's typology, re-read at most every `typology_ttl` seconds (saves a query per write)."""
        now = time.monotonic()
        if self._typology is None or now - self._typology[0] > self.typology_ttl:
            self._typology = (now, corpus_typology(self.corpus))
        return self._typology[1]

    def close(self) -> None:
        self._committer.close()

    # -- reads -----------------------------------------------------------------------------------
    def typology(self) -> dict:
        """The corpus's typology (`calque typology use NAME`), for the category picker."""
        chosen = self._current_typology()
        return {"name": chosen.name, "title": chosen.title, "categories": {k: list(v) for k, v in chosen.categories.items()}}

    def _check_category(self, category: Any) -> str:
        if not isinstance(category, str) or not category.strip():
            raise InputError("an annotation needs a category")
        if category == NO_ERROR:
            return category
        try:
            return self._current_typology().validate(category)
        except ValueError as problem:
            raise InputError(str(problem)) from None

    def documents(self, annotator: str | None = None) -> list[dict]:
        """Every document with, per translation, how many target segments carry a judgement."""
        d, t, s, a = schema.documents, schema.translations, schema.segments, schema.annotations
        counts_annotation = or_(a.c.status == "confirmed", and_(a.c.origin == "human", a.c.status != "rejected"))
        mine = and_(a.c.origin == "human", a.c.annotator == (annotator or ""))
        with self.corpus.engine.connect() as connection:
            documents = connection.execute(
                select(d.c.id, d.c.title, d.c.lang, d.c.publisher, d.c.domain, d.c.source_text.is_not(None).label("source_available")).order_by(d.c.id)
            ).mappings().all()
            translations = connection.execute(
                select(t.c.id, t.c.document_id, t.c.lang, t.c.producer, t.c.system).order_by(t.c.document_id, t.c.id)
            ).mappings().all()
            segments = dict(connection.execute(
                select(s.c.translation_id, func.count()).where(s.c.side == "target").group_by(s.c.translation_id)
            ).all())
            progress = {
                row.translation_id: row
                for row in connection.execute(
                    select(
                        a.c.translation_id,
                        func.count(func.distinct(case((counts_annotation, a.c.segment_id)))).label("annotated"),
                        func.count(func.distinct(case((mine, a.c.segment_id)))).label("annotated_by_me"),
                        func.count(case((and_(a.c.origin.like("auto:%"), a.c.status == "open"), a.c.id))).label("open_suggestions"),
                    ).where(a.c.side == "target").group_by(a.c.translation_id)
                )
            }
        by_document: dict[str, list[dict]] = {}
        for translation in translations:
            numbers = progress.get(translation["id"])
            by_document.setdefault(translation["document_id"], []).append({
                **{k: translation[k] for k in ("id", "lang", "producer", "system")},
                "segments": segments.get(translation["id"], 0),
                "annotated": numbers.annotated if numbers else 0,
                "annotated_by_me": numbers.annotated_by_me if numbers else 0,
                "open_suggestions": numbers.open_suggestions if numbers else 0,
            })
        return [{**dict(document), "source_available": bool(document["source_available"]), "translations": by_document.get(document["id"], [])}
                for document in documents]

    def document(self, document_id: str) -> dict:
        """document_view() (rows of aligned source/target segments with their annotations) as JSON data,
        plus the paragraph structure so the whole document reads as context."""
        return plain(document_view(self.corpus, document_id))

    def annotation(self, annotation_id: str) -> dict:
        a, s = schema.annotations, schema.segments
        query = (select(a, s.c.idx.label("segment_idx"), (a.c.segment_hash != s.c.text_hash).label("stale"))
                 .join(s, s.c.id == a.c.segment_id).where(a.c.id == annotation_id))
        with self.corpus.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no annotation with id {annotation_id!r}")
        return plain({**row, "stale": bool(row["stale"])})

    # -- writes ----------------------------------------------------------------------------------
    def _record(self, fields: Any, annotator: str) -> dict:
        """A create request checked and turned into an annotation record (Ingest checks the span)."""
        body = parse(AnnotationCreate, fields)
        record = {
            **body.model_dump(exclude_none=True),
            "category": self._check_category(body.category),
            "annotator": annotator,
            "origin": "human",
            "status": "confirmed",
        }
        if body.artifact_type is not None and body.artifact_type not in self._current_typology().artifact_types:
            raise InputError(f"field 'artifact_type': unknown artifact type {body.artifact_type!r}")
        for name in ("comment", "correction"):
            if not (record.get(name) or "").strip():
                record.pop(name, None)
        return record

    def create(self, fields: dict, annotator: str) -> dict:
        """A human annotation by `annotator` on one segment span (target side unless side='source'); its stored row."""
        return self._committer.enqueue(self._record(fields, annotator), annotator).result()

    async def create_async(self, fields: dict, annotator: str) -> dict:
        """create() for an event loop: waits for the writer thread without holding a worker thread."""
        return await self._committer.enqueue(self._record(fields, annotator), annotator, asyncio.get_running_loop())

    def _owned(self, annotation_id: str, annotator: str) -> dict:
        row = self.annotation(annotation_id)
        if is_suggestion(row):
            raise Forbidden(f"annotation {annotation_id!r} is an automatic suggestion: accept or reject it instead")
        if row["annotator"] != annotator:
            raise Forbidden(f"annotation {annotation_id!r} belongs to {row['annotator']!r}, not to you ({annotator!r})")
        return row

    def update(self, annotation_id: str, changes: dict, version: Any, annotator: str) -> dict:
        if not isinstance(changes, dict) or not changes:
            raise InputError("nothing to change")
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise InputError(f"cannot change annotation field(s) {', '.join(sorted(unknown))}")
        parse(AnnotationChange, {**changes, "version": parse_version(version)})
        if "category" in changes:
            changes = {**changes, "category": self._check_category(changes["category"])}
        expected = parse_version(version)
        self._owned(annotation_id, annotator)
        with self.write_lock:
            self.corpus.update_annotation(annotation_id, changes, expected_version=expected, actor=annotator)
        return self.annotation(annotation_id)

    def delete(self, annotation_id: str, version: Any, annotator: str) -> dict:
        expected = parse_version(version)
        self._owned(annotation_id, annotator)
        with self.write_lock:
            before = self.corpus.delete_annotation(annotation_id, expected_version=expected, actor=annotator)
        return plain({"deleted": annotation_id, "version": before["version"]})

    def review(self, annotation_id: str, decision: str, version: Any, annotator: str) -> dict:
        """Accept ('confirmed') or reject an automatic suggestion; the journal records who decided."""
        if decision not in ("confirmed", "rejected"):
            raise InputError(f"unknown decision {decision!r}")
        expected = parse_version(version)
        row = self.annotation(annotation_id)
        if not is_suggestion(row):
            raise InputError(f"annotation {annotation_id!r} is not an automatic suggestion")
        with self.write_lock:
            self.corpus.update_annotation(annotation_id, {"status": decision}, expected_version=expected, actor=annotator)
        return self.annotation(annotation_id)
