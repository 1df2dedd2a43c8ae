"""CSV/TSV glossaries: a header row naming the source and target columns (source/target, src/tgt, or
the language codes), optionally status (approved|preferred|admitted, variant|superseded,
forbidden|deprecated), concept (rows with one concept id form one concept), note and domain.
Rows without a concept id are grouped by source term."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from corpus.errors import InputError
from pipelines.fidelity.textfile import read_text
from pipelines.terminology.model import Concept, Glossary

STATUS = {
    "": "approved", "approved": "approved", "preferred": "approved", "admitted": "approved",
    "variant": "variant", "superseded": "variant", "forbidden": "forbidden", "deprecated": "forbidden",
}


def _column(header: list[str], *names: str | None) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name and name.lower() in lowered:
            return lowered.index(name.lower())
    return None


def read_term_table(path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None) -> Glossary:
    path = str(path)
    delimiter = "\t" if Path(path).suffix.lower() in (".tsv", ".tab") else ","
    rows = list(csv.reader(io.StringIO(read_text(path)), delimiter=delimiter))
    header = rows[0]
    source = _column(header, "source", "src", "source_term", src_lang)
    target = _column(header, "target", "tgt", "target_term", tgt_lang)
    if source is None or target is None:
        raise InputError(
            "the header must name a source and a target column (source/target, src/tgt or the language codes)",
            path, 1,
        )
    status = _column(header, "status", "kind", "type")
    concept_column = _column(header, "concept", "concept_id", "id")
    note, domain = _column(header, "note"), _column(header, "domain")
    concepts: dict[str, Concept] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise InputError(f"has {len(row)} columns, the header has {len(header)}", path, number)
        src_term, tgt_term = row[source].strip(), row[target].strip()
        if not src_term or not tgt_term:
            raise InputError("empty source or target term", path, number)
        kind = STATUS.get(row[status].strip().lower() if status is not None else "")
        if kind is None:
            raise InputError(f"unknown status {row[status]!r}; use one of {', '.join(s for s in STATUS if s)}", path, number)
        key = row[concept_column].strip() if concept_column is not None and row[concept_column].strip() else src_term.casefold()
        concept = concepts.get(key)
        if concept is None:
            concept = concepts[key] = Concept(
                id=key if concept_column is not None else f"c{len(concepts) + 1}", source_terms=[src_term],
                approved=[], src_lang=src_lang, tgt_lang=tgt_lang,
                note=row[note].strip() or None if note is not None else None,
                domain=row[domain].strip() or None if domain is not None else None,
            )
        elif src_term not in concept.source_terms:
            concept.source_terms.append(src_term)
        bucket = {"approved": concept.approved, "variant": concept.variants, "forbidden": concept.forbidden}[kind]
        if tgt_term not in bucket:
            bucket.append(tgt_term)
    if not concepts:
        raise InputError("glossary has a header but no terms", path)
    return Glossary(list(concepts.values()), src_lang, tgt_lang, path)
