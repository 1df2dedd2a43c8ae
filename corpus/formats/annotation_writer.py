"""Writing imported annotations through Ingest without duplicating what the corpus already holds.

Re-importing a file (or a reviewed copy of an exported one) must not count the same error twice: a
record identical in content to an annotation stored *before* this import (same segment, side, span,
category, severity and annotator) is skipped. Free text (the comment) is not part of the key: formats
that do not carry it (Appraise) would otherwise double every annotation on a round trip. Rows repeated within one file are kept, as
mt-metrics-eval counts them.
"""
from __future__ import annotations

from sqlalchemy import select

from corpus import schema
from corpus.ingest import Ingest


class AnnotationWriter:
    def __init__(self, ingest: Ingest):
        self.ingest = ingest
        self._existing: dict[str, set[tuple]] = {}
        self.skipped = 0

    def _known(self, translation_id: str) -> set[tuple]:
        if translation_id not in self._existing:
            a, s = schema.annotations, schema.segments
            rows = self.ingest.tx.connection.execute(
                select(a.c.side, s.c.idx, a.c.start, a.c.end, a.c.category, a.c.severity, a.c.annotator)
                .join(s, s.c.id == a.c.segment_id).where(a.c.translation_id == translation_id)
            ).all()
            self._existing[translation_id] = {tuple(r) for r in rows}
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
        return self.ingest.annotation(record, line)
