"""Training a learned metric on a small hand-made judged set (tests/data/learned/tiny_ende)."""
from __future__ import annotations

import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.bench import load_testset
from pipelines.fidelity.learned import read_model, save_model
from pipelines.metric_training import Settings, train
from pipelines.fidelity.learned.model import model_bytes
from pipelines.metaeval import from_score_file

SMALL_GRID = [Settings("core", 1e-2), Settings("core+checks", 1e-2)]


@pytest.fixture(scope="module")
def tiny(test_data_dir):
    folder = test_data_dir / "learned" / "tiny_ende"
    return from_score_file(folder / "tiny_esa.en-de.tsv", load_testset(folder, "en-de"), "A", higher_is_better=True)


@pytest.fixture(scope="module")
def test_data_dir():
    from tests.conftest import TEST_DATA

    return TEST_DATA


@pytest.fixture(scope="module")
def trained(tiny):
    return train([tiny], reference=True, name="tiny-metric", seed=0, grid=SMALL_GRID, command="pytest")


def test_a_model_trained_on_judgements_ranks_systems_as_the_people_did(tiny, trained, tmp_path):
    path = tmp_path / "tiny.npz"
    save_model(path, trained.header, trained.heads)
    model = read_model(path)
    assert model.name == "tiny-metric" and model.needs_reference
    n = len(tiny.items)
    scores = {s: model.score(tiny.sources, tiny.hypotheses[s], tiny.references, "en", "de") for s in tiny.systems}
    means = {s: float(np.mean(v)) for s, v in scores.items()}
    human = tiny.human_system_scores()
    assert max(means, key=means.get) == max(human, key=human.get) == "fluent"
    assert min(means, key=means.get) == min(human, key=human.get) == "wrong"
    assert np.sum(scores["fluent"] > scores["wrong"]) >= 0.75 * n
    copied = np.arange(n) % 2 == 0  # seg_id 1, 3, … were left in English
    assert np.all(scores["copy"][copied] < scores["copy"][~copied])
    assert all(np.all((0 <= v) & (v <= 100)) for v in scores.values())


def test_the_model_file_says_how_it_was_made(tiny, trained):
    header = trained.header
    training = header["training"]
    assert training["command"] == "pytest" and training["seed"] == 0
    assert training["sets"][0]["data_hash"] == tiny.data_hash and training["sets"][0]["rated"] == 96
    assert training["data_hash"].startswith("sha256:")
    assert set(trained.heads) == {"encoder", "general"}
    assert training["heads"]["encoder"]["trained_on"] == training["heads"]["general"]["trained_on"] == [tiny.name]
    # one set: settings are chosen on item folds of it, never on data the folds hold out
    assert [row["settings"] for row in training["cross_validation"]] == [s.label for s in SMALL_GRID]
    splits = training["cross_validation"][0]["splits"]
    assert len(splits) == 5 and all("item fold" in s["split"] and s["head"] == "encoder" for s in splits)
    assert "cos_hyp_ref" in trained.heads["encoder"].features
    assert not any(f.startswith("cos_") for f in trained.heads["general"].features)


def test_training_twice_gives_the_same_bytes(tiny, trained):
    again = train([tiny], reference=True, name="tiny-metric", seed=0, grid=SMALL_GRID, command="pytest")
    assert model_bytes(again.header, again.heads) == model_bytes(trained.header, trained.heads)


def test_a_reference_free_model_scores_without_references(tiny, tmp_path):
    qe = train([tiny], reference=False, name="tiny-qe", seed=0, grid=[Settings("core", 1e-2)], command="pytest")
    path = tmp_path / "qe.npz"
    save_model(path, qe.header, qe.heads)
    model = read_model(path)
    assert not model.needs_reference and model.metric == "learned-qe"
    assert not any(f in ("chrf", "bleu", "cos_hyp_ref") for h in model.heads.values() for f in h.features)
    copy = model.score(tiny.sources, tiny.hypotheses["copy"], None, "en", "de")
    fluent = model.score(tiny.sources, tiny.hypotheses["fluent"], None, "en", "de")
    assert np.mean(fluent) > np.mean(copy)


def test_judgements_without_any_preference_are_refused(tiny):
    same = type(tiny)(**{**tiny.__dict__, "human": np.where(np.isnan(tiny.human), np.nan, 50.0)})
    with pytest.raises(InputError, match="same human score"):
        train([same], grid=SMALL_GRID)


def test_synthetic_failures_are_the_copied_source_and_half_the_reference():
    from pipelines.metric_training.training import synthetic_failures

    assert synthetic_failures("The bridge opens.", "Die neue Brücke öffnet morgen früh.") == \
        ["The bridge opens.", "Die neue Brücke"]
    assert synthetic_failures("Hello.", "博物馆每天早上九点开门。") == ["Hello.", "博物馆每天早"]  # no space: half the characters


def test_synthetic_failures_teach_a_reference_free_model_that_a_copy_is_bad(tiny):
    from pipelines.metric_training.evaluation import in_memory

    keep = [s for s in tiny.systems if s != "copy"]  # people never saw a copy here
    no_copies = type(tiny)(**{**tiny.__dict__, "systems": keep, "hypotheses": {s: tiny.hypotheses[s] for s in keep},
                              "human": tiny.human[[tiny.systems.index(s) for s in keep]]})

    def copy_gap(synthetic: float) -> float:
        trained = train([no_copies], reference=False, name="qe", grid=[Settings("core", 1e-2, synthetic=synthetic)])
        assert trained.header["training"]["chosen"]["synthetic"] == synthetic
        model = in_memory(trained)
        copied = model.score(tiny.sources, tiny.sources, None, "en", "de")
        fluent = model.score(tiny.sources, tiny.hypotheses["fluent"], None, "en", "de")
        return float(np.mean(fluent - copied))

    assert copy_gap(1.0) > copy_gap(0.0) + 5
