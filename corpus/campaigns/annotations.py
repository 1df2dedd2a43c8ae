"""Error spans in campaigns: an annotator's own marks, their decisions on pre-filled suggestions, and the
reviewer's gold set. Every write is journaled with the person who made it as actor.

A span points into its unit's snapshot: `item` is the row of the unit (0 for a segment unit, the
segment's position for a document unit), `side` the source or target text of that row, and
[start, end) code-point offsets in it.
"""
from __future__ import annotations

from sqlalchemy import select

from corpus.campaigns.claims import NotInCampaign, check_open_member, held_slot
from corpus.campaigns.store import get_campaign, may_review
from corpus.clock import new_id
from corpus.errors import ConflictError, DuplicateRow, InputError, NotFoundError
from corpus.schema import campaign_gold, campaign_gold_sources, campaign_spans, campaign_units
from corpus.typology import NO_ERROR, load, severity_name
from corpus.validation import parse_version

SEVERITIES = {"mqm": ("Minor", "Major", "Critical", "Neutral"), "esa": ("Minor", "Major"), "da": ()}
SPAN_FIELDS = {"item", "side", "start", "end", "category", "severity", "comment"}
EDITABLE = {"category", "severity", "comment"}
DECISIONS = ("accept", "merge", "dismiss")
GOLD_SPAN_FIELDS = ("item", "side", "start", "end", "text", "category", "severity")


