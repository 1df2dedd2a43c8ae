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
    sources: list[str | None] = field(default_factory=list)  # None: the unit could not be paired with its source
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    src_lang: str | None = None
    tgt_lang: str | None = None

    def paired_sources(self) -> list[str] | None:
        """The source of every unit, or None when some unit has none."""
        return None if any(s is None for s in self.sources) else list(self.sources)  # type: ignore[arg-type]

    def unpaired_documents(self) -> list[str]:
        return [doc for doc, info in self.documents.items() if not info.get("source_paired", True)]


def _texts(segments: Sequence[dict]) -> dict[int, str]:
    return {int(s["idx"]): s["text"] for s in segments}


def _alignment_groups(hyp_links, ref_links) -> list[set[int]] | None:
    """Groups of source segments linked together in either translation's alignment, in source order."""
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
    return sorted(groups.values(), key=min)


def _alignment_units(hyp_links, ref_links, hyp_segs, ref_segs, src_segs) -> list[tuple[str | None, str, str]] | None:
    groups = _alignment_groups(hyp_links, ref_links)
    if groups is None:
        return None

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
    for sources in groups:
        ref = side(ref_index, ref_segs, sources)
        if ref.strip():
            source = " ".join(src_segs[s] for s in sorted(sources) if s in src_segs) if src_segs else None
            units.append((source, side(hyp_index, hyp_segs, sources), ref))
    return units or None


def _paragraphs(rows) -> list[str]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: int(r["idx"])):
        grouped[int(row["paragraph"])].append(row["text"])
    return [" ".join(grouped[p]) for p in sorted(grouped)]


def _pair_units(hyp_rows, ref_rows, hyp_links, ref_links, hyp_text: str, ref_text: str, src_rows=(),
                src_text: str | None = None) -> tuple[str, list[tuple[str | None, str, str]]]:
    """(source, hypothesis, reference) units and how they were paired; a unit's source is None where the
    source cannot be cut the same way (another number of segments or paragraphs)."""
    hyp_segs, ref_segs, src_segs = _texts(hyp_rows), _texts(ref_rows), _texts(src_rows)
    units = _alignment_units(hyp_links, ref_links, hyp_segs, ref_segs, src_segs)
    if units:
        return "alignment", units
    if hyp_segs and len(hyp_segs) == len(ref_segs):
        same = len(src_segs) == len(hyp_segs)
        source_order = sorted(src_segs)
        return "segment", [(src_segs[source_order[n]] if same else None, hyp_segs[i], ref_segs[i])
                           for n, i in enumerate(sorted(hyp_segs))]
    hyp_paras, ref_paras, src_paras = _paragraphs(hyp_rows), _paragraphs(ref_rows), _paragraphs(src_rows)
    if hyp_paras and len(hyp_paras) == len(ref_paras):
        same = len(src_paras) == len(hyp_paras)
        return "paragraph", [(src_paras[n] if same else None, h, r) for n, (h, r) in enumerate(zip(hyp_paras, ref_paras))]
    source = " ".join(src_text.split()) if src_text and src_text.strip() else (" ".join(src_segs[i] for i in sorted(src_segs)) or None)
    return "document", [(source, " ".join(hyp_text.split()), " ".join(ref_text.split()))]


