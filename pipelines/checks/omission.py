"""Content of the source missing from the translation: an empty translation of a non-empty source, a
translation far shorter than the document's usual length ratio, or fewer sentences than the source has.
(A translation that stops mid-sentence is a truncation, reported by that check.)"""
from __future__ import annotations

import statistics

from pipelines.checks.base import ALL_LANGUAGES, Check, Document, register
from pipelines.checks.text import sentences, words
from pipelines.checks.truncation import _ends_closed, _length_ratios

MIN_SOURCE_WORDS = 10
SHORT_RATIO = 0.5
SENTENCE_RATIO = 0.7


@register
class Omission(Check):
    name = "omission"
    type = "omission"
    description = "source content missing: empty, much shorter, or fewer sentences than the source"
    rules = {"all": ALL_LANGUAGES}
    needs_source = True
    severity = "Major"

    def run(self, document: Document):
        ratios = _length_ratios(document)
        typical = statistics.median(ratios) if len(ratios) >= 3 else 1.0
        for index, source, target in document.pairs():
            if not source.strip():
                continue
            start, end = len(target) - len(target.lstrip()), len(target.rstrip())
            if not target.strip():
                yield document.finding(self, index, 0, len(target), "the translation is empty but the source is not")
                continue
            if len(words(source)) < MIN_SOURCE_WORDS or not _ends_closed(target):
                continue
            ratio = len(target) / len(source)
            source_sentences = len(sentences(source, document.src_lang))
            target_sentences = len(sentences(target, document.tgt_lang))
            if ratio < SHORT_RATIO * typical:
                yield document.finding(
                    self, index, start, end,
                    f"the translation is {ratio:.2f} of the source length (usually {typical:.2f}): content may be missing",
                )
            elif target_sentences < source_sentences and ratio < SENTENCE_RATIO * typical:
                yield document.finding(
                    self, index, start, end,
                    f"the source has {source_sentences} sentences, the translation {target_sentences}, and it is shorter than usual",
                )
