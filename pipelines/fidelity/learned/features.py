"""What the learned metric reads from a segment: language-general statistics that mean the same in every
script, and, where the bundled encoder covers both languages, sentence-embedding similarities.

Every feature of a segment depends only on that segment's source, translation and reference (never on the
other segments of a batch), so scores can be computed shard by shard anywhere. Texts that recur in a batch
(the source and reference of an item, scored for several systems) are analysed once.

Tokens are language-general: a run of letters or digits in spaced scripts, one character in scripts written
without spaces (Han, kana, Thai, Lao, Khmer, Myanmar), one character for punctuation. Lengths are counted in
Latin-character equivalents (a Han character counts 3, kana 1.5, Hangul 2.5: `pipelines.align.length`), so a
length ratio means the same between any two scripts.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from pipelines.align.length import text_length
from pipelines.checks.scripts import char_script, language_scripts

CHAR_ORDER = 6
WORD_ORDER = 4
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
TOKEN = re.compile(f"[{_UNSPACED}]|[^\\W_{_UNSPACED}]+|[^\\w\\s]")
NUMBER = re.compile(r"\d+")
# Marks whose presence carries meaning in every script (questions, exclamations, quotes, brackets, units).
MEANINGFUL_PUNCTUATION = frozenset("?!:;\"()%$€£¥？！：；（）％")
# Checks that judge a segment by itself in any language pair (pipelines/checks); the slow `untranslated`
# (src_copy measures copying), the document-level ones and `truncation` (it flags most Chinese segments)
# are left out.
CHECKS = ("wrong-language", "number-mismatch", "entity-mismatch", "omission", "repetition", "markup")


@dataclass(frozen=True)
class Feature:
    name: str
    group: str  # "reference": needs the reference; "source": source and translation; "encoder": embeddings
    description: str


FEATURES: dict[str, Feature] = {f.name: f for f in [
    Feature("chrf", "reference", "sentence chrF (character 1–6-grams, beta 2) against the reference, 0–1"),
    Feature("chrf_precision", "reference", "mean character n-gram precision against the reference"),
    Feature("chrf_recall", "reference", "mean character n-gram recall against the reference"),
    Feature("bleu", "reference", "sentence BLEU (exponential smoothing, effective order) on language-general tokens, 0–1"),
    Feature("word_f1", "reference", "token unigram F1 against the reference"),
    Feature("ref_length_ratio", "reference", "log length ratio translation / reference (Latin-equivalent characters)"),
    Feature("ref_length_gap", "reference", "absolute value of ref_length_ratio"),
    Feature("ref_numbers_f1", "reference", "F1 of digit sequences between translation and reference (1 when neither has any)"),
    Feature("ref_punctuation_f1", "reference", "F1 of meaningful punctuation between translation and reference"),
    Feature("copy_excess", "reference", "source character n-grams copied into the translation beyond those the reference copies"),
    Feature("src_length_ratio", "source", "log length ratio translation / source (Latin-equivalent characters)"),
    Feature("src_copy", "source", "share of the translation's character 2–5-grams found in the source (copied text)"),
    Feature("src_numbers_f1", "source", "F1 of digit sequences between translation and source"),
    Feature("src_punctuation_f1", "source", "F1 of meaningful punctuation between translation and source"),
    Feature("target_script", "source", "share of the translation's letters written in a script of the target language"),
    Feature("empty", "source", "1 when the translation is empty or only whitespace"),
    Feature("target_language", "source", "py3langid log-likelihood of the target minus the source language, per UTF-8 "
                                          "byte of the translation (0 where py3langid knows neither)"),
    Feature("check_findings", "source", "findings of Calque's segment checks on the segment alone: "
                                         + ", ".join(CHECKS)),
    Feature("cos_hyp_ref", "encoder", "cosine of translation and reference embeddings"),
    Feature("cos_hyp_src", "encoder", "cosine of translation and source embeddings"),
    Feature("cos_ref_src", "encoder", "cosine of reference and source embeddings"),
]}
NEEDS_REFERENCE = frozenset({"chrf", "chrf_precision", "chrf_recall", "bleu", "word_f1", "ref_length_ratio",
                             "ref_length_gap", "ref_numbers_f1", "ref_punctuation_f1", "copy_excess",
                             "cos_hyp_ref", "cos_ref_src"})


def feature_names(group: str | None = None, reference: bool = True) -> list[str]:
    """Features of one group (all when None), leaving out those that need a reference when `reference` is False."""
    return [name for name, f in FEATURES.items()
            if (group is None or f.group == group) and (reference or name not in NEEDS_REFERENCE)]


class TextStats:
    """What the features need from one text, computed once per distinct text."""

    __slots__ = ("text", "length", "char_ngrams", "word_ngrams", "n_tokens", "numbers", "punctuation", "empty")

    def __init__(self, text: str):
        self.text = text
        stripped = text.strip()
        self.empty = not stripped
        self.length = text_length(stripped)
        chars = "".join(text.split())
        self.char_ngrams = [Counter(chars[i:i + n] for i in range(len(chars) - n + 1)) for n in range(1, CHAR_ORDER + 1)]
        tokens = TOKEN.findall(text.lower())
        self.n_tokens = len(tokens)
        self.word_ngrams = [Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
                            for n in range(1, WORD_ORDER + 1)]
        self.numbers = Counter(NUMBER.findall(text))
        self.punctuation = Counter(c for c in text if c in MEANINGFUL_PUNCTUATION)


def _matches(hyp: list[Counter], ref: list[Counter]) -> list[tuple[int, int, int]]:
    """Per order: (translation n-grams, reference n-grams, clipped matches)."""
    return [(sum(h.values()), sum(r.values()), sum((h & r).values())) for h, r in zip(hyp, ref)]


def _precision_recall(stats: list[tuple[int, int, int]], orders: range | None = None) -> tuple[float, float]:
    chosen = stats if orders is None else [stats[i] for i in orders]
    precision = sum(m / h for h, r, m in chosen if h and r) / len(chosen)
    recall = sum(m / r for h, r, m in chosen if h and r) / len(chosen)
    return precision, recall


def _f_beta(precision: float, recall: float, beta: float) -> float:
    if precision + recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def _bleu(stats: list[tuple[int, int, int]], hyp_tokens: int, ref_tokens: int) -> float:
    """Sentence BLEU with sacrebleu's 'exp' smoothing and effective order."""
    log_precision, orders, smooth = 0.0, 0, 1.0
    for hyp_count, _, matched in stats:
        if hyp_count == 0:
            continue
        orders += 1
        if matched == 0:
            smooth *= 2
            log_precision += math.log(1.0 / (smooth * hyp_count))
        else:
            log_precision += math.log(matched / hyp_count)
    if not orders:
        return 0.0
    brevity = 0.0 if hyp_tokens >= ref_tokens else 1.0 - ref_tokens / hyp_tokens
    return math.exp(brevity + log_precision / orders)


