"""Sentence pairs of 1-1 alignment links, the unit that TMX and Moses exports carry.

Works on Arrow tables of the documents, translations, segments and alignments tables, read either
from a corpus or from a release's Parquet files, so an export of a release is made from exactly its
data. Joins run in Arrow, so a million-segment corpus never becomes Python objects.
"""
from __future__ import annotations

import contextlib
import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.errors import EmptyExport  # noqa: F401  (raised by the TMX and Moses exporters)

PAIR_COLUMNS = ["alignment_id", "document_id", "translation_id", "src_lang", "tgt_lang", "producer", "system",
                "source", "target", "license", "provenance", "status"]
COLUMNS = {
    "documents": ["id", "lang"],
    "translations": ["id", "document_id", "lang", "producer", "system", "license", "provenance"],
    "segments": ["document_id", "translation_id", "idx", "text"],
    "alignments": ["id", "document_id", "translation_id", "source_idx", "target_idx", "status", "score"],
}
TYPES = {"idx": pa.int64(), "source_idx": pa.list_(pa.int64()), "target_idx": pa.list_(pa.int64()), "score": pa.float64()}


@dataclass
class ParallelTables:
    documents: pa.Table
    translations: pa.Table
    segments: pa.Table
    alignments: pa.Table


def _schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c, TYPES.get(c, pa.string())) for c in COLUMNS[name]])


def _missing(value) -> bool:
    """NaN / NA that pandas puts where the database had NULL."""
    return value is None or (not isinstance(value, (list, str)) and bool(pd.isna(value)))


def tables_from_corpus(corpus) -> ParallelTables:
    frames = {"documents": corpus.documents(), "translations": corpus.translations(), "segments": corpus.segments(),
              "alignments": corpus.alignments()}
    tables = {}
    for name, frame in frames.items():
        columns = {c: frame[c].tolist() if c in frame else [] for c in COLUMNS[name]}
        columns = {c: [None if _missing(v) else v for v in values] for c, values in columns.items()}
        tables[name] = pa.table(columns, schema=_schema(name))
    return ParallelTables(**tables)


def tables_from_release(directory: str | Path) -> ParallelTables:
    data = Path(directory) / "data"
    return ParallelTables(**{name: pq.read_table(data / f"{name}.parquet", columns=columns) for name, columns in COLUMNS.items()})


def link_statuses(include_auto: bool) -> tuple[str, ...]:
    return ("confirmed", "auto") if include_auto else ("confirmed",)


def _one_to_one(links: pa.Table) -> pa.Array:
    return pc.and_(pc.equal(pc.list_value_length(links["source_idx"]), 1), pc.equal(pc.list_value_length(links["target_idx"]), 1))


def one_to_one_pairs(tables: ParallelTables, statuses: tuple[str, ...] = ("confirmed",), min_score: float | None = None) -> pa.Table:
    """One row per 1-1 link with the given statuses, in document, translation and source order; automatic
    links only when scored at least min_score (when given)."""
    links = tables.alignments
    keep = pc.and_(_one_to_one(links), pc.is_in(links["status"], pa.array(list(statuses), pa.string())))
    if min_score is not None:
        scored = pc.fill_null(pc.greater_equal(links["score"], float(min_score)), False)
        keep = pc.and_(keep, pc.or_(pc.equal(links["status"], "confirmed"), scored))
    links = links.filter(pc.fill_null(keep, False))
    links = pa.table({
        "alignment_id": links["id"], "document_id": links["document_id"], "translation_id": links["translation_id"],
        "source_idx": pc.list_element(links["source_idx"], 0), "target_idx": pc.list_element(links["target_idx"], 0), "status": links["status"],
    })
    # Join on keys and row numbers only; the texts are taken once, at the end, in output order.
    segments = tables.segments
    keys = pa.table({"document_id": segments["document_id"], "translation_id": segments["translation_id"], "idx": segments["idx"],
                     "row": pa.array(range(segments.num_rows), pa.int64())})
    on_source = pc.is_null(keys["translation_id"])
    source = keys.filter(on_source).select(["document_id", "idx", "row"]).rename_columns(["document_id", "source_idx", "source_row"])
    target = keys.filter(pc.invert(on_source)).select(["translation_id", "idx", "row"]).rename_columns(["translation_id", "target_idx", "target_row"])
    translations = tables.translations.select(["id", "lang", "producer", "system", "license", "provenance"]).rename_columns(
        ["translation_id", "tgt_lang", "producer", "system", "license", "provenance"])
    documents = tables.documents.select(["id", "lang"]).rename_columns(["document_id", "src_lang"])
    pairs = (
        links.join(source, ["document_id", "source_idx"], join_type="inner")
        .join(target, ["translation_id", "target_idx"], join_type="inner")
        .join(translations, "translation_id", join_type="inner")
        .join(documents, "document_id", join_type="inner")
    )
    pairs = pairs.sort_by([("document_id", "ascending"), ("translation_id", "ascending"), ("source_idx", "ascending"), ("target_idx", "ascending")])
    text = segments["text"]
    pairs = pairs.append_column("source", text.take(pairs["source_row"])).append_column("target", text.take(pairs["target_row"]))
    return pairs.select(PAIR_COLUMNS).combine_chunks()


def why_no_pairs(tables: ParallelTables, statuses: tuple[str, ...] = ("confirmed",), min_score: float | None = None) -> str:
    """Why one_to_one_pairs gave nothing, and what to do about it."""
    links = tables.alignments
    if links.num_rows == 0:
        return "the corpus has no alignment links (run `calque align --all`, then `calque align confirm --all`)"
    one_to_one = links.filter(pc.fill_null(_one_to_one(links), False))
    statuses_of = one_to_one["status"].to_pylist()
    confirmed, auto = statuses_of.count("confirmed"), statuses_of.count("auto")
    if "auto" not in statuses:
        return (f"none of the {links.num_rows} alignment links is a confirmed 1-1 link ({auto} automatic 1-1 links): "
                "confirm them with `calque align confirm --all [--min-score X]` or export them with --include-auto")
    if min_score is not None and auto:
        return f"no confirmed 1-1 link and none of the {auto} automatic 1-1 links scores {min_score:g} or more (lower --min-score)"
    return (f"none of the {links.num_rows} alignment links links one source segment to one target segment "
            f"(TMX and Moses carry 1-1 pairs only; {confirmed + auto} are 1-1)")


def write_strings(stream: IO[bytes], values: pa.Array | pa.ChunkedArray) -> None:
    """The UTF-8 bytes of a string column, back to back, without making Python strings."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    for chunk in chunks:
        chunk = chunk.cast(pa.large_string())
        if len(chunk) == 0:
            continue
        offsets = chunk.buffers()[1]
        first, last = (int.from_bytes(offsets[8 * i : 8 * i + 8], "little") for i in (chunk.offset, chunk.offset + len(chunk)))
        stream.write(memoryview(chunk.buffers()[2])[first:last])


@contextlib.contextmanager
def gzip_stream(stream: IO[bytes], level: int) -> Iterator[IO[bytes]]:
    """A gzip member around stream with no file name and no timestamp, so equal input gives equal bytes."""
    with gzip.GzipFile(fileobj=stream, mode="wb", compresslevel=level, filename="", mtime=0) as compressed:
        yield compressed
