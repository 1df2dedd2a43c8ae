"""Files for other tools, gzipped, written into a release's exports/ folder.

TMX 1.4 and Moses text (confirmed 1-1 links) are made from the release's own Parquet data. XLIFF 2.1
with ITS quality-issue markup and Google MQM TSV (the annotation exchange formats of
corpus.formats.annotations) are written from the corpus itself, one file per language pair, for the
translations that carry annotations; the journal high-water mark is checked afterwards, so they are
kept only if the corpus did not change since the snapshot, and otherwise left out with the reason
recorded in the manifest (so is an annotation export that fails: the release does not depend on it).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import func, select

from corpus import schema
from corpus.formats.aligned_pairs import gzip_stream, one_to_one_pairs, tables_from_release, why_no_pairs
from corpus.formats.moses import write_moses
from corpus.formats.tmx import write_tmx
from corpus.version import calque_version

EXPORTS_DIR = "exports"
GZIP_LEVEL = 1  # exports are several times the size of the Parquet data; level 1 gets most of the saving at a fraction of the time


@dataclass
class ExportContext:
    release: Path
    directory: Path
    corpus: object
    seq: int
    skipped: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def pairs(self) -> pa.Table:
        return one_to_one_pairs(tables_from_release(self.release))

    def corpus_unchanged(self) -> bool:
        with self.corpus.engine.connect() as connection:
            return connection.execute(select(func.coalesce(func.max(schema.journal.c.seq), 0))).scalar_one() == self.seq


def _no_pairs(context: ExportContext, name: str) -> bool:
    """True (and the reason in the manifest) when the release has no confirmed 1-1 link to export."""
    if context.pairs.num_rows:
        return False
    context.skipped[name] = "empty: " + why_no_pairs(tables_from_release(context.release))
    return True


def _tmx(context: ExportContext) -> list[Path]:
    if _no_pairs(context, "tmx"):
        return []
    path = context.directory / "corpus.tmx.gz"
    with open(path, "wb") as raw, gzip_stream(raw, GZIP_LEVEL) as stream:
        write_tmx(stream, context.pairs, calque_version())
    return [path]


def _moses(context: ExportContext) -> list[Path]:
    if _no_pairs(context, "moses"):
        return []
    moses = context.directory / "moses"
    moses.mkdir(exist_ok=True)
    written = write_moses(context.pairs, moses, "corpus", GZIP_LEVEL)
    return [Path(w[role]) for w in written for role in ("source", "target", "docids")]


def annotated_translations(release: Path) -> dict[tuple[str, str], list[str]]:
    """Translation ids with at least one annotation in the release, by (source, target) language."""
    data = release / "data"
    annotated = pc.unique(pq.read_table(data / "annotations.parquet", columns=["translation_id"])["translation_id"].drop_null()).to_pylist()
    if not annotated:
        return {}
    translations = pq.read_table(data / "translations.parquet", columns=["id", "document_id", "lang"]).to_pylist()
    languages = {d["id"]: d["lang"] for d in pq.read_table(data / "documents.parquet", columns=["id", "lang"]).to_pylist()}
    wanted = set(annotated)
    by_pair: dict[tuple[str, str], list[str]] = {}
    for t in translations:
        if t["id"] in wanted:
            by_pair.setdefault((languages[t["document_id"]], t["lang"]), []).append(t["id"])
    return {pair: sorted(ids) for pair, ids in sorted(by_pair.items())}


def _annotation_format(name: str, suffix: str) -> Callable[[ExportContext], list[Path]]:
    def write(context: ExportContext) -> list[Path]:
        from corpus.formats.annotations import get_format

        exporter = get_format(name).exporter
        written = []
        annotated = annotated_translations(context.release)
        if not annotated:
            context.skipped[name] = "empty: the release has no annotated translation"
            return []
        for (src_lang, tgt_lang), ids in annotated.items():
            try:
                text, _summary = exporter(context.corpus, ids)
            except Exception as error:  # an optional export must not stop the release; the reason goes into the manifest
                context.skipped[f"{name} {src_lang}-{tgt_lang}"] = f"{type(error).__name__}: {error}"
                continue
            path = context.directory / f"annotations.{src_lang}-{tgt_lang}{suffix}.gz"
            with open(path, "wb") as raw, gzip_stream(raw, GZIP_LEVEL) as stream:
                stream.write(text.encode("utf-8"))
            written.append(path)
        if written and not context.corpus_unchanged():
            for path in written:
                path.unlink()
            context.skipped[name] = "the corpus changed while the release was being built"
            return []
        return written

    return write


RELEASE_EXPORTS: dict[str, Callable[[ExportContext], list[Path]]] = {
    "tmx": _tmx,
    "moses": _moses,
    "xliff": _annotation_format("xliff", ".xlf"),
    "google-mqm": _annotation_format("google-mqm", ".mqm.tsv"),
}


def write_exports(release: Path, corpus, seq: int, names: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """Write the named exports (default: all) under release/exports/; returns the files relative to
    release and the exports left out with their reasons."""
    names = list(RELEASE_EXPORTS) if names is None else names
    if not names:
        return [], {}
    directory = release / EXPORTS_DIR
    directory.mkdir(exist_ok=True)
    context = ExportContext(release, directory, corpus, seq)
    written: list[Path] = []
    for name in names:
        written += RELEASE_EXPORTS[name](context)
    for folder in sorted((p for p in directory.rglob("*") if p.is_dir()), reverse=True) + [directory]:
        if not any(folder.iterdir()):
            folder.rmdir()
    return [p.relative_to(release).as_posix() for p in written], context.skipped
