"""Numbers, dates and times that differ between source and translation, compared after locale
normalisation: 1.5 = 1,5; 42,000 = 42.000 = 42 000 = 42,000 (lakh: 1,00,000 = 100,000); "8 July" = "8. Juli";
"3 p.m." = "15 Uhr"; "14 July" = "7月14日"; digits of any script, Chinese/Japanese numerals and scale words
("1.2 million" = "120万" = "1,2 Mio.") as numerals.py reads them.

Each mention is read with its language's separators (CLDR via Babel: "1.500" is 1500 in German, 1.5 in
English); dates and times get every reading their notation allows, and a source and a target mention match
when their readings meet. Small integers (≤ 12) are often spelled out ("five" →
"fünf"), so they are only reported when they visibly replace another number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.languages import base_language
from pipelines.checks.base import ALL_LANGUAGES, Check, Coverage, Document, register
from pipelines.checks.numerals import ascii_digits, cjk_numerals, scale_of, scale_pattern, scale_words

SPELLED_OUT_LIMIT = 12
NUMBER = r"\d+(?:(?:[.,'’\u00a0\u202f\u2009]|(?<=\d) (?=\d{3}(?!\d)))\d+)*"
SPACE_GROUP = "\u00a0\u202f\u2009 "


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    readings: frozenset
    # The number before a scale word ("1" of "1 million"): small numbers there are spelled out as well ("eine Million").
    bare: frozenset | None = None

    @property
    def small(self) -> bool:
        return all(isinstance(r, float) and r.is_integer() and 0 <= r <= SPELLED_OUT_LIMIT for r in self.bare or self.readings)


def _value(number: float) -> float:
    return round(float(number), 6)


@lru_cache(maxsize=None)
def separators(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of a language from the CLDR via Babel; ('.', ',') if unknown."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(base_language(lang))
    except (UnknownLocaleError, ValueError):
        return ".", ","
    return get_decimal_symbol(locale), get_group_symbol(locale)


def readings(token: str, lang: str) -> set:
    """The values a number written as `token` has in language `lang` ("1.500" is 1500 in German, 1.5 in English)."""
    token = token.replace("’", "'")
    digits = re.split(r"[^\d]", token)
    marks = [c for c in token if not c.isdigit()]
    if not marks:
        return {_value(int(token))}
    grouped = all(len(group) == 3 for group in digits[1:]) and 1 <= len(digits[0]) <= 3
    # Indian grouping: 1,00,000 and 1,23,45,678 (the last group of three, the others of two).
    lakh = len(digits) >= 3 and len(digits[-1]) == 3 and all(len(g) == 2 for g in digits[1:-1]) and 1 <= len(digits[0]) <= 2
    kinds = set(marks)
    if len(kinds) > 1:  # "1,234.5", "1.234,5": the last mark is the decimal point
        last = max(token.rfind(c) for c in kinds)
        return {_value(float(re.sub(r"[^\d]", "", token[:last]) + "." + token[last + 1:]))}
    mark = marks[0]
    decimal, _group = separators(lang)
    if mark in SPACE_GROUP or mark == "'":
        return {_value(int("".join(digits)))} if grouped else {_value(int(d)) for d in digits}
    if len(marks) == 1:
        whole, fraction = digits
        if grouped and mark != decimal:
            return {_value(int(whole + fraction))}
        return {_value(float(f"{whole}.{fraction}"))}
    if grouped or lakh and mark == ",":
        return {_value(int("".join(digits)))}
    return {_value(int(d)) for d in digits}  # "1.5.2021", "3,4,5": compared number by number


@lru_cache(maxsize=None)
def month_names(lang: str) -> dict[str, int]:
    """Month names and abbreviations of a language (from the CLDR via Babel), lower-cased."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(base_language(lang))
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale).items():
                name = name.lower().rstrip(".")
                if len(name) >= 3:
                    names[name] = number
    return names


