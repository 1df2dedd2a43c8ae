"""A whole target segment in a language other than the target language (a copied source, a third language).

- Three words or more: py3langid over its 97 languages.
- Shorter segments, any language with a known script: the letters are all in another script than the target
  language's (Latin prose in a Russian, Chinese or Arabic target, Cyrillic in a German one); names, acronyms and
  URLs ("BBC News", "iPhone") are not prose.
- Shorter segments in the target's own script: the translation copies its source, and every word is common in
  the source language and much rarer in the target language (wordfreq), so it is no loanword or name.

A segment judged to be in the source language that is only partly so ("Der Premierminister sagte, the
government would not raise taxes.") is no wrong-language segment: when the words outside its longest run of
source-language words (source_runs.py) hold four letters or more of target-language words that the source does
not have ("Der Premierminister sagte", "首相表示"; py3langid, or ten times more frequent in the target language's
wordfreq list), the untranslated check reports that run instead. Wrong-language is left for segments wholly
in the source language or in a third language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.languages import base_language
from pipelines.checks import language, wordfreqs
from pipelines.checks.base import Check, Coverage, Document, register
from pipelines.checks.scripts import language_scripts, script_counts
from pipelines.checks.source_runs import longest_run
from pipelines.checks.text import normalize_space, words

MIN_WORDS = 3
MIN_CONFIDENCE = 0.6
MAX_TARGET_PROBABILITY = 0.05
MIN_SCRIPT_LETTERS = 3
COMMON_IN_SOURCE = 3.0  # Zipf: once per million words
SOURCE_LEAN = 1.0  # Zipf difference: ten times more frequent in the source language
MIN_TARGET_LETTERS = 4  # target-language letters outside the source run that make a segment partly translated
DATA_LIKE = re.compile(r"://|www\.|@|\.[a-z]{2,4}\b")


def segment_language(text: str) -> tuple[str, float, dict[str, float]] | None:
    """(language, its probability, all probabilities) for prose long enough to judge."""
    tokens = words(text)
    # Names and acronyms alone ("Business Insider", "CCTV") carry no language.
    if len(tokens) < MIN_WORDS or all(t.is_capitalized for t in tokens):
        return None
    probs = language.probabilities(text)
    lang, probability = next(iter(probs.items()))
    return lang, probability, probs


def _prose_words(text: str) -> list:
    """Words that read as prose rather than names: lower-case words, or any word of an uncased script."""
    return [t for t in words(text) if t.is_lower or not (t.text.lower() != t.text.upper())]


def foreign_script(text: str, tgt_lang: str) -> str | None:
    """The script of a segment written entirely outside the target language's scripts, if it is prose."""
    expected = language_scripts(tgt_lang)
    counts = script_counts(text)
    if not expected or sum(counts.values()) < MIN_SCRIPT_LETTERS or expected & set(counts) or DATA_LIKE.search(text):
        return None
    if not _prose_words(text):
        return None
    return max(counts, key=counts.get)


def copied_source(text: str, source: str | None, src_lang: str | None, tgt_lang: str) -> bool:
    """A short segment that repeats its source, made of common source-language words that are not loanwords."""
    if not source or not src_lang or normalize_space(text).casefold() != normalize_space(source).casefold():
        return False
    if not (wordfreqs.covers(src_lang) and wordfreqs.covers(tgt_lang)):
        return False
    tokens = words(text)
    if not tokens or not any(t.is_lower for t in tokens):
        return False
    return all(wordfreqs.zipf(t.text, src_lang) >= COMMON_IN_SOURCE
               and wordfreqs.zipf(t.text, src_lang) - wordfreqs.zipf(t.text, tgt_lang) >= SOURCE_LEAN for t in tokens)


def is_wrong_language(text: str, tgt_lang: str, source: str | None = None, src_lang: str | None = None) -> tuple[str, float] | None:
    judged = segment_language(text)
    if judged is None:
        if len(words(text)) >= MIN_WORDS:
            return None  # long enough, but names only
        script = foreign_script(text, tgt_lang)
        if script is not None:
            return language.identify(text)[0] + f" ({script} script)", 1.0
        if copied_source(text, source, src_lang, tgt_lang):
            return base_language(src_lang), 1.0
        return None
    lang, probability, probs = judged
    target = base_language(tgt_lang)
    if lang != target and probability >= MIN_CONFIDENCE and probs.get(target, 0.0) < MAX_TARGET_PROBABILITY:
        return lang, probability
    return None


@dataclass(frozen=True)
class Verdict:
    """A segment not in the target language: its language and probability, and for a segment only partly in the
    source language the span of its untranslated part (then it is no wrong-language segment)."""

    lang: str
    probability: float
    part: tuple[int, int] | None = None


def judge_segment(text: str, tgt_lang: str, source: str | None = None, src_lang: str | None = None) -> Verdict | None:
    """None for a segment in the target language; else its language, and its untranslated part if it has one."""
    verdict = is_wrong_language(text, tgt_lang, source, src_lang)
    if verdict is None:
        return None
    lang, probability = verdict
    if src_lang is None or lang.split(" ")[0] != base_language(src_lang):
        return Verdict(lang, probability)
    return Verdict(lang, probability, _untranslated_part(text, source, src_lang, tgt_lang))


def _untranslated_part(text: str, source: str | None, src_lang: str, tgt_lang: str) -> tuple[int, int] | None:
    run = longest_run(text, src_lang, tgt_lang, source)
    if run is None:
        return None
    start, end = run[0][0].start, run[-1][0].end
    in_source = {t.lower for t in words(source)} if source else set()
    translated = sum(len(t.text) for t in words(text)
                     if (t.end <= start or t.start >= end) and t.lower not in in_source and _target_word(t.text, src_lang, tgt_lang))
    return (start, end) if translated >= MIN_TARGET_LETTERS else None


def _target_word(word: str, src_lang: str, tgt_lang: str) -> bool:
    """py3langid prefers the target language for the word, or wordfreq has it ten times more often there."""
    return (language.preference(f" {word} ", tgt_lang, src_lang) > 0
            or wordfreqs.zipf(word, tgt_lang) - wordfreqs.zipf(word, src_lang) >= SOURCE_LEAN)


@register
class WrongLanguage(Check):
    name = "wrong-language"
    type = "wrong-language"
    description = "a whole segment is not in the target language (py3langid; script and word frequency on short segments)"
    severity = "Major"
    rules = {
        "language-id": Coverage("the 97 target languages py3langid knows", language.supported),
        "short-foreign-script": Coverage("target languages with a known script (CLDR likely subtags)",
                                         lambda lang: bool(language_scripts(lang))),
        "short-copied-source": Coverage("language pairs with wordfreq lists for both (42 languages)",
                                        wordfreqs.covers, wordfreqs.covers),
    }

    def run(self, document: Document):
        source_lang = base_language(document.src_lang)
        for index, text in enumerate(document.target):
            if not language.supported(document.tgt_lang) and len(words(text)) >= MIN_WORDS:
                continue
            source = document.source[index] if document.source is not None else None
            verdict = judge_segment(text, document.tgt_lang, source, document.src_lang)
            if verdict is None or verdict.part is not None:
                continue  # a partly untranslated segment: the untranslated check reports the part
            lang, probability = verdict.lang, verdict.probability
            stripped = len(text) - len(text.lstrip())
            what = "the source language" if lang.split(" ")[0] == source_lang else "not the target language"
            yield document.finding(
                self, index, stripped, len(text.rstrip()),
                f"segment is in '{lang}' ({what}, p={probability:.2f}), expected '{base_language(document.tgt_lang)}'",
            )
