"""Readers never wait for writers: while another process holds the write lock, every read answers, and a
write that cannot get the lock says "corpus is busy" in one line (503 with Retry-After in the server)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from starlette.testclient import TestClient

from corpus import Corpus
from pipelines.demo import demo_corpus_file
from pipelines.serve import AccessPolicy, TokenStore, create_app

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', 'x')")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@pytest.fixture
def demo(tmp_path):
    corpus = Corpus.init(tmp_path / "corpus", actor="test")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.close()
    return tmp_path / "corpus"


@pytest.fixture
def write_lock(demo):
    """Another process that has begun a write transaction and keeps it open until the test ends."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo / "calque.sqlite")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.stdin.write("\n")
    holder.stdin.close()
    holder.wait(timeout=20)


def calque(demo, *args, env=None, timeout=15):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-c", "from pipelines.cli import main; main()", "--corpus", str(demo), *args], capture_output=True, text=True,
                          timeout=timeout, env=environment)


@pytest.mark.parametrize("command", [["stats", "--json"], ["ls", "--json"], ["show", "harbour-bridge"]], ids=" ".join)
def test_cli_reads_answer_while_another_process_writes(demo, write_lock, command):
    started = time.monotonic()
    result = calque(demo, *command)  # times out (a test failure) if the read queued for the writer's lock
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and "Traceback" not in result.stderr
    assert write_lock.poll() is None  # the writer still held its lock throughout
    print(f"{' '.join(command)}: {time.monotonic() - started:.2f} s")


def test_server_reads_answer_and_writes_get_503_while_another_process_writes(demo, write_lock, monkeypatch):
    monkeypatch.setenv("CALQUE_BUSY_TIMEOUT_MS", "300")
    corpus = Corpus.open(demo, actor="test")  # opening needs no write lock either
    app = create_app(corpus, AccessPolicy.for_binding("127.0.0.1", TokenStore(corpus.path), "alice"))
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    try:
        listed = client.get("/api/documents")
        assert listed.status_code == 200 and any(d["id"] == "harbour-bridge" for d in listed.json())
        assert client.get("/api/documents/harbour-bridge").status_code == 200
        saved = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10,
                                                      "category": "Accuracy/Mistranslation", "severity": "Major"})
        assert saved.status_code == 503 and saved.headers["retry-after"].isdigit()
        assert "busy" in saved.json()["error"]
    finally:
        app.service.close()
        corpus.close()
    assert write_lock.poll() is None


def test_cli_write_says_busy_in_one_line(demo, write_lock, tmp_path):
    record = tmp_path / "one.jsonl"
    record.write_text('{"type": "document", "id": "extra", "lang": "en", "source": "One sentence."}\n', encoding="utf-8")
    result = calque(demo, "import", "jsonl", str(record), env={"CALQUE_BUSY_TIMEOUT_MS": "300"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["Error: corpus is busy: another process is writing to it; retry in a moment"]
