"""The campaign JSON API through the real app: an annotator's loop (next, spans, edit, delete, suggestion,
submit), blind names, who may see progress and adjudicate, and the journal of a gold decision."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from corpus.campaigns import CampaignSpec, CampaignStore
from pipelines.campaign.build import create_campaign
from pipelines.serve import AccessPolicy, TokenStore, create_app
from tests.campaign.conftest import HUMAN, MT

JSON = {"content-type": "application/json"}


def client_for(corpus, annotator):
    app = create_app(corpus, AccessPolicy.for_binding("127.0.0.1", TokenStore(corpus.path), annotator))
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def clients(corpus):
    made = {name: client_for(corpus, name) for name in ("a", "b", "owner", "mallory")}
    yield made
    for client in made.values():
        client.app.service.close()


def test_an_annotator_works_through_an_esa_item(corpus, clients):
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    for translation, findings in run_corpus_checks(corpus, ["harbour-bridge"]):
        write_findings(corpus, findings, [translation["id"]])
    create_campaign(corpus, CampaignSpec(name="e", translations=[MT[0], HUMAN[0]], annotators=["a", "b"], overlap=2, protocol="esa",
                                         suggestions=True, owner="owner"))
    a = clients["a"]
    assert a.get("/api/campaigns").json()["campaigns"] == [{"id": "e", "protocol": "esa", "unit": "segment", "status": "open", "roles": ["annotator"]}]
    queue = a.get("/api/campaigns/e/queue").json()
    assert queue["assigned"] == len(CampaignStore(corpus).units("e")) and queue["done"] == 0
    assert {i["system"] for i in queue["items"]} <= {"System A", "System B"}
    item = a.post("/api/campaigns/e/next", json={}).json()["item"]
    assert item["system"].startswith("System ") and "literal-mt" not in str(item) and "translator-A" not in str(item)
    assert a.post("/api/campaigns/e/next", json={}).json()["item"]["slot"] == item["slot"]  # the held item again
    target = item["rows"][0]["target"]
    made = a.post(f"/api/campaign-slots/{item['slot']}/spans", json={"item": 0, "start": 0, "end": 3, "severity": "Minor"})
    assert made.status_code == 201 and made.json()["text"] == target[:3]
    span = made.json()
    changed = a.patch(f"/api/campaign-spans/{span['id']}", json={"version": 1, "severity": "Major"}).json()
    assert (changed["severity"], changed["version"]) == ("Major", 2)
    assert a.patch(f"/api/campaign-spans/{span['id']}", json={"version": 1, "severity": "Minor"}).status_code == 409
    assert clients["b"].delete(f"/api/campaign-spans/{span['id']}?version=2", headers=JSON).status_code == 403
    assert a.post(f"/api/campaign-slots/{item['slot']}/submit", json={"score": 101}).status_code == 400
    done = a.post(f"/api/campaign-slots/{item['slot']}/submit", json={"score": 64}).json()
    assert (done["state"], done["score"], [s["severity"] for s in done["spans"]]) == ("done", 64.0, ["Major"])
    assert a.delete(f"/api/campaign-spans/{span['id']}?version=2", headers=JSON).status_code == 200
    assert a.get(f"/api/campaign-slots/{item['slot']}").json()["spans"] == []

    with_suggestion = next(s for s in CampaignStore(corpus).slots("e", "a") if s["state"] == "open" and CampaignStore(corpus).unit(s["unit_id"])["suggestions"])
    while (current := a.post("/api/campaigns/e/next", json={}).json()["item"])["slot"] != with_suggestion["id"]:
        a.post(f"/api/campaign-slots/{current['slot']}/submit", json={"score": 90})
    decided = a.post(f"/api/campaign-slots/{with_suggestion['id']}/suggestions/0", json={"decision": "dismissed"})
    assert decided.status_code == 201 and decided.json()["status"] == "dismissed"
    assert a.post(f"/api/campaign-slots/{with_suggestion['id']}/suggestions/0", json={"decision": "accepted"}).status_code == 409
    view = a.get(f"/api/campaign-slots/{with_suggestion['id']}").json()
    assert view["suggestions"][0]["decision"] == "dismissed" and view["spans"] == []


def test_strangers_and_annotators_cannot_see_progress_or_adjudicate(corpus, clients):
    create_campaign(corpus, CampaignSpec(name="m", translations=[MT[0]], annotators=["a", "b"], overlap=2, owner="owner"))
    assert clients["mallory"].get("/api/campaigns/m/queue").status_code == 403
    assert clients["mallory"].post("/api/campaigns/m/next", json={}).status_code == 403
    assert clients["a"].get("/api/campaigns/m/progress").status_code == 403
    assert clients["owner"].get("/api/campaigns/m/progress").json()["annotators"][0]["assigned"] > 0
    slot = clients["a"].post("/api/campaigns/m/next", json={}).json()["item"]["slot"]
    assert clients["b"].get(f"/api/campaign-slots/{slot}").status_code == 409  # not b's item


def test_a_reviewer_adjudicates_with_the_k_annotations_side_by_side(corpus, clients):
    create_campaign(corpus, CampaignSpec(name="m", translations=[MT[0]], annotators=["a", "b"], overlap=2, owner="owner"))
    slots = {}
    for name in ("a", "b"):
        item = clients[name].post("/api/campaigns/m/next", json={}).json()["item"]
        slots[name] = item
    assert slots["a"]["rows"] == slots["b"]["rows"]  # both hold the first unit of the shuffled order
    marks = {"a": (0, 4, "Major"), "b": (1, 6, "Minor")}
    for name, (start, end, severity) in marks.items():
        clients[name].post(f"/api/campaign-slots/{slots[name]['slot']}/spans",
                           json={"start": start, "end": end, "severity": severity, "category": "Accuracy/Mistranslation"})
        clients[name].post(f"/api/campaign-slots/{slots[name]['slot']}/submit", json={})
    units = clients["owner"].get("/api/campaigns/m/review").json()["units"]
    unit_id = units[0]["unit"]
    view = clients["owner"].get(f"/api/campaign-units/{unit_id}/review").json()
    assert sorted(a["annotator"] for a in view["annotations"]) == ["a", "b"]
    ids = [s["id"] for a in sorted(view["annotations"], key=lambda a: a["annotator"]) for s in a["spans"]]
    assert clients["a"].post(f"/api/campaign-units/{unit_id}/decisions", json={"decision": "merge", "spans": ids}).status_code == 403
    merged = clients["owner"].post(f"/api/campaign-units/{unit_id}/decisions", json={"decision": "merge", "spans": ids}).json()
    assert (merged["start"], merged["end"], merged["severity"], merged["decided_by"]) == (0, 6, "Major", "owner")
    assert merged["text"] == slots["a"]["rows"][0]["target"][0:6]
    assert clients["a"].get("/api/campaigns/m/agreement").status_code == 403
    agreement = clients["owner"].get("/api/campaigns/m/agreement").json()
    assert [(p["reference"], p["hypothesis"], p["segments"]) for p in agreement["pairwise"]] == [("a", "b", 1)]
    assert agreement["pairwise"][0]["spans"]["overlap"]["f1"] == 1.0 and agreement["pairwise"][0]["spans"]["exact"]["f1"] == 0.0
    from pipelines.campaign.exports import gold_records

    [record] = gold_records(corpus, "m")
    assert (record["start"], record["end"], record["decision"], record["sources"], record["decided_by"]) == (0, 6, "merge", ids, "owner")
    journal = corpus.journal(entity="campaign_gold", limit=1).iloc[0]
    assert (journal.actor, journal.entity_id, journal.after["sources"]) == ("owner", merged["id"], ids)


WRONG = [["Fluency"], {"a": "b"}, 3, True, 1.5]


def test_wrong_types_and_out_of_range_versions_are_400_not_500(any_corpus):
    """Issue 20: a non-string category (span, PATCH, gold decision) and a version beyond what the database
    stores (2^31 and up on PostgreSQL, 2^63 on SQLite) are refused as the main annotation API refuses them."""
    corpus = any_corpus
    create_campaign(corpus, CampaignSpec(name="m", translations=[MT[0]], annotators=["a", "b"], overlap=2, owner="owner"))
    made = {name: client_for(corpus, name) for name in ("a", "b", "owner")}
    try:
        a, b, owner = made["a"], made["b"], made["owner"]
        good = {"start": 0, "end": 3, "severity": "Major", "category": "Accuracy/Mistranslation"}
        spans = {}
        for name, client in (("a", a), ("b", b)):
            slot = client.post("/api/campaigns/m/next", json={}).json()["item"]["slot"]
            for wrong in WRONG:
                for field in ("category", "severity", "comment", "item", "side"):
                    refused = client.post(f"/api/campaign-slots/{slot}/spans", json={**good, field: wrong})
                    assert refused.status_code == 400 and field in refused.json()["error"], (field, wrong, refused.text)
            spans[name] = client.post(f"/api/campaign-slots/{slot}/spans", json=good).json()
            assert client.post(f"/api/campaign-slots/{slot}/submit", json={}).status_code == 200
        span = spans["a"]
        for wrong in WRONG:
            assert a.patch(f"/api/campaign-spans/{span['id']}", json={"version": 1, "category": wrong}).status_code == 400
        for version in (2**31, 2**53):
            refused = a.patch(f"/api/campaign-spans/{span['id']}", json={"version": version, "severity": "Minor"})
            assert refused.status_code == 400 and "version" in refused.json()["error"]
        for version in (2**31, 2**63, 2**64, -1, 0):
            refused = a.delete(f"/api/campaign-spans/{span['id']}?version={version}", headers=JSON)
            assert refused.status_code == 400 and "version" in refused.json()["error"]
        unit = CampaignStore(corpus).spans("m")[0]["unit_id"]
        ids = [spans["a"]["id"], spans["b"]["id"]]
        for body in ({"decision": "merge", "spans": ids, "span": {"category": wrong}} for wrong in WRONG):
            refused = owner.post(f"/api/campaign-units/{unit}/decisions", json=body)
            assert refused.status_code == 400 and "category" in refused.json()["error"], refused.text
        for body in ({"decision": ["merge"], "spans": ids}, {"decision": "merge", "spans": [ids]}, {"decision": "merge", "spans": ids, "span": [1]}):
            assert owner.post(f"/api/campaign-units/{unit}/decisions", json=body).status_code == 400
        assert CampaignStore(corpus).gold("m") == []
        merged = owner.post(f"/api/campaign-units/{unit}/decisions", json={"decision": "merge", "spans": ids})
        assert merged.status_code == 201 and merged.json()["category"] == "Accuracy/Mistranslation"
    finally:
        for client in made.values():
            client.app.service.close()
