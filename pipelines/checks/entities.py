"""Names of the source altered or missing in the translation.

A source word counts as a name when it is an acronym or CamelCase ("IPVM", "DeciBot"), or when it is
capitalised inside a sentence, never written in lower case in the source document (so not a common noun in a
title, like "City" in "Portmere City Council"), not a month, weekday, country or language name (those are
translated; CLDR via Babel) and not a plainly source-language word ("Commissioner", "Council").
A name is present when the translation has it as a word, inflected ("Hallbergs") or in a compound
("Hikvision-Geräte"), or shares most of its beginning ("Universität" for "University").
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

from corpus.languages import base_language
from pipelines.checks import language
from pipelines.checks.base import Check, Document, register
from pipelines.checks.text import Token, function_words, sentences, words

LETTER = r"[^\W\d_]"
STRONG = re.compile(r"^(?:[A-Z][A-Z0-9&]{2,}|[A-Z]?[a-z]+[A-Z]\w*|(?=.*\d)(?=.*[A-Za-z])[\w]+)$")
SOURCE_WORD_EVIDENCE = 5.0
SHARED_PREFIX = 0.7
MIN_SHARED_PREFIX = 5
SIMILAR = 0.8


@lru_cache(maxsize=None)
def translated_names(lang: str) -> frozenset[str]:
    """Lower-cased words of month, weekday, territory and language names in `lang` (CLDR via Babel)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(base_language(lang))
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names: set[str] = set()
    tables = [locale.territories, locale.languages]
    for width in ("wide", "abbreviated"):
        tables.append(locale.months["format"][width])
        tables.append(locale.days["format"][width])
    for table in tables:
        for name in table.values():
            names.update(w.lower() for w in re.findall(r"\w+", name))
    return frozenset(names)


def _parts(token: Token) -> list[Token]:
    """Split "Hikvision-branded" into parts and drop a possessive "'s"."""
    parts = []
    for match in re.finditer(r"[^\W_][\w]*", token.text):
        text = re.sub(r"['’]s$", "", match.group())
        parts.append(Token(token.start + match.start(), token.start + match.start() + len(text), text))
    return parts


def expected_names(segment: str, document_text: str, src_lang: str, tgt_lang: str) -> list[Token]:
    lower_vocabulary = {w.lower() for w in re.findall(rf"{LETTER}+", document_text) if w.islower()}
    sentence_starts = {start for start, _ in sentences(segment, src_lang)}
    stop_words = function_words(src_lang)
    skip = translated_names(src_lang)
    names: list[Token] = []
    for token in words(segment):
        initial = any(0 <= token.start - start <= 2 and not segment[start:token.start].strip("\"'“‘„«([ ") for start in sentence_starts)
        for part in _parts(token):
            text = part.text
            if len(text) < 2 or text.lower() in stop_words:
                continue
            if STRONG.match(text) and not text.isdigit():
                names.append(part)
                continue
            if initial or not text[0].isupper() or text.lower() in lower_vocabulary or text.lower() in skip:
                continue
            if language.preference(f" {text} ", src_lang, tgt_lang) >= SOURCE_WORD_EVIDENCE:
                continue
            names.append(part)
    return names


def _present(name: str, target: str, target_words: list[str]) -> bool:
    pattern = rf"(?<!{LETTER}){re.escape(name)}{LETTER}{{0,3}}(?!{LETTER})"
    if re.search(pattern, target, re.IGNORECASE):
        return True
    lowered = name.lower()
    for word in target_words:
        shared = len(_common_prefix(lowered, word))
        if shared >= MIN_SHARED_PREFIX and shared >= SHARED_PREFIX * len(lowered):
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@register
class EntityMismatch(Check):
    name = "entity-mismatch"
    type = "entity-mismatch"
    description = "names of the source (people, places, organisations, acronyms) altered or missing"
    needs_source = True
    severity = "Major"

    def run(self, document: Document):
        document_text = document.source_text or ""
        for index, source, target in document.pairs():
            if not source.strip() or not target.strip():
                continue
            target_tokens = [t for p in words(target) for t in _parts(p)]
            target_words = [t.lower for t in target_tokens]
            missing: dict[tuple[int, int], list[str]] = {}
            for name in expected_names(source, document_text, document.src_lang, document.tgt_lang):
                if _present(name.text, target, target_words):
                    continue
                similar = [t for t in target_tokens if t.is_capitalized and len(t.text) >= 4
                           and difflib.SequenceMatcher(None, name.lower, t.lower).ratio() >= SIMILAR]
                if similar:
                    t = similar[0]
                    yield document.finding(self, index, t.start, t.end, f"name {name.text!r} of the source is written {t.text!r}")
                    continue
                names = missing.setdefault(document.counterpart(index, name.start), [])
                if name.text not in names:
                    names.append(name.text)
            for (start, end), names in sorted(missing.items()):
                yield document.finding(self, index, start, end, "name(s) of the source missing: " + ", ".join(names))
