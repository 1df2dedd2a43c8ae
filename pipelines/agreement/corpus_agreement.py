"""Agreement over the corpus: every unit (target segment of a translation) rated by two or more annotators.

The annotations that count are those MQM scoring counts (pipelines.mqm.select_annotations). In each
pair of annotators the alphabetically first is the reference: precision = matched / second's spans,
recall = matched / first's spans (F1 does not depend on the order). Counts are summed over pairs and
units (micro average).
"""
from __future__ import annotations

from itertools import combinations

import numpy as np

from corpus.errors import InputError
from corpus.typology import Weights, is_marker, resolve_weights
from pipelines.agreement.segments import cohen_kappa, krippendorff_alpha
from pipelines.agreement.spans import MATCHES, Span, pair_counts
from pipelines.mqm.scoring import _source_to_target, select_annotations
from pipelines.provenance import calque_signature, data_hash


def rated_units(notes, weights: Weights, source_to_target: dict) -> dict[tuple[str, int], dict[str, dict]]:
    """unit -> annotator -> {"spans": [Span], "score": MQM weight sum}."""
    units: dict[tuple[str, int], dict[str, dict]] = {}
    for note in notes.itertuples(index=False):
        idx = int(note.segment_idx)
        if note.side == "source":
            idx = source_to_target.get((note.translation_id, idx), idx)
        entry = units.setdefault((note.translation_id, idx), {}).setdefault(note.annotator, {"spans": [], "score": 0.0})
        if is_marker(note.category):
            continue
        entry["spans"].append(Span(note.side, int(note.start), int(note.end), note.severity))
        try:
            entry["score"] += weights.weight(note.severity, note.category)
        except KeyError:
            raise InputError(f"weights {weights.name!r} give no weight for severity {note.severity}") from None
    return units


def agreement(units: dict[tuple[str, int], dict[str, dict]]) -> dict:
    """Span P/R/F1, Cohen's kappa per annotator pair, Krippendorff's alpha, from rated units."""
    shared = {key: raters for key, raters in units.items() if len(raters) >= 2}
    annotators = sorted({a for raters in shared.values() for a in raters})
    pair_units: dict[tuple[str, str], list] = {}
    for raters in shared.values():
        for a, b in combinations(sorted(raters), 2):
            pair_units.setdefault((a, b), []).append((raters[a], raters[b]))
    totals = {kind: None for kind in MATCHES}
    pairs = []
    all_units = []
    for (a, b), items in sorted(pair_units.items()):
        spans = [(x["spans"], y["spans"]) for x, y in items]
        all_units.extend(spans)
        labels_a = [int(bool(x["spans"])) for x, _ in items]
        labels_b = [int(bool(y["spans"])) for _, y in items]
        counts = pair_counts(spans)
        pairs.append({"reference": a, "hypothesis": b, "segments": len(items),
                      "cohen_kappa": cohen_kappa(labels_a, labels_b),
                      "spans": {kind: counts[kind].scores() for kind in MATCHES}})
    totals = {kind: c.scores() for kind, c in pair_counts(all_units).items()}
    kappas = [p["cohen_kappa"] for p in pairs if p["cohen_kappa"] is not None]
    keys = sorted(shared)
    matrix = np.full((len(annotators), len(keys)), np.nan)
    for column, key in enumerate(keys):
        for row, annotator in enumerate(annotators):
            if annotator in shared[key]:
                matrix[row, column] = shared[key][annotator]["score"]
    return {
        "segments": len(shared),
        "annotators": len(annotators),
        "pairs": len(pairs),
        "spans": totals,
        "cohen_kappa": {"mean": float(np.mean(kappas)) if kappas else None, "pairs_defined": len(kappas)},
        "krippendorff_alpha": krippendorff_alpha(matrix) if shared else None,
        "pairwise": pairs,
    }


def corpus_agreement(corpus, translation_ids: list[str] | None = None, weights: str | Weights | None = None,
                     include_auto: bool = False) -> dict:
    if not isinstance(weights, Weights):
        try:
            weights = resolve_weights(weights)
        except ValueError as problem:
            raise InputError(str(problem)) from None
    notes = corpus.annotations()
    if translation_ids is not None and not notes.empty:
        notes = notes[notes.translation_id.isin(translation_ids)]
    notes, excluded = select_annotations(notes, include_auto=include_auto)
    result = agreement(rated_units(notes, weights, _source_to_target(corpus)))
    hashed = data_hash(sorted(f"{n.segment_id}|{n.segment_hash}|{n.translation_id}|{n.side}|{n.annotator}|{n.start}|{n.end}|{n.category}|{n.severity}"
                              for n in notes.itertuples(index=False)))
    result["excluded"] = excluded
    result["data_hash"] = hashed
    result["signature"] = calque_signature(
        f"metric:agreement|spans:greedy-1to1|kappa:error-vs-none|alpha:krippendorff-interval|weights:{weights.name}", hashed)
    return result
