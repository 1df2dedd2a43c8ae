"""The sacrebleu metrics, registered under Calque's names with sacrebleu's defaults (the settings the WMT
findings use), so their figures and signatures are sacrebleu's own. BLEU tokenises as `sacrebleu -l
SRC-TGT` does for the target language (pipelines.fidelity.bleu_tokenizers) unless told otherwise; chrF has
no tokeniser, and TER keeps sacrebleu's default (no Asian-script support), as `sacrebleu -l` does.

Each call builds fresh sacrebleu objects (they hold caches, so one object per use), except for the statistics:
sacrebleu prepares the references once (tokens, n-grams) and scores every system against them, and so does a
process here: the last references a metric prepared are kept (`prepared_metric`), so the shards of several
systems over the same segments prepare them once, as `sacrebleu -i SYS1 SYS2 …` does."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacrebleuObject

from pipelines.fidelity.bleu_tokenizers import bleu_tokenizer
from pipelines.fidelity.registry import Metric, Resampling, ScoringContext, register_metric


@dataclass(frozen=True, eq=False)
class SacrebleuMetric(Metric):
    name: str
    factory: Callable[..., SacrebleuObject]
    corpus_options: dict[str, Any] = field(default_factory=dict)
    segment_options: dict[str, Any] = field(default_factory=dict)
    higher_is_better: bool = True
    description: str = ""
    tokenized: bool = False  # takes sacrebleu's BLEU `tokenize` (chosen by the target language)

    def options(self, context: ScoringContext) -> dict[str, Any]:
        if not self.tokenized:
            return dict(self.corpus_options)
        return {**self.corpus_options, "tokenize": bleu_tokenizer(context.tgt_lang, context.tokenize)}

    def corpus_metric(self, context: ScoringContext = ScoringContext()) -> SacrebleuObject:
        return self.factory(**self.options(context))

    def segment_metric(self, context: ScoringContext = ScoringContext()) -> SacrebleuObject:
        return self.factory(**{**self.options(context), **self.segment_options})

    def check(self, context, *, has_source, n_refs):
        super().check(context, has_source=has_source, n_refs=n_refs)
        self.options(context)  # an unknown or uninstalled BLEU tokeniser says so now

    def statistics(self, hyps, refs_list, sources, context):
        return np.asarray(prepared_metric(self, context, refs_list)._extract_corpus_statistics(list(hyps), None))

    def segment_scores(self, stats, context):
        metric = self.segment_metric(context)
        return np.array([metric._compute_score_from_stats(row).score for row in stats.tolist()], dtype=float)

    def totals_scorer(self, context):
        metric = self.corpus_metric(context)
        return lambda totals, n_segments: metric._compute_score_from_stats(totals)

    def signature(self, context, n_refs, *, segment=False, resampling: Resampling | None = None) -> str:
        metric = self.segment_metric(context) if segment else self.corpus_metric(context)
        metric.num_refs = n_refs
        signature = metric.get_signature()
        if resampling is not None:  # as sacrebleu signs its bootstrap CIs and paired tests
            signature.update("seed", resampling.seed)
            signature.update(resampling.test, resampling.n_samples)
            if resampling.draws:
                signature.update("draws", resampling.draws)
        return signature.format()

    def identity(self, context):
        import sacrebleu

        return {"metric": self.name, "options": self.options(context), "sacrebleu": sacrebleu.__version__}


PREPARED_SEGMENTS = 20_000  # references kept prepared per metric: one shard's (pipelines.execution.shards)
_prepared: dict[str, tuple[tuple, SacrebleuObject]] = {}
_prepared_lock = threading.Lock()


def prepared_metric(metric: SacrebleuMetric, context: ScoringContext, refs_list: Sequence[Sequence[str | None]]) -> SacrebleuObject:
    """A sacrebleu object with `refs_list` prepared (its reference cache filled). The last references each
    metric prepared in this process are kept, up to PREPARED_SEGMENTS segments (about 50 KB a segment for BLEU,
    chrF and TER together), so the next system's shard over the same segments reuses them."""
    key = json.dumps(metric.identity(context), sort_keys=True, default=str)
    references = tuple(tuple(refs) for refs in refs_list)
    with _prepared_lock:
        kept = _prepared.get(key)
        if kept is not None and kept[0] == references:
            return kept[1]
        _prepared.pop(key, None)  # free the earlier references before preparing these
    prepared = metric.corpus_metric(context)
    prepared._ref_cache = prepared._cache_references([list(refs) for refs in references])
    if references and len(references[0]) <= PREPARED_SEGMENTS:
        with _prepared_lock:
            _prepared[key] = (references, prepared)
    return prepared


register_metric(SacrebleuMetric(
    name="bleu",
    factory=BLEU,
    # sentence-level BLEU needs effective order (sacrebleu warns without it); corpus BLEU must not use it
    segment_options={"effective_order": True},
    tokenized=True,
    description="BLEU, tokenised as sacrebleu -l does for the target language (zh, ja-mecab, ko-mecab, else 13a)",
))
register_metric(SacrebleuMetric(
    name="chrf",
    factory=CHRF,
    description="chrF2: character 6-grams, beta 2",
))
register_metric(SacrebleuMetric(
    name="chrf++",
    factory=CHRF,
    corpus_options={"word_order": 2},
    description="chrF2++: chrF with word uni- and bigrams",
))
register_metric(SacrebleuMetric(
    name="ter",
    factory=TER,
    higher_is_better=False,
    description="TER (tercom normalisation rules), lower is better",
))
