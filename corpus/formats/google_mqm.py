"""Google's MQM TSV (github.com/google/wmt-mqm-human-evaluation), read and written as mt-metrics-eval does.

One row per error, tab-separated, no quoting (csv.QUOTE_NONE):

    system  doc  doc_id  seg_id  rater  source  target  category  severity  [comment]

The erroneous span is wrapped in <v>…</v> inside the source (omissions) or the target; a segment a rater
found faultless has one row with category and severity "No-error". seg_id numbers segments across the
whole test set, doc_id within their document.

Rows that fit a WMT test set the corpus holds (`calque import wmt`; seg_id = line of the set) annotate its
translations (corpus.formats.google_mqm_wmt). Otherwise import creates what is missing: one document per
`doc` (its source sentences in seg_id order, one segment each), one translation per system and document
(producer "human" for ref*/Human* systems, "mt" otherwise) with one target segment per seg_id, confirmed
1-1 alignment links, and one annotation per row (No-error rows become the "No-error" marker of
corpus.typology). Documents and translations that already exist (from an earlier Google import) are reused
after checking that their texts agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from sqlalchemy import select

from corpus import schema
from corpus.errors import CalqueError, InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.google_mqm_wmt import fitting_set, import_onto_set
from corpus.formats.reading import iter_lines
from corpus.ingest import Ingest, alignment_id
from corpus.languages import normalize_language
from corpus.typology import NO_ERROR, is_marker, marker_record

REQUIRED_COLUMNS = ("system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category", "severity")
COLUMNS = REQUIRED_COLUMNS + ("comment",)
SEVERITIES = {"major": "Major", "minor": "Minor", "neutral": "Neutral", "critical": "Critical"}
OPEN, CLOSE = "<v>", "</v>"
UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
HUMAN_SYSTEM = re.compile(r"^(ref|human)", re.IGNORECASE)
LANGUAGE_PAIR = re.compile(r"(?<![a-z])([a-z]{2})([a-z]{2})(?![a-z])")
METADATA_KEY = "google_mqm"


def safe_id(value: str) -> str:
    return UNSAFE_ID.sub("-", value).strip("-") or "x"


def split_span(cell: str, column: str, path: str, line: int, repaired: list[int] | None = None) -> tuple[str, int | None, int | None]:
    """The cell's text without <v>…</v> and the marked span's offsets (None when nothing is marked).

    A lone <v> without </v> marks the rest of the cell (Google's TED en-de file has one such row, its
    closing tag lost at the end of the line); its line is added to `repaired`. Any other imbalance
    (a stray </v>, two <v>, </v> before <v>) is an error."""
    opens, closes = cell.count(OPEN), cell.count(CLOSE)
    if opens == closes == 0:
        return cell, None, None
    if opens == 1 and closes == 0:
        if repaired is not None:
            repaired.append(line)
        start = cell.find(OPEN)
        return cell[:start] + cell[start + len(OPEN) :], start, len(cell) - len(OPEN)
    start = cell.find(OPEN)
    end = cell.find(CLOSE)
    if opens != 1 or closes != 1 or end < start:
        raise InputError(f"span markers unbalanced in {column} ({opens} <v>, {closes} </v>)", path, line)
    plain = cell[:start] + cell[start + len(OPEN) : end] + cell[end + len(CLOSE) :]
    return plain, start, end - len(OPEN)


def languages_from_name(path: str) -> tuple[str, str] | None:
    """('en', 'de') from a name like mqm_ted_ende.tsv; None when the name carries no language pair."""
    for match in reversed(list(LANGUAGE_PAIR.finditer(Path(path).name.lower()))):
        try:
            src, tgt = normalize_language(match.group(1)), normalize_language(match.group(2))
        except ValueError:
            continue
        if src != tgt:
            return src, tgt
    return None


@dataclass
class Row:
    line: int
    system: str
    doc: str
    doc_id: str
    seg_id: int
    rater: str
    source: str
    target: str
    side: str | None
    start: int | None
    end: int | None
    category: str
    severity: str | None  # None: a No-error row
    comment: str | None

    def record(self, translation_id: str, segment: int) -> dict:
        """The annotation record of this row on a translation's segment (a No-error row: the marker)."""
        if self.severity is None:
            return marker_record(segment=segment, translation=translation_id, annotator=self.rater, origin="human", comment=self.comment)
        text = self.source if self.side == "source" else self.target
        return {"translation": translation_id, "side": self.side, "segment": segment, "start": self.start, "end": self.end,
                "text": text[self.start : self.end], "category": self.category, "severity": self.severity,
                "annotator": self.rater, "origin": "human", "comment": self.comment}


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)
    sources: dict[str, dict[int, tuple[str, str, int]]] = field(default_factory=dict)  # doc -> seg_id -> (text, doc_id, line)
    targets: dict[tuple[str, str], dict[int, tuple[str, int]]] = field(default_factory=dict)  # (doc, system) -> seg_id -> (text, line)


