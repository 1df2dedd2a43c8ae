"""MQM per system for benchmarks and reports: the system score (pipelines.mqm) and its error breakdown by
top-level category and severity (counts and weighted penalties), from a corpus's annotations or from a
Google MQM TSV imported into a throw-away corpus."""
from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any


def corpus_mqm(corpus, weights: str | None = None, include_auto: bool = False) -> dict[str, Any] | None:
    """None when the corpus has no annotation that counts for MQM."""
    from corpus.typology import is_marker, resolve_weights
    from pipelines.mqm import score, select_annotations

    notes, excluded = select_annotations(corpus.annotations(), include_auto=include_auto)
    if notes.empty:
        return None
    result = score(corpus, by="system", weights=weights, include_auto=include_auto)
    chosen = result.weights if weights is None else resolve_weights(weights)
    translations = corpus.translations()
    system_of = {t.id: (t.system if isinstance(t.system, str) and t.system else t.id) for t in translations.itertuples()}
    breakdown: dict[str, dict[str, dict[str, dict[str, float]]]] = defaultdict(lambda: defaultdict(dict))
    for note in notes.itertuples(index=False):
        if is_marker(note.category):
            continue
        system = system_of.get(note.translation_id, note.translation_id)
        category = (note.category or "Other").split("/")[0]
        cell = breakdown[system][category].setdefault(note.severity, {"count": 0, "penalty": 0.0})
        cell["count"] += 1
        try:
            cell["penalty"] += chosen.weight(note.severity, note.category)
        except KeyError:
            pass
    systems = result.frame.to_dict("records")
    return {
        "signature": result.signature,
        "data_hash": result.data_hash,
        "weights": chosen.name,
        "excluded": excluded,
        "systems": [{"system": r["system"], "score": float(r["score"]), "segments": int(r["segments"]),
                     "errors": int(r["errors"]), "rank": int(r["rank"])} for r in systems],
        "breakdown": {s: {c: dict(v) for c, v in cats.items()} for s, cats in breakdown.items()},
    }


def google_tsv_mqm(path: str | Path, weights: str | None = None, src_lang: str | None = None, tgt_lang: str | None = None) -> dict | None:
    from corpus import Corpus
    from corpus.formats.annotations import import_annotations

    with tempfile.TemporaryDirectory(prefix="calque-bench-mqm-") as directory:
        corpus = Corpus.init(Path(directory) / "corpus", actor="calque-bench")
        try:
            import_annotations(corpus, "google-mqm", str(path), src_lang=src_lang, tgt_lang=tgt_lang)
            summary = corpus_mqm(corpus, weights)
        finally:
            corpus.close()
    if summary is not None:
        summary["source"] = str(path)
    return summary
