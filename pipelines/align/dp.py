"""The dynamic-programming core every aligner shares.

A path runs over nodes (i, j) = "the first i source and j target sentences are aligned"; a bead
ending at node (i, j) with type (a, b) covers source sentences i-a .. i-1 and target sentences
j-b .. j-1. Scorers only say what a bead costs (`PairCosts`); this module finds the cheapest path.

Near-linear time comes from the coarse-to-fine search of Vecalign (Thompson & Koehn 2019): the
scorer is halved recursively (pairs of neighbouring sentences merged) until the full cost matrix
is small, the coarse path is found by full DP, and each finer level only searches a band of
`width` target positions either side of the upsampled coarser path. Every level costs
O((n + m) · width), so the whole search stays linear in the document length.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

DEFAULT_MAX_BEAD = 5


def bead_types(max_bead: int = DEFAULT_MAX_BEAD) -> tuple[tuple[int, int], ...]:
    """0-1, 1-0 and every a-b bead with 1 <= a, b <= max_bead and a + b <= max_bead + 1.

    max_bead 3 gives Gale–Church's set plus 1-3/3-1 (1-1 1-2 2-1 2-2 1-3 3-1); 5 adds 1-4 … 1-5,
    2-3, 2-4, 3-3 and their mirrors (Bertalign's max_align 5 plus the 6-sentence shapes).
    """
    if max_bead < 1:
        raise ValueError("max_bead must be at least 1")
    shapes = [(a, b) for total in range(2, max_bead + 2) for a in range(1, total) for b in (total - a,)
              if a <= max_bead and b <= max_bead]
    return ((0, 1), (1, 0), *shapes)


def max_side(types) -> int:
    return max(max(a, b) for a, b in types)


BEAD_TYPES: tuple[tuple[int, int], ...] = bead_types(DEFAULT_MAX_BEAD)
COARSE_BEAD_TYPES: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1))

DEFAULT_WIDTH = 12
DEFAULT_MAX_FULL = 400
BLOCK_CELLS = 1 << 16

_INSERT = -1


class PairCosts(ABC):
    """Bead costs for one document pair (lower is better). Implemented by each scorer."""

    n_src: int
    n_tgt: int

    @abstractmethod
    def block(self, a: int, b: int, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
        """Costs of (a, b) beads (a, b >= 1) ending at nodes i0 <= i < i1, j0 <= j < j1.

        Returns an array of shape (i1 - i0, j1 - j0). Cells with i < a or j < b have no bead and
        are ignored by the caller, so their values do not matter.
        """

    @abstractmethod
    def skip_src(self) -> np.ndarray:
        """Cost of leaving each source sentence unaligned (a 1-0 bead), shape (n_src,)."""

    @abstractmethod
    def skip_tgt(self) -> np.ndarray:
        """Cost of leaving each target sentence unaligned (a 0-1 bead), shape (n_tgt,)."""

    def coarsen(self) -> PairCosts | None:
        """The same document at half resolution (neighbouring sentences merged), or None."""
        return None

    def bead_score(self, a: int, b: int, i: int, j: int, cost: float) -> float:
        """A human-facing score for a bead found on the path (higher is better)."""
        return float(np.exp(-max(cost, 0.0) / max(a + b, 1)))

    def bead_scores(self, path: list["PathBead"]) -> np.ndarray:
        """bead_score for every bead of a path (scorers override this with one vectorised pass)."""
        return np.array([self.bead_score(len(p.src), len(p.tgt), p.end[0], p.end[1], p.cost) for p in path])

    def _grouped(self, path: list["PathBead"]):
        """(a, b, positions in path, end nodes i, end nodes j) per bead type, for vectorised scoring."""
        groups: dict[tuple[int, int], list[int]] = {}
        for k, bead in enumerate(path):
            groups.setdefault((len(bead.src), len(bead.tgt)), []).append(k)
        for (a, b), positions in groups.items():
            ends = np.array([path[k].end for k in positions], dtype=np.int64).reshape(-1, 2)
            yield a, b, np.array(positions), ends[:, 0], ends[:, 1]


@dataclass(frozen=True)
class PathBead:
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float
    end: tuple[int, int] = (0, 0)  # the node (i, j) the bead ends at


def _windows(n_rows: int, n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n_rows + 1, dtype=np.int64), np.full(n_rows + 1, n_cols + 1, dtype=np.int64)


def band_around_path(nodes: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per source row i, the target columns [lo[i], hi[i]) within `width` of a monotone node path."""
    y_min = np.full(n + 1, m, dtype=np.int64)
    y_max = np.zeros(n + 1, dtype=np.int64)
    for (x0, y0), (x1, y1) in zip(nodes[:-1], nodes[1:]):
        if x1 == x0:
            y_min[x0] = min(y_min[x0], y0)
            y_max[x0] = max(y_max[x0], y1)
            continue
        rows = np.arange(x0, x1 + 1)
        slope = (y1 - y0) / (x1 - x0)
        centre = y0 + (rows - x0) * slope
        y_min[rows] = np.minimum(y_min[rows], np.floor(centre - slope / 2).astype(np.int64))
        y_max[rows] = np.maximum(y_max[rows], np.ceil(centre + slope / 2).astype(np.int64))
    x_last, y_last = nodes[-1]
    y_min[x_last] = min(y_min[x_last], y_last)
    y_max[x_last] = max(y_max[x_last], y_last)
    lo = np.clip(y_min - width, 0, m)
    hi = np.clip(y_max + width, 0, m) + 1
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0] = 0
    hi[n] = m + 1
    return lo, hi


