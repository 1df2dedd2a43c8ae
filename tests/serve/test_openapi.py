"""The OpenAPI document of `calque serve` is served at /openapi.json, is a valid OpenAPI 3.1 document, and
describes what the server really answers: every operation is called and request and response are validated
against it (openapi-core)."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.serve.test_api import JSON, add_suggestion, create

openapi_core = pytest.importorskip("openapi_core")
from openapi_core import OpenAPI  # noqa: E402
from openapi_core.datatypes import RequestParameters  # noqa: E402
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


@pytest.fixture
def api(client):
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and spec.headers["content-type"].startswith("application/json")
    openapi = OpenAPI.from_dict(spec.json())  # validates the document itself (openapi-spec-validator) on load
    seen: list[tuple[str, str, int]] = []

    def call(method: str, url: str, **kwargs):
        response = client.request(method, url, **kwargs)
        openapi.validate_request(Request(response.request))
        openapi.validate_response(Request(response.request), Response(response))
        seen.append((method, urlsplit(url).path, response.status_code))
        return response

    call.seen = seen
    call.spec = spec.json()
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
    other = add_suggestion(corpus)
    assert api("POST", f"/api/annotations/{other}/reject", json={"version": 1}).json()["status"] == "rejected"

    assert api("DELETE", f"/api/annotations/{suggestion}?version=2").status_code == 403  # not yours
    # A DELETE needs no body and so no JSON content type.
    deleted = api("DELETE", f"/api/annotations/{note['id']}?version=2")
    assert deleted.status_code == 200 and deleted.json() == {"deleted": note["id"], "version": 2}
    assert api("GET", f"/api/annotations/{note['id']}").status_code == 404

    documented = {(method.upper(), path) for path, item in api.spec["paths"].items() for method in item if path.startswith("/api/")}
    called = {(method, _template(path, api.spec)) for method, path, _ in api.seen}
    assert documented <= called


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


def test_readme_lists_the_api_document():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert "/openapi.json" in readme
