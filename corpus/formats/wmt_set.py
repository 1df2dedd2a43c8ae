"""A WMT test set in memory, as its readers (corpus.formats.wmt_text, corpus.formats.wmt_xml) give it and the
importer (corpus.formats.wmt) stores it: documents in the set's line order, each with its source, its
references (human translations, named as WMT names translators: A, B…) and its system outputs, every side
cut into the same segments.

Corpus ids are derived from the set, so a set always lands under the same ids:

    document     <set>.<src>-<tgt>              (a set without document ids is one document)
                 <set>.<src>-<tgt>.<wmt doc id> (one per WMT document)
    reference    <document id>.ref.<NAME>
    system       <document id>.hyp.<SYSTEM>

The document row keeps what the corpus has no column for in `metadata["wmt"]`: the set, its language pair,
the WMT document id, the 0-based line of its first segment, the format it came from and WMT's own attributes
(origlang, collection…); translations keep their WMT role and name in `metadata["wmt"]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from corpus.validation import Id, Record, Text, parse

METADATA_KEY = "wmt"
LINK_METHOD = "wmt-import"
# The names WMT gives its references when they are rated like systems: refA, ref-A, ref_A, ref.A, HUMAN-A, Human-B…
REFERENCE_NAME = re.compile(r"^(?:ref|human)[-_.]?(?P<name>[A-Za-z0-9]+)$", re.IGNORECASE)


@dataclass
class Side:
    """One text of one document: its segments, where each was read (file, 1-based line) and its paragraphs."""

    segments: list[str]
    path: str
    lines: list[int]
    paragraphs: list[int] | None = None  # paragraph of each segment; None: each segment is a paragraph

    def paragraph_of(self, index: int) -> int:
        return index if self.paragraphs is None else self.paragraphs[index]


@dataclass
class Document:
    wmt_id: str | None
    first_line: int  # 0-based line of the set where this document starts
    source: Side
    references: dict[str, Side] = field(default_factory=dict)
    systems: dict[str, Side] = field(default_factory=dict)
    domain: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # WMT's other document attributes (origlang, collection…)

    def __len__(self) -> int:
        return len(self.source.segments)


@dataclass
class WMTSet:
    name: str
    src_lang: str
    tgt_lang: str
    format: Literal["text", "xml"]
    documents: list[Document]
    origin: str  # the directory or file it was read from
    docs_columns: int = 0  # text layout: columns of documents/<set>.<pair>.docs (0: no such file)
    notes: list[str] = field(default_factory=list)  # what reading left out, for the user

    @property
    def langs(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    @property
    def key(self) -> str:
        return f"{self.name}.{self.langs}"

    def document_id(self, document: Document) -> str:
        return self.key if document.wmt_id is None else f"{self.key}.{document.wmt_id}"

    @property
    def lines(self) -> int:
        return sum(len(d) for d in self.documents)


def reference_translation_id(document_id: str, name: str) -> str:
    return f"{document_id}.ref.{name}"


def system_translation_id(document_id: str, name: str) -> str:
    return f"{document_id}.hyp.{name}"


def reference_in_name(name: str) -> str | None:
    """'A' for refA, ref-A, HUMAN-A…; None for any other name."""
    match = REFERENCE_NAME.match(name)
    return match.group("name") if match else None


# -- the boundary: every name and attribute a reader hands over is checked before anything is written ----
class SetNames(Record):
    name: Id
    src_lang: Id
    tgt_lang: Id
    references: list[Id]
    systems: list[Id]


class DocumentNames(Record):
    wmt_id: Id | None
    domain: Text | None
    attributes: dict[str, Text]


def check_names(wmt_set: WMTSet, path: str, line: int | None = None) -> None:
    """Every name of the set and of its documents has the declared type (corpus.validation); InputError otherwise."""
    references = sorted({r for d in wmt_set.documents for r in d.references})
    systems = sorted({s for d in wmt_set.documents for s in d.systems})
    parse(SetNames, {"name": wmt_set.name, "src_lang": wmt_set.src_lang, "tgt_lang": wmt_set.tgt_lang,
                     "references": references, "systems": systems}, path, line)
    for document in wmt_set.documents:
        parse(DocumentNames, {"wmt_id": document.wmt_id, "domain": document.domain, "attributes": document.attributes},
              document.source.path, document.source.lines[0] if document.source.lines else line)


def document_metadata(wmt_set: WMTSet, document: Document) -> dict[str, Any]:
    return {METADATA_KEY: {"set": wmt_set.name, "langs": wmt_set.langs, "document": document.wmt_id, "first_line": document.first_line,
                           "segments": len(document), "format": wmt_set.format, "docs_columns": wmt_set.docs_columns,
                           **({"attributes": document.attributes} if document.attributes else {})}}
