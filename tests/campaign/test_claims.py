"""Claims: leases that expire and go back to the pool, never more than k holders per unit, and 32
clients claiming at once from one campaign on SQLite and on PostgreSQL: nothing double-claimed, nothing lost."""
from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.campaigns.annotations import add_span
from corpus.campaigns.claims import NotInCampaign, claim, submit
from corpus.errors import ConflictError
from pipelines.campaign.build import create_campaign
from tests.campaign.conftest import MT
from tests.concurrency import all_at_once


def later(seconds: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def drain(corpus, name, annotator, now=None):
    """Claim and finish items until none is left; the slots as they were claimed."""
    taken = []
    while (slot := claim(corpus, name, annotator, now)) is not None:
        taken.append(slot)
        submit(corpus, slot["id"], annotator, now=now)
    return taken


def test_fixed_plan_claims_follow_the_plan_and_order(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a", "b", "c"], overlap=2))
    planned = [s["id"] for s in CampaignStore(corpus).slots("p") if s["planned"] == "a"]
    taken = drain(corpus, "p", "a")
    assert [s["id"] for s in taken] == planned
    assert all(s["state"] == "claimed" and s["lease_until"] > s["claimed_at"] for s in taken)


def test_an_annotator_holds_one_unfinished_item_per_campaign(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a", "b"], overlap=1, assignment="pool"))
    create_campaign(corpus, CampaignSpec(name="q", translations=MT[:1], annotators=["a"], overlap=1))
    first = claim(corpus, "p", "a")
    assert claim(corpus, "p", "a")["id"] == first["id"]  # claiming again answers with the held item
    assert claim(corpus, "q", "a")["campaign_id"] == "q"  # another campaign is another queue
    assert claim(corpus, "p", "b")["id"] != first["id"]
    submit(corpus, first["id"], "a")
    assert claim(corpus, "p", "a")["id"] != first["id"]
    held = [s for s in CampaignStore(corpus).slots("p", "a") if s["state"] == "claimed"]
    assert len(held) == 1


def test_an_expired_lease_goes_back_to_the_pool_and_its_marks_go_with_it(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a", "b"], overlap=1, assignment="pool",
                                        protocol="mqm", lease_seconds=60))
    slots = len(CampaignStore(corpus).slots("p"))
    first = claim(corpus, "p", "a")
    add_span(corpus, first["id"], "a", {"start": 0, "end": 1, "severity": "Minor", "category": "Fluency"})
    assert [s["id"] for s in drain(corpus, "p", "b")] and first["id"] not in [s["id"] for s in CampaignStore(corpus).slots("p", "b")]
    stolen = drain(corpus, "p", "b", later(61))
    assert [s["id"] for s in stolen] == [first["id"]]
    assert CampaignStore(corpus).spans("p", unit_id=first["unit_id"]) == []
    with pytest.raises(ConflictError, match="not held by 'a'"):
        submit(corpus, first["id"], "a")
    assert len(CampaignStore(corpus).slots("p", "b")) == slots


def test_an_expired_lease_nobody_took_can_still_be_finished(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a"], protocol="esa", lease_seconds=10))
    slot = claim(corpus, "p", "a")
    assert claim(corpus, "p", "a", later(3600))["id"] == slot["id"]
    done = submit(corpus, slot["id"], "a", 72, now=later(20))
    assert (done["state"], done["score"]) == ("done", 72.0) and done["seconds"] >= 20


def test_pool_claims_give_each_unit_exactly_k_distinct_annotators(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a", "b", "c"], overlap=2, assignment="pool"))
    for annotator in ("a", "b", "c"):
        drain(corpus, "p", annotator)
    holders = defaultdict(list)
    for slot in CampaignStore(corpus).slots("p"):
        holders[slot["unit_id"]].append(slot["annotator"])
    assert all(len(v) == 2 == len(set(v)) for v in holders.values())


def test_strangers_cannot_claim(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a"]))
    with pytest.raises(NotInCampaign):
        claim(corpus, "p", "mallory")


def test_scores_follow_the_protocol(corpus):
    from corpus.errors import InputError

    create_campaign(corpus, CampaignSpec(name="e", translations=MT[:1], annotators=["a"], protocol="esa"))
    slot = claim(corpus, "e", "a")
    for bad in (None, -1, 101, "50", True):
        with pytest.raises(InputError, match="needs a score from 0 to 100"):
            submit(corpus, slot["id"], "a", bad)
    assert submit(corpus, slot["id"], "a", 0)["score"] == 0.0


@pytest.mark.parametrize("assignment", ["pool", "fixed"])
def test_32_clients_claiming_at_once_never_exceed_k_and_lose_nothing(any_corpus, assignment):
    corpus = any_corpus
    annotators = [f"ann{i}" for i in range(8)]
    create_campaign(corpus, CampaignSpec(name="storm", translations=MT, annotators=annotators, overlap=3, assignment=assignment))
    slots = CampaignStore(corpus).slots("storm")
    claims: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def client(annotator: str):
        while (slot := claim(corpus, "storm", annotator)) is not None:
            with lock:
                claims.append((slot["id"], slot["unit_id"], annotator))
            try:
                submit(corpus, slot["id"], annotator)
            except ConflictError:  # another of the annotator's four clients finished the item first
                pass

    assert all_at_once(client, annotators) == []
    assert {c[0] for c in claims} == {s["id"] for s in slots}, "a slot was never claimed"
    assert len(set(claims)) == len({c[0] for c in claims}), "a slot was claimed by two annotators"
    per_unit = defaultdict(set)
    for _, unit, annotator in set(claims):
        per_unit[unit].add(annotator)
    assert all(len(v) == 3 for v in per_unit.values())
    stored = {s["id"]: s for s in CampaignStore(corpus).slots("storm")}
    assert all(stored[i]["annotator"] == a and stored[i]["state"] == "done" for i, _, a in claims)
    if assignment == "fixed":
        assert all(stored[i]["planned"] == a for i, _, a in claims)


def test_32_http_clients_claim_through_the_server(any_corpus):
    """The same storm through `calque serve`'s JSON API: one keep-alive connection and sign-in link per client."""
    import http.client
    import json

    from pipelines.serve import TokenStore
    from tests.serve.conftest import LiveServer

    corpus = any_corpus
    annotators = [f"ann{i}" for i in range(8)]
    create_campaign(corpus, CampaignSpec(name="web", translations=MT, annotators=annotators, overlap=3, assignment="pool"))
    tokens = {name: TokenStore(corpus.path).add(name, campaign="web") for name in annotators}
    slots = CampaignStore(corpus).slots("web")
    claims: list[tuple[str, str]] = []
    lock = threading.Lock()
    with LiveServer(corpus, None, policy_host="0.0.0.0") as server:

        def client(annotator: str):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            headers = {"Authorization": f"Bearer {tokens[annotator]}", "Content-Type": "application/json", "Host": f"127.0.0.1:{server.port}"}

            def post(path: str, *statuses: int) -> dict:
                connection.request("POST", path, body="{}", headers=headers)
                response = connection.getresponse()
                body = json.loads(response.read())
                assert response.status in (200, *statuses), f"{response.status} {body}"
                return body

            while (slot := post("/api/campaigns/web/claim")["slot"]) is not None:
                with lock:
                    claims.append((slot["id"], annotator))
                post(f"/api/campaign-slots/{slot['id']}/submit", 409)  # 409: another of the annotator's clients finished it

        assert all_at_once(client, annotators) == []
    assert {i for i, _ in claims} == {s["id"] for s in slots}
    assert len(set(claims)) == len({i for i, _ in claims}), "a slot was claimed by two annotators"
    stored = {s["id"]: s for s in CampaignStore(corpus).slots("web")}
    per_unit = defaultdict(set)
    for slot_id, annotator in claims:
        assert stored[slot_id]["annotator"] == annotator and stored[slot_id]["state"] == "done"
        per_unit[stored[slot_id]["unit_id"]].add(annotator)
    assert all(len(v) == 3 for v in per_unit.values())


def test_sixteen_concurrent_next_calls_of_one_annotator_hold_one_item(any_corpus):
    """An annotator holds at most one unfinished item per campaign: `next` from many tabs at once answers
    them all with the same item (a partial unique index on the claimed seats stands behind it)."""
    from pipelines.campaign.service import CampaignService

    create_campaign(any_corpus, CampaignSpec(name="n", translations=MT, annotators=["a", "b"], overlap=1, assignment="pool"))
    service = CampaignService(any_corpus)
    answers: list[str] = []
    assert all_at_once(lambda annotator: answers.append(service.next_item("n", annotator)["slot"]), ["a"], 16) == []
    held = [s["id"] for s in CampaignStore(any_corpus).slots("n", "a") if s["state"] == "claimed"]
    assert len(held) == 1 and answers == held * 16
