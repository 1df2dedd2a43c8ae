"""Claims: leases that expire and go back to the pool, never more than k holders per unit, and 32
clients claiming at once from one campaign on SQLite and on PostgreSQL: nothing double-claimed, nothing lost."""
from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.campaigns.annotations import add_span
from corpus.campaigns.claims import NotInCampaign, claim, next_slot, submit
from corpus.errors import ConflictError
from pipelines.campaign.build import create_campaign
from tests.campaign.conftest import MT


def later(seconds: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def drain(corpus, name, annotator, now=None):
    taken = []
    while (slot := claim(corpus, name, annotator, now)) is not None:
        taken.append(slot)
    return taken


def test_fixed_plan_claims_follow_the_plan_and_order(corpus):
    create_campaign(corpus, CampaignSpec(name="p", translations=MT[:1], annotators=["a", "b", "c"], overlap=2))
    planned = [s["id"] for s in CampaignStore(corpus).slots("p") if s["planned"] == "a"]
    taken = drain(corpus, "p", "a")
    assert [s["id"] for s in taken] == planned
    assert all(s["state"] == "claimed" and s["lease_until"] > s["claimed_at"] for s in taken)


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
    slot = next_slot(corpus, "p", "a")
    assert next_slot(corpus, "p", "a", later(3600))["id"] == slot["id"]
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


def all_at_once(client, annotators: list[str], clients: int = 32) -> list[str]:
    """Run client(annotator) on `clients` threads released together (annotators taken in turn); what they raised."""
    barrier = threading.Barrier(clients)
    errors: list[str] = []

    def run(annotator: str):
        try:
            barrier.wait()
            client(annotator)
        except BaseException as error:  # reported to the caller
            errors.append(f"{annotator}: {error!r}")

    threads = [threading.Thread(target=run, args=(annotators[i % len(annotators)],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return errors


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

    assert all_at_once(client, annotators) == []
    ids = [c[0] for c in claims]
    assert len(ids) == len(set(ids)) == len(slots), "a slot was claimed twice or not at all"
    per_unit = defaultdict(list)
    for _, unit, annotator in claims:
        per_unit[unit].append(annotator)
    assert all(len(v) == 3 == len(set(v)) for v in per_unit.values())
    stored = {s["id"]: s for s in CampaignStore(corpus).slots("storm")}
    assert all(stored[i]["annotator"] == a and stored[i]["state"] == "claimed" for i, _, a in claims)
    if assignment == "fixed":
        assert all(stored[i]["planned"] == a for i, _, a in claims)


def test_32_http_clients_claim_through_the_server(any_corpus):
    """The same storm through `calque serve`'s JSON API: one keep-alive connection and token per client."""
    import http.client
    import json

    from pipelines.serve import TokenStore
    from tests.serve.conftest import LiveServer

    corpus = any_corpus
    annotators = [f"ann{i}" for i in range(8)]
    create_campaign(corpus, CampaignSpec(name="web", translations=MT, annotators=annotators, overlap=3, assignment="pool"))
    tokens = {name: TokenStore(corpus.path).add(name) for name in annotators}
    slots = CampaignStore(corpus).slots("web")
    claims: list[tuple[str, str]] = []
    lock = threading.Lock()
    with LiveServer(corpus, None, policy_host="0.0.0.0") as server:

        def client(annotator: str):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            headers = {"Authorization": f"Bearer {tokens[annotator]}", "Content-Type": "application/json", "Host": f"127.0.0.1:{server.port}"}
            while True:
                connection.request("POST", "/api/campaigns/web/claim", body="{}", headers=headers)
                response = connection.getresponse()
                body = json.loads(response.read())
                assert response.status == 200, f"{response.status} {body}"
                if body["slot"] is None:
                    return
                with lock:
                    claims.append((body["slot"]["id"], annotator))

        assert all_at_once(client, annotators) == []
    assert sorted(i for i, _ in claims) == sorted(s["id"] for s in slots)
    stored = {s["id"]: s for s in CampaignStore(corpus).slots("web")}
    per_unit = defaultdict(set)
    for slot_id, annotator in claims:
        assert stored[slot_id]["annotator"] == annotator
        per_unit[stored[slot_id]["unit_id"]].add(annotator)
    assert all(len(v) == 3 for v in per_unit.values())
