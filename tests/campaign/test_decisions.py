"""Decisions are stored once: a suggestion accepted or dismissed once per seat, an annotator's span decided
once by the reviewers, however many requests race for it, on SQLite and on PostgreSQL (a unique key in the
database, not a read before the write)."""
from __future__ import annotations

import pytest

from corpus.campaigns.annotations import add_span, decide_suggestion, record_gold
from corpus.campaigns.claims import claim, submit
from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.errors import ConflictError
from pipelines.campaign.build import create_campaign
from pipelines.campaign.quality import status
from tests.campaign.conftest import MT
from tests.concurrency import all_at_once, reads_before_writes

CLIENTS = 16
HELD = 12  # of them made to read before any writes, on PostgreSQL (tests.concurrency)


def seat_with_a_suggestion(corpus) -> dict:
    """An esa campaign with suggestions from Calque's checks; the first seat of annotator a that has one."""
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    for translation, findings in run_corpus_checks(corpus, ["harbour-bridge"]):
        write_findings(corpus, findings, [translation["id"]])
    create_campaign(corpus, CampaignSpec(name="s", translations=MT[:1], annotators=["a"], protocol="esa", suggestions=True))
    while (slot := claim(corpus, "s", "a")) is not None:
        if CampaignStore(corpus).unit(slot["unit_id"])["suggestions"]:
            return slot
        submit(corpus, slot["id"], "a", 80)
    raise AssertionError("no unit of the campaign has a suggestion")


def test_sixteen_concurrent_decisions_on_one_suggestion_store_one(any_corpus):
    slot = seat_with_a_suggestion(any_corpus)
    answers: list[str] = []

    def client(decision: str):
        answers.append(decide_suggestion(any_corpus, slot["id"], "a", 0, decision)["status"])

    with reads_before_writes(any_corpus.engine, "campaign_spans", HELD):
        errors = all_at_once(client, ["accepted", "dismissed"], CLIENTS)
    assert len(answers) == 1 and len(errors) == CLIENTS - 1
    assert all("ConflictError" in e and "decided already" in e for e in errors), errors
    stored = [p for p in CampaignStore(any_corpus).spans("s") if p["origin"].startswith("suggestion:0:")]
    assert [p["status"] for p in stored] == answers
    assert sum(status(any_corpus, "s")["suggestions"].values()) == 1


def unit_marked_by_two(corpus) -> tuple[str, list[str]]:
    """A unit of an mqm campaign that annotators a and b finished, each with one span."""
    create_campaign(corpus, CampaignSpec(name="m", translations=MT[:1], annotators=["a", "b"], overlap=2, owner="owner"))
    spans = []
    for annotator, (start, end) in (("a", (0, 4)), ("b", (1, 6))):
        slot = claim(corpus, "m", annotator)
        spans.append(add_span(corpus, slot["id"], annotator, {"start": start, "end": end, "severity": "Major",
                                                              "category": "Accuracy/Mistranslation"})["id"])
        submit(corpus, slot["id"], annotator)
    return slot["unit_id"], spans


def test_a_span_accepted_once_cannot_be_decided_again(any_corpus):
    unit_id, (first, second) = unit_marked_by_two(any_corpus)
    gold = record_gold(any_corpus, unit_id, "owner", "accept", [first])
    for decision, ids in (("accept", [first]), ("dismiss", [first]), ("merge", [second, first])):
        with pytest.raises(ConflictError, match=f"span {first!r} was decided already .*{gold['id']}"):
            record_gold(any_corpus, unit_id, "owner", decision, ids)
    assert [g["sources"] for g in CampaignStore(any_corpus).gold("m")] == [[first]]
    record_gold(any_corpus, unit_id, "owner", "dismiss", [second])
    assert [g["decision"] for g in CampaignStore(any_corpus).gold("m")] == ["accept", "dismiss"]


def test_sixteen_concurrent_accepts_of_one_span_store_one_gold_row(any_corpus):
    unit_id, (first, _) = unit_marked_by_two(any_corpus)
    stored: list[str] = []
    with reads_before_writes(any_corpus.engine, "campaign_gold", HELD):
        errors = all_at_once(lambda reviewer: stored.append(record_gold(any_corpus, unit_id, reviewer, "accept", [first])["id"]),
                             ["owner"], CLIENTS)
    assert len(stored) == 1 and len(errors) == CLIENTS - 1 and all("decided already" in e for e in errors), errors
    assert [g["id"] for g in CampaignStore(any_corpus).gold("m")] == stored
    assert status(any_corpus, "m")["gold_decisions"] == 1
