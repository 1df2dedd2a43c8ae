"""Deterministic artifact checks (pipelines.checks) over each system's output, document by document.

Without document ids the test set is checked in blocks of `block` consecutive segments: document-level
checks see a short context, and the cost stays linear in the test set size."""
from __future__ import annotations

from collections import Counter
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


def _document_shards(tasks: list[tuple], segments_per_shard: int) -> list[list[tuple]]:
    """Whole documents, in order, packed into shards of about `segments_per_shard` segments."""
    shards, current, size = [], [], 0
    for task in tasks:
        current.append(task)
        size += len(task[3])
        if size >= segments_per_shard:
            shards.append(current)
            current, size = [], 0
    return shards + [current] if current else shards


def _check_spans(tasks: list[tuple]) -> list[dict]:
    """Worker: the findings of a shard of documents (or blocks)."""
    return [finding for task in tasks for finding in _check_span(task)]


def _check_span(task: tuple) -> list[dict]:
    from pipelines.checks import run_checks

    from pipelines.fidelity.file_lines import materialise

    system, start, sources, hyps, src_lang, tgt_lang, catalogue, only = task
    sources, hyps = materialise(sources), materialise(hyps)
    return [{"system": system, **finding.to_dict(), "segment": finding.segment + start, "check": finding.check,
             "severity": finding.severity, "artifact_type": finding.artifact_type}
            for finding in run_checks(sources, hyps, src_lang, tgt_lang, catalogue=catalogue, only=only)]


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
    from pipelines.checks import resolve_checks
    from pipelines.execution import InProcessExecutor
    from pipelines.execution.shards import shard_size
    from pipelines.fidelity.file_lines import portion

    executor = executor or InProcessExecutor(progress=False)

    only = resolve_checks(only)
    hyps_any = next(iter(systems.values()), [])
    tasks = []
    for system, hyps in systems.items():
        for start, end in document_spans(len(hyps), documents, block):
            tasks.append((system, start, None if sources is None else portion(sources, start, end), portion(hyps, start, end),
                          src_lang, tgt_lang, catalogue, only))
    # a shard of documents holds at most about as many segments as a score shard
    parts = executor.map(_check_spans, _document_shards(tasks, shard_size(len(hyps_any))), label="checks")
    findings: dict[str, list[dict]] = {system: [] for system in systems}
    for part in parts:
        for finding in part:
            findings[finding["system"]].append(finding)
    return findings


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
