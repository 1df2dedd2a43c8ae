"""Runs of source-language words inside a target segment, which the untranslated and wrong-language checks
share.

Each word gets a language preference (py3langid log-likelihood, source vs target); where the target is written
in another script than the source (Chinese, Russian, Arabic targets of English), a word in the source's script
counts as source-leaning however py3langid scores it. A run is a stretch of source-leaning words that only
spaces, hyphens, numbers and in-sentence punctuation separate ("is available from 9 am to 5 pm, Monday to
Friday" is one run; a comma or a number between two capitalised words ends it): a target-language word, a
sentence end, a quotation mark or a slash closes it. Function words of the target language at either end are
trimmed.
"""
from __future__ import annotations

import re

from pipelines.checks import language
from pipelines.checks.scripts import char_script, language_scripts
from pipelines.checks.text import Token, function_words, words

MIN_WORDS = 2
MIN_TOTAL = 8.0
MIN_LOWER_EVIDENCE = 4.0
# What separates two words of one run: spaces and hyphens; and between two words not both capitalised (prose,
# not a list of names: "Coventry Road, Small Heath") also commas, colons, semicolons (of any script) and numbers
# with their units ("9", "1.5", "2,400", "12%", "1pm").
JOINER = re.compile(r"[\s\-–‐]*")
GAP = re.compile(r"(?:[\s\-–—‐,;:%，、；：]|\d+(?:[.,]\d+)*[^\W\d_]*)*")

Run = list[tuple[Token, float]]


def cross_script(src_lang: str, tgt_lang: str) -> frozenset[str]:
    """The source language's scripts that the target language does not use (empty for en-de)."""
    return language_scripts(src_lang) - language_scripts(tgt_lang)


def source_runs(text: str, src_lang: str, tgt_lang: str, source: str | None = None) -> list[Run]:
    """Every run of source-leaning words: (token, preference) pairs, target function words trimmed. With the
    aligned source, a lower-case word the source also has joins two source-leaning words whatever its own
    preference ("the" scores German on its own, "am" in "from 8 am to 6 pm" is German too), and a run's first
    and last words are source-leaning words the source has ("Kommission said on Monday" starts at "said")."""
    target_words = function_words(tgt_lang)
    foreign = cross_script(src_lang, tgt_lang)
    in_source = {t.lower for t in words(source)} if source else None
    found: list[Run] = []
    run: Run = []

    def loose_end(token: Token, score: float) -> bool:
        return score <= 0 or token.lower in target_words or in_source is not None and token.lower not in in_source

    def close() -> None:
        while run and loose_end(*run[0]):
            run.pop(0)
        while run and loose_end(*run[-1]):
            run.pop()
        if run:
            found.append(list(run))
        run.clear()

    previous: Token | None = None
    for token in words(text):
        if token.start and text[token.start - 1].isdigit():
            continue  # the unit of a number ("1pm", "1st"), not a word
        if previous is not None and not _joined(text[previous.end : token.start], previous, token):
            close()
        score = language.preference(f" {token.text} ", src_lang, tgt_lang)
        if foreign and char_script(token.text[0]) in foreign:
            score = max(score, MIN_LOWER_EVIDENCE)
        copied = in_source is not None and token.lower in in_source and not token.is_capitalized
        if score > 0 or copied:
            run.append((token, max(score, 0.0)))
        else:
            close()
        previous = token
    close()
    return found


def _joined(gap: str, previous: Token, token: Token) -> bool:
    if JOINER.fullmatch(gap):
        return True
    return not (previous.is_capitalized and token.is_capitalized) and GAP.fullmatch(gap) is not None


def source_fragments(text: str, src_lang: str, tgt_lang: str, source: str | None = None) -> list[tuple[Run, float, bool]]:
    """Runs of two or more words with a clear total preference: (run, total preference, whether the run has
    prose evidence: a clear lower-case source word, or a source function word with a lower-case word or with
    two content words; "of Eastbrook" is the tail of a name)."""
    source_words, target_words = function_words(src_lang), function_words(tgt_lang)
    found = []
    for run in source_runs(text, src_lang, tgt_lang, source):
        content = [(t, score) for t, score in run if t.lower not in source_words]
        total = sum(score for _, score in run)
        if len(run) < MIN_WORDS or not content or total < MIN_TOTAL:
            continue
        lower_content = any(t.is_lower and t.lower not in target_words and score >= MIN_LOWER_EVIDENCE for t, score in content)
        function_word = any(t.lower in source_words and t.lower not in target_words for t, _ in run)
        evidence = lower_content or (function_word and (len(content) >= 2 or any(t.is_lower for t, _ in content)))
        found.append((run, total, evidence))
    return found


def longest_run(text: str, src_lang: str, tgt_lang: str, source: str | None = None) -> Run | None:
    """The run with the most words (the first of equals), None when there is none."""
    runs = source_runs(text, src_lang, tgt_lang, source)
    return max(runs, key=len) if runs else None
