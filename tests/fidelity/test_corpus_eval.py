"""Corpus mode: MT translations scored against the human translations, results stored."""
from __future__ import annotations

import json

from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from pipelines.demo import demo_corpus_file
from pipelines.fidelity import score_corpus
from pipelines.fidelity.corpus_eval import collect_system_units, evaluate_corpus


def demo(tmp_path) -> Corpus:
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    return corpus


def test_units_pair_translations_of_the_bilingual_documents(tmp_path):
    corpus = demo(tmp_path)
    systems = collect_system_units(corpus)
    translations = corpus.translations().to_dict("records")
    bilingual = {t["document_id"] for t in translations if t["producer"] == "human"}
    (units,) = systems.values()
    assert set(units.documents) == bilingual
    assert len(units.hyps) == len(units.refs) == sum(d["units"] for d in units.documents.values())
    human_text = " ".join(" ".join(t["text"].split()) for t in sorted(translations, key=lambda t: t["document_id"]) if t["producer"] == "human")
    assert " ".join(units.refs) == human_text


def test_results_are_stored_with_signature_and_hash(tmp_path):
    corpus = demo(tmp_path)
    rows = evaluate_corpus(corpus, ["bleu", "chrf"])
    (units,) = collect_system_units(corpus).values()
    expected = score_corpus(units.hyps, [units.refs], ["bleu", "chrf"])
    stored = corpus.results("fidelity").set_index("id")
    assert len(stored) == 2
    for row in rows:
        assert row["score"] == expected[row["metric"]].score
        record = stored.loc[row["result_id"]]
        assert record["signature"] == row["calque_signature"] and record["data_hash"] == row["data_hash"]
        payload = record["payload"] if isinstance(record["payload"], dict) else json.loads(record["payload"])
        assert payload["score"] == row["score"]
    corpus.close()


def test_cli_corpus_mode(tmp_path):
    demo(tmp_path).close()
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "c"), "eval", "--metrics", "chrf", "--no-store", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["results"]
    assert row["metric"] == "chrf" and 0 < row["score"] < 100 and "result_id" not in row
