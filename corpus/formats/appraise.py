"""Appraise's score export (`manage.py ExportSystemScoresToCSV`) for MQM and ESA campaigns.

No header; one row per annotated item, comma-separated with CSV quoting:

    username, systemID, itemID, itemType, sourceLanguage, targetLanguage, score, documentID,
    isCompleteDocument, mqm [, start_time, end_time]

`mqm` is a JSON list of error spans {"start_i", "end_i", "severity", "error_type"}: character offsets
into the item's target text (end exclusive, as Calque writes them), or "missing" for both when the
rater flagged missing content without a span (read as an empty span at the end of the target; Calque's
source-side marks, which this format cannot place, are written as "missing"). ESA campaigns leave
error_type null (read as category "Other"). corpus.formats.appraise_items reads the column.

Two layouts share these columns. WMT's (itemID = line of a WMT test set, documentID = WMT document id) is read
by corpus.formats.appraise_wmt onto a set imported with `calque import wmt`; an import is told which layout
(`layout="wmt"`, `--layout wmt`) or tells them apart by the first item's documentID. Calque's own, below,
maps items onto translations already in the corpus, the way its export names them: documentID
is "<document id>#<system>", systemID is the translation's system (or its id), itemID is the target
segment index. Only TGT items are read (BAD/REF/CHK quality-control items are counted and skipped).
When one rater exported an item twice, the later row (by end_time, else by position) wins. Each row
becomes its error annotations plus an "ESA score" marker holding the score (or a No-error marker when
there is no score and no error). Export writes the same 10 columns (no timestamps).
"""
from __future__ import annotations

import csv
import io
import json

import langcodes

from corpus.errors import InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.appraise_items import OMISSION, UNSPECIFIED, add_item, item_records, parse_spans
from corpus.ingest import Ingest
from corpus.typology import ESA_SCORE, NO_ERROR, SCORE_MARKERS, is_marker


def _read_rows(path: str) -> list[tuple[int, list[str]]]:
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            text = stream.read()
    except UnicodeDecodeError as error:
        raise InputError(f"invalid UTF-8 at byte {error.start}", path) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", path) from None
    if not text.strip():
        raise InputError("file is empty", path)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    try:
        for row in reader:
            if row:
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", path, reader.line_num) from None
    return rows


def _translation_for(ingest: Ingest, document_id: str, system: str, path: str, line: int) -> str:
    from sqlalchemy import select

    from corpus import schema

    t = schema.translations
    rows = ingest.tx.connection.execute(select(t.c.id, t.c.system).where(t.c.document_id == document_id)).all()
    if not rows and ingest.tx.connection.execute(select(schema.documents.c.id).where(schema.documents.c.id == document_id)).first() is None:
        raise InputError(f"unknown document {document_id!r} (import its texts first)", path, line)
    matches = [r.id for r in rows if system in (r.id, r.system, f"{document_id}.{r.system}")]
    if len(matches) != 1:
        raise InputError(f"system {system!r} names {len(matches)} translations of {document_id!r}", path, line)
    return matches[0]


def _layout(ingest: Ingest, rows: list[tuple[int, list[str]]]) -> str:
    """"calque" when the first item's documentID names a corpus document (Calque's export), else "wmt" when
    the corpus holds a WMT test set (corpus.formats.appraise_wmt), else "calque" (which then says what is missing)."""
    from corpus.formats.wmt_stored import stored_sets

    first = next((row for _, row in rows if len(row) > 7 and row[3] == "TGT"), None)
    if first is None or ingest.tx.exists("documents", first[7].split("#")[0]):
        return "calque"
    return "wmt" if stored_sets(ingest.tx.connection) else "calque"


