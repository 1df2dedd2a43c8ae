"""Source-language fragments inside a target segment ("vom Biometrics and Surveillance Camera Commissioner").

A fragment is a run of two or more source-leaning words (source_runs.py: only spaces, numbers and in-sentence
punctuation between them) whose total preference is clear and which holds prose evidence: a lower-case source
word, or a source function word ("and", "of") with two content words. Single words (loanwords like "Software",
brands like "Hikvision") and runs of capitalised names ("Business Insider") do not qualify, unless a source
shows the run is a copied title of common nouns. With a source, most of the fragment's words must also occur
in the aligned source text. A segment that reads as the source language but is partly translated ("Der
Premierminister sagte, the government would not raise taxes.", see wrong_language.py) gets one finding on its
longest source-language run; segments wholly in the source language or in a third language are left to the
wrong-language check.

Single words: a lower-case word that occurs in the aligned source, is common in the source language (wordfreq
Zipf ≥ 3) and at least 100 times rarer in the target language (Zipf difference ≥ 2; web text puts English
words in every list, and established loanwords such as "software" or "weekend" stay within that factor) is
reported as untranslated (Minor); in another script than the target's, 10 times rarer suffices. Without a
source the word must be commoner (Zipf ≥ 3.5) and 300 times rarer in the target (difference ≥ 2.5). Names
(capitalised), numbers, function words of either language ("with" in a kept English title) and parts of
addresses ("www.example.com/pricing") never qualify.
"""
from __future__ import annotations

import re

from pipelines.checks import language, wordfreqs
from pipelines.checks.base import Check, Coverage, Document, register
from pipelines.checks.scripts import char_script
from pipelines.checks.source_runs import cross_script, source_fragments
from pipelines.checks.text import Token, function_words, words
from pipelines.checks.wrong_language import judge_segment

MIN_SHARED_WITH_SOURCE = 0.5
TITLE_WORDS = 3
TITLE_WORD_EVIDENCE = 3.0
SINGLE_MIN_LETTERS = 4
SINGLE_COMMON_IN_SOURCE = 3.0
SINGLE_LEAN = 2.0  # Zipf difference source - target: 100 times more frequent in the source language
CROSS_SCRIPT_LEAN = 1.0
TARGET_ONLY_COMMON_IN_SOURCE = 3.5
TARGET_ONLY_LEAN = 2.5


def single_words(text: str, source: str | None, src_lang: str, tgt_lang: str, taken: list[tuple[int, int]]) -> list[Token]:
    """Lone source-language words (see the module docstring), outside the spans already reported."""
    if not (wordfreqs.covers(src_lang) and wordfreqs.covers(tgt_lang)):
        return []
    foreign = cross_script(src_lang, tgt_lang)
    source_words = {t.lower for t in words(source)} if source else None
    skip = function_words(tgt_lang) | function_words(src_lang)  # content words only ("with" in a kept title is no slip)
    found = []
    for token in words(text):
        if not token.is_lower or len(token.text) < SINGLE_MIN_LETTERS or token.lower in skip:
            continue
        if any(start < token.end and token.start < end for start, end in taken) or _in_address(text, token):
            continue
        in_source_script = char_script(token.text[0]) in foreign
        common, rare = wordfreqs.zipf(token.text, src_lang), wordfreqs.zipf(token.text, tgt_lang)
        if source_words is not None:
            lean = CROSS_SCRIPT_LEAN if in_source_script else SINGLE_LEAN
            if token.lower not in source_words or common < SINGLE_COMMON_IN_SOURCE or common - rare < lean:
                continue
        elif common < TARGET_ONLY_COMMON_IN_SOURCE or common - rare < TARGET_ONLY_LEAN:
            continue
        if language.preference(f" {token.text} ", src_lang, tgt_lang) <= 0 and not in_source_script:
            continue
        found.append(token)
    return found


