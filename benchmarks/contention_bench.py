"""Readers against a writer: how long `calque stats`, `ls`, `show` and GET /api/documents take while another
process holds the corpus's write lock (issue 15), next to the same reads with no writer.

    python benchmarks/contention_bench.py                      # writes benchmarks/contention.md
    python benchmarks/contention_bench.py --report /tmp/contention.md

The other process holds the lock until every read and the write below have run. CLI figures include
starting Python and importing Calque (the no-writer column shows that cost); the API figure is one request
to a running server. A write during the lock is expected to fail fast with "corpus is busy".
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', 'x')")
print("locked", flush=True)
sys.stdin.readline()  # held until the benchmark has run every read and the write
connection.execute("ROLLBACK")
"""
READS = [["stats", "--json"], ["ls", "--json"], ["show", "harbour-bridge"]]


def _cli(corpus: Path, args: list[str], env: dict | None = None) -> tuple[float, int, str]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", "from pipelines.cli import main; main()", "--corpus", str(corpus), *args],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}, timeout=120)
    return time.monotonic() - started, result.returncode, (result.stderr.strip().splitlines() or [""])[-1]


def _api(corpus: Path) -> tuple[float, int]:
    from starlette.testclient import TestClient

    from corpus import Corpus
    from pipelines.serve import AccessPolicy, TokenStore, create_app

    opened = Corpus.open(corpus)
    app = create_app(opened, AccessPolicy.for_binding("127.0.0.1", TokenStore(opened.path), "bench"))
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    client.get("/api/session")
    started = time.monotonic()
    status = client.get("/api/documents").status_code
    elapsed = time.monotonic() - started
    app.service.close()
    opened.close()
    return elapsed, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=REPO / "benchmarks" / "contention.md")
    args = parser.parse_args()

    from corpus import Corpus
    from pipelines.demo import demo_corpus_file

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        with Corpus.init(corpus) as created:
            created.import_jsonl(str(demo_corpus_file()), progress=False)
        quiet = {" ".join(a): _cli(corpus, a) for a in READS}
        quiet["GET /api/documents"] = _api(corpus)
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(corpus / "calque.sqlite")], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        busy = {" ".join(a): _cli(corpus, a) for a in READS}
        busy["GET /api/documents"] = _api(corpus)
        record = Path(folder) / "one.jsonl"
        record.write_text('{"type": "document", "id": "extra", "lang": "en", "source": "One sentence."}\n', encoding="utf-8")
        write = _cli(corpus, ["import", "jsonl", str(record)], env={"CALQUE_BUSY_TIMEOUT_MS": "1000"})
        still_locked = holder.poll() is None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait()
    load = os.getloadavg()
    lines = [
        "# Reads during a write (issue 15)",
        "",
        f"`python benchmarks/contention_bench.py` — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f}. Demo corpus (SQLite, WAL).",
        "",
        "| read | no writer | another process holds the write lock | exit / HTTP status under the lock |",
        "|---|---:|---:|---:|",
    ]
    for name in busy:
        lines.append(f"| `{name}` | {quiet[name][0]:.2f} s | **{busy[name][0]:.2f} s** | {busy[name][1]} |")
    lines += ["", f"All reads finished while the lock was still held: {'yes' if still_locked else 'no'}. "
                  f"A write under the lock (`calque import jsonl`, `CALQUE_BUSY_TIMEOUT_MS=1000`) took {write[0]:.2f} s, "
                  f"exit {write[1]}: `{write[2]}`.", ""]
    args.report.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
