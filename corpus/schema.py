"""The corpus schema: one set of tables that every feature shares, for SQLite and PostgreSQL alike."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# 2: annotation status 'resolved'; 3: annotation campaigns (corpus.campaign_schema); 4: unique keys (corpus.unique_keys)
SCHEMA_VERSION = 4

# 'resolved': an automatic finding that no longer fires (kept, not deleted, so its history stays).
ANNOTATION_STATUSES = ("open", "confirmed", "rejected", "resolved")

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("title", Text),
    Column("lang", String, nullable=False),
    Column("domain", String),
    Column("url", Text),
    Column("publisher", Text),
    Column("date", String),
    Column("license", String),
    Column("provenance", Text),
    Column("metadata", JSON),
    Column("source_text", Text),
    Column("created_at", String, nullable=False),
)

translations = Table(
    "translations",
    metadata,
    Column("id", String, primary_key=True),
    Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String, nullable=False),
    Column("producer", String, nullable=False),
    Column("system", String),
    Column("system_version", String),
    Column("date", String),
    Column("license", String),
    Column("provenance", Text),
    Column("metadata", JSON),
    Column("text", Text, nullable=False),
    Column("created_at", String, nullable=False),
    CheckConstraint("producer IN ('mt', 'human', 'post-edit')", name="producer_kind"),
    Index("ix_translations_document", "document_id"),
)

segments = Table(
    "segments",
    metadata,
    Column("id", String, primary_key=True),
    Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("translation_id", String, ForeignKey("translations.id", ondelete="CASCADE")),
    Column("side", String, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("paragraph", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String, nullable=False),
    CheckConstraint(
        "(side = 'source' AND translation_id IS NULL) OR (side = 'target' AND translation_id IS NOT NULL)",
        name="side_matches_owner",
    ),
    Index("ix_segments_document", "document_id", "side"),
    Index("ix_segments_translation", "translation_id"),
)

alignments = Table(
    "alignments",
    metadata,
    Column("id", String, primary_key=True),
    Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("translation_id", String, ForeignKey("translations.id", ondelete="CASCADE"), nullable=False),
    Column("source_idx", JSON, nullable=False),
    Column("target_idx", JSON, nullable=False),
    Column("method", String, nullable=False),
    Column("score", Float),
    Column("status", String, nullable=False),
    Column("actor", String),
    Column("created_at", String, nullable=False),
    CheckConstraint("status IN ('auto', 'confirmed')", name="alignment_status"),
    Index("ix_alignments_translation", "translation_id"),
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", String, primary_key=True),
    Column("segment_id", String, ForeignKey("segments.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("translation_id", String, ForeignKey("translations.id", ondelete="CASCADE")),
    Column("side", String, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("segment_hash", String, nullable=False),
    Column("category", String, nullable=False),
    Column("severity", String, nullable=False),
    Column("artifact_type", String),
    Column("annotator", String, nullable=False),
    Column("origin", String, nullable=False),
    Column("status", String, nullable=False),
    Column("comment", Text),
    Column("correction", Text),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("status IN ('open', 'confirmed', 'rejected', 'resolved')", name="annotation_status"),
    CheckConstraint('start >= 0 AND "end" >= start', name="span_order"),
    Index("ix_annotations_segment", "segment_id"),
    Index("ix_annotations_document", "document_id"),
    # One automatic finding per check, span and segment text, however many `calque check` runs race.
    Index("uq_annotations_auto_finding", "origin", "segment_id", "start", "end", "segment_hash", unique=True,
          sqlite_where=text("origin LIKE 'auto:%'"), postgresql_where=text("origin LIKE 'auto:%'")),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", String, primary_key=True),
    Column("artifact_type", String, nullable=False),
    Column("source_cue", Text),
    Column("target_form", Text, nullable=False),
    Column("src_lang", String, nullable=False),
    Column("tgt_lang", String, nullable=False),
    Column("note", Text),
    Column("examples", JSON),
)

glossary = Table(
    "glossary",
    metadata,
    Column("id", String, primary_key=True),
    Column("src_lang", String, nullable=False),
    Column("tgt_lang", String, nullable=False),
    Column("source_term", Text, nullable=False),
    Column("approved", JSON, nullable=False),
    Column("variants", JSON),
    Column("forbidden", JSON),
    Column("domain", String),
    Column("note", Text),
)

results = Table(
    "results",
    metadata,
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("data_hash", String, nullable=False),
    Column("signature", Text, nullable=False),
    Column("tool_version", String, nullable=False),
    Column("payload", JSON, nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("entity", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("batch", String, nullable=False),
    CheckConstraint("action IN ('insert', 'update', 'delete')", name="journal_action"),
    Index("ix_journal_entity", "entity", "entity_id"),
)

# The tables a release snapshots and a diff compares, keyed by their stable id column.
CONTENT_TABLES = {
    "documents": documents,
    "translations": translations,
    "segments": segments,
    "alignments": alignments,
    "annotations": annotations,
    "artifacts": artifacts,
    "glossary": glossary,
    "results": results,
}
