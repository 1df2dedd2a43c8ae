"""Whole-corpus export formats by name, for `calque export --format NAME` and notebooks.

    from corpus.formats.exporters import export
    export("tmx", corpus, "corpus.tmx")          # {"format": "tmx", "files": [...], ...}

Each entry is "module:function" taking (corpus, destination) and returning a summary with "files";
modules load lazily, so a missing optional format is reported instead of breaking the others.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from corpus.errors import InputError


@dataclass(frozen=True)
class Exporter:
    name: str
    target: str
    destination: str  # "file" or "directory"
    help: str
    links: bool = False  # takes include_auto / min_score (exports of alignment links)
    reimport: str | None = None  # the command that reads the export back (fresh or same corpus); None: a lossy table for people


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> None:
    EXPORTERS[exporter.name] = exporter


def _jsonl(corpus, destination) -> dict:
    return {"records": corpus.export_jsonl(destination), "files": [str(destination)]}


def _tsv(corpus, destination) -> dict:
    return {"files": corpus.export_tsv(destination)}


def _tmx(corpus, destination, include_auto: bool = False, min_score: float | None = None) -> dict:
    from corpus.formats.aligned_pairs import link_statuses
    from corpus.formats.tmx import export_tmx

    summary = export_tmx(corpus, destination, link_statuses(include_auto), min_score)
    return {"files": [summary.pop("path")], **summary}


def _moses(corpus, destination, include_auto: bool = False, min_score: float | None = None) -> dict:
    from corpus.formats.aligned_pairs import link_statuses
    from corpus.formats.moses import export_moses

    written = export_moses(corpus, destination, statuses=link_statuses(include_auto), min_score=min_score)
    return {"files": [w[role] for w in written for role in ("source", "target", "docids")], "pairs": written}


register_exporter(Exporter("jsonl", "corpus.formats.exporters:_jsonl", "file", "one file, lossless (re-importable)",
                           reimport="calque import jsonl FILE"))
register_exporter(Exporter("tsv", "corpus.formats.exporters:_tsv", "directory",
                           "a directory with one table per file (documents, translations, segments, alignments, annotations) "
                           "for spreadsheets and pandas, lossy (no glossary, artifacts or results, and an empty value looks like a missing "
                           "one), so not re-importable: use jsonl to move a corpus"))
register_exporter(Exporter("tmx", "corpus.formats.exporters:_tmx", "file", "TMX 1.4 of confirmed 1-1 alignment links (re-importable)",
                           links=True, reimport="calque import tmx FILE"))
register_exporter(Exporter("moses", "corpus.formats.exporters:_moses", "directory",
                           "Moses parallel text of confirmed 1-1 links: corpus.SRC-TGT.{SRC,TGT,docids} (re-importable with "
                           "`calque import parallel` --doc-ids)", links=True,
                           reimport="calque import parallel DIR/corpus.SRC-TGT.SRC DIR/corpus.SRC-TGT.TGT --src-lang SRC "
                                    "--tgt-lang TGT --doc-ids DIR/corpus.SRC-TGT.docids"))
register_exporter(Exporter("wmt", "corpus.formats.wmt_export:export_directory", "directory",
                           "the WMT test sets of the corpus in the WMT text layout (sources/, references/, system-outputs/, "
                           "documents/), as `calque import wmt` read them (re-importable)", reimport="calque import wmt DIR"))


def export(name: str, corpus, destination, **options) -> dict[str, Any]:
    """Options: include_auto (bool) and min_score (float) for the exports of alignment links (tmx, moses).
    An export that would be empty raises corpus.errors.EmptyExport (nothing written) saying why."""
    entry = EXPORTERS.get(name)
    if entry is None:
        raise InputError(f"unknown export format {name!r} (known: {', '.join(sorted(EXPORTERS))})")
    module_name, function = entry.target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        raise InputError(f"export format {name!r} is not available in this installation ({module_name} is missing)") from None
    options = {k: v for k, v in options.items() if v not in (None, False)}
    if options and not entry.links:
        raise InputError(f"{', '.join(sorted(options))} only apply to exports of alignment links "
                         f"({', '.join(sorted(e.name for e in EXPORTERS.values() if e.links))})")
    return {"format": name, **getattr(module, function)(corpus, destination, **options)}
