"""Word frequencies from wordfreq (its lists ship inside the package: 42 languages, nothing downloaded),
looked up directly in the frequency table so no tokenizer (jieba, MeCab) is needed. Zipf scale: 0 for a
word the list never saw, 3 for one in a million words, 6 for the commonest words."""
from __future__ import annotations

import math
import statistics
from functools import lru_cache

from corpus.languages import base_language

COMMON = 3.0  # Zipf: once per million words
SPECIFIC = 1.0  # Zipf difference: ten times more frequent than in the median language of the same script


@lru_cache(maxsize=None)
def available() -> frozenset[str]:
    try:
        import wordfreq
    except ImportError:
        return frozenset()
    return frozenset(wordfreq.available_languages())


def covers(lang: str) -> bool:
    return base_language(lang) in available()


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(lang)


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of `word` (case-folded) in `lang`; 0.0 when unknown or the language has no list."""
    lang = base_language(lang)
    if lang not in available():
        return 0.0
    frequency = _table(lang).get(word.casefold(), 0.0)
    return round(math.log10(frequency * 1e9), 2) if frequency > 0 else 0.0


def _small_list(lang: str) -> list[list[str]]:
    """wordfreq's short list of `lang` (words of Zipf 3 and more), by frequency bucket, read uncached."""
    import wordfreq

    return wordfreq.read_cBpack(wordfreq.available_languages("small")[lang])


@lru_cache(maxsize=None)
def specific_words(lang: str) -> frozenset[str]:
    """The common words of `lang` (Zipf ≥ 3) that are at least ten times more frequent in it than in the median of
    the other wordfreq languages written in the same script: words a translation translates ("court", "health",
    "commission" in English). Names of people, places and brands are about as frequent in every language that
    writes them in that script ("Marcus", "Reid", "Google"). Empty for a language no other list shares a script
    with (Greek, Hebrew, Hindi, Bengali, Tamil) and for one without a list."""
    from pipelines.checks.scripts import language_scripts

    lang = base_language(lang)
    if lang not in available():
        return frozenset()
    scripts = language_scripts(lang)
    pool = [other for other in sorted(available()) if other != lang and language_scripts(other) & scripts]
    if not pool:
        return frozenset()
    own = {word: 9 - bucket / 100 for bucket, words in enumerate(_small_list(lang)) for word in words}
    own = {word: value for word, value in own.items() if value >= COMMON}
    elsewhere: dict[str, list[float]] = {word: [] for word in own}
    for other in pool:
        for bucket, words in enumerate(_small_list(other)):
            for word in words:
                if word in elsewhere:
                    elsewhere[word].append(9 - bucket / 100)
    # A word missing from a language's short list counts as Zipf 0 there.
    return frozenset(word for word, value in own.items()
                     if value - statistics.median(elsewhere[word] + [0.0] * (len(pool) - len(elsewhere[word]))) >= SPECIFIC)
