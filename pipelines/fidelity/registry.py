"""Fidelity metrics by name. Each entry builds fresh sacrebleu metric objects (they hold caches,
so one object per use): one for corpus scores, one for segment scores."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sacrebleu.metrics.base import Metric

from corpus.errors import InputError


@dataclass(frozen=True)
class MetricSpec:
    name: str
    factory: Callable[..., Metric]
    corpus_options: dict[str, Any] = field(default_factory=dict)
    segment_options: dict[str, Any] = field(default_factory=dict)
    higher_is_better: bool = True
    description: str = ""

    def corpus_metric(self, **overrides: Any) -> Metric:
        return self.factory(**{**self.corpus_options, **overrides})

    def segment_metric(self, **overrides: Any) -> Metric:
        return self.factory(**{**self.corpus_options, **self.segment_options, **overrides})


_METRICS: dict[str, MetricSpec] = {}


def register_metric(spec: MetricSpec) -> MetricSpec:
    if spec.name in _METRICS:
        raise ValueError(f"metric {spec.name!r} is already registered")
    _METRICS[spec.name] = spec
    return spec


def get_metric(name: str) -> MetricSpec:
    key = name.strip().lower()
    if key not in _METRICS:
        raise InputError(f"unknown metric {name!r}; known: {', '.join(available_metrics())}")
    return _METRICS[key]


def available_metrics() -> list[str]:
    return list(_METRICS)


def parse_metric_list(text: str) -> list[str]:
    """'bleu,chrf, ter' -> ['bleu', 'chrf', 'ter'], each checked against the registry, order kept, no repeats."""
    names: list[str] = []
    for part in text.split(","):
        if part.strip():
            name = get_metric(part).name
            if name not in names:
                names.append(name)
    if not names:
        raise InputError("no metric given; known: " + ", ".join(available_metrics()))
    return names
