"""Running the checks on one document."""
from __future__ import annotations

from typing import Iterable, Sequence

from corpus.errors import InputError
from pipelines.checks.base import Document, Finding, registered_checks
from pipelines.checks.catalogue import CatalogueEntry
from pipelines.checks.precedence import most_specific


def check_names() -> list[str]:
    return list(registered_checks())


def resolve_checks(only: Iterable[str] | None) -> list[str]:
    """Check names to run: all, or those named (a check name or a finding type), in registry order."""
    checks = registered_checks()
    if only is None:
        return list(checks)
    wanted = [name.strip() for name in only if name and name.strip()]
    known = {name: name for name in checks} | {cls.type: name for name, cls in checks.items()}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InputError(f"unknown check(s) {', '.join(unknown)}; known: {', '.join(checks)}")
    if not wanted:
        raise InputError(f"no check named; known: {', '.join(checks)}")
    chosen = {known[name] for name in wanted}
    return [name for name in checks if name in chosen]


def run_document(document: Document, only: Iterable[str] | None = None) -> list[Finding]:
    """Findings of the chosen checks, ordered by segment and position, one per span and problem (the most
    specific, see precedence.py). Checks that need a source do not run on a document without one; rules that
    do not cover the languages do not run (see `skipped_rules`)."""
    checks = registered_checks()
    findings: list[Finding] = []
    for name in resolve_checks(only):
        check = checks[name]()
        if check.needs_source and document.source is None:
            continue
        findings.extend(check.run(document))
    return sorted(most_specific(findings), key=lambda f: (f.segment, f.start, f.end, f.check))


def skipped_rules(src_lang: str, tgt_lang: str, only: Iterable[str] | None = None) -> list[dict]:
    """The rules of the chosen checks that do not cover this language pair: {skipped, check, langs, reason}."""
    checks = registered_checks()
    return [row for name in resolve_checks(only) for row in checks[name].skipped(src_lang, tgt_lang)]


def coverage_table(only: Iterable[str] | None = None) -> list[dict]:
    """Every rule of the chosen checks with the languages it covers."""
    checks = registered_checks()
    return [{"check": name, "rule": rule, "covers": coverage.description}
            for name in resolve_checks(only) for rule, coverage in checks[name].rules.items()]


def run_checks(
    src_segments: Sequence[str | None] | None,
    tgt_segments: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    catalogue: Sequence[CatalogueEntry] | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the checks on one document: target segments and, if available, the source segment aligned to
    each (None for the whole list when the source is unavailable, or for a segment without one)."""
    if src_segments is not None and len(src_segments) != len(tgt_segments):
        raise InputError(f"{len(src_segments)} source segments but {len(tgt_segments)} target segments")
    document = Document(
        target=list(tgt_segments),
        source=None if src_segments is None else list(src_segments),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        catalogue=list(catalogue or []),
    )
    return run_document(document, only)
