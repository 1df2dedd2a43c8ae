"""Deterministic translation-artifact checks: one small named check per file, found through a registry.

    from pipelines.checks import run_checks, load_catalogue
    findings = run_checks(src_lines, tgt_lines, "en", "de", catalogue=load_catalogue("artifacts.jsonl"))
    findings = run_checks(None, tgt_lines, "en", "de")   # target only: checks that need a source skip
"""
from pipelines.checks.base import ALL_LANGUAGES, FINDING_TYPES, Check, Coverage, Document, Finding, register, registered_checks
from pipelines.checks.catalogue import CatalogueEntry, catalogue_from_records, load_catalogue
from pipelines.checks.categories import MQM_CATEGORY, mqm_category
from pipelines.checks.run import check_names, coverage_table, resolve_checks, run_checks, run_document, skipped_rules

# Each check registers itself on import; the registry (base.py) knows none of them: a new check is a new
# file and its line here.
from pipelines.checks import (  # noqa: F401
    calque_candidate,
    entities,
    known_artifact,
    markup,
    numbers,
    omission,
    quote_style,
    repetition,
    segmentation,
    truncation,
    untranslated,
    wrong_language,
)

__all__ = [
    "ALL_LANGUAGES", "FINDING_TYPES", "MQM_CATEGORY", "CatalogueEntry", "Check", "Coverage", "Document", "Finding",
    "catalogue_from_records", "check_names", "coverage_table", "load_catalogue", "mqm_category", "register",
    "registered_checks", "resolve_checks", "run_checks", "run_document", "skipped_rules",
]
