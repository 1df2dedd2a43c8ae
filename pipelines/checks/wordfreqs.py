"""Word frequencies from wordfreq (its lists ship inside the package: 42 languages, nothing downloaded),
looked up directly in the frequency table so no tokenizer (jieba, MeCab) is needed. Zipf scale: 0 for a
word the list never saw, 3 for one in a million words, 6 for the commonest words."""
from __future__ import annotations

import math
from functools import lru_cache

from corpus.languages import base_language


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
