"""Calque's JSONL corpus format: one JSON object per line, told apart by its "type".

    {"type": "document", "id", "title", "lang", "domain", "url", "publisher", "date", "license",
     "metadata": {}, "source": {"text", "segments"?} | null, "translations": [{"id", "lang", "producer",
     "system", "system_version", "date", "license", "metadata", "text", "segments"?}]}
    {"type": "annotation", "document" | "translation", "text", "occurrence" | "segment"+"start"+"end",
     "category", "severity", "artifact_type", "annotator", "origin", "status", "comment", "correction"}
    {"type": "alignment", "translation", "source": [idx], "target": [idx], "method", "score", "status"}
    {"type": "concept", "id", "src_lang", "tgt_lang", "source_term", "approved", "variants", "forbidden", "domain", "note"}
    {"type": "artifact", "id", "artifact_type", "source_cue", "target_form", "src_lang", "tgt_lang", "note", "examples"}
    {"type": "pair", "document", "src_lang", "tgt_lang", "source", "target"}   (grouped into documents)
    {"type": "result", "id", "kind", "created_at", "data_hash", "signature", "tool_version", "payload"}

Export writes the same records with every stored field (ids, offsets, timestamps, versions), so
export → import reproduces the corpus.
"""
from __future__ import annotations

import json
from typing import IO, Callable, Iterable, Iterator

from corpus.errors import InputError
from corpus.formats.reading import iter_lines, parse_json_line
from corpus.ingest import Ingest
from corpus.formats.parallel import write_parallel_document

RECORD_TYPES = ("document", "annotation", "alignment", "concept", "artifact", "pair", "result")


def iter_records(path: str) -> Iterator[tuple[int, dict]]:
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        record = parse_json_line(line, path, number)
        if not isinstance(record, dict):
            raise InputError("each line must be a JSON object", path, number)
        kind = record.get("type", "document")
        if kind not in RECORD_TYPES:
            raise InputError(f"unknown record type {kind!r} (expected one of {', '.join(RECORD_TYPES)})", path, number)
        yield number, record


TABLES = {"document": "documents", "annotation": "annotations", "alignment": "alignments", "concept": "glossary",
          "artifact": "artifacts", "result": "results"}


def _plain(record: dict) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "type"}, sort_keys=True, default=str)


class StoredRecords:
    """Re-importing Calque's own export is idempotent: a record whose id is stored *with the same content*
    (as the corpus would export it) is skipped; the same id with other content is still a duplicate."""

    def __init__(self, ingest: Ingest, export: Callable[[], Iterable[dict]] | None):
        self.ingest = ingest
        self.export = export
        self._stored: dict[tuple[str, str], str] | None = None
        self.skipped = 0

    def holds(self, kind: str, record: dict) -> bool:
        row_id = record.get("id")
        if self.export is None or not isinstance(row_id, str) or kind not in TABLES or not self.ingest.tx.exists(TABLES[kind], row_id):
            return False
        if self._stored is None:  # read once, and only when a file repeats stored ids
            self._stored = {(r["type"], r["id"]): _plain(r) for r in self.export() if isinstance(r.get("id"), str)}
        if self._stored.get((kind, row_id)) == _plain(json.loads(json.dumps(record, default=str))):
            self.skipped += 1
            return True
        return False


def import_jsonl(ingest: Ingest, path: str, progress=None, stored: Callable[[], Iterable[dict]] | None = None) -> dict[str, int]:
    """Feed every record of a JSONL file to ingest; segment pairs become one document per "document" key.
    `stored` (the corpus's own export records) makes re-importing an export a no-op instead of a refusal."""
    pairs: dict[str, list[tuple[int, dict]]] = {}
    deferred: list[tuple[int, dict]] = []
    counts: dict[str, int] = {}
    known = StoredRecords(ingest, stored)
    for number, record in iter_records(path):
        kind = record.get("type", "document")
        counts[kind] = counts.get(kind, 0) + 1
        if known.holds(kind, record):
            continue
        if kind == "document":
            ingest.document(record, number)
        elif kind == "pair":
            pairs.setdefault(str(record.get("document") or "pairs"), []).append((number, record))
        else:
            deferred.append((number, record))
        if progress is not None:
            progress.update(1)
    for document_id, items in pairs.items():
        _import_pairs(ingest, document_id, items)
    if not counts:
        raise InputError("no records (the file holds only blank lines)", path)
    handlers = {
        "annotation": ingest.annotation,
        "alignment": ingest.alignment,
        "concept": ingest.concept,
        "artifact": ingest.artifact,
        "result": ingest.result,
    }
    for number, record in deferred:
        handlers[record["type"]](record, number)
    if known.skipped:
        counts["already_present"] = known.skipped
    return counts


def _import_pairs(ingest: Ingest, document_id: str, items: list[tuple[int, dict]]) -> None:
    first_line, first = items[0]
    for number, record in items:
        ingest.check("PairRecord", record, number)
        for field in ("src_lang", "tgt_lang"):
            if record.get(field) != first.get(field):
                raise InputError(f"pair {field} {record.get(field)!r} differs from the document's {first.get(field)!r}", ingest.path, number)
    write_parallel_document(
        ingest,
        document_id,
        [r["source"] for _, r in items],
        [r["target"] for _, r in items],
        first.get("src_lang"),
        first.get("tgt_lang"),
        first_line,
        producer=first.get("producer", "human"),
        system=first.get("system"),
    )



def write_jsonl(stream: IO[str], records) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=False, default=str))
        stream.write("\n")
        count += 1
    return count
