"""Semantic fidelity: flags, batch-size invariance (bundled USE and a tiny transformers model), CLI."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.errors import InputError
from pipelines.cli import main
from pipelines.fidelity.textfile import read_segments
from pipelines.semantic import FlagRule, flag_segments, semantic_fidelity


def test_flag_rule_names_flags_by_length():
    sources = ["a" * 100] * 12
    hyps = ["b" * 110] * 8 + ["b" * 20, "b" * 300, "b" * 105, ""]
    similarity = np.array([0.80, 0.82, 0.79, 0.81, 0.80, 0.83, 0.78, 0.80, 0.30, 0.25, 0.31, 0.0])
    flags, ratios, threshold = flag_segments(sources, hyps, similarity, FlagRule())
    assert flags == [None] * 8 + ["omission", "hallucination", "low-similarity", "omission"]
    assert 0.2 <= threshold < 0.78 and ratios[0] == pytest.approx(1.0)


@pytest.fixture
def pair(test_data):
    folder = test_data / "terminology"
    return read_segments(folder / "src.en"), read_segments(folder / "hyp.de")


def test_use_scores_do_not_depend_on_batch_size(pair):
    sources, hyps = pair
    one = semantic_fidelity(sources, hyps, hyps, batch_size=1)
    many = semantic_fidelity(sources, hyps, hyps, batch_size=4)
    assert one.src_hyp == many.src_hyp and one.hyp_ref == many.hyp_ref
    assert all(0.3 < s <= 1.0 for s in one.src_hyp) and one.hyp_ref == pytest.approx([1.0] * 5)
    assert "encoder:use-multilingual-v3|model:sha256=" in one.signature
    assert one.data_hash != semantic_fidelity(sources, hyps[::-1]).data_hash


@pytest.mark.shared
def test_flags_injected_omission_and_hallucination(shared_data):
    root = shared_data / "wmt22_ende"
    sources = read_segments(root / "sources" / "generaltest2022.en-de.src.en")[:60]
    hyps = read_segments(root / "system-outputs" / "generaltest2022.en-de.hyp.OpenNMT.de")[:60]
    long_index = max(range(60), key=lambda i: len(sources[i]))
    hyps[long_index] = " ".join(hyps[long_index].split()[:2])
    hyps[20] = ("Die Zentralbank senkte am Dienstag überraschend die Leitzinsen, woraufhin die Aktienkurse in ganz "
                "Europa deutlich stiegen und Analysten eine Erholung der Wirtschaft im nächsten Quartal erwarteten.")
    sources[20] = "Thank you."
    report = semantic_fidelity(sources, hyps)
    assert report.flags[long_index] == "omission"
    assert report.flags[20] == "hallucination"
    assert report.summary["flagged"] <= 6


def test_tiny_transformers_model_batch_invariant(tiny_model, pair):
    sources, hyps = pair
    one = semantic_fidelity(sources, hyps, encoder=str(tiny_model), batch_size=1)
    three = semantic_fidelity(sources, hyps, encoder=str(tiny_model), batch_size=3)
    assert one.src_hyp == three.src_hyp
    assert "|dim:32|" in one.signature and "model:sha256=" in one.signature
    result = CliRunner().invoke(main, ["semantic", "-s", *map(str, [pair_path(tiny_model, "src.en")]), "-t",
                                       str(pair_path(tiny_model, "hyp.de")), "--model", str(tiny_model), "--json", "--segments"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["src_hyp"] == one.src_hyp


def pair_path(_model, name):
    from tests.conftest import TEST_DATA

    return TEST_DATA / "terminology" / name


@pytest.mark.parametrize("args,message", [
    (["-t", "../fidelity/short.de"], "has 2 lines but"),
    (["-t", "hyp.de", "--model", "/nonexistent/model"], "/nonexistent/model: model folder not found"),
    (["-t", "hyp.de", "--model", "."], "not a transformers model folder"),
])
def test_semantic_cli_errors(test_data, args, message):
    folder = test_data / "terminology"
    args = [str(folder / a) if a.endswith(".de") else a for a in args]
    result = CliRunner().invoke(main, ["semantic", "-s", str(folder / "src.en"), *args])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and message in result.stderr


def test_mismatched_lengths_in_api(pair):
    sources, hyps = pair
    with pytest.raises(InputError, match="the source has 5 segments but the translation has 4"):
        semantic_fidelity(sources, hyps[:4])
