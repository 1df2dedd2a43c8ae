"""Segment-level metrics: a scorer gives every segment a score (from the source, the translation and,
where it uses one, the reference), and the system score is their mean. The statistics of a segment are
its score alone, so the corpus score, bootstrap CIs and paired tests come from the same machinery as
BLEU's (pipelines.fidelity.scoring, significance) and any worker may compute any shard.

A scorer is any object with

    name, needs_reference, sha256, signature
    score(sources, hypotheses, references_or_None, src_lang, tgt_lang) -> numpy array, one score per segment

and optionally `uses_reference` (default: needs_reference; a hybrid model such as MetricX-24 uses a
reference when one is given), `needs_source` (default True) and `higher_is_better` (default True). The
client learns what it needs from a cheap `describe(argument)` (a ScorerInfo), or by loading the scorer
when no such function is given; workers load the scorer with `load(argument)` once per process and
keep it (keyed by loader, argument and model hash), so a model is never loaded per task.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.registry import Metric, Resampling

Loader = Callable[[str], Any]


@dataclass(frozen=True)
class ScorerInfo:
    """What the client needs to know about a scorer without running it."""

    display: str  # the score's name in tables, e.g. "COMET"
    sha256: str
    signature: str
    needs_reference: bool
    uses_reference: bool
    needs_source: bool = True
    higher_is_better: bool = True

    @classmethod
    def of(cls, scorer: Any) -> "ScorerInfo":
        needs = bool(scorer.needs_reference)
        return cls(display=str(scorer.name), sha256=str(scorer.sha256), signature=str(scorer.signature),
                   needs_reference=needs, uses_reference=bool(getattr(scorer, "uses_reference", needs)),
                   needs_source=bool(getattr(scorer, "needs_source", True)),
                   higher_is_better=bool(getattr(scorer, "higher_is_better", True)))


_LOADED: dict[tuple[str, str], Any] = {}


def loaded_scorer(load: Loader, argument: str, sha256: str | None = None) -> Any:
    """The scorer `load(argument)` gives, loaded once per process (a model whose file changed is loaded
    again); a model whose hash is not the one the run began with is an error (it changed during the run)."""
    key = (f"{load.__module__}.{load.__qualname__}", argument)
    scorer = _LOADED.get(key)
    if scorer is None or (sha256 and _sha256(scorer) not in ("", sha256)):
        scorer = load(argument)
        found = _sha256(scorer)
        if sha256 and found and found != sha256:
            raise InputError(f"the model {argument} changed since this run began (sha256 {found[:16]}…, expected {sha256[:16]}…)")
        _LOADED[key] = scorer
    return scorer


def _sha256(scorer: Any) -> str:
    return str(getattr(scorer, "sha256", "") or "")


class SegmentLevelMetric(Metric):
    """The metric `name` (as named in --metrics) scored by the scorer `load(argument)` gives."""

    def __init__(self, name: str, load: Loader, argument: str, *, describe: Callable[[str], ScorerInfo] | None = None,
                 description: str = ""):
        self.name, self.load, self.argument, self.describe = name, load, argument, describe
        self.description = description
        self._info: ScorerInfo | None = None

    @property
    def info(self) -> ScorerInfo:
        if self._info is None:
            self._info = self.describe(self.argument) if self.describe else ScorerInfo.of(loaded_scorer(self.load, self.argument))
        return self._info

    needs_reference = property(lambda self: self.info.needs_reference)  # type: ignore[assignment]
    uses_reference = property(lambda self: self.info.uses_reference)  # type: ignore[assignment]
    needs_source = property(lambda self: self.info.needs_source)  # type: ignore[assignment]
    higher_is_better = property(lambda self: self.info.higher_is_better)  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        _ = self.info  # tasks carry the description, so workers need not describe the model again
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return f"SegmentLevelMetric({self.name!r})"

    def references_used(self, n_refs: int) -> int:
        return min(n_refs, 1) if self.uses_reference else 0

    def statistics(self, hyps, refs_list, sources, context):
        hyps = list(hyps)
        references = None
        if self.references_used(len(refs_list)):
            references = list(refs_list[0])
            missing = next((i for i, ref in enumerate(references) if ref is None), None)
            if missing is not None:
                raise InputError(f"metric {self.name} uses the first reference, and segment {missing + 1} has none")
        if sources is None and self.needs_source:
            raise InputError(f"metric {self.name} needs the source segments, and none were given")
        scorer = loaded_scorer(self.load, self.argument, self.info.sha256)
        scores = np.asarray(scorer.score(None if sources is None else list(sources), hyps, references, context.src_lang,
                                         context.tgt_lang), dtype=float).reshape(-1)
        if len(scores) != len(hyps):
            raise InputError(f"metric {self.name} gave {len(scores)} scores for {len(hyps)} segments")
        bad = next((i for i, value in enumerate(scores) if not math.isfinite(value)), None)
        if bad is not None:
            raise InputError(f"metric {self.name} gave no finite score for segment {bad + 1}")
        return scores[:, None]

    def segment_scores(self, stats, context):
        return np.asarray(stats, dtype=float)[:, 0].copy()

    def totals_scorer(self, context):
        from sacrebleu.metrics.base import Score

        display = self.info.display
        return lambda totals, n_segments: Score(display, float(totals[0]) / n_segments)

    def signature(self, context, n_refs, *, segment=False, resampling: Resampling | None = None) -> str:
        parts = [self.info.signature, f"nrefs:{self.references_used(n_refs)}"]
        if context.src_lang or context.tgt_lang:
            parts.append(f"langs:{context.src_lang or '?'}-{context.tgt_lang or '?'}")
        if resampling is not None:
            parts += [f"{resampling.test}:{resampling.n_samples}", f"seed:{resampling.seed}"]
            parts += [f"draws:{resampling.draws}"] if resampling.draws else []
        parts.append("seg:model" if segment else "sys:mean")
        return "|".join(parts)

    def identity(self, context):
        return {"metric": "segment-level", "scorer": self.info.signature, "sha256": self.info.sha256,
                "langs": [context.src_lang, context.tgt_lang]}
