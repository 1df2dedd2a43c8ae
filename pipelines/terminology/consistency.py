"""Term consistency as the WMT25 terminology task defines it: every occurrence of a source term gets
the rendering found in the translation; a pseudo-reference is chosen per source term (its first
rendering, its most frequent one, or the predefined target when that occurs); micro consistency is
the share of occurrences rendered as their pseudo-reference, macro the mean of that share per
pseudo-reference. A term whose pseudo-reference is "not found" never counts as consistent.

WMT25 finds renderings with an LLM aligner; offline, Calque recognises the renderings it knows: every
target given for that source term anywhere in the term list, plus glossary variants and forbidden
forms. Anything else is "not found".
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from pipelines.terminology.matching import Matcher, normalize
from pipelines.terminology.model import Glossary, SegmentTermList

NOT_FOUND = "▔"
NO_PSEUDOREF = "▁"
PSEUDOREF_MODES = ("first", "frequent", "predefined")


@dataclass(frozen=True)
class Occurrence:
    document: str
    segment: int
    source: str
    rendering: str
    predefined: str
    form: str | None = None


def find_occurrences(
    hyps: Sequence[str],
    term_lists: SegmentTermList,
    matcher: Matcher,
    documents: Sequence[str] | None = None,
    glossary: Glossary | None = None,
    tgt_lang: str | None = None,
) -> list[Occurrence]:
    candidates: dict[str, set[str]] = defaultdict(set)
    for pairs in term_lists.terms:
        for pair in pairs:
            candidates[pair.source].update(pair.targets)
    if glossary is not None:
        for concept in glossary.concepts:
            for source in concept.source_terms:
                candidates[source].update(form for form, _ in concept.renderings())
    ordered = {source: sorted(forms, key=lambda f: (-len(f), f)) for source, forms in candidates.items()}
    occurrences = []
    for index, (hyp, pairs) in enumerate(zip(hyps, term_lists.terms)):
        for pair in pairs:
            found = matcher.contains_any(hyp, pair.targets, tgt_lang) if hyp.strip() else None
            if found is None and hyp.strip():
                found = matcher.contains_any(hyp, ordered[pair.source], tgt_lang)
            occurrences.append(Occurrence(
                document=documents[index] if documents is not None else "",
                segment=index,
                source=pair.source,
                rendering=normalize(found, matcher.fold_accents) if found else NOT_FOUND,
                predefined=normalize(pair.target, matcher.fold_accents),
                form=found,
            ))
    return occurrences


def pseudo_references(occurrences: Sequence[Occurrence], mode: str) -> dict[str, str]:
    """WMT25's choice per source term; ties for 'frequent' go to the rendering that sorts first,
    and a term without a usable pseudo-reference gets a placeholder that matches nothing."""
    by_source: dict[str, list[str]] = defaultdict(list)
    predefined_hits: dict[str, set[str]] = defaultdict(set)
    for occurrence in occurrences:
        by_source[occurrence.source].append(occurrence.rendering)
        if occurrence.rendering == occurrence.predefined:
            predefined_hits[occurrence.source].add(occurrence.rendering)
    chosen: dict[str, str] = {}
    for source in sorted(by_source):
        renderings = by_source[source]
        if mode == "first":
            choice = renderings[0]
        elif mode == "frequent":
            counts = Counter(renderings)
            best = max(counts.values())
            choice = min(r for r, c in counts.items() if c == best)
        else:
            choice = min(predefined_hits[source]) if predefined_hits[source] else NO_PSEUDOREF
        chosen[source] = NO_PSEUDOREF if choice == NOT_FOUND else choice
    placeholders = [source for source, choice in chosen.items() if choice == NO_PSEUDOREF]
    if len(placeholders) > 1:
        for number, source in enumerate(placeholders):
            chosen[source] = f"{NO_PSEUDOREF}{number}"
    return chosen


def _groups(occurrences: Sequence[Occurrence], mode: str) -> list[tuple[int, int]]:
    """(consistent, total) per pseudo-reference value."""
    chosen = pseudo_references(occurrences, mode)
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for occurrence in occurrences:
        group = groups[chosen[occurrence.source]]
        group[0] += occurrence.rendering == chosen[occurrence.source]
        group[1] += 1
    return [tuple(g) for g in groups.values()]


def _micro_macro(groups: list[tuple[int, int]]) -> dict:
    total = sum(n for _, n in groups)
    if not total:
        return {"micro": None, "macro": None}
    return {
        "micro": sum(c for c, _ in groups) / total,
        "macro": sum(c / n for c, n in groups) / len(groups),
    }


def _repeated(occurrences: Sequence[Occurrence], min_occurrences: int) -> list[Occurrence]:
    counts = Counter(o.source for o in occurrences)
    return [o for o in occurrences if counts[o.source] >= min_occurrences]


def consistency(occurrences: Sequence[Occurrence], min_occurrences: int = 2) -> dict:
    """Corpus-wide consistency (pseudo-references over all segments) and, when occurrences carry
    documents, document-level consistency (pseudo-references per document, pooled)."""
    corpus_occ = _repeated(occurrences, min_occurrences)
    report = {
        "min_occurrences": min_occurrences,
        "terms": len({o.source for o in corpus_occ}),
        "occurrences": len(corpus_occ),
        **{mode: _micro_macro(_groups(corpus_occ, mode)) for mode in PSEUDOREF_MODES},
    }
    documents = sorted({o.document for o in occurrences})
    if len(documents) > 1 or documents and documents[0]:
        per_document = {mode: [] for mode in PSEUDOREF_MODES}
        counted = 0
        for document in documents:
            doc_occ = _repeated([o for o in occurrences if o.document == document], min_occurrences)
            counted += len(doc_occ)
            for mode in PSEUDOREF_MODES:
                per_document[mode] += _groups(doc_occ, mode)
        report["documents"] = {
            "documents": len(documents), "occurrences": counted,
            **{mode: _micro_macro(groups) for mode, groups in per_document.items()},
        }
    report["repeated_terms"] = term_renderings(corpus_occ)
    return report


def term_renderings(occurrences: Sequence[Occurrence]) -> list[dict]:
    """Per source term: how often each rendering occurs, the first and the most frequent one."""
    first = pseudo_references(occurrences, "first")
    frequent = pseudo_references(occurrences, "frequent")
    by_source: dict[str, Counter] = defaultdict(Counter)
    spelled: dict[str, str] = {NOT_FOUND: "(not found)", **{NO_PSEUDOREF: None}}
    for occurrence in occurrences:
        by_source[occurrence.source][occurrence.rendering] += 1
        spelled.setdefault(occurrence.rendering, occurrence.form or occurrence.rendering)

    def shown(rendering: str) -> str | None:
        return None if rendering.startswith(NO_PSEUDOREF) else spelled.get(rendering, rendering)

    rows = []
    for source, counts in by_source.items():
        rows.append({
            "source": source,
            "occurrences": sum(counts.values()),
            "renderings": {shown(r): n for r, n in counts.most_common()},
            "first": shown(first[source]),
            "most_frequent": shown(frequent[source]),
            "consistent": len(counts) == 1 and NOT_FOUND not in counts,
        })
    rows.sort(key=lambda row: (row["consistent"], -row["occurrences"], row["source"]))
    return rows
