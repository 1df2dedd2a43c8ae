"""Google MQM TSV rows onto a WMT test set the corpus already holds (`calque import wmt`), instead of documents
of their own (corpus.formats.google_mqm creates those when no set fits).

A set fits when every row's seg_id (the 1-based line of the test set, as Google numbers newstest segments) lies
in it and the row's source is that line's source; `--testset` names the set when the corpus holds several of the
language pair. Rows name systems and references as corpus.formats.wmt_stored reads names (`ref-A`, `Human-B`), and
each target must be the stored segment of that translation: a row that disagrees is a one-line error.
"""
from __future__ import annotations

from corpus.errors import InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.wmt_stored import StoredDocument, StoredSet, stored_sets
from corpus.ingest import Ingest


def _source_line(ingest: Ingest, stored: StoredSet, seg_id: int) -> tuple[StoredDocument, int, str] | None:
    """(document, segment index, source text) of the set's 1-based line seg_id; None outside the set."""
    where = stored.locate(seg_id - 1)
    if where is None:
        return None
    document, idx = where
    ingest.text_info(document.id, None)
    return document, idx, ingest.segments_of(document.id)[idx]["text"]


def _first_mismatch(ingest: Ingest, stored: StoredSet, parsed) -> tuple[int, str] | None:
    for row in parsed.rows:
        found = _source_line(ingest, stored, row.seg_id)
        if found is None:
            return row.line, f"seg_id {row.seg_id} is outside test set {stored.key} (1..{stored.lines})"
        if found[2] != row.source:
            return row.line, f"the source of seg_id {row.seg_id} is not line {row.seg_id} of test set {stored.key}"
    return None


def fitting_set(ingest: Ingest, parsed, langs: str, testset: str | None, path: str) -> StoredSet | None:
    """The stored set the rows fit, None when no set of the pair could be meant (the rows then create documents)."""
    sets = [s for s in stored_sets(ingest.tx.connection).values() if s.langs == langs and (testset is None or testset in (s.name, s.key))]
    if testset is not None and not sets:
        raise InputError(f"the corpus holds no WMT test set {testset!r} for {langs}", path)
    fitting = []
    for stored in sets:
        mismatch = _first_mismatch(ingest, stored, parsed)
        if mismatch is None:
            fitting.append(stored)
        elif testset is not None or mismatch[0] != parsed.rows[0].line:  # named, or some rows fit: a disagreement, not another set
            raise InputError(mismatch[1], path, mismatch[0])
    if len(fitting) > 1:
        raise InputError(f"the rows fit several WMT test sets ({', '.join(s.key for s in fitting)}): choose one with --testset", path)
    return fitting[0] if fitting else None


def import_onto_set(ingest: Ingest, parsed, stored: StoredSet, path: str, progress=None) -> dict:
    writer = AnnotationWriter(ingest, batched=True)
    writer.preload(stored.translation_ids())
    counts = {"set": stored.key, "documents": 0, "translations": 0, "annotations": 0, "no_error": 0, "rows": len(parsed.rows),
              "unclosed_spans_read_to_end": parsed.repaired}
    checked: set[tuple[str, int]] = set()
    for row in parsed.rows:
        document, idx, _ = _source_line(ingest, stored, row.seg_id)
        resolved = stored.resolve(row.system)
        translation_id = stored.translation(document, *resolved) if resolved else None
        if translation_id is None:
            raise InputError(f"system {row.system!r} is none of the systems or references of {stored.key} "
                             f"(systems: {', '.join(stored.systems)}; references: {', '.join(stored.references)})", path, row.line)
        if (row.system, row.seg_id) not in checked:
            stored_target = ingest.segments_of(translation_id)[idx]["text"]
            if stored_target != row.target:
                raise InputError(f"the target of seg_id {row.seg_id} for {row.system} is not its stored segment in {translation_id!r}",
                                 path, row.line)
            checked.add((row.system, row.seg_id))
        counts["no_error" if row.severity is None else "annotations"] += 1
        writer.add(row.record(translation_id, idx), row.line)
        if progress is not None:
            progress.update(1)
    writer.flush()
    counts["already_present"] = writer.skipped
    return counts
