"""Doubled words ("am am"), repeated phrases and duplicated sentences (within a few segments).

Grammatical doublings are kept apart: a German relative pronoun before an article (", die die Studie
führte", ", für die die Regierung zahlt") — German relative clauses always follow a comma — and pairs
such as "that that", "had had", "nous nous". Repetitions the source has too are not reported."""
from __future__ import annotations

import re

from corpus.languages import base_language
from pipelines.checks.base import ALL_LANGUAGES, Check, Coverage, Document, register
from pipelines.checks.scripts import is_unspaced
from pipelines.checks.text import Token, normalize_space, prepositions, sentences, words

ALLOWED_DOUBLES = {
    "de": {"sie", "es"},
    "en": {"that", "had", "is"},
    "fr": {"nous", "vous"},
}
RELATIVE_DOUBLES = {"de": {"der", "die", "das", "den", "dem", "denen", "deren", "dessen"}}
MAX_PHRASE = 6
MIN_SENTENCE_WORDS = 5
NEARBY_SEGMENTS = 3  # a sentence repeated further away is more often a refrain than an artifact


def _whitespace_between(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start].isspace()


def _relative_clause_start(text: str, tokens: list[Token], i: int, lang: str) -> bool:
    """True when tokens[i] opens a relative clause: right after a comma, or after comma + preposition."""
    before = text[: tokens[i].start].rstrip()
    if before.endswith(","):
        return True
    if i > 0 and tokens[i - 1].lower in prepositions(lang):
        return text[: tokens[i - 1].start].rstrip().endswith(",")
    return False


def doubled_words(text: str, lang: str) -> list[tuple[int, int]]:
    lang = base_language(lang)
    tokens = words(text)
    spans = []
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if a.lower != b.lower or not _whitespace_between(text, a, b):
            continue
        if a.is_capitalized and b.is_capitalized:
            continue  # names: "Bora Bora", "Baden Baden"
        if a.lower in ALLOWED_DOUBLES.get(lang, ()):
            continue
        if a.lower in RELATIVE_DOUBLES.get(lang, ()) and _relative_clause_start(text, tokens, i, lang):
            continue
        spans.append((a.start, b.end))
    return spans


def repeated_phrases(text: str) -> list[tuple[int, int]]:
    """Immediately repeated runs of 2–6 words: "in ganz London in ganz London"."""
    tokens = words(text)
    lowered = [t.lower for t in tokens]
    spans = []
    i = 0
    while i < len(tokens):
        for n in range(MAX_PHRASE, 1, -1):
            if i + 2 * n <= len(tokens) and lowered[i : i + n] == lowered[i + n : i + 2 * n]:
                gap = text[tokens[i].start : tokens[i + 2 * n - 1].end]
                if not re.search(r"[.!?;:]", gap):
                    spans.append((tokens[i].start, tokens[i + 2 * n - 1].end))
                    i += 2 * n - 1
                    break
        i += 1
    return spans


def _norm(text: str) -> str:
    return normalize_space(re.sub(r"[^\w\s]", "", text.lower()))


@register
class Repetition(Check):
    name = "repetition"
    type = "repetition"
    description = "doubled words, repeated phrases and duplicated sentences"
    severity = "Minor"
    rules = {
        "doubled-words": Coverage("target languages that separate words with spaces", lambda lang: not is_unspaced(lang)),
        "duplicated-sentences": ALL_LANGUAGES,
    }

    def run(self, document: Document):
        seen: dict[str, int] = {}
        doubles = self.covers("doubled-words", document.src_lang, document.tgt_lang)
        for index, target in enumerate(document.target):
            source = document.source[index] if document.source is not None else None
            source_norm = _norm(source) if source else ""
            for start, end in doubled_words(target, document.tgt_lang) + repeated_phrases(target) if doubles else []:
                if source and doubled_words(source, document.src_lang) + repeated_phrases(source):
                    continue
                yield document.finding(self, index, start, end, f"repeated {target[start:end]!r}")
            for start, end in sentences(target, document.tgt_lang):
                key = _norm(target[start:end])
                if len(key.split()) < MIN_SENTENCE_WORDS:
                    continue
                if key in seen and index - seen[key] <= NEARBY_SEGMENTS:
                    earlier = seen[key]
                    if source is not None and document.source[earlier] is not None and _norm(document.source[earlier]) == source_norm:
                        continue  # the source repeats itself too
                    where = "earlier in this segment" if earlier == index else f"in segment {earlier}"
                    yield document.finding(self, index, start, end, f"this sentence duplicates one {where}")
                    continue
                seen[key] = index
