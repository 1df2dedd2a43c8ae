"""A benchmark of a corpus: its machine translations scored against its human translations (units paired
as pipelines.fidelity.corpus_eval pairs them), check findings from the automatic annotations (or a fresh
run of the checks), MQM from the human annotations, and terminology drift of the glossary concepts.
The result has the shape of `run_bench`'s, so the same tables and report read it."""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from corpus.errors import InputError
from pipelines.bench.run import RESULT_KIND, BenchConfig, score_systems, worst_metric
from pipelines.provenance import calque_signature, calque_version, data_hash


def _system_names(corpus) -> dict[str, str]:
    return {t.id: (t.system if isinstance(t.system, str) and t.system else t.id) for t in corpus.translations().itertuples()}


def corpus_findings(corpus, config: BenchConfig) -> dict[str, Any] | None:
    """Findings per system and type from the open/confirmed automatic annotations; when the corpus has none,
    the checks run now (nothing is written)."""
    from pipelines.bench.checking import MAX_FINDINGS_PER_SYSTEM, checks_available

    system_of = _system_names(corpus)
    notes = corpus.annotations()
    segments = corpus.segments(side="target")
    n_segments = Counter(system_of.get(t, t) for t in segments.translation_id)
    findings: dict[str, list[dict]] = defaultdict(list)
    origin = "annotations"
    auto = notes[notes.origin.str.startswith("auto:") & (notes.status != "rejected")] if not notes.empty else notes
    if not auto.empty:
        for note in auto.itertuples(index=False):
            findings[system_of.get(note.translation_id, note.translation_id)].append({
                "translation": note.translation_id, "segment": int(note.segment_idx), "type": note.artifact_type or note.category,
                "start": int(note.start), "end": int(note.end), "text": note.text, "message": note.comment or "",
                "check": note.origin.split(":", 1)[1], "severity": note.severity, "status": note.status,
            })
        checks = sorted({f["check"] for items in findings.values() for f in items})
    elif config.checks and checks_available():
        from pipelines.checks import resolve_checks
        from pipelines.checks.corpus_run import run_corpus_checks

        origin = "fresh run"
        only = None if config.checks is True else list(config.checks)
        checks = resolve_checks(only)
        for translation, items in run_corpus_checks(corpus, only=only):
            system = system_of.get(translation["id"], translation["id"])
            findings[system] += [{**f.to_dict(), "translation": f.translation_id} for f in items]
    else:
        return None
    systems = sorted(set(n_segments) | set(findings))
    return {
        "checks": checks,
        "origin": origin,
        "types": sorted({f["type"] for items in findings.values() for f in items}),
        "counts": {s: dict(Counter(f["type"] for f in findings.get(s, []))) for s in systems},
        "totals": {s: len(findings.get(s, [])) for s in systems},
        "segments_flagged": {s: len({(f["translation"], f["segment"]) for f in findings.get(s, [])}) for s in systems},
        "segments": {s: int(n_segments.get(s, 0)) for s in systems},
        "findings": {s: findings.get(s, [])[:MAX_FINDINGS_PER_SYSTEM] for s in systems},
        "signature": f"checks:{','.join(checks)}|unit:corpus-{origin.replace(' ', '-')}|calque:{calque_version()}",
    }


def corpus_terminology(corpus) -> dict[str, Any] | None:
    """Per glossary concept and system: occurrences in an approved form (success), and whether one form
    was used throughout (consistency), from target-only drift."""
    if corpus.glossary().empty:
        return None
    from pipelines.terminology.drift import translation_drift

    system_of = _system_names(corpus)
    terms: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    per_system: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in translation_drift(corpus):
        system = system_of.get(entry["translation"], entry["translation"])
        for concept in entry["concepts"]:
            cell = terms[concept["source_term"]].setdefault(system, {"found": 0, "total": 0, "renderings": Counter(),
                                                                     "consistent": True, "concept": concept["concept"]})
            for rendering in concept["renderings"]:
                cell["renderings"][rendering["form"]] += rendering["count"]
                cell["total"] += rendering["count"]
                if rendering["kind"] == "approved":
                    cell["found"] += rendering["count"]
            cell["consistent"] = cell["consistent"] and not concept["drift"]
    for term, by_system in terms.items():
        for system, cell in by_system.items():
            cell["success"] = cell["found"] / cell["total"] if cell["total"] else None
            cell["renderings"] = dict(cell["renderings"].most_common())
            per_system[system][0] += cell["found"]
            per_system[system][1] += cell["total"]
    return {
        "source": "corpus glossary", "mode": "word-start", "signature": f"terms:glossary-drift|match:word-start|calque:{calque_version()}",
        "systems": {s: {"success_rate": f / t if t else None, "matched": f, "total": t,
                        "consistency": None} for s, (f, t) in per_system.items()},
        "terms": {term: dict(by_system) for term, by_system in sorted(terms.items())},
    }


