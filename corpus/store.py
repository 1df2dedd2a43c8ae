"""The Corpus: a directory holding a database (SQLite by default) and, later, its releases.

Reads return pandas DataFrames; every write runs in one transaction and lands in the change journal.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sqlalchemy import Engine, and_, func, select

from corpus import schema
from corpus.atomic import atomic_write
from corpus.clock import current_actor, new_id, utc_now
from corpus.database import create_schema, make_engine, migrate, write_transaction
from corpus.errors import CorpusError, DuplicateRow, InputError, NotFoundError
from corpus.transaction import Transaction

if TYPE_CHECKING:  # pandas, the importers and the segmenter load where they are used (fast start-up)
    import pandas as pd

    from corpus.ingest import Ingest
    from corpus.segment import SegmenterConfig

CONFIG_FILE = "corpus.json"
DATABASE_FILE = "calque.sqlite"
SYNC_ATTEMPTS = 3  # a check run that meets findings a concurrent run stored first reads them and tries again


def _progress(total: int | None, label: str, enabled: bool | None):
    """A tqdm bar, or (off: not a TTY) nothing, for importers that update it when they get one."""
    enabled = sys.stderr.isatty() if enabled is None else enabled
    if not enabled:
        return contextlib.nullcontext()
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="rec", leave=False)


class Corpus:
    """A Calque corpus. `Corpus.init(dir)` creates one, `Corpus.open(dir)` opens it."""

    def __init__(self, path: Path, engine: Engine, actor: str | None = None):
        self.path = path
        self.engine = engine
        self.actor = actor or current_actor()

    # -- lifecycle -------------------------------------------------------------------------------
    @staticmethod
    def _database_url(path: Path, config: dict) -> str:
        url = os.environ.get("CALQUE_DATABASE_URL") or config.get("database")
        return url or f"sqlite:///{path / DATABASE_FILE}"

    @classmethod
    def init(cls, path: str | os.PathLike, database_url: str | None = None, actor: str | None = None) -> "Corpus":
        """Create a corpus directory; `database_url` points it at PostgreSQL or another server instead of SQLite."""
        directory = Path(path)
        if (directory / CONFIG_FILE).exists():
            raise CorpusError(f"{directory}: already a Calque corpus")
        directory.mkdir(parents=True, exist_ok=True)
        config = {"format": "calque-corpus", "created_at": utc_now()}
        if database_url:
            config["database"] = database_url
        engine = make_engine(cls._database_url(directory, config))
        create_schema(engine)
        with atomic_write(directory / CONFIG_FILE) as stream:
            json.dump(config, stream, indent=2)
        return cls(directory, engine, actor)

    @classmethod
    def open(cls, path: str | os.PathLike, actor: str | None = None) -> "Corpus":
        directory = Path(path)
        config_path = directory / CONFIG_FILE
        if not config_path.is_file():
            raise CorpusError(f"{directory}: not a Calque corpus (run `calque init {directory}`)")
        try:
            config = json.loads(config_path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise CorpusError(f"{config_path}: unreadable corpus config ({error})") from None
        engine = make_engine(cls._database_url(directory, config))
        migrate(engine)
        return cls(directory, engine, actor)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, label: str, actor: str | None = None) -> Iterator[Transaction]:
        """One unit of change: all of it is committed, or none of it."""
        with write_transaction(self.engine) as connection:
            yield Transaction(connection, actor or self.actor, label)

    # -- reads -----------------------------------------------------------------------------------
    def _frame(self, query) -> pd.DataFrame:
        import pandas as pd

        with self.engine.connect() as connection:
            result = connection.execute(query)
            frame = pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
        # pandas 3 infers a string dtype whose missing value is NaN; a NULL text stays None here.
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.StringDtype):
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def documents(self) -> pd.DataFrame:
        d = schema.documents
        return self._frame(select(d).order_by(d.c.id))

    def document(self, document_id: str) -> dict:
        with self.engine.connect() as connection:
            row = connection.execute(select(schema.documents).where(schema.documents.c.id == document_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id!r}")
        return dict(row)

    def translations(self, document_id: str | None = None) -> pd.DataFrame:
        t = schema.translations
        query = select(t).order_by(t.c.document_id, t.c.id)
        if document_id is not None:
            query = query.where(t.c.document_id == document_id)
        return self._frame(query)

    def translation(self, translation_id: str) -> dict:
        with self.engine.connect() as connection:
            row = connection.execute(select(schema.translations).where(schema.translations.c.id == translation_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no translation with id {translation_id!r}")
        return dict(row)

    def segments(self, document_id: str | None = None, translation_id: str | None = None, side: str | None = None) -> pd.DataFrame:
        s = schema.segments
        query = select(s).order_by(s.c.document_id, s.c.side, s.c.translation_id, s.c.idx)
        if document_id is not None:
            query = query.where(s.c.document_id == document_id)
        if translation_id is not None:
            query = query.where(s.c.translation_id == translation_id)
        if side is not None:
            query = query.where(s.c.side == side)
        return self._frame(query)

    def alignments(self, translation_id: str | None = None, document_id: str | None = None) -> pd.DataFrame:
        a = schema.alignments
        query = select(a).order_by(a.c.translation_id, a.c.id)
        if translation_id is not None:
            query = query.where(a.c.translation_id == translation_id)
        if document_id is not None:
            query = query.where(a.c.document_id == document_id)
        frame = self._frame(query)
        if not frame.empty:
            frame = frame.assign(_first=[(min(s) if s else -1, min(t) if t else -1) for s, t in zip(frame.source_idx, frame.target_idx)])
            frame = frame.sort_values(["translation_id", "_first"]).drop(columns="_first").reset_index(drop=True)
        return frame

    def annotations(self, document_id: str | None = None, translation_id: str | None = None, include_stale: bool = True,
                    include_resolved: bool = False) -> pd.DataFrame:
        """Annotations with their segment's index and a `stale` flag (the segment text changed since).

        Resolved findings (automatic findings that no longer fire) are history, left out unless asked for."""
        a, s = schema.annotations, schema.segments
        query = (
            select(a, s.c.idx.label("segment_idx"), (a.c.segment_hash != s.c.text_hash).label("stale"))
            .join(s, s.c.id == a.c.segment_id)
            .order_by(a.c.document_id, a.c.translation_id.nulls_first(), s.c.idx, a.c.start, a.c.id)
        )
        if not include_resolved:
            query = query.where(a.c.status != "resolved")
        if document_id is not None:
            query = query.where(a.c.document_id == document_id)
        if translation_id is not None:
            query = query.where(a.c.translation_id == translation_id)
        frame = self._frame(query)
        if not include_stale and not frame.empty:
            frame = frame[~frame.stale.astype(bool)].reset_index(drop=True)
        return frame

    def glossary(self) -> pd.DataFrame:
        return self._frame(select(schema.glossary).order_by(schema.glossary.c.id))

    def artifacts(self) -> pd.DataFrame:
        return self._frame(select(schema.artifacts).order_by(schema.artifacts.c.id))

    def results(self, kind: str | None = None) -> pd.DataFrame:
        r = schema.results
        query = select(r).order_by(r.c.created_at)
        if kind is not None:
            query = query.where(r.c.kind == kind)
        return self._frame(query)

    def journal(self, limit: int | None = None, entity: str | None = None) -> pd.DataFrame:
        j = schema.journal
        query = select(j).order_by(j.c.seq.desc())
        if entity is not None:
            query = query.where(j.c.entity == entity)
        if limit is not None:
            query = query.limit(limit)
        return self._frame(query)

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as connection:
            def count(table, *conditions) -> int:
                return connection.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one()

            t, a, d = schema.translations, schema.annotations, schema.documents
            by_producer = dict(connection.execute(select(t.c.producer, func.count()).group_by(t.c.producer)).all())
            languages = sorted({*connection.execute(select(d.c.lang).distinct()).scalars(), *connection.execute(select(t.c.lang).distinct()).scalars()})
            return {
                "documents": count(d),
                "documents_without_source": count(d, d.c.source_text.is_(None)),
                "translations": count(t),
                "translations_by_producer": by_producer,
                "segments": count(schema.segments),
                "alignments": count(schema.alignments),
                "annotations": count(a, a.c.status != "resolved"),
                "annotations_human": count(a, a.c.origin == "human"),
                "annotations_auto": count(a, a.c.origin.like("auto:%"), a.c.status != "resolved"),
                "annotations_resolved": count(a, a.c.status == "resolved"),
                "glossary_concepts": count(schema.glossary),
                "artifacts": count(schema.artifacts),
                "results": count(schema.results),
                "journal_entries": count(schema.journal),
                "languages": languages,
            }

    # -- imports ---------------------------------------------------------------------------------
    def _import(self, label: str, path: str, work, segmenter: SegmenterConfig | None = None) -> dict:
        from corpus.ingest import Ingest

        with self.transaction(label) as tx:
            ingest = Ingest(tx, path, segmenter)
            created = work(ingest)
        result = {"batch": tx.batch, "created": created, "rows": tx.counts}
        if ingest.already_present:
            result["already_present"] = ingest.already_present
        return result

    def import_jsonl(self, path: str, progress: bool | None = None, segmenter: SegmenterConfig | None = None) -> dict:
        """Import a Calque JSONL file as one transaction (see corpus.formats.jsonl for the schema)."""
        from corpus.formats.jsonl import import_jsonl

        def work(ingest: Ingest):
            with _progress(None, f"import {Path(path).name}", progress) as bar:
                return import_jsonl(ingest, str(path), bar, stored=lambda: (_clean(r) for r in self.iter_export_records()))

        return self._import(f"import jsonl {path}", str(path), work, segmenter)

    def import_text(self, path: str, lang: str, segmenter: SegmenterConfig | None = None, **options) -> dict:
        from corpus.formats.text import import_text

        return self._import(f"import text {path}", str(path), lambda ingest: import_text(ingest, str(path), lang, **options), segmenter)

    def import_parallel(self, source_path: str, target_path: str, src_lang: str, tgt_lang: str, progress: bool | None = None, **options) -> dict:
        from corpus.formats.parallel import import_parallel

        def work(ingest: Ingest):
            ingest.language(src_lang, "--src-lang", None)
            ingest.language(tgt_lang, "--tgt-lang", None)
            with _progress(None, f"import {Path(source_path).name}", progress) as bar:
                return import_parallel(ingest, str(source_path), str(target_path), src_lang, tgt_lang, progress=bar, **options)

        return self._import(f"import parallel {source_path} {target_path}", str(target_path), work)

    def import_records(self, records: Iterable[dict], label: str = "records") -> dict:
        """Import in-memory records of the JSONL schema (for notebooks and other importers)."""
        def work(ingest: Ingest):
            handlers = {"document": ingest.document, "annotation": ingest.annotation, "alignment": ingest.alignment,
                        "concept": ingest.concept, "artifact": ingest.artifact, "result": ingest.result}
            return [handlers[r.get("type", "document")](r, n) for n, r in enumerate(records, start=1)]

        return self._import(label, label, work)

    # -- annotations -----------------------------------------------------------------------------
    def add_annotations(self, records: list[dict], actor: str | None = None) -> list[str]:
        """Add annotations (JSONL annotation fields) in one transaction; returns their ids."""
        from corpus.ingest import Ingest

        with self.transaction("add annotations", actor) as tx:
            ingest = Ingest(tx, "annotation")
            return [ingest.annotation(record, None) for record in records]

    def update_annotation(self, annotation_id: str, changes: dict, expected_version: int | None = None, actor: str | None = None) -> dict:
        from corpus.ingest import normalize_severity

        allowed = {"category", "severity", "artifact_type", "comment", "correction", "status"}
        unknown = set(changes) - allowed
        if unknown:
            raise InputError(f"cannot change annotation field(s) {', '.join(sorted(unknown))}")
        from corpus.validation import AnnotationUpdate, parse

        parse(AnnotationUpdate, changes)
        if "severity" in changes:
            try:
                changes = {**changes, "severity": normalize_severity(changes["severity"])}
            except ValueError as problem:
                raise InputError(str(problem)) from None
        if changes.get("status", "open") not in schema.ANNOTATION_STATUSES:
            raise InputError(f"unknown annotation status {changes['status']!r}")
        with self.transaction(f"update annotation {annotation_id}", actor) as tx:
            return tx.update("annotations", annotation_id, {**changes, "updated_at": utc_now()}, expected_version)

    def delete_annotation(self, annotation_id: str, expected_version: int | None = None, actor: str | None = None) -> dict:
        with self.transaction(f"delete annotation {annotation_id}", actor) as tx:
            return tx.delete("annotations", annotation_id, expected_version)

    def sync_auto_annotations(self, origins: Iterable[str], records: list[dict], translation_ids: Iterable[str], actor: str | None = None) -> dict:
        """Bring the automatic findings of these origins on these translations in line with a new run.

        A finding equal to a stored one (same origin, segment, span and segment text hash) is not added
        again, and the stored one keeps its status (a resolved one is reopened); new findings are added
        open; open findings that no longer fire become 'resolved' (kept, not deleted); confirmed and
        rejected ones are reviewers' decisions and stay as they are. A unique key on that identity stands
        behind the comparison: when a run that started at the same time stored a finding first, this run
        starts again from what is stored then."""
        origins, translation_ids = list(origins), list(translation_ids)
        for attempt in range(SYNC_ATTEMPTS):
            try:
                return self._sync_auto_annotations(origins, records, translation_ids, actor)
            except DuplicateRow:
                if attempt == SYNC_ATTEMPTS - 1:
                    raise

    def _sync_auto_annotations(self, origins: list[str], records: list[dict], translation_ids: list[str], actor: str | None) -> dict:
        from corpus.ingest import Ingest

        a, s = schema.annotations, schema.segments
        counts = {"added": 0, "unchanged": 0, "reopened": 0, "resolved": 0, "reviewed_not_firing": 0}
        with self.transaction("check findings", actor) as tx:
            stored: dict[tuple, dict] = {}
            hashes: dict[str, str] = {}
            if origins and translation_ids:
                rows = tx.connection.execute(select(a).where(a.c.origin.in_(origins), a.c.translation_id.in_(translation_ids))).mappings()
                stored = {(r["origin"], r["segment_id"], r["start"], r["end"], r["segment_hash"]): dict(r) for r in rows}
                hashes = dict(tx.connection.execute(select(s.c.id, s.c.text_hash).where(s.c.translation_id.in_(translation_ids))).all())
            ingest = Ingest(tx, "auto annotations")
            ids, seen = [], set()
            for record in records:
                segment_id = f"{record['translation']}:{record['segment']}"
                key = (record["origin"], segment_id, record["start"], record["end"], hashes.get(segment_id))
                if key in seen:
                    continue
                seen.add(key)
                existing = stored.get(key)
                if existing is None:
                    ids.append(ingest.annotation(record, None))
                    counts["added"] += 1
                    continue
                ids.append(existing["id"])
                changes = {f: record.get(f) for f in ("category", "severity", "comment") if existing["status"] == "open" and existing[f] != record.get(f)}
                if existing["status"] == "resolved":
                    changes["status"] = "open"
                    counts["reopened"] += 1
                else:
                    counts["unchanged"] += 1
                if changes:
                    tx.update("annotations", existing["id"], {**changes, "updated_at": utc_now()})
            for key, existing in stored.items():
                if key in seen:
                    continue
                if existing["status"] == "open":
                    tx.update("annotations", existing["id"], {"status": "resolved", "updated_at": utc_now()})
                    counts["resolved"] += 1
                elif existing["status"] in ("confirmed", "rejected"):
                    counts["reviewed_not_firing"] += 1
        return {**counts, "ids": ids}

    # -- alignments ------------------------------------------------------------------------------
    def set_alignments(self, translation_id: str, links: list[dict], method: str, actor: str | None = None) -> dict:
        """Store automatic links ({"source": [idx], "target": [idx], "score"}) for a translation.

        Earlier automatic links are replaced; confirmed links stay, and new links that touch a segment
        of a confirmed link are dropped."""
        from corpus.ingest import alignment_id

        translation = self.translation(translation_id)
        a = schema.alignments
        with self.transaction(f"align {translation_id}", actor) as tx:
            confirmed = [dict(r) for r in tx.connection.execute(select(a).where(a.c.translation_id == translation_id, a.c.status == "confirmed")).mappings()]
            taken_source = {i for link in confirmed for i in link["source_idx"]}
            taken_target = {i for link in confirmed for i in link["target_idx"]}
            removed = tx.delete_where("alignments", and_(a.c.translation_id == translation_id, a.c.status == "auto"), translation_id)
            rows = []
            for link in links:
                source, target = list(link.get("source", [])), list(link.get("target", []))
                if taken_source.intersection(source) or taken_target.intersection(target):
                    continue
                rows.append({
                    "id": alignment_id(translation_id, source, target),
                    "document_id": translation["document_id"],
                    "translation_id": translation_id,
                    "source_idx": source,
                    "target_idx": target,
                    "method": method,
                    "score": None if link.get("score") is None else float(link["score"]),
                    "status": "auto",
                    "actor": tx.actor,
                    "created_at": tx.at,
                })
            tx.insert_bulk("alignments", rows, translation_id, {"method": method})
        return {"stored": len(rows), "removed": removed, "kept_confirmed": len(confirmed)}

    def confirm_alignments(self, document_ids: Iterable[str] | None = None, translation_id: str | None = None,
                           min_score: float | None = None, actor: str | None = None) -> dict:
        """Confirm automatic links in bulk: of these documents (all when None), optionally one translation
        and only links scored at least min_score. One journal entry per translation."""
        a = schema.alignments
        condition = a.c.status == "auto"
        if document_ids is not None:
            document_ids = list(document_ids)
            for document_id in document_ids:
                self.document(document_id)  # NotFoundError for an unknown document
            condition = and_(condition, a.c.document_id.in_(document_ids))
        if translation_id is not None:
            self.translation(translation_id)
            condition = and_(condition, a.c.translation_id == translation_id)
        if min_score is not None:
            condition = and_(condition, a.c.score >= float(min_score))
        confirmed: dict[str, int] = {}
        with self.transaction("confirm alignments", actor) as tx:
            counts = tx.connection.execute(select(a.c.translation_id, func.count()).where(condition).group_by(a.c.translation_id)).all()
            for translation, count in counts:
                tx.connection.execute(a.update().where(and_(condition, a.c.translation_id == translation)).values(status="confirmed", actor=tx.actor))
                tx.record("update", "alignments", translation, {"status": "auto", "rows": count},
                          {"status": "confirmed", "rows": count, "min_score": min_score})
                confirmed[translation] = int(count)
        below = 0
        if min_score is not None:
            with self.engine.connect() as connection:
                rest = and_(a.c.status == "auto", *([a.c.document_id.in_(document_ids)] if document_ids is not None else []),
                            *([a.c.translation_id == translation_id] if translation_id is not None else []))
                below = int(connection.execute(select(func.count()).select_from(a).where(rest)).scalar_one())
        return {"confirmed": sum(confirmed.values()), "by_translation": confirmed, "left_auto": below}

    def confirm_alignment(self, translation_id: str, source: list[int], target: list[int], actor: str | None = None) -> str:
        """Set a link by hand: it is confirmed, replaces links touching its segments, and survives re-alignment."""
        from corpus.ingest import Ingest

        self.translation(translation_id)  # NotFoundError for an unknown translation
        a = schema.alignments
        with self.transaction(f"confirm alignment {translation_id}", actor) as tx:
            ingest = Ingest(tx, "alignment")
            existing = [dict(r) for r in tx.connection.execute(select(a).where(a.c.translation_id == translation_id)).mappings()]
            overlapping = [l for l in existing if set(l["source_idx"]) & set(source) or set(l["target_idx"]) & set(target)]
            tx.delete_rows("alignments", overlapping)
            return ingest.alignment({"translation": translation_id, "source": list(source), "target": list(target),
                                     "method": "manual", "status": "confirmed", "score": None}, None)

    # -- segmentation ----------------------------------------------------------------------------
    def resegment(self, text_id: str, config: SegmenterConfig | None = None, actor: str | None = None) -> dict:
        """Cut a source (document id) or translation (translation id) into sentences again; annotations
        are re-anchored by offsets or flagged stale, never lost."""
        from corpus.resegment import resegment_text

        with self.engine.connect() as connection:
            translation = connection.execute(select(schema.translations).where(schema.translations.c.id == text_id)).mappings().first()
        if translation is not None:
            document_id, text, lang = translation["document_id"], translation["text"], translation["lang"]
        else:
            document = self.document(text_id)
            if document["source_text"] is None:
                raise InputError(f"document {text_id!r} has no source text to segment")
            document_id, text, lang = text_id, document["source_text"], document["lang"]
        with self.transaction(f"resegment {text_id}", actor) as tx:
            return resegment_text(tx, document_id, translation["id"] if translation else None, text, lang, config)

    # -- results ---------------------------------------------------------------------------------
    def add_result(self, kind: str, data_hash: str, signature: str, payload: dict, tool_version: str | None = None) -> str:
        from corpus.version import calque_version

        with self.transaction(f"result {kind}") as tx:
            result_id = new_id("result")
            tx.insert("results", [{"id": result_id, "kind": kind, "created_at": tx.at, "data_hash": data_hash,
                                   "signature": signature, "tool_version": tool_version or calque_version(), "payload": payload}])
        return result_id

    # -- export ----------------------------------------------------------------------------------
    def iter_export_records(self) -> Iterator[dict]:
        """Every stored row as JSONL records of the import schema, so export → import is lossless."""
        segments = self.segments()
        layout: dict[str, list[dict]] = {}
        for text_id, group in segments.assign(text_id=segments.translation_id.fillna(segments.document_id)).groupby("text_id", sort=False):
            layout[text_id] = [{"paragraph": int(r.paragraph), "start": int(r.start), "end": int(r.end)} for r in group.sort_values("idx").itertuples()]
        translations = self.translations()
        for document in map(_clean, self.documents().to_dict("records")):
            record = {"type": "document", **{k: v for k, v in document.items() if k != "source_text"}}
            record["source"] = None if document["source_text"] is None else {"text": document["source_text"], "segments": layout.get(document["id"], [])}
            record["translations"] = [
                {**t, "segments": layout.get(t["id"], [])}
                for t in translations[translations.document_id == document["id"]].drop(columns="document_id").to_dict("records")
            ]
            yield record
        for link in self.alignments().to_dict("records"):
            yield {"type": "alignment", "id": link["id"], "translation": link["translation_id"], "source": link["source_idx"],
                   "target": link["target_idx"], **{k: link[k] for k in ("method", "score", "status", "actor", "created_at")}}
        for note in self.annotations(include_resolved=True).to_dict("records"):
            record = {"type": "annotation", "document": note["document_id"], "translation": note["translation_id"], "side": note["side"], "segment": int(note["segment_idx"])}
            record.update({k: note[k] for k in ("id", "start", "end", "text", "segment_hash", "category", "severity", "artifact_type",
                                                "annotator", "origin", "status", "comment", "correction", "created_at", "updated_at", "version")})
            yield record
        for concept in self.glossary().to_dict("records"):
            yield {"type": "concept", **concept}
        for artifact in self.artifacts().to_dict("records"):
            yield {"type": "artifact", **artifact}
        for result in self.results().to_dict("records"):
            yield {"type": "result", **result}

    def export_jsonl(self, path: str | os.PathLike) -> int:
        from corpus.formats.jsonl import write_jsonl

        records = (_clean(r) for r in self.iter_export_records())
        with atomic_write(path) as stream:
            return write_jsonl(stream, records)

    def export_tsv(self, directory: str | os.PathLike) -> list[str]:
        """One TSV per table (documents, translations, segments, alignments, annotations), each written atomically."""
        directory = Path(directory)
        written = []
        tables = {
            "documents": self.documents(),
            "translations": self.translations(),
            "segments": self.segments(),
            "alignments": self.alignments(),
            "annotations": self.annotations(include_resolved=True),
        }
        for name, frame in tables.items():
            for column in frame.columns:
                if frame[column].map(lambda v: isinstance(v, (list, dict))).any():
                    frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
            target = directory / f"{name}.tsv"
            with atomic_write(target) as stream:
                frame.to_csv(stream, sep="\t", index=False, lineterminator="\n", escapechar="\\")
            written.append(str(target))
        return written


def _clean(value: Any) -> Any:
    """NaN from pandas back to None, numpy scalars to Python, recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
