"""Row-level differences between two releases, or a release and the working corpus.

Rows are matched by their stable id; a row is changed when any stored column differs (derived columns
are left out, their sources are compared where they live). Tables whose content hashes agree are not read.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpus import schema
from corpus.releases.contenthash import TableHasher, release_hash
from corpus.releases.layout import read_manifest
from corpus.releases.tables import SPECS, iter_batches

WORKING = "WORKING"


def _base_schema(name: str) -> pa.Schema:
    spec = SPECS[name]
    return pa.schema([spec.arrow_schema.field(c) for c in spec.base_columns])


class ReleaseSide:
    def __init__(self, directory: Path):
        self.directory = directory
        self.manifest = read_manifest(directory)
        self.label = self.manifest["version"]
        self.content_hash = self.manifest["content_hash"]

    def table_hash(self, name: str) -> str | None:
        return self.manifest["tables"].get(name, {}).get("content_hash")

    def rows(self, name: str) -> int:
        return self.manifest["tables"].get(name, {}).get("rows", 0)

    def table(self, name: str) -> pa.Table:
        info = self.manifest["tables"].get(name)
        if info is None:
            return _base_schema(name).empty_table()
        return pq.read_table(self.directory / info["file"], columns=info["columns"])


class WorkingSide:
    """The corpus as it is now, read in one consistent transaction."""

    def __init__(self, corpus):
        from corpus.releases.publish import snapshot_connection

        self.label = WORKING
        self.tables: dict[str, pa.Table] = {}
        self.hashes: dict[str, str] = {}
        with snapshot_connection(corpus.engine) as connection:
            for name in schema.CONTENT_TABLES:
                hasher, batches = TableHasher(name), []
                for batch in iter_batches(connection, name):
                    hasher.update_batch(batch)
                    batches.append(batch.select(SPECS[name].base_columns))
                self.hashes[name] = hasher.hexdigest()
                self.tables[name] = pa.Table.from_batches(batches, schema=_base_schema(name))
        self.content_hash = release_hash(self.hashes)

    def table_hash(self, name: str) -> str:
        return self.hashes[name]

    def rows(self, name: str) -> int:
        return self.tables[name].num_rows

    def table(self, name: str) -> pa.Table:
        return self.tables[name]


def _rows(table: pa.Table) -> dict[str, tuple]:
    columns = [table.column(name).to_pylist() for name in table.column_names]
    ids = table.column("id").to_pylist()
    return dict(zip(ids, zip(*columns))) if ids else {}


def diff_table(name: str, left: pa.Table, right: pa.Table, limit: int | None = None) -> dict:
    shared = [c for c in left.column_names if c in right.column_names]
    before, after = _rows(left.select(shared)), _rows(right.select(shared))
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]
    changed, unchanged = [], 0
    for row_id, old in before.items():
        new = after.get(row_id)
        if new is None:
            continue
        if new == old:
            unchanged += 1
            continue
        changed.append({"id": row_id, "columns": {c: {"before": o, "after": n} for c, o, n in zip(shared, old, new) if o != n}})
    counts = {"added": len(added), "removed": len(removed), "changed": len(changed), "unchanged": unchanged}
    clip = (lambda items: items) if limit is None else (lambda items: items[:limit])
    return {
        "counts": counts,
        "added": clip(sorted(added)),
        "removed": clip(sorted(removed)),
        "changed": clip(sorted(changed, key=lambda c: c["id"])),
        "truncated": limit is not None and max(counts["added"], counts["removed"], counts["changed"]) > limit,
        "columns_only_left": [c for c in left.column_names if c not in shared],
        "columns_only_right": [c for c in right.column_names if c not in shared],
    }


def diff_sides(left, right, tables: list[str] | None = None, limit: int | None = None) -> dict:
    result = {"left": left.label, "right": right.label, "left_content_hash": left.content_hash,
              "right_content_hash": right.content_hash, "identical": left.content_hash == right.content_hash, "tables": {}}
    totals = {"added": 0, "removed": 0, "changed": 0}
    for name in tables or list(schema.CONTENT_TABLES):
        if left.table_hash(name) is not None and left.table_hash(name) == right.table_hash(name):
            table = {"counts": {"added": 0, "removed": 0, "changed": 0, "unchanged": left.rows(name)}, "added": [], "removed": [], "changed": [], "truncated": False}
        else:
            table = diff_table(name, left.table(name), right.table(name), limit)
        result["tables"][name] = table
        for key in totals:
            totals[key] += table["counts"][key]
    result["summary"] = totals
    return result
