"""Numerals across scripts, for the number check:

- digits of any script (full-width １２３, Arabic-Indic ١٢٣, Persian ۱۲۳, Devanagari १२३ …) read as 0–9, and
  the Arabic decimal and group marks (٫ ٬) and full-width ones (． ，) as . and , — character for character,
  so offsets stay those of the original text;
- Chinese/Japanese numerals (三千五百, 二〇二四, 两百) and the myriad units 万/萬, 亿/億, 兆 (also Korean 만, 억, 조)
  after digits ("3.5万", "120万", "1億");
- scale words after a number, per language from the CLDR compact number formats via Babel ("1.2 million",
  "1,2 Millionen", "1,2 млн", "120 لاكh"…, "10 लाख"), so "1.2 million" meets "120万" and "1,200,000".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from corpus.languages import base_language

SEPARATORS = {"٫": ".", "٬": ",", "．": ".", "，": ","}
CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CJK_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MYRIAD_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12, "만": 10**4, "억": 10**8, "조": 10**12}
CJK_NUMERAL = re.compile("[〇零一二两兩三四五六七八九十拾百佰千仟万萬亿億兆]+")


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit as 0–9 and script-specific number marks as . and , (same length).
    A full-width comma counts as a group mark only between digits."""
    out = []
    for index, char in enumerate(text):
        value = unicodedata.decimal(char, None) if not char.isascii() else None
        if value is not None:
            out.append(str(value))
        elif char in SEPARATORS and 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit():
            out.append(SEPARATORS[char])
        else:
            out.append(char)
    return "".join(out)


def cjk_value(numeral: str) -> int | None:
    """The value of a Chinese/Japanese numeral: 三千五百 → 3500, 两百万 → 2000000, 二〇二四 → 2024 (digit by
    digit when there is no unit); None when it is not a well-formed number."""
    if not numeral:
        return None
    if all(c in CJK_DIGITS for c in numeral):
        return int("".join(str(CJK_DIGITS[c]) for c in numeral))
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in CJK_DIGITS:
            if digit is not None and CJK_DIGITS[char] != 0:
                return None  # two digits in a row without a unit ("三四", "roughly three or four")
            digit = CJK_DIGITS[char]
        elif char in CJK_SMALL_UNITS:
            section += (1 if digit is None else digit) * CJK_SMALL_UNITS[char]
            digit = None
        elif char in MYRIAD_UNITS:
            section += digit or 0
            if section == 0:
                return None
            total += section * MYRIAD_UNITS[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def cjk_numerals(text: str) -> list[tuple[int, int, int]]:
    """(start, end, value) of Chinese/Japanese numerals that are clearly numbers: a digit followed by a unit
    (三千, 五百万) or a year written digit by digit (二〇二四). Words that contain numeral characters (一些,
    统一, 万一, 千万 'by all means') do not qualify."""
    found = []
    for match in CJK_NUMERAL.finditer(text):
        numeral = match.group()
        has_unit = any(c in CJK_SMALL_UNITS or c in MYRIAD_UNITS for c in numeral)
        digit_year = len(numeral) == 4 and all(c in CJK_DIGITS for c in numeral)
        if not (digit_year or has_unit and len(numeral) >= 2 and (numeral[0] in CJK_DIGITS or numeral[0] in "十拾")):
            continue
        value = cjk_value(numeral)
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


@lru_cache(maxsize=None)
def scale_words(lang: str) -> dict[str, int]:
    """Words and abbreviations that multiply a preceding number in `lang`, from the CLDR compact decimal
    formats via Babel ("million" → 10**6, "Mio." → 10**6, "万" → 10**4, "लाख" → 10**5); lower-cased. A word
    CLDR gives two values for is left out."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import format_compact_decimal

    try:
        locale = Locale.parse(base_language(lang))
    except (UnknownLocaleError, ValueError):
        return {}
    words: dict[str, set[int]] = {}
    for exponent in range(3, 13):
        for lead in (1, 2, 5, 10, 100):
            number = lead * 10**exponent
            for width in ("long", "short"):
                try:
                    text = format_compact_decimal(number, locale=locale, format_type=width)
                except (KeyError, ValueError):
                    continue
                match = re.fullmatch(r"(\d+)[\s\u00a0]*(\D+?)\.?", text.strip())
                if match is None:
                    continue
                shown, word = int(match.group(1)), match.group(2).strip().lower()
                if word and number % shown == 0:
                    words.setdefault(word, set()).add(number // shown)
    return {word: next(iter(values)) for word, values in words.items() if len(values) == 1}


@lru_cache(maxsize=None)
def scale_pattern(lang: str) -> re.Pattern | None:
    """A number followed by one of the language's scale words (or a myriad unit, in any language)."""
    units = set(scale_words(lang)) | set(MYRIAD_UNITS)
    alternatives = "|".join(re.escape(word) for word in sorted(units, key=len, reverse=True))
    myriad = "".join(MYRIAD_UNITS)
    return re.compile(rf"(?P<number>\d+(?:[.,]\d+)?)[ \u00a0\u202f]?(?P<unit>{alternatives})"
                      rf"(?:(?<=[{myriad}])|\.?(?!\w))", re.I)


def scale_of(unit: str, lang: str) -> int | None:
    unit = unit.lower()
    return MYRIAD_UNITS.get(unit) or scale_words(lang).get(unit)
