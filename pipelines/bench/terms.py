"""Terminology per system for a benchmark: term success rate and consistency (pipelines.terminology),
and per source term: how often it was rendered as expected and whether its renderings agree. Each system is
one task (on the executor's workers when given): only its summary comes back."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from pipelines.execution import Executor


def system_terms(
    systems: dict[str, Sequence[str]],
    sources: Sequence[str],
    terms_path: str,
    src_lang: str,
    tgt_lang: str,
    terms_key: str | None = None,
    mode: str = "wmt25",
    executor: "Executor | None" = None,
) -> dict[str, Any]:
    from pipelines.execution import InProcessExecutor
    from pipelines.terminology import read_terms

    read_terms(terms_path, src_lang, tgt_lang, terms_key)  # a bad term file is a one-line error before any task
    tasks = [(system, hyps, sources, terms_path, src_lang, tgt_lang, terms_key, mode) for system, hyps in systems.items()]
    per_system, per_term = {}, defaultdict(dict)
    signature, hash_value = None, None
    for (system, *_), (summary, terms) in zip(tasks, (executor or InProcessExecutor(progress=False)).map(
            _system_summary, tasks, label="terms")):
        per_system[system] = summary
        signature, hash_value = summary["signature"], summary["data_hash"]
        for term, row in terms.items():
            per_term[term][system] = row
    return {"source": terms_path, "mode": mode, "signature": signature, "data_hash": hash_value,
            "systems": per_system, "terms": dict(per_term)}


def _system_summary(task: tuple) -> tuple[dict[str, Any], dict[str, dict]]:
    """Worker: one system's success and consistency, and per source term its counts and renderings."""
    from pipelines.fidelity.file_lines import materialise
    from pipelines.terminology import Matcher, evaluate_terms, read_terms

    system, hyps, sources, terms_path, src_lang, tgt_lang, terms_key, mode = task
    terms = read_terms(terms_path, src_lang, tgt_lang, terms_key)
    report = evaluate_terms(materialise(hyps), terms, materialise(sources), src_lang=src_lang, tgt_lang=tgt_lang,
                            matcher=Matcher(mode))
    consistency = report.consistency
    summary = {
        "success_rate": report.success_rate,
        "matched": report.success.get("matched"),
        "total": report.success.get("total"),
        "consistency": consistency.get("frequent", {}).get("micro"),
        "signature": report.signature,
        "data_hash": report.data_hash,
    }
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for check in report.checks:
        counts[check.source.lower()][0] += check.success
        counts[check.source.lower()][1] += 1
    consistent = {row["source"].lower(): row for row in consistency.get("repeated_terms", [])}
    terms_rows = {}
    for term, (found, total) in counts.items():
        row = consistent.get(term)
        terms_rows[term] = {
            "found": found, "total": total, "success": found / total if total else None,
            "consistent": None if row is None else bool(row["consistent"]),
            "renderings": None if row is None else row["renderings"],
        }
    return summary, terms_rows
