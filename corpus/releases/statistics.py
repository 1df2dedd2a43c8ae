"""Counts that describe a release in its dataset card and manifest, read in the snapshot's transaction."""
from __future__ import annotations

from sqlalchemy import Connection, func, select

from corpus import schema


def _pairs(connection: Connection, query) -> dict[str, int]:
    return {("(none)" if key is None else str(key)): int(count) for key, count in connection.execute(query).all()}


def _merge(*counts: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for part in counts:
        for key, value in part.items():
            merged[key] = merged.get(key, 0) + value
    return dict(sorted(merged.items()))


def corpus_statistics(connection: Connection) -> dict:
    d, t, s, a, n = schema.documents, schema.translations, schema.segments, schema.alignments, schema.annotations

    def count(table, *conditions) -> int:
        return int(connection.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one())

    source_segments = _pairs(connection, select(d.c.lang, func.count()).select_from(s.join(d, d.c.id == s.c.document_id)).where(s.c.translation_id.is_(None)).group_by(d.c.lang))
    target_segments = _pairs(connection, select(t.c.lang, func.count()).select_from(s.join(t, t.c.id == s.c.translation_id)).group_by(t.c.lang))
    languages = sorted({*connection.execute(select(d.c.lang).distinct()).scalars(), *connection.execute(select(t.c.lang).distinct()).scalars()})
    return {
        "documents": count(d),
        "documents_without_source": count(d, d.c.source_text.is_(None)),
        "translations": count(t),
        "translations_by_producer": _pairs(connection, select(t.c.producer, func.count()).group_by(t.c.producer).order_by(t.c.producer)),
        "language_pairs": _pairs(
            connection,
            select(d.c.lang + "-" + t.c.lang, func.count()).select_from(t.join(d, d.c.id == t.c.document_id)).group_by(d.c.lang, t.c.lang),
        ),
        "segments": count(s),
        "segments_by_language": _merge(source_segments, target_segments),
        "segments_by_side": _pairs(connection, select(s.c.side, func.count()).group_by(s.c.side).order_by(s.c.side)),
        "alignments": count(a),
        "alignments_by_status": _pairs(connection, select(a.c.status, func.count()).group_by(a.c.status).order_by(a.c.status)),
        "annotations": count(n),
        "annotations_by_category": _pairs(connection, select(n.c.category, func.count()).group_by(n.c.category).order_by(n.c.category)),
        "annotations_by_severity": _pairs(connection, select(n.c.severity, func.count()).group_by(n.c.severity).order_by(n.c.severity)),
        "annotations_by_status": _pairs(connection, select(n.c.status, func.count()).group_by(n.c.status).order_by(n.c.status)),
        "annotations_by_artifact_type": _pairs(connection, select(n.c.artifact_type, func.count()).group_by(n.c.artifact_type).order_by(n.c.artifact_type)),
        "glossary_concepts": count(schema.glossary),
        "artifacts": count(schema.artifacts),
        "results": count(schema.results),
        "languages": languages,
        "licenses": _merge(
            _pairs(connection, select(d.c.license, func.count()).group_by(d.c.license)),
            _pairs(connection, select(t.c.license, func.count()).group_by(t.c.license)),
        ),
    }
