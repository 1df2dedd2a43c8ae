"""Sign-in links: a campaign's token opens that campaign's annotator and reviewer routes and nothing else
(no corpus documents, no real system names, no corpus findings to confirm, no other campaign), --reissue
replaces one campaign's link only, names are checked when the campaign is created, and the owner (the
identity `serve` uses) adjudicates beside the --reviewers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from corpus.campaigns.annotations import add_span
from corpus.campaigns.claims import claim
from corpus.campaigns import CampaignStore
from pipelines.cli import main
from pipelines.serve import AccessPolicy, TokenStore, create_app
from tests.campaign.conftest import HUMAN, MT


def run(corpus, *args, ok=True, env=None):
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), *args], env=env)
    assert (result.exit_code == 0) == ok, result.output
    return result


def links(corpus, name, *options) -> dict[str, str | None]:
    rows = json.loads(run(corpus, "campaign", "tokens", name, "--json", *options).output)
    return {row["annotator"]: row["link"] and row["link"].split("token=")[1] for row in rows}


@pytest.fixture
def public(corpus):
    """The app as `calque serve --host 0.0.0.0` serves it (every request needs a token)."""
    TokenStore(corpus.path).add("corpus-editor")
    client = TestClient(create_app(corpus, AccessPolicy.for_binding("0.0.0.0", TokenStore(corpus.path), None)),
                        base_url="http://annotate.example.org")
    yield lambda method, path, token, **kw: client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kw)
    client.app.service.close()


def test_a_campaign_link_opens_its_campaign_and_nothing_else(corpus, public):
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    for translation, findings in run_corpus_checks(corpus, ["harbour-bridge"]):
        write_findings(corpus, findings, [translation["id"]])
    finding = corpus.annotations(translation_id=MT[0]).query("origin.str.startswith('auto:')", engine="python").iloc[0]
    run(corpus, "campaign", "create", "x", "--translations", f"{MT[0]},{HUMAN[0]}", "--annotators", "a,b", "--reviewers", "rev")
    run(corpus, "campaign", "create", "y", "--translations", MT[1], "--annotators", "a")
    x_links = links(corpus, "x")
    token = x_links["a"]

    for path in ("/api/session", "/api/documents", "/api/documents/harbour-bridge", f"/api/annotations/{finding.id}"):
        refused = public("GET", path, token)
        assert refused.status_code == 403 and "campaign 'x' only" in refused.json()["error"], path
    assert public("POST", f"/api/annotations/{finding.id}/confirm", token, json={"version": int(finding.version)}).status_code == 403
    assert public("POST", "/api/annotations", token, json={"translation": MT[0], "segment": 0, "start": 0, "end": 1,
                                                            "category": "Accuracy", "severity": "Minor"}).status_code == 403
    assert corpus.annotations().set_index("id").loc[finding.id, "status"] == "open"

    assert public("GET", "/api/campaigns", token).json()["campaigns"] == [
        {"id": "x", "protocol": "mqm", "unit": "segment", "status": "open", "roles": ["annotator"]}]
    item = public("POST", "/api/campaigns/x/next", token, json={}).json()["item"]
    assert item["system"].startswith("System ") and "literal-mt" not in json.dumps(item)
    for method, path in (("GET", "/api/campaigns/y/queue"), ("POST", "/api/campaigns/y/next"), ("POST", "/api/campaigns/y/claim")):
        assert public(method, path, token, **({"json": {}} if method == "POST" else {})).status_code == 403, path
    elsewhere = claim(corpus, "y", "a")
    span = add_span(corpus, elsewhere["id"], "a", {"start": 0, "end": 2, "severity": "Minor", "category": "Fluency"})
    for method, path in (("GET", f"/api/campaign-slots/{elsewhere['id']}"), ("POST", f"/api/campaign-slots/{elsewhere['id']}/submit"),
                         ("POST", f"/api/campaign-slots/{elsewhere['id']}/spans"), ("PATCH", f"/api/campaign-spans/{span['id']}"),
                         ("DELETE", f"/api/campaign-spans/{span['id']}?version=1")):
        assert public(method, path, token, **({"json": {"version": 1}} if method != "GET" else {})).status_code == 403, path
    assert public("GET", f"/api/campaign-slots/{item['slot']}", token).json()["slot"] == item["slot"]

    owner = CampaignStore(corpus).get("y")["owner"]  # owns both campaigns; their link to x opens x only
    owner_token = x_links[owner]
    assert public("GET", "/api/campaigns/x/progress", owner_token).status_code == 200
    for path in ("/api/campaigns/y/progress", "/api/campaigns/y/review", "/api/campaigns/y/agreement",
                 f"/api/campaign-units/{elsewhere['unit_id']}/review"):
        assert public("GET", path, owner_token).status_code == 403, path
    decisions = f"/api/campaign-units/{elsewhere['unit_id']}/decisions"
    assert public("POST", decisions, owner_token, json={"decision": "accept", "spans": [span["id"]]}).status_code == 403
    assert [c["id"] for c in public("GET", "/api/campaigns", owner_token).json()["campaigns"]] == ["x"]
    assert CampaignStore(corpus).gold("y") == [] and len(CampaignStore(corpus).spans("y")) == 1


def test_reissuing_one_campaign_keeps_the_persons_other_links(corpus, public):
    run(corpus, "campaign", "create", "x", "--translations", MT[0], "--annotators", "a")
    run(corpus, "campaign", "create", "y", "--translations", MT[1], "--annotators", "a")
    first_x, first_y = links(corpus, "x")["a"], links(corpus, "y")["a"]
    assert links(corpus, "x")["a"] is None  # a holds a link already
    second_x = links(corpus, "x", "--reissue")["a"]
    assert public("GET", "/api/campaigns/x/queue", first_x).status_code == 401
    assert public("GET", "/api/campaigns/x/queue", second_x).status_code == 200
    assert public("GET", "/api/campaigns/y/queue", first_y).status_code == 200


def test_the_owner_adjudicates_beside_the_reviewers(corpus, public):
    run(corpus, "campaign", "create", "m", "--translations", MT[0], "--annotators", "a,b", "--overlap", "2", "--reviewers", "rev",
        env={"CALQUE_ANNOTATOR": "boss"})
    assert CampaignStore(corpus).get("m")["owner"] == "boss"
    tokens = links(corpus, "m")
    assert set(tokens) == {"a", "b", "rev", "boss"}
    for person, (start, end) in (("a", (0, 4)), ("b", (1, 6))):
        slot = public("POST", "/api/campaigns/m/next", tokens[person], json={}).json()["item"]["slot"]
        public("POST", f"/api/campaign-slots/{slot}/spans", tokens[person], json={"start": start, "end": end, "severity": "Major",
                                                                                  "category": "Accuracy/Mistranslation"})
        public("POST", f"/api/campaign-slots/{slot}/submit", tokens[person], json={})
    [unit] = public("GET", "/api/campaigns/m/review", tokens["boss"]).json()["units"]
    view = public("GET", f"/api/campaign-units/{unit['unit']}/review", tokens["boss"]).json()
    first, second = (a["spans"][0]["id"] for a in sorted(view["annotations"], key=lambda a: a["annotator"]))
    decisions = f"/api/campaign-units/{unit['unit']}/decisions"
    assert public("POST", decisions, tokens["a"], json={"decision": "accept", "spans": [first]}).status_code == 403
    by_owner = public("POST", decisions, tokens["boss"], json={"decision": "accept", "spans": [first]})
    assert by_owner.status_code == 201 and by_owner.json()["decided_by"] == "boss"
    by_reviewer = public("POST", decisions, tokens["rev"], json={"decision": "dismiss", "spans": [second]})
    assert by_reviewer.status_code == 201 and by_reviewer.json()["decided_by"] == "rev"


def test_the_owner_is_the_identity_serve_uses(corpus):
    run(corpus, "campaign", "create", "by-env", "--translations", MT[0], "--annotators", "a", env={"CALQUE_ANNOTATOR": "boss"})
    run(corpus, "campaign", "create", "by-login", "--translations", MT[0], "--annotators", "a",
        env={"CALQUE_ANNOTATOR": None, "CALQUE_USER": "chief"})
    store = CampaignStore(corpus)
    assert (store.get("by-env")["owner"], store.get("by-login")["owner"]) == ("boss", "chief")
    assert store.get("by-env")["settings"]["reviewers"] == ["boss"]


@pytest.mark.parametrize("option, names", [("--annotators", "a,<b>"), ("--annotators", "a, .hidden"), ("--annotators", "x" * 65),
                                           ("--reviewers", "r/1"), ("--annotators", "a,b\u0000")])
def test_names_a_sign_in_link_could_not_carry_are_refused_when_the_campaign_is_created(corpus, option, names):
    args = ["campaign", "create", "bad", "--translations", MT[0], "--annotators", "a", option, names]
    result = run(corpus, *args, ok=False)
    assert result.exit_code == 1 and "name" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert CampaignStore(corpus).list() == []
