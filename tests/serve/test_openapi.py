"""The OpenAPI document of `calque serve` is served at /openapi.json, is a valid OpenAPI 3.1 document, and
describes what the server really answers: every operation is called and request and response are validated
against it (openapi-core)."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.serve.test_api import add_suggestion

openapi_core = pytest.importorskip("openapi_core")
from openapi_core import OpenAPI  # noqa: E402
from openapi_core.datatypes import RequestParameters  # noqa: E402
from openapi_core.exceptions import OpenAPIError  # noqa: E402
from werkzeug.datastructures import Headers, ImmutableMultiDict  # noqa: E402


class Request:
    """An httpx request as openapi-core's Request protocol."""

    def __init__(self, request):
        url = urlsplit(str(request.url))
        self.host_url, self.path, self.method = f"{url.scheme}://{url.netloc}", url.path, request.method.lower()
        self.parameters = RequestParameters(query=ImmutableMultiDict(parse_qs(url.query)), header=Headers(dict(request.headers)),
                                            cookie=ImmutableMultiDict())
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "application/json")


class Response:
    def __init__(self, response):
        self.status_code, self.data, self.headers = response.status_code, response.content, Headers(dict(response.headers))
        self.content_type = response.headers.get("content-type", "")


class Checked:
    """Calls through one client, validating each request and response against the served document.
    `valid_request=False` is for requests that break the document on purpose: the document must reject
    them too, and the server's (error) response must still match it."""

    def __init__(self, client, openapi, seen):
        self.client, self.openapi, self.seen = client, openapi, seen

    def __call__(self, method: str, url: str, valid_request: bool = True, **kwargs):
        response = self.client.request(method, url, **kwargs)
        if valid_request:
            self.openapi.validate_request(Request(response.request))
        else:
            with pytest.raises(OpenAPIError):
                self.openapi.validate_request(Request(response.request))
        self.openapi.validate_response(Request(response.request), Response(response))
        self.seen.append((method, urlsplit(url).path, response.status_code))
        return response


@pytest.fixture
def document(client):
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and spec.headers["content-type"].startswith("application/json")
    return spec.json()


@pytest.fixture
def checked(document):
    """checked(client) -> a Checked caller; all callers of a test share one record of what was called."""
    openapi = OpenAPI.from_dict(document)  # validates the document itself (openapi-spec-validator) on load
    seen: list[tuple[str, str, int]] = []

    def make(client):
        return Checked(client, openapi, seen)

    make.seen = seen
    make.spec = document
    return make


@pytest.fixture
def api(client, checked):
    call = checked(client)
    call.seen, call.spec = checked.seen, checked.spec
    return call


def test_every_operation_answers_as_documented(api, corpus, bob):
    assert api("GET", "/api/session").json()["annotator"] == "alice"
    assert any(d["id"] == "seed-hikvision" for d in api("GET", "/api/documents").json())
    view = api("GET", "/api/documents/seed-hikvision").json()
    assert any(row["target"] and row["target"][0]["annotations"] for row in view["translations"][0]["rows"])
    api("GET", "/api/documents/harbour-bridge")
    assert api("GET", "/api/documents/nope").status_code == 404

    body = {"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10, "category": "Accuracy/Mistranslation",
            "severity": "Major", "comment": "test"}
    created = api("POST", "/api/annotations", json=body)
    assert created.status_code == 201
    note = created.json()
    assert api("GET", f"/api/annotations/{note['id']}").json()["version"] == 1
    assert api("PATCH", f"/api/annotations/{note['id']}", json={"version": 1, "comment": "edited"}).json()["version"] == 2
    stale = api("PATCH", f"/api/annotations/{note['id']}", json={"version": 1, "comment": "again"})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert api("POST", "/api/annotations", json={**body, "category": "Nonsense/Category"}).status_code == 400

    suggestion = add_suggestion(corpus)
    assert api("POST", f"/api/annotations/{suggestion}/confirm", json={"version": 1}).json()["status"] == "confirmed"
    other = add_suggestion(corpus, 4, 10)
    assert api("POST", f"/api/annotations/{other}/reject", json={"version": 1}).json()["status"] == "rejected"

    assert api("DELETE", f"/api/annotations/{suggestion}?version=2").status_code == 403  # not yours
    # A DELETE needs no body and so no JSON content type.
    deleted = api("DELETE", f"/api/annotations/{note['id']}?version=2")
    assert deleted.status_code == 200 and deleted.json() == {"deleted": note["id"], "version": 2}
    assert api("GET", f"/api/annotations/{note['id']}").status_code == 404

    assert _documented(api.spec, lambda path: not _is_campaign(path)) <= _called(api.seen, api.spec)


