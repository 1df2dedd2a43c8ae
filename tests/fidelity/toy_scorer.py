"""A test-only segment-level scorer with the interface learned metrics have (name, needs_reference, sha256,
signature, score(sources, hypotheses, references_or_None, src_lang, tgt_lang)): pure Python, so its figures
can be checked by hand and it runs on any Dask worker that imports the tests package.

    toy:ref  character-bigram F1 of translation and reference, 0–100 (needs the reference)
    toy:qe   how close the translation's length is to the source's, 0–100 (reference-free)

A suffix after a dash (`toy:qe-2`) names another instance of the same scorer (one more model to load).

`LOADS` counts the scorers this process built: workers must build one each, not one per task."""
from __future__ import annotations

import hashlib

import numpy as np

from pipelines.fidelity import SegmentLevelMetric

LOADS = {"count": 0}


def bigrams(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a, b in zip(text, text[1:]):
        counts[a + b] = counts.get(a + b, 0) + 1
    return counts


def bigram_f1(hypothesis: str, reference: str) -> float:
    h, r = bigrams(hypothesis), bigrams(reference)
    common = sum(min(n, r.get(g, 0)) for g, n in h.items())
    total_h, total_r = sum(h.values()), sum(r.values())
    if not common or not total_h or not total_r:
        return 0.0
    precision, recall = common / total_h, common / total_r
    return 100 * 2 * precision * recall / (precision + recall)


def length_closeness(source: str, hypothesis: str) -> float:
    longer = max(len(source), len(hypothesis), 1)
    return 100 * (1 - abs(len(source) - len(hypothesis)) / longer)


class ToyScorer:
    def __init__(self, argument: str):
        variant = argument.split("-")[0]
        if variant not in ("ref", "qe"):
            raise ValueError(argument)
        LOADS["count"] += 1
        self.variant = variant
        self.name = f"Toy-{variant}"
        self.needs_reference = variant == "ref"
        self.sha256 = hashlib.sha256(f"toy-{variant}".encode()).hexdigest()
        self.signature = f"toy|variant:{variant}|sha256:{self.sha256[:16]}"

    def score(self, sources, hypotheses, references, src_lang, tgt_lang):
        if self.variant == "ref":
            return np.array([bigram_f1(h, r) for h, r in zip(hypotheses, references)])
        return np.array([length_closeness(s, h) for s, h in zip(sources, hypotheses)])


def load_toy(variant: str) -> ToyScorer:
    return ToyScorer(variant)


def toy_metric(variant: str) -> SegmentLevelMetric:
    return SegmentLevelMetric(f"toy:{variant}", load_toy, variant)


def worker_loads() -> int:
    return LOADS["count"]