def parse(path: str) -> Parsed:
    parsed = Parsed()
    header: list[str] | None = None
    for number, line in iter_lines(path):
        fields = line.split("\t")
        if header is None:
            header = [name.strip() for name in fields]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(f"not a Google MQM TSV: header lacks column(s) {', '.join(missing)}", path, number)
            continue
        if not line.strip():
            continue
        if len(fields) != len(header):
            raise InputError(f"expected {len(header)} tab-separated columns, found {len(fields)}", path, number)
        cell = dict(zip(header, fields))
        try:
            seg_id = int(cell["seg_id"])
        except ValueError:
            raise InputError(f"seg_id must be an integer, got {cell['seg_id']!r}", path, number) from None
        for name in ("system", "doc", "rater"):
            if not cell[name].strip():
                raise InputError(f"empty {name}", path, number)
        source, s_start, s_end = split_span(cell["source"], "source", path, number, parsed.repaired)
        target, t_start, t_end = split_span(cell["target"], "target", path, number, parsed.repaired)
        category, severity_text = cell["category"].strip(), cell["severity"].strip()
        no_error = severity_text.lower() == "no-error" or category.lower() == "no-error"
        if no_error:
            severity, side, start, end = None, None, None, None
            if s_start is not None or t_start is not None:
                raise InputError("a No-error row cannot mark a span", path, number)
            category = NO_ERROR
        else:
            severity = SEVERITIES.get(severity_text.lower())
            if severity is None:
                raise InputError(f"unknown severity {severity_text!r} (expected Major, Minor, Neutral, Critical or No-error)", path, number)
            if not category:
                raise InputError("empty category", path, number)
            if s_start is not None and t_start is not None:
                raise InputError("a span is marked in both source and target", path, number)
            if s_start is not None:
                side, start, end = "source", s_start, s_end
            elif t_start is not None:
                side, start, end = "target", t_start, t_end
            else:  # an error without a span (Non-translation) covers the whole target
                side, start, end = "target", 0, len(target)
        doc = cell["doc"]  # a segment is (doc, seg_id): WMT files number segments across the file, others per document
        known = parsed.sources.setdefault(doc, {}).setdefault(seg_id, (source, cell["doc_id"], number))
        if known[0] != source:
            raise InputError(f"source of seg_id {seg_id} differs from line {known[2]}", path, number)
        system = cell["system"]
        known_target = parsed.targets.setdefault((doc, system), {}).setdefault(seg_id, (target, number))
        if known_target[0] != target:
            raise InputError(f"target of seg_id {seg_id} for {system} differs from line {known_target[1]}", path, number)
        comment = cell.get("comment", "").strip() or None
        parsed.rows.append(Row(number, system, doc, cell["doc_id"], seg_id, cell["rater"], source, target, side, start, end,
                               category, severity, comment))
    if header is None or not parsed.rows:
        raise InputError("no MQM rows", path)
    return parsed


def _layout(lines: list[str]) -> tuple[str, list[dict]]:
    segments, position = [], 0
    for idx, text in enumerate(lines):
        segments.append({"paragraph": idx, "start": position, "end": position + len(text)})
        position += len(text) + 1
    return "\n".join(lines), segments


def _existing(ingest: Ingest, table, row_id: str) -> dict | None:
    row = ingest.tx.connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row else None


def _existing_segments(ingest: Ingest, document: dict, sources: dict, path: str, first_line: int) -> dict[int, int]:
    """seg_id -> segment index in a document the corpus already holds: by the seg_ids it was imported with,
    else (Calque's own export of any document) by doc_id, the 1-based position in the document. Either way
    the texts must match what is stored."""
    document_id = document["id"]
    seg_ids = ((document.get("metadata") or {}).get(METADATA_KEY) or {}).get("seg_ids")
    ingest.text_info(document_id, first_line)
    stored = {s["idx"]: s["text"] for s in ingest.segments_of(document_id)}
    index = {}
    for seg_id, (text, doc_id, line) in sources.items():
        if seg_ids:
            if seg_id not in seg_ids:
                raise InputError(f"seg_id {seg_id} is not part of existing document {document_id!r}", path, line)
            idx = seg_ids.index(seg_id)
            if stored.get(idx) != text:
                raise InputError(f"source of seg_id {seg_id} differs from existing document {document_id!r}", path, line)
        else:  # the source cell holds the source aligned to target segment doc_id; the target is checked below
            idx = int(doc_id) - 1 if doc_id.strip().isdigit() and len(doc_id) < 10 else -1
            if not 0 <= idx:
                raise InputError(f"document {document_id!r} exists and doc_id {doc_id!r} is not a segment position (use --id-prefix)", path, line)
        index[seg_id] = idx
    return index


