"""Terminology per system for a benchmark: term success rate and consistency (pipelines.terminology),
and per source term: how often it was rendered as expected and whether its renderings agree."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence


def system_terms(
    systems: dict[str, Sequence[str]],
    sources: Sequence[str],
    terms_path: str,
    src_lang: str,
    tgt_lang: str,
    terms_key: str | None = None,
    mode: str = "wmt25",
) -> dict[str, Any]:
    from pipelines.terminology import Matcher, evaluate_terms, read_terms

    terms = read_terms(terms_path, src_lang, tgt_lang, terms_key)
    matcher = Matcher(mode)
    per_system, per_term = {}, defaultdict(dict)
    signature, hash_value = None, None
    for system, hyps in systems.items():
        report = evaluate_terms(hyps, terms, sources, src_lang=src_lang, tgt_lang=tgt_lang, matcher=matcher)
        signature, hash_value = report.signature, report.data_hash
        consistency = report.consistency
        per_system[system] = {
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
        for term, (found, total) in counts.items():
            row = consistent.get(term)
            per_term[term][system] = {
                "found": found, "total": total, "success": found / total if total else None,
                "consistent": None if row is None else bool(row["consistent"]),
                "renderings": None if row is None else row["renderings"],
            }
    return {"source": terms_path, "mode": mode, "signature": signature, "data_hash": hash_value,
            "systems": per_system, "terms": dict(per_term)}
