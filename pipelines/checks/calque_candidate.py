"""Seed-type calque candidates without a catalogue: hyphenated compounds whose parts are common words of the
target language but whose whole is unattested ("Knie-Ruck-Reaktion" for "knee-jerk reaction").

A word qualifies when it has at least two lexical parts (three letters or more, not acronyms or numbers), every
lexical part is common in the target language (wordfreq Zipf ≥ 3, about once per million words) and is a word of
the target language rather than a loan from the source language (not more frequent in the source language's
list: "Power-Taste", "Online-Leben", "Covid-Ausbruch" are ordinary loan compounds, not calques), and neither the
parts written together ("knieruckreaktion") nor any two neighbouring parts written together are attested in
the target language's word list. Established compounds written with a hyphen ("Corona-Pandemie", since
"coronapandemie" is attested) and compounds with a name or acronym plus one word ("CCTV-Kamera",
"Hikvision-Geräte") do not qualify. Findings are candidates for a human to confirm: severity Minor, finding type
`calque-candidate`, artifact type `calque` in the corpus. Covers the target languages wordfreq has lists for (42).
"""
from __future__ import annotations

import re

from pipelines.checks import wordfreqs
from pipelines.checks.base import Check, Coverage, Document, register
from pipelines.checks.text import words

COMMON_PART = 3.0
MIN_PART_LETTERS = 3
MIN_LEXICAL_PARTS = 2
HYPHENS = re.compile(r"[-‐‑]")


def _lexical(part: str) -> bool:
    """A word part, not an acronym ("CCTV"), a brand in mixed case ("eBay", "macOS") or a number."""
    return len(part) >= MIN_PART_LETTERS and part.isalpha() and part[1:].islower()


def candidate(word: str, lang: str, src_lang: str | None = None) -> bool:
    parts = HYPHENS.split(word)
    if len(parts) < 2 or not all(parts):
        return False
    lexical = [part for part in parts if _lexical(part)]
    if len(lexical) < MIN_LEXICAL_PARTS or len(lexical) < len(parts) - 1:
        return False
    if any(wordfreqs.zipf(part, lang) < COMMON_PART for part in lexical):
        return False
    if src_lang and wordfreqs.covers(src_lang) and src_lang.split("-")[0] != lang.split("-")[0]:
        if any(wordfreqs.zipf(part, src_lang) > wordfreqs.zipf(part, lang) for part in lexical):
            return False
    joined = ["".join(lexical)] + ["".join(pair) for pair in zip(lexical, lexical[1:])]
    return all(wordfreqs.zipf(form, lang) == 0.0 for form in dict.fromkeys(joined))


@register
class CalqueCandidate(Check):
    name = "calque-candidate"
    type = "calque-candidate"
    description = "hyphenated compounds of common words whose whole is unattested (word frequencies): possible calques"
    severity = "Minor"
    rules = {"hyphenated-compounds": Coverage("target languages with wordfreq lists (42)", wordfreqs.covers)}

    def run(self, document: Document):
        if not self.covers("hyphenated-compounds", document.src_lang, document.tgt_lang):
            return
        for index, text in enumerate(document.target):
            for token in words(text):
                if "-" in token.text or "‐" in token.text or "‑" in token.text:
                    if candidate(token.text, document.tgt_lang, document.src_lang):
                        yield document.finding(
                            self, index, token.start, token.end,
                            f"{token.text!r}: common words joined into a compound the language does not use; a calque?",
                            artifact_type="calque",
                        )
