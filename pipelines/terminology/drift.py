"""Target-only terminology drift: which renderings of each glossary concept a translation uses, and
how often. Works without a source (the seed is a machine translation whose English original is lost):
a concept named several ways in one text has drifted."""
from __future__ import annotations

from typing import Sequence

from pipelines.terminology.matching import Matcher, non_overlapping, normalize, word_end
from pipelines.terminology.model import Concept


def concept_renderings(
    text: str, concepts: Sequence[Concept], matcher: Matcher | None = None, lang: str | None = None
) -> list[dict]:
    """Per concept, every known rendering found in `text` with its kind, count and first offset.

    Spans of all concepts compete: the longest match wins, so 'Kommissar' inside
    'Kommissar für Überwachungskameras' counts once, for the longer form.
    """
    matcher = matcher or Matcher("word-start")
    spans = []
    kinds: dict[tuple[str, str], str] = {}
    for concept in concepts:
        for form, kind in concept.renderings():
            kinds[(concept.id, form)] = kind
            for start, end in matcher.spans(text, form, lang):
                spans.append((start, end, f"{concept.id}\x00{form}"))
    found: dict[str, dict[str, dict]] = {}
    claimed: set[tuple[str, int, int]] = set()
    for start, end, key in sorted(non_overlapping(spans), key=lambda s: _preference(text, s, kinds)):
        concept_id, form = key.split("\x00", 1)
        if (concept_id, start, end) in claimed:
            continue
        claimed.add((concept_id, start, end))
        entry = found.setdefault(concept_id, {}).setdefault(
            form, {"form": form, "kind": kinds[(concept_id, form)], "count": 0, "first_offset": start, "examples": []}
        )
        entry["count"] += 1
        if len(entry["examples"]) < 3:
            entry["examples"].append(text[start:word_end(text, end)])
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


def _preference(text: str, span: tuple[int, int, str], kinds: dict) -> tuple:
    """Order in which competing labels claim one span: one concept's forms share a span only in lemma
    mode; then the form spelled like the text wins, else the approved one."""
    start, end, key = span
    concept_id, form = key.split("\x00", 1)
    exact = normalize(text[start:end]).startswith(normalize(form))
    rank = {"approved": 0, "variant": 1, "forbidden": 2}[kinds[(concept_id, form)]]
    return (start, end, not exact, rank, form)


def translation_drift(corpus, document_id: str | None = None, matcher: Matcher | None = None) -> list[dict]:
    """Drift for every translation in the corpus (or one document), with the corpus glossary concepts
    of the translation's language (and the document's language as source language, when given)."""
    from pipelines.terminology.formats import concept_from_record

    matcher = matcher or Matcher("word-start")
    concepts = [concept_from_record(row) for row in corpus.glossary().to_dict("records")]
    documents = {row["id"]: row for row in corpus.documents().to_dict("records")}
    if document_id is not None and document_id not in documents:
        from corpus.errors import NotFoundError

        raise NotFoundError(f"no document with id {document_id!r}")
    report = []
    for translation in corpus.translations(document_id).to_dict("records"):
        document = documents[translation["document_id"]]
        usable = [
            c for c in concepts
            if _same_lang(c.tgt_lang, translation["lang"]) and (not c.src_lang or _same_lang(c.src_lang, document["lang"]))
        ]
        if matcher.mode == "lemma":
            matcher.check_language(translation["lang"])
        rows = concept_renderings(translation["text"], usable, matcher, translation["lang"])
        report.append({
            "document": document["id"],
            "translation": translation["id"],
            "lang": translation["lang"],
            "producer": translation["producer"],
            "source_available": isinstance(document.get("source_text"), str),
            "concepts_checked": len(usable),
            "drifting": sum(row["drift"] for row in rows),
            "forbidden_used": sum(row["forbidden_used"] for row in rows),
            "concepts": rows,
        })
    return report


def _same_lang(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.lower().split("-")[0] == b.lower().split("-")[0]
