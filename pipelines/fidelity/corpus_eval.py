"""Fidelity on the corpus: each machine translation of a document is scored against the document's
human translation (the reference), per system, and the results go to the corpus results table.

Both translations are split into sentences independently, so hypothesis and reference units are
paired by the best evidence available, per document, and the choice is recorded:
`alignment` (units = groups of source segments linked in both translations' alignments),
`segment` (same number of segments), `paragraph` (same number of paragraphs), `document` (whole text).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence

from corpus.errors import InputError
from pipelines.fidelity.scoring import DEFAULT_METRICS, MetricResult, score_corpus
from pipelines.provenance import data_hash

RESULT_KIND = "fidelity"


@dataclass
class SystemUnits:
    hyps: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def _texts(segments: Sequence[dict]) -> dict[int, str]:
    return {int(s["idx"]): s["text"] for s in segments}


def _alignment_units(hyp_links, ref_links, hyp_segs, ref_segs) -> list[tuple[str, str]] | None:
    if not hyp_links or not ref_links:
        return None
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for links in (hyp_links, ref_links):
        for link in links:
            sources = list(link["source_idx"])
            for s in sources:
                find(s)
            for a, b in zip(sources, sources[1:]):
                parent[find(a)] = find(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for s in list(parent):
        groups[find(s)].add(s)

    def by_source(links) -> dict[int, list]:
        index: dict[int, list] = defaultdict(list)
        for link in links:
            for s in link["source_idx"]:
                index[s].append(link)
        return index

    def side(index, texts, sources: set[int]) -> str:
        # the links touching the group, found through an index: a scan of every link per group is quadratic in a
        # document's length (a WMT set without document ids is one document of thousands of lines)
        targets = sorted({t for s in sources for link in index.get(s, ()) for t in link["target_idx"]})
        return " ".join(texts[t] for t in targets if t in texts)

    hyp_index, ref_index = by_source(hyp_links), by_source(ref_links)
    units = []
    for sources in sorted(groups.values(), key=min):
        ref = side(ref_index, ref_segs, sources)
        if ref.strip():
            units.append((side(hyp_index, hyp_segs, sources), ref))
    return units or None


def _pair_units(hyp_rows, ref_rows, hyp_links, ref_links, hyp_text: str, ref_text: str) -> tuple[str, list[tuple[str, str]]]:
    hyp_segs, ref_segs = _texts(hyp_rows), _texts(ref_rows)
    units = _alignment_units(hyp_links, ref_links, hyp_segs, ref_segs)
    if units:
        return "alignment", units
    if hyp_segs and len(hyp_segs) == len(ref_segs):
        return "segment", [(hyp_segs[i], ref_segs[i]) for i in sorted(hyp_segs)]

    def paragraphs(rows) -> list[str]:
        grouped: dict[int, list[str]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: int(r["idx"])):
            grouped[int(row["paragraph"])].append(row["text"])
        return [" ".join(grouped[p]) for p in sorted(grouped)]

    hyp_paras, ref_paras = paragraphs(hyp_rows), paragraphs(ref_rows)
    if hyp_paras and len(hyp_paras) == len(ref_paras):
        return "paragraph", list(zip(hyp_paras, ref_paras))
    return "document", [(" ".join(hyp_text.split()), " ".join(ref_text.split()))]


def collect_system_units(corpus, document_id: str | None = None) -> dict[str, SystemUnits]:
    """Hypothesis/reference units per MT system, over the documents that have a human translation."""
    translations = corpus.translations(document_id).to_dict("records")
    by_document: dict[str, list[dict]] = defaultdict(list)
    for translation in translations:
        by_document[translation["document_id"]].append(translation)
    alignments: dict[str, list[dict]] = defaultdict(list)
    for link in corpus.alignments(document_id=document_id).to_dict("records"):
        alignments[link["translation_id"]].append(link)
    segments: dict[str, list[dict]] = defaultdict(list)
    for row in corpus.segments(document_id=document_id, side="target").to_dict("records"):
        segments[row["translation_id"]].append(row)
    systems: dict[str, SystemUnits] = defaultdict(SystemUnits)
    for doc_id, doc_translations in sorted(by_document.items()):
        humans = sorted((t for t in doc_translations if t["producer"] == "human"), key=lambda t: t["id"])
        machines = [t for t in doc_translations if t["producer"] == "mt"]
        if not humans or not machines:
            continue
        reference = humans[0]
        for machine in machines:
            if machine["lang"].split("-")[0].lower() != reference["lang"].split("-")[0].lower():
                continue
            level, units = _pair_units(
                segments[machine["id"]], segments[reference["id"]],
                alignments[machine["id"]], alignments[reference["id"]], machine["text"], reference["text"],
            )
            system = systems[machine.get("system") or machine["id"]]
            system.hyps += [h for h, _ in units]
            system.refs += [r for _, r in units]
            system.documents[doc_id] = {
                "translation": machine["id"], "reference": reference["id"], "units": len(units), "paired_by": level,
            }
    return dict(systems)


def evaluate_corpus(
    corpus,
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    document_id: str | None = None,
    n_bootstrap: int = 0,
    segments: bool = False,
    store: bool = True,
    executor=None,
) -> list[dict[str, Any]]:
    """Score every MT system of the corpus against the human translations; one row per system and
    metric, each stored as a `fidelity` result (unless store=False) and carrying its result id."""
    systems = collect_system_units(corpus, document_id)
    if not systems:
        raise InputError("the corpus has no document with both a machine and a human translation to compare")
    rows = []
    for system, units in sorted(systems.items()):
        results: dict[str, MetricResult] = score_corpus(
            units.hyps, [units.refs], metrics, segments=segments, n_bootstrap=n_bootstrap, executor=executor
        )
        for result in results.values():
            payload = {"system": system, "documents": units.documents, **result.to_dict(include_segments=segments)}
            if store:
                payload["result_id"] = corpus.add_result(
                    RESULT_KIND, result.data_hash, result.calque_signature, payload, result.tool_version
                )
            rows.append(payload)
    return rows


__all__ = ["RESULT_KIND", "collect_system_units", "data_hash", "evaluate_corpus"]


def demo_step(corpus, workdir) -> str:
    """The demo's fidelity step: every MT system against the human translations, results stored."""
    rows = evaluate_corpus(corpus, ["bleu", "chrf", "chrf++", "ter"])
    systems = sorted({row["system"] for row in rows})
    parts = []
    for system in systems:
        scores = ", ".join(f"{r['name']} {r['score']:.2f}" for r in rows if r["system"] == system)
        documents = next(r["documents"] for r in rows if r["system"] == system)
        parts.append(f"{system} on {len(documents)} bilingual documents: {scores}")
    return "; ".join(parts) + f" ({len(rows)} results stored)"
