import numpy as np
import pytest

from pipelines.align import align, evaluate
from pipelines.align.length import LengthCosts, length_cost


def test_length_cost_prefers_proportional_lengths():
    close, far = length_cost(np.array([100.0]), np.array([110.0]), 1.1), length_cost(np.array([100.0]), np.array([40.0]), 1.1)
    assert close[0] < 0.1 < far[0]


def test_ratio_is_estimated_from_the_texts():
    costs = LengthCosts(np.array([10.0, 20.0]), np.array([15.0, 30.0]))
    assert costs.ratio == pytest.approx(1.5)


def test_gale_church_on_fixture(hut):
    src, tgt, gold = hut
    beads = align(src, tgt, "de", "fr", method="length")
    pairs = {(b.src, b.tgt) for b in beads}
    assert ((3, 4), (3,)) in pairs and ((6,), (5, 6)) in pairs
    assert evaluate([gold], [beads])["strict"]["f1"] >= 0.8
