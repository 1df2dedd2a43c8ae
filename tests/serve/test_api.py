"""The JSON API: reads, creating annotations, optimistic concurrency, ownership, suggestions, escaping."""
from __future__ import annotations

import json

from corpus.typology import corpus_typology
from tests.serve.conftest import XSS

JSON = {"Content-Type": "application/json"}


def first_category(corpus) -> str:
    typology = corpus_typology(corpus)
    top = next(iter(typology.categories))
    return f"{top}/{typology.categories[top][0]}"


def create(client, corpus, **fields):
    body = {"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10, "text": "Brücke",
            "category": first_category(corpus), "severity": "Major", **fields}
    return client.post("/api/annotations", json=body)


def test_document_list_reports_progress_per_translation(client, corpus):
    response = client.get("/api/documents")
    assert response.status_code == 200
    documents = {d["id"]: d for d in response.json()}
    seed = documents["seed-hikvision"]
    assert seed["source_available"] is False
    [translation] = seed["translations"]
    segments = corpus.segments(translation_id="seed-hikvision.de.mt")
    notes = corpus.annotations(translation_id="seed-hikvision.de.mt")
    assert translation["segments"] == len(segments)
    assert translation["annotated"] == notes[notes.side == "target"].segment_id.nunique()
    assert 0 < translation["annotated"] < translation["segments"]
    assert translation["annotated_by_me"] == 0


def test_progress_counts_my_annotations(client, corpus):
    assert create(client, corpus).status_code == 201
    translation = next(t for d in client.get("/api/documents").json() for t in d["translations"] if t["id"] == "harbour-bridge.de.mt")
    assert translation["annotated_by_me"] == 1


def test_document_view_carries_the_seed_annotations(client, corpus):
    view = client.get("/api/documents/seed-hikvision").json()
    assert view["source_available"] is False
    [entry] = view["translations"]
    shown = {a["id"] for row in entry["rows"] for segment in row["target"] for a in segment["annotations"]}
    stored = corpus.annotations(document_id="seed-hikvision")
    assert len(stored) == 48
    assert shown == set(stored.id)
    assert all(not row["source"] for row in entry["rows"])


def test_unknown_document_is_404(client):
    response = client.get("/api/documents/no-such-document")
    assert response.status_code == 404
    assert "no-such-document" in response.json()["error"]


def test_create_stores_a_human_annotation_of_the_caller(client, corpus):
    response = create(client, corpus, comment="the bridge", correction="Die Brücke")
    assert response.status_code == 201
    created = response.json()
    stored = corpus.annotations(translation_id="harbour-bridge.de.mt").set_index("id").loc[created["id"]]
    segment_text = corpus.segments(translation_id="harbour-bridge.de.mt").set_index("idx").loc[2, "text"]
    assert (stored.start, stored.end, stored.text) == (4, 10, segment_text[4:10]) == (4, 10, "Brücke")
    assert (stored.annotator, stored.origin, stored.severity, stored.comment, stored.correction) == ("alice", "human", "Major", "the bridge", "Die Brücke")
    assert created["version"] == 1 and created["segment_idx"] == 2
    assert corpus.journal(entity="annotations", limit=1).actor.iloc[0] == "alice"


def test_create_refuses_a_claimed_identity(client, corpus):
    response = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10,
                                                     "category": first_category(corpus), "severity": "Minor", "annotator": "mallory"})
    assert response.status_code == 400
    assert "annotator" in response.json()["error"]


def test_create_refuses_bad_spans_and_categories(client, corpus):
    assert create(client, corpus, text="Brückx").status_code == 400
    assert create(client, corpus, end=10_000).status_code == 400
    assert create(client, corpus, segment=99).status_code == 400
    assert create(client, corpus, severity="Huge").status_code == 400
    bad = create(client, corpus, category="Acuracy/Mistranslation")
    assert bad.status_code == 400 and "did you mean" in bad.json()["error"]
    assert corpus.annotations(translation_id="harbour-bridge.de.mt").annotator.eq("alice").sum() == 0


