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

import contextlib
import gc
import os
from collections import Counter
from hashlib import sha1
from itertools import accumulate, groupby, repeat
from operator import add, methodcaller
from pathlib import Path
from typing import Callable

from corpus.errors import InputError
from corpus.formats.reading import read_lines
from corpus.ingest import Ingest, one_line

CHUNK = 20_000
HEXDIGEST = methodcaller("hexdigest")


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
    named = ingest.translations_named(document_id, tgt_lang)
    if not named:  # not stored, or stored without a translation into tgt_lang (claim_id then says so)
        if named is not None:
            return False
        stored = ingest.language_pair_links(src_lang, tgt_lang, as_written)
        return len(sources) <= stored.total() and not Counter(zip(sources, targets)) - stored
    pairs = list(zip(sources, targets))
    stored = ingest.aligned_pairs(named, as_written)
    for index, pair in enumerate(pairs):
        if stored[pair] == 0:
            line, what = locate(index)
            raise ingest.error(f"duplicate document id {document_id!r} with other text: {what} is not one of its stored "
                               f"aligned pairs (a re-import must carry the same texts)", line)
        stored[pair] -= 1
    return True


@contextlib.contextmanager
def gc_paused():
    """Python's cycle collector off while millions of short-lived row tuples are made: they hold no cycles, and
    each collection would walk every live one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def line_numbers(first: int, count: int) -> tuple[list[int], list[str]]:
    """The indexes of count lines from first, as numbers and as text: made once for both sides and the links."""
    indexes = list(range(first, first + count))
    return indexes, list(map(str, indexes))


def segment_values(document_id: str, translation_id: str | None, lines: list[str], numbers: tuple[list[int], list[str]],
                   position: int) -> tuple[list[tuple], int]:
    """Rows of the segments table, as tuples in its column order, for one segment (and paragraph) per line, the
    lines numbered by line_numbers(); `position` is the offset of the first line in the text the lines joined by
    newlines make. Returns the rows and the offset after the last line. Built column by column with iterators that
    run in C: at a million lines the Python per row would cost more than SQLite's insert."""
    text_id = translation_id or document_id
    side = "target" if translation_id else "source"
    indexes, index_texts = numbers
    lengths = list(map(len, lines))
    starts = list(accumulate(map((1).__add__, lengths), initial=position))  # one more: the offset after the last line
    ids = map((text_id + ":").__add__, index_texts)
    hashes = map(HEXDIGEST, map(sha1, map(str.encode, lines)))  # corpus.clock.text_hash of each line
    rows = list(zip(ids, repeat(document_id), repeat(translation_id), repeat(side), indexes, indexes, starts,
                    map(add, starts, lengths), lines, hashes))
    return rows, starts[-1]


def link_values(document_id: str, translation_id: str, numbers: tuple[list[int], list[str]], actor: str, at: str) -> list[tuple]:
    """Rows of the alignments table, as tuples in its column order: confirmed 1-1 links of segment i to i."""
    index_texts = numbers[1]
    ids = map("{}|{}|{}".format, repeat(translation_id), index_texts, index_texts)  # corpus.ingest.alignment_id
    sides = list(map("[{}]".format, index_texts))  # the JSON of [i]
    return list(zip(ids, repeat(document_id), repeat(translation_id), sides, sides, repeat("parallel-import"), repeat(None),
                    repeat("confirmed"), repeat(actor), repeat(at)))


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
    with gc_paused():
        _write_chunks(ingest, document_id, translation_id, sources, targets, progress)
    return translation_id


def _write_chunks(ingest: Ingest, document_id: str, translation_id: str, sources: list[str], targets: list[str], progress) -> None:
    """The segments and links of a line-aligned document, CHUNK lines at a time, each chunk with its journal entries."""
    src_position = tgt_position = 0
    for offset in range(0, len(sources), CHUNK):
        numbers = line_numbers(offset, len(sources[offset : offset + CHUNK]))
        source_rows, src_position = segment_values(document_id, None, sources[offset : offset + CHUNK], numbers, src_position)
        target_rows, tgt_position = segment_values(document_id, translation_id, targets[offset : offset + CHUNK], numbers, tgt_position)
        ingest.tx.insert_values("segments", source_rows, f"{document_id}@{offset}", {"document_id": document_id})
        ingest.tx.insert_values("segments", target_rows, f"{translation_id}@{offset}", {"translation_id": translation_id})
        links = link_values(document_id, translation_id, numbers, ingest.tx.actor, ingest.tx.at)
        ingest.tx.insert_values("alignments", links, f"{translation_id}@{offset}", {"method": "parallel-import"})
        if progress is not None:
            progress.update(len(source_rows))
