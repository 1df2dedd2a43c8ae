"""Terminology evaluation of one translation: success rate and consistency, with a signature and the
content hash of the data, for plain files and for the corpus."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from corpus.errors import InputError
from pipelines.provenance import calque_signature, calque_version, data_hash
from pipelines.terminology.consistency import consistency, find_occurrences
from pipelines.terminology.matching import Matcher
from pipelines.terminology.model import Glossary, SegmentTermList
from pipelines.terminology.success import check_terms, counted, glossary_term_lists, success_summary


@dataclass
class TermReport:
    success: dict[str, Any]
    consistency: dict[str, Any]
    signature: str
    data_hash: str
    tool_version: str
    checks: list = field(default_factory=list)

    @property
    def success_rate(self) -> float | None:
        return self.success["success_rate"]

    def to_dict(self, include_checks: bool = False) -> dict[str, Any]:
        row = {
            "success_rate": self.success_rate,
            **{k: v for k, v in self.success.items() if k != "success_rate"},
            "consistency": self.consistency,
            "signature": self.signature,
            "calque_signature": calque_signature(self.signature, self.data_hash),
            "data_hash": self.data_hash,
            "tool_version": self.tool_version,
        }
        if include_checks:
            row["failures"] = [c.to_dict() for c in self.checks if not c.success]
        return row


def _term_lines(term_lists: SegmentTermList) -> list[str]:
    return ["\t".join(f"{p.source}=>{'|'.join(p.targets)}" for p in pairs) for pairs in term_lists.terms]


def evaluate_terms(
    hyps: Sequence[str],
    terms: Glossary | SegmentTermList,
    sources: Sequence[str] | None = None,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    matcher: Matcher | None = None,
    documents: Sequence[str] | None = None,
    min_occurrences: int = 2,
    count: str = "in-source",
) -> TermReport:
    """Success rate under `count` (in-source: the WMT25 rule; all: every listed term) and consistency.
    The default matcher is the WMT25 rule (surface or lemma sequence, case-insensitive)."""
    matcher = matcher or Matcher("wmt25")
    matcher.check_language(tgt_lang)
    if isinstance(terms, Glossary):
        if sources is None:
            raise InputError("a glossary applies where its source terms occur: give the source (-s)")
        matcher.check_language(src_lang)
        term_lists = glossary_term_lists(sources, terms, matcher, src_lang)
        glossary = terms
    else:
        term_lists, glossary = terms, None
    if documents is not None and len(documents) != len(hyps):
        raise InputError(f"{len(documents)} document ids for {len(hyps)} segments")
    if sources is not None:
        matcher.check_language(src_lang)
    checks = check_terms(sources, hyps, term_lists, matcher, src_lang, tgt_lang)
    if not checks:
        raise InputError("no term applies to any segment; nothing to evaluate", terms.path)
    if not counted(checks, count):
        raise InputError("no listed term occurs in the source; nothing to evaluate (--count all counts them anyway)",
                         terms.path)
    occurrences = find_occurrences(hyps, term_lists, matcher, documents, glossary, tgt_lang)
    count = count if sources is not None else "all"
    lemmatisers = matcher.lemmatisers(*((src_lang,) if sources is not None else ()), tgt_lang)
    signature = (
        f"terms:{term_lists.kind}|n:{len(checks)}|count:{count}|{matcher.signature}"
        + (f"|lemmatiser:{lemmatisers}" if lemmatisers else "")
        + f"|langs:{src_lang or '?'}-{tgt_lang or '?'}|min-occ:{min_occurrences}"
    )
    success = success_summary(checks, count)
    success["rule"] = "wmt25" if matcher.mode == "wmt25" and count == "in-source" else f"{matcher.mode}/{count}"
    success["lemmatiser"] = lemmatisers
    return TermReport(
        success=success,
        consistency=consistency(occurrences, min_occurrences),
        signature=signature,
        data_hash=data_hash(hyps, sources or [], _term_lines(term_lists), documents or []),
        tool_version=calque_version(),
        checks=checks,
    )
