"""Tokens, sentences and small closed-class word lists the checks share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sentencex

from corpus.languages import base_language

# A word starts with a letter and may hold inner hyphens, apostrophes and digits ("CCTV-Wachhund", "COVID-19").
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?")
# Sentence-final marks across scripts: Latin/Cyrillic/Greek, CJK full stops and marks, Arabic question mark,
# Urdu full stop, Devanagari/Bengali danda, Armenian, Ethiopic, Myanmar, Tibetan and Thai-style ends.
TERMINAL = ".!?…。！？｡؟۔।॥։።။།"
# Marks a finished sentence cannot end on: commas and enumeration commas of every script, and opening
# brackets. Quotation marks are left out: a final „ is more often a wrong closing mark than a cut.
CONTINUING = ",，、،(（[［{"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()


def words(text: str) -> list[Token]:
    """Word tokens; in scripts written without spaces (Chinese, Japanese, Thai) a change of script ends a
    token, so "批准了budget" is two tokens."""
    tokens = []
    for m in WORD_RE.finditer(text):
        word = m.group()
        if word.isascii() or not _UNSPACED.search(word):
            tokens.append(Token(m.start(), m.end(), word))
            continue
        for part in _SCRIPT_RUN.finditer(word):
            if WORD_RE.fullmatch(part.group()) or _UNSPACED.fullmatch(part.group()):
                tokens.append(Token(m.start() + part.start(), m.start() + part.end(), part.group()))
    return tokens


# CJK ideographs, kana, Hangul, Thai, Lao, Khmer, Myanmar: runs of these and runs of anything else.
_UNSPACED_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]+")
_SCRIPT_RUN = re.compile(f"[{_UNSPACED_CHARS}]+|[^{_UNSPACED_CHARS}]+")


def sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) with trailing whitespace trimmed."""
    spans = []
    for boundary in sentencex.get_sentence_boundaries(base_language(lang), text):
        start, end = boundary["start_index"], boundary["end_index"]
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


def normalize_space(text: str) -> str:
    return " ".join(text.split())


# Closed-class words: articles, pronouns, prepositions, conjunctions, auxiliaries. Used as evidence
# (a fragment with "the" or "and" is English prose, not a product name) and for grammar-aware exceptions.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the and or but nor of to in on at by for with from into onto about over under after before "
        "between through during without within against is are was were be been being has have had do does "
        "did will would shall should can could may might must this that these those it its they their them "
        "he his him she her we our you your i my me not no as than then so if because while which who whom "
        "whose what where when there here how also just only very".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer eines und oder aber sondern denn doch von zu mit "
        "bei aus nach seit für gegen ohne um durch an auf in im am ins zum zur vom über unter vor hinter neben "
        "zwischen während wegen trotz ist sind war waren sein wird werden wurde wurden hat haben hatte hatten "
        "kann können konnte muss müssen soll sollen dass ob weil wenn als wie nicht kein keine keinen er sie "
        "es wir ihr ich du sich ihm ihn ihnen uns euch mir dir mich dich sein seine ihre ihren ihrem dieser diese dieses diesem diesen auch nur noch "
        "schon sehr".split()
    ),
    "fr": frozenset(
        "le la les un une des du de et ou mais donc car ni à au aux en dans sur sous par pour avec sans "
        "entre vers chez est sont était étaient être a ont avait avaient que qui dont où ce cette ces il "
        "elle ils elles nous vous je tu ne pas plus se sa son ses leur leurs aussi très".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas y o pero de del a al en con sin por para entre sobre bajo desde "
        "hasta es son era eran ser fue fueron ha han había que quien cual cuyo donde este esta estos estas "
        "ese esa él ella ellos ellas nosotros yo tú no se su sus también muy".split()
    ),
    "it": frozenset(
        "il lo la i gli le un uno una e o ma di a da in con su per tra fra del della dei delle al alla è "
        "sono era erano essere ha hanno aveva che chi cui dove questo questa questi queste quello lui lei "
        "loro noi voi io tu non si suo sua suoi anche molto".split()
    ),
    "nl": frozenset(
        "de het een en of maar van te met bij uit naar voor door aan op in om over onder tussen tijdens "
        "is zijn was waren wordt worden werd werden heeft hebben had dat die dit deze wie wat waar hij zij "
        "ze wij jij ik niet geen zich zijn haar ook zeer".split()
    ),
    "pt": frozenset(
        "o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com sem por para entre sobre "
        "é são era eram ser foi foram tem têm que quem qual onde este esta estes estas esse essa ele ela "
        "eles elas nós eu tu não se seu sua seus suas também muito".split()
    ),
}

# Prepositions, for languages whose relative clauses put a pronoun right before an article ("für die die").
PREPOSITIONS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "an auf aus bei durch für gegen hinter in mit nach neben ohne seit über um unter von vor während "
        "wegen zu zwischen trotz gegenüber".split()
    ),
    "en": frozenset("of to in on at by for with from into about over under after before between through".split()),
}

# Abbreviations after which a lower-case word does not start a new sentence (besides single letters,
# dotted forms like "z.B." and ordinals like "8.", which are recognised by shape).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "approx ca cf co corp dept dr e.g etc fig gen gov i.e inc jr ltd mr mrs ms no nos prof rep sen sr "
        "st vs vol".split()
    ),
    "de": frozenset(
        "abb abs bd bzw ca chr dr evtl ff ggf hl inkl jh jhd mio mrd nr prof str tel u.a usw vgl vs z.b "
        "zb ziff zit".split()
    ),
    "fr": frozenset("av bd cf dr etc mme mlle mm no p.ex st vol".split()),
    "es": frozenset("av dr dra etc núm pág sr sra srta vol".split()),
}


def function_words(lang: str) -> frozenset[str]:
    return FUNCTION_WORDS.get(base_language(lang), frozenset())


def prepositions(lang: str) -> frozenset[str]:
    return PREPOSITIONS.get(base_language(lang), frozenset())


@lru_cache(maxsize=None)
def abbreviations(lang: str) -> frozenset[str]:
    return ABBREVIATIONS.get(base_language(lang), frozenset()) | ABBREVIATIONS["en"]
