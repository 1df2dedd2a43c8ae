"""Schema 3 → 4: unique keys behind four checks that were a read before a write, so that concurrent requests
(which PostgreSQL runs side by side) cannot store a row twice:

- annotations: one automatic finding per origin, segment, span and segment text (two `calque check` runs);
- campaign_slots: one claimed, unfinished seat per annotator and campaign (`next` from many tabs);
- campaign_spans: one decision per suggestion and seat (accept and dismiss sent at once);
- campaign_gold_sources: one gold decision per annotator span (two reviewers adjudicating at once).

A store written before them may hold such duplicates; the migration resolves them before it adds the keys.
The first row is kept (of duplicate findings, one that a reviewer confirmed or rejected, if any) and the
others are deleted; surplus claims are released the way an expired lease is (the seat opens again, and what
its holder marked on it goes with it unless the seat was planned for them). Every removal and release is
journaled, with "calque migrate" as actor.
"""
from __future__ import annotations

from sqlalchemy import Connection, delete, func, select, update

from corpus import schema
from corpus.schema import campaign_gold, campaign_gold_sources, campaign_slots, campaign_spans
from corpus.transaction import Transaction

ACTOR = "calque migrate"
AUTO_FINDING_KEY = "uq_annotations_auto_finding"
HELD_SEAT_KEY = "uq_campaign_slot_held"
SUGGESTION_DECISION_KEY = "uq_campaign_suggestion_decision"
FINDING_KEY = ("origin", "segment_id", "start", "end", "segment_hash")


def _index(table, name: str):
    return next(index for index in table.indexes if index.name == name)


def _duplicate_groups(connection: Connection, table, key: tuple[str, ...], condition, order) -> list[list[dict]]:
    """The rows of `table` (where `condition`) that share their `key` with another, grouped, each group in `order`."""
    columns = [table.c[name] for name in key]
    shared = connection.execute(select(*columns).where(condition).group_by(*columns).having(func.count() > 1)).all()
    groups = []
    for values in shared:
        match = [column == value for column, value in zip(columns, values)]
        groups.append([dict(r) for r in connection.execute(select(table).where(condition, *match).order_by(*order)).mappings()])
    return groups


def _delete(tx: Transaction, table, rows: list[dict]) -> None:
    for row in rows:
        tx.connection.execute(delete(table).where(table.c.id == row["id"]))
        tx.record("delete", table.name, row["id"], row, None)


def _dedupe_findings(tx: Transaction) -> None:
    a = schema.annotations
    reviewed_first = (a.c.status.in_(("confirmed", "rejected"))).desc()
    for group in _duplicate_groups(tx.connection, a, FINDING_KEY, a.c.origin.like("auto:%"), (reviewed_first, a.c.created_at, a.c.id)):
        _delete(tx, a, group[1:])


def _release_surplus_claims(tx: Transaction) -> None:
    s = campaign_slots
    held = s.c.state == "claimed"
    for group in _duplicate_groups(tx.connection, s, ("campaign_id", "annotator"), held, (s.c.claimed_at, s.c.position, s.c.slot)):
        for before in group[1:]:
            if before["planned"] != before["annotator"]:
                marks = [dict(r) for r in tx.connection.execute(select(campaign_spans).where(campaign_spans.c.slot_id == before["id"])).mappings()]
                _delete(tx, campaign_spans, marks)
            changes = {"state": "open", "annotator": before["planned"], "lease_until": None, "claimed_at": None,
                       "version": before["version"] + 1}
            tx.connection.execute(update(s).where(s.c.id == before["id"]).values(**changes))
            tx.record("update", s.name, before["id"], before, {**before, **changes})


def _dedupe_suggestion_decisions(tx: Transaction) -> None:
    p = campaign_spans
    for group in _duplicate_groups(tx.connection, p, ("slot_id", "origin"), p.c.origin.like("suggestion:%"), (p.c.created_at, p.c.id)):
        _delete(tx, p, group[1:])


def _link_gold_sources(tx: Transaction) -> None:
    """One campaign_gold_sources row per span of each gold decision, oldest decision first; a later decision
    about a span decided already is deleted."""
    g = campaign_gold
    decided: set[str] = set(tx.connection.execute(select(campaign_gold_sources.c.span_id)).scalars())
    linked = set(tx.connection.execute(select(campaign_gold_sources.c.gold_id)).scalars())
    for row in [dict(r) for r in tx.connection.execute(select(g).order_by(g.c.created_at, g.c.id)).mappings()]:
        if row["id"] in linked:
            continue
        spans = list(dict.fromkeys(row["sources"]))
        if decided.intersection(spans):
            _delete(tx, g, [row])
            continue
        tx.connection.execute(campaign_gold_sources.insert(), [{"span_id": span, "gold_id": row["id"]} for span in spans])
        decided.update(spans)


def add_unique_keys(connection: Connection) -> None:
    """Migration 3 → 4 (see the module's docstring)."""
    tx = Transaction(connection, ACTOR, "schema 3 → 4: unique keys")
    campaign_gold_sources.create(connection, checkfirst=True)
    _dedupe_findings(tx)
    _release_surplus_claims(tx)
    _dedupe_suggestion_decisions(tx)
    _link_gold_sources(tx)
    for table, name in ((schema.annotations, AUTO_FINDING_KEY), (campaign_slots, HELD_SEAT_KEY), (campaign_spans, SUGGESTION_DECISION_KEY)):
        _index(table, name).create(connection, checkfirst=True)
