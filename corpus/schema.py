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
    UniqueConstraint,
    text,
)

# 2: annotation status 'resolved'; 3: annotation campaigns (the campaign tables below); 4: unique keys (corpus.unique_keys)
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

# -- annotation campaigns (schema version 3, unique keys 4; their rows are read and written by corpus.campaigns)
# A campaign snapshots what it shows: each unit keeps the rows (source, target) its annotators saw, so an
# attention check (a deliberately damaged copy of a unit) and a later edit of the corpus change nothing
# about what was judged. Slots are the k seats of a unit; an annotator holds at most one seat per unit and
# at most one claimed (unfinished) seat per campaign. A suggestion is decided once per seat, and an
# annotator's span once by the reviewers (campaign_gold_sources: one row per span a gold decision is about).

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", String, primary_key=True),
    Column("protocol", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("overlap", Integer, nullable=False),
    Column("assignment", String, nullable=False),
    Column("seed", Integer, nullable=False),
    Column("blind", Integer, nullable=False),
    Column("typology", String, nullable=False),
    Column("weights", String, nullable=False),
    Column("attention_rate", Float, nullable=False),
    Column("suggestions", Integer, nullable=False),
    Column("lease_seconds", Integer, nullable=False),
    Column("owner", String, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("status", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("closed_at", String),
    CheckConstraint("protocol IN ('mqm', 'esa', 'da')", name="campaign_protocol"),
    CheckConstraint("unit IN ('segment', 'document')", name="campaign_unit"),
    CheckConstraint("status IN ('open', 'closed')", name="campaign_status"),
    CheckConstraint("assignment IN ('fixed', 'pool')", name="campaign_assignment"),
)

campaign_units = Table(
    "campaign_units",
    metadata,
    Column("id", String, primary_key=True),
    Column("campaign_id", String, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("document_id", String, nullable=False),
    Column("translation_id", String, nullable=False),
    Column("system", String, nullable=False),
    Column("blind_name", String, nullable=False),
    Column("rows", JSON, nullable=False),
    Column("suggestions", JSON, nullable=False),
    Column("check_kind", String),
    Column("check_span", JSON),
    Column("checked_unit", String),
    CheckConstraint("check_kind IS NULL OR check_kind IN ('unrelated', 'numbers', 'untranslated')", name="campaign_check_kind"),
    UniqueConstraint("campaign_id", "position", name="uq_campaign_unit_position"),
    Index("ix_campaign_units_campaign", "campaign_id"),
)

campaign_slots = Table(
    "campaign_slots",
    metadata,
    Column("id", String, primary_key=True),
    Column("campaign_id", String, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", String, ForeignKey("campaign_units.id", ondelete="CASCADE"), nullable=False),
    Column("slot", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("planned", String),
    Column("annotator", String),
    Column("state", String, nullable=False),
    Column("lease_until", String),
    Column("claimed_at", String),
    Column("done_at", String),
    Column("seconds", Float),
    Column("score", Float),
    Column("version", Integer, nullable=False),
    CheckConstraint("state IN ('open', 'claimed', 'done')", name="campaign_slot_state"),
    UniqueConstraint("unit_id", "slot", name="uq_campaign_slot"),
    UniqueConstraint("unit_id", "annotator", name="uq_campaign_unit_annotator"),
    Index("ix_campaign_slots_claim", "campaign_id", "state", "position"),
    Index("ix_campaign_slots_annotator", "campaign_id", "annotator"),
    Index("uq_campaign_slot_held", "campaign_id", "annotator", unique=True,
          sqlite_where=text("state = 'claimed'"), postgresql_where=text("state = 'claimed'")),
)

campaign_spans = Table(
    "campaign_spans",
    metadata,
    Column("id", String, primary_key=True),
    Column("campaign_id", String, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", String, ForeignKey("campaign_units.id", ondelete="CASCADE"), nullable=False),
    Column("slot_id", String, ForeignKey("campaign_slots.id", ondelete="CASCADE"), nullable=False),
    Column("annotator", String, nullable=False),
    Column("item", Integer, nullable=False),
    Column("side", String, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("category", String, nullable=False),
    Column("severity", String, nullable=False),
    Column("comment", Text),
    Column("origin", String, nullable=False),
    Column("status", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("status IN ('marked', 'accepted', 'dismissed')", name="campaign_span_status"),
    CheckConstraint('start >= 0 AND "end" >= start', name="campaign_span_order"),
    Index("ix_campaign_spans_unit", "unit_id"),
    Index("uq_campaign_suggestion_decision", "slot_id", "origin", unique=True,
          sqlite_where=text("origin LIKE 'suggestion:%'"), postgresql_where=text("origin LIKE 'suggestion:%'")),
)

campaign_gold = Table(
    "campaign_gold",
    metadata,
    Column("id", String, primary_key=True),
    Column("campaign_id", String, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", String, ForeignKey("campaign_units.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("item", Integer),
    Column("side", String),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Column("category", String),
    Column("severity", String),
    Column("decided_by", String, nullable=False),
    Column("created_at", String, nullable=False),
    CheckConstraint("decision IN ('accept', 'merge', 'dismiss')", name="campaign_gold_decision"),
    Index("ix_campaign_gold_unit", "unit_id"),
)

campaign_gold_sources = Table(
    "campaign_gold_sources",
    metadata,
    Column("span_id", String, primary_key=True),
    Column("gold_id", String, ForeignKey("campaign_gold.id", ondelete="CASCADE"), nullable=False),
    Index("ix_campaign_gold_sources_gold", "gold_id"),
)

CAMPAIGN_TABLES = {
    "campaigns": campaigns,
    "campaign_units": campaign_units,
    "campaign_slots": campaign_slots,
    "campaign_spans": campaign_spans,
    "campaign_gold": campaign_gold,
    "campaign_gold_sources": campaign_gold_sources,
}
