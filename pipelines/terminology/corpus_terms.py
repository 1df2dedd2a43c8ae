"""Terminology over the corpus with its own glossary: for every translation, the glossary concepts it
renders several ways (target-only drift, also for translations whose source is lost), and, where the
document has a source, the document-level term success rate (concepts whose source term occurs in the
source must appear with an approved rendering). Results are stored as `terminology` results."""
from __future__ import annotations

from typing import Any

from pipelines.provenance import calque_signature, calque_version, data_hash
from pipelines.terminology.drift import translation_drift
from pipelines.terminology.evaluate import evaluate_terms
from pipelines.terminology.formats import concept_from_record
from pipelines.terminology.matching import Matcher
from pipelines.terminology.model import Glossary

RESULT_KIND = "terminology"


def _base(lang: str | None) -> str:
    return (lang or "").lower().split("-")[0]


def evaluate_corpus_terms(corpus, document_id: str | None = None, *, store: bool = True,
                          success_matcher: Matcher | None = None, drift_matcher: Matcher | None = None) -> list[dict[str, Any]]:
    success_matcher = success_matcher or Matcher("surface")
    drift_matcher = drift_matcher or Matcher("word-start")
    concepts = [concept_from_record(row) for row in corpus.glossary().to_dict("records")]
    documents = {row["id"]: row for row in corpus.documents().to_dict("records")}
    translations = {row["id"]: row for row in corpus.translations(document_id).to_dict("records")}
    rows = []
    for drift in translation_drift(corpus, document_id, drift_matcher):
        translation = translations[drift["translation"]]
        document = documents[drift["document"]]
        row: dict[str, Any] = {
            "document": drift["document"], "translation": drift["translation"], "producer": translation["producer"],
            "system": translation.get("system"), "source_available": drift["source_available"],
            "drifting": drift["drifting"], "forbidden_used": drift["forbidden_used"], "concepts": drift["concepts"],
            "success": None,
        }
        source = document.get("source_text")
        usable = Glossary([c for c in concepts if _base(c.src_lang) in ("", _base(document["lang"]))
                           and _base(c.tgt_lang) in ("", _base(translation["lang"]))])
        if isinstance(source, str) and usable.concepts:
            try:
                report = evaluate_terms([translation["text"]], usable, [source], src_lang=document["lang"],
                                        tgt_lang=translation["lang"], matcher=success_matcher)
                row["success"] = report.success | {"signature": report.signature}
                row["missing"] = [c.to_dict() for c in report.checks if not c.success]
            except Exception as error:  # no glossary term occurs in this source
                if type(error).__name__ != "InputError":
                    raise
        signature = f"terms:corpus|success:{success_matcher.signature}|drift:{drift_matcher.signature}"
        row["signature"] = signature
        row["data_hash"] = data_hash([source if isinstance(source, str) else ""], [translation["text"]],
                                     sorted(c.id for c in usable.concepts))
        row["tool_version"] = calque_version()
        if store:
            row["result_id"] = corpus.add_result(RESULT_KIND, row["data_hash"], calque_signature(signature, row["data_hash"]),
                                                 row, row["tool_version"])
        rows.append(row)
    return rows


def demo_step(corpus, workdir) -> str:
    rows = evaluate_corpus_terms(corpus)
    parts = []
    for row in rows:
        named = ", ".join(f"{c['concept']} {c['distinct']} ways" for c in row["concepts"] if c["drift"])
        success = "" if row["success"] is None else f"terms {row['success']['matched']}/{row['success']['total']}; "
        parts.append(f"{row['translation']}: {success}drift: {named or 'none'}")
    return f"{len(rows)} translations checked against the glossary — " + " | ".join(parts)
