"""Migration 3 → 4: a store written before the unique keys, holding the duplicates they forbid, opens with the
first of each kept (a reviewed finding before an open one), the others removed or released and journaled,
and the keys in place afterwards; on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select, update

from corpus import Corpus, schema
from corpus.campaigns.annotations import add_span, decide_suggestion, record_gold
from corpus.campaigns.claims import claim, submit
from corpus.schema import campaign_gold, campaign_gold_sources, campaign_slots, campaign_spans
from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.errors import DuplicateRow
from corpus.unique_keys import ACTOR, AUTO_FINDING_KEY, HELD_SEAT_KEY, SUGGESTION_DECISION_KEY
from pipelines.campaign.build import create_campaign
from pipelines.checks.corpus_run import run_corpus_checks, write_findings
from tests.demo_corpus import open_demo

MT = "harbour-bridge.de.mt"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    corpus = open_demo(tmp_path / request.param, database_url=url, actor="owner")
    yield corpus
    corpus.close()


def as_schema_3(corpus) -> None:
    """Take away what migration 3 → 4 adds."""
    with corpus.engine.begin() as connection:
        for index in (AUTO_FINDING_KEY, HELD_SEAT_KEY, SUGGESTION_DECISION_KEY):
            connection.exec_driver_sql(f"DROP INDEX {index}")
        connection.exec_driver_sql("DROP TABLE campaign_gold_sources")
        connection.execute(update(schema.meta).where(schema.meta.c.key == "schema_version").values(value="3"))


def copy_row(connection, table, row: dict, **changes) -> str:
    copy = {**row, **changes}
    connection.execute(insert(table), [copy])
    return copy["id"]


def test_a_schema_3_store_with_duplicates_is_migrated_to_one_of_each(store):
    for translation, findings in run_corpus_checks(store, ["harbour-bridge"]):
        write_findings(store, findings, [translation["id"]])
    create_campaign(store, CampaignSpec(name="s", translations=[MT], annotators=["a", "b"], overlap=2, protocol="esa",
                                        suggestions=True, assignment="pool"))
    while not CampaignStore(store).unit((seat := claim(store, "s", "a"))["unit_id"])["suggestions"]:
        submit(store, seat["id"], "a", 90)
    decide_suggestion(store, seat["id"], "a", 0, "accepted")
    marked = add_span(store, seat["id"], "a", {"start": 0, "end": 2, "severity": "Minor"})
    submit(store, seat["id"], "a", 50)
    other = claim(store, "s", "b")
    while other["unit_id"] != seat["unit_id"]:
        submit(store, other["id"], "b", 90)
        other = claim(store, "s", "b")
    theirs = add_span(store, other["id"], "b", {"start": 1, "end": 3, "severity": "Major"})
    submit(store, other["id"], "b", 40)
    gold = record_gold(store, seat["unit_id"], "owner", "accept", [marked["id"]])
    held = claim(store, "s", "a")
    as_schema_3(store)

    a, s, p, g = schema.annotations, campaign_slots, campaign_spans, campaign_gold
    with store.engine.begin() as connection:
        first, second = [dict(r) for r in connection.execute(select(a).where(a.c.origin.like("auto:%")).order_by(a.c.id).limit(2)).mappings()]
        twin = copy_row(connection, a, first, id="ann-twin", created_at="9999")
        reviewed = copy_row(connection, a, second, id="ann-reviewed", status="confirmed", created_at="9999")
        units_of_a = select(s.c.unit_id).where(s.c.annotator == "a")
        spare = dict(connection.execute(select(s).where(s.c.campaign_id == "s", s.c.state == "open", s.c.annotator.is_(None),
                                                        s.c.unit_id.not_in(units_of_a)).order_by(s.c.position)).mappings().first())
        connection.execute(update(s).where(s.c.id == spare["id"]).values(state="claimed", annotator="a", claimed_at="9999",
                                                                        lease_until="9999"))
        on_spare = copy_row(connection, p, {**marked, "slot_id": spare["id"], "unit_id": spare["unit_id"]}, id="span-on-spare")
        decision = dict(connection.execute(select(p).where(p.c.origin.like("suggestion:%"))).mappings().one())
        second_decision = copy_row(connection, p, decision, id="span-again", status="dismissed", created_at="9999")
        again = copy_row(connection, g, {**gold, "created_at": "9999"}, id="gold-again")
        merged = copy_row(connection, g, {**gold, "created_at": "99999", "decision": "merge"}, id="gold-merged",
                          sources=[theirs["id"], marked["id"]])
    store.close()

    migrated = Corpus.open(store.path, actor="owner")
    try:
        with migrated.engine.connect() as connection:
            findings = {r.id: r.status for r in connection.execute(select(a.c.id, a.c.status).where(a.c.origin.like("auto:%")))}
            slots = {r.id: dict(r._mapping) for r in connection.execute(select(s).where(s.c.campaign_id == "s"))}
            spans = set(connection.execute(select(p.c.id)).scalars())
            golds = set(connection.execute(select(g.c.id)).scalars())
            links = set(connection.execute(select(campaign_gold_sources.c.span_id, campaign_gold_sources.c.gold_id)).all())
        assert first["id"] in findings and twin not in findings
        assert second["id"] not in findings and findings[reviewed] == "confirmed"  # the reviewed twin is kept
        assert [i for i, slot in slots.items() if slot["annotator"] == "a" and slot["state"] == "claimed"] == [held["id"]]
        assert (slots[spare["id"]]["state"], slots[spare["id"]]["annotator"]) == ("open", None)
        assert on_spare not in spans and decision["id"] in spans and second_decision not in spans
        assert golds == {gold["id"]} and links == {(marked["id"], gold["id"])}
        removed = migrated.journal()
        removed = removed[removed.actor == ACTOR]
        assert set(removed[removed.action == "delete"].entity_id) == {twin, second["id"], on_spare, second_decision, again, merged}
        assert set(removed[removed.action == "update"].entity_id) == {spare["id"]}

        with pytest.raises(DuplicateRow):  # the keys stand now
            with migrated.transaction("twin again") as tx:
                copy_row(tx.connection, a, first, id="ann-twin-2")
        with pytest.raises(DuplicateRow):
            with migrated.transaction("second seat") as tx:
                tx.connection.execute(update(s).where(s.c.id == spare["id"]).values(state="claimed", annotator="a"))
    finally:
        migrated.close()
