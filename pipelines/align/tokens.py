"""Words and numbers of a sentence in any script, for the lexical scorer and learned word lists, and `fold`,
the case- and accent-free spelling in which both compare words.

Scripts written with spaces split at non-letters. Runs of a script written without spaces (Han,
kana, Thai, Lao, Khmer, Myanmar) are cut by a segmenter from `SEGMENTERS`:
- `bigram` (default): overlapping character bigrams (any such script, no dictionary);
- `jieba`: the jieba word segmenter (Chinese; optional, `pip install jieba`).
On MAC-Dev zh–en, `lexical` with a self-trained word list scores strict F1 0.675 with bigrams and
0.665 with jieba (benchmarks/align.md), so bigrams are the default.

Numbers: digit runs in any script (full-width ４２ included) and Chinese/Japanese numerals
(三十五, 两千) become their value, so 42, ４２ and 四十二 are the same anchor.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable


SPACELESS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\uface\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
SPACELESS_RUN = re.compile(f"[{SPACELESS}]+")
LETTER_RUN = re.compile(f"(?:(?![{SPACELESS}])[^\\W\\d_])+")
DIGITS = re.compile(r"\d+")

CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
CJK_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CJK_NUMERAL = re.compile("[" + "".join(CJK_DIGITS) + "".join(CJK_UNITS) + "]+")


def cjk_number(text: str) -> int | None:
    """The value of a Chinese/Japanese numeral (三十五 → 35, 两千零五 → 2005, 二〇二四 → 2024), else None."""
    if not text or any(ch not in CJK_DIGITS and ch not in CJK_UNITS for ch in text):
        return None
    if all(ch in CJK_DIGITS for ch in text) and len(text) > 1:  # digit by digit: 二〇二四
        return int("".join(str(CJK_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CJK_DIGITS:
            digit = CJK_DIGITS[ch]
            continue
        unit = CJK_UNITS[ch]
        if unit >= 10_000:
            total += (section + (digit or 0)) * unit
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def numbers(sentence: str) -> list[int]:
    """Values of the digit runs and CJK numerals of a sentence. A lone 一 (also 'a', 'once') is skipped."""
    found = [int(run) for run in DIGITS.findall(sentence)]
    for run in CJK_NUMERAL.findall(sentence):
        if run == "一":
            continue
        value = cjk_number(run)
        if value is not None:
            found.append(value)
    return found


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[k : k + 2] for k in range(len(run) - 1)]


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def jieba_available() -> bool:
    try:
        _jieba()
    except ImportError:
        return False
    return True


def _jieba_words(run: str) -> list[str]:
    return [w for w in _jieba().lcut(run, HMM=True) if w.strip()]


SEGMENTERS: dict[str, Callable[[str], list[str]]] = {"bigram": _bigrams, "jieba": _jieba_words}


DEFAULT_SEGMENTER = "bigram"


def resolve_segmenter(name: str, lang: str | None = None) -> str:
    """The segmenter to use for a language (the same for every language today; `lang` is for future rules)."""
    if name not in SEGMENTERS:
        raise ValueError(f"segmenter must be one of {', '.join(SEGMENTERS)}")
    if name == "jieba" and not jieba_available():
        raise ValueError("segmenter jieba needs the jieba package: pip install jieba")
    return name


@lru_cache(maxsize=1 << 17)
def words(sentence: str, segmenter: str = "bigram") -> tuple[str, ...]:
    """Letter words in order: space-separated words as written, runs of spaceless scripts segmented."""
    out: list[str] = []
    cut = SEGMENTERS[segmenter]
    position = 0
    for match in SPACELESS_RUN.finditer(sentence):
        out += LETTER_RUN.findall(sentence, position, match.start())
        out += cut(match.group())
        position = match.end()
    out += LETTER_RUN.findall(sentence, position)
    return tuple(out)


def is_spaceless(word: str) -> bool:
    return SPACELESS_RUN.match(word) is not None


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Lower-case, accents removed, ß → ss: the spelling that cognates and names share across languages."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
