"""Fixtures for the annotation server: the demo corpus (with one hostile document), API clients, a live server."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient

from corpus import Corpus
from pipelines.demo import demo_corpus_file
from pipelines.serve import AccessPolicy, TokenStore, create_app

XSS = "<img src=x onerror=window.__xss=1>"
HOSTILE_DOCUMENT = {
    "type": "document",
    "id": "hostile",
    "title": "Hostile <b>markup</b> test",
    "lang": "en",
    "source": {"text": "An ordinary sentence.\n\n" + XSS, "segments": [{"paragraph": 0, "start": 0, "end": 21}, {"paragraph": 1, "start": 23, "end": 23 + len(XSS)}]},
    "translations": [{"id": "hostile.de.mt", "lang": "de", "producer": "mt", "text": "Ein gewöhnlicher Satz.\n\n" + XSS,
                      "segments": [{"paragraph": 0, "start": 0, "end": 22}, {"paragraph": 1, "start": 24, "end": 24 + len(XSS)}]}],
}


@pytest.fixture
def corpus(tmp_path: Path):
    """The shipped demo corpus (seed with its hand annotations, three bilingual documents) plus a hostile document."""
    corpus = Corpus.init(tmp_path / "corpus", actor="test")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.import_records([HOSTILE_DOCUMENT], label="hostile document")
    yield corpus
    corpus.close()


def make_client(corpus: Corpus, annotator: str = "alice", host: str = "127.0.0.1") -> TestClient:
    app = create_app(corpus, AccessPolicy.for_binding(host, TokenStore(corpus.path), annotator))
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def client(corpus):
    client = make_client(corpus, "alice")
    yield client
    client.app.service.close()


@pytest.fixture
def bob(corpus):
    client = make_client(corpus, "bob")
    yield client
    client.app.service.close()


class LiveServer:
    """The app on a free loopback port in a thread; `policy_host` picks the access policy (a public-address
    policy needs tokens) while the socket itself stays on 127.0.0.1."""

    def __init__(self, corpus: Corpus, annotator: str | None, policy_host: str = "127.0.0.1"):
        app = create_app(corpus, AccessPolicy.for_binding(policy_host, TokenStore(corpus.path), annotator))
        self.service = app.service
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.service.close()


@pytest.fixture
def live_server(corpus):
    with LiveServer(corpus, "alice") as server:
        yield server
