"""`calque demo` end to end: the corpus the README's first command builds."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main

SEED = "seed-hikvision"
SEED_ARTIFACTS = ["Knie-Ruck-Reaktion", "CCTV-Wachhund", "Komitee", "Reuters berichtete", "laut", "[enter]", "Es forderte", "Stadträten"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo") / "corpus"
    result = CliRunner().invoke(main, ["demo", str(directory)])
    assert result.exit_code == 0, result.output
    return str(directory)


def test_demo_corpus_has_the_documents_and_translations(demo_dir):
    stats = json.loads(CliRunner().invoke(main, ["--corpus", demo_dir, "stats", "--json"]).output)
    assert stats["documents"] >= 4 and stats["translations"] >= 7
    assert stats["documents_without_source"] >= 1
    assert stats["glossary_concepts"] >= 10 and stats["artifacts"] >= 3


def test_seed_is_target_only_with_hand_annotations_of_its_artifacts(demo_dir):
    from corpus import Corpus

    corpus = Corpus.open(demo_dir)
    assert corpus.document(SEED)["source_text"] is None
    notes = corpus.annotations(document_id=SEED)
    human = notes[notes.origin == "human"]
    assert len(human) >= 12
    assert human.category.str.len().gt(0).all() and human.severity.isin(["Minor", "Major", "Critical", "Neutral"]).all()
    spans = " | ".join(human.text)
    for artifact in SEED_ARTIFACTS:
        assert artifact in spans, artifact
    assert human.comment.notna().all()


def test_show_renders_the_seed_with_its_spans_marked(demo_dir):
    result = CliRunner().invoke(main, ["--corpus", demo_dir, "show", SEED, "--width", "140"])
    assert result.exit_code == 0
    assert "⟦Knie-Ruck-Reaktion⟧" in result.output and "⟦CCTV-Wachhund⟧" in result.output
    assert "source unavailable" in result.output


def test_demo_refuses_to_overwrite_without_force(demo_dir):
    result = CliRunner().invoke(main, ["demo", demo_dir])
    assert result.exit_code == 1 and "--force" in result.output
