"""Re-segmenting a text without losing its annotations.

Each annotation is turned back into offsets in the full text and re-anchored in the new segment that
contains it. One that no longer fits inside a single new segment keeps its quoted text but is flagged
stale (its segment hash no longer matches) for a person to look at — it is never silently shifted or
dropped. Alignment links of the text are removed (their segment indexes no longer mean anything); the
journal keeps them.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, insert, select

from corpus import schema
from corpus.clock import text_hash, utc_now
from corpus.segment import Segment, SegmenterConfig, segment_text
from corpus.ingest import segment_rows
from corpus.transaction import Transaction

STALE_PREFIX = "stale:"


def _containing(segments: list[Segment], start: int, end: int) -> Segment | None:
    for segment in segments:
        if segment.start <= start and end <= segment.end:
            return segment
    return None


def _nearest(segments: list[Segment], start: int) -> Segment:
    return min(segments, key=lambda s: 0 if s.start <= start < max(s.end, s.start + 1) else min(abs(s.start - start), abs(s.end - start)))


def resegment_text(tx: Transaction, document_id: str, translation_id: str | None, text: str, lang: str,
                   config: SegmenterConfig | None) -> dict:
    s, a, links = schema.segments, schema.annotations, schema.alignments
    owner = s.c.translation_id == translation_id if translation_id else and_(s.c.document_id == document_id, s.c.side == "source")
    old = {row.id: row for row in tx.connection.execute(select(s).where(owner))}
    notes = [dict(r) for r in tx.connection.execute(select(a).where(a.c.segment_id.in_(list(old)))).mappings()]
    new_segments = segment_text(text, lang, config)
    text_id = translation_id or document_id

    link_owner = links.c.translation_id == translation_id if translation_id else links.c.document_id == document_id
    removed_links = tx.delete_where("alignments", link_owner, f"resegment {text_id}")

    tx.connection.execute(delete(a).where(a.c.segment_id.in_(list(old))))
    tx.connection.execute(delete(s).where(owner))
    rows = segment_rows(document_id, translation_id, new_segments)
    tx.insert_bulk("segments", rows, text_id, {"resegmented": True, "replaced": len(old)})

    reanchored = stale = 0
    now = utc_now()
    for note in notes:
        segment = old[note["segment_id"]]
        was_fresh = note["segment_hash"] == segment.text_hash
        absolute_start, absolute_end = segment.start + note["start"], segment.start + note["end"]
        target = _containing(new_segments, absolute_start, absolute_end)
        after = dict(note)
        if target is not None and was_fresh and text[absolute_start:absolute_end] == note["text"]:
            after.update(segment_id=f"{text_id}:{target.idx}", start=absolute_start - target.start,
                         end=absolute_end - target.start, segment_hash=text_hash(target.text))
            reanchored += 1
        else:
            target = target or _nearest(new_segments, absolute_start)
            start = min(max(absolute_start - target.start, 0), len(target.text))
            after.update(segment_id=f"{text_id}:{target.idx}", start=start, end=max(start, min(absolute_end - target.start, len(target.text))),
                         segment_hash=note["segment_hash"] if note["segment_hash"].startswith(STALE_PREFIX) else STALE_PREFIX + note["segment_hash"])
            stale += 1
        after["updated_at"] = now
        tx.connection.execute(insert(a), [after])
        tx.record("update", "annotations", note["id"], note, after)
    return {"segments_before": len(old), "segments_after": len(new_segments), "annotations_reanchored": reanchored,
            "annotations_stale": stale, "alignment_links_removed": removed_links}
