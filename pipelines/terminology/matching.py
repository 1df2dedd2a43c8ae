"""Finding terms in text. Modes:

- surface: case- and (by default) accent-insensitive substring, as the WMT scorers' surface test;
  finds terms inside compounds ("Speicher" in "Speicherressourcen") but also "Rat" in "Beratung";
- word-start: the same, but the match must begin at a word boundary (a hyphen counts) and may end
  inside a word, so inflected forms match ("Ausschuss" in "Ausschusses") and word-internal hits don't;
- word: whole words only;
- lemma: surface OR the term's lemma sequence in the text's lemma sequence, as the WMT25 scorer tests it
  (`"|||".join(term lemmas) in "|||".join(text lemmas)`: the first term word may end a text word, the last
  may begin one, a one-word term may sit inside a word); fails when no offline lemmatiser knows the language
  (see lemmatisers.py). Words are split at hyphens and apostrophes, so hyphenation does not matter
  ("Шнайдер-Электрика" is "Шнайдер Электрик" inflected) and an English possessive is a word of its own
  ("Schneider Electric's"); a word matches by any of its lemmas (every pymorphy3 analysis) or its own form;
- wmt25 (the default of `calque terms eval`): the same as lemma where a lemmatiser knows the language,
  and the same on the words' own forms where none does (the signature names the lemmatiser per language,
  or `none`).

Every match is reported as a character span of the original text, so overlapping renderings can be
resolved (the longest wins) and shown in context.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from corpus.errors import InputError
from pipelines.terminology.lemmatisers import base_language, lemmatiser_for, lemmatiser_name

MODES = ("wmt25", "surface", "word-start", "word", "lemma")
LEMMA_MODES = ("wmt25", "lemma")
# Words, split at hyphens and apostrophes; other punctuation stays a token, so "A, B" is not the term "A B".
_TOKEN = re.compile(r"\w+|[^\w\s\-‐‑'’]")


def _normalize_char(char: str, fold_accents: bool) -> str:
    text = unicodedata.normalize("NFKC", char).casefold()
    if fold_accents:
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text


def normalize_with_map(text: str, fold_accents: bool = True) -> tuple[str, list[int]]:
    """Normalised text (NFKC, casefolded, optionally accent-folded, whitespace runs as one space) and,
    for each normalised character, the index of the original character it came from."""
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not previous_space:
                out.append(" ")
                origin.append(index)
            previous_space = True
            continue
        previous_space = False
        for piece in _normalize_char(char, fold_accents):
            out.append(piece)
            origin.append(index)
    return "".join(out), origin


def normalize(text: str, fold_accents: bool = True) -> str:
    return " ".join(normalize_with_map(text, fold_accents)[0].split())


def lemmatizer_available() -> bool:
    try:
        import simplemma  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Matcher:
    mode: str = "surface"
    fold_accents: bool = True

    def __post_init__(self):
        if self.mode not in MODES:
            raise InputError(f"unknown match mode {self.mode!r}; known: {', '.join(MODES)}")

    @property
    def signature(self) -> str:
        return f"match:{self.mode}|case:insensitive|accents:{'folded' if self.fold_accents else 'kept'}"

    def lemmatisers(self, *langs: str | None) -> str | None:
        """Which lemmatiser each language gets in this mode, e.g. 'en=simplemma-2.0.0,ru=pymorphy3-2.0.6'."""
        if self.mode not in LEMMA_MODES:
            return None
        return ",".join(f"{base_language(lang) or '?'}={lemmatiser_name(lang)}" for lang in dict.fromkeys(langs))

    def check_language(self, lang: str | None) -> None:
        """Lemma mode needs a lemmatiser for the language; a term that cannot be checked must not
        silently pass, so this fails loudly instead (wmt25 mode, also without a language, falls back to
        surface matching and its signature says `none`)."""
        if self.mode != "lemma":
            return
        if not lemmatizer_available():
            raise InputError("lemma matching needs simplemma (pip install simplemma); use --match surface")
        if not lang:
            raise InputError("lemma matching needs the language (give --langs SRC-TGT)")
        if lemmatiser_for(lang) is None:
            raise InputError(f"no lemmatizer for language {lang!r} offline; use --match wmt25 or surface")

    def spans(self, text: str, term: str, lang: str | None = None) -> list[tuple[int, int]]:
        """Character spans of `term` in `text` (may overlap each other)."""
        found = set(self._surface_spans(text, term))
        if self.mode in LEMMA_MODES:
            found.update(self._lemma_spans(text, term, lang))
        return sorted(found)

    def contains(self, text: str, term: str, lang: str | None = None) -> bool:
        if self.mode not in LEMMA_MODES:
            return bool(self._surface_spans(text, term, first_only=True))
        return bool(self._surface_spans(text, term, first_only=True) or self._lemma_spans(text, term, lang))

    def contains_any(self, text: str, terms: Iterable[str], lang: str | None = None) -> str | None:
        for term in terms:
            if self.contains(text, term, lang):
                return term
        return None

    def _surface_spans(self, text: str, term: str, first_only: bool = False) -> list[tuple[int, int]]:
        needle = normalize(term, self.fold_accents)
        if not needle:
            return []
        haystack, origin = _normalized(text, self.fold_accents)
        spans = []
        start = haystack.find(needle)
        while start >= 0:
            end = start + len(needle)
            if self.mode in ("surface", *LEMMA_MODES) or _word_start(haystack, start) and (
                self.mode == "word-start" or _word_end(haystack, end)
            ):
                spans.append((origin[start], origin[end - 1] + 1))
                if first_only:
                    break
            start = haystack.find(needle, start + 1)
        return spans

    def _lemma_spans(self, text: str, term: str, lang: str | None) -> list[tuple[int, int]]:
        lang = base_language(lang)
        if lemmatiser_for(lang) is None and self.mode != "wmt25":
            return []
        term_forms = [forms for forms, _, _ in _lemma_tokens(term, lang, self.fold_accents)]
        if not term_forms:
            return []
        tokens = _lemma_tokens(text, lang, self.fold_accents)
        n = len(term_forms)
        return [(tokens[i][1], tokens[i + n - 1][2]) for i in range(len(tokens) - n + 1)
                if _sequence_at(term_forms, [forms for forms, _, _ in tokens[i : i + n]])]


def word_end(text: str, end: int) -> int:
    """The end of the word that a match ending at `end` stops inside (for showing inflected forms)."""
    while end < len(text) and _word_char(text[end]):
        end += 1
    return end


def _word_start(text: str, start: int) -> bool:
    return start == 0 or not _word_char(text[start - 1])


def _word_end(text: str, end: int) -> bool:
    return end == len(text) or not _word_char(text[end])


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=4096)
def _normalized(text: str, fold_accents: bool) -> tuple[str, list[int]]:
    return normalize_with_map(text, fold_accents)


@lru_cache(maxsize=4096)
def _lemma_tokens(text: str, lang: str, fold_accents: bool) -> list[tuple[frozenset[str], int, int]]:
    """Each word's forms (its lemmas and itself, normalised) and its span; without a lemmatiser, itself."""
    lemmatiser = lemmatiser_for(lang)
    tokens = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        lemmas = lemmatiser.lemmas(word) if lemmatiser is not None else frozenset()
        forms = frozenset(normalize(form, fold_accents) for form in {word, *lemmas}) - {""}
        tokens.append((forms or frozenset({word}), m.start(), m.end()))
    return tokens


def _sequence_at(term: list[frozenset[str]], text: list[frozenset[str]]) -> bool:
    """The WMT25 scorer's substring test on joined lemmas, word by word: one term word inside a text word; or
    the first ending a text word, the middle ones equal, the last beginning a text word."""
    if len(term) == 1:
        return any(a in b for a in term[0] for b in text[0])
    if not any(b.endswith(a) for a in term[0] for b in text[0]):
        return False
    if not any(b.startswith(a) for a in term[-1] for b in text[-1]):
        return False
    return all(a & b for a, b in zip(term[1:-1], text[1:-1]))


def non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the longest spans first, dropping any that overlap a longer one already kept (so
    'Kommissar' inside 'Kommissar für Überwachungskameras' is not counted twice). Identical spans
    with different labels (one form shared by two concepts) are all kept."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted({(s, e) for s, e, _ in spans}, key=lambda se: (se[0] - se[1], se[0])):
        if all(end <= k[0] or start >= k[1] for k in kept):
            kept.append((start, end))
    chosen = set(kept)
    return sorted(span for span in spans if (span[0], span[1]) in chosen)
