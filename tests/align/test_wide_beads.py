"""Wide beads: every shape up to `max_bead` can be produced, and they only win where no split matches."""
import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.align import align
from pipelines.align.dp import bead_types, find_path
from pipelines.align.embedding import MarginCosts, _summed_overlaps
from pipelines.encoders import l2_normalise
from tests.align.test_dp import TableCosts, path_of

WIDE = [(1, 4), (4, 1), (2, 3), (3, 2), (1, 5), (5, 1), (2, 4), (4, 2), (3, 3)]


def test_bead_types_by_largest_side():
    assert set(bead_types(3)) == {(0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1)}
    assert set(WIDE) <= set(bead_types(5)) and (1, 6) not in bead_types(5) and (2, 5) not in bead_types(5)
    assert (1, 7) in bead_types(7) and (4, 4) in bead_types(7)


@pytest.mark.parametrize("shape", WIDE)
def test_each_wide_shape_is_found_when_it_is_the_cheap_bead(shape):
    a, b = shape
    beads = [((0,), (0,)), (tuple(range(1, 1 + a)), tuple(range(1, 1 + b))), ((1 + a,), (1 + b,))]
    costs = TableCosts(a + 2, b + 2, {bead: 0.1 for bead in beads})
    assert path_of(costs, bead_types=bead_types(5)) == beads
    narrow = path_of(costs, bead_types=bead_types(3))  # out of reach with max_bead 3
    assert beads[1] not in narrow


def _margin_costs(src_vectors, tgt_vectors, max_size=5):
    src, tgt = l2_normalise(src_vectors), l2_normalise(tgt_vectors)
    lengths_src, lengths_tgt = np.full(len(src), 50.0), np.full(len(tgt), 50.0)
    return MarginCosts({k: _summed_overlaps(src, k) for k in range(1, max_size + 1)},
                       {k: _summed_overlaps(tgt, k) for k in range(1, max_size + 1)},
                       lengths_src, lengths_tgt, length_weight=0.0)


def test_margin_scoring_picks_a_wide_bead_only_where_no_split_matches():
    rng = np.random.default_rng(7)
    topics = rng.normal(size=(12, 64))
    # source: topic 0, one sentence saying topics 1-4 at once, topic 5; target: every topic alone
    src = np.vstack([topics[0], topics[1:5].sum(axis=0), topics[5]])
    tgt = topics[:6] + 0.05 * rng.normal(size=(6, 64))
    path = [(bead.src, bead.tgt) for bead in find_path(_margin_costs(src, tgt), bead_types(5))]
    assert path == [((0,), (0,)), ((1,), (1, 2, 3, 4)), ((2,), (5,))]

    # five source and five target sentences that match one by one: five 1-1 beads, no wide bead
    tgt_one_by_one = topics[6:11] + 0.05 * rng.normal(size=(5, 64))
    path = [(bead.src, bead.tgt) for bead in find_path(_margin_costs(topics[6:11], tgt_one_by_one), bead_types(5))]
    assert path == [((k,), (k,)) for k in range(5)]


def test_max_bead_option_is_checked():
    with pytest.raises(InputError, match="max_bead"):
        align(["a."], ["b."], "de", "fr", method="length", max_bead=0)
    beads = align(["Ein Satz."] * 2, ["Une phrase."] * 2, "de", "fr", method="length", max_bead=1)
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in beads)
