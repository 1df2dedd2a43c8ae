"""Line-aligned parallel files (Moses style): line i of the source translates line i of the target.

Each line becomes one segment on each side and one confirmed 1-1 alignment link. Without document
ids the pair of files is one document; with a document-id file (one id per line, as WMT ships them)
consecutive lines sharing an id form a document.

Re-importing is idempotent, keyed on content: a document whose line pairs are all stored already as 1-1 links
(of the translation or document its id names, else of any translation of the language pair) is skipped, so
Calque's own Moses export (`calque export --format moses`, whose .docids name the translations) re-imports
into the same corpus as a no-op. An id that names a stored text whose links lack one of the pairs is refused.
"""
from __future__ import annotations

import os
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import Callable

from corpus.errors import InputError
from corpus.formats.reading import read_lines
from corpus.ingest import Ingest, one_line, segment_rows
from corpus.segment import Segment

CHUNK = 20_000


def _document_id_from(path: str) -> str:
    name = Path(path).name
    return name.split(".")[0] or name


def import_parallel(
    ingest: Ingest,
    source_path: str,
    target_path: str,
    src_lang: str,
    tgt_lang: str,
    document_id: str | None = None,
    document_ids_path: str | None = None,
    producer: str = "human",
    system: str | None = None,
    progress=None,
    license: str | None = None,
) -> list[str]:
    sources = read_lines(source_path)
    targets = read_lines(target_path)
    if len(sources) != len(targets):
        raise InputError(
            f"line counts differ: {len(sources)} source lines ({os.path.basename(source_path)}) vs {len(targets)} target lines",
            target_path,
            min(len(sources), len(targets)) + 1,
        )
    if document_ids_path:
        ids = read_lines(document_ids_path)
        if len(ids) != len(sources):
            raise InputError(f"{len(ids)} document ids for {len(sources)} lines", document_ids_path, min(len(ids), len(sources)) + 1)
    else:
        ids = [document_id or _document_id_from(source_path)] * len(sources)
    return store_parallel(ingest, sources, targets, ids, src_lang, tgt_lang, producer, system, progress, license)


def store_parallel(ingest: Ingest, sources: list[str], targets: list[str], ids: list[str], src_lang: str, tgt_lang: str,
                   producer: str = "human", system: str | None = None, progress=None, license: str | None = None) -> list[str]:
    """Store line pairs as documents (consecutive lines sharing an id form one); returns the ids created. Lines
    are named by their 1-based position in errors."""
    created, start = [], 0
    for doc_id, group in groupby(ids):
        size = len(list(group))
        first = start + 1
        if already_stored(ingest, doc_id, sources[start : start + size], targets[start : start + size], src_lang, tgt_lang,
                          lambda index: (first + index, "this line pair")):
            ingest.already_present += 1
            start += size
            continue
        write_parallel_document(ingest, doc_id, sources[start : start + size], targets[start : start + size], src_lang, tgt_lang,
                                start + 1, producer, system, progress, license)
        created.append(doc_id)
        start += size
    return created


def already_stored(ingest: Ingest, document_id: str, sources: list[str], targets: list[str], src_lang: str, tgt_lang: str,
                   locate: Callable[[int], tuple[int | None, str]], as_written: Callable[[str], str] = one_line) -> bool:
    """True when every (source, target) pair is a stored 1-1 link (texts compared as_written, the way the export
    wrote them): of the translations the id names, else of any translation of the language pair. An id naming a
    stored text without one of the pairs is an InputError at locate(index of that pair) -> (line, what)."""
    src_lang = ingest.language(src_lang, "src_lang", None)
    tgt_lang = ingest.language(tgt_lang, "tgt_lang", None)
    pairs = list(zip(sources, targets))
    named = ingest.translations_named(document_id, tgt_lang)
    if not named:  # not stored, or stored without a translation into tgt_lang (claim_id then says so)
        return named is None and not Counter(pairs) - ingest.language_pair_links(src_lang, tgt_lang, as_written)
    stored = ingest.aligned_pairs(named, as_written)
    for index, pair in enumerate(pairs):
        if stored[pair] == 0:
            line, what = locate(index)
            raise ingest.error(f"duplicate document id {document_id!r} with other text: {what} is not one of its stored "
                               f"aligned pairs (a re-import must carry the same texts)", line)
        stored[pair] -= 1
    return True


def _segments(lines: list[str], first_idx: int, position: int) -> tuple[list[Segment], int]:
    """One segment (and paragraph) per line; `position` is the offset of the first line in the joined text."""
    segments = []
    for idx, line in enumerate(lines, start=first_idx):
        segments.append(Segment(idx, idx, position, position + len(line), line))
        position += len(line) + 1
    return segments, position


def write_parallel_document(
    ingest: Ingest,
    document_id: str,
    sources: list[str],
    targets: list[str],
    src_lang: str,
    tgt_lang: str,
    line: int | None,
    producer: str = "human",
    system: str | None = None,
    progress=None,
    license: str | None = None,
) -> str:
    """Write one line-aligned document in chunks, so a million lines never sit in memory as rows. Its names
    pass the boundary checks here; its lines were checked by the reader (strict UTF-8, no NUL)."""
    ingest.check("ParallelDocument", {"id": document_id, "producer": producer, "system": system, "license": license}, line)
    translation_id = f"{document_id}.{ingest.language(tgt_lang, 'tgt_lang', None)}"
    ingest.tx.insert(
        "documents",
        [
            {
                "id": ingest.claim_id("documents", document_id, line),
                "title": document_id,
                "lang": ingest.language(src_lang, "src_lang", None),
                "domain": None,
                "url": None,
                "publisher": None,
                "date": None,
                "license": license,
                "provenance": ingest.provenance,
                "metadata": {},
                "source_text": "\n".join(sources),
                "created_at": ingest.tx.at,
            }
        ],
    )
    ingest.tx.insert(
        "translations",
        [
            {
                "id": ingest.claim_id("translations", translation_id, line),
                "document_id": document_id,
                "lang": ingest.language(tgt_lang, "tgt_lang", None),
                "producer": producer,
                "system": system,
                "system_version": None,
                "date": None,
                "license": license,
                "provenance": ingest.provenance,
                "metadata": {},
                "text": "\n".join(targets),
                "created_at": ingest.tx.at,
            }
        ],
    )
    src_position = tgt_position = 0
    for offset in range(0, len(sources), CHUNK):
        source_segments, src_position = _segments(sources[offset : offset + CHUNK], offset, src_position)
        target_segments, tgt_position = _segments(targets[offset : offset + CHUNK], offset, tgt_position)
        source_rows = segment_rows(document_id, None, source_segments)
        target_rows = segment_rows(document_id, translation_id, target_segments)
        ingest.tx.insert_bulk("segments", source_rows, f"{document_id}@{offset}", {"document_id": document_id})
        ingest.tx.insert_bulk("segments", target_rows, f"{translation_id}@{offset}", {"translation_id": translation_id})
        links = [
            {
                "id": f"{translation_id}|{i}|{i}",
                "document_id": document_id,
                "translation_id": translation_id,
                "source_idx": [i],
                "target_idx": [i],
                "method": "parallel-import",
                "score": None,
                "status": "confirmed",
                "actor": ingest.tx.actor,
                "created_at": ingest.tx.at,
            }
            for i in range(offset, offset + len(source_rows))
        ]
        ingest.tx.insert_bulk("alignments", links, f"{translation_id}@{offset}", {"method": "parallel-import"})
        if progress is not None:
            progress.update(len(source_rows))
    return translation_id
