"""Annotation campaigns as data: create one from a built plan, read it back, close it.

A campaign is written in one transaction with one journal entry per table it fills; every later change
(a claim, a span, a gold decision) is journaled row by row with the annotator or reviewer as actor.
The verbs that build a plan (units from translations, attention checks, balanced assignment) live in
pipelines.campaign; this module only stores and reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from sqlalchemy import func, select

from corpus.errors import ConflictError, InputError, NotFoundError
from corpus.people import check_person_name
from corpus.schema import campaign_gold, campaign_slots, campaign_spans, campaign_units, campaigns

PROTOCOLS = ("mqm", "esa", "da")
UNIT_KINDS = ("segment", "document")
ASSIGNMENTS = ("fixed", "pool")
CAMPAIGN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class CampaignSpec:
    """What `calque campaign create` asks for; `validate()` turns bad values into one-line errors."""

    name: str
    translations: list[str]
    annotators: list[str]
    overlap: int = 1
    protocol: str = "mqm"
    unit: str = "segment"
    assignment: str = "fixed"
    seed: int = 1
    blind: bool = True
    typology: str = "google-mqm"
    weights: str = "google-2021"
    attention_rate: float = 0.0
    suggestions: bool = False
    lease_seconds: int = 1800
    owner: str = "owner"
    reviewers: list[str] = field(default_factory=list)
    documents: list[str] | None = None

    def validate(self) -> "CampaignSpec":
        if not CAMPAIGN_NAME.match(self.name or ""):
            raise InputError(f"campaign name {self.name!r} must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)")
        for value, allowed, what in ((self.protocol, PROTOCOLS, "protocol"), (self.unit, UNIT_KINDS, "unit"),
                                     (self.assignment, ASSIGNMENTS, "assignment")):
            if value not in allowed:
                raise InputError(f"unknown {what} {value!r} (expected {', '.join(allowed)})")
        if not self.translations:
            raise InputError("a campaign needs at least one translation (--translations)")
        annotators = [check_person_name(a.strip()) for a in self.annotators if a.strip()]
        if len(set(annotators)) != len(annotators):
            raise InputError("an annotator is named twice in --annotators")
        if not annotators:
            raise InputError("a campaign needs at least one annotator (--annotators)")
        self.annotators = annotators
        if not 1 <= self.overlap <= len(annotators):
            raise InputError(f"overlap {self.overlap} must be between 1 and the number of annotators ({len(annotators)})")
        if not 0.0 <= self.attention_rate < 1.0:
            raise InputError(f"attention-check rate {self.attention_rate} must be in [0, 1)")
        if self.lease_seconds < 10:
            raise InputError("a lease must last at least 10 seconds")
        if self.protocol == "da" and self.suggestions:
            raise InputError("the da protocol marks no spans, so it cannot show span suggestions")
        check_person_name(self.owner, "owner")
        self.reviewers = [check_person_name(r.strip(), "reviewer") for r in self.reviewers if r.strip()] or [self.owner]
        return self


def _row(result) -> dict | None:
    return dict(result) if result is not None else None


def may_review(campaign: dict, person: str) -> bool:
    """The owner adjudicates beside the --reviewers."""
    return person == campaign["owner"] or person in campaign["settings"]["reviewers"]


def get_campaign(connection, name: str) -> dict:
    row = connection.execute(select(campaigns).where(campaigns.c.id == name)).mappings().first()
    if row is None:
        raise NotFoundError(f"no campaign named {name!r}")
    return dict(row)


class CampaignStore:
    """Campaign reads and writes on one Corpus (which it never outlives)."""

    def __init__(self, corpus):
        self.corpus = corpus

    # -- create / close ---------------------------------------------------------------------------
    def create(self, spec: CampaignSpec, units: list[dict], slots: list[dict], actor: str | None = None) -> dict:
        """Store a campaign with its units and slots (built by pipelines.campaign.build) in one transaction."""
        with self.corpus.transaction(f"campaign create {spec.name}", actor) as tx:
            if tx.connection.execute(select(campaigns.c.id).where(campaigns.c.id == spec.name)).first():
                raise ConflictError(f"a campaign named {spec.name!r} exists already")
            row = {
                "id": spec.name, "protocol": spec.protocol, "unit": spec.unit, "overlap": spec.overlap,
                "assignment": spec.assignment, "seed": spec.seed, "blind": int(spec.blind), "typology": spec.typology,
                "weights": spec.weights, "attention_rate": spec.attention_rate, "suggestions": int(spec.suggestions),
                "lease_seconds": spec.lease_seconds, "owner": spec.owner,
                "settings": {"translations": spec.translations, "documents": spec.documents, "annotators": spec.annotators,
                             "reviewers": spec.reviewers},
                "status": "open", "created_at": tx.at, "closed_at": None,
            }
            tx.connection.execute(campaigns.insert(), [row])
            tx.record("insert", "campaigns", spec.name, None, row)
            tx.connection.execute(campaign_units.insert(), units)
            tx.record("insert", "campaign_units", spec.name, None, {"rows": len(units), "checks": sum(1 for u in units if u["check_kind"])})
            tx.connection.execute(campaign_slots.insert(), slots)
            tx.record("insert", "campaign_slots", spec.name, None, {"rows": len(slots), "overlap": spec.overlap})
        return row

    def close(self, name: str, actor: str | None = None) -> dict:
        with self.corpus.transaction(f"campaign close {name}", actor) as tx:
            before = get_campaign(tx.connection, name)
            if before["status"] == "closed":
                raise ConflictError(f"campaign {name!r} is closed already")
            changes = {"status": "closed", "closed_at": tx.at}
            tx.connection.execute(campaigns.update().where(campaigns.c.id == name).values(**changes))
            tx.record("update", "campaigns", name, before, {**before, **changes})
        return {**before, **changes}

    # -- reads ------------------------------------------------------------------------------------
    def get(self, name: str) -> dict:
        with self.corpus.engine.connect() as connection:
            return get_campaign(connection, name)

    def list(self) -> list[dict]:
        s = campaign_slots
        with self.corpus.engine.connect() as connection:
            rows = [dict(r) for r in connection.execute(select(campaigns).order_by(campaigns.c.created_at)).mappings()]
            counts = {(r.campaign_id, r.state): r.n for r in connection.execute(
                select(s.c.campaign_id, s.c.state, func.count().label("n")).group_by(s.c.campaign_id, s.c.state))}
            units = dict(connection.execute(select(campaign_units.c.campaign_id, func.count()).group_by(campaign_units.c.campaign_id)).all())
        for row in rows:
            slots = sum(n for (c, _), n in counts.items() if c == row["id"])
            row.update(units=units.get(row["id"], 0), slots=slots, done=counts.get((row["id"], "done"), 0))
        return rows

    def units(self, name: str) -> list[dict]:
        u = campaign_units
        with self.corpus.engine.connect() as connection:
            get_campaign(connection, name)
            return [dict(r) for r in connection.execute(select(u).where(u.c.campaign_id == name).order_by(u.c.position)).mappings()]

    def unit(self, unit_id: str) -> dict:
        with self.corpus.engine.connect() as connection:
            row = connection.execute(select(campaign_units).where(campaign_units.c.id == unit_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no campaign unit {unit_id!r}")
        return dict(row)

    def campaign_of(self, kind: str, row_id: str) -> str:
        """The campaign that a slot, span or unit belongs to; NotFoundError when there is no such row."""
        table = {"slot": campaign_slots, "span": campaign_spans, "unit": campaign_units}[kind]
        with self.corpus.engine.connect() as connection:
            found = connection.execute(select(table.c.campaign_id).where(table.c.id == row_id)).scalar()
        if found is None:
            raise NotFoundError(f"no campaign {kind} {row_id!r}")
        return found

    def slots(self, name: str, annotator: str | None = None) -> list[dict]:
        s = campaign_slots
        query = select(s).where(s.c.campaign_id == name).order_by(s.c.position, s.c.slot)
        if annotator is not None:
            query = query.where(s.c.annotator == annotator)
        with self.corpus.engine.connect() as connection:
            get_campaign(connection, name)
            return [dict(r) for r in connection.execute(query).mappings()]

    def spans(self, name: str, unit_id: str | None = None, annotator: str | None = None) -> list[dict]:
        p = campaign_spans
        query = select(p).where(p.c.campaign_id == name).order_by(p.c.unit_id, p.c.annotator, p.c.item, p.c.start, p.c.id)
        if unit_id is not None:
            query = query.where(p.c.unit_id == unit_id)
        if annotator is not None:
            query = query.where(p.c.annotator == annotator)
        with self.corpus.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    def gold(self, name: str, unit_id: str | None = None) -> list[dict]:
        g = campaign_gold
        query = select(g).where(g.c.campaign_id == name).order_by(g.c.unit_id, g.c.created_at, g.c.id)
        if unit_id is not None:
            query = query.where(g.c.unit_id == unit_id)
        with self.corpus.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

