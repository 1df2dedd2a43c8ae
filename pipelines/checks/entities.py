"""Names of the source altered or missing in the translation.

A source word counts as a name when it is capitalised inside a sentence (or an acronym or CamelCase word
anywhere), at least three letters long, never written in lower case in the source document (so not a common
noun in a title, like "City" in "Portmere City Council"), not a month, weekday, country, language or city
name (those are translated: "Moscow" → "Moskau"; CLDR via Babel) and not a plainly source-language word
("Commissioner", "Council"; "ANY" in capitals). A word opening a sentence counts only when it opens a run of
capitalised words and is no common word of the source language ("Marcus Reid, the club's chairman, …"; common
words as below). A run of capitalised words made mostly of common words of the
source language names an institution, office or organisation, which translations translate ("Supreme Court" →
"Oberster Gerichtshof", "World Health Organization" → "Organización Mundial de la Salud"): none of its words is
demanded, missing or altered. Common words are those ten times more frequent in the source language than in the
median language of its script (wordfreq lists: 37 source languages, all but Greek, Hebrew, Hindi, Bengali and
Tamil, whose script no other list shares; elsewhere every name is demanded). Names are reported missing only when they stand in a run of
two or more capitalised words ("Aileen Marsh", "Marcus Reid") and the translation keeps no word of that run:
single capitalised words are too often translated ("Soviet", "eReader"), and "Wladimir Putin" keeps "Putin".
A name is present when the translation has it as a word, inflected ("Hallbergs") or in a compound
("Hikvision-Geräte"), ignoring hyphens ("E-Reader"), or shares most of its beginning ("Universität" for
"University"). A similar word in its place is reported as altered ("Tugendhut" for "Tugendhat") unless it is
a transliteration, an inflection or the same letters without accents ("Lukaschenko", "Wladimir", "Hebriden",
"Réserve").
"""
from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from functools import lru_cache

from corpus.languages import base_language
from pipelines.checks import language, wordfreqs
from pipelines.checks.base import Check, Coverage, Document, register
from pipelines.checks.scripts import is_cased, language_scripts
from pipelines.checks.text import Token, function_words, sentences, words

LETTER = r"[^\W\d_]"
CAMEL_OR_DIGITS = re.compile(r"^(?:[A-Z]?[a-z]+[A-Z]\w*|(?=.*\d)(?=.*[A-Za-z])\w+)$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,}$")
MIN_NAME = 3
MIN_COMPOUND_PART = 5
SOURCE_WORD_EVIDENCE = 6.0
TITLE_CASE = 0.6  # a source segment with this share of capitalised words is a headline or product title
SHARED_PREFIX = 0.7
MIN_SHARED_PREFIX = 5
SIMILAR = 0.8