CORPUS_STEPS = ("checks", "mqm", "terminology")


def progress_steps(corpus, config: BenchConfig) -> int:
    """How many times bench_corpus calls progress: one per metric and scored system, one per CORPUS_STEPS."""
    from pipelines.fidelity.corpus_eval import collect_system_units

    return len(config.metrics) * len(collect_system_units(corpus)) + len(CORPUS_STEPS)


def bench_corpus(corpus, config: BenchConfig | None = None, title: str | None = None, progress=None,
                 executor=None) -> dict[str, Any]:
    from pipelines.bench.mqm_summary import corpus_mqm
    from pipelines.fidelity.corpus_eval import collect_system_units, unit_sources

    config = config or BenchConfig()
    started = time.perf_counter()
    units = collect_system_units(corpus)
    result: dict[str, Any] = {"kind": RESULT_KIND, "title": title or f"Corpus {Path(corpus.path).resolve().name}",
                              "tool_version": calque_version(), "config": config.describe(), "metrics": config.metrics}
    source_langs = corpus.documents().lang.value_counts()
    target_langs = corpus.translations().lang.value_counts()
    langs = [str(x.index[0]) for x in (source_langs, target_langs) if not x.empty]
    streams = [s for name in sorted(units) for s in (units[name].hyps, units[name].refs)]
    hash_value = data_hash(sorted(units), *streams)
    result["testset"] = {"name": str(Path(corpus.path).resolve().name), "langs": "-".join(langs),
                         "segments": sum(len(u.hyps) for u in units.values()), "references": ["human translations"],
                         "data_hash": hash_value, "systems": sorted(units), "documents": True,
                         "paired_by": {name: u.documents for name, u in units.items()}}
    result["systems"], result["metric_info"], result["significance"] = [], {}, {}
    if units:
        shared_refs = len({tuple(u.refs) for u in units.values()}) == 1
        groups = [sorted(units)] if shared_refs else [[name] for name in sorted(units)]
        scores: dict[str, dict] = {}
        worst: dict[str, list] = {}
        chosen = worst_metric(config.metrics)
        for group in groups:
            systems = {name: units[name].hyps for name in group}
            first = units[group[0]]
            group_scores, info, significance, _, group_worst = score_systems(
                systems, [first.refs], config, hash_value, progress, executor=executor,
                sources=unit_sources(group[0], first, config.metrics), langs=(first.src_lang, first.tgt_lang))
            for name in group:
                scores[name] = group_scores[name]
            result["metric_info"] = info
            if shared_refs:
                result["significance"] = significance
            worst.update(group_worst)
        if not shared_refs:
            for metric in config.metrics:
                result["significance"][metric] = {"test": None, "note": "systems cover different documents: not compared",
                                                  "order": sorted(scores, key=lambda s: -scores[s][metric]["score"]), "clusters": {}, "pairs": []}
                for name in scores:
                    scores[name][metric]["cluster"] = None
        order = result["significance"][config.metrics[0]]["order"]
        result["systems"] = [{"system": s, "scores": scores[s]} for s in order]
        result["worst_segments"] = {"metric": chosen, "signature": result["metric_info"][chosen]["segment_signature"], "systems": worst}
    step = progress or (lambda _name: None)
    checks = corpus_findings(corpus, config)
    step("checks")
    if checks:
        result["checks"] = checks
    mqm = corpus_mqm(corpus)
    step("mqm")
    if mqm:
        result["mqm"] = mqm
    terms = corpus_terminology(corpus)
    step("terminology")
    if terms:
        result["terminology"] = terms
    if not units and not checks and not mqm:
        raise InputError("nothing to report: the corpus has no machine translation with a human reference, no findings and no MQM annotations")
    scored = {row["system"] for row in result["systems"]}
    others = set((checks or {}).get("totals", {})) | {row["system"] for row in (mqm or {}).get("systems", [])}
    result["systems"] += [{"system": system, "scores": {}} for system in sorted(others - scored)]
    result["timings"] = {"total": time.perf_counter() - started}
    result["signatures_note"] = calque_signature("corpus-bench", hash_value)
    return result
