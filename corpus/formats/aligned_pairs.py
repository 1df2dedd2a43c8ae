"""Sentence pairs of 1-1 alignment links, the unit that TMX and Moses exports carry.

Works on pandas frames of the documents, translations, segments and alignments tables, read either from
a corpus or from a release's Parquet files, so an export of a release is made from exactly its data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

PAIR_COLUMNS = ["alignment_id", "document_id", "translation_id", "src_lang", "tgt_lang", "producer", "system",
                "source", "target", "license", "provenance", "status"]


@dataclass
class ParallelTables:
    documents: pd.DataFrame
    translations: pd.DataFrame
    segments: pd.DataFrame
    alignments: pd.DataFrame


def tables_from_corpus(corpus) -> ParallelTables:
    return ParallelTables(corpus.documents(), corpus.translations(), corpus.segments(), corpus.alignments())


def tables_from_release(directory: str | Path) -> ParallelTables:
    data = Path(directory) / "data"

    def read(name: str, columns: list[str]) -> pd.DataFrame:
        return pq.read_table(data / f"{name}.parquet", columns=columns).to_pandas()

    return ParallelTables(
        read("documents", ["id", "lang"]),
        read("translations", ["id", "document_id", "lang", "producer", "system", "license", "provenance"]),
        read("segments", ["document_id", "translation_id", "idx", "text"]),
        read("alignments", ["id", "document_id", "translation_id", "source_idx", "target_idx", "status"]),
    )


def one_to_one_pairs(tables: ParallelTables, statuses: tuple[str, ...] = ("confirmed",)) -> pd.DataFrame:
    """One row per 1-1 link with the given statuses, in document, translation and source order."""
    links = tables.alignments
    if links.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    one_to_one = links.source_idx.map(len).eq(1) & links.target_idx.map(len).eq(1) & links.status.isin(statuses)
    links = links[one_to_one]
    links = pd.DataFrame({
        "alignment_id": links.id.values,
        "document_id": links.document_id.values,
        "translation_id": links.translation_id.values,
        "source_idx": [int(i[0]) for i in links.source_idx],
        "target_idx": [int(i[0]) for i in links.target_idx],
        "status": links.status.values,
    })
    segments = tables.segments
    source = segments[segments.translation_id.isna()][["document_id", "idx", "text"]].rename(columns={"idx": "source_idx", "text": "source"})
    target = segments[segments.translation_id.notna()][["translation_id", "idx", "text"]].rename(columns={"idx": "target_idx", "text": "target"})
    translations = tables.translations[["id", "lang", "producer", "system", "license", "provenance"]].rename(columns={"id": "translation_id", "lang": "tgt_lang"})
    documents = tables.documents[["id", "lang"]].rename(columns={"id": "document_id", "lang": "src_lang"})
    pairs = (
        links.merge(source, on=["document_id", "source_idx"])
        .merge(target, on=["translation_id", "target_idx"])
        .merge(translations, on="translation_id")
        .merge(documents, on="document_id")
        .sort_values(["document_id", "translation_id", "source_idx", "target_idx"], kind="stable")
    )
    pairs = pairs.astype({c: object for c in ("system", "license", "provenance")})
    pairs = pairs.where(pairs.notna(), None)
    return pairs[PAIR_COLUMNS].reset_index(drop=True)
