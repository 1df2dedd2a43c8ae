"""Terminology over the demo corpus with its own glossary: success where a source exists, drift everywhere."""
from __future__ import annotations

from corpus import Corpus
from pipelines.demo import demo_corpus_file
from pipelines.terminology.corpus_terms import evaluate_corpus_terms


def test_corpus_terms_cover_every_translation_and_store_results(tmp_path):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    rows = {row["translation"]: row for row in evaluate_corpus_terms(corpus)}
    assert set(rows) == set(corpus.translations()["id"])
    seed = rows["seed-hikvision.de.mt"]
    assert seed["success"] is None and not seed["source_available"]
    assert {c["concept"] for c in seed["concepts"] if c["drift"]} >= {"biometrics-commissioner", "committee"}
    bilingual = [row for row in rows.values() if row["source_available"]]
    assert bilingual and all(row["success"]["total"] > 0 for row in bilingual)
    human = [r["success"]["success_rate"] for r in bilingual if r["producer"] == "human"]
    machine = [r["success"]["success_rate"] for r in bilingual if r["producer"] == "mt"]
    assert sum(human) / len(human) > sum(machine) / len(machine)
    stored = corpus.results("terminology")
    assert sorted(stored["id"]) == sorted(row["result_id"] for row in rows.values())
    corpus.close()