def banded_dp(costs: PairCosts, lo: np.ndarray, hi: np.ndarray, bead_types=BEAD_TYPES) -> list[PathBead]:
    """Cheapest path from (0, 0) to (n, m) using only cells lo[i] <= j < hi[i] of each row i.

    Rows are filled in order; within a row every move that comes from an earlier row is one
    vectorised candidate (a row of `candidates`), and 0-1 moves (from the left in the same row)
    are a running minimum: best[j] = min_k<=j (cand[k] + Σ skip_tgt[k..j-1]).
    """
    n, m = costs.n_src, costs.n_tgt
    matches = [(a, b) for a, b in bead_types if a and b]
    moves = matches + ([(1, 0)] if (1, 0) in bead_types else [])
    with_insert = (0, 1) in bead_types
    skip_src = np.asarray(costs.skip_src(), dtype=np.float64)
    insert_prefix = np.concatenate([[0.0], np.cumsum(np.asarray(costs.skip_tgt(), dtype=np.float64))])
    lo_, hi_ = [int(x) for x in lo], [int(x) for x in hi]

    totals: list[np.ndarray] = [None] * (n + 1)  # type: ignore[list-item]
    choices: list[np.ndarray] = [None] * (n + 1)  # type: ignore[list-item]

    def close_row(i: int, best: np.ndarray, choice: np.ndarray) -> None:
        if with_insert:
            prefix = insert_prefix[lo_[i] : hi_[i]]
            shifted = best - prefix
            running = np.minimum.accumulate(shifted)
            from_left = np.zeros(len(best), dtype=bool)
            from_left[1:] = running[:-1] < shifted[1:]
            best = running + prefix
            choice[from_left] = _INSERT
        totals[i] = best
        choices[i] = choice

    width0 = hi_[0] - lo_[0]
    best0 = np.full(width0, np.inf)
    best0[0] = 0.0
    close_row(0, best0, np.full(width0, _INSERT, dtype=np.int8))

    i = 1
    while i <= n:
        span = max(hi_[i] - lo_[i], 1)
        rows = max(1, min(n + 1 - i, BLOCK_CELLS // span, max(16, span)))
        i_end = i + rows
        c0, c1 = lo_[i], hi_[i_end - 1]
        blocks = [costs.block(a, b, i, i_end, c0, c1) for a, b in matches]
        candidates = np.empty((len(moves), max(hi_[r] - lo_[r] for r in range(i, i_end))))
        for row in range(i, i_end):
            j_lo, j_hi = lo_[row], hi_[row]
            cand = candidates[:, : j_hi - j_lo]
            cand.fill(np.inf)
            for t, (a, b) in enumerate(moves):
                p = row - a
                if p < 0:
                    continue
                p_lo = lo_[p]
                start, stop = max(j_lo, p_lo + b), min(j_hi, hi_[p] + b)
                if start >= stop:
                    continue
                previous = totals[p][start - b - p_lo : stop - b - p_lo]
                step = blocks[t][row - i, start - c0 : stop - c0] if b else skip_src[row - 1]
                np.add(previous, step, out=cand[t, start - j_lo : stop - j_lo])
            choice = cand.argmin(axis=0).astype(np.int8)
            close_row(row, cand.min(axis=0), choice)
        i = i_end

    if not (lo[n] <= m < hi[n]) or not np.isfinite(totals[n][m - lo[n]]):
        raise ValueError("no alignment path inside the search band")

    path: list[PathBead] = []
    x, y = n, m
    while x > 0 or y > 0:
        t = int(choices[x][y - lo[x]])
        a, b = (0, 1) if t == _INSERT else moves[t]
        px, py = x - a, y - b
        cost = totals[x][y - lo[x]] - totals[px][py - lo[px]]
        path.append(PathBead(tuple(range(px, x)), tuple(range(py, y)), float(cost), (x, y)))
        x, y = px, py
    path.reverse()
    return path


def _upsampled_nodes(coarse: list[PathBead], n: int, m: int) -> list[tuple[int, int]]:
    """Corner nodes of a half-resolution path, mapped to full resolution (odd last sentences included)."""
    n_half, m_half = n // 2, m // 2

    def scale(x: int, full: int, half: int) -> int:
        return full if x >= half else 2 * x

    nodes = [(0, 0)]
    for bead in coarse:
        x = (bead.src[-1] + 1) if bead.src else None
        y = (bead.tgt[-1] + 1) if bead.tgt else None
        px, py = nodes[-1]
        nx = scale(x, n, n_half) if x is not None else px
        ny = scale(y, m, m_half) if y is not None else py
        nodes.append((nx, ny))
    if nodes[-1] != (n, m):
        nodes.append((n, m))
    return nodes


def find_path(
    costs: PairCosts,
    bead_types=BEAD_TYPES,
    width: int = DEFAULT_WIDTH,
    max_full: int = DEFAULT_MAX_FULL,
    guide: list[PathBead] | None = None,
) -> list[PathBead]:
    """Cheapest alignment path: full DP when small, else coarse-to-fine banded DP.

    With a `guide` (an earlier path over the same sentences, e.g. before self-training), a large
    document is searched only within `width` of it instead of going through the coarse levels.
    """
    n, m = costs.n_src, costs.n_tgt
    if guide is not None and n * m > max_full * max_full and n and m:
        nodes = [(0, 0)] + [bead.end for bead in guide]
        return banded_dp(costs, *band_around_path(nodes, n, m, width), bead_types)
    if n == 0 or m == 0:
        return [PathBead((k,), (), float(c), (k + 1, 0)) for k, c in enumerate(costs.skip_src())] + [
            PathBead((), (k,), float(c), (n, k + 1)) for k, c in enumerate(costs.skip_tgt())
        ]
    coarse = None
    if n * m > max_full * max_full and min(n, m) >= 4:
        coarse = costs.coarsen()
    if coarse is None:
        lo, hi = _windows(n, m)
        if n * m > max_full * max_full:  # a scorer without coarsening: a generous diagonal band
            reach = max(width, int(0.1 * max(n, m)))
            lo, hi = band_around_path([(0, 0), (n, m)], n, m, reach)
        return banded_dp(costs, lo, hi, bead_types)
    coarse_path = find_path(coarse, COARSE_BEAD_TYPES, width, max_full)
    lo, hi = band_around_path(_upsampled_nodes(coarse_path, n, m), n, m, width)
    return banded_dp(costs, lo, hi, bead_types)
