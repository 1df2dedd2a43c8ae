"""Deterministic artifact checks (pipelines.checks) over each system's output, document by document.

Without document ids the test set is checked in blocks of `block` consecutive segments: document-level
checks see a short context, and the cost stays linear in the test set size."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from pipelines.execution import Executor

CHECK_BLOCK = 20
MAX_FINDINGS_PER_SYSTEM = 200


def checks_available() -> bool:
    try:
        import pipelines.checks  # noqa: F401
    except ImportError:
        return False
    return True


def document_spans(n: int, documents: Sequence[str] | None, block: int = CHECK_BLOCK) -> list[tuple[int, int]]:
    """[start, end) of each document: runs of equal document ids, or fixed blocks."""
    if documents is None:
        return [(start, min(start + block, n)) for start in range(0, n, block)]
    spans, start = [], 0
    for i in range(1, n + 1):
        if i == n or documents[i] != documents[start]:
            spans.append((start, i))
            start = i
    return spans


@dataclass(frozen=True)
class CheckShard:
    """One system's segments [start, start + len(hyps)), checked span by span: blocks of `block` segments, or,
    with document ids, spans ending at `cuts` (relative to start). A task carries a few numbers, not a span
    per block."""

    system: str
    start: int
    sources: Sequence[str] | None
    hyps: Sequence[str]
    block: int
    cuts: tuple[int, ...] | None
    src_lang: str
    tgt_lang: str
    catalogue: Any
    only: Any

    def spans(self) -> list[tuple[int, int]]:
        if self.cuts is None:
            return document_spans(len(self.hyps), None, self.block)
        return list(zip((0, *self.cuts[:-1]), self.cuts))


def check_shards(systems: dict[str, Sequence[str]], sources: Sequence[str] | None, src_lang: str, tgt_lang: str,
                 documents: Sequence[str] | None = None, only: Sequence[str] | None = None, catalogue=None,
                 block: int = CHECK_BLOCK) -> list[CheckShard]:
    """Each system's documents (or blocks), in order, packed into shards of about a score shard's size."""
    from pipelines.checks import resolve_checks
    from pipelines.execution.shards import shard_size
    from pipelines.fidelity.file_lines import portion

    only = resolve_checks(only)
    n = len(next(iter(systems.values()), []))
    size = shard_size(n)
    if documents is None:
        step = -(-size // block) * block
        ranges = [(start, min(start + step, n), None) for start in range(0, n, step)]
    else:
        ranges, group = [], []
        for span in document_spans(n, documents, block):
            group.append(span)
            if span[1] - group[0][0] >= size or span[1] == n:
                ranges.append((group[0][0], span[1], tuple(end - group[0][0] for _, end in group)))
                group = []
    return [CheckShard(system, start, None if sources is None else portion(sources, start, end), portion(hyps, start, end),
                       block, cuts, src_lang, tgt_lang, catalogue, only)
            for start, end, cuts in ranges for system, hyps in systems.items()]


def check_shard(shard: CheckShard) -> list[dict]:
    """Worker: the findings of a shard of documents (or blocks), numbered in the whole test set."""
    from pipelines.checks import run_checks
    from pipelines.fidelity.file_lines import materialise

    sources, hyps = materialise(shard.sources), materialise(shard.hyps)
    findings = []
    for low, high in shard.spans():
        for finding in run_checks(None if sources is None else sources[low:high], hyps[low:high], shard.src_lang,
                                  shard.tgt_lang, catalogue=shard.catalogue, only=shard.only):
            findings.append({"system": shard.system, **finding.to_dict(), "segment": finding.segment + shard.start + low,
                             "check": finding.check, "severity": finding.severity, "artifact_type": finding.artifact_type})
    return findings


def run_system_checks(
    systems: dict[str, Sequence[str]],
    sources: Sequence[str] | None,
    src_lang: str,
    tgt_lang: str,
    documents: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    catalogue=None,
    block: int = CHECK_BLOCK,
    executor: "Executor | None" = None,
) -> dict[str, list[dict]]:
    """Findings per system, with segment indices into the whole test set; documents are checked in
    shards on `executor` (default: in process)."""
    from pipelines.execution import InProcessExecutor

    executor = executor or InProcessExecutor(progress=False)
    shards = check_shards(systems, sources, src_lang, tgt_lang, documents, only, catalogue, block)
    findings: dict[str, list[dict]] = {system: [] for system in systems}
    for shard, part in zip(shards, executor.map(check_shard, shards, label="checks")):
        findings[shard.system] += part
    return findings


@dataclass
class FindingCounts:
    """A system's findings reduced: counts per type (in order of first appearance), all findings, segments with
    one, and the first MAX_FINDINGS_PER_SYSTEM findings."""

    counts: dict[str, int]
    total: int
    flagged: int
    first: list[dict]


def shard_finding_counts(shard: CheckShard) -> FindingCounts:
    """Worker: a shard's findings, counted (its segments are no other shard's, so flagged segments add up)."""
    findings = check_shard(shard)
    return FindingCounts(dict(Counter(f["type"] for f in findings)), len(findings), len({f["segment"] for f in findings}),
                         findings[:MAX_FINDINGS_PER_SYSTEM])


def combine_finding_counts(parts: list[FindingCounts]) -> FindingCounts:
    counts: dict[str, int] = {}
    for part in parts:
        for kind, number in part.counts.items():
            counts[kind] = counts.get(kind, 0) + number
    first = [finding for part in parts for finding in part.first][:MAX_FINDINGS_PER_SYSTEM]
    return FindingCounts(counts, sum(p.total for p in parts), sum(p.flagged for p in parts), first)


def system_check_summary(systems: dict[str, Sequence[str]], sources: Sequence[str] | None, src_lang: str, tgt_lang: str,
                         documents: Sequence[str] | None = None, only: Sequence[str] | None = None, catalogue=None,
                         block: int = CHECK_BLOCK, executor: "Executor | None" = None) -> dict[str, Any]:
    """`summarise_findings(run_system_checks(...))`, reduced on the workers: the client receives each system's
    counts and first findings, not every finding."""
    from pipelines.checks import resolve_checks
    from pipelines.execution import InProcessExecutor

    executor = executor or InProcessExecutor(progress=False)
    shards = check_shards(systems, sources, src_lang, tgt_lang, documents, only, catalogue, block)
    reduced = executor.reduce(shard_finding_counts, shards, group=_system_of, combine=combine_finding_counts, label="checks")
    return {
        "checks": list(resolve_checks(only)),
        "types": sorted({kind for part in reduced.values() for kind in part.counts}),
        "counts": {system: part.counts for system, part in reduced.items()},
        "totals": {system: part.total for system, part in reduced.items()},
        "segments_flagged": {system: part.flagged for system, part in reduced.items()},
        "segments": {system: len(hyps) for system, hyps in systems.items()},
        "findings": {system: part.first for system, part in reduced.items()},
    }


def _system_of(shard: CheckShard) -> str:
    return shard.system


def summarise_findings(findings: dict[str, list[dict]], n_segments: dict[str, int], checks: Sequence[str]) -> dict[str, Any]:
    """Counts per system and finding type, segments with a finding, and a capped list of findings."""
    types = sorted({f["type"] for items in findings.values() for f in items})
    counts = {system: dict(Counter(f["type"] for f in items)) for system, items in findings.items()}
    return {
        "checks": list(checks),
        "types": types,
        "counts": counts,
        "totals": {system: len(items) for system, items in findings.items()},
        "segments_flagged": {system: len({f["segment"] for f in items}) for system, items in findings.items()},
        "segments": dict(n_segments),
        "findings": {system: items[:MAX_FINDINGS_PER_SYSTEM] for system, items in findings.items()},
    }


def checks_signature(checks: Sequence[str], block: int | None, documents: bool) -> str:
    from pipelines.provenance import calque_version

    unit = "documents" if documents else f"block:{block}"
    return f"checks:{','.join(checks)}|unit:{unit}|calque:{calque_version()}"
