"""`kill -9` at any moment of `release create` leaves no release, and the next create publishes a whole one."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from corpus import Corpus
from corpus.releases import Releases
from corpus.releases.layout import TEMP_PREFIX

LINES = 30_000
# Moments to kill at: a file that appears in the build folder (None: as soon as the folder exists).
KILL_POINTS = [None, "data/documents.parquet", "data/segments.parquet", "exports", "manifest.json", "SHA256SUMS"]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("kill")
    (directory / "big.en").write_text("".join(f"Sentence number {i} about the harbour bridge.\n" for i in range(LINES)), "utf-8")
    (directory / "big.de").write_text("".join(f"Satz Nummer {i} über die Hafenbrücke.\n" for i in range(LINES)), "utf-8")
    corpus = Corpus.init(directory / "corpus", actor="kill-test")
    corpus.import_parallel(str(directory / "big.en"), str(directory / "big.de"), "en", "de", progress=False)
    corpus.close()
    return directory / "corpus"


# The child kills itself at the first file operation Python audits (open, rename, chmod…) once the marker exists,
# so the kill always lands before the build folder is renamed into place, however fast the build runs; the parent
# kills it sooner when its own polling sees the marker first.
CHILD = """
import os, signal, sys
from pathlib import Path
root, marker, corpus = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
busy = False

def kill_at_marker(event, args):
    global busy
    if busy or not event.startswith(("open", "os.")):
        return
    busy = True
    builds = list(root.glob({prefix!r} + "*")) if root.is_dir() else []
    if builds and (not marker or (builds[0] / marker).exists()):
        os.kill(os.getpid(), signal.SIGKILL)
    busy = False

sys.addaudithook(kill_at_marker)
from pipelines.cli import main
main(["--corpus", corpus, "release", "create", "1.0.0"])
""".format(prefix=TEMP_PREFIX)


def _kill_when(releases_root, marker, process) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        builds = [p for p in releases_root.glob(f"{TEMP_PREFIX}*")] if releases_root.is_dir() else []
        if builds and (marker is None or (builds[0] / marker).exists()):
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    return "killed" if process.returncode == -signal.SIGKILL else "finished"


@pytest.mark.slow
@pytest.mark.parametrize("marker", KILL_POINTS, ids=lambda m: m or "build-folder")
def test_kill_9_during_create_leaves_no_release(big_corpus, marker):
    root = big_corpus / "releases"
    if (root / "1.0.0").exists():
        shutil.rmtree(root / "1.0.0")
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(root), marker or "", str(big_corpus)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _kill_when(root, marker, process) == "killed"
    releases = Releases(Corpus.open(big_corpus))
    assert not (root / "1.0.0").exists() and releases.versions() == []
    # The next build removes what the killed one left and publishes.
    releases.create("1.0.0")
    assert releases.verify("1.0.0", content=True)["ok"]
    assert not list(root.glob(f"{TEMP_PREFIX}*"))
    releases.corpus.close()
