"""One unit of change: a database transaction whose every mutation lands in the change journal."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import json
from functools import cache
from operator import itemgetter

from sqlalchemy import JSON, Connection, bindparam, delete, select, update

from corpus import schema
from corpus.clock import new_id, text_hash, utc_now
from corpus.errors import ConflictError, NotFoundError


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is list and all(type(v) is int for v in value):  # alignment indexes: the hot case
        return "[" + ", ".join(map(str, value)) + "]"
    return json.dumps(value)


def _with_json(values: tuple, positions: list[int]) -> tuple:
    values = list(values)
    for i in positions:
        values[i] = _json(values[i])
    return tuple(values)


LARGE_TEXT = 4096


def _jsonable(row: dict) -> dict:
    """A row as the journal keeps it: full texts above LARGE_TEXT characters are replaced by their
    hash and length (the row itself holds the text; the journal only has to tell that it changed)."""
    return {
        key: {"sha1": text_hash(value), "chars": len(value)} if isinstance(value, str) and len(value) > LARGE_TEXT else value
        for key, value in row.items()
    }


@cache
def _by_id(table: str, everything: bool):
    """SELECT of one row (every column, or only its id) by id, built once: SQLAlchemy then finds its compiled
    form without working out a cache key for a new statement on every lookup."""
    t = schema.CONTENT_TABLES[table]
    return (select(t) if everything else select(t.c.id)).where(t.c.id == bindparam("row_id"))


class Transaction:
    """Writes rows and their journal entries on one connection; created by Corpus.transaction()."""

    def __init__(self, connection: Connection, actor: str, label: str):
        self.connection = connection
        self.actor = actor
        self.label = label
        self.batch = new_id("batch")
        self.at = utc_now()
        self.counts: dict[str, int] = {}

    def _journal(self, entries: Sequence[dict]) -> None:
        if entries:
            self.connection.execute(schema.journal.insert(), list(entries))

    def _entry(self, action: str, entity: str, entity_id: str, before: Any, after: Any, actor: str | None = None) -> dict:
        return {
            "at": self.at,
            "actor": actor or self.actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "batch": self.batch,
        }

    def record(self, action: str, table: str, row_id: str, before: dict | None, after: dict | None) -> None:
        """Journal a change the caller made itself (a multi-step rewrite such as re-segmentation)."""
        self._journal([self._entry(action, table, row_id, None if before is None else _jsonable(before),
                                   None if after is None else _jsonable(after))])
        self._count(table, action, 1)

    def _count(self, table: str, action: str, n: int) -> None:
        key = f"{table}.{action}"
        self.counts[key] = self.counts.get(key, 0) + n

    def insert(self, table: str, rows: Sequence[dict], actors: Sequence[str] | None = None) -> None:
        """Insert rows and journal each of them, as made by the transaction's actor or by actors[i] (one per row:
        a group commit of several people's saves)."""
        if not rows:
            return
        self.connection.execute(schema.CONTENT_TABLES[table].insert(), list(rows))
        actors = actors or [None] * len(rows)
        self._journal([self._entry("insert", table, row["id"], None, _jsonable(row), actor) for row, actor in zip(rows, actors)])
        self._count(table, "insert", len(rows))

    def insert_bulk(self, table: str, rows: Sequence[dict], summary_id: str, summary: dict) -> None:
        """Insert many rows of one unit (the segments of one text, the links of one alignment run) with
        one journal entry for the unit, so million-row imports stay fast."""
        if not rows:
            return
        columns = list(schema.CONTENT_TABLES[table].columns)
        getter = itemgetter(*[c.name for c in columns])
        values = [getter(row) for row in rows]
        json_positions = [i for i, c in enumerate(columns) if isinstance(c.type, JSON)]
        if json_positions:
            values = [_with_json(value, json_positions) for value in values]
        self.insert_values(table, values, summary_id, summary)

    def insert_values(self, table: str, values: Sequence[tuple], summary_id: str, summary: dict) -> None:
        """insert_bulk for rows given as tuples in the table's column order, JSON columns as their JSON text:
        the path for writers that build millions of rows column by column."""
        if not values:
            return
        self._executemany(schema.CONTENT_TABLES[table], values)
        self._journal([self._entry("insert", table, summary_id, None, {"rows": len(values), **summary})])
        self._count(table, "insert", len(values))

    def _executemany(self, table, values: Sequence[tuple]) -> None:
        """A plain DBAPI executemany over tuples: SQLAlchemy's per-row parameter processing costs
        more than SQLite's own insert work on million-row imports."""
        names = [c.name for c in table.columns]
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(self.connection.dialect.paramstyle)
        if placeholder is None:  # a driver with named parameters: through SQLAlchemy, JSON columns decoded again
            json_names = {c.name for c in table.columns if isinstance(c.type, JSON)}
            rows = [{name: json.loads(v) if name in json_names and v is not None else v for name, v in zip(names, value)}
                    for value in values]
            self.connection.execute(table.insert(), rows)
            return
        quoted = ", ".join(f'"{name}"' for name in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join([placeholder] * len(names))})'
        self.connection.exec_driver_sql(sql, values if isinstance(values, list) else list(values))

    def fetch(self, table: str, row_id: str) -> dict | None:
        row = self.connection.execute(_by_id(table, everything=True), {"row_id": row_id}).mappings().first()
        return dict(row) if row else None

    def exists(self, table: str, row_id: str) -> bool:
        return self.connection.execute(_by_id(table, everything=False), {"row_id": row_id}).first() is not None

    def update(self, table: str, row_id: str, changes: dict, expected_version: int | None = None) -> dict:
        """Update one row; with expected_version, refuse a write based on a stale read."""
        t = schema.CONTENT_TABLES[table]
        before = self.fetch(table, row_id)
        if before is None:
            raise NotFoundError(f"no {table[:-1]} with id {row_id!r}")
        if expected_version is not None and before.get("version") != expected_version:
            raise self._stale(table, row_id, before.get("version"), expected_version)
        condition = t.c.id == row_id
        if "version" in t.c:
            # Every update bumps the version, and only the version that was read may be updated, so
            # two writers racing on a server database cannot both win.
            changes = {**changes, "version": before["version"] + 1}
            condition = condition & (t.c.version == before["version"])
        if self.connection.execute(update(t).where(condition).values(**changes)).rowcount != 1:
            raise self._stale(table, row_id, None, before.get("version"))
        after = {**before, **changes}
        self._journal([self._entry("update", table, row_id, _jsonable(before), _jsonable(after))])
        self._count(table, "update", 1)
        return after

    @staticmethod
    def _stale(table: str, row_id: str, current, expected) -> ConflictError:
        now = "" if current is None else f"version {current}, "
        return ConflictError(f"{table[:-1]} {row_id!r} was changed by someone else ({now}you had {expected})")

    def delete(self, table: str, row_id: str, expected_version: int | None = None) -> dict:
        t = schema.CONTENT_TABLES[table]
        before = self.fetch(table, row_id)
        if before is None:
            raise NotFoundError(f"no {table[:-1]} with id {row_id!r}")
        if expected_version is not None and before.get("version") != expected_version:
            raise self._stale(table, row_id, before.get("version"), expected_version)
        self.connection.execute(delete(t).where(t.c.id == row_id))
        self._journal([self._entry("delete", table, row_id, _jsonable(before), None)])
        self._count(table, "delete", 1)
        return before

    def delete_where(self, table: str, condition, summary_id: str) -> int:
        """Delete the rows matching condition with one journal entry holding them all."""
        t = schema.CONTENT_TABLES[table]
        rows = [dict(r) for r in self.connection.execute(select(t).where(condition)).mappings()]
        if not rows:
            return 0
        self.connection.execute(delete(t).where(condition))
        self._journal([self._entry("delete", table, summary_id, {"rows": rows}, None)])
        self._count(table, "delete", len(rows))
        return len(rows)

    def delete_rows(self, table: str, rows: Iterable[dict]) -> None:
        t = schema.CONTENT_TABLES[table]
        for row in rows:
            self.connection.execute(delete(t).where(t.c.id == row["id"]))
            self._journal([self._entry("delete", table, row["id"], _jsonable(row), None)])
            self._count(table, "delete", 1)
