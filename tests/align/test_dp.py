"""The shared DP core on cost tables small enough to check by hand, and its coarse-to-fine search."""
import numpy as np
import pytest

from pipelines.align.dp import BEAD_TYPES, PairCosts, band_around_path, banded_dp, find_path
from pipelines.align.lexical import LEXICAL_DEFAULTS, lexical_costs
from pipelines.align.synthetic import synthetic_pair


class TableCosts(PairCosts):
    """Bead (a, b) ending at node (i, j) costs `default`, except the beads listed in `cheap`."""

    def __init__(self, n, m, cheap, default=5.0, skip=3.0):
        self.n_src, self.n_tgt = n, m
        self.cheap, self.default, self.skip = cheap, default, skip

    def block(self, a, b, i0, i1, j0, j1):
        out = np.full((i1 - i0, j1 - j0), self.default)
        for (src, tgt), cost in self.cheap.items():
            if len(src) == a and len(tgt) == b and src and tgt:
                i, j = src[-1] + 1, tgt[-1] + 1
                if i0 <= i < i1 and j0 <= j < j1:
                    out[i - i0, j - j0] = cost
        return out

    def skip_src(self):
        return np.full(self.n_src, self.skip)

    def skip_tgt(self):
        return np.full(self.n_tgt, self.skip)


def path_of(costs, **kwargs):
    return [(bead.src, bead.tgt) for bead in find_path(costs, **kwargs)]


def test_every_bead_type_is_reachable():
    beads = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4, 5), (4, 5)), ((6,), (6, 7, 8)), ((7, 8, 9), (9,))]
    costs = TableCosts(10, 10, {bead: 0.1 for bead in beads})
    assert path_of(costs) == beads


def test_omissions_and_additions_when_nothing_matches():
    costs = TableCosts(1, 2, {((0,), (1,)): 0.5})
    assert path_of(costs) == [((), (0,)), ((0,), (1,))]
    expensive = TableCosts(2, 1, {}, default=100.0, skip=1.0)
    assert sorted(path_of(expensive)) == sorted([((0,), ()), ((1,), ()), ((), (0,))])


def test_empty_sides():
    assert path_of(TableCosts(0, 2, {})) == [((), (0,)), ((), (1,))]
    assert path_of(TableCosts(2, 0, {})) == [((0,), ()), ((1,), ())]


def test_bead_costs_add_up_to_the_path_cost():
    beads = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    costs = TableCosts(4, 3, {beads[0]: 0.5, beads[1]: 0.25, beads[2]: 0.125})
    found = find_path(costs)
    assert [(b.src, b.tgt) for b in found] == beads
    assert [b.cost for b in found] == pytest.approx([0.5, 0.25, 0.125])


def test_band_contains_the_path_it_was_built_from():
    nodes = [(0, 0), (3, 3), (3, 7), (10, 12)]
    lo, hi = band_around_path(nodes, 10, 12, width=2)
    for x, y in nodes:
        assert lo[x] <= y < hi[x]
    assert (np.diff(lo) >= 0).all() and (np.diff(hi) >= 0).all()
    assert lo[0] == 0 and hi[10] == 13


def test_banded_search_equals_full_search_when_band_holds_the_path():
    src, tgt, _ = synthetic_pair(300, seed=3)
    costs = lexical_costs(src, tgt, LEXICAL_DEFAULTS)
    full = find_path(costs, max_full=10_000)
    nodes = [(0, 0)] + [b.end for b in full]
    lo, hi = band_around_path(nodes, len(src), len(tgt), width=4)
    banded = banded_dp(costs, lo, hi, BEAD_TYPES)
    assert [(b.src, b.tgt) for b in banded] == [(b.src, b.tgt) for b in full]


def test_coarse_to_fine_finds_the_full_dp_path():
    src, tgt, _ = synthetic_pair(900, seed=5)
    costs = lexical_costs(src, tgt, LEXICAL_DEFAULTS)
    full = path_of(costs, max_full=10_000)
    coarse_to_fine = path_of(costs, max_full=60)
    assert coarse_to_fine == full


def test_coarse_to_fine_recovers_a_large_omission():
    src, tgt, gold = synthetic_pair(1500, seed=11)
    cut = slice(500, 560)  # 60 target sentences go missing in the middle
    kept = [t for k, t in enumerate(tgt) if not (cut.start <= k < cut.stop)]
    costs = lexical_costs(src, kept, LEXICAL_DEFAULTS)
    path = find_path(costs, max_full=100)
    covered_src = [k for b in path for k in b.src]
    covered_tgt = [k for b in path for k in b.tgt]
    assert covered_src == list(range(len(src))) and covered_tgt == list(range(len(kept)))
    # far from the cut, sentences are still matched to their translations
    late = {b.src: b.tgt for b in path if b.src and b.src[0] > 1200 and len(b.src) == 1 and len(b.tgt) == 1}
    truth = {g.src: tuple(t - 60 for t in g.tgt) for g in gold if g.src and g.src[0] > 1200 and len(g.src) == 1 and len(g.tgt) == 1}
    agree = sum(late.get(k) == v for k, v in truth.items())
    assert agree / len(truth) > 0.95