def _unit(connection, unit_id: str) -> dict:
    row = connection.execute(select(campaign_units).where(campaign_units.c.id == unit_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no campaign unit {unit_id!r}")
    return dict(row)


def check_span(campaign: dict, unit: dict, fields: dict) -> dict:
    """A span request checked against the campaign's protocol and typology and the unit's texts."""
    protocol = campaign["protocol"]
    if protocol == "da":
        raise InputError("the da protocol takes a score only, no error spans")
    unknown = set(fields) - SPAN_FIELDS
    if unknown:
        raise InputError(f"unknown span field(s) {', '.join(sorted(unknown))}")
    item = fields.get("item", 0)
    rows = unit["rows"]
    if type(item) is not int or not 0 <= item < len(rows):
        raise InputError(f"item must be a row of the unit (0-{len(rows) - 1}), got {item!r}")
    side = fields.get("side") or "target"
    if side not in ("source", "target"):
        raise InputError(f"side must be 'source' or 'target', got {side!r}")
    text = rows[item][side]
    if text is None:
        raise InputError(f"row {item} of this unit has no {side} text")
    start, end = fields.get("start"), fields.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= len(text):
        raise InputError(f"start and end must be integers with 0 <= start <= end <= {len(text)}")
    try:
        severity = severity_name(fields.get("severity") or "")
    except ValueError as problem:
        raise InputError(str(problem)) from None
    if severity not in SEVERITIES[protocol]:
        raise InputError(f"the {protocol} protocol takes severities {', '.join(SEVERITIES[protocol])}, not {severity}")
    category = fields.get("category") or ""
    if protocol == "esa" and not category:
        category = "Other"  # ESA marks spans by severity only
    if category != NO_ERROR:
        try:
            category = load(campaign["typology"]).validate(category)
        except ValueError as problem:
            raise InputError(str(problem)) from None
    comment = fields.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise InputError("comment must be a string")
    return {"item": item, "side": side, "start": start, "end": end, "text": text[start:end], "category": category,
            "severity": severity, "comment": (comment or "").strip() or None}


def _insert_span(tx, slot: dict, annotator: str, fields: dict, origin: str, status: str) -> dict:
    campaign = get_campaign(tx.connection, slot["campaign_id"])
    check_open_member(campaign, annotator)
    span = check_span(campaign, _unit(tx.connection, slot["unit_id"]), fields)
    row = {"id": new_id("span"), "campaign_id": campaign["id"], "unit_id": slot["unit_id"], "slot_id": slot["id"],
           "annotator": annotator, **span, "origin": origin, "status": status, "created_at": tx.at, "updated_at": tx.at,
           "version": 1}
    tx.connection.execute(campaign_spans.insert(), [row])
    tx.record("insert", "campaign_spans", row["id"], None, row)
    return row


def add_span(corpus, slot_id: str, annotator: str, fields: dict) -> dict:
    if not isinstance(fields, dict):
        raise InputError("a span must be a JSON object")
    with corpus.transaction(f"campaign span {slot_id}", annotator) as tx:
        return _insert_span(tx, held_slot(tx.connection, slot_id, annotator), annotator, fields, "human", "marked")


def _own_span(connection, span_id: str, annotator: str) -> dict:
    row = connection.execute(select(campaign_spans).where(campaign_spans.c.id == span_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no campaign span {span_id!r}")
    if row["annotator"] != annotator:
        raise NotInCampaign(f"span {span_id!r} belongs to {row['annotator']!r}, not to {annotator!r}")
    return dict(row)


def _version(value) -> int:
    return parse_version(value, "span")


def update_span(corpus, span_id: str, annotator: str, changes: dict, version) -> dict:
    unknown = set(changes) - EDITABLE
    if unknown or not changes:
        raise InputError(f"a span's {', '.join(sorted(EDITABLE))} can change, not {', '.join(sorted(unknown)) or 'nothing'}")
    expected = _version(version)
    with corpus.transaction(f"campaign span update {span_id}", annotator) as tx:
        before = _own_span(tx.connection, span_id, annotator)
        campaign = get_campaign(tx.connection, before["campaign_id"])
        check_open_member(campaign, annotator)
        held_slot(tx.connection, before["slot_id"], annotator)
        merged = {k: before[k] for k in ("item", "side", "start", "end", "category", "severity", "comment")}
        checked = check_span(campaign, _unit(tx.connection, before["unit_id"]), {**merged, **changes})
        new = {k: checked[k] for k in changes} | {"updated_at": tx.at, "version": expected + 1}
        p = campaign_spans
        if tx.connection.execute(p.update().where(p.c.id == span_id, p.c.version == expected).values(**new)).rowcount != 1:
            raise ConflictError(f"span {span_id!r} was changed meanwhile (version {before['version']}, you had {expected})")
        after = {**before, **new}
        tx.record("update", "campaign_spans", span_id, before, after)
    return after


def delete_span(corpus, span_id: str, annotator: str, version) -> dict:
    expected = _version(version)
    with corpus.transaction(f"campaign span delete {span_id}", annotator) as tx:
        before = _own_span(tx.connection, span_id, annotator)
        check_open_member(get_campaign(tx.connection, before["campaign_id"]), annotator)
        held_slot(tx.connection, before["slot_id"], annotator)
        p = campaign_spans
        if tx.connection.execute(p.delete().where(p.c.id == span_id, p.c.version == expected)).rowcount != 1:
            raise ConflictError(f"span {span_id!r} was changed meanwhile (version {before['version']}, you had {expected})")
        tx.record("delete", "campaign_spans", span_id, before, None)
    return before


def decide_suggestion(corpus, slot_id: str, annotator: str, index: int, decision: str) -> dict:
    """Accept or dismiss the unit's pre-filled suggestion number `index`; either way it is recorded, once
    per seat (the unique key uq_campaign_suggestion_decision refuses a second decision sent meanwhile)."""
    if decision not in ("accepted", "dismissed"):
        raise InputError(f"a suggestion is 'accepted' or 'dismissed', not {decision!r}")
    decided = ConflictError(f"suggestion {index} was decided already (delete that decision to change it)")
    try:
        with corpus.transaction(f"campaign suggestion {slot_id}", annotator) as tx:
            slot = held_slot(tx.connection, slot_id, annotator)
            suggestions = _unit(tx.connection, slot["unit_id"])["suggestions"]
            if type(index) is not int or not 0 <= index < len(suggestions):
                raise InputError(f"no suggestion {index!r} in this unit ({len(suggestions)} suggestions)")
            origin = f"suggestion:{index}:{suggestions[index]['origin']}"
            p = campaign_spans
            if tx.connection.execute(select(p.c.id).where(p.c.slot_id == slot_id, p.c.origin == origin)).first():
                raise decided
            fields = {k: suggestions[index][k] for k in ("item", "side", "start", "end", "category", "severity")}
            return _insert_span(tx, slot, annotator, fields, origin, decision)
    except DuplicateRow:
        raise decided from None


# -- adjudication ---------------------------------------------------------------------------------
def record_gold(corpus, unit_id: str, reviewer: str, decision: str, span_ids: list[str], span: dict | None = None) -> dict:
    """A reviewer's decision on spans of one unit: accept one into the gold set, merge several into one
    gold span (`span` gives its fields, default: the first one's), or dismiss them. Each span is decided
    once: the primary key of campaign_gold_sources refuses a second decision, even one sent meanwhile."""
    if decision not in DECISIONS:
        raise InputError(f"unknown decision {decision!r} (expected {', '.join(DECISIONS)})")
    if not isinstance(span_ids, list) or not span_ids or not all(isinstance(i, str) for i in span_ids):
        raise InputError("a decision names the span ids it is about ('spans': [...])")
    if decision == "accept" and len(span_ids) != 1:
        raise InputError("accept takes exactly one span (merge several)")
    if len(set(span_ids)) != len(span_ids):
        raise InputError("a decision names each span once")
    try:
        return _record_gold(corpus, unit_id, reviewer, decision, span_ids, span)
    except DuplicateRow:  # a decision about one of these spans was committed meanwhile
        with corpus.engine.connect() as connection:
            raise _decided_already(connection, span_ids) or ConflictError("a span of this decision was decided meanwhile") from None


def _decided_already(connection, span_ids: list[str]) -> ConflictError | None:
    """The refusal to decide a span twice, naming the decision it has, if one of span_ids has one."""
    links, g = campaign_gold_sources, campaign_gold
    found = connection.execute(select(links.c.span_id, g.c.id, g.c.decision, g.c.decided_by).join(g, g.c.id == links.c.gold_id)
                               .where(links.c.span_id.in_(span_ids)).order_by(links.c.span_id)).first()
    if found is None:
        return None
    return ConflictError(f"span {found.span_id!r} was decided already ({found.decision} by {found.decided_by}, {found.id}); "
                         "each span is adjudicated once")


def _record_gold(corpus, unit_id: str, reviewer: str, decision: str, span_ids: list[str], span: dict | None) -> dict:
    with corpus.transaction(f"campaign adjudicate {unit_id}", reviewer) as tx:
        unit = _unit(tx.connection, unit_id)
        campaign = get_campaign(tx.connection, unit["campaign_id"])
        if not may_review(campaign, reviewer):
            raise NotInCampaign(f"{reviewer!r} is neither the owner nor a reviewer of campaign {campaign['id']!r}")
        p = campaign_spans
        spans = {r["id"]: dict(r) for r in tx.connection.execute(select(p).where(p.c.id.in_(span_ids))).mappings()}
        missing = [i for i in span_ids if i not in spans or spans[i]["unit_id"] != unit_id]
        if missing:
            raise NotFoundError(f"no span {missing[0]!r} in unit {unit_id!r}")
        # A dismissal has no gold span: its span fields are null, as the stored row reads back.
        row = {"id": new_id("gold"), "campaign_id": campaign["id"], "unit_id": unit_id, "decision": decision, "sources": span_ids,
               **dict.fromkeys(GOLD_SPAN_FIELDS), "decided_by": reviewer, "created_at": tx.at}
        if decision != "dismiss":
            first = spans[span_ids[0]]
            base = {k: first[k] for k in ("item", "side", "start", "end", "category", "severity")}
            if span:
                if not isinstance(span, dict):
                    raise InputError("'span' must be a JSON object")
                base.update({k: v for k, v in span.items() if k in ("item", "side", "start", "end", "category", "severity")})
            elif decision == "merge":
                same_row = [s for s in spans.values() if (s["item"], s["side"]) == (first["item"], first["side"])]
                base["start"] = min(s["start"] for s in same_row)
                base["end"] = max(s["end"] for s in same_row)
            gold_protocol = {**campaign, "protocol": "mqm" if campaign["protocol"] == "mqm" else "esa"}
            row.update({k: v for k, v in check_span(gold_protocol, unit, base).items() if k != "comment"})
        refused = _decided_already(tx.connection, span_ids)
        if refused is not None:
            raise refused
        tx.connection.execute(campaign_gold.insert(), [row])
        tx.connection.execute(campaign_gold_sources.insert(), [{"span_id": i, "gold_id": row["id"]} for i in span_ids])
        tx.record("insert", "campaign_gold", row["id"], None, row)
    return row

