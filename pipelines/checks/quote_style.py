"""More than one quotation-mark style in a document (“…” next to „…“ or "…"), and quotations never closed.

Marks are paired across the whole document; a quotation left open at a paragraph end continues when the next
paragraph opens with the same mark (the multi-paragraph convention). When several styles occur, every
quotation not in the preferred style is reported at its opening mark: the preferred style is the most frequent
of the target language's conventions the document uses; if it uses none of them, every quotation is reported;
for a language without a known convention it is the most frequent style."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from corpus.languages import base_language
from pipelines.checks.base import Check, Document, register

MARKS = "„“”\"«»"
CLOSERS = {"„": "“”", "“": "”", "”": "”", '"': '"', "«": "»", "»": "«"}
DEFAULT_CLOSER = {"„": "“", "“": "”", "”": "”", '"': '"', "«": "»", "»": "«"}
CONVENTION = {
    "de": ("„“", "»«"), "en": ("“”",), "fr": ("«»",), "es": ("«»", "“”"), "it": ("«»", "“”"), "pt": ("“”", "«»"),
    "nl": ("“”", "„”"), "pl": ("„”",), "cs": ("„“",), "da": ("„“", "»«"), "sv": ("””",), "fi": ("””",),
    "ru": ("«»",), "uk": ("«»",), "hu": ("„”",), "ro": ("„”",), "bg": ("„“",), "hr": ("„“",), "sl": ("„“",),
}
NAMES = {"„“": "German „…“", "“”": "English “…”", '""': 'straight "…"', "«»": "«…»", "»«": "»…«", "„”": "„…”", "””": "”…”"}


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
    return not after.isspace() and (position == 0 or before.isspace() or before in "([{–—-/:")


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
            if mark in "“”\"" and not opens:
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

    def run(self, document: Document):
        found = quotations(document)
        styles = Counter(q.style for q in found)
        accepted: set[str] = set(styles)
        if len(styles) > 1:
            convention = CONVENTION.get(base_language(document.tgt_lang))
            used = [s for s in styles if convention and s in convention]
            if convention and not used:
                accepted = set()  # mixed, and none of them the target language's own
            else:
                pool = used or list(styles)
                accepted = {max(pool, key=lambda s: (styles[s], -pool.index(s)))}
        preferred = " or ".join(NAMES.get(s, s) for s in CONVENTION.get(base_language(document.tgt_lang), ())) if not accepted else None
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
