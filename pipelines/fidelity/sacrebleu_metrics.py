"""The sacrebleu metrics, registered under Calque's names with sacrebleu's defaults
(the settings the WMT findings use), so their signatures are sacrebleu's own."""
from __future__ import annotations

from sacrebleu.metrics import BLEU, CHRF, TER

from pipelines.fidelity.registry import MetricSpec, register_metric

register_metric(MetricSpec(
    name="bleu",
    factory=BLEU,
    # sentence-level BLEU needs effective order (sacrebleu warns without it); corpus BLEU must not use it
    segment_options={"effective_order": True},
    description="BLEU, 13a tokenisation, exponential smoothing",
))
register_metric(MetricSpec(
    name="chrf",
    factory=CHRF,
    description="chrF2: character 6-grams, beta 2",
))
register_metric(MetricSpec(
    name="chrf++",
    factory=CHRF,
    corpus_options={"word_order": 2},
    description="chrF2++: chrF with word uni- and bigrams",
))
register_metric(MetricSpec(
    name="ter",
    factory=TER,
    higher_is_better=False,
    description="TER (tercom normalisation rules), lower is better",
))
