"""Claiming campaign work: a claim takes one slot (a seat at a unit) as a lease that expires.

An annotator holds at most one claimed, unfinished slot per campaign: a claim answers with the slot they
hold, and takes a new one only when they hold none (a partial unique index on the claimed seats,
uq_campaign_slot_held, stands behind it, so `next` sent from many tabs at once cannot hold many items).
Which slot: first the annotator's own planned slots, then unplanned ones (pool campaigns), then slots
whose lease ran out in someone else's hands; never one of a unit the annotator already holds. On
PostgreSQL the candidate row is locked with `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass each
other instead of queueing, and one annotator's concurrent claims queue on a transaction-level advisory
lock, so they all answer with the one slot the first of them took; a claim that a unique key refuses (two
seats of one unit, or a second held seat) retries. On SQLite every write transaction begins with BEGIN
IMMEDIATE (corpus.database), so claims are serialised by the single writer. Either way a unit never has
more holders than its k slots.
"""
from __future__ import annotations

import hashlib
import random
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, select, text
from sqlalchemy.exc import OperationalError

from corpus.campaigns.store import get_campaign
from corpus.errors import CalqueError, ConflictError, DuplicateRow, InputError, NotFoundError
from corpus.schema import campaign_slots, campaign_spans

CLAIM_ATTEMPTS = 20


class NotInCampaign(CalqueError):
    """Someone who is not one of the campaign's annotators (or reviewers) asking for its work."""


class SeatTaken(ConflictError):
    """The slot a claim chose changed before the claim could take it; the claim tries again."""


def stamp(moment: datetime) -> str:
    """The ISO form utc_now() writes, so stored timestamps compare as strings."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_stamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def check_open_member(campaign: dict, annotator: str) -> None:
    if annotator not in campaign["settings"]["annotators"]:
        raise NotInCampaign(f"{annotator!r} is not an annotator of campaign {campaign['id']!r}")
    if campaign["status"] != "open":
        raise ConflictError(f"campaign {campaign['id']!r} is closed")


def _take(tx, campaign: dict, annotator: str, moment: datetime) -> dict | None:
    s = campaign_slots
    now = stamp(moment)
    other = s.alias("other")
    holds_unit = select(other.c.id).where(other.c.unit_id == s.c.unit_id, other.c.annotator == annotator, other.c.id != s.c.id).exists()
    # Tried in order of preference, each an index range scan (campaign, state, position) with LIMIT 1.
    candidates = (
        and_(s.c.state == "open", s.c.annotator == annotator),
        and_(s.c.state == "open", s.c.annotator.is_(None)),
        and_(s.c.state == "claimed", s.c.lease_until < now, s.c.annotator != annotator),
    )
    row = None
    for candidate in candidates:
        query = (select(s).where(s.c.campaign_id == campaign["id"], candidate, ~holds_unit)
                 .order_by(s.c.position, s.c.slot).limit(1).with_for_update(skip_locked=True))
        row = tx.connection.execute(query).mappings().first()
        if row is not None:
            break
    if row is None:
        return None
    before = dict(row)
    changes = {"annotator": annotator, "state": "claimed", "claimed_at": now, "done_at": None, "seconds": None, "score": None,
               "lease_until": stamp(moment + timedelta(seconds=campaign["lease_seconds"])), "version": before["version"] + 1}
    updated = tx.connection.execute(s.update().where(s.c.id == before["id"], s.c.version == before["version"]).values(**changes))
    if updated.rowcount != 1:
        raise SeatTaken("the slot was taken meanwhile")
    if before["annotator"] not in (None, annotator):
        # The lease ran out: what the former holder had marked on this seat goes with it.
        p = campaign_spans
        for span in tx.connection.execute(select(p).where(p.c.slot_id == before["id"])).mappings().all():
            tx.connection.execute(p.delete().where(p.c.id == span["id"]))
            tx.record("delete", "campaign_spans", span["id"], dict(span), None)
    after = {**before, **changes}
    tx.record("update", "campaign_slots", before["id"], before, after)
    return after


def _held(connection, name: str, annotator: str) -> dict | None:
    """The annotator's claimed, unfinished slot in the campaign (there is at most one)."""
    s = campaign_slots
    query = select(s).where(s.c.campaign_id == name, s.c.annotator == annotator, s.c.state == "claimed")
    row = connection.execute(query.order_by(s.c.claimed_at, s.c.position)).mappings().first()
    return dict(row) if row is not None else None


def _queue_behind_own_claims(connection, name: str, annotator: str) -> None:
    """PostgreSQL: wait for this annotator's other claims in this campaign to commit (SQLite's writer already has)."""
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.blake2b(f"calque claim\0{name}\0{annotator}".encode(), digest_size=8).digest(), "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def claim(corpus, name: str, annotator: str, now: datetime | None = None) -> dict | None:
    """The slot `annotator` holds in the campaign, else a new claim; None when nothing is left to claim."""
    for attempt in range(CLAIM_ATTEMPTS):
        try:
            with corpus.transaction(f"campaign claim {name}", annotator) as tx:
                campaign = get_campaign(tx.connection, name)
                check_open_member(campaign, annotator)
                _queue_behind_own_claims(tx.connection, name, annotator)
                return _held(tx.connection, name, annotator) or _take(tx, campaign, annotator, _now(now))
        except (OperationalError, SeatTaken, DuplicateRow):
            if attempt == CLAIM_ATTEMPTS - 1:
                raise ConflictError(f"could not claim work in campaign {name!r}: too much contention, try again") from None
            time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
    return None


def current(corpus, name: str, annotator: str) -> dict | None:
    """The annotator's claimed, unfinished slot, if they hold one."""
    with corpus.engine.connect() as connection:
        get_campaign(connection, name)
        return _held(connection, name, annotator)


def held_slot(connection, slot_id: str, annotator: str) -> dict:
    """The slot, if `annotator` holds it (claimed or done); else a clear error."""
    row = connection.execute(select(campaign_slots).where(campaign_slots.c.id == slot_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no campaign slot {slot_id!r}")
    if row["annotator"] != annotator or row["state"] == "open":
        raise ConflictError(f"slot {slot_id!r} is not held by {annotator!r} (its lease may have run out and gone to someone else)")
    return dict(row)


def check_score(protocol: str, score) -> float | None:
    if protocol == "mqm":
        if score is not None:
            raise InputError("the mqm protocol takes no segment score")
        return None
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
        raise InputError(f"the {protocol} protocol needs a score from 0 to 100, got {score!r}")
    return float(score)


def submit(corpus, slot_id: str, annotator: str, score=None, now: datetime | None = None) -> dict:
    """Finish (or, while the campaign is open, revise) the annotator's judgement of one slot."""
    moment = _now(now)
    with corpus.transaction(f"campaign submit {slot_id}", annotator) as tx:
        before = held_slot(tx.connection, slot_id, annotator)
        campaign = get_campaign(tx.connection, before["campaign_id"])
        check_open_member(campaign, annotator)
        changes = {"score": check_score(campaign["protocol"], score), "state": "done", "lease_until": None,
                   "version": before["version"] + 1}
        if before["state"] == "claimed":
            changes["done_at"] = stamp(moment)
            changes["seconds"] = max(0.0, (moment - parse_stamp(before["claimed_at"])).total_seconds())
        s = campaign_slots
        if tx.connection.execute(s.update().where(s.c.id == slot_id, s.c.version == before["version"]).values(**changes)).rowcount != 1:
            raise ConflictError(f"slot {slot_id!r} was changed meanwhile")
        after = {**before, **changes}
        tx.record("update", "campaign_slots", slot_id, before, after)
    return after

