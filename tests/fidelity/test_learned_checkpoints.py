"""COMET (`comet:CHECKPOINT`, through unbabel-comet) and MetricX-24 (`metricx:FOLDER`, through transformers) on
tiny checkpoints the tests build (tests/fidelity/tiny_models.py): the real loading code, offline; scores,
signatures with the model hash, reference use, and the one-line errors for what is missing. Tests that need
torch or unbabel-comet skip without them; the errors for their absence are tested everywhere."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.errors import InputError
from pipelines.cli import main
from pipelines.fidelity import ScoringContext, get_metric, score_corpus

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr, result.stderr


# -- errors that need no model ------------------------------------------------------------------------
def test_missing_packages_name_what_to_install(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("comet", "torch") else real(name, *a))
    with pytest.raises(InputError, match=r"metric comet:x.ckpt needs unbabel-comet: pip install 'calque-corpus\[comet\]'"):
        get_metric("comet:x.ckpt")
    with pytest.raises(InputError, match=r"metric metricx:m needs torch: pip install 'calque-corpus\[neural\]'"):
        get_metric("metricx:m")


def test_missing_files_are_one_line_errors(tiny, tmp_path):
    paths, _ = tiny
    pytest.importorskip("torch")
    base = ["eval", "-s", paths["src"], "-t", paths["careful"]]
    one_line_error(run(*base, "--metrics", f"metricx:{tmp_path / 'nowhere'}"), "MetricX model folder not found")
    (tmp_path / "empty").mkdir()
    one_line_error(run(*base, "--metrics", f"metricx:{tmp_path / 'empty'}"), "no config.json in the MetricX model folder")
    (tmp_path / "empty" / "config.json").write_text(json.dumps({"model_type": "mt5", "vocab_size": 32128}))
    one_line_error(run(*base, "--metrics", f"metricx:{tmp_path / 'empty'}"), "not a MetricX model: its vocabulary (32128)")


@pytest.mark.comet
def test_missing_comet_checkpoint_is_a_one_line_error(tiny, tmp_path):
    paths, _ = tiny
    pytest.importorskip("comet")
    base = ["eval", "-s", paths["src"], "-r", paths["ref"], "-t", paths["careful"]]
    one_line_error(run(*base, "--metrics", f"comet:{tmp_path / 'checkpoints' / 'model.ckpt'}"), "COMET checkpoint")
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "model.ckpt").write_bytes(b"not a checkpoint")
    one_line_error(run(*base, "--metrics", f"comet:{tmp_path / 'checkpoints' / 'model.ckpt'}"), "no hparams.yaml")


# -- MetricX-24 -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def metricx(tmp_path_factory):
    pytest.importorskip("torch")
    from tests.fidelity.tiny_models import tiny_metricx

    return tiny_metricx(tmp_path_factory.mktemp("metricx") / "metricx-24-tiny")


def test_metricx_scores_on_its_error_scale(tiny, metricx):
    _, t = tiny
    name = f"metricx:{metricx}"
    with_ref = score_corpus(t["careful"], [t["ref"]], [name], sources=t["src"], segments=True,
                            context=ScoringContext("en", "de"))[name]
    assert with_ref.name == "MetricX-24" and not with_ref.higher_is_better
    assert all(0.0 < s < 25.0 for s in with_ref.segments) and len(set(with_ref.segments)) > 1
    assert with_ref.score == pytest.approx(np.mean(with_ref.segments))
    info = get_metric(name).info
    assert with_ref.signature == f"metricx-24|model:metricx-24-tiny|sha256:{info.sha256[:16]}|max-tokens:1536|nrefs:1|langs:en-de|sys:mean"
    qe = score_corpus(t["careful"], [], [name], sources=t["src"], segments=True)[name]
    assert "|nrefs:0|" in qe.signature and qe.segments != with_ref.segments
    again = score_corpus(t["careful"], [t["ref"]], [name], sources=t["src"], segments=True,
                         context=ScoringContext("en", "de"))[name]
    assert again.segments == with_ref.segments  # deterministic


def test_metricx_input_is_source_candidate_reference(tiny, metricx):
    """The reference mode reads `source: S candidate: T reference: R`: the QE mode given the candidate
    `T reference: R` sees the very same text, hence the same score."""
    _, t = tiny
    name = f"metricx:{metricx}"
    with_ref = score_corpus(t["careful"], [t["ref"]], [name], sources=t["src"], segments=True)[name]
    glued = [f"{h} reference: {r}" for h, r in zip(t["careful"], t["ref"])]
    as_qe = score_corpus(glued, [], [name], sources=t["src"], segments=True)[name]
    assert as_qe.segments == with_ref.segments


def test_metricx_clips_to_its_scale(tiny, tmp_path):
    pytest.importorskip("torch")
    from tests.fidelity.tiny_models import tiny_metricx

    _, t = tiny
    loud = tiny_metricx(tmp_path / "loud", head_scale=1000.0)
    scores = score_corpus(t["broken"], [t["ref"]], [f"metricx:{loud}"], sources=t["src"], segments=True)[f"metricx:{loud}"]
    assert set(scores.segments) <= {0.0, 25.0}
    tied = tiny_metricx(tmp_path / "tied", tied=True)
    tied_scores = score_corpus(t["broken"], [t["ref"]], [f"metricx:{tied}"], sources=t["src"], segments=True)[f"metricx:{tied}"]
    assert all(0.0 < s < 25.0 for s in tied_scores.segments)


def test_metricx_in_the_eval_command_and_its_hash(tiny, metricx, tmp_path):
    paths, _ = tiny
    result = run("eval", "-s", paths["src"], "-t", paths["careful"], paths["broken"], "--langs", "en-de",
                 "--metrics", f"metricx:{metricx}", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["system"]: r for r in json.loads(result.stdout)["results"]}
    assert rows["careful"]["metric"] == f"metricx:{metricx}" and "|nrefs:0|" in rows["careful"]["signature"]
    copy = shutil.copytree(metricx, tmp_path / "metricx-24-tiny")
    assert get_metric(f"metricx:{copy}").info.sha256 == get_metric(f"metricx:{metricx}").info.sha256
    (copy / "config.json").write_text((copy / "config.json").read_text() + " ")
    assert get_metric(f"metricx:{copy}").info.sha256 != get_metric(f"metricx:{metricx}").info.sha256
    os.remove(copy / "tokenizer.json")
    one_line_error(run("eval", "-s", paths["src"], "-t", paths["careful"], "--metrics", f"metricx:{copy}"),
                   "no tokenizer in the MetricX model folder")


# -- COMET ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comet_models(tmp_path_factory):
    pytest.importorskip("comet")
    from tests.fidelity.tiny_models import tiny_comet

    root = tmp_path_factory.mktemp("comet")
    return {"da": tiny_comet(root / "tiny-comet-da", "regression_metric"),
            "kiwi": tiny_comet(root / "tiny-cometkiwi", "unified_metric", input_segments=["mt", "src"]),
            "unified": tiny_comet(root / "tiny-unite", "unified_metric")}


def comet_predict(checkpoint, samples):
    """What unbabel-comet's own API gives for these samples (the figures Calque must report)."""
    from comet import load_from_checkpoint

    model = load_from_checkpoint(str(checkpoint), reload_hparams=True, local_files_only=True)
    return model.predict(samples, batch_size=8, gpus=0, accelerator="cpu", progress_bar=False)


