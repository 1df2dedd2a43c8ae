"""A `kill -9` in the middle of a large import leaves the store exactly as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from corpus import Corpus
from tests.corpus.helpers import store_fingerprint


@pytest.mark.slow
def test_kill_9_during_large_import_leaves_store_unchanged(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    before = store_fingerprint(corpus)
    corpus.close()
    lines = 400_000
    (tmp_path / "big.en").write_text("".join(f"Sentence number {i} about the harbour bridge.\n" for i in range(lines)), "utf-8")
    (tmp_path / "big.de").write_text("".join(f"Satz Nummer {i} über die Hafenbrücke.\n" for i in range(lines)), "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", "from pipelines.cli import main; main()", "--corpus", str(tmp_path / "c"),
         "import", "parallel", str(tmp_path / "big.en"), str(tmp_path / "big.de"), "--src-lang", "en", "--tgt-lang", "de"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wal = tmp_path / "c" / "calque.sqlite-wal"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 8_000_000:  # rows are being written, not yet committed
            break
        time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed; make the input larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reopened = Corpus.open(tmp_path / "c")
    assert store_fingerprint(reopened) == before
    assert reopened.stats()["segments"] == len(reopened.segments())
