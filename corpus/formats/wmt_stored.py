"""A WMT test set as the corpus holds it after `calque import wmt`: where each line of the set lies (document,
segment index) and which translation a name given by a judgement file means.

Judgement files name what was rated the way WMT does: a system by its name (Appraise and mt-metrics-eval
may add a suffix after a dot: `eTranslation.737`), a reference by its translator's name (`A`) or by the names
WMT gives references rated like systems (`refA`, `ref-A`, `HUMAN-A`). An exact system name wins, so a human
translation published among the system outputs (`ref-C` in WMT21) stays that output.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from sqlalchemy import select

from corpus import schema
from corpus.errors import InputError
from corpus.formats.wmt_set import METADATA_KEY, reference_in_name

CHUNK = 500


@dataclass
class StoredDocument:
    id: str
    wmt_id: str | None
    first_line: int
    segments: int
    domain: str | None
    references: dict[str, str] = field(default_factory=dict)  # name -> translation id
    systems: dict[str, str] = field(default_factory=dict)


@dataclass
class StoredSet:
    name: str
    langs: str
    src_lang: str
    format: str
    docs_columns: int
    documents: list[StoredDocument]  # in line order

    @property
    def key(self) -> str:
        return f"{self.name}.{self.langs}"

    @property
    def tgt_lang(self) -> str:
        return self.langs[len(self.src_lang) + 1 :]

    @property
    def lines(self) -> int:
        return sum(d.segments for d in self.documents)

    @functools.cached_property
    def references(self) -> list[str]:
        return sorted({n for d in self.documents for n in d.references})

    @functools.cached_property
    def systems(self) -> list[str]:
        return sorted({n for d in self.documents for n in d.systems})

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [d.first_line for d in self.documents]

    def translation_ids(self) -> list[str]:
        return [t for d in self.documents for names in (d.references, d.systems) for t in names.values()]

    def locate(self, line: int) -> tuple[StoredDocument, int] | None:
        """The document holding the set's 0-based `line` and the segment index there; None outside the set."""
        at = bisect.bisect_right(self._starts, line) - 1
        if at < 0 or not 0 <= line - self.documents[at].first_line < self.documents[at].segments:
            return None
        return self.documents[at], line - self.documents[at].first_line

    def resolve(self, name: str) -> tuple[str, str] | None:
        """("system" | "reference", stored name) for a name in a judgement file; None when it names nothing here."""
        if name in self.systems:
            return "system", name
        if name in self.references:
            return "reference", name
        reference = reference_in_name(name)
        if reference is not None and reference in self.references:
            return "reference", reference
        base = name.split(".")[0]
        if base in self.systems:
            return "system", base
        return None

    def translation(self, document: StoredDocument, role: str, name: str) -> str | None:
        return (document.references if role == "reference" else document.systems).get(name)


def stored_sets(connection) -> dict[str, StoredSet]:
    """Every WMT set the corpus holds, by key (<set>.<src>-<tgt>)."""
    d, t = schema.documents, schema.translations
    sets: dict[str, StoredSet] = {}
    by_id: dict[str, StoredDocument] = {}
    for row in connection.execute(select(d.c.id, d.c.lang, d.c.domain, d.c.metadata)):
        info = row.metadata.get(METADATA_KEY) if isinstance(row.metadata, dict) else None
        if not isinstance(info, dict) or not {"set", "langs", "first_line", "segments"} <= set(info):
            continue
        key = f"{info['set']}.{info['langs']}"
        stored = sets.setdefault(key, StoredSet(info["set"], info["langs"], row.lang, info.get("format", "text"), int(info.get("docs_columns") or 0), []))
        document = StoredDocument(row.id, info.get("document"), int(info["first_line"]), int(info["segments"]), row.domain)
        stored.documents.append(document)
        by_id[row.id] = document
    ids = sorted(by_id)
    for start in range(0, len(ids), CHUNK):
        query = select(t.c.id, t.c.document_id, t.c.metadata).where(t.c.document_id.in_(ids[start : start + CHUNK]))
        for row in connection.execute(query):
            info = row.metadata.get(METADATA_KEY) if isinstance(row.metadata, dict) else None
            if isinstance(info, dict) and info.get("role") in ("reference", "system") and isinstance(info.get("name"), str):
                document = by_id[row.document_id]
                (document.references if info["role"] == "reference" else document.systems)[info["name"]] = row.id
    for stored in sets.values():
        stored.documents.sort(key=lambda doc: doc.first_line)
    return sets


def choose_set(connection, testset: str | None = None, langs: str | None = None, path: str | None = None) -> StoredSet:
    """The one WMT set a judgement file is about: named by `testset` (its name or <set>.<src>-<tgt>), else the
    only one of the language pair (or of the corpus)."""
    found = list(stored_sets(connection).values())
    if langs is not None:
        found = [s for s in found if s.langs == langs]
    if testset is not None:
        found = [s for s in found if testset in (s.name, s.key)]
    if len(found) == 1:
        return found[0]
    what = f"{testset or 'WMT test set'}" + (f" for {langs}" if langs else "")
    if not found:
        raise InputError(f"the corpus holds no {what} (import it first: calque import wmt DIR)", path)
    raise InputError(f"the corpus holds several WMT test sets ({', '.join(s.key for s in found)}): choose one with --testset", path)
