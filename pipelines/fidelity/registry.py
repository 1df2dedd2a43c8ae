"""Fidelity metrics by name, and the one interface every metric implements.

A metric turns each segment into a row of statistics (`statistics`, run on a worker shard by shard);
every figure comes from those rows: the corpus score from their column totals, the segment scores row by
row, bootstrap confidence intervals and paired tests from totals over resampled or shuffled rows. Two
kinds fit this shape:

- corpus metrics whose score is a function of summed statistics (sacrebleu's BLEU, chrF, TER:
  pipelines.fidelity.sacrebleu_metrics);
- segment-level metrics whose statistics are one score per segment and whose system score is the mean
  (learned metrics such as COMET or MetricX, embedding similarity: pipelines.fidelity.segment_metrics).

A metric is named in `--metrics` by its name (`bleu`) or, for a parameterised family, as
`PREFIX:ARGUMENT` (`comet:/models/wmt22-comet-da/checkpoints/model.ckpt`). This module knows no metric:
plug-ins call `register_metric` or `register_family`, and pipelines.fidelity's __init__ imports them.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from corpus.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from sacrebleu.metrics.base import Score


@dataclass(frozen=True)
class ScoringContext:
    """What a metric may need besides the texts: the language pair (BLEU picks its tokeniser by the target
    language, learned metrics may use both) and a BLEU tokeniser chosen by the user (`--tokenize`)."""

    src_lang: str | None = None
    tgt_lang: str | None = None
    tokenize: str | None = None


@dataclass(frozen=True)
class Resampling:
    """How resampled figures were drawn, for signatures (as sacrebleu signs them): bootstrap resamples
    (`bs`: confidence intervals, paired bootstrap) or approximate randomisation trials (`ar`), and the seed."""

    test: str  # "bs" or "ar"
    n_samples: int
    seed: str
    draws: str | None = None  # None: sacrebleu's draws; "sharded": drawn shard by shard (pipelines.fidelity.resampling)


class Metric(ABC):
    """One fidelity metric. Instances are small and picklable: tasks carry them to workers."""

    name: str
    higher_is_better: bool = True
    needs_source: bool = False
    needs_reference: bool = True
    uses_reference: bool = True  # False: the references are ignored (a reference-free metric)
    description: str = ""

    def check(self, context: ScoringContext, *, has_source: bool, n_refs: int) -> None:
        """A one-line InputError when this metric cannot score data given this way (client side, before any work)."""
        if self.needs_reference and n_refs == 0:
            raise InputError(f"metric {self.name} needs a reference translation, and none was given")
        if self.needs_source and not has_source:
            raise InputError(f"metric {self.name} needs the source segments, and none were given")

    def references_used(self, n_refs: int) -> int:
        """How many of the given reference streams the scores depend on."""
        return n_refs if self.uses_reference else 0

    @abstractmethod
    def statistics(self, hyps: Sequence[str], refs_list: Sequence[Sequence[str | None]], sources: Sequence[str] | None,
                   context: ScoringContext) -> "np.ndarray":
        """Per-segment sufficient statistics, one row per segment (a pure function: any worker may run it)."""

    @abstractmethod
    def segment_scores(self, stats: "np.ndarray", context: ScoringContext) -> "np.ndarray":
        """The score of each segment from its row of statistics."""

    @abstractmethod
    def totals_scorer(self, context: ScoringContext) -> Callable[[Any, int], "Score"]:
        """A function (totals, n_segments) -> the corpus score (a sacrebleu Score: name, value, formatting) of
        statistics summed over n_segments; built once, called for every bootstrap resample or shuffle."""

    def score(self, totals: Any, n_segments: int, context: ScoringContext) -> "Score":
        return self.totals_scorer(context)(totals, n_segments)

    def corpus_score(self, stats: "np.ndarray", context: ScoringContext) -> "Score":
        """The score of all rows: their column totals, added in segment order (as sacrebleu's
        `sum_of_lists` adds them; integer statistics sum exactly in any order)."""
        if len(stats) == 0:
            raise InputError("no segment statistics to aggregate")
        totals = stats.cumsum(axis=0)[-1] if stats.dtype.kind == "f" else stats.sum(axis=0)
        return self.score(totals.tolist(), len(stats), context)

    @abstractmethod
    def signature(self, context: ScoringContext, n_refs: int, *, segment: bool = False,
                  resampling: Resampling | None = None) -> str:
        """sacrebleu-style signature: every setting the figures depend on (for `segment`, of the segment scores)."""

    @abstractmethod
    def identity(self, context: ScoringContext) -> dict[str, Any]:
        """What the statistics depend on besides the texts (versions, tokeniser, model hash): part of the
        content key of stored shards, so a resumed run never mixes statistics computed another way."""


MetricFactory = Callable[[str], Metric]

_METRICS: dict[str, Metric] = {}
_FAMILIES: dict[str, tuple[MetricFactory, str]] = {}
FAMILY_SEPARATOR = ":"


def register_metric(metric: Metric) -> Metric:
    if metric.name in _METRICS:
        raise ValueError(f"metric {metric.name!r} is already registered")
    _METRICS[metric.name] = metric
    return metric


def register_family(prefix: str, factory: MetricFactory, argument: str = "PATH") -> None:
    """A parameterised family: `PREFIX:ARGUMENT` names the metric `factory(ARGUMENT)` builds (it checks the
    argument and raises a one-line InputError when it is unusable). A family may share its prefix with a
    metric's name (`learned` and `learned:FILE`)."""
    if prefix in _FAMILIES:
        raise ValueError(f"metric family {prefix!r} is already registered")
    _FAMILIES[prefix] = (factory, argument)


def get_metric(name: str | Metric) -> Metric:
    if isinstance(name, Metric):
        return name
    text = name.strip()
    key = text.lower()
    if key in _METRICS:
        return _METRICS[key]
    prefix, separator, argument = text.partition(FAMILY_SEPARATOR)
    if separator and prefix.lower() in _FAMILIES:
        if not argument.strip():
            raise InputError(f"metric {prefix.lower()}{FAMILY_SEPARATOR} needs its {_FAMILIES[prefix.lower()][1]} after the colon")
        return _FAMILIES[prefix.lower()][0](argument.strip())
    raise InputError(f"unknown metric {text!r}; known: {', '.join(available_metrics())}")


def available_metrics() -> list[str]:
    """The registered names, then each family as PREFIX:ARGUMENT."""
    return [*_METRICS, *(f"{prefix}{FAMILY_SEPARATOR}{argument}" for prefix, (_, argument) in _FAMILIES.items())]


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
