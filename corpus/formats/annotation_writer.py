"""Writing imported annotations through Ingest without duplicating what the corpus already holds.

Re-importing a file (or a reviewed copy of an exported one) must not count the same error twice: a
record identical in content to an annotation stored *before* this import (same segment, side, span,
category, severity and annotator) is skipped. Free text (the comment) is not part of the key: formats
that do not carry it (Appraise) would otherwise double every annotation on a round trip. Rows repeated within one file are kept, as
mt-metrics-eval counts them.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from corpus import schema
from corpus.ingest import Ingest


class AnnotationWriter:
    """batched: rows are checked as they come and inserted together by flush() (which the caller must call)."""

    def __init__(self, ingest: Ingest, batched: bool = False):
        self.ingest = ingest
        self.batched = batched
        self._existing: dict[str, set[tuple]] = {}
        self._rows: list[dict] = []
        self.skipped = 0

    def preload(self, translation_ids: Iterable[str], chunk: int = 500) -> None:
        """Read what many translations hold already, and their segments, in a few queries."""
        wanted = sorted(set(translation_ids) - set(self._existing))
        for start in range(0, len(wanted), chunk):
            ids = wanted[start : start + chunk]
            self._existing.update({i: set() for i in ids})
            for row in self._stored(schema.annotations.c.translation_id.in_(ids)):
                self._existing[row[0]].add(tuple(row[1:]))
        self.ingest.preload(wanted, chunk)

    def _stored(self, condition):
        a, s = schema.annotations, schema.segments
        return self.ingest.tx.connection.execute(
            select(a.c.translation_id, a.c.side, s.c.idx, a.c.start, a.c.end, a.c.category, a.c.severity, a.c.annotator)
            .join(s, s.c.id == a.c.segment_id).where(condition)).all()

    def _known(self, translation_id: str) -> set[tuple]:
        if translation_id not in self._existing:
            self._existing[translation_id] = {tuple(r[1:]) for r in self._stored(schema.annotations.c.translation_id == translation_id)}
        return self._existing[translation_id]

    def add(self, record: dict, line: int | None) -> str | None:
        """Insert the record (explicit translation, side, segment, start, end) unless it is already stored."""
        self.ingest.check("AnnotationRecord", record, line)  # every field typed before any is used as a key
        translation_id = record.get("translation")
        if translation_id and record.get("segment") is not None:
            key = (record.get("side") or "target", int(record["segment"]), int(record["start"]), int(record["end"]), record["category"],
                   record["severity"], record.get("annotator") or self.ingest.tx.actor)
            if key in self._known(translation_id):
                self.skipped += 1
                return None
        if not self.batched:
            return self.ingest.annotation(record, line)
        row = self.ingest.annotation_row(record, line)
        self._rows.append(row)
        return row["id"]

    def flush(self) -> None:
        self.ingest.tx.insert("annotations", self._rows)
        self._rows = []
