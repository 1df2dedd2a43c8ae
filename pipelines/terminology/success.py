"""Term success rate: of the terms expected in each segment, the share whose target rendering
(any accepted alternative) occurs in the translation. A term that cannot be checked (empty
translation, a lemma mode without lemmatizer) is never counted as correct.

Which terms count (COUNT_RULES): `in-source` (the WMT25 scorer's rule, the default) counts only the terms
whose source form occurs in the source segment, by the same matcher; the others are reported apart as
`source_not_found`. `all` counts every listed term (WMT21/23 style)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

from corpus.errors import InputError
from pipelines.terminology.matching import Matcher
from pipelines.terminology.model import Glossary, SegmentTermList, TermPair

COUNT_RULES = ("in-source", "all")


@dataclass
class TermCheck:
    segment: int
    source: str
    targets: tuple[str, ...]
    found: str | None
    source_found: bool
    forbidden_found: str | None = None
    concept: str | None = None

    @property
    def success(self) -> bool:
        return self.found is not None

    def to_dict(self) -> dict:
        row = asdict(self)
        row["success"] = self.success
        return row


def glossary_term_lists(
    sources: Sequence[str], glossary: Glossary, matcher: Matcher, src_lang: str | None = None
) -> SegmentTermList:
    """Per-segment expectations from a glossary: a concept applies to a segment whose source contains
    one of its source terms (beginning at a word boundary, or by lemma in lemma mode, so "fine" does not
    apply to "define"); any approved target counts as correct, forbidden ones are flagged."""
    source_matcher = Matcher(matcher.mode if matcher.mode in ("lemma", "wmt25") else "word-start", matcher.fold_accents)
    terms = []
    for source in sources:
        pairs = []
        for concept in glossary.concepts:
            hit = source_matcher.contains_any(source, concept.source_terms, src_lang)
            if hit is not None and concept.approved:
                pairs.append(TermPair(hit, tuple(concept.approved), tuple(concept.forbidden), concept.id))
        terms.append(pairs)
    return SegmentTermList(terms, glossary.path, kind="glossary")


def check_terms(
    sources: Sequence[str] | None,
    hyps: Sequence[str],
    term_lists: SegmentTermList,
    matcher: Matcher,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> list[TermCheck]:
    if len(term_lists) != len(hyps):
        raise InputError(
            f"the term list has {len(term_lists)} segments but the translation has {len(hyps)}",
            term_lists.path,
        )
    if sources is not None and len(sources) != len(hyps):
        raise InputError(f"the source has {len(sources)} segments but the translation has {len(hyps)}")
    checks = []
    for index, (hyp, pairs) in enumerate(zip(hyps, term_lists.terms)):
        for pair in pairs:
            source_found = sources is None or matcher.contains(sources[index], pair.source, src_lang)
            checks.append(TermCheck(
                segment=index, source=pair.source, targets=pair.targets,
                found=matcher.contains_any(hyp, pair.targets, tgt_lang) if hyp.strip() else None,
                source_found=source_found,
                forbidden_found=matcher.contains_any(hyp, pair.forbidden, tgt_lang) if pair.forbidden else None,
                concept=pair.concept,
            ))
    return checks


def counted(checks: Sequence[TermCheck], count: str = "in-source") -> list[TermCheck]:
    if count not in COUNT_RULES:
        raise InputError(f"unknown count rule {count!r}; known: {', '.join(COUNT_RULES)}")
    return [check for check in checks if count == "all" or check.source_found]


def success_summary(checks: Sequence[TermCheck], count: str = "in-source") -> dict:
    population = counted(checks, count)
    total = len(population)
    matched = sum(check.success for check in population)
    return {
        "success_rate": matched / total if total else None,
        "matched": matched,
        "total": total,
        "count": count,
        "listed": len(checks),
        "source_not_found": sum(not check.source_found for check in checks),
        "source_not_found_matched": sum(check.success for check in checks if not check.source_found),
        "forbidden_used": sum(check.forbidden_found is not None for check in population),
    }