def _is_campaign(path: str) -> bool:
    return path.startswith("/api/campaign") or path == "/campaign"


def _documented(spec: dict, keep) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item
            if (path.startswith("/api/") or path == "/campaign") and keep(path)}


def _called(seen, spec: dict) -> set[tuple[str, str]]:
    return {(method, _template(path, spec)) for method, path, _ in seen}


def _template(path: str, spec: dict) -> str:
    for template in spec["paths"]:
        parts, pattern = path.strip("/").split("/"), template.strip("/").split("/")
        if len(parts) == len(pattern) and all(p.startswith("{") or p == q for p, q in zip(pattern, parts)):
            return template
    return path


def test_an_undocumented_shape_would_fail_validation(api, client):
    """The validation has teeth: a response that breaks the document is reported."""
    from openapi_core.templating.responses.exceptions import ResponseNotFound
    from openapi_core.validation.response.exceptions import InvalidData

    spec = json.loads(json.dumps(api.spec))
    spec["components"]["schemas"]["Session"]["properties"]["annotator"] = {"type": "integer"}
    broken = OpenAPI.from_dict(spec)
    response = client.get("/api/session")
    with pytest.raises((InvalidData, ResponseNotFound)):
        broken.validate_response(Request(response.request), Response(response))


def test_a_campaign_answer_that_breaks_the_document_fails_validation(corpus, document):
    """Closed campaign schemas have teeth: an mqm item validates as served, and fails once the document
    forgets one of its fields or changes a field's type."""
    from corpus.campaigns import CampaignSpec
    from openapi_core.validation.response.exceptions import InvalidData
    from pipelines.campaign.build import create_campaign
    from tests.serve.conftest import make_client

    create_campaign(corpus, CampaignSpec(name="m", translations=["harbour-bridge.de.mt"], annotators=["a"], owner="owner"))
    client = make_client(corpus, "a")
    try:
        response = client.post("/api/campaigns/m/next", json={})
    finally:
        client.app.service.close()
    assert response.json()["item"]["protocol"] == "mqm"
    OpenAPI.from_dict(document).validate_response(Request(response.request), Response(response))
    forgotten, retyped = json.loads(json.dumps(document)), json.loads(json.dumps(document))
    item = forgotten["components"]["schemas"]["CampaignItem"]
    del item["properties"]["title"]
    item["required"].remove("title")
    retyped["components"]["schemas"]["CampaignItem"]["properties"]["version"] = {"type": "string"}
    for broken in (forgotten, retyped):
        with pytest.raises(InvalidData):
            OpenAPI.from_dict(broken).validate_response(Request(response.request), Response(response))


def test_readme_lists_the_api_document():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert "/openapi.json" in readme
    api_lines = [line for line in readme.splitlines() if "/openapi.json" in line]
    following = readme.splitlines()[readme.splitlines().index(api_lines[0]) + 1]
    assert "campaign" in api_lines[0] + following  # the API reference names the campaign routes too
    for route in ("/api/campaigns", "/api/campaign-slots/{slot}", "/api/campaign-spans/{span}", "/api/campaign-units/{unit}"):
        assert route in readme