def test_source_side_span_for_a_translation(client, corpus):
    response = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "side": "source", "segment": 0, "start": 0,
                                                     "end": 9, "text": "Portmere", "category": first_category(corpus), "severity": "Minor"})
    assert response.status_code == 400  # "Portmere " vs "Portmere": the quoted text must match the offsets
    response = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "side": "source", "segment": 0, "start": 0,
                                                     "end": 8, "text": "Portmere", "category": first_category(corpus), "severity": "Minor"})
    assert response.status_code == 201
    assert (response.json()["side"], response.json()["translation_id"]) == ("source", "harbour-bridge.de.mt")


def test_stale_update_is_refused_with_the_current_row(client, corpus):
    created = create(client, corpus).json()
    first = client.patch(f"/api/annotations/{created['id']}", json={"version": 1, "comment": "first"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(f"/api/annotations/{created['id']}", json={"version": 1, "comment": "second, from a stale page"})
    assert stale.status_code == 409
    assert stale.json()["current"]["comment"] == "first" and stale.json()["current"]["version"] == 2
    stored = corpus.annotations(translation_id="harbour-bridge.de.mt").set_index("id").loc[created["id"]]
    assert (stored.comment, stored.version) == ("first", 2)


def test_update_needs_a_version_and_editable_fields(client, corpus):
    created = create(client, corpus).json()
    assert client.patch(f"/api/annotations/{created['id']}", json={"comment": "x"}).status_code == 400
    assert client.patch(f"/api/annotations/{created['id']}", json={"version": 1, "start": 0}).status_code == 400


def test_deleting_someone_elses_annotation_is_forbidden(client, bob, corpus):
    created = create(client, corpus).json()
    response = bob.delete(f"/api/annotations/{created['id']}?version=1", headers=JSON)
    assert response.status_code == 403
    assert created["id"] in set(corpus.annotations().id)
    assert bob.patch(f"/api/annotations/{created['id']}", json={"version": 1, "comment": "mine now"}).status_code == 403


def test_seed_annotations_of_another_annotator_cannot_be_deleted(client, corpus):
    seed_note = corpus.annotations(document_id="seed-hikvision").iloc[0]
    response = client.delete(f"/api/annotations/{seed_note.id}?version={seed_note.version}", headers=JSON)
    assert response.status_code == 403


def test_delete_own_with_current_version_only(client, corpus):
    created = create(client, corpus).json()
    client.patch(f"/api/annotations/{created['id']}", json={"version": 1, "comment": "edited"})
    stale = client.delete(f"/api/annotations/{created['id']}?version=1", headers=JSON)
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert client.delete(f"/api/annotations/{created['id']}", headers=JSON).status_code == 400
    done = client.delete(f"/api/annotations/{created['id']}?version=2", headers=JSON)
    assert done.status_code == 200
    assert created["id"] not in set(corpus.annotations().id)
    assert client.delete(f"/api/annotations/{created['id']}?version=2", headers=JSON).status_code == 404
    last = corpus.journal(entity="annotations", limit=1).iloc[0]
    assert (last.action, last.entity_id, last.actor) == ("delete", created["id"], "alice")


def add_suggestion(corpus, start: int = 0, end: int = 3) -> str:
    """An automatic finding on segment 2 of harbour-bridge.de.mt (one per span: findings have a unique key)."""
    [note_id] = corpus.add_annotations([{"translation": "harbour-bridge.de.mt", "segment": 2, "start": start, "end": end,
                                         "category": first_category(corpus), "severity": "Minor", "origin": "auto:test-check",
                                         "annotator": "calque-check"}], actor="calque-check")
    return note_id


def test_suggestions_are_accepted_or_rejected_with_versions(client, bob, corpus):
    accepted, rejected = add_suggestion(corpus), add_suggestion(corpus, 4, 10)
    assert client.get(f"/api/annotations/{accepted}").json()["status"] == "open"
    listed = next(t for d in client.get("/api/documents").json() for t in d["translations"] if t["id"] == "harbour-bridge.de.mt")
    assert listed["open_suggestions"] == 2
    response = client.post(f"/api/annotations/{accepted}/confirm", json={"version": 1})
    assert response.status_code == 200 and (response.json()["status"], response.json()["version"]) == ("confirmed", 2)
    assert bob.post(f"/api/annotations/{accepted}/reject", json={"version": 1}).status_code == 409
    assert bob.post(f"/api/annotations/{rejected}/reject", json={"version": 1}).json()["status"] == "rejected"
    stored = corpus.annotations().set_index("id")
    assert (stored.loc[accepted, "status"], stored.loc[rejected, "status"]) == ("confirmed", "rejected")
    actors = corpus.journal(entity="annotations", limit=2).actor.tolist()
    assert actors == ["bob", "alice"]
    assert client.delete(f"/api/annotations/{accepted}?version=2", headers=JSON).status_code == 403


def test_only_suggestions_can_be_reviewed(client, corpus):
    created = create(client, corpus).json()
    assert client.post(f"/api/annotations/{created['id']}/confirm", json={"version": 1}).status_code == 400


def test_no_error_marker_counts_a_segment_as_annotated(client, corpus):
    response = client.post("/api/annotations", json={"translation": "harbour-bridge.de.human", "segment": 0, "start": 0, "end": 0, "text": "",
                                                     "category": "No-error", "severity": "Neutral"})
    assert response.status_code == 201
    translation = next(t for d in client.get("/api/documents").json() for t in d["translations"] if t["id"] == "harbour-bridge.de.human")
    assert translation["annotated"] == 1


def test_writes_must_be_json_from_the_same_origin(client, corpus):
    body = json.dumps({"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10, "category": first_category(corpus), "severity": "Major"})
    as_form = client.post("/api/annotations", content=body, headers={"Content-Type": "text/plain"})
    assert as_form.status_code == 415
    cross_site = client.post("/api/annotations", content=body, headers={**JSON, "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    same_site = client.post("/api/annotations", content=body, headers={**JSON, "Origin": "http://127.0.0.1:8000"})
    assert same_site.status_code == 201
    assert corpus.annotations().annotator.eq("alice").sum() == 1


def test_loopback_server_refuses_foreign_host_headers(client):
    assert client.get("/api/documents", headers={"Host": "rebound.example:8000"}).status_code == 403
    assert client.get("/api/documents", headers={"Host": "localhost:8000"}).status_code == 200


def test_security_headers(client):
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/documents").headers["cache-control"] == "no-store"


def test_xss_payload_comes_back_escaped_json(client, corpus):
    response = client.get("/api/documents/hostile")
    assert response.headers["content-type"].startswith("application/json")
    assert "<img" not in response.text and "\\u003cimg src=x onerror=window.__xss=1\\u003e" in response.text
    rows = response.json()["translations"][0]["rows"]
    assert [s["text"] for r in rows for s in r["target"]][1] == XSS
    created = client.post("/api/annotations", json={"translation": "hostile.de.mt", "segment": 1, "start": 0, "end": 4, "text": "<img",
                                                    "category": first_category(corpus), "severity": "Minor", "comment": XSS})
    assert created.status_code == 201 and "<" not in created.text
    assert created.json()["comment"] == XSS


def test_oversized_body_is_refused(client, corpus):
    response = create(client, corpus, comment="x" * 300_000)
    assert response.status_code == 413
    assert corpus.annotations().annotator.eq("alice").sum() == 0


def test_malformed_requests_get_400_naming_the_field_and_change_nothing(client, corpus):
    from tests.corpus.helpers import store_fingerprint

    created = create(client, corpus).json()
    path = f"/api/annotations/{created['id']}"
    before = store_fingerprint(corpus)
    cases = [
        ("post", "/api/annotations", b"[" * 5000 + b"]" * 5000, "nested too deep"),
        ("patch", path, b'{"version": Infinity, "comment": "x"}', "Infinity"),
        ("patch", path, b'{"version": 1, "comment": {"a": 1}}', "comment"),
        ("patch", path, b'{"version": 1e400, "comment": "x"}', "version"),
        ("post", "/api/annotations", json.dumps({"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10,
                                                 "category": first_category(corpus), "severity": "Major", "comment": "\ud800"}).encode(), "comment"),
        ("post", "/api/annotations", json.dumps({"translation": "harbour-bridge.de.mt", "segment": 2.5, "start": 4, "end": 10,
                                                 "category": first_category(corpus), "severity": "Major"}).encode(), "segment"),
        ("post", f"{path}/confirm", b'{"version": "' + b"9" * 5000 + b'"}', "version"),
    ]
    for method, url, body, field in cases:
        response = getattr(client, method)(url, content=body, headers=JSON)
        assert response.status_code == 400, (url, body[:60], response.text)
        assert field in response.json()["error"], response.json()["error"]
    assert store_fingerprint(corpus) == before
