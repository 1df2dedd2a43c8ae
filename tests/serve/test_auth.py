"""The binding policy and annotator tokens: loopback trusts --annotator, anything else needs tokens."""
from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from corpus.errors import CalqueError, ConflictError, InputError
from pipelines.cli import main
from pipelines.serve import AccessPolicy, TokenStore, create_app, tokens_required
from pipelines.serve.auth import TOKENS_FILE, Identity, Unauthorized


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_token(host):
    assert not tokens_required(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", ""])
def test_every_other_address_needs_tokens(host):
    assert tokens_required(host)


def test_public_binding_without_tokens_is_refused(corpus):
    with pytest.raises(CalqueError, match="no annotator tokens exist"):
        AccessPolicy.for_binding("0.0.0.0", TokenStore(corpus.path), "alice")


def test_token_store_keeps_only_digests(corpus):
    store = TokenStore(corpus.path)
    token = store.add("alice")
    raw = (corpus.path / TOKENS_FILE).read_text("utf-8")
    assert token not in raw and "sha256:" in raw
    assert stat.S_IMODE((corpus.path / TOKENS_FILE).stat().st_mode) == 0o600
    assert store.annotator_for(token) == "alice"
    assert store.annotator_for(token + "x") is None
    with pytest.raises(ConflictError):
        store.add("alice")
    with pytest.raises(InputError):
        store.add("<script>")
    store.revoke("alice")
    assert store.annotator_for(token) is None


def test_a_person_holds_one_token_per_scope_and_revokes_one_or_all(corpus):
    store = TokenStore(corpus.path)
    everywhere, pilot, second = store.add("alice"), store.add("alice", campaign="pilot"), store.add("alice", campaign="second")
    assert [store.identity_for(t) for t in (everywhere, pilot, second)] == [
        Identity("alice"), Identity("alice", "pilot"), Identity("alice", "second")]
    with pytest.raises(ConflictError, match="campaign 'pilot'"):
        store.add("alice", campaign="pilot")
    store.revoke("alice", "pilot")
    assert store.identity_for(pilot) is None and store.identity_for(second) == Identity("alice", "second")
    assert store.identity_for(everywhere) == Identity("alice")
    assert store.revoke_all("alice") == 2 and store.entries() == []
    for bad in ("a\n", " lead", "x" * 65, "a/b"):
        with pytest.raises(InputError, match="annotator name"):
            store.add(bad)


def test_public_policy_requires_a_valid_token(corpus):
    store = TokenStore(corpus.path)
    token = store.add("alice")
    policy = AccessPolicy.for_binding("0.0.0.0", store, "ignored")
    assert policy.require_tokens
    with pytest.raises(Unauthorized):
        policy.identify(None)
    with pytest.raises(Unauthorized):
        policy.identify("Bearer wrong")
    with pytest.raises(Unauthorized):
        policy.identify(f"Basic {token}")
    assert policy.identify(f"Bearer {token}") == Identity("alice")


def test_public_server_answers_401_without_token_and_attributes_writes(corpus):
    store = TokenStore(corpus.path)
    token = store.add("carol")
    app = create_app(corpus, AccessPolicy.for_binding("0.0.0.0", store, None))
    client = TestClient(app, base_url="http://annotate.example.org")
    denied = client.get("/api/documents")
    assert denied.status_code == 401 and denied.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/documents", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/").status_code == 200  # the page itself holds no data; it asks for the token
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/session", headers=auth).json()["annotator"] == "carol"
    created = client.post("/api/annotations", headers=auth, json={"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4,
                                                                   "end": 10, "category": "Accuracy", "severity": "Minor"})
    assert created.status_code == 201 and created.json()["annotator"] == "carol"
    store.revoke("carol")
    assert client.get("/api/documents", headers=auth).status_code == 401


def test_loopback_accepts_a_token_too(corpus):
    token = TokenStore(corpus.path).add("dave")
    client = TestClient(create_app(corpus, AccessPolicy.for_binding("127.0.0.1", TokenStore(corpus.path), "alice")), base_url="http://127.0.0.1")
    assert client.get("/api/session").json()["annotator"] == "alice"
    assert client.get("/api/session", headers={"Authorization": f"Bearer {token}"}).json()["annotator"] == "dave"
    assert client.get("/api/session", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_cli_token_commands_and_refusal_to_serve_publicly(corpus, monkeypatch):
    def must_not_bind(*_args, **_kwargs):
        raise AssertionError("the server must refuse before binding")

    monkeypatch.setattr("pipelines.serve.server.uvicorn.run", must_not_bind)
    runner = CliRunner()
    root = ["--corpus", str(corpus.path)]
    refused = runner.invoke(main, [*root, "serve", "--host", "0.0.0.0", "--port", "1"])
    assert refused.exit_code == 1 and "Error: refusing to serve on 0.0.0.0" in refused.output
    added = runner.invoke(main, [*root, "serve", "token", "add", "erin", "--json"])
    assert added.exit_code == 0, added.output
    token = json.loads(added.output)["token"]
    assert TokenStore(corpus.path).annotator_for(token) == "erin"
    TokenStore(corpus.path).add("erin", campaign="pilot")
    listed = runner.invoke(main, [*root, "serve", "token", "list", "--json"])
    assert [(row["annotator"], row["campaign"]) for row in json.loads(listed.output)] == [("erin", None), ("erin", "pilot")]
    assert "(whole corpus)" in runner.invoke(main, [*root, "serve", "token", "list"]).output
    assert runner.invoke(main, [*root, "serve", "token", "revoke", "erin", "--campaign", "other"]).exit_code == 1
    assert runner.invoke(main, [*root, "serve", "token", "revoke", "erin", "--campaign", "pilot"]).exit_code == 0
    assert TokenStore(corpus.path).annotator_for(token) == "erin"
    assert runner.invoke(main, [*root, "serve", "token", "revoke", "erin"]).exit_code == 0
    assert runner.invoke(main, [*root, "serve", "token", "revoke", "erin"]).exit_code == 1
    assert "Example:" in runner.invoke(main, ["serve", "--help"]).output
