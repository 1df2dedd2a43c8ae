"""Offline lemmatisers, chosen per language, that ship their data (no model download):

- simplemma: dictionary lemmatiser for ~50 languages (the default wherever it has the language);
- pymorphy3: OpenCorpora/VESUM dictionary analyser for Russian and Ukrainian, preferred there because it
  keeps a word's whole paradigm together where simplemma's list misses forms (see
  `benchmarks/lemmatisers.md`: paradigm consistency on frequent words, measured, not tuned on term data).
  Every analysis counts, not only the likeliest: without context "стали" is "стать" as often as "сталь".

A lemmatiser has a name with its version; the term signature records which one ran for each language.
A language no lemmatiser knows gets None (callers match the words' own forms and say so).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Callable

PREFERRED = {"ru": ("pymorphy3", "simplemma"), "uk": ("pymorphy3", "simplemma")}
DEFAULT_ORDER = ("simplemma",)


@dataclass(frozen=True)
class Lemmatiser:
    """`lemmas` gives every lemma a token may have (pymorphy3: one per analysis, so "стали" is both "стать" and
    "сталь"); calling it gives the most likely one."""

    name: str
    lang: str
    lemmas: Callable[[str], frozenset[str]]
    lemma: Callable[[str], str]

    def __call__(self, token: str) -> str:
        return self.lemma(token)


def _package_version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _simplemma(lang: str) -> Lemmatiser | None:
    if _package_version("simplemma") is None:
        return None
    import simplemma

    try:
        simplemma.lemmatize("test", lang=lang)
    except ValueError:
        return None
    cached = lru_cache(maxsize=200_000)(lambda token: simplemma.lemmatize(token, lang=lang))
    return Lemmatiser(f"simplemma-{_package_version('simplemma')}", lang, lambda token: frozenset((cached(token),)), cached)


def _pymorphy3(lang: str) -> Lemmatiser | None:
    if lang not in ("ru", "uk") or _package_version("pymorphy3") is None:
        return None
    import pymorphy3

    try:
        analyzer = pymorphy3.MorphAnalyzer(lang=lang)
    except (ValueError, OSError, KeyError):  # the language's dictionary package is not installed
        return None

    @lru_cache(maxsize=200_000)
    def lemmas(token: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(parse.normal_form for parse in analyzer.parse(token))) or (token.lower(),)

    return Lemmatiser(f"pymorphy3-{_package_version('pymorphy3')}", lang, lambda token: frozenset(lemmas(token)),
                      lambda token: lemmas(token)[0])


FACTORIES: dict[str, Callable[[str], Lemmatiser | None]] = {"simplemma": _simplemma, "pymorphy3": _pymorphy3}


def base_language(lang: str | None) -> str:
    return (lang or "").replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=None)
def lemmatiser_for(lang: str | None, prefer: str | None = None) -> Lemmatiser | None:
    """The lemmatiser for `lang`: `prefer` when given and able, else the language's preferred order."""
    lang = base_language(lang)
    if not lang:
        return None
    order = ((prefer,) if prefer else ()) + PREFERRED.get(lang, DEFAULT_ORDER)
    for name in dict.fromkeys(order):
        factory = FACTORIES.get(name)
        lemmatiser = factory(lang) if factory else None
        if lemmatiser is not None:
            return lemmatiser
    return None


def lemmatiser_name(lang: str | None) -> str:
    found = lemmatiser_for(lang)
    return found.name if found else "none"
