import numpy as np
import pytest

from pipelines.align import align, evaluate
from pipelines.align.embedding import embedding_costs
from pipelines.encoders import get_encoder


def test_embedding_aligner_recovers_fixture_gold(hut):
    src, tgt, gold = hut
    beads = align(src, tgt, "de", "fr", method="embedding")
    assert [(b.src, b.tgt) for b in beads] == [(b.src, b.tgt) for b in gold]
    ones = [b.score for b in beads if len(b.src) == len(b.tgt) == 1]
    assert min(ones) > 0.3


@pytest.mark.parametrize("overlap", ["compose", "concat", "sum"])
def test_overlap_modes_all_align_the_fixture(hut, overlap):
    src, tgt, gold = hut
    beads = align(src, tgt, "de", "fr", method="embedding", overlap=overlap, anchor_weight=0.0, length_weight=0.0,
                  self_train=False)
    assert evaluate([gold], [beads])["strict"]["f1"] >= 0.8


def test_composed_overlaps_approximate_reencoded_concatenations(hut):
    src, _, _ = hut
    encoder = get_encoder("use")
    composed = embedding_costs(src, src, encoder, overlap="compose").src_overlaps
    concatenated = embedding_costs(src, src, encoder, overlap="concat").src_overlaps
    assert np.allclose(composed[1], concatenated[1], atol=1e-5)
    summed = embedding_costs(src, src, encoder, overlap="sum").src_overlaps
    cosines = np.einsum("ij,ij->i", composed[2][2:], concatenated[2][2:])
    baseline = np.einsum("ij,ij->i", summed[2][2:], concatenated[2][2:])
    assert cosines.min() > 0.9 and cosines.mean() > 0.95
    assert cosines.mean() > baseline.mean()  # closer to the real thing than summing sentence vectors


def test_norms_and_skip_penalty_are_positive(hut):
    src, tgt, _ = hut
    costs = embedding_costs(src, tgt, get_encoder("use"))
    assert costs.skip > 0
    assert all((norms > 0).all() for norms in costs.src_norms.values())
    block = costs.block(1, 1, 1, costs.n_src + 1, 1, costs.n_tgt + 1)
    assert block[0, 0] < block[0, 5]  # a sentence is closer to its translation than to another