@lru_cache(maxsize=None)
def _patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    months = sorted(month_names(lang), key=len, reverse=True)
    month = "(?P<month>" + "|".join(re.escape(m) for m in months) + ")" if months else None
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|e|\.|º)?"
    year = r"(?P<year>\d{4})"
    patterns = []
    if month:
        patterns += [
            ("date", re.compile(rf"\b{day}\s+(?:of\s+|de\s+)?{month}(?:,?\s+(?:de\s+)?{year})?(?!\w)", re.I)),
            ("date", re.compile(rf"\b{month}\s+{day}(?:,?\s+{year})?(?!\w)", re.I)),
            ("date", re.compile(rf"\b{month}\s+{year}(?!\w)", re.I)),
        ]
    patterns += [
        # Chinese, Japanese and Korean dates: "2025年1月", "7月12日", "7월 12일".
        ("cjk-date", re.compile(r"(?<!\d)(?:(?P<year>\d{4})\s*[年년]\s*)?(?P<month>\d{1,2})\s*[月월]\s*(?:(?P<day>\d{1,2})\s*[日号號일])?")),
        ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<a>\d{1,2})-(?P<b>\d{1,2})\b")),
        ("numeric-date", re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>\d{4}|\d{2})\b")),
        ("time", re.compile(r"\b(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?:\s*(?P<ampm>[ap]\.?m\.?)(?!\w)|\s*(?:Uhr|h)\b)?", re.I)),
        ("clock", re.compile(r"\b(?P<hour>\d{1,2})\s*(?P<ampm>[ap]\.?m\.?)(?!\w)", re.I)),
        ("time-word", re.compile(r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\b")),
    ]
    return patterns


def _date_readings(day, month, year) -> set:
    """A date matches the same date with or without its year; its day also reads as a plain number, so a range
    matches whichever side names the month once ("12 to 14 July" = "7月12日至14日", "12. bis 14. Juli")."""
    years = {year, None} if year is not None else {None}
    return {("date", day, month, y) for y in years} | ({_value(day)} if day is not None else set())


def _hours(hour: int, ampm: str | None) -> set[int]:
    if ampm is None:
        return {hour}
    pm = ampm.lower().startswith("p")
    return {hour % 12 + (12 if pm else 0)}


def mentions(text: str, lang: str) -> list[Mention]:
    """Dates, times and plain numbers in `text`, left to right, without overlaps."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    months = month_names(lang)
    original, text = text, ascii_digits(text)

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, values: set, bare: set | None = None) -> None:
        found.append(Mention(start, end, original[start:end], frozenset(values), frozenset(bare) if bare else None))
        taken.append((start, end))

    for kind, pattern in _patterns(lang):
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            g = match.groupdict()
            year = int(g["year"]) if g.get("year") else None
            if year is not None and year < 100:
                year += 2000
            if kind in ("date", "cjk-date"):
                day = int(g["day"]) if g.get("day") else None
                month = months[g["month"].lower()] if kind == "date" else int(g["month"])
                if kind == "cjk-date" and day is None and year is None:
                    taken.append((match.start(), match.end()))  # "9月" alone is a month name, like "September"
                    continue
                if day is not None and not 1 <= day <= 31 or not 1 <= month <= 12:
                    continue
                add(match.start(), match.end(), _date_readings(day, month, year))
            elif kind in ("iso", "numeric-date"):
                a, b = int(g["a"]), int(g["b"])
                orders = [(b, a)] if kind == "iso" else [(a, b), (b, a)]
                values = set()
                for day, month in orders:
                    if 1 <= day <= 31 and 1 <= month <= 12:
                        values |= _date_readings(day, month, year)
                if values:
                    add(match.start(), match.end(), values)
            elif kind in ("time", "time-word"):
                hour, minute = int(g["hour"]), int(g["minute"])
                if hour > 24 or minute > 59:
                    continue
                if kind == "time-word" and not re.search(r"[:]", match.group()):
                    continue  # "10.30" alone is a decimal; it is a time only with "Uhr", "h" or a colon
                marked = match.group(0)
                if kind == "time" and not (":" in marked or g.get("ampm") or re.search(r"(Uhr|h)$", marked, re.I)):
                    continue
                add(match.start(), match.end(), {("time", h, minute) for h in _hours(hour, g.get("ampm"))})
            elif kind == "clock":
                hour = int(g["hour"])
                if 1 <= hour <= 12:
                    hours = _hours(hour, g["ampm"])
                    add(match.start(), match.end(), {_value(h) for h in hours} | {("time", h, 0) for h in hours})
    for match in scale_pattern(lang).finditer(text):
        unit = scale_of(match.group("unit"), lang)
        if unit and free(match.start(), match.end()) and _number_start(text, match.start()):
            values = readings(match.group("number"), lang)
            add(match.start(), match.end(), values | {_value(v * unit) for v in values if isinstance(v, float)}, values)
    for start, end, value in cjk_numerals(text):
        if free(start, end):
            add(start, end, {_value(value)})
    for match in re.finditer(rf"(?<![.,\d_]){NUMBER}", text):
        start, end = match.start(), match.end()
        if not _number_start(text, start):
            continue
        token = match.group().rstrip("".join(SPACE_GROUP))
        end = start + len(token)
        if free(start, end):
            values = readings(token, lang)
            clock = re.fullmatch(r"(\d{1,2})[.:](\d{2})", token)
            if clock and int(clock.group(1)) <= 24 and int(clock.group(2)) <= 59:
                values.add(("time", int(clock.group(1)), int(clock.group(2))))  # "12.39" is a time in German
            add(start, end, values)
    return sorted(found, key=lambda m: m.start)


def _number_start(text: str, start: int) -> bool:
    """A number starts here unless it is glued to a word of a spaced script ("COVID19", "A4"); in Chinese or
    Japanese a number follows a character directly ("共120人")."""
    import unicodedata

    before = text[start - 1] if start else " "
    return not before.isalpha() or unicodedata.east_asian_width(before) in ("W", "F")


def _match(source: list[Mention], target: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Pair compatible mentions; return the unmatched ones of each side."""
    left = list(target)
    missing = []
    for mention in source:
        partner = next((t for t in left if t.readings & mention.readings), None)
        if partner is None:
            missing.append(mention)
        else:
            left.remove(partner)
    return missing, left


def _show(mention: Mention) -> str:
    return mention.text


def _reading(mention: Mention) -> str:
    values = sorted(f"{v:g}" for v in mention.readings if isinstance(v, float))
    return " or ".join(values) or mention.text


@register
class NumberMismatch(Check):
    name = "number-mismatch"
    type = "number-mismatch"
    description = "numbers, dates and times of the source missing or changed in the translation (locale-aware)"
    needs_source = True
    severity = "Major"
    rules = {
        "numbers": ALL_LANGUAGES,
        "scale-words": Coverage("languages with CLDR compact number formats (Babel); myriad units 万/亿 everywhere",
                                lambda lang: bool(scale_words(lang))),
        "month-names": Coverage("languages with CLDR month names (Babel)", lambda lang: bool(month_names(lang))),
    }

    def run(self, document: Document):
        for index, source, target in document.pairs():
            if not source.strip() or not target.strip():
                continue
            missing, extra = _match(mentions(source, document.src_lang), mentions(target, document.tgt_lang))
            while missing and extra:
                was, now = missing.pop(0), extra.pop(0)
                note = f", which reads as {_reading(now)} in '{document.tgt_lang}'" if was.text == now.text else ""
                yield document.finding(self, index, now.start, now.end, f"source has {_show(was)!r} but the translation has {now.text!r}{note}")
            for mention in extra:
                if not mention.small:
                    yield document.finding(self, index, mention.start, mention.end, f"{mention.text!r} is not in the source")
            lost: dict[tuple[int, int], list[str]] = {}
            for mention in missing:
                if not mention.small:
                    lost.setdefault(document.counterpart(index, mention.start), []).append(repr(mention.text))
            for (start, end), texts in sorted(lost.items()):
                yield document.finding(self, index, start, end, "missing from the translation: " + ", ".join(texts))
