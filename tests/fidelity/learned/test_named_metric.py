"""`learned`, `learned-qe` and `learned:FILE` are metrics like any other: `calque eval --metrics`, bench and
meta-eval reach them through the registry, and their system score is the mean of the model's segment scores."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.errors import InputError
from pipelines.cli import main
from pipelines.fidelity import ScoringContext, get_metric, score_many
from pipelines.fidelity.learned import load_model
from pipelines.fidelity.learned.model import MODELS_DIR, SHIPPED
from tests.conftest import TEST_DATA

TINY = TEST_DATA / "learned" / "tiny_ende"


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def texts():
    return (lines(TINY / "sources" / "tiny.en-de.src.en"), lines(TINY / "references" / "tiny.en-de.ref.A.de"),
            {p.name.split(".")[-2]: lines(p) for p in sorted((TINY / "system-outputs").glob("*.de"))})


@pytest.mark.parametrize("name", ["learned", "learned-qe", f"learned:{MODELS_DIR / SHIPPED['learned']}"])
def test_a_named_learned_metric_scores_as_its_model_does(name, texts):
    sources, reference, systems = texts
    metric = get_metric(name)
    scored = score_many(systems, [reference], [metric], sources=sources, context=ScoringContext("en", "de"), segments=True)
    model = load_model(name.split(":", 1)[1] if ":" in name else name)
    for system, hyps in systems.items():
        result = scored[system][metric.name]
        expected = model.score(sources, hyps, reference if model.needs_reference else None, "en", "de")
        np.testing.assert_allclose(result.segments, expected, rtol=0, atol=1e-9)
        assert result.score == pytest.approx(float(np.mean(expected)), abs=1e-9)
        assert f"model:{model.name}|sha256:{model.sha256[:12]}" in result.signature


def test_the_reference_based_metric_refuses_a_run_without_references(texts):
    sources, _, systems = texts
    with pytest.raises(InputError, match="reference"):
        score_many(systems, [], [get_metric("learned")], sources=sources, context=ScoringContext("en", "de"))


def test_calque_eval_names_the_learned_metrics(texts):
    outputs = sorted((TINY / "system-outputs").glob("*.de"))
    result = CliRunner().invoke(main, ["eval", "-r", str(TINY / "references" / "tiny.en-de.ref.A.de"),
                                      "-s", str(TINY / "sources" / "tiny.en-de.src.en"), "-t", *map(str, outputs),
                                      "-m", "learned,learned-qe", "--langs", "en-de", "--json"])
    assert result.exit_code == 0, result.output
    signatures = json.dumps(json.loads(result.output))
    assert "learned|model:calque-learned-1" in signatures and "learned-qe|model:calque-learned-qe-1" in signatures
