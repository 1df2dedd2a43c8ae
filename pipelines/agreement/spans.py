"""Span agreement between two annotators: one-to-one matching, exact or overlapping, optionally
requiring the same severity, and precision/recall/F1 from the match counts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

MATCHES = ("exact", "overlap", "exact+severity", "overlap+severity")


@dataclass(frozen=True)
class Span:
    side: str
    start: int
    end: int
    severity: str


def _overlap(a: Span, b: Span) -> int:
    """Shared characters; an empty span (a point) touching or inside the other counts as one."""
    if a.side != b.side:
        return 0
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared > 0:
        return shared
    if (a.start == a.end or b.start == b.end) and max(a.start, b.start) <= min(a.end, b.end):
        return 1
    return 0


def matches(a: Span, b: Span, kind: str) -> bool:
    if kind.endswith("+severity") and a.severity != b.severity:
        return False
    if kind.startswith("exact"):
        return (a.side, a.start, a.end) == (b.side, b.start, b.end)
    return _overlap(a, b) > 0


def match_count(reference: list[Span], hypothesis: list[Span], kind: str) -> int:
    """Greedy one-to-one matching, largest overlap first."""
    candidates = sorted(
        ((_overlap(r, h), i, j) for i, r in enumerate(reference) for j, h in enumerate(hypothesis) if matches(r, h, kind)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_r, used_h, count = set(), set(), 0
    for _, i, j in candidates:
        if i not in used_r and j not in used_h:
            used_r.add(i)
            used_h.add(j)
            count += 1
    return count


@dataclass
class Counts:
    matched: int = 0
    reference: int = 0
    hypothesis: int = 0

    def add(self, matched: int, reference: int, hypothesis: int) -> None:
        self.matched += matched
        self.reference += reference
        self.hypothesis += hypothesis

    def scores(self) -> dict:
        precision = self.matched / self.hypothesis if self.hypothesis else None
        recall = self.matched / self.reference if self.reference else None
        f1 = None
        if precision is not None and recall is not None:
            f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        return {"precision": precision, "recall": recall, "f1": f1, "matched": self.matched,
                "reference_spans": self.reference, "hypothesis_spans": self.hypothesis}


def pair_counts(units: Iterable[tuple[list[Span], list[Span]]]) -> dict[str, Counts]:
    """Counts for each match kind over units, each unit giving (reference spans, hypothesis spans)."""
    counts = {kind: Counts() for kind in MATCHES}
    for reference, hypothesis in units:
        for kind in MATCHES:
            counts[kind].add(match_count(reference, hypothesis, kind), len(reference), len(hypothesis))
    return counts
