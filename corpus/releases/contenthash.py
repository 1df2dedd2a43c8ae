"""Content hashes: what a release holds, independent of how its files happen to be encoded.

A column's hash is the sha256 of the canonical JSON list of its values in release order; a table's hash
covers its row count and the hashes of its base (stored) columns; the release's hash covers every
table's. Derived columns (licence, provenance, language joined from the owning text) are left out, so a
checkout of a release, released again, reproduces the hash.
"""
from __future__ import annotations

import hashlib
import json
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.releases.tables import SPECS


def _digest(data: dict) -> str:
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class TableHasher:
    """Feed it a table's columns batch by batch; batch boundaries do not change the result."""

    def __init__(self, name: str):
        self.spec = SPECS[name]
        self.positions = [i for i, c in enumerate(self.spec.columns) if not c.derived]
        self.hashers = {self.spec.columns[i].name: hashlib.sha256(b"[") for i in self.positions}
        self.rows = 0

    def update(self, columns: list[list]) -> None:
        if not columns or not columns[0]:
            return
        for i in self.positions:
            encoded = json.dumps(columns[i], ensure_ascii=False, separators=(",", ":"), allow_nan=True)[1:-1]
            hasher = self.hashers[self.spec.columns[i].name]
            hasher.update(("," if self.rows else "").encode() + encoded.encode("utf-8"))
        self.rows += len(columns[0])

    def update_batch(self, batch: pa.RecordBatch) -> None:
        self.update([batch.column(c.name).to_pylist() for c in self.spec.columns])

    def hexdigest(self) -> str:
        columns = {}
        for name, hasher in self.hashers.items():
            final = hasher.copy()
            final.update(b"]")
            columns[name] = final.hexdigest()
        return _digest({"table": self.spec.name, "rows": self.rows, "columns": columns})


def release_hash(table_hashes: dict[str, str]) -> str:
    return _digest(dict(sorted(table_hashes.items())))


def parquet_table_hash(name: str, path, batch_rows: int = 65_536) -> tuple[str, int]:
    hasher = TableHasher(name)
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
        hasher.update_batch(batch)
    return hasher.hexdigest(), hasher.rows


def batches_hash(name: str, batches: Iterable[pa.RecordBatch]) -> tuple[str, int]:
    hasher = TableHasher(name)
    for batch in batches:
        hasher.update_batch(batch)
    return hasher.hexdigest(), hasher.rows
