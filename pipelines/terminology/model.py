"""Terminology nouns: a term pair expected in one segment, and a glossary concept with its renderings."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TermPair:
    """A source term and the target renderings that count as correct (alternatives, as WMT21's tgt="a|b")."""

    source: str
    targets: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    concept: str | None = None

    @property
    def target(self) -> str:
        return self.targets[0]


@dataclass
class Concept:
    """One glossary concept: approved target terms (preferred first), known non-approved variants, forbidden terms."""

    id: str
    source_terms: list[str]
    approved: list[str]
    variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    src_lang: str | None = None
    tgt_lang: str | None = None
    domain: str | None = None
    note: str | None = None

    @property
    def source_term(self) -> str:
        return self.source_terms[0]

    def renderings(self) -> list[tuple[str, str]]:
        """(target form, kind) for every known rendering; kind is approved, variant or forbidden."""
        seen: set[str] = set()
        result = []
        for kind, forms in (("approved", self.approved), ("variant", self.variants), ("forbidden", self.forbidden)):
            for form in forms:
                if form and form not in seen:
                    seen.add(form)
                    result.append((form, kind))
        return result

    def to_record(self) -> dict:
        """The corpus JSONL concept record."""
        return {
            "type": "concept", "id": self.id, "src_lang": self.src_lang, "tgt_lang": self.tgt_lang,
            "source_term": self.source_term, "approved": self.approved, "variants": self.variants,
            "forbidden": self.forbidden, "domain": self.domain, "note": self.note,
        }


@dataclass
class SegmentTermList:
    """Per-segment term pairs (WMT23/25 JSONL lists, WMT21 inline tags): segment i expects terms[i]."""

    terms: list[list[TermPair]]
    path: str | None = None
    kind: str = "segment-list"

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def n_terms(self) -> int:
        return sum(len(pairs) for pairs in self.terms)


@dataclass
class Glossary:
    concepts: list[Concept]
    src_lang: str | None = None
    tgt_lang: str | None = None
    path: str | None = None

    def __len__(self) -> int:
        return len(self.concepts)
