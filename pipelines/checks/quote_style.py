"""More than one quotation-mark style in a document (“…” next to „…“ or "…"), and quotations never closed.

Marks are paired across the whole document; a quotation left open at a paragraph end continues when the next
paragraph opens with the same mark (the multi-paragraph convention). When several styles occur, every
quotation not in the preferred style is reported at its opening mark: the preferred style is the most frequent
of the target language's conventions the document uses; if it uses none of them, every quotation is reported;
for a language without a known convention it is the most frequent style.

A language's conventions are CLDR's quotation delimiters for it (primary and alternate, data/cldr_quotes.json,
read from ICU's CLDR because Babel does not carry them): „…“ for German, «…» for Russian, 「…」 for Japanese and
Traditional Chinese, “…” for Simplified Chinese, ”…“ for Arabic; plus the typographic traditions CLDR lists
only for some locales (TRADITIONS: German and Danish »…«, Spanish and Portuguese «…»). Single quotation marks
are not judged (they double as apostrophes). Covers every language CLDR has delimiters for (275 locales).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.languages import base_language
from pipelines.checks.base import Check, Coverage, Document, register

MARKS = "„“”\"«»「」『』"
CLOSERS = {"„": "“”", "“": "”", "”": "”“", '"': '"', "«": "»", "»": "«", "「": "」", "『": "』"}
DEFAULT_CLOSER = {"„": "“", "“": "”", "”": "”", '"': '"', "«": "»", "»": "«", "「": "」", "『": "』"}
OPEN_ANYWHERE = "「『"  # marks that only ever open
TRADITIONS = {
    "de": ("»«",), "da": ("„“", "»«"), "es": ("«»",), "pt": ("«»",), "it": ("“”",), "nl": ("“”", "„”"),
    "fr": ("“”",), "en": ("“”",),
}
NAMES = {"„“": "German „…“", "“”": "English “…”", '""': 'straight "…"', "«»": "«…»", "»«": "»…«", "„”": "„…”",
         "””": "”…”", "「」": "「…」", "『』": "『…』", "”“": "”…“"}
CLDR_QUOTES = Path(__file__).with_name("data") / "cldr_quotes.json"


@lru_cache(maxsize=1)
def _cldr() -> dict[str, dict[str, str]]:
    return json.loads(CLDR_QUOTES.read_text("utf-8"))["locales"]


def _double(style: str) -> bool:
    return len(style) == 2 and all(mark in MARKS for mark in style)


@lru_cache(maxsize=None)
def conventions(lang: str) -> tuple[str, ...]:
    """The double-quotation styles the target language uses (CLDR first, then typographic traditions)."""
    table = _cldr()
    code = lang.replace("_", "-")
    entry = table.get(code) or table.get("-".join(code.split("-")[:2])) or table.get(base_language(code))
    styles: list[str] = []
    if entry:
        styles += [entry["quote"], entry["alternate"]]
    styles += TRADITIONS.get(base_language(code), ())
    return tuple(dict.fromkeys(style for style in styles if _double(style)))


def _has_convention(lang: str) -> bool:
    return bool(conventions(lang))


@dataclass
class Quotation:
    opener: str
    openings: list[tuple[int, int]] = field(default_factory=list)  # (segment, offset) of each opening mark
    closer: str | None = None

    @property
    def style(self) -> str:
        return self.opener + (self.closer or DEFAULT_CLOSER[self.opener])


def _can_open(text: str, position: int) -> bool:
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if text[position] in OPEN_ANYWHERE:
        return True
    # Scripts written without spaces (Chinese, Japanese) open a quotation right after a character.
    return not after.isspace() and (position == 0 or before.isspace() or before in "([{–—-/:：，、。" or _unspaced(before))


def _unspaced(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha()


def quotations(document: Document) -> list[Quotation]:
    """Every quotation of the document, in order. A quotation still open at the end of a segment runs on
    (a quoted passage of several sentences or lines) until a closing mark; it stays unclosed when a new
    quotation opens first. A paragraph that starts with the same opening mark continues it."""
    found: list[Quotation] = []
    current: Quotation | None = None
    previous_paragraph = None
    for index, text in enumerate(document.target):
        if not text.strip():
            continue
        start = len(text) - len(text.lstrip())
        paragraph = document.paragraph(index)
        new_paragraph, previous_paragraph = paragraph != previous_paragraph, paragraph
        if current is not None and new_paragraph and text[start] == current.opener:
            current.openings.append((index, start))  # the next paragraph of the same quotation
            start += 1
        for position in range(start, len(text)):
            mark = text[position]
            if mark not in MARKS:
                continue
            opens = _can_open(text, position)
            if current is not None and mark in CLOSERS[current.opener] and not (opens and position == start and new_paragraph):
                current.closer = mark
                current = None
                continue
            if mark in "“”\"" and not opens or mark in "」』":
                continue  # a closing mark with nothing open
            current = Quotation(mark, [(index, position)])
            found.append(current)
    return found


@register
class QuoteStyle(Check):
    name = "quote-style"
    type = "quote-style"
    description = "quotation-mark styles mixed within a document, and quotations never closed"
    document_level = True
    severity = "Minor"
    rules = {
        "unclosed": Coverage("all languages and scripts"),
        "mixed-styles": Coverage("target languages with CLDR quotation delimiters (275 locales); elsewhere the "
                                 "most frequent style is taken as preferred", _has_convention),
    }

    def run(self, document: Document):
        found = quotations(document)
        styles = Counter(q.style for q in found)
        accepted: set[str] = set(styles)
        if len(styles) > 1:
            convention = conventions(document.tgt_lang)
            used = [s for s in styles if convention and s in convention]
            if convention and not used:
                accepted = set()  # mixed, and none of them the target language's own
            else:
                pool = used or list(styles)
                accepted = {max(pool, key=lambda s: (styles[s], -pool.index(s)))}
        preferred = " or ".join(NAMES.get(s, s) for s in conventions(document.tgt_lang)) if not accepted else None
        for quotation in found:
            if quotation.closer is None:
                for segment, offset in quotation.openings:
                    yield document.finding(self, segment, offset, offset + 1, f"quotation opened with {quotation.opener} is never closed")
            elif quotation.style not in accepted:
                segment, offset = quotation.openings[0]
                expected = preferred or NAMES.get(next(iter(accepted)), "")
                yield document.finding(
                    self, segment, offset, offset + 1,
                    f"{NAMES.get(quotation.style, quotation.style)} quotation marks in a document that mixes "
                    f"{len(styles)} styles; expected {expected}",
                )
