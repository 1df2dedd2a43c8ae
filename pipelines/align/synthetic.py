"""Synthetic parallel texts with a known alignment, for speed benchmarks and tests.

The "translation" maps every word to a fixed pseudo-word (so only numbers, names and
punctuation carry over as anchors) and rewrites the bead structure: mostly 1-1, with merges,
splits, omissions and additions at realistic rates.
"""
from __future__ import annotations

import random

from pipelines.align.beads import Bead

_SYLLABLES = "ka lo mi ne ru sa te vo bi da fe gu ho ji ze".split()
_NAMES = ["Anker", "Piola", "Eiger", "Rheinwaldhorn", "Zermatt", "Dufour", "Matterhorn", "Saas", "Bernina", "Tödi"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))


def _translate(word: str) -> str:
    return word[::-1] + "e" if word.isalpha() and word.islower() else word


def _sentence(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(4, 28))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(1, 4000)))
    if rng.random() < 0.3:
        words.insert(rng.randrange(1, len(words)), rng.choice(_NAMES))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([" .", " .", " .", " ?", " !", " :"])


def synthetic_pair(n_sentences: int, seed: int = 0) -> tuple[list[str], list[str], list[Bead]]:
    """About n_sentences source sentences, their 'translation', and the true beads."""
    rng = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    while len(src) < n_sentences:
        roll = rng.random()
        if roll < 0.80:
            shape = (1, 1)
        elif roll < 0.87:
            shape = (2, 1)
        elif roll < 0.94:
            shape = (1, 2)
        elif roll < 0.97:
            shape = (1, 0)
        else:
            shape = (0, 1)
        a, b = shape
        originals = [_sentence(rng) for _ in range(max(a, 1))]
        src_ids = tuple(range(len(src), len(src) + a))
        src.extend(originals[:a])
        translated = [" ".join(_translate(w) for w in s.split()) for s in originals]
        if b == 1 and a == 2:
            pieces = [translated[0].rstrip(" .?!:") + " , " + translated[1][0].lower() + translated[1][1:]]
        elif b == 2:
            words = translated[0].split()
            cut = max(1, len(words) // 2)
            pieces = [" ".join(words[:cut]) + " .", " ".join(words[cut:])]
        elif b == 1:
            pieces = translated[:1]
        else:
            pieces = []
        tgt_ids = tuple(range(len(tgt), len(tgt) + len(pieces)))
        tgt.extend(pieces)
        gold.append(Bead(src_ids, tgt_ids))
    return src, tgt, gold
