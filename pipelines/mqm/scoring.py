"""MQM scores from the corpus's annotations, computed as mt-metrics-eval does (lower is better).

A unit is one target segment of one translation (a source-side annotation counts for the target
segment its alignment links it to). unit score = mean over its raters of the sum of their error weights;
document and system scores = mean over rated units.

A unit's raters (its rater set) are the annotators (the `annotator` field) who rated it:
  * a rater rated a unit when they left any counted annotation on it, the "No-error" marker included;
  * with the default `unmarked="zero"`, a rater who never uses No-error markers marks errors only: having
    annotated a translation they reviewed all of it, so its segments they left unmarked rate 0 for them;
    a rater who uses No-error markers (anywhere in the scored annotations, as in WMT/Google MQM data)
    says which segments they rated, and only those count;
  * `unmarked="unrated"` counts only segments with a mark (mt-metrics-eval's convention).
Every distinct annotator name is one rater: annotations by one person must carry one name (the CLI takes it
from --annotator, CALQUE_ANNOTATOR or the login name and says which). A confirmed automatic finding counts
under its annotator (calque-check), i.e. as one more rater of the units it is on, and only of those (a
checker reviews nothing: unmarked segments never count 0 for an automatic annotator).

Left out by default: rejected and resolved annotations, automatic annotations nobody confirmed, stale
annotations (their segment changed), and errors in the source itself (source-side annotations tied to no
translation).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corpus.errors import InputError
from corpus.typology import DA_SCORE, ESA_SCORE, Weights, is_marker, resolve_weights
from pipelines.provenance import calque_signature, data_hash

LEVELS = ("system", "document", "segment")
UNMARKED = ("zero", "unrated")
DEFAULT_UNMARKED = "zero"


@dataclass
class MQMScores:
    level: str
    frame: pd.DataFrame
    weights: Weights
    signature: str
    data_hash: str
    excluded: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        records = self.frame.to_dict("records")
        return {"level": self.level, "lower_is_better": True, "weights": {"name": self.weights.name, "spec": self.weights.spec},
                "signature": self.signature, "data_hash": self.data_hash, "excluded": self.excluded, "scores": _plain(records)}


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _weights_label(weights: Weights) -> str:
    if weights.name != "custom":
        return weights.name
    return "custom[" + ",".join(f"{k}={v:g}" for k, v in weights.table.items()).replace(" ", "_") + "]"


def select_annotations(notes: pd.DataFrame, include_auto: bool = False, include_stale: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """The annotations that count, and how many of each kind were left out.

    Direct scores are not MQM ratings: a "DA score" marker never counts, nor does an "ESA score" marker of an
    annotator who marks no span anywhere (a score file's means, a rater who only scored); an ESA rater's
    score marker does, as their rating of a segment in which they found no error."""
    if notes.empty:
        return notes, {"rejected": 0, "unconfirmed_auto": 0, "stale": 0, "source_errors": 0, "scores_only": 0}
    rejected = notes.status == "rejected"
    auto_open = notes.origin.str.startswith("auto:") & (notes.status == "open")
    stale = notes.stale.astype(bool)
    source_only = notes.translation_id.isna()
    score_marker = notes.category.isin([ESA_SCORE, DA_SCORE])
    span_raters = set(notes.annotator[~score_marker])
    score_only = (notes.category == DA_SCORE) | (score_marker & ~notes.annotator.isin(span_raters))
    keep = ~rejected & ~source_only & ~score_only & (include_auto | ~auto_open) & (include_stale | ~stale)
    excluded = {
        "rejected": int(rejected.sum()),
        "unconfirmed_auto": 0 if include_auto else int((auto_open & ~rejected).sum()),
        "stale": 0 if include_stale else int((stale & ~rejected).sum()),
        "source_errors": int(source_only.sum()),
        "scores_only": int((score_only & ~rejected).sum()),
    }
    return notes[keep].reset_index(drop=True), excluded


def unit_scores(notes: pd.DataFrame, weights: Weights, source_to_target: dict[tuple[str, int], int],
                complete: dict[str, list[int]] | None = None) -> pd.DataFrame:
    """One row per rated unit: document_id, translation_id, segment, raters, errors, score, rater_scores.

    With `complete` (translation id -> its segment indexes), a rater who uses no No-error marker and
    annotated a translation is taken to have reviewed all of it: its segments they left unmarked are
    rated 0 by them (see the module docstring)."""
    columns = ["document_id", "translation_id", "segment", "raters", "errors", "score", "rater_scores"]
    if notes.empty:
        return pd.DataFrame(columns=columns)
    units: dict[tuple[str, str, int], dict[str, float]] = {}
    errors: dict[tuple[str, str, int], int] = {}
    uncovered = set()
    uses_markers: set[str] = set()
    humans = set(notes.annotator[~notes.origin.str.startswith("auto:")]) if "origin" in notes else set(notes.annotator)
    for note in notes.itertuples(index=False):
        idx = int(note.segment_idx)
        if note.side == "source":
            idx = source_to_target.get((note.translation_id, idx), idx)
        key = (note.document_id, note.translation_id, idx)
        per_rater = units.setdefault(key, {})
        per_rater.setdefault(note.annotator, 0.0)
        if is_marker(note.category):
            uses_markers.add(note.annotator)
            continue
        try:
            per_rater[note.annotator] += weights.weight(note.severity, note.category)
        except KeyError:
            uncovered.add(note.severity)
            continue
        errors[key] = errors.get(key, 0) + 1
    if complete is not None:
        reviewed = {(d, t, a) for (d, t, _), raters in list(units.items()) for a in raters if a in humans and a not in uses_markers}
        for document_id, translation_id, annotator in reviewed:
            for idx in complete.get(translation_id, []):
                units.setdefault((document_id, translation_id, idx), {}).setdefault(annotator, 0.0)
    if uncovered:
        raise InputError(f"weights {weights.name!r} give no weight for severity {', '.join(sorted(uncovered))} "
                         f"(add e.g. '{sorted(uncovered)[0]}:N' to the weights)")
    rows = [
        {"document_id": d, "translation_id": t, "segment": i, "raters": len(r), "errors": errors.get((d, t, i), 0),
         "score": sum(r.values()) / len(r), "rater_scores": dict(sorted(r.items()))}
        for (d, t, i), r in units.items()
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["document_id", "translation_id", "segment"]).reset_index(drop=True)


def aggregate(units: pd.DataFrame, systems: dict[str, str], level: str) -> pd.DataFrame:
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    units = units.assign(system=units.translation_id.map(systems))
    if level == "segment":
        return units[["system", "document_id", "translation_id", "segment", "raters", "errors", "score", "rater_scores"]]
    keys = ["system"] if level == "system" else ["document_id", "system"]
    grouped = units.groupby(keys, sort=False).agg(score=("score", "mean"), segments=("segment", "size"), errors=("errors", "sum"),
                                                  raters=("raters", "mean"))
    frame = grouped.reset_index()
    if level == "system":
        frame = frame.sort_values(["score", "system"]).reset_index(drop=True)
        frame.insert(0, "rank", range(1, len(frame) + 1))
    else:
        frame = frame.sort_values(["document_id", "score", "system"]).reset_index(drop=True)
        frame.insert(0, "rank", frame.groupby("document_id").cumcount() + 1)
    return frame


def _source_to_target(corpus) -> dict[tuple[str, int], int]:
    mapping: dict[tuple[str, int], int] = {}
    for link in corpus.alignments().to_dict("records"):
        if not link["target_idx"]:
            continue
        for s in link["source_idx"]:
            key = (link["translation_id"], int(s))
            mapping[key] = min(mapping.get(key, 10**9), min(int(t) for t in link["target_idx"]))
    return mapping


def score(corpus, by: str = "system", weights: str | Weights | None = None, include_auto: bool = False,
          include_stale: bool = False, document_id: str | None = None, translation_ids: list[str] | None = None,
          unmarked: str = DEFAULT_UNMARKED) -> MQMScores:
    """MQM scores at the system, document or segment level (Google 2021 weights unless told otherwise).

    unmarked: "zero" (the default everywhere: CLI, report, bench, demo) — a rater who uses no No-error
    markers and annotated a translation reviewed all of it, so segments they left unmarked count 0 for
    them; "unrated" — only marked segments count. The choice is part of the signature (unmarked:…)."""
    if by not in LEVELS:
        raise InputError(f"unknown level {by!r} (expected one of {', '.join(LEVELS)})")
    if unmarked not in UNMARKED:
        raise InputError(f"unknown unmarked policy {unmarked!r} (expected one of {', '.join(UNMARKED)})")
    if not isinstance(weights, Weights):
        try:
            weights = resolve_weights(weights)
        except ValueError as problem:
            raise InputError(str(problem)) from None
    notes = corpus.annotations(document_id=document_id)
    if translation_ids is not None and not notes.empty:
        notes = notes[notes.translation_id.isin(translation_ids)]
    notes, excluded = select_annotations(notes, include_auto, include_stale)
    translations = corpus.translations()
    systems = {t.id: (t.system if isinstance(t.system, str) and t.system else t.id) for t in translations.itertuples()}
    complete = None
    if unmarked == "zero":
        targets = corpus.segments(side="target")
        complete = {t: sorted(int(i) for i in group.idx) for t, group in targets.groupby("translation_id")}
    units = unit_scores(notes, weights, _source_to_target(corpus), complete)
    frame = aggregate(units, systems, by)
    lines = sorted(
        f"{n.segment_id}|{n.segment_hash}|{n.translation_id}|{n.side}|{n.annotator}|{n.start}|{n.end}|{n.category}|{n.severity}"
        for n in notes.itertuples(index=False)
    )
    hashed = data_hash(lines)
    signature = calque_signature(
        f"metric:mqm|level:{by}|weights:{_weights_label(weights)}|raters:avg|auto:{'all' if include_auto else 'confirmed'}"
        f"|stale:{'included' if include_stale else 'excluded'}|unmarked:{unmarked}", hashed)
    return MQMScores(by, frame, weights, signature, hashed, excluded)
