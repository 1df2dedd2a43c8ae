"""Sentence alignment: n:m beads between a text and its translation.

    from pipelines.align import align, evaluate
    beads = align(src_sentences, tgt_sentences, "de", "fr")            # method="auto"
    beads = align(src, tgt, "en", "is", method="lexical", self_train=False)
    evaluate([gold_beads], [beads])["strict"]["f1"]

Methods (all share the DP core in `dp.py`, beads up to `max_bead` sentences a side, default 5):
`length` (Gale–Church over script-aware lengths), `lexical` (length + model-free anchors: numbers in
any notation, punctuation, names, cognates, a learned word list), `embedding` (Bertalign's margin
cosine over a sentence encoder, or Vecalign's cost), `auto` (embedding when the bundled encoder covers
both languages, else lexical).
"""
from pipelines.align.beads import Bead, format_bead, parse_bead_line, read_beads, write_beads
from pipelines.align.evaluate import evaluate, score_document
from pipelines.align.methods import AUTO, align, available_methods, get_aligner, resolve_method
from pipelines.align.registry import METHODS, Aligner, register

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
