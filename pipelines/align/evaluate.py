"""Strict and lax precision / recall / F1 of sentence alignments (Sennrich & Volk 2011).

Definitions follow the reference scorer used by Vecalign, Bertalign and SentAlign:
- strict: a hypothesis bead is right only if a gold bead has exactly its source and target ids;
- lax: it is also right if one of its source ids lies in a gold bead whose target ids meet the
  hypothesis target ids;
- precision counts every hypothesis bead (1-0 and 0-1 included); recall counts the gold beads
  with both sides non-empty, matched against the hypothesis beads with both sides non-empty;
- counts are pooled over all document pairs before P/R/F1 are computed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pipelines.align.beads import Bead

BeadLike = Bead | tuple[Sequence[int], Sequence[int]]


@dataclass
class Counts:
    strict_true: int = 0
    strict_false: int = 0
    lax_true: int = 0
    lax_false: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.strict_true += other.strict_true
        self.strict_false += other.strict_false
        self.lax_true += other.lax_true
        self.lax_false += other.lax_false
        return self


@dataclass
class Scores:
    precision: Counts = field(default_factory=Counts)
    recall: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict:
        def ratio(true: int, false: int) -> float:
            return true / (true + false) if true + false else 0.0

        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        result = {}
        for name, (pt, pf, rt, rf) in {
            "strict": (self.precision.strict_true, self.precision.strict_false, self.recall.strict_true, self.recall.strict_false),
            "lax": (self.precision.lax_true, self.precision.lax_false, self.recall.lax_true, self.recall.lax_false),
        }.items():
            p, r = ratio(pt, pf), ratio(rt, rf)
            result[name] = {"precision": p, "recall": r, "f1": f1(p, r)}
        result["counts"] = {
            "hypothesis_beads": pt + pf,
            "gold_beads_scored": rt + rf,
            "strict_precision_true": self.precision.strict_true,
            "strict_recall_true": self.recall.strict_true,
        }
        return result


def _as_pairs(beads: Iterable[BeadLike]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    pairs = set()
    for bead in beads:
        src, tgt = (bead.src, bead.tgt) if isinstance(bead, Bead) else bead
        src, tgt = tuple(src), tuple(tgt)
        if src or tgt:
            pairs.add((src, tgt))
    return pairs


def _match(reference: set, candidates: set) -> Counts:
    """Score each candidate bead against the reference beads (strict identity, lax overlap)."""
    targets_of_source = defaultdict(set)
    for ref_src, ref_tgt in reference:
        for s in ref_src:
            targets_of_source[s].update(ref_tgt)
    counts = Counts()
    for cand_src, cand_tgt in candidates:
        if (cand_src, cand_tgt) in reference:
            counts.strict_true += 1
            counts.lax_true += 1
            continue
        counts.strict_false += 1
        reachable = set().union(*(targets_of_source[s] for s in cand_src)) if cand_src else set()
        if reachable.intersection(cand_tgt):
            counts.lax_true += 1
        else:
            counts.lax_false += 1
    return counts


def score_document(gold: Iterable[BeadLike], hypothesis: Iterable[BeadLike]) -> Scores:
    gold_pairs, hyp_pairs = _as_pairs(gold), _as_pairs(hypothesis)
    scores = Scores()
    scores.precision = _match(gold_pairs, hyp_pairs)
    gold_links = {(s, t) for s, t in gold_pairs if s and t}
    hyp_links = {(s, t) for s, t in hyp_pairs if s and t}
    scores.recall = _match(hyp_links, gold_links)
    return scores


def evaluate(gold_docs: Sequence[Iterable[BeadLike]], hypothesis_docs: Sequence[Iterable[BeadLike]]) -> dict:
    """Pooled strict/lax P/R/F1 over paired documents: {"strict": {...}, "lax": {...}, "counts": {...}}."""
    if len(gold_docs) != len(hypothesis_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(hypothesis_docs)} hypotheses")
    total = Scores()
    for gold, hypothesis in zip(gold_docs, hypothesis_docs):
        doc = score_document(gold, hypothesis)
        total.precision += doc.precision
        total.recall += doc.recall
    return total.as_dict()