def import_file(ingest: Ingest, path: str, progress=None, layout: str | None = None, protocol: str | None = None,
                testset: str | None = None, **_ignored) -> dict:
    """Import an Appraise export; `layout` "calque" or "wmt" (default: told apart by _layout)."""
    rows = _read_rows(path)
    if layout not in (None, "calque", "wmt"):
        raise InputError(f"unknown Appraise layout {layout!r} (expected calque or wmt)", path)
    if (layout or _layout(ingest, rows)) == "wmt":
        from corpus.formats.appraise_wmt import import_rows

        return import_rows(ingest, path, rows, protocol or "esa", testset, progress)
    if protocol not in (None, "esa"):
        raise InputError(f"Calque's own Appraise layout holds ESA scores; --protocol {protocol} applies to --layout wmt", path)
    writer = AnnotationWriter(ingest)
    kept: dict[tuple, tuple[int, list[str]]] = {}
    counts = {"layout": "calque", "items": 0, "annotations": 0, "skipped_items": 0, "superseded": 0, "undecided_spans": 0}
    for line, row in rows:
        if len(row) not in (10, 12):
            raise InputError(f"expected 10 or 12 comma-separated columns (Appraise score export), found {len(row)}", path, line)
        if row[3] != "TGT":
            counts["skipped_items"] += 1
            continue
        key = (row[0], row[1], row[7], row[2])
        if key in kept:
            counts["superseded"] += 1
            previous = kept[key][1]
            if len(row) == 12 and len(previous) == 12 and _float(previous[11]) > _float(row[11]):
                continue
        kept[key] = (line, row)
    for line, row in sorted(kept.values()):
        username, system, item, _, _, _, score, document, *_rest = row
        mqm = row[9]
        if not username.strip():
            raise InputError("empty username", path, line)
        try:
            segment = int(item)
        except ValueError:
            raise InputError(f"itemID must be the target segment index, got {item!r}", path, line) from None
        if score.strip():
            try:
                value = float(score)
            except ValueError:
                raise InputError(f"score must be a number, got {score!r}", path, line) from None
            if not 0 <= value <= 100:  # also refuses nan and inf: Appraise's sliders give 0-100
                raise InputError(f"score must lie between 0 and 100, got {score!r}", path, line)
        document_id = document.split("#")[0]
        translation_id = _translation_for(ingest, document_id, system, path, line)
        ingest.text_info(translation_id, line)
        segments = ingest.segments_of(translation_id)
        if not 0 <= segment < len(segments):
            raise InputError(f"item {segment} does not exist in {translation_id!r} ({len(segments)} segments)", path, line)
        text = segments[segment]["text"]
        spans, undecided = parse_spans(mqm, text, path, line, segment)
        counts["undecided_spans"] += undecided
        records = item_records(translation_id, segment, username, spans, score.strip() or None, ESA_SCORE)
        add_item(writer, records, line, counts, progress)
    counts["already_present"] = writer.skipped
    return counts


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return float("-inf")


def _alpha3(lang: str) -> str:
    try:
        return langcodes.Language.get(lang).to_alpha3()
    except (LookupError, ValueError):
        return lang


def export_text(corpus, translation_ids: list[str] | None = None, **_ignored) -> tuple[str, dict]:
    from corpus.formats.units import translation_units

    translations = corpus.translations()
    if translation_ids is not None:
        translations = translations[translations.id.isin(translation_ids)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    skipped = {"stale": 0, "rejected": 0, "unplaced": 0}
    summary = {"source_side_as_missing": 0}
    written = 0
    for translation in translations.to_dict("records"):
        document = corpus.document(translation["document_id"])
        units = translation_units(corpus, translation["id"])
        system = translation.get("system") or translation["id"]
        items: dict[tuple[int, str], dict] = {}
        for note in corpus.annotations(translation_id=translation["id"]).to_dict("records"):
            reason = "rejected" if note["status"] == "rejected" else "stale" if note["stale"] else None
            if reason:
                skipped[reason] += 1
                continue
            segment = int(note["segment_idx"])
            if note["side"] == "source":
                segment = units.unit_of("source", segment).target_idx if units.unit_of("source", segment) else None
                if segment is None:
                    skipped["unplaced"] += 1
                    continue
                summary["source_side_as_missing"] += 0 if is_marker(note["category"]) else 1
            item = items.setdefault((segment, note["annotator"]), {"errors": [], "score": ""})
            if note["category"] in SCORE_MARKERS.values():
                item["score"] = note["comment"] or ""
            elif note["category"] == NO_ERROR:
                continue
            else:
                item["errors"].append(note)
        segment_lengths = dict(zip(corpus.segments(translation_id=translation["id"]).idx.astype(int),
                                   corpus.segments(translation_id=translation["id"]).text.str.len()))
        for (segment, annotator), item in sorted(items.items()):
            spans = []
            for note in sorted(item["errors"], key=lambda n: (n["side"], n["start"], n["end"], n["category"], n["severity"], n["id"])):
                start, end = int(note["start"]), int(note["end"])
                missing = note["side"] == "source" or (start == end == segment_lengths.get(segment) and note["category"] == OMISSION)
                spans.append({"start_i": "missing" if missing else start, "end_i": "missing" if missing else end,
                              "severity": note["severity"].lower(),
                              "error_type": None if note["category"] == UNSPECIFIED else note["category"]})
            writer.writerow([annotator, system, segment, "TGT", _alpha3(document["lang"]), _alpha3(translation["lang"]), item["score"],
                             f"{document['id']}#{system}", "False", json.dumps(spans, ensure_ascii=False)])
            written += 1
    return out.getvalue(), {"rows": written, "unit": "items", "skipped": skipped, **summary}
