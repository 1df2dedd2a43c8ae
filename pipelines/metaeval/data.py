"""What a meta-evaluation reads: sources, one reference, the systems' translations of the same items,
and human scores (systems × items) — from a corpus's MQM annotations, a Google MQM TSV, or a score file.

Human scores keep their own orientation (`human_higher_is_better`); MQM is lower-is-better.
"""
from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corpus.errors import InputError
from pipelines.provenance import data_hash


@dataclass
class MetaEvalSet:
    name: str
    src_lang: str | None
    tgt_lang: str | None
    systems: list[str]
    items: list[str]
    sources: list[str]
    references: list[str]
    hypotheses: dict[str, list[str]]
    human: np.ndarray  # systems × items, NaN = not rated
    human_name: str
    human_signature: str
    human_higher_is_better: bool = False
    reference_name: str | None = None
    skipped: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.human.shape != (len(self.systems), len(self.items)):
            raise InputError(f"human scores have shape {self.human.shape}, expected {(len(self.systems), len(self.items))}")
        if len(self.systems) < 2:
            raise InputError("a meta-evaluation needs at least two systems with human scores")
        for system in self.systems:
            if len(self.hypotheses[system]) != len(self.items):
                raise InputError(f"system {system!r} has {len(self.hypotheses[system])} segments for {len(self.items)} items")

    @property
    def human_oriented(self) -> np.ndarray:
        """Human scores with higher = better (MQM negated), as mt-metrics-eval stores gold scores."""
        return self.human if self.human_higher_is_better else -self.human

    def human_system_scores(self) -> dict[str, float]:
        """Mean human score per system over the items it was rated on (own orientation)."""
        return {s: float(np.nanmean(row)) if np.any(~np.isnan(row)) else math.nan for s, row in zip(self.systems, self.human)}

    @property
    def data_hash(self) -> str:
        human_lines = ["\t".join("" if math.isnan(v) else repr(float(v)) for v in row) for row in self.human]
        return data_hash(self.systems, self.items, self.sources, self.references,
                         *(self.hypotheses[s] for s in self.systems), human_lines)


def from_corpus(corpus, reference: str | None = None, weights: str | None = None, name: str | None = None,
                include_auto: bool = False, protocol: str = "mqm", scores=None) -> MetaEvalSet:
    """Human segment scores of the corpus's systems (`protocol`: MQM from error spans, or the ESA or DA scores
    that `calque annotate import` stores; pipelines.human) against one reference system's translations.
    `scores`: segment scores from elsewhere instead (a pipelines.human.HumanScores, e.g. a campaign's results).

    Items are the target segments of documents where the source, the reference and every system have
    the same number of segments (as after a Google MQM or WMT import: one segment per seg_id); other
    documents are skipped and counted."""
    translations = corpus.translations()
    if translations.empty:
        raise InputError("the corpus has no translations")
    system_of = {t.id: (t.system if isinstance(t.system, str) and t.system else t.id) for t in translations.itertuples()}
    if reference is None:
        humans = sorted({system_of[t.id] for t in translations.itertuples() if t.producer == "human"})
        if not humans:
            raise InputError("no human translation to use as the reference; name a reference system (--reference)")
        reference = humans[0]
    if reference not in set(system_of.values()):
        raise InputError(f"no system named {reference!r} in the corpus (systems: {', '.join(sorted(set(system_of.values())))})")
    if scores is not None:
        protocol, higher_is_better = scores.protocol, scores.higher_is_better
    elif protocol == "mqm":
        from pipelines.mqm import score as mqm_score

        scores = mqm_score(corpus, by="segment", weights=weights, include_auto=include_auto)
        higher_is_better = False
    else:
        from pipelines.human import score as human_score

        scores = human_score(corpus, protocol, by="segment", weights=weights)
        higher_is_better = scores.higher_is_better
    rated = scores.frame
    systems = sorted({s for s in rated.system if s != reference}) if not rated.empty else []
    if len(systems) < 2:
        raise InputError(f"fewer than two systems besides the reference have {protocol.upper()} scores")
    segments = corpus.segments()
    texts: dict[str, list[str]] = {}
    for text_id, group in segments.assign(text_id=segments.translation_id.fillna(segments.document_id)).groupby("text_id"):
        texts[text_id] = list(group.sort_values("idx").text)
    by_document: dict[str, dict[str, str]] = {}
    for t in translations.itertuples():
        by_document.setdefault(t.document_id, {})[system_of[t.id]] = t.id
    documents = {d["id"]: d for d in corpus.documents().to_dict("records")}
    items, sources, references = [], [], []
    hyps: dict[str, list[str]] = {s: [] for s in systems}
    position: dict[tuple[str, int], int] = {}
    skipped: list[str] = []
    for document_id in sorted(by_document):
        present = by_document[document_id]
        source = texts.get(document_id)
        if reference not in present or source is None or any(s not in present for s in systems):
            skipped.append(document_id)
            continue
        lengths = {len(texts.get(present[s], [])) for s in [reference, *systems]} | {len(source)}
        if len(lengths) != 1:
            skipped.append(document_id)
            continue
        meta = ((documents[document_id].get("metadata") or {}).get("google_mqm") or {})
        seg_ids = meta.get("seg_ids")
        for idx in range(len(source)):
            position[(document_id, idx)] = len(items)
            items.append(str(seg_ids[idx]) if seg_ids and idx < len(seg_ids) else f"{document_id}:{idx}")
            sources.append(source[idx])
            references.append(texts[present[reference]][idx])
            for s in systems:
                hyps[s].append(texts[present[s]][idx])
    if not items:
        raise InputError("no document has the source, the reference and every system segmented alike")
    human = np.full((len(systems), len(items)), np.nan)
    row_of = {s: r for r, s in enumerate(systems)}
    for unit in rated.itertuples():
        column = position.get((unit.document_id, int(unit.segment)))
        if column is not None and unit.system in row_of:
            human[row_of[unit.system], column] = float(unit.score)
    src_lang = next(iter(corpus.documents().lang), None)
    tgt_lang = next(iter(translations.lang), None)
    return MetaEvalSet(
        name=name or str(corpus.path), src_lang=src_lang, tgt_lang=tgt_lang, systems=systems, items=items,
        sources=sources, references=references, hypotheses=hyps, human=human, human_name=protocol,
        human_signature=scores.signature, human_higher_is_better=higher_is_better, reference_name=reference,
        skipped={"documents": skipped},
    )


