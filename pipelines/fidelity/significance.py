"""Paired significance tests against a baseline (sacrebleu's paired bootstrap and paired approximate
randomization) and multiple-comparison correction across systems (Holm, Benjamini–Hochberg)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from sacrebleu.significance import PairedTest

from corpus.errors import InputError
from pipelines.fidelity.registry import get_metric

TESTS = {"bs": "paired bootstrap resampling", "ar": "paired approximate randomization"}


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni step-down adjusted p-values (family-wise error rate), in input order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted.tolist()


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), via scipy."""
    if len(p_values) == 0:
        return []
    from scipy.stats import false_discovery_control

    return np.atleast_1d(false_discovery_control(np.asarray(p_values, dtype=float), method="bh")).tolist()


CORRECTIONS: dict[str, Callable[[Sequence[float]], list[float]]] = {
    "holm": holm,
    "bh": benjamini_hochberg,
    "none": lambda p: list(map(float, p)),
}


@dataclass
class PairedResult:
    system: str
    metric: str
    score: float
    baseline_score: float
    p_value: float
    p_adjusted: float
    significant: bool
    mean: float | None
    ci_halfwidth: float | None
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def paired_test(
    systems: Mapping[str, Sequence[str]],
    refs_list: Sequence[Sequence[str | None]],
    metrics: Sequence[str],
    baseline: str,
    *,
    test: str = "bs",
    n_samples: int = 0,
    correction: str = "holm",
    alpha: float = 0.05,
) -> list[PairedResult]:
    """Each non-baseline system against `baseline`, per metric, with p-values corrected across systems.

    Runs sacrebleu's PairedTest (seed from SACREBLEU_SEED, default 12345; n_samples 0 means sacrebleu's
    defaults: 1000 bootstrap resamples, 10000 AR trials). Memory grows with n_samples × segments.
    """
    if test not in TESTS:
        raise InputError(f"unknown paired test {test!r}; known: {', '.join(TESTS)}")
    if correction not in CORRECTIONS:
        raise InputError(f"unknown correction {correction!r}; known: {', '.join(CORRECTIONS)}")
    if baseline not in systems:
        raise InputError(f"baseline {baseline!r} is not among the systems: {', '.join(systems)}")
    if len(systems) < 2:
        raise InputError("a paired test needs at least one system besides the baseline")
    named = [(baseline, list(systems[baseline]))] + [
        (name, list(hyps)) for name, hyps in systems.items() if name != baseline
    ]
    references = [list(refs) for refs in refs_list]
    results: list[PairedResult] = []
    for metric_name in metrics:
        spec = get_metric(metric_name)
        metric = spec.corpus_metric()
        signatures, scores = PairedTest(
            named, {spec.name: metric}, references, test_type=test, n_samples=n_samples,
            n_ar_confidence=-1, n_jobs=1,
        )()
        (score_name,) = signatures
        column = scores[score_name]
        baseline_result, others = column[0], column[1:]
        # sacrebleu counts resampled differences strictly above the observed one, so a system identical
        # to the baseline (all differences 0) would get the smallest p-value; it is not different at all.
        raw = [1.0 if list(hyps) == named[0][1] else r.p_value for (_, hyps), r in zip(named[1:], others)]
        adjusted = CORRECTIONS[correction](raw)
        signature = signatures[score_name].format()
        for (name, _), result, p_raw, p_adj in zip(named[1:], others, raw, adjusted):
            results.append(PairedResult(
                system=name, metric=spec.name, score=float(result.score),
                baseline_score=float(baseline_result.score), p_value=float(p_raw),
                p_adjusted=float(p_adj), significant=bool(p_adj < alpha),
                mean=None if result.mean is None else float(result.mean),
                ci_halfwidth=None if result.ci is None else float(result.ci),
                signature=f"{signature}|test:{test}|correction:{correction}",
            ))
    return results