def test_every_route_of_the_app_is_documented(client, document):
    """No route of the JSON API (annotation or campaign) or the campaign page is left out of the document."""
    from starlette.routing import Route

    routes = {(method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
              for route in client.app.app.routes if isinstance(route, Route)
              for method in (route.methods or {"GET"}) - {"HEAD"}
              if route.path.startswith("/api/") or route.path == "/campaign"}
    assert routes == _documented(document, lambda path: True)


def test_every_campaign_operation_answers_as_documented(corpus, checked):
    """An ESA campaign with suggestions and attention checks, worked through by two annotators and
    adjudicated by its owner: every campaign operation, its success and its error answers, validated."""
    from corpus.campaigns import CampaignSpec, CampaignStore
    from pipelines.campaign.build import create_campaign
    from pipelines.checks.corpus_run import run_corpus_checks
    from pipelines.checks.corpus_run import write_findings
    from starlette.testclient import TestClient

    from pipelines.serve import AccessPolicy, TokenStore, create_app
    from tests.serve.conftest import make_client

    for translation, findings in run_corpus_checks(corpus, ["harbour-bridge"]):
        write_findings(corpus, findings, [translation["id"]])
    create_campaign(corpus, CampaignSpec(name="e", translations=["harbour-bridge.de.mt", "harbour-bridge.de.human"], annotators=["a", "b"],
                                         overlap=2, protocol="esa", suggestions=True, attention_rate=0.2, owner="owner"))
    store = CampaignStore(corpus)
    assert any(u["suggestions"] for u in store.units("e")) and any(u["check_kind"] for u in store.units("e"))
    clients = {name: make_client(corpus, name) for name in ("a", "b", "owner", "mallory")}
    try:
        a, b, owner, mallory = (checked(clients[name]) for name in ("a", "b", "owner", "mallory"))
        page = a("GET", "/campaign")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert a("GET", "/api/campaigns").json()["campaigns"][0]["roles"] == ["annotator"]
        assert owner("GET", "/api/campaigns").json()["campaigns"][0]["roles"] == ["reviewer"]
        assert mallory("GET", "/api/campaigns").json() == {"annotator": "mallory", "campaigns": []}
        TokenStore(corpus.path).add("a")
        clients["tokenless"] = TestClient(create_app(corpus, AccessPolicy.for_binding("0.0.0.0", TokenStore(corpus.path), None)),
                                          base_url="http://127.0.0.1:8000")
        refused = checked(clients["tokenless"])("GET", "/api/campaigns/e/queue")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        assert mallory("GET", "/api/campaigns/e/queue").status_code == 403
        assert a("GET", "/api/campaigns/nope/queue").status_code == 404
        queue = a("GET", "/api/campaigns/e/queue").json()
        assert queue["assigned"] == len(store.units("e")) and queue["guidelines"]

        # An item: claim, next (the held one), spans, a stale edit, someone else's delete, a bad score, submit, delete.
        slot = a("POST", "/api/campaigns/e/claim", json={}).json()["slot"]
        assert slot["state"] == "claimed" and slot["annotator"] == "a"
        item = a("POST", "/api/campaigns/e/next", json={}).json()["item"]
        assert item["slot"] == slot["id"] and item["lease_until"]
        assert a("POST", "/api/campaigns/e/next", content=b"{}", headers={"content-type": "text/plain"},
                 valid_request=False).status_code == 415
        assert a("POST", "/api/campaigns/nope/next", json={}).status_code == 404
        assert mallory("POST", "/api/campaigns/e/claim", json={}).status_code == 403
        assert a("GET", f"/api/campaign-slots/{item['slot']}").json()["slot"] == item["slot"]
        assert b("GET", f"/api/campaign-slots/{item['slot']}").status_code == 409  # not b's item
        assert a("GET", "/api/campaign-slots/no-such-slot").status_code == 404
        spans = f"/api/campaign-slots/{item['slot']}/spans"
        made = a("POST", spans, json={"item": 0, "start": 0, "end": 3, "severity": "Minor"})
        assert made.status_code == 201 and made.json()["text"] == item["rows"][0]["target"][:3]
        span = made.json()
        assert a("POST", spans, json={"start": 0, "end": 3, "severity": "Minor", "colour": "red"}, valid_request=False).status_code == 400
        assert a("POST", spans, json={"start": 0, "end": 3, "severity": "Critical"}).status_code == 400  # esa: Minor or Major
        assert a("PATCH", f"/api/campaign-spans/{span['id']}", json={"version": 1, "severity": "Major"}).json()["version"] == 2
        assert a("PATCH", f"/api/campaign-spans/{span['id']}", json={"version": 1, "comment": "again"}).status_code == 409
        assert a("PATCH", "/api/campaign-spans/no-such-span", json={"version": 1, "comment": "x"}).status_code == 404
        assert b("DELETE", f"/api/campaign-spans/{span['id']}?version=2").status_code == 403
        submit = f"/api/campaign-slots/{item['slot']}/submit"
        assert a("POST", submit, json={"score": 101}, valid_request=False).status_code == 400
        assert a("POST", submit, content=b"", headers={"content-type": "application/json"}).status_code == 400  # esa needs a score
        done = a("POST", submit, json={"score": 64}).json()
        assert (done["state"], done["score"], done["lease_until"]) == ("done", 64.0, None)
        assert a("DELETE", f"/api/campaign-spans/{span['id']}?version=1").status_code == 409
        deleted = a("DELETE", f"/api/campaign-spans/{span['id']}?version=2")
        assert deleted.status_code == 200 and deleted.json() == {"deleted": span["id"]}
        kept = a("POST", spans, json={"start": 0, "end": 3, "severity": "Major"}).json()

        # A suggestion: dismissed once, and a second decision is refused.
        with_suggestion = next(s for s in store.slots("e", "a") if s["state"] == "open" and store.unit(s["unit_id"])["suggestions"])
        while (current := a("POST", "/api/campaigns/e/next", json={}).json()["item"])["slot"] != with_suggestion["id"]:
            a("POST", f"/api/campaign-slots/{current['slot']}/submit", json={"score": 90})
        decide = f"/api/campaign-slots/{with_suggestion['id']}/suggestions/0"
        assert a("POST", decide, json={"decision": "maybe"}, valid_request=False).status_code == 400
        decided = a("POST", decide, json={"decision": "dismissed"})
        assert decided.status_code == 201 and decided.json()["status"] == "dismissed"
        assert a("POST", decide, json={"decision": "accepted"}).status_code == 409
        assert a("POST", f"/api/campaign-slots/{with_suggestion['id']}/suggestions/99", json={"decision": "accepted"}).status_code == 400
        assert a("GET", f"/api/campaign-slots/{with_suggestion['id']}").json()["suggestions"][0]["decision"] == "dismissed"

        # Both annotators finish everything: next answers {"item": null}, claim {"slot": null}.
        for person, score in ((a, 90), (b, 40)):
            while (current := person("POST", "/api/campaigns/e/next", json={}).json()["item"]) is not None:
                if person is b and current["rows"][0]["target"]:
                    person("POST", f"/api/campaign-slots/{current['slot']}/spans", json={"start": 0, "end": 1, "severity": "Major"})
                person("POST", f"/api/campaign-slots/{current['slot']}/submit", json={"score": score})
            assert person("POST", "/api/campaigns/e/claim", json={}).json() == {"slot": None}

        # Owner and reviewers only: progress, the review list, one unit side by side, agreement, gold decisions.
        assert a("GET", "/api/campaigns/e/progress").status_code == 403
        progress = owner("GET", "/api/campaigns/e/progress").json()
        assert progress["done"] == progress["slots"] and progress["suggestions"]["dismissed"] == 1
        assert a("GET", "/api/campaigns/e/review").status_code == 403
        units = owner("GET", "/api/campaigns/e/review").json()["units"]
        assert len(units) == len(store.units("e")) and any(u["attention_check"] for u in units)
        check_unit = next(u["unit"] for u in units if u["attention_check"])
        assert owner("GET", f"/api/campaign-units/{check_unit}/review").json()["check"]["kind"]
        assert owner("GET", "/api/campaign-units/no-such-unit/review").status_code == 404
        assert a("GET", f"/api/campaign-units/{slot['unit_id']}/review").status_code == 403
        view = owner("GET", f"/api/campaign-units/{slot['unit_id']}/review").json()
        assert view["check"] is None and sorted(x["annotator"] for x in view["annotations"]) == ["a", "b"]
        ids = [s["id"] for x in sorted(view["annotations"], key=lambda x: x["annotator"]) for s in x["spans"]]
        assert kept["id"] in ids and len(ids) == 2
        decisions = f"/api/campaign-units/{slot['unit_id']}/decisions"
        assert a("POST", decisions, json={"decision": "merge", "spans": ids}).status_code == 403
        assert owner("POST", decisions, json={"decision": "merge", "spans": ["no-such-span"]}).status_code == 404
        assert owner("POST", decisions, json={"decision": "overrule", "spans": ids}, valid_request=False).status_code == 400
        merged = owner("POST", decisions, json={"decision": "merge", "spans": ids})
        assert merged.status_code == 201 and merged.json()["decided_by"] == "owner"
        assert owner("POST", decisions, json={"decision": "dismiss", "spans": ids[:1]}).status_code == 409  # each span decided once
        assert len(owner("GET", f"/api/campaign-units/{slot['unit_id']}/review").json()["gold"]) == 1
        other = next(u["unit"] for u in units if u["unit"] != slot["unit_id"] and u["spans"])
        other_ids = [s["id"] for x in owner("GET", f"/api/campaign-units/{other}/review").json()["annotations"] for s in x["spans"]]
        dismissed = owner("POST", f"/api/campaign-units/{other}/decisions", json={"decision": "dismiss", "spans": other_ids[:1]}).json()
        assert (dismissed["decision"], dismissed["start"], dismissed["severity"]) == ("dismiss", None, None)
        assert a("GET", "/api/campaigns/e/agreement").status_code == 403
        agreement = owner("GET", "/api/campaigns/e/agreement").json()
        assert agreement["pairwise"][0]["reference"] == "a" and "score_krippendorff_alpha" in agreement
    finally:
        for client in clients.values():
            client.app.service.close()

    assert _documented(checked.spec, _is_campaign) <= _called(checked.seen, checked.spec)
    answered = {(method, _template(path, checked.spec), status) for method, path, status in checked.seen}
    assert {status for _, _, status in answered} >= {200, 201, 400, 401, 403, 404, 409, 415}