def from_google_mqm(path: str | Path, reference: str = "ref", weights: str | None = None,
                    src_lang: str | None = None, tgt_lang: str | None = None) -> MetaEvalSet:
    """A Google MQM TSV (e.g. mqm_ted_ende.tsv), imported into a throw-away corpus and scored there."""
    from corpus import Corpus
    from corpus.formats.annotations import import_annotations

    with tempfile.TemporaryDirectory(prefix="calque-metaeval-") as directory:
        corpus = Corpus.init(Path(directory) / "corpus", actor="calque-meta-eval")
        try:
            import_annotations(corpus, "google-mqm", str(path), src_lang=src_lang, tgt_lang=tgt_lang)
            dataset = from_corpus(corpus, reference=reference, weights=weights, name=Path(path).name)
        finally:
            corpus.close()
    return dataset


def read_score_file(path: str | Path) -> dict[tuple[str, int], float]:
    """A whitespace- or tab-separated file with a header naming `system`, `seg_id` (1-based line of the
    test set) and one score column; returns {(system, seg_id): score}."""
    from pipelines.fidelity.textfile import read_text

    lines = read_text(path).splitlines()
    header = lines[0].split()
    if "system" not in header or "seg_id" not in header or len(header) != 3:
        raise InputError("header must name three columns: system, seg_id and the score", str(path), 1)
    score_column = next(i for i, name in enumerate(header) if name not in ("system", "seg_id"))
    scores: dict[tuple[str, int], float] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 3:
            raise InputError(f"expected 3 columns, found {len(fields)}", str(path), number)
        row = dict(zip(header, fields))
        try:
            key = (row["system"], int(row["seg_id"]))
            value = float(fields[score_column])
        except ValueError:
            raise InputError("seg_id must be an integer and the score a number", str(path), number) from None
        if key in scores:
            raise InputError(f"system {key[0]!r} seg_id {key[1]} is scored twice", str(path), number)
        scores[key] = value
    return scores


def from_score_file(path: str | Path, testset, reference: str | None = None, higher_is_better: bool = False,
                    system_names: dict[str, str] | None = None) -> MetaEvalSet:
    """Human segment scores from a score file, texts from a WMT-layout test set (pipelines.bench.TestSet).
    System names in the file may carry a suffix ('eTranslation.737'); they are matched to the test set's
    systems by exact name, else by the part before the first dot."""
    scores = read_score_file(path)
    file_systems = sorted({s for s, _ in scores})
    mapping = dict(system_names or {})
    for name in file_systems:
        if name not in mapping:
            if name in testset.systems:
                mapping[name] = name
            elif name.split(".")[0] in testset.systems:
                mapping[name] = name.split(".")[0]
    systems = sorted(set(mapping.values()) & set(testset.systems))
    if len(systems) < 2:
        raise InputError(f"fewer than two systems of the score file are in the test set (file: {', '.join(file_systems)})", str(path))
    reference = reference or next(iter(testset.references))
    human = np.full((len(systems), len(testset.sources)), np.nan)
    row_of = {s: r for r, s in enumerate(systems)}
    for (name, seg_id), value in scores.items():
        system = mapping.get(name)
        if system in row_of:
            if not 1 <= seg_id <= len(testset.sources):
                raise InputError(f"seg_id {seg_id} is outside the test set (1..{len(testset.sources)})", str(path))
            human[row_of[system], seg_id - 1] = value
    return MetaEvalSet(
        name=f"{testset.name}+{Path(path).name}", src_lang=testset.src_lang, tgt_lang=testset.tgt_lang, systems=systems,
        items=[str(i + 1) for i in range(len(testset.sources))], sources=list(testset.sources),
        references=list(testset.references[reference]), hypotheses={s: list(testset.systems[s]) for s in systems},
        human=human, human_name=Path(path).stem,
        human_signature=f"human:{Path(path).name}|orientation:{'higher' if higher_is_better else 'lower'}-is-better",
        human_higher_is_better=higher_is_better, reference_name=reference,
    )