def _counter_f1(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    if total == 0:
        return 1.0
    return 2.0 * sum((a & b).values()) / total


@lru_cache(maxsize=64)
def _target_scripts(tgt_lang: str) -> frozenset[str]:
    return language_scripts(tgt_lang)


def _target_script_share(text: str, tgt_lang: str) -> float:
    expected = _target_scripts(tgt_lang)
    letters = in_script = 0
    for char in text:
        script = char_script(char)
        if script:
            letters += 1
            in_script += script in expected
    return in_script / letters if letters and expected else 1.0


def _log_ratio(a: float, b: float) -> float:
    return math.log((a + 1.0) / (b + 1.0))


def _segment(names: Sequence[str], src: TextStats, hyp: TextStats, ref: TextStats | None, src_lang: str,
             tgt_lang: str) -> list[float]:
    values: dict[str, float] = {}
    wanted = set(names)
    if wanted & {"src_copy", "copy_excess"}:
        values["src_copy"] = _precision_recall(_matches(hyp.char_ngrams, src.char_ngrams), range(1, 5))[0]
    if ref is not None:
        if wanted & {"chrf", "chrf_precision", "chrf_recall"}:
            precision, recall = _precision_recall(_matches(hyp.char_ngrams, ref.char_ngrams))
            values.update(chrf=_f_beta(precision, recall, 2.0), chrf_precision=precision, chrf_recall=recall)
        if wanted & {"bleu", "word_f1"}:
            stats = _matches(hyp.word_ngrams, ref.word_ngrams)
            values["bleu"] = _bleu(stats, hyp.n_tokens, ref.n_tokens)
            values["word_f1"] = _f_beta(*_precision_recall(stats, range(0, 1)), 1.0)
        values["ref_length_ratio"] = _log_ratio(hyp.length, ref.length)
        values["ref_length_gap"] = abs(values["ref_length_ratio"])
        if "ref_numbers_f1" in wanted:
            values["ref_numbers_f1"] = _counter_f1(hyp.numbers, ref.numbers)
        if "ref_punctuation_f1" in wanted:
            values["ref_punctuation_f1"] = _counter_f1(hyp.punctuation, ref.punctuation)
        if "copy_excess" in wanted:
            reference_copy = _precision_recall(_matches(ref.char_ngrams, src.char_ngrams), range(1, 5))[0]
            values["copy_excess"] = values["src_copy"] - reference_copy
    values["src_length_ratio"] = _log_ratio(hyp.length, src.length)
    if "src_numbers_f1" in wanted:
        values["src_numbers_f1"] = _counter_f1(hyp.numbers, src.numbers)
    if "src_punctuation_f1" in wanted:
        values["src_punctuation_f1"] = _counter_f1(hyp.punctuation, src.punctuation)
    if "target_script" in wanted:
        values["target_script"] = _target_script_share(hyp.text, tgt_lang)
    values["empty"] = float(hyp.empty)
    if "target_language" in wanted:
        values["target_language"] = _target_language(hyp.text, src_lang, tgt_lang)
    if "check_findings" in wanted:
        values["check_findings"] = _check_findings(src.text, hyp.text, src_lang, tgt_lang)
    return [values[name] for name in names]


def _target_language(text: str, src_lang: str, tgt_lang: str) -> float:
    from pipelines.checks import language

    size = len(text.encode("utf-8"))
    if not size or not (language.supported(src_lang) and language.supported(tgt_lang)):
        return 0.0
    return language.preference(text, tgt_lang, src_lang) / size


def _check_findings(source: str, text: str, src_lang: str, tgt_lang: str) -> float:
    from pipelines.checks import run_checks

    return float(len(run_checks([source], [text], src_lang, tgt_lang, only=CHECKS)))


def _cached(text: str, cache: dict[str, TextStats]) -> TextStats:
    found = cache.get(text)
    if found is None:
        found = cache[text] = TextStats(text)
    return found


def compute(names: Sequence[str], sources: Sequence[str], hypotheses: Sequence[str],
            references: Sequence[str] | None, src_lang: str, tgt_lang: str,
            encode: Callable[[list[str]], np.ndarray] | None = None, progress=None) -> np.ndarray:
    """A (segments × features) float64 matrix of the named features.

    `encode` maps texts to unit vectors, one row each, independently of the other texts (needed only for
    encoder features); `progress(n)` is called as segments are done."""
    names = list(names)
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {', '.join(unknown)}")
    if references is None and any(n in NEEDS_REFERENCE for n in names):
        raise ValueError("these features need a reference: " + ", ".join(n for n in names if n in NEEDS_REFERENCE))
    n = len(hypotheses)
    out = np.empty((n, len(names)), dtype=np.float64)
    lexical = [i for i, name in enumerate(names) if FEATURES[name].group != "encoder"]
    if lexical:
        lexical_names = [names[i] for i in lexical]
        # Sources and references recur (one per item, scored for every system): analysed once. Translations
        # rarely do, and their n-gram tables would hold most of the memory: analysed and dropped.
        shared: dict[str, TextStats] = {}
        for row in range(n):
            reference = _cached(references[row], shared) if references is not None else None
            out[row, lexical] = _segment(lexical_names, _cached(sources[row], shared), TextStats(hypotheses[row]),
                                         reference, src_lang, tgt_lang)
            if progress is not None and row % 256 == 255:
                progress(256)
        if progress is not None and n % 256:
            progress(n % 256)
    encoder_columns = {name: i for i, name in enumerate(names) if FEATURES[name].group == "encoder"}
    if encoder_columns:
        if encode is None:
            raise ValueError("encoder features need an encoder")
        texts = {"hyp": hypotheses, "src": sources, "ref": references}
        needed = {side for name in encoder_columns for side in _COSINE_SIDES[name]}
        vectors = {side: encode(list(texts[side])).astype(np.float64) for side in sorted(needed)}
        for name, column in encoder_columns.items():
            a, b = _COSINE_SIDES[name]
            out[:, column] = np.einsum("ij,ij->i", vectors[a], vectors[b])
    return out


_COSINE_SIDES = {"cos_hyp_ref": ("hyp", "ref"), "cos_hyp_src": ("hyp", "src"), "cos_ref_src": ("ref", "src")}
