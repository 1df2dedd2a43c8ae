"""Sentence-split debris: a sentence that starts in lower case after a full stop ("installieren. laut dem
Outlet IPVM"), a segment that starts in lower case (both for scripts with letter case only), a segment that
starts with a comma, full stop or closing bracket of any script ("，然后", "، ثم", ". und dann"), and
attributions cut off as sentences of their own ("Reuters berichtete.")."""
from __future__ import annotations

import re

from corpus.languages import base_language
from pipelines.checks.base import ALL_LANGUAGES, Check, Coverage, Document, languages, register
from pipelines.checks.scripts import is_cased
from pipelines.checks.text import abbreviations, function_words, sentences, words

# A full stop, then a lower-case word. After "?" or "!", and after a closing quotation mark, lower case goes on
# legitimately („Warum?“, fragte er).
LOWER_START = re.compile(r"(?P<stop>\.)(?P<space>\s+)(?P<word>[^\W\d_][\w'’-]*)")
REPORTING_VERBS = {
    "de": {"berichtete", "berichtet", "sagte", "sagt", "schrieb", "meldete", "meldet", "erklärte", "zitierte"},
    "en": {"reported", "reports", "said", "says", "wrote", "told"},
    "fr": {"rapporte", "écrit", "indique", "affirme"},
    "es": {"informó", "dijo", "escribió"},
}
# Marks a sentence cannot start with, in any script: what is left when a split falls just before them.
LEADING_DEBRIS = re.compile(r"^\s*[,，、،.。;；)）\]］」』》]")
MONTH_ABBREVIATIONS = set("jan feb mar apr jun jul aug sep sept oct okt nov dec dez".split())


def _is_abbreviation(text: str, stop: int, lang: str) -> bool:
    """Whether the full stop at `stop` ends an abbreviation or an ordinal rather than a sentence."""
    before = re.search(r"(\S+)$", text[:stop])
    if before is None:
        return False
    token = before.group(1).lstrip("(\"'„“«»").lower()
    if not token or token.isdigit() or len(token) == 1 or "." in token:
        return True  # "8." (German ordinal), "z. B.", "z.B.", "U.S."
    if text[max(0, stop - 2) : stop + 1] in ("..", "…."):
        return True
    return token in abbreviations(lang) or token in MONTH_ABBREVIATIONS


def _lower_word(word: str) -> bool:
    return word[:1].islower() and not any(c.isupper() for c in word[1:])  # "iPhone", "eBay" are names


def _debris_end(text: str, start: int) -> int:
    """Where a debris phrase starting at `start` ends: the next punctuation mark or the segment end."""
    match = re.compile(r"[,;:.!?(\"„“”»«]").search(text, start)
    end = match.start() if match else len(text)
    return len(text[:end].rstrip())


@register
class Segmentation(Check):
    name = "segmentation"
    type = "segmentation"
    description = "sentence-split debris: lower-case or punctuation sentence starts and orphaned attributions"
    severity = "Minor"
    rules = {
        "leading-punctuation": ALL_LANGUAGES,
        "lower-case-start": Coverage("target languages written in a cased script (Latin, Cyrillic, Greek, Armenian…)",
                                     is_cased),
        "orphaned-attribution": languages(REPORTING_VERBS, "reporting-verb lists for"),
    }

    def run(self, document: Document):
        lang = base_language(document.tgt_lang)
        cased = is_cased(document.tgt_lang)
        previous = None
        for index, text in enumerate(document.target):
            if not text.strip():
                continue
            debris = LEADING_DEBRIS.match(text)
            source = document.source[index] if document.source is not None else None
            if debris and not (source and LEADING_DEBRIS.match(source)) and not text.lstrip().startswith(("...", "…")):
                start = debris.end() - 1
                yield document.finding(self, index, start, debris.end(),
                                       f"segment starts with {text[start]!r}: split from the previous sentence")
            if not cased:
                previous = text
                continue
            for match in LOWER_START.finditer(text):
                word = match.group("word")
                if match.group("stop") == "." and text[max(0, match.start() - 2) : match.start()] == "..":
                    continue
                if not _lower_word(word) or _is_abbreviation(text, match.start(), lang):
                    continue
                start = match.start("word")
                yield document.finding(
                    self, index, start, _debris_end(text, start),
                    "sentence starts in lower case after a full stop: a split sentence",
                )
            first = words(text)[:1]
            source = document.source[index] if document.source is not None else None
            source_words = words(source) if source else []
            source_lower = bool(source_words) and _lower_word(source_words[0].text) and source_words[0].start == len(source) - len(source.lstrip())
            if previous is not None and not source_lower and first and first[0].start == len(text) - len(text.lstrip()) and _lower_word(first[0].text):
                yield document.finding(
                    self, index, first[0].start, _debris_end(text, first[0].start),
                    "segment starts in lower case: the sentence was split from the previous segment",
                )
            yield from self._orphaned_attributions(document, index, text, lang)
            previous = text

    def _orphaned_attributions(self, document: Document, index: int, text: str, lang: str):
        verbs = REPORTING_VERBS.get(lang, set())
        spans = sentences(text, document.tgt_lang)
        if len(spans) < 2:
            return
        for start, end in spans[1:]:
            tokens = words(text[start:end])
            if not 2 <= len(tokens) <= 3 or tokens[-1].lower not in verbs:
                continue
            if tokens[0].lower in function_words(lang) or not tokens[0].is_capitalized:
                continue  # "Er sagte." is a sentence; "Reuters berichtete." is a cut-off attribution
            yield document.finding(
                self, index, start + tokens[0].start, start + tokens[-1].end,
                "an attribution stands as a sentence of its own: it was split from the previous sentence",
            )
