"""Language identification with py3langid (its model ships inside the package; nothing is downloaded)."""
from __future__ import annotations

import math
import threading
from functools import lru_cache

from corpus.languages import base_language

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _lock:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def known_languages() -> frozenset[str]:
    return frozenset(_identifier().labels)


def supported(lang: str) -> bool:
    return base_language(lang) in known_languages()


@lru_cache(maxsize=65536)
def _log_scores(text: str) -> tuple[tuple[str, float], ...]:
    return tuple(_identifier().rank(text))


def log_scores(text: str) -> dict[str, float]:
    """Naive-Bayes log scores per language (higher is more likely); cached, since words recur."""
    return dict(_log_scores(text))


def probabilities(text: str, languages: tuple[str, ...] | None = None) -> dict[str, float]:
    """Calibrated probabilities (py3langid's length-scaled softmax), over all or only the given languages."""
    scores = log_scores(text)
    if languages is not None:
        scores = {lang: scores[lang] for lang in languages if lang in scores}
    if not scores:
        return {}
    scale = 1.0 / math.sqrt(len(text.encode("utf-8")) or 1)
    top = max(scores.values())
    weights = {lang: math.exp((score - top) * scale) for lang, score in scores.items()}
    total = sum(weights.values())
    return {lang: weight / total for lang, weight in sorted(weights.items(), key=lambda kv: -kv[1])}


def identify(text: str) -> tuple[str, float]:
    lang, probability = next(iter(probabilities(text).items()))
    return lang, probability


def preference(text: str, first: str, second: str) -> float:
    """log P(text | first) − log P(text | second): positive when the text looks more like `first`."""
    scores = log_scores(text)
    return scores.get(base_language(first), 0.0) - scores.get(base_language(second), 0.0)
