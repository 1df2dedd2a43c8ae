"""Precision and recall of the checks against human span annotations.

A finding matches a human annotation on the same target segment when their spans overlap (a zero-width
span matches when it touches the other) and their types are compatible: the finding's artifact type itself
(a catalogue entry's own type, such as "calque", for known-artifact findings), or a close relative (a
dropped name is an omission; an untranslated fragment and a wrong-language segment are both non-translation;
a truncation is an omission at the end).

With `one_per_annotation`, each human annotation is claimed by one finding at most (the first, in the order
given): a second finding of the same problem on the same span counts as wrong, so a problem reported twice
lowers precision; with `related=False` only the finding's own artifact type counts (a wrong-language finding
does not answer an annotated untranslated span). The held-out benchmark scores with both.

Human annotations whose artifact type no check can produce (pure grammar, terminology inconsistency, no
type at all) form the "not detectable" bucket: recall is given over the detectable annotations and over all.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from pipelines.checks.base import FINDING_TYPES

RELATED: dict[str, set[str]] = {
    "untranslated": {"wrong-language"},
    "wrong-language": {"untranslated"},
    "entity-mismatch": {"omission"},
    "truncation": {"omission"},
    "omission": {"truncation"},
    "calque-candidate": {"calque"},
}
MATCHING = "span-overlap+compatible-type"


@dataclass(frozen=True)
class Span:
    """One finding or one human annotation, reduced to what matching needs."""

    key: tuple  # (translation id, segment index)
    start: int
    end: int
    artifact_type: str | None
    type: str | None = None  # the finding type (None for human annotations)

    def overlaps(self, other: "Span") -> bool:
        if self.key != other.key:
            return False
        if self.start == self.end or other.start == other.end:
            return max(self.start, other.start) <= min(self.end, other.end)
        return max(self.start, other.start) < min(self.end, other.end)


def accepted_types(finding: Span, related: bool = True) -> set[str]:
    accepted = {finding.artifact_type} if finding.artifact_type else set()
    if not related:
        return accepted
    return accepted | RELATED.get(finding.type or "", set()) | RELATED.get(finding.artifact_type or "", set())


def detectable_types(catalogue_types: Iterable[str] = ()) -> set[str]:
    types = set(FINDING_TYPES) - {"known-artifact"} | set(catalogue_types)
    for related in RELATED.values():
        types |= related
    return types


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _f1(precision: float | None, recall: float | None) -> float | None:
    if not precision or not recall:
        return None if precision is None or recall is None else 0.0
    return 2 * precision * recall / (precision + recall)


def match(findings: Sequence[Span], gold: Sequence[Span], one_per_annotation: bool = False,
          related: bool = True) -> tuple[list[set[int]], list[set[int]]]:
    """Per finding, the gold annotations it is credited with (overlap and a compatible type, or with
    `related=False` the same artifact type; with `one_per_annotation` at most one, not claimed by an
    earlier finding) and those it overlaps at all."""
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for n, annotation in enumerate(gold):
        by_key[annotation.key].append(n)
    typed_hits: list[set[int]] = []
    any_hits: list[set[int]] = []
    claimed: set[int] = set()
    for finding in findings:
        accepted = accepted_types(finding, related)
        overlapping = {n for n in by_key.get(finding.key, []) if finding.overlaps(gold[n])}
        any_hits.append(overlapping)
        hits = {n for n in overlapping if gold[n].artifact_type in accepted}
        if one_per_annotation:
            hits = set(sorted(hits - claimed)[:1])
            claimed |= hits
        typed_hits.append(hits)
    return typed_hits, any_hits


def score(findings: Sequence[Span], gold: Sequence[Span], detectable: set[str], one_per_annotation: bool = False,
          related: bool = True) -> dict:
    """Overall, per-check and per-annotated-type figures (see the module docstring for the rules)."""
    typed_hits, any_hits = match(findings, gold, one_per_annotation, related)
    found_gold = set().union(*typed_hits) if typed_hits else set()
    touched_gold = set().union(*any_hits) if any_hits else set()
    is_detectable = [g.artifact_type in detectable for g in gold]
    n_detectable = sum(is_detectable)

    precision = _ratio(sum(bool(h) for h in typed_hits), len(findings))
    recall = _ratio(sum(1 for n in found_gold if is_detectable[n]), n_detectable)
    overall = {
        "findings": len(findings),
        "human_annotations": len(gold),
        "detectable": n_detectable,
        "not_detectable": len(gold) - n_detectable,
        "true_positive_findings": sum(bool(h) for h in typed_hits),
        "precision": precision,
        "precision_any_annotation": _ratio(sum(bool(h) for h in any_hits), len(findings)),
        "recall_detectable": recall,
        "recall_all": _ratio(len(found_gold), len(gold)),
        "recall_any_overlap_all": _ratio(len(touched_gold), len(gold)),
        "f1_detectable": _f1(precision, recall),
    }

    per_check: dict[str, dict] = {}
    for finding, hits in zip(findings, typed_hits):
        row = per_check.setdefault(finding.type, {"findings": 0, "true_positive_findings": 0})
        row["findings"] += 1
        row["true_positive_findings"] += bool(hits)
    for row in per_check.values():
        row["precision"] = _ratio(row["true_positive_findings"], row["findings"])

    per_type: dict[str, dict] = {}
    totals = Counter(g.artifact_type or "(none)" for g in gold)
    found = Counter(gold[n].artifact_type or "(none)" for n in found_gold)
    for artifact_type, total in sorted(totals.items()):
        per_type[artifact_type] = {
            "human_annotations": total,
            "detectable": artifact_type in detectable,
            "found": found.get(artifact_type, 0),
            "recall": _ratio(found.get(artifact_type, 0), total),
        }
    return {"overall": overall, "by_check": dict(sorted(per_check.items())), "by_annotated_type": per_type}
