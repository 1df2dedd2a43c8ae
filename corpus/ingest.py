"""Turning parsed records into validated rows inside one Transaction.

Every importer (JSONL, plain text, parallel files, later MQM/XLIFF) hands its records to an Ingest,
which checks them, segments texts, resolves annotation spans and raises InputError naming the file
and line of the first bad record. Nothing is committed unless the whole import succeeds.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import bindparam, select

from corpus import schema
from corpus.clock import new_id, text_hash, utc_now
from corpus.errors import InputError
from corpus.languages import normalize_language
from corpus.segment import Segment, SegmenterConfig, segment_text
from corpus.transaction import Transaction
from corpus.typology import Typology, typology_of_connection

PRODUCERS = ("mt", "human", "post-edit")
SEVERITIES = ("Neutral", "Minor", "Major", "Critical")
ALIGNMENT_STATUSES = ("auto", "confirmed")
ANNOTATION_STATUSES = schema.ANNOTATION_STATUSES
TEXT_TABLES = {"documents": "translations", "translations": "documents"}  # their ids share the segment-id namespace
# What str.splitlines() breaks on: line-per-segment formats (Moses) write these as spaces, so stored texts are
# compared with such files after the same flattening.
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e]")


def one_line(text: str) -> str:
    return LINE_BREAKS.sub(" ", text)


def alignment_id(translation_id: str, source: list[int], target: list[int]) -> str:
    def side(indexes: list[int]) -> str:
        return ",".join(map(str, indexes)) or "-"

    return f"{translation_id}|{side(source)}|{side(target)}"


def segment_rows(document_id: str, translation_id: str | None, segments: Iterable[Segment]) -> list[dict]:
    """Rows of the segments table for one text (the source when translation_id is None)."""
    text_id = translation_id or document_id
    side = "target" if translation_id else "source"
    return [
        {"id": f"{text_id}:{s.idx}", "document_id": document_id, "translation_id": translation_id, "side": side,
         "idx": s.idx, "paragraph": s.paragraph, "start": s.start, "end": s.end, "text": s.text, "text_hash": text_hash(s.text)}
        for s in segments
    ]


@cache
def _reads() -> dict:
    """The reads an annotation makes, built once: SQLAlchemy then finds their compiled form without working out
    a cache key for a new statement each time (they run once per group commit of the annotation server)."""
    d, t, s = schema.documents, schema.translations, schema.segments
    text_id = bindparam("text_id")
    return {
        "translation": select(t.c.document_id, t.c.text).where(t.c.id == text_id),
        "source": select(d.c.source_text).where(d.c.id == text_id),
        "target_segments": select(s).where(s.c.translation_id == text_id).order_by(s.c.idx),
        "source_segments": select(s).where((s.c.document_id == text_id) & (s.c.side == "source")).order_by(s.c.idx),
    }


def normalize_severity(value: Any) -> str:
    text = str(value or "").strip()
    for severity in SEVERITIES:
        if text.lower() == severity.lower():
            return severity
    raise ValueError(f"unknown severity {value!r} (expected one of {', '.join(SEVERITIES)})")


class Ingest:
    def __init__(self, tx: Transaction, path: str, segmenter: SegmenterConfig | None = None):
        self.tx = tx
        self.path = path
        self.provenance = f"imported from {Path(path).name}"  # the file name only: no local path in releases
        self.segmenter = segmenter
        self._segments: dict[str, list[dict]] = {}
        self._texts: dict[str, dict] = {}
        self._seen: dict[str, set[str]] = {}
        self._typology: Typology | None = None
        self._language_pair_links: dict[tuple, Counter] = {}
        self.already_present = 0  # records an importer recognised as stored content and skipped

    # -- helpers ---------------------------------------------------------------------------------
    def error(self, problem: str, line: int | None) -> InputError:
        return InputError(problem, self.path, line)

    def language(self, value: Any, field: str, line: int | None) -> str:
        try:
            return normalize_language(value)
        except ValueError as problem:
            raise self.error(f"{field}: {problem}", line) from None

    def _text_field(self, record: dict, field: str, line: int | None, required: bool = False) -> str | None:
        value = record.get(field)
        if value is None:
            if required:
                raise self.error(f"missing field {field!r}", line)
            return None
        if not isinstance(value, str):
            raise self.error(f"field {field!r} must be a string, got {type(value).__name__}", line)
        if required and not value.strip():
            raise self.error(f"field {field!r} is empty", line)
        return value

    def claim_id(self, table: str, row_id: Any, line: int | None) -> str:
        if not isinstance(row_id, str) or not row_id.strip():
            raise self.error(f"{table[:-1]} id must be a non-empty string, got {row_id!r}", line)
        seen = self._seen.setdefault(table, set())
        if row_id in seen or self.tx.exists(table, row_id):
            raise self.error(f"duplicate {table[:-1]} id {row_id!r}", line)
        other = TEXT_TABLES.get(table)
        if other and (row_id in self._seen.get(other, ()) or self.tx.exists(other, row_id)):
            # Segment ids are "<text id>:<idx>" for sources and translations alike: one namespace.
            raise self.error(f"{table[:-1]} id {row_id!r} is already the id of a {other[:-1]}", line)
        seen.add(row_id)
        return row_id

    def fresh_id(self, table: str, prefix: str) -> str:
        """A new random id for a row of table (64 random bits: not looked up in the database, whose primary key
        would refuse the vanishingly unlikely repeat)."""
        row_id = new_id(prefix)
        self._seen.setdefault(table, set()).add(row_id)
        return row_id

    def _metadata(self, record: dict, line: int | None) -> dict:
        value = record.get("metadata") or {}
        if not isinstance(value, dict):
            raise self.error("field 'metadata' must be an object", line)
        return value

    def _segments_for(self, text_id: str, text: str, lang: str, given: Any, line: int | None) -> list[Segment]:
        if given is None:
            return segment_text(text, lang, self.segmenter)
        if not isinstance(given, list):
            raise self.error(f"'segments' of {text_id!r} must be a list", line)
        result = []
        for idx, item in enumerate(given):
            try:
                start, end, paragraph = int(item["start"]), int(item["end"]), int(item.get("paragraph", 0))
            except (KeyError, TypeError, ValueError):
                raise self.error(f"segment {idx} of {text_id!r} needs integer 'start' and 'end'", line) from None
            if not 0 <= start <= end <= len(text):
                raise self.error(f"segment {idx} of {text_id!r} has offsets {start}-{end} outside the text", line)
            if "text" in item and item["text"] != text[start:end]:
                raise self.error(f"segment {idx} of {text_id!r}: text does not match offsets {start}-{end}", line)
            result.append(Segment(idx, paragraph, start, end, text[start:end]))
        return result

    def write_segments(self, document_id: str, translation_id: str | None, segments: Iterable[Segment]) -> list[dict]:
        text_id = translation_id or document_id
        rows = segment_rows(document_id, translation_id, segments)
        self.tx.insert_bulk("segments", rows, text_id, {"document_id": document_id, "translation_id": translation_id})
        self._segments[text_id] = rows
        return rows

    # -- records ---------------------------------------------------------------------------------
    def check(self, model, record: Any, line: int | None) -> None:
        """The boundary check every record passes before any of it is written: model is a corpus.validation
        model or its name (pydantic is imported on first use, not by `import corpus`)."""
        from corpus import validation

        validation.parse(getattr(validation, model) if isinstance(model, str) else model, record, self.path, line)

    def check_terms(self, record: dict, line: int | None) -> None:
        """An annotation's category and artifact type must belong to the corpus typology."""
        typology = self.typology()
        category = record.get("category")
        if category is not None and typology.canonical(category) is None:
            raise self.error(f"field 'category': {category!r} is not in the corpus typology {typology.name} "
                             f"(see `calque typology show {typology.name}`)", line)
        artifact_type = record.get("artifact_type")
        if artifact_type is not None and artifact_type not in typology.artifact_types:
            raise self.error(f"field 'artifact_type': unknown artifact type {artifact_type!r}", line)

    def typology(self) -> Typology:
        if self._typology is None:
            self._typology = typology_of_connection(self.tx.connection)
        return self._typology

    def document(self, record: dict, line: int | None = None) -> str:
        if not isinstance(record, dict):
            raise self.error("a document must be a JSON object", line)
        self.check("DocumentRecord", record, line)
        doc_id = self.claim_id("documents", record.get("id"), line)
        lang = self.language(record.get("lang"), "lang", line)
        source = record.get("source")
        source_text = None
        if source is not None:
            if isinstance(source, str):
                source = {"text": source}
            if not isinstance(source, dict):
                raise self.error("'source' must be an object with 'text', or null when the source is unavailable", line)
            source_text = self._text_field(source, "text", line, required=True)
        row = {
            "id": doc_id,
            "title": self._text_field(record, "title", line),
            "lang": lang,
            "domain": self._text_field(record, "domain", line),
            "url": self._text_field(record, "url", line),
            "publisher": self._text_field(record, "publisher", line),
            "date": None if record.get("date") is None else str(record["date"]),
            "license": self._text_field(record, "license", line),
            "provenance": self._text_field(record, "provenance", line) or self.provenance,
            "metadata": self._metadata(record, line),
            "source_text": source_text,
            "created_at": record.get("created_at") or self.tx.at,
        }
        self.tx.insert("documents", [row])
        self._texts[doc_id] = {"text": source_text, "lang": lang, "document_id": doc_id, "translation_id": None}
        if source_text is not None:
            segments = self._segments_for(doc_id, source_text, lang, source.get("segments"), line)
            self.write_segments(doc_id, None, segments)
        translations = record.get("translations") or []
        if not isinstance(translations, list):
            raise self.error("'translations' must be a list", line)
        if source_text is None and not translations:
            raise self.error(f"document {doc_id!r} has neither a source text nor a translation", line)
        for translation in translations:
            self.translation(doc_id, translation, line, row["license"])
        return doc_id

    def translation(self, document_id: str, record: Any, line: int | None, default_license: str | None = None) -> str:
        if not isinstance(record, dict):
            raise self.error("each translation must be a JSON object", line)
        text = self._text_field(record, "text", line, required=True)
        lang = self.language(record.get("lang"), "translation lang", line)
        producer = record.get("producer", "mt")
        if producer not in PRODUCERS:
            raise self.error(f"unknown producer {producer!r} (expected one of {', '.join(PRODUCERS)})", line)
        translation_id = record.get("id") or f"{document_id}.{lang}.{producer}"
        translation_id = self.claim_id("translations", translation_id, line)
        row = {
            "id": translation_id,
            "document_id": document_id,
            "lang": lang,
            "producer": producer,
            "system": self._text_field(record, "system", line),
            "system_version": None if record.get("system_version") is None else str(record["system_version"]),
            "date": None if record.get("date") is None else str(record["date"]),
            "license": self._text_field(record, "license", line) or default_license,
            "provenance": self._text_field(record, "provenance", line) or self.provenance,
            "metadata": self._metadata(record, line),
            "text": text,
            "created_at": record.get("created_at") or self.tx.at,
        }
        self.tx.insert("translations", [row])
        self._texts[translation_id] = {"text": text, "lang": lang, "document_id": document_id, "translation_id": translation_id}
        segments = self._segments_for(translation_id, text, lang, record.get("segments"), line)
        self.write_segments(document_id, translation_id, segments)
        return translation_id

    def text_info(self, text_id: str, line: int | None) -> dict:
        if text_id not in self._texts:
            connection = self.tx.connection
            translation = connection.execute(_reads()["translation"], {"text_id": text_id}).first()
            if translation is not None:
                self._texts[text_id] = {"text": translation.text, "document_id": translation.document_id, "translation_id": text_id}
            else:
                document = connection.execute(_reads()["source"], {"text_id": text_id}).first()
                if document is None:
                    raise self.error(f"unknown document or translation {text_id!r}", line)
                self._texts[text_id] = {"text": document.source_text, "document_id": text_id, "translation_id": None}
        return self._texts[text_id]

    def translations_named(self, text_id: str, lang: str) -> list[str] | None:
        """The stored translations into lang that an id names: the translation itself, or those of the document;
        None when the id is not stored."""
        t = schema.translations
        translation = self.tx.fetch("translations", text_id)
        if translation is not None:
            return [text_id] if translation["lang"] == lang else []
        if not self.tx.exists("documents", text_id):
            return None
        return list(self.tx.connection.execute(select(t.c.id).where((t.c.document_id == text_id) & (t.c.lang == lang)).order_by(t.c.id)).scalars())

    def aligned_pairs(self, translation_ids: list[str], as_written: Callable[[str], str] = one_line) -> Counter:
        """The stored 1-1 links of these translations as a multiset of (source, target) segment texts, each as
        an export writes it (as_written: flattened to one line for Moses)."""
        if not translation_ids:
            return Counter()
        a, s = schema.alignments, schema.segments
        links = self.tx.connection.execute(
            select(a.c.document_id, a.c.translation_id, a.c.source_idx, a.c.target_idx).where(a.c.translation_id.in_(translation_ids))).all()
        links = [link for link in links if len(link.source_idx) == 1 and len(link.target_idx) == 1]
        documents = {link.document_id for link in links}
        sources = dict(((r.document_id, r.idx), r.text) for r in self.tx.connection.execute(
            select(s.c.document_id, s.c.idx, s.c.text).where((s.c.side == "source") & s.c.document_id.in_(documents))))
        targets = dict(((r.translation_id, r.idx), r.text) for r in self.tx.connection.execute(
            select(s.c.translation_id, s.c.idx, s.c.text).where(s.c.translation_id.in_(translation_ids))))
        return Counter((as_written(sources[(l.document_id, l.source_idx[0])]), as_written(targets[(l.translation_id, l.target_idx[0])]))
                       for l in links if (l.document_id, l.source_idx[0]) in sources and (l.translation_id, l.target_idx[0]) in targets)

    def language_pair_links(self, src_lang: str, tgt_lang: str, as_written: Callable[[str], str] = one_line) -> Counter:
        """aligned_pairs of every stored translation from src_lang into tgt_lang (read once per import)."""
        key = (src_lang, tgt_lang, as_written)
        if key not in self._language_pair_links:
            d, t = schema.documents, schema.translations
            ids = list(self.tx.connection.execute(select(t.c.id).join(d, d.c.id == t.c.document_id)
                                                  .where((d.c.lang == src_lang) & (t.c.lang == tgt_lang))).scalars())
            self._language_pair_links[key] = self.aligned_pairs(ids, as_written)
        return self._language_pair_links[key]

    def preload(self, translation_ids: Iterable[str], chunk: int = 500) -> None:
        """Read the texts and segments of many translations in a few queries (importers that annotate thousands)."""
        t, s = schema.translations, schema.segments
        wanted = sorted(set(translation_ids) - set(self._segments))
        for start in range(0, len(wanted), chunk):
            ids = wanted[start : start + chunk]
            for row in self.tx.connection.execute(select(t.c.id, t.c.document_id, t.c.text).where(t.c.id.in_(ids))):
                self._texts.setdefault(row.id, {"text": row.text, "document_id": row.document_id, "translation_id": row.id})
            rows: dict[str, list[dict]] = {i: [] for i in ids if i in self._texts}
            for row in self.tx.connection.execute(select(s).where(s.c.translation_id.in_(ids)).order_by(s.c.translation_id, s.c.idx)).mappings():
                rows[row["translation_id"]].append(dict(row))
            self._segments.update(rows)

    def segments_of(self, text_id: str) -> list[dict]:
        if text_id not in self._segments:
            owner = "source_segments" if self._texts.get(text_id, {}).get("translation_id") is None else "target_segments"
            self._segments[text_id] = [dict(r) for r in self.tx.connection.execute(_reads()[owner], {"text_id": text_id}).mappings()]
        return self._segments[text_id]

    def _resolve_span(self, text_id: str, record: dict, line: int | None) -> tuple[dict, int, int]:
        segments = self.segments_of(text_id)
        if not segments:
            raise self.error(f"{text_id!r} has no segments (source unavailable?)", line)
        if record.get("segment") is not None:
            try:
                idx, start, end = int(record["segment"]), int(record["start"]), int(record["end"])
            except (KeyError, TypeError, ValueError):
                raise self.error("an annotation with 'segment' needs integer 'start' and 'end'", line) from None
            if not 0 <= idx < len(segments):
                raise self.error(f"segment {idx} does not exist in {text_id!r} ({len(segments)} segments)", line)
            segment = segments[idx]
            if not 0 <= start <= end <= len(segment["text"]):
                raise self.error(f"span {start}-{end} lies outside segment {idx} of {text_id!r}", line)
            quoted = record.get("text")
            if quoted is not None and quoted != segment["text"][start:end] and record.get("segment_hash") is None:
                raise self.error(f"span text {quoted!r} does not match segment {idx} at {start}-{end}", line)
            return segment, start, end
        span_text = self._text_field(record, "text", line, required=True)
        occurrence = record.get("occurrence", 1)
        if not isinstance(occurrence, int) or occurrence < 1:
            raise self.error(f"'occurrence' must be a positive integer, got {occurrence!r}", line)
        full_text = self.text_info(text_id, line)["text"]
        position = -1
        for _ in range(occurrence):
            position = full_text.find(span_text, position + 1)
            if position < 0:
                raise self.error(f"span {span_text!r} occurs fewer than {occurrence} time(s) in {text_id!r}", line)
        end = position + len(span_text)
        for segment in segments:
            if segment["start"] <= position and end <= segment["end"]:
                return segment, position - segment["start"], end - segment["start"]
        raise self.error(f"span {span_text!r} crosses a segment boundary in {text_id!r}", line)

    def annotation(self, record: dict, line: int | None = None) -> str:
        row = self.annotation_row(record, line)
        self.tx.insert("annotations", [row])
        return row["id"]

    def annotation_row(self, record: dict, line: int | None = None) -> dict:
        """The annotations row a record makes, once every check has passed and its id is claimed; writes nothing
        (a caller that saves many at once inserts the rows together)."""
        if not isinstance(record, dict):
            raise self.error("an annotation must be a JSON object", line)
        self.check("AnnotationRecord", record, line)
        translation_id = record.get("translation")
        text_id = translation_id or record.get("document")
        if not text_id:
            raise self.error("an annotation needs 'translation' (target side) or 'document' (source side)", line)
        info = self.text_info(text_id, line)
        if record.get("side") not in (None, "source", "target"):
            raise self.error(f"annotation side must be 'source' or 'target', got {record.get('side')!r}", line)
        span_owner = text_id
        if record.get("side") == "source" and info["translation_id"] is not None:
            # A source-side mark (an omission) that judges this translation: the span lies in the source.
            span_owner = info["document_id"]
            self.text_info(span_owner, line)
        segment, start, end = self._resolve_span(span_owner, record, line)
        try:
            severity = normalize_severity(record.get("severity"))
        except ValueError as problem:
            raise self.error(str(problem), line) from None
        category = self._text_field(record, "category", line, required=True)
        self.check_terms(record, line)
        artifact_type = record.get("artifact_type")
        status = record.get("status", "open" if str(record.get("origin", "human")).startswith("auto:") else "confirmed")
        if status not in ANNOTATION_STATUSES:
            raise self.error(f"unknown annotation status {status!r}", line)
        now = utc_now()
        annotation_id = self.claim_id("annotations", record["id"], line) if record.get("id") else self.fresh_id("annotations", "ann")
        return {
            "id": annotation_id,
            "segment_id": segment["id"],
            "document_id": info["document_id"],
            "translation_id": info["translation_id"],
            "side": segment["side"],
            "start": start,
            "end": end,
            "text": record.get("text") if record.get("segment_hash") else segment["text"][start:end],
            "segment_hash": record.get("segment_hash") or segment["text_hash"],
            "category": category,
            "severity": severity,
            "artifact_type": artifact_type,
            "annotator": self._text_field(record, "annotator", line) or self.tx.actor,
            "origin": self._text_field(record, "origin", line) or "human",
            "status": status,
            "comment": self._text_field(record, "comment", line),
            "correction": self._text_field(record, "correction", line),
            "created_at": record.get("created_at") or now,
            "updated_at": record.get("updated_at") or now,
            "version": int(record.get("version") or 1),
        }

    def concept(self, record: dict, line: int | None = None) -> str:
        self.check("ConceptRecord", record, line)
        def terms(field: str, required: bool = False) -> list[str]:
            value = record.get(field) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise self.error(f"concept field {field!r} must be a list of terms", line)
            if required and not value:
                raise self.error(f"concept needs at least one term in {field!r}", line)
            return value

        concept_id = self.claim_id("glossary", record.get("id") or new_id("concept"), line)
        row = {
            "id": concept_id,
            "src_lang": self.language(record.get("src_lang"), "src_lang", line),
            "tgt_lang": self.language(record.get("tgt_lang"), "tgt_lang", line),
            "source_term": self._text_field(record, "source_term", line, required=True),
            "approved": terms("approved", required=True),
            "variants": terms("variants"),
            "forbidden": terms("forbidden"),
            "domain": self._text_field(record, "domain", line),
            "note": self._text_field(record, "note", line),
        }
        self.tx.insert("glossary", [row])
        return concept_id

    def artifact(self, record: dict, line: int | None = None) -> str:
        self.check("ArtifactRecord", record, line)
        if record["artifact_type"] not in self.typology().artifact_types:
            raise self.error(f"field 'artifact_type': unknown artifact type {record['artifact_type']!r} "
                             f"(known: {', '.join(self.typology().artifact_types)})", line)
        artifact_id = self.claim_id("artifacts", record.get("id") or new_id("artifact"), line)
        examples = record.get("examples") or []
        if not isinstance(examples, list):
            raise self.error("artifact 'examples' must be a list", line)
        row = {
            "id": artifact_id,
            "artifact_type": self._text_field(record, "artifact_type", line, required=True),
            "source_cue": self._text_field(record, "source_cue", line),
            "target_form": self._text_field(record, "target_form", line, required=True),
            "src_lang": self.language(record.get("src_lang"), "src_lang", line),
            "tgt_lang": self.language(record.get("tgt_lang"), "tgt_lang", line),
            "note": self._text_field(record, "note", line),
            "examples": examples,
        }
        self.tx.insert("artifacts", [row])
        return artifact_id

    def alignment(self, record: dict, line: int | None = None) -> str:
        self.check("AlignmentRecord", record, line)
        translation_id = record.get("translation")
        info = self.text_info(translation_id, line) if isinstance(translation_id, str) else None
        if info is None or info["translation_id"] is None:
            raise self.error(f"alignment needs the id of a translation, got {translation_id!r}", line)
        source, target = record.get("source", []), record.get("target", [])
        n_source = len(self.segments_of(info["document_id"])) if self.text_info(info["document_id"], line)["text"] else 0
        n_target = len(self.segments_of(translation_id))
        for name, indexes, limit in (("source", source, n_source), ("target", target, n_target)):
            if not isinstance(indexes, list) or not all(isinstance(i, int) and 0 <= i < limit for i in indexes):
                raise self.error(f"alignment {name} must list segment indexes below {limit}, got {indexes!r}", line)
        if not source and not target:
            raise self.error("an alignment link needs at least one segment", line)
        status = record.get("status", "auto")
        if status not in ALIGNMENT_STATUSES:
            raise self.error(f"unknown alignment status {status!r}", line)
        link_id = record.get("id") or alignment_id(translation_id, source, target)
        link_id = self.claim_id("alignments", link_id, line)
        row = {
            "id": link_id,
            "document_id": info["document_id"],
            "translation_id": translation_id,
            "source_idx": source,
            "target_idx": target,
            "method": record.get("method") or "import",
            "score": record.get("score"),
            "status": status,
            "actor": record.get("actor") or self.tx.actor,
            "created_at": record.get("created_at") or self.tx.at,
        }
        self.tx.insert("alignments", [row])
        return link_id

    def result(self, record: dict, line: int | None = None) -> str:
        self.check("ResultRecord", record, line)
        result_id = self.claim_id("results", record.get("id") or new_id("result"), line)
        row = {key: record.get(key) for key in ("kind", "created_at", "data_hash", "signature", "tool_version", "payload")}
        missing = [key for key, value in row.items() if value is None]
        if missing:
            raise self.error(f"result is missing {', '.join(missing)}", line)
        self.tx.insert("results", [{"id": result_id, **row}])
        return result_id
