"""Weighted sums of bead costs, e.g. embedding similarity plus lexical anchors plus a length penalty."""
from __future__ import annotations

import numpy as np

from pipelines.align.dp import PairCosts


class CombinedCosts(PairCosts):
    """cost = Σ weight_k · cost_k for every bead and skip; the first part gives the reported scores."""

    def __init__(self, parts: list[tuple[float, PairCosts]]):
        if not parts:
            raise ValueError("CombinedCosts needs at least one part")
        self.parts = [(w, p) for w, p in parts if w]
        first = self.parts[0][1]
        if any(p.n_src != first.n_src or p.n_tgt != first.n_tgt for _, p in self.parts):
            raise ValueError("combined costs must cover the same sentences")
        self.n_src, self.n_tgt = first.n_src, first.n_tgt

    def block(self, a, b, i0, i1, j0, j1):
        total = None
        for weight, part in self.parts:
            value = weight * part.block(a, b, i0, i1, j0, j1)
            total = value if total is None else total + value
        return total

    def skip_src(self):
        return sum(weight * np.asarray(part.skip_src(), dtype=np.float64) for weight, part in self.parts)

    def skip_tgt(self):
        return sum(weight * np.asarray(part.skip_tgt(), dtype=np.float64) for weight, part in self.parts)

    def coarsen(self):
        coarse = [(weight, part.coarsen()) for weight, part in self.parts]
        if any(part is None for _, part in coarse):
            return None
        return CombinedCosts(coarse)

    def bead_score(self, a, b, i, j, cost):
        return self.parts[0][1].bead_score(a, b, i, j, cost)

    def bead_scores(self, path):
        return self.parts[0][1].bead_scores(path)
