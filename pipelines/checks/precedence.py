"""One finding per span and problem: of the findings that report the same problem on overlapping spans of one
segment, only the most specific is kept. Every run goes through here (`run_document`: `calque check`, corpus
check runs, bench checks, Dask workers).

A finding's problem is its artifact type, which for a catalogue entry is the entry's own type ("calque"), so a
known calque and a calque candidate on the same compound are one problem; SAME_PROBLEM folds the types that
report one problem at two scales (a segment in the wrong language is untranslated text as a whole; a truncation
is an omission at the end). The most specific finding is that of the check with the lowest `precedence` (a
catalogue entry, which names the artifact, before any heuristic), then the one with the narrower span (the
untranslated words before the wrong-language segment, the cut-off end before the omission), then the earlier.
Findings of one check are left as they are: a check reports each of its problems once, and two of its findings
may overlap without repeating each other (a placeholder lost somewhere in the segment, another one altered).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from pipelines.checks.base import Finding, registered_checks

SAME_PROBLEM = {"wrong-language": "untranslated", "truncation": "omission"}


def problem(finding: Finding) -> str:
    kind = finding.artifact_type or finding.type
    return SAME_PROBLEM.get(kind, kind)


def _overlap(a: Finding, b: Finding) -> bool:
    if a.start == a.end or b.start == b.end:
        return max(a.start, b.start) <= min(a.end, b.end)
    return max(a.start, b.start) < min(a.end, b.end)


def most_specific(findings: Iterable[Finding]) -> list[Finding]:
    """The findings without those that repeat, less specifically, a problem another check reports on the same span."""
    checks = registered_checks()
    groups: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.segment, problem(finding)].append(finding)
    kept: list[Finding] = []
    for group in groups.values():
        chosen: list[Finding] = []
        ranked = sorted(group, key=lambda f: (getattr(checks.get(f.check), "precedence", 50), f.end - f.start, f.start))
        for finding in ranked:
            if not any(other.check != finding.check and _overlap(finding, other) for other in chosen):
                chosen.append(finding)
        kept += chosen
    return kept
