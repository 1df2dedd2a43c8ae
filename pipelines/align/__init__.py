"""Sentence alignment: n:m beads between a text and its translation.

    from pipelines.align import align, evaluate
    beads = align(src_sentences, tgt_sentences, "de", "fr")            # method="auto"
    beads = align(src, tgt, "en", "is", method="lexical", self_train=False)
    evaluate([gold_beads], [beads])["strict"]["f1"]

Methods (all share the DP core in `dp.py`): `length` (Gale–Church), `lexical` (length + model-free
anchors), `embedding` (Vecalign-style cosine over a sentence encoder, with length and anchor terms),
`auto` (embedding when the bundled encoder covers both languages, else lexical).
"""
from pipelines.align.beads import Bead, format_bead, parse_bead_line, read_beads, write_beads
from pipelines.align.evaluate import evaluate, score_document
from pipelines.align.registry import (
    AUTO,
    METHODS,
    Aligner,
    align,
    available_methods,
    get_aligner,
    register,
    resolve_method,
)

__all__ = [
    "AUTO",
    "Aligner",
    "Bead",
    "METHODS",
    "align",
    "available_methods",
    "evaluate",
    "format_bead",
    "get_aligner",
    "parse_bead_line",
    "read_beads",
    "register",
    "resolve_method",
    "score_document",
    "write_beads",
]
