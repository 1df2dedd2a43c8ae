"""How each corpus table becomes an Arrow table in a release, and back.

Every content table is written with its stored columns ("base" columns, which the content hash and the
row-level diff cover) followed by derived columns that let a row travel alone: the licence and
provenance of the text it belongs to (and the language, for segments). Rows come out in a fixed order
(by id; segments in reading order), so equal contents give equal files and equal hashes.

JSON columns become typed lists where their shape is fixed (alignment segment indexes, glossary terms)
and canonical JSON strings otherwise (metadata, artifact examples, result payloads).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import JSON, Connection, Float, Integer, String, Text, case, cast, literal, select

from corpus import schema
from corpus.releases.errors import ReleaseError

BATCH_ROWS = 65_536

LIST_COLUMNS: dict[tuple[str, str], pa.DataType] = {
    ("alignments", "source_idx"): pa.list_(pa.int64()),
    ("alignments", "target_idx"): pa.list_(pa.int64()),
    ("glossary", "approved"): pa.list_(pa.string()),
    ("glossary", "variants"): pa.list_(pa.string()),
    ("glossary", "forbidden"): pa.list_(pa.string()),
}


def canonical_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _as_list(value: Any) -> list | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise ReleaseError(f"expected a JSON list, found {type(value).__name__}: {value!r:.80}")
    return value


INT_LIST = r"^\[\s*(-?\d+(\s*,\s*-?\d+)*)?\s*\]$"


def _json_lists(values: tuple) -> list:
    """Stored JSON texts of list columns parsed in one call (per-value json.loads dominates on big tables)."""
    parsed = json.loads("[" + ",".join("null" if v is None else v for v in values) + "]")
    return [_as_list(v) for v in parsed]


def _int_lists(values: tuple) -> pa.Array | list:
    """JSON lists of integers (segment indexes) parsed column-wise by Arrow; anything else goes through json."""
    texts = pa.array(values, pa.string())
    if pc.all(pc.match_substring_regex(texts, INT_LIST)).as_py() not in (True, None):
        return _json_lists(values)
    inner = pc.replace_substring_regex(texts, r"[\[\]\s]", "")
    parts = pc.if_else(pc.equal(inner, ""), pa.scalar([], pa.list_(pa.string())), pc.split_pattern(inner, ","))
    return parts.cast(pa.list_(pa.int64()))


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _json_loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


@dataclass(frozen=True)
class Column:
    name: str
    arrow_type: pa.DataType
    to_release: Callable[[Any], Any] | None
    from_release: Callable[[Any], Any] = lambda value: value
    derived: bool = False
    batch_to_release: Callable[[tuple], pa.Array | list] | None = None  # reads the stored text and converts a whole batch

    def convert(self, values: tuple) -> pa.Array | list:
        if self.batch_to_release is not None:
            return self.batch_to_release(values)
        if self.to_release is None:  # the database already hands out the release type; Arrow checks it
            return list(values)
        return [self.to_release(v) for v in values]


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    description: str
    order: tuple[str, ...] = ("id",)

    @property
    def base_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.derived]

    @property
    def derived_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.derived]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type) for c in self.columns])

    def record_batch(self, columns: list[list]) -> pa.RecordBatch:
        arrays = []
        for values, column in zip(columns, self.columns):
            if isinstance(values, pa.Array):
                arrays.append(values)
                continue
            try:
                arrays.append(pa.array(values, type=column.arrow_type))
            except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                raise ReleaseError(f"table {self.name}, column {column.name}: a stored value does not fit {column.arrow_type} ({error})") from None
        return pa.record_batch(arrays, schema=self.arrow_schema)

    def rows_for_insert(self, batch: pa.RecordBatch) -> list[dict]:
        """Rows of the stored table (base columns, values as the database takes them) from a release batch."""
        names = self.base_columns
        converters = {c.name: c.from_release for c in self.columns if not c.derived}
        values = {name: [converters[name](v) for v in batch.column(name).to_pylist()] for name in names}
        return [dict(zip(names, row)) for row in zip(*(values[n] for n in names))]


def _base_column(table_name: str, column) -> Column:
    if isinstance(column.type, JSON):
        list_type = LIST_COLUMNS.get((table_name, column.name))
        if list_type is not None:
            parse = _int_lists if list_type == pa.list_(pa.int64()) else _json_lists
            return Column(column.name, list_type, _as_list, batch_to_release=parse)
        return Column(column.name, pa.string(), canonical_json, _json_loads)
    if isinstance(column.type, Integer):
        return Column(column.name, pa.int64(), None)
    if isinstance(column.type, Float):
        return Column(column.name, pa.float64(), _as_float)
    return Column(column.name, pa.string(), None)


def _derived(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, pa.string(), None, derived=True) for name in names)


DESCRIPTIONS = {
    "documents": "One row per document: metadata, licence, provenance and the full source text (null when the source is unavailable).",
    "translations": "One row per translation of a document: language, producer (mt, human, post-edit), system and the full text.",
    "segments": "Sentences of every text with character offsets into it; `translation_id` is null on the source side.",
    "alignments": "n:m links between source and target segment indexes (`source_idx`, `target_idx`), auto or confirmed.",
    "annotations": "MQM error spans: offsets within the segment text, category, severity, artifact type, annotator, status.",
    "artifacts": "Catalogue of known translation artifacts (calques, untranslated names, debris) with examples (JSON).",
    "glossary": "Terminology concepts: source term, approved, variant and forbidden target terms.",
    "results": "Stored evaluation results with their signatures and the content hash of the data they were computed on.",
}
DERIVED = {
    "segments": ("lang", "license", "provenance"),
    "alignments": ("license", "provenance"),
    "annotations": ("license", "provenance"),
    "artifacts": ("license", "provenance"),
    "glossary": ("license", "provenance"),
    "results": ("license", "provenance"),
}
ORDER = {"segments": ("document_id", "side", "translation_id", "idx")}


def table_spec(name: str) -> TableSpec:
    table = schema.CONTENT_TABLES[name]
    columns = tuple(_base_column(name, c) for c in table.columns) + _derived(*DERIVED.get(name, ()))
    return TableSpec(name, columns, DESCRIPTIONS.get(name, ""), ORDER.get(name, ("id",)))


SPECS: dict[str, TableSpec] = {name: table_spec(name) for name in schema.CONTENT_TABLES}


def _ordered(connection: Connection, column):
    # Byte order everywhere, so a PostgreSQL corpus and its SQLite checkout list rows alike.
    return column.collate("C") if connection.dialect.name == "postgresql" and isinstance(column.type, String) else column


def _query(spec: TableSpec, connection: Connection, release_license: str | None):
    table = schema.CONTENT_TABLES[spec.name]
    d, t, j = schema.documents, schema.translations, schema.journal
    raw = {c.name for c in spec.columns if c.batch_to_release is not None}
    base = [cast(table.c[name], Text).label(name) if name in raw else table.c[name] for name in spec.base_columns]
    if spec.name in ("segments", "annotations"):
        on_source = table.c.translation_id.is_(None)
        derived = {
            "lang": case((on_source, d.c.lang), else_=t.c.lang),
            "license": case((on_source, d.c.license), else_=t.c.license),
            "provenance": case((on_source, d.c.provenance), else_=t.c.provenance),
        }
        source = table.join(d, d.c.id == table.c.document_id).outerjoin(t, t.c.id == table.c.translation_id)
    elif spec.name == "alignments":
        derived = {"license": t.c.license, "provenance": t.c.provenance}
        source = table.join(t, t.c.id == table.c.translation_id)
    else:
        first_insert = (
            select(literal("added by ") + j.c.actor + literal(" at ") + j.c.at)
            .where(j.c.entity == spec.name, j.c.entity_id == table.c.id, j.c.action == "insert")
            .order_by(j.c.seq)
            .limit(1)
            .scalar_subquery()
        )
        derived = {"license": literal(release_license), "provenance": first_insert}
        source = table
    selected = base + [derived[name].label(name) for name in spec.derived_columns]
    order = [_ordered(connection, table.c[name]) for name in spec.order]
    return select(*selected).select_from(source).order_by(*order)


def iter_batches(connection: Connection, name: str, release_license: str | None = None, batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """One table as Arrow record batches in release order."""
    spec = SPECS[name]
    result = connection.execute(_query(spec, connection, release_license))
    for rows in result.partitions(batch_rows):
        columns = [column.convert(values) for column, values in zip(spec.columns, zip(*rows))]
        yield spec.record_batch(columns)
