"""Appraise score exports in the layout WMT publishes them (e.g. wmt24-news-systems `humeval/esa_*.csv`), onto a WMT
test set imported with `calque import wmt`.

The columns are those of corpus.formats.appraise, read as WMT's `humeval/merge_to_jsonl.py` reads them: itemID is
the 0-based line of the test set, documentID the WMT document id of that line (checked against the set's
documents file when it had one), systemID a system or a reference (`refA`: corpus.formats.wmt_stored). Skipped
and counted, as WMT's scripts skip them: quality-control items (itemType BAD, REF, CHK: anything but TGT),
documents marked `#bad`, `#dup` or `#incomplete`, tutorial documents, and rows of a language pair the corpus
holds no set for. Every other row is kept, a rater's repeated rating of one item included (WMT averages them).

Each row becomes its error spans (as corpus.formats.appraise reads them; a span whose severity the rater left
`undecided` is counted and left out) plus, by protocol: `esa` an "ESA score" marker, `da` a "DA score" marker
(spans are not part of DA and are counted, not stored), `mqm` the spans alone with a No-error marker where there
are none.
"""
from __future__ import annotations

from collections import Counter

from corpus.errors import InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.appraise_items import add_item, item_records, parse_spans
from corpus.formats.wmt_stored import StoredSet, stored_sets
from corpus.ingest import Ingest
from corpus.languages import normalize_language
from corpus.typology import SCORE_MARKERS

SKIPPED_TAGS = ("bad", "dup", "incomplete")
PROTOCOLS = ("esa", "da", "mqm")


def _pair(row: list[str], path: str, line: int) -> str:
    try:
        return f"{normalize_language(row[4])}-{normalize_language(row[5])}"
    except ValueError as problem:
        raise InputError(f"language column: {problem}", path, line) from None


def _skip_reason(row: list[str]) -> str | None:
    if row[3] != "TGT":
        return "quality_control_items"
    _, *tags = row[7].split("#")
    for tag in tags:
        if tag in SKIPPED_TAGS:
            return f"documents_marked_{tag}"
    if "-tutorial" in row[7]:
        return "tutorial_items"
    return None


def _score(text: str, protocol: str, path: str, line: int) -> str | None:
    """The item's score as written, checked for its protocol; None without one (and for MQM, which scores spans)."""
    from corpus.formats.scores import checked_score

    text = text.strip()
    return checked_score(text, protocol, path, line) if text and protocol != "mqm" else None


def _sets_by_pair(ingest: Ingest, testset: str | None, path: str) -> dict[str, StoredSet]:
    sets = [s for s in stored_sets(ingest.tx.connection).values() if testset is None or testset in (s.name, s.key)]
    by_pair: dict[str, StoredSet] = {}
    for stored in sets:
        if stored.langs in by_pair:
            raise InputError(f"the corpus holds several WMT test sets for {stored.langs} ({by_pair[stored.langs].key}, {stored.key}): "
                             "choose one with --testset", path)
        by_pair[stored.langs] = stored
    if not by_pair:
        raise InputError(f"the corpus holds no {testset or 'WMT test set'} (import it first: calque import wmt DIR)", path)
    return by_pair


def import_rows(ingest: Ingest, path: str, rows: list[tuple[int, list[str]]], protocol: str = "esa", testset: str | None = None,
                progress=None) -> dict:
    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r} (expected one of {', '.join(PROTOCOLS)})", path)
    by_pair = _sets_by_pair(ingest, testset, path)
    writer = AnnotationWriter(ingest, batched=True)
    writer.preload(t for stored in by_pair.values() for t in stored.translation_ids())
    skipped: Counter = Counter()
    counts = {"layout": "wmt", "protocol": protocol, "items": 0, "annotations": 0, "undecided_spans": 0, "spans_not_in_protocol": 0}
    for line, row in rows:
        if len(row) not in (10, 12):
            raise InputError(f"expected 10 or 12 comma-separated columns (Appraise score export), found {len(row)}", path, line)
        reason = _skip_reason(row)
        if reason is None and _pair(row, path, line) not in by_pair:
            reason = "other_language_pairs"
        if reason:
            skipped[reason] += 1
            continue
        stored = by_pair[_pair(row, path, line)]
        username, system, item = row[0], row[1], row[2]
        if not username.strip():
            raise InputError("empty username", path, line)
        if not item.isascii() or not item.isdigit():
            raise InputError(f"itemID must be the 0-based line of the test set, got {item!r}", path, line)
        where = stored.locate(int(item))
        if where is None:
            raise InputError(f"itemID {item} is outside the test set {stored.key} (0..{stored.lines - 1})", path, line)
        document, segment = where
        wmt_document = row[7].split("#")[0]
        if document.wmt_id is not None and wmt_document != document.wmt_id:
            known = any(d.wmt_id == wmt_document for d in stored.documents)
            problem = (f"item {item} lies in document {document.wmt_id!r}, not {wmt_document!r}" if known
                       else f"unknown document id {wmt_document!r} (not in test set {stored.key})")
            raise InputError(problem, path, line)
        resolved = stored.resolve(system)
        translation_id = stored.translation(document, *resolved) if resolved else None
        if translation_id is None:
            raise InputError(f"systemID {system!r} is none of the systems or references of {stored.key} "
                             f"(systems: {', '.join(stored.systems)}; references: {', '.join(stored.references)})", path, line)
        ingest.text_info(translation_id, line)
        text = ingest.segments_of(translation_id)[segment]["text"]
        score = _score(row[6], protocol, path, line)
        spans, undecided = parse_spans(row[9], text, path, line, segment)
        counts["undecided_spans"] += undecided
        if protocol == "da":
            counts["spans_not_in_protocol"] += len(spans)
            spans = []
        records = item_records(translation_id, segment, username, spans, score, SCORE_MARKERS.get(protocol, ""))
        add_item(writer, records, line, counts, progress)
    if not counts["items"] and skipped["other_language_pairs"]:
        raise InputError(f"no row is about a WMT test set of the corpus ({', '.join(sorted(by_pair))}); "
                         f"{skipped['other_language_pairs']} rows are about other language pairs", path)
    counts.update({f"skipped_{reason}": n for reason, n in sorted(skipped.items())})
    writer.flush()
    counts["already_present"] = writer.skipped
    return counts
