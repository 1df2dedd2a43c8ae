"""Target-only drift: the seed names the commissioner several ways and the committee two."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from pipelines.demo import demo_corpus_file
from pipelines.terminology import Matcher, concept_renderings, read_terms
from pipelines.terminology.drift import translation_drift

SEED = "seed/000_a82eac159e5b78f3.txt"


@pytest.mark.shared
@pytest.mark.parametrize("glossary", ["glossary_v2.tbx", "glossary_v3.tbx"])
def test_seed_drift_with_tbx_glossary(shared_data, test_data, glossary):
    text = (shared_data / SEED).read_text(encoding="utf-8")
    concepts = read_terms(test_data / "terminology" / glossary, "en", "de").concepts
    rows = {row["concept"]: row for row in concept_renderings(text, concepts, Matcher("word-start"), "de")}
    commissioner = {r["form"]: r["count"] for r in rows["commissioner"]["renderings"]}
    assert commissioner == {
        "Biometrics and Surveillance Camera Commissioner": 1, "Kommissar": 1, "Kommissar für Überwachungskameras": 1,
    } | ({"Beauftragte": 2} if glossary == "glossary_v2.tbx" else {})
    assert rows["commissioner"]["forbidden_used"]
    committee = {r["form"]: r["count"] for r in rows["committee"]["renderings"]}
    assert set(committee) == {"Ausschuss", "Komitee"} and committee["Komitee"] == 1
    examples = rows["committee"]["renderings"][1]["examples"]
    assert examples == ["Komitees"]


def test_corpus_drift_on_demo_seed(tmp_path):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    (seed,) = [t for t in translation_drift(corpus) if not t["source_available"]]
    rows = {row["concept"]: row for row in seed["concepts"]}
    assert rows["biometrics-commissioner"]["distinct"] >= 3
    assert rows["committee"]["distinct"] == 2
    corpus.close()
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "c"), "terms", "drift", seed["document"], "--json"])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["translations"]
    assert entry["drifting"] == seed["drifting"] >= 2


@pytest.mark.shared
def test_drift_cli_on_a_text_file(shared_data, test_data):
    result = CliRunner().invoke(main, [
        "terms", "drift", "--text", str(shared_data / SEED), "--glossary", str(test_data / "terminology" / "glossary_v2.tbx"),
        "--lang", "de", "--json",
    ])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["translations"]
    ways = {row["concept"]: row["distinct"] for row in entry["concepts"]}
    assert ways["commissioner"] >= 3 and ways["committee"] == 2
    missing = CliRunner().invoke(main, ["terms", "drift", "--text", str(shared_data / SEED)])
    assert missing.exit_code == 1 and "--text needs --glossary" in missing.stderr
