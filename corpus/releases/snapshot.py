"""Writing every content table of a corpus as Parquet, byte for byte reproducible.

The writer options are fixed (zstd level 3, dictionary encoding, statistics, Parquet format 2.6, one row
group per read batch) and the files carry no timestamps, so the same contents written by the same
pyarrow give the same bytes. Each table's content hash is computed while it streams through.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import Connection

from corpus import schema
from corpus.releases.contenthash import TableHasher
from corpus.releases.tables import BATCH_ROWS, SPECS, iter_batches

WRITER_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
}


def table_file(name: str) -> str:
    return f"data/{name}.parquet"


def write_table(connection: Connection, name: str, directory: Path, release_license: str | None, progress=None) -> dict:
    """Write one table to directory/data/NAME.parquet; returns its rows, content hash and columns."""
    spec = SPECS[name]
    path = directory / table_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    hasher = TableHasher(name)
    with pq.ParquetWriter(path, spec.arrow_schema, **WRITER_OPTIONS) as writer:
        for batch in iter_batches(connection, name, release_license, BATCH_ROWS):
            writer.write_batch(batch, row_group_size=BATCH_ROWS)
            hasher.update_batch(batch)
            if progress is not None:
                progress.update(batch.num_rows)
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())
    return {
        "file": table_file(name),
        "rows": hasher.rows,
        "content_hash": hasher.hexdigest(),
        "columns": spec.base_columns,
        "derived_columns": spec.derived_columns,
    }


def write_snapshot(connection: Connection, directory: Path, release_license: str | None, progress=None) -> dict[str, dict]:
    return {name: write_table(connection, name, directory, release_license, progress) for name in schema.CONTENT_TABLES}
