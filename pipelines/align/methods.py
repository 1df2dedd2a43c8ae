"""Aligners by name, and `align()`: sentences in, beads out.

`auto` is resolved here: the embedding aligner when the bundled encoder covers both languages, else the
lexical one. The built-in aligners are imported (and so registered, see pipelines.align.registry) when a
method is first looked up, not when the package loads: they bring scipy and the encoders.
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any, Sequence

from corpus.errors import InputError
from corpus.languages import normalize_language
from pipelines.align.beads import Bead
from pipelines.align.registry import METHODS, Aligner

AUTO = "auto"


def _load_builtins() -> None:
    from pipelines.align import embedding, length, lexical  # noqa: F401  (each registers itself)


def available_methods() -> list[str]:
    _load_builtins()
    return [AUTO, *sorted(METHODS)]


def _parse_value(text: str, default: Any) -> Any:
    lowered = text.strip().lower()
    if lowered in ("none", "null"):
        return None
    if isinstance(default, bool):
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected yes or no, got {text!r}")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float) or default is None:
        try:
            return float(text)
        except ValueError:
            if isinstance(default, float):
                raise
            return text
    return text


def parse_options(method: str, src_lang: str, tgt_lang: str, settings: Sequence[str],
                  encoder: str | None = None) -> dict[str, Any]:
    """`KEY=VALUE` strings (from the command line) → typed options of the method `auto` resolves to."""
    name = resolve_method(method, check_language(src_lang), check_language(tgt_lang), encoder)
    defaults = {f.name: f.default for f in fields(METHODS[name].Options)}
    options: dict[str, Any] = {}
    for setting in settings:
        key, sep, value = setting.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise InputError(f"--option {setting!r}: expected KEY=VALUE")
        if key not in defaults:
            raise InputError(f"unknown option {key!r} for method {name!r} (valid: {', '.join(sorted(defaults))})")
        try:
            options[key] = _parse_value(value, defaults[key])
        except ValueError as error:
            raise InputError(f"--option {setting!r}: {error}") from None
    return options


def check_language(code: str, role: str = "language") -> str:
    try:
        return normalize_language(code)
    except ValueError as error:
        raise InputError(f"{role}: {error}") from None


def resolve_method(method: str, src_lang: str, tgt_lang: str, encoder: str | None = None) -> str:
    """`auto` → `embedding` when the (default) encoder covers both languages, else `lexical`."""
    _load_builtins()
    if method != AUTO:
        if method not in METHODS:
            raise InputError(f"unknown alignment method {method!r} (choose from {', '.join(available_methods())})")
        return method
    from pipelines.encoders import get_encoder

    try:
        chosen = get_encoder(encoder)
    except InputError:
        raise
    except Exception:  # an encoder that cannot load here (e.g. no torch): fall back to the lexical aligner
        return "lexical"
    return "embedding" if chosen.supports(src_lang) and chosen.supports(tgt_lang) else "lexical"


def get_aligner(method: str = AUTO, src_lang: str = "und", tgt_lang: str = "und", **options: Any) -> Aligner:
    src_lang = check_language(src_lang, "source language")
    tgt_lang = check_language(tgt_lang, "target language")
    name = resolve_method(method, src_lang, tgt_lang, options.get("encoder"))
    if method == AUTO and name != "embedding":
        options.pop("encoder", None)
    return METHODS[name](**options)


def align(
    src_sents: Sequence[str],
    tgt_sents: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    method: str = AUTO,
    **options: Any,
) -> list[Bead]:
    """Align two lists of sentences: beads (0-1, 1-0 and n:m up to `max_bead` a side) covering both in order.

        >>> from pipelines.align import align
        >>> align(["Guten Tag.", "Wie geht es?"], ["Bonjour.", "Comment ça va ?"], "de", "fr", method="lexical")
    """
    for name, sentences in (("source", src_sents), ("target", tgt_sents)):
        if isinstance(sentences, str) or not all(isinstance(s, str) for s in sentences):
            raise InputError(f"{name} sentences must be a list of strings")
    aligner = get_aligner(method, src_lang, tgt_lang, **options)
    return aligner.align(list(src_sents), list(tgt_sents), src_lang, tgt_lang)
