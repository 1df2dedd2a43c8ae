"""Translations cut short.

- Any script: a segment that ends on a comma right after a word, or on an opening bracket (",", "，", "、",
  "،", "(", "（"), where its source (if any) does not: "Die Regierung erklärte,", "政府表示，".
- A segment that ends on a word that cannot end a sentence (an article, a conjunction, a preposition that is
  not also a verb particle) with no closing punctuation: "… in 14 von ihren Läden, ohne".
- With a source: the source closes its sentence and the translation does not (sentence-final marks of every
  script: . ! ? … 。 ！ ？ ؟ ۔ । ։ ።), and the translation is much shorter than the document's usual length ratio.
- German: the last clause of a sentence is a subordinate clause (after a comma, opened by a subordinating
  conjunction or a preposition + relative pronoun) but ends on a noun, so its final verb is missing:
  "…, an der die Inhaftierung von mehr als einer Million Menschen."
"""
from __future__ import annotations

import re
import statistics

from corpus.languages import base_language
from pipelines.checks.base import ALL_LANGUAGES, Check, Coverage, Document, languages, register
from pipelines.checks.text import CONTINUING, TERMINAL, function_words, sentences, words

# Words that cannot end a sentence; verb particles ("an", "auf", "mit", "vor") and pronouns are left out.
DANGLING = {
    "de": set("den dem des eine einen einem einer eines und oder aber sondern denn dass weil ob ohne für von "
              "gegen seit wegen trotz zwischen zum zur vom im am beim ins".split()),
    "en": set("the a an and or but nor".split()),
    "fr": set("le la les un une des du et ou mais que".split()),
    "es": set("el la los las un una y o pero que del".split()),
    "it": set("il lo la gli le un una e o ma che del della".split()),
    "nl": set("de het een en of maar dat".split()),
    "pt": set("o a os as um uma e ou mas que do da".split()),
}
CLOSERS = "\"'”“»«)]’）」』》〉"
# Unambiguous subordinating conjunctions ("damit", "da", "wie" are also adverbs or comparisons).
SUBORDINATORS_DE = set("dass weil ob obwohl nachdem wenn falls sodass bevor sobald solange sofern indem".split())
RELATIVE_DE = set("der die das dem den denen deren dessen welcher welche welches welchem welchen".split())
RELATIVE_ONLY_DE = set("denen deren dessen welcher welche welches welchem welchen".split())
# After "an der" a relative clause goes on with its subject ("an der die Inhaftierung …"); "in der gelben
# Zone" is a preposition with an article.
SUBJECT_START_DE = set("der die das den dem ein eine einen einem einer eines er sie es man wir ihr ich du "
                       "sich diese dieser dieses diesen jeder jede jedes kein keine".split())
ELLIPTICAL_DE = set("nicht auch überhaupt möglich nötig notwendig".split())
QUANTIFIERS_DE = set("mehr weniger etwa rund fast knapp viele einige".split())
PREPOSITION_DE = set("an auf aus bei durch für gegen hinter in mit nach neben ohne über um unter von vor "
                     "zu zwischen während wegen".split())
SHORT_RATIO = 0.5


def _ends_closed(text: str) -> bool:
    return text.rstrip().rstrip(CLOSERS)[-1:] in TERMINAL + ":;：；"


def _ends_continuing(text: str) -> bool:
    """Ends on a comma right after a word ("erklärte,") or on an opening mark; a comma after other punctuation
    ("usw.,", "…“,") is a punctuation slip, not a cut."""
    text = text.rstrip()
    if text[-1:] not in CONTINUING:
        return False
    return text[-1] not in ",，、،" or text[-2:-1].isalnum()


def _verbless_clause_de(sentence: str) -> tuple[int, int] | None:
    """Span of a final subordinate clause that ends on a capitalised word (a noun) instead of its verb."""
    body = sentence.rstrip().rstrip(CLOSERS)
    if not body.endswith("."):
        return None
    body = body[:-1]
    comma = body.rfind(",")
    if comma < 0:
        return None
    clause = body[comma + 1 :]
    tokens = words(clause)
    if len(tokens) < 3 or re.search(r"[„“”\"»«()–—:;]", clause):
        return None
    first, second = tokens[0].lower, tokens[1].lower
    if first in SUBORDINATORS_DE:
        opens, body_from = second not in ELLIPTICAL_DE, 1
    elif first in PREPOSITION_DE and second in RELATIVE_DE:
        opens, body_from = second in RELATIVE_ONLY_DE or tokens[2].lower in SUBJECT_START_DE, 2
    else:
        opens, body_from = False, 0
    if not opens or not tokens[-1].is_capitalized or re.search(r"\d\W*$", clause) or " - " in clause:
        return None
    # A predicate word before a comparison or an adverbial ("höher war als …", "hektisch durch …") means the
    # verb is there and the clause only goes on after it.
    stop_words = function_words("de")
    for token, following in zip(tokens[body_from:], tokens[body_from + 1 :]):
        if token.is_lower and token.lower not in stop_words | QUANTIFIERS_DE and not following.is_capitalized:
            return None
    offset = comma + 1
    return offset + tokens[0].start, offset + tokens[-1].end


@register
class Truncation(Check):
    name = "truncation"
    type = "truncation"
    description = "translations cut short: trailing comma, dangling last word, unclosed sentence, German clause without its verb"
    severity = "Major"
    rules = {
        "dangling-mark": ALL_LANGUAGES,
        "dangling-word": languages(DANGLING, "closed-class word lists for"),
        "short-unclosed": Coverage("all languages and scripts (needs a source)"),
        "verbless-clause": languages({"de"}, "German clause grammar:"),
    }

    def run(self, document: Document):
        ratios = _length_ratios(document)
        typical = statistics.median(ratios) if len(ratios) >= 3 else 1.0
        lang = base_language(document.tgt_lang)
        for index, target in enumerate(document.target):
            if not target.strip():
                continue
            source = document.source[index] if document.source is not None else None
            tokens = words(target)
            last = tokens[-1] if tokens else None
            closed = _ends_closed(target)
            if _ends_continuing(target) and not (source is not None and source.rstrip()[-1:] in CONTINUING):
                end = len(target.rstrip())
                yield document.finding(self, index, end - 1, end,
                                       f"the segment ends on {target[end - 1]!r}: it was cut off mid-sentence")
                continue
            if last is not None and not closed and target.rstrip().endswith((last.text, last.text + ",")):
                if last.lower in DANGLING.get(lang, ()):
                    yield document.finding(self, index, last.start, last.end, f"the segment ends on {last.text!r} without closing its sentence")
                    continue
            if source is not None and source.strip() and _ends_closed(source) and not closed and len(words(source)) >= 6:
                ratio = len(target) / max(len(source), 1)
                if ratio < SHORT_RATIO * typical:
                    start = tokens[-1].start if tokens else 0
                    yield document.finding(
                        self, index, start, len(target.rstrip()),
                        f"the translation stops short ({ratio:.2f} of the source length, usually {typical:.2f}) without closing its sentence",
                    )
                    continue
            if lang == "de":
                for start, end in sentences(target, document.tgt_lang):
                    span = _verbless_clause_de(target[start:end])
                    if span is not None:
                        yield document.finding(
                            self, index, start + span[0], start + span[1],
                            "the final subordinate clause ends on a noun: its verb is missing",
                        )


def _length_ratios(document: Document) -> list[float]:
    return [len(t) / len(s) for _, s, t in document.pairs() if len(s) >= 20 and t.strip()]