@lru_cache(maxsize=None)
def translated_names(lang: str) -> frozenset[str]:
    """Lower-cased words of month, weekday, territory, language and major city names in `lang` (CLDR via
    Babel, and the time-zone database)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(base_language(lang))
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names: set[str] = set()
    # Cities of the time-zone database ("Europe/Moscow") stand for the big cities with exonyms.
    cities = {zone: zone.split("/")[-1].replace("_", " ") for zone in zoneinfo.available_timezones()}
    tables = [locale.territories, locale.languages, cities]
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


def expected_names(segment: str, document_text: str, src_lang: str, tgt_lang: str) -> list[tuple[Token, int | None]]:
    """Names of a source segment, each with the number of its run of capitalised words (None for a word
    standing alone, which is never reported missing)."""
    lower_vocabulary = {w.lower() for w in re.findall(rf"{LETTER}+", document_text) if w.islower()}
    sentence_starts = {start for start, _ in sentences(segment, src_lang)}
    stop_words = function_words(src_lang)
    skip = translated_names(src_lang)
    tokens = words(segment)
    run_of: list[int | None] = []
    run = -1
    for n, token in enumerate(tokens):
        joined = n > 0 and tokens[n - 1].is_capitalized and segment[tokens[n - 1].end : token.start].strip() == ""
        if token.is_capitalized and token.lower not in stop_words:
            run += 0 if joined and run_of[-1] is not None else 1
            run_of.append(run)
        else:
            run_of.append(None)
    sizes = {r: run_of.count(r) for r in set(run_of) if r is not None}
    translatable = translatable_runs(tokens, run_of, src_lang)
    common = wordfreqs.specific_words(src_lang)
    names: list[tuple[Token, int | None]] = []
    for token, token_run in zip(tokens, run_of):
        if token_run in translatable:
            continue
        initial = any(0 <= token.start - start <= 2 and not segment[start:token.start].strip("\"'“‘„«([ ") for start in sentence_starts)
        # A capitalised word opening a sentence may be any word, but one that opens a run of capitalised words and
        # is no common word of the source language is a first name ("Marcus Reid, the club's chairman, …").
        first = re.sub(r"['’]s$", "", token.lower)
        initial = initial and not (common and sizes.get(token_run, 0) >= 2 and first not in common)
        for part in _parts(token):
            text = part.text
            if len(text) < MIN_NAME or text.lower() in stop_words or text.lower() in skip:
                continue
            special = bool(CAMEL_OR_DIGITS.match(text)) and not text.isdigit()
            if not special and (initial and not ACRONYM.match(text) or not text[0].isupper() or text.lower() in lower_vocabulary):
                continue
            if language.preference(f" {text} ", src_lang, tgt_lang) >= SOURCE_WORD_EVIDENCE:
                continue
            names.append((part, token_run))
    # A run reports missing names only when it holds two or more of them ("Aileen Marsh"), and not in
    # title-cased text, where every noun is capitalised ("Replaceable Steel Blades").
    expected = {r: sum(1 for _, run in names if run == r) for r in sizes}
    capitalised = sum(t.is_capitalized for t in tokens) / max(len(tokens), 1)
    return [(name, run if run is not None and expected[run] >= 2 and capitalised < TITLE_CASE else None) for name, run in names]


def translatable_runs(tokens: list[Token], run_of: list[int | None], src_lang: str) -> set[int]:
    """Runs of capitalised words made mostly of common words of the source language ("Supreme Court", "World
    Health Organization", "Foreign Office"): names that a translation translates, so none is demanded verbatim.
    A word is a common word when wordfreq's lists say it is ten times more frequent in the source language than
    in the median language of its script (wordfreqs.specific_words); personal names are not ("Marcus Reid")."""
    common = wordfreqs.specific_words(src_lang)
    members: dict[int, list[Token]] = {}
    for token, run in zip(tokens, run_of):
        if run is not None:
            members.setdefault(run, []).append(token)
    return {run for run, run_tokens in members.items()
            if 2 * sum(re.sub(r"['’]s$", "", token.lower) in common for token in run_tokens) > len(run_tokens)}


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


TRANSLITERATION = [("tsch", "ch"), ("sch", "sh"), ("sc", "sh"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("w", "v"), ("c", "k"),
                   ("z", "s"), ("j", "y"), ("ou", "u"), ("ä", "a"), ("ö", "o"), ("ü", "u")]
INFLECTIONS = ("", "s", "n", "en", "e", "es", "er", "ern", "ens")


def _spelling_variant(name: str, word: str) -> bool:
    """True when `word` is `name` transliterated ("Wladimir", "Smoljan") or inflected ("Instituts", "Hebriden")."""
    def normal(text: str) -> str:
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        for old, new in TRANSLITERATION:
            text = text.replace(old, new)
        return text

    a, b = normal(name.lower()), normal(word.lower())
    if a == b or _is_subsequence(*sorted((a, b), key=len)):
        return True
    return any(b == a[: len(a) - cut] + ending for cut in (0, 1, 2) for ending in INFLECTIONS)


def _present(name: str, target: str, target_words: list[str]) -> bool:
    pattern = rf"(?<!{LETTER}){re.escape(name)}{LETTER}{{0,3}}(?!{LETTER})"
    if re.search(pattern, target, re.IGNORECASE):
        return True
    if len(name) >= MIN_COMPOUND_PART and name.lower() in target.lower():
        return True  # inside a compound: "Nobel" in "Friedensnobelpreis"
    lowered = name.lower().replace("-", "")
    if any(lowered == word.replace("-", "") or word.replace("-", "").startswith(lowered) for word in target_words):
        return True
    for word in target_words:
        if len(word) == len(lowered) and sum(a != b for a, b in zip(word, lowered)) == 1:
            continue  # one letter changed is a misspelt name ("Tugendhut"), not a translated one
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
    rules = {
        "names": Coverage("source languages in a cased script, with targets sharing a script with the source "
                          "(names transliterated into another script are not compared)",
                          source=is_cased, pair=lambda src, tgt: bool(language_scripts(src) & language_scripts(tgt))),
    }

    def run(self, document: Document):
        if not self.covers("names", document.src_lang, document.tgt_lang):
            return
        document_text = document.source_text or ""
        for index, source, target in document.pairs():
            if not source.strip() or not target.strip():
                continue
            target_tokens = [t for p in words(target) for t in _parts(p)]
            target_words = [t.lower for t in words(target)] + [t.lower for t in target_tokens]
            names = expected_names(source, document_text, document.src_lang, document.tgt_lang)
            similar = {name.start: [t for t in target_tokens if t.is_capitalized and len(t.text) >= 4
                                    and difflib.SequenceMatcher(None, name.lower, t.lower).ratio() >= SIMILAR]
                       for name, _ in names}
            present = {name.start for name, _ in names
                       if _present(name.text, target, target_words) or any(_spelling_variant(name.text, t.text) for t in similar[name.start])}
            runs_kept = {run for name, run in names if run is not None and name.start in present}
            missing: dict[tuple[int, int], list[str]] = {}
            for name, run in names:
                if name.start in present:
                    continue
                if similar[name.start]:
                    t = similar[name.start][0]
                    yield document.finding(self, index, t.start, t.end, f"name {name.text!r} of the source is written {t.text!r}")
                    continue
                if run is None or run in runs_kept:
                    continue  # a word standing alone, or part of a name that the translation keeps
                listed = missing.setdefault(document.counterpart(index, name.start), [])
                if name.text not in listed:
                    listed.append(name.text)
            for (start, end), listed in sorted(missing.items()):
                yield document.finding(self, index, start, end, "name(s) of the source missing: " + ", ".join(listed))