def _existing_translation(ingest: Ingest, document_id: str, system: str) -> str | None:
    """The one translation of document_id whose system (or id, as Calque exports name it) is `system`."""
    t = schema.translations
    found = ingest.tx.connection.execute(
        select(t.c.id).where((t.c.document_id == document_id) & ((t.c.system == system) | (t.c.id == system)))
    ).scalars().all()
    return found[0] if len(found) == 1 else None


def import_google_mqm(ingest: Ingest, path: str, src_lang: str | None = None, tgt_lang: str | None = None,
                      id_prefix: str = "", progress=None, testset: str | None = None) -> dict:
    """Import a Google MQM TSV through `ingest` (one transaction); returns counts of what was created. Rows that fit
    a WMT test set of the corpus annotate it (corpus.formats.google_mqm_wmt) instead of creating documents."""
    if not (src_lang and tgt_lang):
        guessed = languages_from_name(path)
        if guessed is None:
            raise InputError("cannot tell the languages from the file name; give --src-lang and --tgt-lang", path)
        src_lang, tgt_lang = src_lang or guessed[0], tgt_lang or guessed[1]
    src_lang = ingest.language(src_lang, "src_lang", None)
    tgt_lang = ingest.language(tgt_lang, "tgt_lang", None)
    parsed = parse(path)
    stored = fitting_set(ingest, parsed, f"{src_lang}-{tgt_lang}", testset, path)
    if stored is not None:
        return import_onto_set(ingest, parsed, stored, path, progress)
    writer = AnnotationWriter(ingest)
    counts = {"documents": 0, "translations": 0, "annotations": 0, "no_error": 0, "rows": len(parsed.rows),
              "unclosed_spans_read_to_end": parsed.repaired}
    seg_index: dict[str, dict[int, int]] = {}
    translation_of: dict[tuple[str, str], str] = {}
    for doc, sources in parsed.sources.items():
        document_id = id_prefix + safe_id(doc)
        first_line = min(line for _, _, line in sources.values())
        existing = _existing(ingest, schema.documents, document_id)
        if existing is None:
            if not any(text.strip() for text, _, _ in sources.values()):
                raise InputError(f"doc {doc!r} has no source text (an export of unaligned translations carries none): "
                                 "import it into a corpus that holds the document", path, first_line)
            seg_ids = sorted(sources)
            text, layout = _layout([sources[s][0] for s in seg_ids])
            metadata = {METADATA_KEY: {"doc": doc, "seg_ids": seg_ids, "doc_ids": [sources[s][1] for s in seg_ids]}}
            ingest.document({"id": document_id, "title": doc, "lang": src_lang, "metadata": metadata,
                             "provenance": f"Google MQM TSV {Path(path).name}", "source": {"text": text, "segments": layout}}, first_line)
            counts["documents"] += 1
            seg_index[doc] = {seg_id: idx for idx, seg_id in enumerate(seg_ids)}
        else:
            seg_index[doc] = _existing_segments(ingest, existing, sources, path, first_line)
    for (doc, system), targets in parsed.targets.items():
        document_id = id_prefix + safe_id(doc)
        translation_id = _existing_translation(ingest, document_id, system) or f"{document_id}.{safe_id(system)}"
        translation_of[(doc, system)] = translation_id
        first_line = min(line for _, line in targets.values())
        index = seg_index[doc]
        if _existing(ingest, schema.translations, translation_id) is None:
            lines = [""] * max(len(index), len(ingest.segments_of(document_id)))
            for seg_id, (text, line) in targets.items():
                if index[seg_id] >= len(lines):
                    raise InputError(f"seg_id {seg_id} is at position {index[seg_id] + 1} of document {document_id!r}, "
                                     f"which has {len(lines)} segments", path, line)
                lines[index[seg_id]] = text
            text, layout = _layout(lines)
            ingest.translation(document_id, {
                "id": translation_id, "lang": tgt_lang, "producer": "human" if HUMAN_SYSTEM.match(system) else "mt",
                "system": system, "text": text, "segments": layout, "provenance": f"Google MQM TSV {Path(path).name}",
                "metadata": {METADATA_KEY: {"system": system}},
            }, first_line)
            links = [{"id": alignment_id(translation_id, [i], [i]), "document_id": document_id, "translation_id": translation_id,
                      "source_idx": [i], "target_idx": [i], "method": "google-mqm-import", "score": None, "status": "confirmed",
                      "actor": ingest.tx.actor, "created_at": ingest.tx.at} for i in range(len(lines))]
            ingest.tx.insert_bulk("alignments", links, translation_id, {"method": "google-mqm-import"})
            counts["translations"] += 1
        else:
            ingest.text_info(translation_id, first_line)
            stored = {s["idx"]: s["text"] for s in ingest.segments_of(translation_id)}
            for seg_id, (text, line) in targets.items():
                if stored.get(index[seg_id]) != text:
                    raise InputError(f"target of seg_id {seg_id} differs from existing translation {translation_id!r}", path, line)
    for row in parsed.rows:
        translation_id = translation_of[(row.doc, row.system)]
        idx = seg_index[row.doc][row.seg_id]
        counts["no_error" if row.severity is None else "annotations"] += 1
        writer.add(row.record(translation_id, idx), row.line)
        if progress is not None:
            progress.update(1)
    counts["already_present"] = writer.skipped
    return counts