def collect_system_units(corpus, document_id: str | None = None) -> dict[str, SystemUnits]:
    """Source/hypothesis/reference units per MT system, over the documents that have a human translation.
    A system that translates into several languages is scored once per language, as `SYSTEM [LANG]`."""
    translations = corpus.translations(document_id).to_dict("records")
    by_document: dict[str, list[dict]] = defaultdict(list)
    for translation in translations:
        by_document[translation["document_id"]].append(translation)
    documents = {d["id"]: d for d in corpus.documents().to_dict("records")}
    alignments: dict[str, list[dict]] = defaultdict(list)
    for link in corpus.alignments(document_id=document_id).to_dict("records"):
        alignments[link["translation_id"]].append(link)
    segments: dict[str, list[dict]] = defaultdict(list)
    for row in corpus.segments(document_id=document_id, side="target").to_dict("records"):
        segments[row["translation_id"]].append(row)
    source_segments: dict[str, list[dict]] = defaultdict(list)
    for row in corpus.segments(document_id=document_id, side="source").to_dict("records"):
        source_segments[row["document_id"]].append(row)
    by_language: dict[tuple[str, str], SystemUnits] = defaultdict(SystemUnits)
    for doc_id, doc_translations in sorted(by_document.items()):
        humans = sorted((t for t in doc_translations if t["producer"] == "human"), key=lambda t: t["id"])
        machines = [t for t in doc_translations if t["producer"] == "mt"]
        if not humans or not machines:
            continue
        reference = humans[0]
        document = documents.get(doc_id, {})
        for machine in machines:
            if machine["lang"].split("-")[0].lower() != reference["lang"].split("-")[0].lower():
                continue
            level, units = _pair_units(
                segments[machine["id"]], segments[reference["id"]],
                alignments[machine["id"]], alignments[reference["id"]], machine["text"], reference["text"],
                source_segments[doc_id], document.get("source_text"),
            )
            system = by_language[(machine.get("system") or machine["id"], machine["lang"])]
            system.src_lang, system.tgt_lang = system.src_lang or document.get("lang"), machine["lang"]
            system.sources += [s for s, _, _ in units]
            system.hyps += [h for _, h, _ in units]
            system.refs += [r for _, _, r in units]
            system.documents[doc_id] = {
                "translation": machine["id"], "reference": reference["id"], "units": len(units), "paired_by": level,
                "source_paired": all(s is not None for s, _, _ in units),
            }
    names = defaultdict(list)
    for system, lang in by_language:
        names[system].append(lang)
    return {(system if len(names[system]) == 1 else f"{system} [{lang}]"): units
            for (system, lang), units in by_language.items()}


def unit_sources(system: str, units: SystemUnits, metrics: Sequence) -> list[str] | None:
    """The units' sources when a metric needs them; a one-line error naming a document whose units could
    not be paired with its source."""
    from pipelines.fidelity.registry import get_metric

    needing = [get_metric(m).name for m in metrics if get_metric(m).needs_source]
    sources = units.paired_sources()
    if needing and sources is None:
        document = units.unpaired_documents()[0]
        raise InputError(f"metric {needing[0]} needs the source of each unit, and document {document} ({system}) "
                         "could not be cut like its translations; align it first (calque align)")
    return sources if needing else None


def evaluate_corpus(
    corpus,
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    document_id: str | None = None,
    n_bootstrap: int = 0,
    segments: bool = False,
    store: bool = True,
    executor=None,
    tokenize: str | None = None,
) -> list[dict[str, Any]]:
    """Score every MT system of the corpus against the human translations; one row per system and
    metric, each stored as a `fidelity` result (unless store=False) and carrying its result id. BLEU
    tokenises for each system's target language (or with `tokenize`)."""
    from pipelines.fidelity.registry import ScoringContext

    systems = collect_system_units(corpus, document_id)
    if not systems:
        raise InputError("the corpus has no document with both a machine and a human translation to compare")
    rows = []
    for system, units in sorted(systems.items()):
        results: dict[str, MetricResult] = score_corpus(
            units.hyps, [units.refs], metrics, sources=unit_sources(system, units, metrics),
            context=ScoringContext(units.src_lang, units.tgt_lang, tokenize), segments=segments,
            n_bootstrap=n_bootstrap, executor=executor,
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
    rows = evaluate_corpus(corpus, ["bleu", "chrf", "chrf++", "ter", "learned", "learned-qe"])
    systems = sorted({row["system"] for row in rows})
    parts = []
    for system in systems:
        scores = ", ".join(f"{r['name']} {r['score']:.2f}" for r in rows if r["system"] == system)
        documents = next(r["documents"] for r in rows if r["system"] == system)
        parts.append(f"{system} on {len(documents)} bilingual documents: {scores}")
    return "; ".join(parts) + f" ({len(rows)} results stored)"
