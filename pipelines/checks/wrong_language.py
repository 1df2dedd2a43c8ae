"""A whole target segment in a language other than the target language (a copied source, a third language)."""
from __future__ import annotations

from corpus.languages import base_language
from pipelines.checks import language
from pipelines.checks.base import Check, Document, register
from pipelines.checks.text import words

MIN_WORDS = 3
MIN_CONFIDENCE = 0.6
MAX_TARGET_PROBABILITY = 0.05


def segment_language(text: str) -> tuple[str, float, dict[str, float]] | None:
    """(language, its probability, all probabilities) for prose long enough to judge."""
    tokens = words(text)
    # Names and acronyms alone ("Business Insider", "CCTV") carry no language.
    if len(tokens) < MIN_WORDS or all(t.is_capitalized for t in tokens):
        return None
    probs = language.probabilities(text)
    lang, probability = next(iter(probs.items()))
    return lang, probability, probs


def is_wrong_language(text: str, tgt_lang: str) -> tuple[str, float] | None:
    judged = segment_language(text)
    if judged is None:
        return None
    lang, probability, probs = judged
    target = base_language(tgt_lang)
    if lang != target and probability >= MIN_CONFIDENCE and probs.get(target, 0.0) < MAX_TARGET_PROBABILITY:
        return lang, probability
    return None


@register
class WrongLanguage(Check):
    name = "wrong-language"
    type = "wrong-language"
    description = "a whole segment is not in the target language (py3langid over 97 languages)"
    severity = "Major"

    def run(self, document: Document):
        if not language.supported(document.tgt_lang):
            return
        source_lang = base_language(document.src_lang)
        for index, text in enumerate(document.target):
            verdict = is_wrong_language(text, document.tgt_lang)
            if verdict is None:
                continue
            lang, probability = verdict
            stripped = len(text) - len(text.lstrip())
            what = "the source language" if lang == source_lang else "not the target language"
            yield document.finding(
                self, index, stripped, len(text.rstrip()),
                f"segment is in '{lang}' ({what}, p={probability:.2f}), expected '{base_language(document.tgt_lang)}'",
            )
