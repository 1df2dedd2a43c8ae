"""`calque import wmt`: a WMT test set (text layout directory, or WMT XML plain or .gz) into the corpus.

One document per WMT document (the whole set when it has no document ids) with its domain; its source cut
exactly as the lines (or <seg>s) are; every reference a human translation and every system output an MT
translation named after its system; segments aligned 1-1 by confirmed links (the lines are the alignment).
Ids and metadata: corpus.formats.wmt_set. Everything is written in the caller's one transaction.

Re-importing is keyed on content: a document stored with the same texts is skipped (a translation it lacks,
such as a system added to the directory since, is added to it), while other text under a stored id is
refused in one line naming the file and line that differ.
"""
from __future__ import annotations

from pathlib import Path
from sqlalchemy import select

from corpus import schema
from corpus.errors import InputError
from corpus.formats.wmt_set import (
    LINK_METHOD,
    METADATA_KEY,
    Side,
    WMTSet,
    check_names,
    document_metadata,
    reference_translation_id,
    system_translation_id,
)
from corpus.ingest import Ingest, segment_rows
from corpus.segment import Segment

CHUNK = 500  # ids per IN (...) query


def read_wmt(path: str | Path, langs: str | None = None, name: str | None = None) -> WMTSet:
    """A WMT test set from a text-layout directory or a WMT XML file (.xml, .xml.gz)."""
    from corpus.formats.wmt_text import is_text_layout, read_wmt_text
    from corpus.formats.wmt_xml import read_wmt_xml

    pair = None
    if langs is not None:
        src, sep, tgt = langs.partition("-")
        if not sep or not src or not tgt:
            raise InputError(f"--langs must look like SRC-TGT (e.g. en-de), not {langs!r}")
        pair = (src, tgt)
    path = Path(path)
    if path.is_dir():
        if not is_text_layout(path):
            raise InputError("not a WMT test set: no sources/ folder (text layout) in this directory", str(path))
        return read_wmt_text(path, pair, name)
    if path.name.endswith((".xml", ".xml.gz")):
        wmt_set = read_wmt_xml(path, pair)
        if name is not None and name != wmt_set.name:
            raise InputError(f"the file holds test set {wmt_set.name!r}, not {name!r}", str(path))
        return wmt_set
    if not path.exists():
        raise InputError("no such file or directory", str(path))
    raise InputError("not a WMT test set: expected a directory in the WMT text layout or a .xml / .xml.gz file", str(path))


def layout(side: Side) -> tuple[str, list[Segment]]:
    """The side's full text and its segments: one per line, a blank line between paragraphs where the side has them."""
    pieces: list[str] = []
    segments: list[Segment] = []
    position = 0
    for index, text in enumerate(side.segments):
        if index:
            same = side.paragraphs is None or side.paragraphs[index] == side.paragraphs[index - 1]
            separator = "\n" if same else "\n\n"
            pieces.append(separator)
            position += len(separator)
        segments.append(Segment(index, side.paragraph_of(index), position, position + len(text), text))
        pieces.append(text)
        position += len(text)
    return "".join(pieces), segments


def _stored_segments(ingest: Ingest, document_ids: list[str]) -> tuple[set[str], dict[str, list[str]]]:
    """The ids among document_ids that are stored, and the segment texts of each of their texts (source: the document id)."""
    d, s = schema.documents, schema.segments
    stored: set[str] = set()
    texts: dict[str, dict[int, str]] = {}
    connection = ingest.tx.connection
    for start in range(0, len(document_ids), CHUNK):
        chunk = document_ids[start : start + CHUNK]
        stored.update(connection.execute(select(d.c.id).where(d.c.id.in_(chunk))).scalars())
    present = sorted(stored)
    for start in range(0, len(present), CHUNK):
        rows = connection.execute(select(s.c.document_id, s.c.translation_id, s.c.idx, s.c.text)
                                  .where(s.c.document_id.in_(present[start : start + CHUNK])))
        for row in rows:
            texts.setdefault(row.translation_id or row.document_id, {})[row.idx] = row.text
    return stored, {text_id: [by_idx[i] for i in sorted(by_idx)] for text_id, by_idx in texts.items()}


def _claim(ingest: Ingest, wanted: dict[str, tuple[str, str, int | None]]) -> None:
    """Refuse, as Ingest.claim_id would, an id about to be written that a document or translation already holds
    (documents and translations share the id namespace of segments), with a few IN queries instead of two per id."""
    ids = sorted(wanted)
    connection = ingest.tx.connection
    for table in (schema.documents, schema.translations):
        for start in range(0, len(ids), CHUNK):
            taken = next(iter(connection.execute(select(table.c.id).where(table.c.id.in_(ids[start : start + CHUNK]))).scalars()), None)
            if taken is not None:
                kind, path, line = wanted[taken]
                other = table.name[:-1]
                problem = f"duplicate {kind} id {taken!r}" if other == kind else f"{kind} id {taken!r} is already the id of a {other}"
                raise InputError(problem, path, line)