def _in_address(text: str, token: Token) -> bool:
    """Part of a web or mail address or a file name ("www.example.com/pricing"): glued to a dot, slash or @."""
    before, after = text[max(token.start - 2, 0) : token.start], text[token.end : token.end + 2]
    glued_before = before[-1:] in ("/", "@") or before[-1:] == "." and before[:1].isalnum()
    glued_after = after[:1] in ("/", "@") or after[:1] == "." and after[1:].isalnum()
    return glued_before or glued_after


def _shared_with_source(tokens: list[Token], source: str) -> float:
    source_words = {t.lower for t in words(source)}
    return sum(t.lower in source_words for t in tokens) / len(tokens)


def _copied_title(run: list[tuple[Token, float]], text: str, source: str, source_document: str, src_lang: str) -> bool:
    """A capitalised run of three or more words copied verbatim from the source, mostly plain source-language
    words, two of which the source also uses as common nouns ("North Lakeland Data Protection Commissioner"
    next to "data-protection watchdog"); "Downing Street" or "New Orleans" stay names."""
    tokens = [t for t, _ in run]
    if len(tokens) < TITLE_WORDS or text[tokens[0].start : tokens[-1].end] not in source:
        return False
    if sum(score >= TITLE_WORD_EVIDENCE for _, score in run) * 2 < len(run):
        return False
    lower_vocabulary = {w.lower() for w in re.findall(r"[^\W\d_]+", source_document) if w.islower()}
    stop_words = function_words(src_lang)
    return sum(t.lower in lower_vocabulary for t in tokens if t.lower not in stop_words) >= 2


@register
class Untranslated(Check):
    name = "untranslated"
    type = "untranslated"
    description = "source-language fragments and single source-language words left in the translation"
    severity = "Major"
    rules = {
        "fragments": Coverage("language pairs py3langid knows (97 languages), any target script",
                              language.supported, language.supported),
        "single-words": Coverage("language pairs with wordfreq lists for both (42 languages)",
                                 wordfreqs.covers, wordfreqs.covers),
    }

    def run(self, document: Document):
        fragments = self.covers("fragments", document.src_lang, document.tgt_lang)
        for index, text in enumerate(document.target):
            if not text.strip():
                continue
            source = document.source[index] if document.source is not None else None
            verdict = judge_segment(text, document.tgt_lang, source, document.src_lang)
            if verdict is not None and verdict.part is None:
                continue  # the wrong-language check reports whole segments
            taken: list[tuple[int, int]] = []
            if verdict is not None and fragments:
                taken.append(verdict.part)
                yield document.finding(
                    self, index, *verdict.part,
                    f"source-language text left untranslated in a partly translated segment (the segment reads as "
                    f"'{verdict.lang}', p={verdict.probability:.2f})",
                )
            for run, total, evidence in source_fragments(text, document.src_lang, document.tgt_lang, source) if fragments else []:
                tokens = [t for t, _ in run]
                if any(tokens[0].start < end and start < tokens[-1].end for start, end in taken):
                    continue
                if source is not None and _shared_with_source(tokens, source) < MIN_SHARED_WITH_SOURCE:
                    continue
                if not evidence and not (source and _copied_title(run, text, source, document.source_text or source, document.src_lang)):
                    continue
                name_like = all(t.is_capitalized or t.lower in function_words(document.src_lang) for t in tokens)
                kind = "a source-language name or title" if name_like else "source-language text"
                taken.append((tokens[0].start, tokens[-1].end))
                yield document.finding(
                    self, index, tokens[0].start, tokens[-1].end,
                    f"{kind} left untranslated (language evidence {total:.0f})",
                    severity="Minor" if name_like else "Major",
                )
            for token in single_words(text, source, document.src_lang, document.tgt_lang, taken):
                yield document.finding(
                    self, index, token.start, token.end,
                    f"source-language word {token.text!r} left untranslated (Zipf {wordfreqs.zipf(token.text, document.src_lang):.1f} "
                    f"in '{document.src_lang}', {wordfreqs.zipf(token.text, document.tgt_lang):.1f} in '{document.tgt_lang}')",
                    severity="Minor",
                )
