"""Plain-text documents: paragraphs on blank lines, cut into sentences at import.

A text file is either a document's source (`--as source`, the default) or a translation of an existing
document (`--translation-of DOC`). A file whose source is unavailable, like the seed, is imported as a
translation of a new document with no source text (`--source-unavailable --source-lang en`).
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus.formats.reading import read_text
from corpus.ingest import Ingest

SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def document_id_for(path: str) -> str:
    stem = Path(path).name.split(".")[0]
    return SAFE_ID.sub("-", stem).strip("-") or "document"


def import_text(
    ingest: Ingest,
    path: str,
    lang: str,
    document_id: str | None = None,
    title: str | None = None,
    translation_of: str | None = None,
    source_unavailable: bool = False,
    source_lang: str | None = None,
    producer: str = "mt",
    system: str | None = None,
    metadata: dict | None = None,
    license: str | None = None,
) -> str:
    """Import one text file; returns the id of the document or translation created."""
    text = read_text(path)
    base = {"license": license, "metadata": metadata or {}}
    translation = {"lang": lang, "producer": producer, "system": system, "text": text}
    if translation_of:
        ingest.text_info(translation_of, None)
        return ingest.translation(translation_of, {"id": document_id, **translation, **base}, None)
    document_id = document_id or document_id_for(path)
    first_line = next((line for line in text.splitlines() if line.strip()), document_id)
    record = {"id": document_id, "title": title or first_line[:200], **base}
    if source_unavailable:
        record.update({"lang": source_lang, "source": None, "translations": [translation]})
    else:
        record.update({"lang": lang, "source": {"text": text}})
    ingest.document(record, None)
    return document_id
