"""Segment-level agreement: Cohen's kappa on error / no error, Krippendorff's alpha on MQM scores."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items (None when chance agreement is total)."""
    if len(a) != len(b) or not a:
        raise ValueError("cohen_kappa needs two equally long, non-empty label lists")
    try:
        from sklearn.metrics import cohen_kappa_score
    except ImportError:
        cohen_kappa_score = None
    labels = sorted(set(a) | set(b))
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    expected = sum((list(a).count(label) / n) * (list(b).count(label) / n) for label in labels)
    if math.isclose(expected, 1.0):
        return None
    if cohen_kappa_score is not None:
        return float(cohen_kappa_score(a, b))
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(matrix: np.ndarray, level: str = "interval") -> float | None:
    """Krippendorff's alpha (the `krippendorff` package) over a raters × units matrix, NaN = not rated.

    None when fewer than two raters share a unit or the values do not vary at all."""
    import krippendorff

    matrix = np.asarray(matrix, dtype=float)
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if matrix.shape[0] < 2 or pairable.sum() == 0:
        return None
    values = matrix[:, pairable]
    if np.nanmax(values) == np.nanmin(values):
        return None
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement=level))
