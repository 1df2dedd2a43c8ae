"""Terminology: glossaries and per-segment term lists, term success rate, WMT25-style consistency,
and target-only drift of glossary concepts."""
from pipelines.terminology.consistency import consistency, find_occurrences, term_renderings
from pipelines.terminology.drift import concept_renderings
from pipelines.terminology.evaluate import TermReport, evaluate_terms
from pipelines.terminology.formats import read_terms
from pipelines.terminology.matching import MODES, Matcher, lemmatizer_available
from pipelines.terminology.model import Concept, Glossary, SegmentTermList, TermPair
from pipelines.terminology.success import check_terms, glossary_term_lists, success_summary

__all__ = [
    "MODES", "Concept", "Glossary", "Matcher", "SegmentTermList", "TermPair", "TermReport",
    "check_terms", "concept_renderings", "consistency", "evaluate_terms", "find_occurrences",
    "glossary_term_lists", "lemmatizer_available", "read_terms", "success_summary", "term_renderings",
]