# -- export ------------------------------------------------------------------------------------------
def _cell(value: str, what: str) -> str:
    if "\t" in value or "\n" in value or "\r" in value:
        raise CalqueError(f"cannot write {what} as Google MQM TSV: it contains a tab or line break")
    if OPEN in value or CLOSE in value:
        raise CalqueError(f"cannot write {what} as Google MQM TSV: it contains a literal <v> or </v>")
    return value


def _mark(text: str, start: int, end: int) -> str:
    return f"{text[:start]}{OPEN}{text[start:end]}{CLOSE}{text[end:]}"


def export_rows(corpus, translation_ids: list[str] | None = None) -> tuple[list[list[str]], dict]:
    """The TSV rows (header first) for the annotations of the given translations (all when None).

    Rejected and stale annotations are left out (a stale span no longer fits its segment); source-side
    annotations without a translation (errors in the source itself) have no place in this format."""
    from corpus.formats.units import translation_units

    translations = corpus.translations()
    if translation_ids is not None:
        translations = translations[translations.id.isin(translation_ids)]
    rows: list[list[str]] = [list(COLUMNS)]
    skipped = {"stale": 0, "rejected": 0, "unplaced": 0}
    seg_offset: dict[str, int] = {}
    next_offset = 0
    for translation in translations.to_dict("records"):
        document = corpus.document(translation["document_id"])
        meta = (document.get("metadata") or {}).get(METADATA_KEY) or {}
        units = translation_units(corpus, translation["id"])
        if not meta and translation["document_id"] not in seg_offset:
            seg_offset[translation["document_id"]] = next_offset
            next_offset += max(len(units), 1)
        system = translation.get("system") or translation["id"]
        notes = corpus.annotations(translation_id=translation["id"])
        grouped = units.group(notes.to_dict("records"), skipped, skip_rejected=True)
        for unit in units:
            for note in sorted(grouped.get(unit.target_idx, []), key=lambda n: (n["annotator"], is_marker(n["category"]), n["side"], n["start"], n["end"], n["category"], n["severity"], n["id"])):
                idx = unit.target_idx
                if meta:
                    doc, doc_id, seg_id = meta["doc"], str(meta["doc_ids"][idx]), str(meta["seg_ids"][idx])
                else:
                    doc, doc_id, seg_id = document["id"], str(idx + 1), str(seg_offset[document["id"]] + idx + 1)
                where = f"segment {idx} of {translation['id']}"
                source, target = _cell(unit.source, f"the source of {where}"), _cell(unit.target, where)
                if is_marker(note["category"]):
                    category = severity = NO_ERROR
                else:
                    category, severity = note["category"], note["severity"]
                    start, end = int(note["start"]), int(note["end"])
                    if note["side"] == "source":
                        offset = unit.source_offset(int(note["segment_idx"]))
                        source = _mark(source, offset + start, offset + end)
                    else:
                        target = _mark(target, start, end)
                rows.append([_cell(str(system), "a system name"), _cell(str(doc), "a document name"), doc_id, seg_id,
                             _cell(note["annotator"], "an annotator name"), source, target, _cell(category, "a category"),
                             severity, _cell(note["comment"] or "", f"a comment on {where}")])
    return rows, skipped


def import_file(ingest: Ingest, path: str, progress=None, src_lang: str | None = None, tgt_lang: str | None = None,
                id_prefix: str = "", testset: str | None = None, **_ignored) -> dict:
    return import_google_mqm(ingest, path, src_lang=src_lang, tgt_lang=tgt_lang, id_prefix=id_prefix or "", progress=progress,
                             testset=testset)


def export_text(corpus, translation_ids: list[str] | None = None, **_ignored) -> tuple[str, dict]:
    rows, skipped = export_rows(corpus, translation_ids)
    return "".join("\t".join(row) + "\n" for row in rows), {"rows": len(rows) - 1, "skipped": skipped}
