"""Target-only terminology drift: which renderings of each glossary concept a translation uses, and
how often. Works without a source (the seed is a machine translation whose English original is lost):
a concept named several ways in one text has drifted."""
from __future__ import annotations

from typing import Sequence

from pipelines.terminology.matching import Matcher, non_overlapping
from pipelines.terminology.model import Concept


def concept_renderings(
    text: str, concepts: Sequence[Concept], matcher: Matcher | None = None, lang: str | None = None
) -> list[dict]:
    """Per concept, every known rendering found in `text` with its kind, count and first offset.

    Spans of all concepts compete: the longest match wins, so 'Kommissar' inside
    'Kommissar für Überwachungskameras' counts once, for the longer form.
    """
    matcher = matcher or Matcher()
    spans = []
    kinds: dict[tuple[str, str], str] = {}
    for concept in concepts:
        for form, kind in concept.renderings():
            kinds[(concept.id, form)] = kind
            for start, end in matcher.spans(text, form, lang):
                spans.append((start, end, f"{concept.id}\x00{form}"))
    found: dict[str, dict[str, dict]] = {}
    for start, end, key in non_overlapping(spans):
        concept_id, form = key.split("\x00", 1)
        entry = found.setdefault(concept_id, {}).setdefault(
            form, {"form": form, "kind": kinds[(concept_id, form)], "count": 0, "first_offset": start, "examples": []}
        )
        entry["count"] += 1
        if len(entry["examples"]) < 3:
            entry["examples"].append(text[start:end])
    rows = []
    for concept in concepts:
        renderings = sorted(found.get(concept.id, {}).values(), key=lambda r: r["first_offset"])
        if not renderings:
            continue
        rows.append({
            "concept": concept.id,
            "source_term": concept.source_term,
            "approved": concept.approved,
            "distinct": len(renderings),
            "drift": len(renderings) > 1,
            "forbidden_used": any(r["kind"] == "forbidden" for r in renderings),
            "approved_used": any(r["kind"] == "approved" for r in renderings),
            "renderings": renderings,
        })
    rows.sort(key=lambda row: (-row["distinct"], row["concept"]))
    return rows
