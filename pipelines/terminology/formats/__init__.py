"""Readers for glossaries (TBX, CSV/TSV, corpus concept JSONL) and per-segment term lists
(WMT23/25 JSONL, WMT21 inline tags), chosen by file name and, for JSONL, by content."""
from __future__ import annotations

import json
from pathlib import Path

from corpus.errors import InputError
from corpus.formats.reading import parse_json_line
from corpus.validation import Id, NonBlank, Record, Text, load_json, parse
from pipelines.fidelity.textfile import read_text
from pipelines.terminology.formats.segment_lists import read_segment_terms
from pipelines.terminology.formats.table import read_term_table
from pipelines.terminology.formats.tbx import read_tbx
from pipelines.terminology.formats.wmt21 import read_wmt21_terms
from pipelines.terminology.model import Concept, Glossary, SegmentTermList


class ConceptLine(Record):
    """A {"type": "concept"} line of a glossary file (corpus JSONL); its languages may come from --langs."""

    id: Id | None = None
    src_lang: NonBlank | None = None
    tgt_lang: NonBlank | None = None
    source_term: NonBlank
    approved: list[NonBlank] = []
    variants: NonBlank | list[NonBlank] | None = None
    forbidden: NonBlank | list[NonBlank] | None = None
    domain: Text | None = None
    note: Text | None = None


def read_concept_jsonl(path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None) -> Glossary:
    """Corpus JSONL {"type": "concept", ...} records (other record types are skipped)."""
    path = str(path)
    concepts = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        record = parse_json_line(line, path, number)
        if not isinstance(record, dict) or record.get("type") != "concept":
            continue
        checked = parse(ConceptLine, record, path, number)
        concepts.append(concept_from_record(checked.model_dump(), fallback_id=f"c{len(concepts) + 1}"))
    if not concepts:
        raise InputError("no concept records found", path)
    return Glossary(concepts, src_lang or concepts[0].src_lang, tgt_lang or concepts[0].tgt_lang, path)


def concept_from_record(record: dict, fallback_id: str = "c") -> Concept:
    def as_list(value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = _json_list(value) if value.startswith("[") else [value]
        return [v for v in value if isinstance(v, str) and v.strip()]

    return Concept(
        id=record.get("id") or fallback_id,
        source_terms=[record["source_term"]],
        approved=as_list(record.get("approved")),
        variants=as_list(record.get("variants")),
        forbidden=as_list(record.get("forbidden")),
        src_lang=record.get("src_lang"), tgt_lang=record.get("tgt_lang"),
        domain=record.get("domain"), note=record.get("note"),
    )


def _json_list(value: str) -> list:
    """A list stored as JSON text, else the text itself as the one term."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return [value]
    return decoded if isinstance(decoded, list) else [value]


def _is_concept_jsonl(path: str) -> bool:
    for line in read_text(path).splitlines():
        if line.strip():
            try:
                record = load_json(line)
            except InputError:  # the reader it falls to says what is wrong with the line
                return False
            return isinstance(record, dict) and record.get("type") == "concept"
    return False


def read_terms(
    path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None, key: str | None = None
) -> Glossary | SegmentTermList:
    """A glossary (applies wherever its source terms occur) or a per-segment term list, by format."""
    path = str(path)
    suffix = Path(path).suffix.lower()
    if not Path(path).is_file():
        raise InputError("no such file", path)
    if suffix == ".tbx" or (suffix == ".xml" and any(tag in read_text(path)[:2000] for tag in ("<martif", "<tbx"))):
        return read_tbx(path, src_lang, tgt_lang)
    if suffix in (".csv", ".tsv", ".tab"):
        return read_term_table(path, src_lang, tgt_lang)
    if suffix in (".sgm", ".sgml"):
        return read_wmt21_terms(path)
    if _is_concept_jsonl(path):
        return read_concept_jsonl(path, src_lang, tgt_lang)
    return read_segment_terms(path, src_lang, tgt_lang, key)


__all__ = [
    "concept_from_record",
    "read_concept_jsonl",
    "read_segment_terms",
    "read_tbx",
    "read_term_table",
    "read_terms",
    "read_wmt21_terms",
]