def _same_text(stored: list[str] | None, side: Side, text_id: str, ingest: Ingest) -> None:
    stored = stored or []
    for index, text in enumerate(side.segments):
        if index >= len(stored) or stored[index] != text:
            raise InputError(f"{text_id!r} is stored with other text: this line is not its segment {index} "
                             "(a re-import must carry the same texts)", side.path, side.lines[index])
    if len(stored) > len(side.segments):
        raise InputError(f"{text_id!r} is stored with {len(stored)} segments, this file gives it {len(side.segments)}",
                         side.path, side.lines[-1] if side.lines else None)


class _Rows:
    """Rows of one import, inserted table by table at the end (documents before translations before segments)."""

    def __init__(self, ingest: Ingest):
        self.ingest = ingest
        self.documents: list[dict] = []
        self.translations: list[dict] = []
        self.segments: dict[str, list[dict]] = {}
        self.links: dict[str, list[dict]] = {}

    def text(self, document_id: str, translation_id: str | None, segments: list[Segment]) -> None:
        self.segments.setdefault(document_id, []).extend(segment_rows(document_id, translation_id, segments))
        if translation_id is not None:
            tx = self.ingest.tx
            self.links.setdefault(document_id, []).extend(
                {"id": f"{translation_id}|{i}|{i}", "document_id": document_id, "translation_id": translation_id, "source_idx": [i],
                 "target_idx": [i], "method": LINK_METHOD, "score": None, "status": "confirmed", "actor": tx.actor, "created_at": tx.at}
                for i in range(len(segments)))

    def write(self) -> None:
        tx = self.ingest.tx
        tx.insert("documents", self.documents)
        tx.insert("translations", self.translations)
        for document_id, rows in self.segments.items():
            tx.insert_bulk("segments", rows, document_id, {"document_id": document_id})
        for document_id, rows in self.links.items():
            tx.insert_bulk("alignments", rows, document_id, {"method": LINK_METHOD})


def import_wmt(ingest: Ingest, wmt_set: WMTSet, license: str | None = None, progress=None) -> list[str]:
    """Store the set through `ingest`; returns the ids of the documents created (skipped ones count in
    ingest.already_present)."""
    check_names(wmt_set, wmt_set.origin)
    document_ids = [wmt_set.document_id(d) for d in wmt_set.documents]
    stored, stored_texts = _stored_segments(ingest, document_ids)
    provenance = f"WMT test set {wmt_set.name} {wmt_set.langs} ({wmt_set.format}), imported from {Path(wmt_set.origin).name}"
    rows = _Rows(ingest)
    created: list[str] = []
    claims: dict[str, tuple[str, str, int | None]] = {}  # id -> (kind, file, line) of what is about to be written
    for document, document_id in zip(wmt_set.documents, document_ids):
        line = document.source.lines[0] if document.source.lines else None
        translations = [(reference_translation_id(document_id, n), "human", n, "reference", side) for n, side in sorted(document.references.items())]
        translations += [(system_translation_id(document_id, n), "mt", n, "system", side) for n, side in sorted(document.systems.items())]
        if document_id in stored:
            _same_text(stored_texts.get(document_id), document.source, document_id, ingest)
            new = []
            for entry in translations:
                if entry[0] in stored_texts:
                    _same_text(stored_texts[entry[0]], entry[4], entry[0], ingest)
                else:
                    new.append(entry)
            translations = new
            if not translations:
                ingest.already_present += 1
                continue
        else:
            text, segments = layout(document.source)
            rows.documents.append({
                "id": document_id, "title": document.wmt_id or wmt_set.key,
                "lang": wmt_set.src_lang, "domain": document.domain, "url": None, "publisher": None, "date": None,
                "license": license, "provenance": provenance, "metadata": document_metadata(wmt_set, document),
                "source_text": text, "created_at": ingest.tx.at,
            })
            rows.text(document_id, None, segments)
            created.append(document_id)
            claims[document_id] = ("document", document.source.path, line)
        for translation_id, producer, name, role, side in translations:
            text, segments = layout(side)
            rows.translations.append({
                "id": translation_id,
                "document_id": document_id, "lang": wmt_set.tgt_lang, "producer": producer, "system": name, "system_version": None,
                "date": None, "license": license, "provenance": provenance, "metadata": {METADATA_KEY: {"role": role, "name": name}},
                "text": text, "created_at": ingest.tx.at,
            })
            rows.text(document_id, translation_id, segments)
            claims[translation_id] = ("translation", side.path, side.lines[0] if side.lines else None)
        if progress is not None:
            progress.update(1)
    _claim(ingest, claims)
    rows.write()
    return created


def import_wmt_into(corpus, path: str | Path, langs: str | None = None, name: str | None = None, license: str | None = None,
                    progress=None) -> dict:
    """Read a WMT test set and store it in one transaction; the summary names the set and what reading left out.
    progress: an object with update(n) (a tqdm bar), told of each document stored."""
    wmt_set = read_wmt(path, langs, name)
    result = corpus._import(f"import wmt {path}", str(path), lambda ingest: import_wmt(ingest, wmt_set, license, progress))
    return {"set": wmt_set.key, "format": wmt_set.format, "documents": len(wmt_set.documents), "lines": wmt_set.lines,
            "references": sorted({r for d in wmt_set.documents for r in d.references}),
            "systems": sorted({s for d in wmt_set.documents for s in d.systems}), "notes": wmt_set.notes, **result}

