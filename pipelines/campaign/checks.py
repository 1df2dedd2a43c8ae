"""Attention checks: copies of real units with a planted error whose span the annotator should mark.

Kinds (a registry; each returns the damaged target and the planted span, or None where it cannot apply):
  unrelated     the target replaced by another unit's target (any script);
  numbers       every number's digits changed, in the digits' own script (Unicode decimal digits);
  untranslated  the last part of the target replaced by the last part of the source (needs a source;
                cut at whitespace where the script has it, else at characters).
The da protocol marks no spans, so it plants only `unrelated` checks (judged by the score).
"""
from __future__ import annotations

import random
import re
import unicodedata
from typing import Callable

NUMBER = re.compile(r"\d+")
KINDS_BY_PROTOCOL = {"mqm": ("unrelated", "numbers", "untranslated"), "esa": ("unrelated", "numbers", "untranslated"), "da": ("unrelated",)}
UNTRANSLATED_SHARE = 0.4


def _shift_digit(char: str, by: int) -> str:
    value = unicodedata.digit(char)
    return chr(ord(char) - value + (value + by) % 10)


def change_numbers(target: str, rng: random.Random) -> tuple[str, int, int] | None:
    matches = list(NUMBER.finditer(target))
    if not matches:
        return None
    by = rng.randint(1, 9)
    changed = NUMBER.sub(lambda m: "".join(_shift_digit(c, by) for c in m.group()), target)
    return changed, matches[0].start(), matches[-1].end()


def _tail_cut(text: str, share: float) -> int:
    """Where the last `share` of text starts, moved to a word boundary when the script has spaces."""
    cut = int(len(text) * (1 - share))
    space = text.rfind(" ", 0, cut + 1)
    return space + 1 if space > 0 else cut


def leave_untranslated(target: str, source: str | None) -> tuple[str, int, int] | None:
    if not source or not source.strip() or len(target) < 2:
        return None
    tail = source[_tail_cut(source, UNTRANSLATED_SHARE):].strip()
    keep = target[: _tail_cut(target, UNTRANSLATED_SHARE)]
    if not tail or tail in target:
        return None
    joined = keep + tail
    return joined, len(keep), len(joined)


def unrelated(target: str, others: list[str], rng: random.Random) -> tuple[str, int, int] | None:
    candidates = [o for o in others if o.strip() and o != target]
    if not candidates:
        return None
    replacement = rng.choice(candidates)
    return replacement, 0, len(replacement)


Plant = Callable[[dict, list[str], random.Random], "tuple[str, int, int] | None"]
PLANTERS: dict[str, Plant] = {
    "unrelated": lambda row, others, rng: unrelated(row["target"], others, rng),
    "numbers": lambda row, others, rng: change_numbers(row["target"], rng),
    "untranslated": lambda row, others, rng: leave_untranslated(row["target"], row.get("source")),
}


def plant(rows: list[dict], kind: str, others: list[str], rng: random.Random) -> tuple[list[dict], dict] | None:
    """A damaged copy of a unit's rows and the planted span {item, start, end, kind}; None if `kind`
    fits none of its rows."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    for item in order:
        done = PLANTERS[kind](rows[item], others, rng)
        if done is None:
            continue
        target, start, end = done
        copy = [dict(r) for r in rows]
        copy[item]["target"] = target
        return copy, {"kind": kind, "item": item, "side": "target", "start": start, "end": end}
    return None
