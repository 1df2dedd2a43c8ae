"""`calque export DIR --format wmt`: every WMT test set of the corpus written back in the WMT text layout
(corpus.formats.wmt_text): sources/, references/, system-outputs/ and, when the set had document ids,
documents/<set>.<src>-<tgt>.docs with as many columns as the imported one. One segment per line in the set's
line order, each file ending in a newline, so a text-layout import comes back byte for byte.

A reference or system that lacks a document of the set cannot make a parallel file and is left out, with the
reason in the summary; a line break inside a segment (possible in XML) is written as a space and counted.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from corpus import schema
from corpus.atomic import atomic_write
from corpus.errors import EmptyExport
from corpus.formats.wmt_stored import CHUNK, StoredSet, stored_sets
from corpus.ingest import LINE_BREAKS


def _texts(connection, text_ids: list[str], source_of: set[str]) -> dict[str, list[str]]:
    """Segment texts per text id (a document id stands for its source), in segment order."""
    s = schema.segments
    found: dict[str, dict[int, str]] = {}
    for start in range(0, len(text_ids), CHUNK):
        chunk = text_ids[start : start + CHUNK]
        sources = [t for t in chunk if t in source_of]
        translations = [t for t in chunk if t not in source_of]
        queries = []
        if sources:
            queries.append(select(s.c.document_id.label("text_id"), s.c.idx, s.c.text).where(s.c.document_id.in_(sources) & (s.c.side == "source")))
        if translations:
            queries.append(select(s.c.translation_id.label("text_id"), s.c.idx, s.c.text).where(s.c.translation_id.in_(translations)))
        for query in queries:
            for row in connection.execute(query):
                found.setdefault(row.text_id, {})[row.idx] = row.text
    return {t: [by_idx[i] for i in sorted(by_idx)] for t, by_idx in found.items()}


def _write(path: Path, lines: list[str], flattened: list[int]) -> str:
    text = []
    for line in lines:
        flat = LINE_BREAKS.sub(" ", line)
        flattened[0] += flat != line
        text.append(flat + "\n")
    with atomic_write(path, "wb", encoding=None) as stream:
        stream.write("".join(text).encode("utf-8"))
    return str(path)


def write_set(connection, stored: StoredSet, directory: Path) -> dict:
    documents = stored.documents
    text_ids = [d.id for d in documents] + [t for d in documents for names in (d.references, d.systems) for t in names.values()]
    texts = _texts(connection, text_ids, {d.id for d in documents})
    src, tgt = stored.src_lang, stored.tgt_lang
    prefix = f"{stored.name}.{stored.langs}"
    flattened, files, left_out = [0], [], {}
    files.append(_write(directory / "sources" / f"{prefix}.src.{src}", [line for d in documents for line in texts.get(d.id, [])], flattened))
    for role, folder, infix in (("reference", "references", "ref"), ("system", "system-outputs", "hyp")):
        for name in (stored.references if role == "reference" else stored.systems):
            ids = [stored.translation(d, role, name) for d in documents]
            if None in ids:
                left_out[f"{role} {name}"] = f"has no translation of document {documents[ids.index(None)].id!r}"
                continue
            lines = [line for t in ids for line in texts.get(t, [])]
            files.append(_write(directory / folder / f"{prefix}.{infix}.{name}.{tgt}", lines, flattened))
    if stored.docs_columns:
        rows = [(d.domain or "", d.wmt_id or "") for d in documents for _ in range(d.segments)]
        lines = [f"{domain}\t{wmt_id}" if stored.docs_columns == 2 else wmt_id for domain, wmt_id in rows]
        files.append(_write(directory / "documents" / f"{prefix}.docs", lines, flattened))
    return {"set": stored.key, "lines": stored.lines, "files": files, "left_out": left_out, "line_breaks_as_spaces": flattened[0]}


def export_directory(corpus, destination) -> dict:
    """Write every WMT set of the corpus under destination; EmptyExport (nothing written) when it holds none."""
    directory = Path(destination)
    with corpus.engine.connect() as connection:
        sets = stored_sets(connection)
        if not sets:
            raise EmptyExport("the corpus holds no WMT test set (import one with `calque import wmt DIR`)")
        written = [write_set(connection, stored, directory) for _, stored in sorted(sets.items())]
    return {"files": [f for w in written for f in w["files"]], "sets": written}
