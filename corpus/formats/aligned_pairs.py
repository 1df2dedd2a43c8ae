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

PAIR_COLUMNS = ["alignment_id", "document_id", "translation_id", "src_lang", "tgt_lang", "producer", "system",
                "source", "target", "license", "provenance", "status"]
COLUMNS = {
    "documents": ["id", "lang"],
    "translations": ["id", "document_id", "lang", "producer", "system", "license", "provenance"],
    "segments": ["document_id", "translation_id", "idx", "text"],
    "alignments": ["id", "document_id", "translation_id", "source_idx", "target_idx", "status"],
}
TYPES = {"idx": pa.int64(), "source_idx": pa.list_(pa.int64()), "target_idx": pa.list_(pa.int64())}


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


def one_to_one_pairs(tables: ParallelTables, statuses: tuple[str, ...] = ("confirmed",)) -> pa.Table:
    """One row per 1-1 link with the given statuses, in document, translation and source order."""
    links = tables.alignments
    keep = pc.and_(pc.and_(pc.equal(pc.list_value_length(links["source_idx"]), 1), pc.equal(pc.list_value_length(links["target_idx"]), 1)),
                   pc.is_in(links["status"], pa.array(list(statuses), pa.string())))
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