@pytest.mark.comet
def test_comet_equals_its_own_predict(tiny, comet_models):
    _, t = tiny
    name = f"comet:{comet_models['da']}"
    ours = score_corpus(t["careful"], [t["ref"]], [name], sources=t["src"], segments=True)[name]
    theirs = comet_predict(comet_models["da"], [{"src": s, "mt": h, "ref": r} for s, h, r in zip(t["src"], t["careful"], t["ref"])])
    assert ours.segments == pytest.approx(theirs.scores, abs=1e-6)
    assert ours.score == pytest.approx(theirs.system_score, abs=1e-6)
    info = get_metric(name).info
    assert ours.signature.startswith(f"comet|model:tiny-comet-da|class:regression_metric|enc:encoder|sha256:{info.sha256[:16]}|")
    assert "|nrefs:1|sys:mean" in ours.signature and ours.name == "COMET"


@pytest.mark.comet
def test_comet_reference_use_follows_the_model_class(tiny, comet_models):
    paths, t = tiny
    kiwi = f"comet:{comet_models['kiwi']}"
    free = run("eval", "-s", paths["src"], "-t", paths["careful"], "--metrics", kiwi, "--json")
    assert free.exit_code == 0, free.output
    (row,) = json.loads(free.stdout)["results"]
    theirs = comet_predict(comet_models["kiwi"], [{"src": s, "mt": h} for s, h in zip(t["src"], t["careful"])])
    assert row["score"] == pytest.approx(theirs.system_score, abs=1e-6) and "|nrefs:0|" in row["signature"]
    one_line_error(run("eval", "-s", paths["src"], "-t", paths["careful"], "--metrics", f"comet:{comet_models['da']}"),
                   "needs a reference: give it with -r REF")
    unified = f"comet:{comet_models['unified']}"
    with_ref = score_corpus(t["careful"], [t["ref"]], [unified], sources=t["src"])[unified]
    without = score_corpus(t["careful"], [], [unified], sources=t["src"])[unified]
    assert "|nrefs:1|" in with_ref.signature and "|nrefs:0|" in without.signature and with_ref.score != without.score


@pytest.mark.comet
def test_comet_encoder_must_be_local(tiny, comet_models, tmp_path):
    import yaml

    paths, _ = tiny
    copy = shutil.copytree(comet_models["da"].parents[1], tmp_path / "elsewhere")
    settings = yaml.safe_load((copy / "hparams.yaml").read_text())
    settings["pretrained_model"] = "no-such-org/no-such-encoder"
    (copy / "hparams.yaml").write_text(yaml.safe_dump(settings))
    one_line_error(run("eval", "-s", paths["src"], "-r", paths["ref"], "-t", paths["careful"], "--metrics",
                       f"comet:{copy / 'checkpoints' / 'model.ckpt'}"), "pretrained_model")


@pytest.mark.comet
def test_semantic_comet_uses_the_same_adapter(tiny, comet_models):
    paths, t = tiny
    result = run("semantic", "-s", paths["src"], "-t", paths["careful"], "-r", paths["ref"], "--comet", comet_models["da"],
                 "--segments", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["comet"]
    direct = score_corpus(t["careful"], [t["ref"]], [f"comet:{comet_models['da']}"], sources=t["src"], segments=True)
    assert data["score"] == direct[f"comet:{comet_models['da']}"].score and data["signature"].startswith("comet|")
