"""Paired tests via sacrebleu and the multiple-comparison corrections."""
from __future__ import annotations

import pytest
from sacrebleu.significance import PairedTest
from sacrebleu.metrics import BLEU, CHRF, TER

from corpus.errors import InputError
from pipelines.fidelity.significance import benjamini_hochberg, holm, paired_test
from pipelines.fidelity.textfile import read_segments


def test_holm_step_down():
    # sorted p: .005 .01 .03 .04 -> x4 x3 x2 x1 = .02 .03 .06 .04 -> running max .02 .03 .06 .06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_benjamini_hochberg():
    # sorted p: .005 .01 .03 .04 -> x4/1 x4/2 x4/3 x4/4 = .02 .02 .04 .04, running min from the top
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])


@pytest.fixture
def systems(test_data):
    folder = test_data / "fidelity"
    ref = read_segments(folder / "ref.de") * 20
    poor, good = read_segments(folder / "poor.de") * 20, read_segments(folder / "good.de") * 20
    return ref, {"poor": poor, "good": good, "close": [good[0]] + poor[1:], "same": list(poor)}


@pytest.mark.parametrize("test", ["bs", "ar"])
@pytest.mark.parametrize("metric", ["bleu", "chrf", "ter"])
def test_paired_test_matches_sacrebleu_and_corrects(systems, test, metric):
    ref, named = systems
    results = paired_test(named, [ref], [metric], "poor", test=test, n_samples=200, correction="holm")
    by_system = {r.system: r for r in results}
    assert set(by_system) == {"good", "close", "same"}
    theirs = {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}[metric]
    signatures, scores = PairedTest(list(named.items()), {metric: theirs}, [ref], test_type=test, n_samples=200)()
    (column,) = [scores[name] for name in scores if name != "System"]
    raw = [r.p_value for r in column[1:3]] + [1.0]  # sacrebleu gives identical systems its smallest p
    assert [by_system[s].p_value for s in ("good", "close", "same")] == raw
    assert [by_system[s].p_adjusted for s in ("good", "close", "same")] == pytest.approx(holm(raw))
    assert by_system["good"].significant
    assert by_system["same"].p_adjusted == 1.0 and not by_system["same"].significant
    assert by_system["good"].signature == f"{next(iter(signatures.values())).format()}|test:{test}|correction:holm"
    if test == "bs":  # the system's bootstrap CI is sacrebleu's too
        assert (by_system["good"].mean, by_system["good"].ci_halfwidth) == (column[1].mean, column[1].ci)


def test_paired_test_needs_a_known_baseline(systems):
    ref, named = systems
    with pytest.raises(InputError, match="baseline 'nope'"):
        paired_test(named, [ref], ["bleu"], "nope")
