"""The registry of annotation exchange formats: each imports through one transaction and exports atomically.

    from corpus.formats.annotations import import_annotations, export_annotations
    import_annotations(corpus, "google-mqm", "mqm_ted_ende.tsv")
    export_annotations(corpus, "xliff", "review.xlf", translation_ids=["talk.1.Online-W"])
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.atomic import atomic_write
from corpus.errors import InputError
from corpus.ingest import Ingest


@dataclass(frozen=True)
class AnnotationFormat:
    name: str
    module: str
    description: str
    suffix: str

    def _load(self):
        return importlib.import_module(self.module)

    @property
    def importer(self) -> Callable[..., dict]:
        return self._load().import_file

    @property
    def exporter(self) -> Callable[..., tuple[str, dict]]:
        module = self._load()
        if not hasattr(module, "export_text"):
            raise InputError(f"{self.name} is an import format only")
        return module.export_text


FORMATS: dict[str, AnnotationFormat] = {}


def register(fmt: AnnotationFormat) -> None:
    FORMATS[fmt.name] = fmt


register(AnnotationFormat("google-mqm", "corpus.formats.google_mqm",
                          "Google MQM TSV (system, doc, doc_id, seg_id, rater, source, target, category, severity, comment; spans in <v>…</v>)", ".tsv"))
register(AnnotationFormat("appraise", "corpus.formats.appraise",
                          "Appraise MQM/ESA score export CSV (ExportSystemScoresToCSV: user, system, item, type, langs, score, document, complete, error spans JSON)", ".csv"))
register(AnnotationFormat("scores", "corpus.formats.scores",
                          "segment score file onto a WMT test set (system, seg_id, score; needs --protocol esa or da), import only", ".tsv"))
register(AnnotationFormat("label-studio", "corpus.formats.label_studio",
                          "Label Studio JSON export (tasks with span labels = category, per-region severity choice and comment)", ".json"))
register(AnnotationFormat("xliff", "corpus.formats.xliff",
                          "XLIFF 2.1 with ITS 2.0 Localization Quality Issue markup on <mrk>, for CAT tools", ".xlf"))


def get_format(name: str) -> AnnotationFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(f"unknown annotation format {name!r} (known: {', '.join(FORMATS)})") from None


def import_annotations(corpus, fmt: str, path: str | os.PathLike, actor: str | None = None, progress=None, **options) -> dict:
    """Import one file in one transaction: on any error nothing is written."""
    chosen = get_format(fmt)
    path = str(path)
    with corpus.transaction(f"import {chosen.name} {path}", actor) as tx:
        ingest = Ingest(tx, path)
        created = chosen.importer(ingest, path, progress=progress, **options)
    return {"format": chosen.name, "batch": tx.batch, "created": created, "rows": tx.counts}


def export_annotations(corpus, fmt: str, path: str | os.PathLike, translation_ids: list[str] | None = None, **options) -> dict:
    """Write the annotations of the given translations (all when None) to path, atomically."""
    chosen = get_format(fmt)
    if translation_ids:
        known = set(corpus.translations().id)
        unknown = [t for t in translation_ids if t not in known]
        if unknown:
            raise InputError(f"unknown translation(s): {', '.join(unknown)}")
    text, summary = chosen.exporter(corpus, translation_ids, **options)
    with atomic_write(Path(path)) as stream:
        stream.write(text)
    return {"format": chosen.name, "path": str(path), **summary}
