"""The tables of annotation campaigns (schema version 3, unique keys 4), registered on the corpus's one MetaData.

A campaign snapshots what it shows: each unit keeps the rows (source, target) its annotators saw, so an
attention check (a deliberately damaged copy of a unit) and a later edit of the corpus change nothing
about what was judged. Slots are the k seats of a unit; an annotator holds at most one seat per unit and
at most one claimed (unfinished) seat per campaign. A suggestion is decided once per seat, and an
annotator's span once by the reviewers (campaign_gold_sources: one row per span a gold decision is about).
"""
from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, text

from corpus.schema import metadata

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


def create_campaign_tables(connection) -> None:
    """Migration 2 → 3: the campaign tables (new tables only; nothing existing changes)."""
    metadata.create_all(connection, tables=list(CAMPAIGN_TABLES.values()))
