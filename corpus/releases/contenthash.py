"""Content hashes: what a release holds, independent of how its files happen to be encoded.

A column is hashed as byte streams over its values in release order, each value laid out the same way
whatever batches or files it came in:
  validity   one byte per value, 1 present / 0 null;
  lengths    little-endian int64 per value: UTF-8 byte length of a string, element count of a list (0 for null);
  data       strings: their UTF-8 bytes back to back; int64 / float64: little-endian 8 bytes (0 for null);
             lists: the streams of their flattened elements (element validity, lengths, data).
The column's hash is the sha256 of its streams' sha256 digests; a table's hash covers its name, row count
and base (stored) columns; the release's hash covers every table's. Derived columns (licence, provenance,
language joined from the owning text) are left out, so a checkout of a release, released again,
reproduces the hash.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.releases.tables import SPECS


def _digest(data: dict) -> str:
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class ColumnHasher:
    def __init__(self, arrow_type: pa.DataType):
        self.type = arrow_type
        self.streams = {name: hashlib.sha256() for name in ("validity", "lengths", "data")}
        self.elements = ColumnHasher(arrow_type.value_type) if pa.types.is_list(arrow_type) else None

    def update(self, array: pa.Array) -> None:
        if isinstance(array, pa.ChunkedArray):
            for chunk in array.chunks:
                self.update(chunk)
            return
        self.streams["validity"].update(array.is_valid().to_numpy(zero_copy_only=False).astype(np.uint8).tobytes())
        if pa.types.is_string(self.type) or pa.types.is_large_string(self.type):
            filled = pc.fill_null(array, "").cast(pa.large_string())
            offsets = np.frombuffer(filled.buffers()[1], dtype="<i8")[filled.offset : filled.offset + len(filled) + 1]
            self.streams["lengths"].update(np.diff(offsets).astype("<i8").tobytes())
            data = filled.buffers()[2]
            if data is not None and len(filled):
                self.streams["data"].update(memoryview(data)[int(offsets[0]) : int(offsets[-1])])
        elif self.elements is not None:
            lengths = pc.fill_null(pc.list_value_length(array), 0).to_numpy(zero_copy_only=False)
            self.streams["lengths"].update(lengths.astype("<i8").tobytes())
            self.elements.update(pc.list_flatten(array))
        else:
            values = pc.fill_null(array, pa.scalar(0, self.type)).to_numpy(zero_copy_only=False)
            self.streams["data"].update(values.astype("<f8" if pa.types.is_floating(self.type) else "<i8").tobytes())

    def hexdigest(self) -> str:
        digests = [s.hexdigest() for s in self.streams.values()]
        if self.elements is not None:
            digests.append(self.elements.hexdigest())
        return hashlib.sha256(":".join(digests).encode()).hexdigest()


class TableHasher:
    """Feed it a table's record batches in release order; batch boundaries do not change the result."""

    def __init__(self, name: str):
        self.spec = SPECS[name]
        self.columns = {c.name: ColumnHasher(c.arrow_type) for c in self.spec.columns if not c.derived}
        self.rows = 0

    def update_batch(self, batch: pa.RecordBatch | pa.Table) -> None:
        for name, hasher in self.columns.items():
            hasher.update(batch.column(name))
        self.rows += batch.num_rows

    def hexdigest(self) -> str:
        columns = {name: hasher.hexdigest() for name, hasher in self.columns.items()}
        return _digest({"table": self.spec.name, "rows": self.rows, "columns": columns})


def release_hash(table_hashes: dict[str, str]) -> str:
    return _digest(dict(sorted(table_hashes.items())))


def parquet_table_hash(name: str, path, batch_rows: int = 65_536) -> tuple[str, int]:
    hasher = TableHasher(name)
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=list(hasher.columns)):
        hasher.update_batch(batch)
    return hasher.hexdigest(), hasher.rows
