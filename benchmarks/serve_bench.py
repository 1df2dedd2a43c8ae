"""Annotation server benchmark: concurrent clients saving annotations through the JSON API on loopback.

Starts `calque serve` on the demo corpus in its own process, gives each client its own annotator token,
and lets CLIENTS threads (one keep-alive connection each) save SAVES annotations back to back. Then it
reads the store: every acknowledged save must be there exactly once (0 lost, 0 duplicated). A second
phase has every client increment one shared counter by read-modify-write with optimistic versions
(409 → re-read and retry), so a lost update would show as a short count.

    python benchmarks/serve_bench.py --clients 16 --saves 500 --runs 3 --report benchmarks/serve.md
    python benchmarks/serve_bench.py --postgres postgresql+psycopg://calque:calque@localhost/postgres --report benchmarks/serve.md

With --postgres (a role that may create databases; `make services` starts a local server) every run is
done twice: on SQLite and on a fresh PostgreSQL database (created for the run, dropped after it).
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import Corpus  # noqa: E402
from scratch_database import scratch_database  # noqa: E402
from pipelines.demo import demo_corpus_file  # noqa: E402
from pipelines.serve.auth import TokenStore  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")


def targets(corpus: Corpus) -> list[dict]:
    """Spans to annotate: the first word of every target segment of the demo corpus."""
    spans = []
    for segment in corpus.segments(side="target").itertuples():
        word = segment.text.split()[0] if segment.text.split() else ""
        start = segment.text.find(word)
        if word:
            spans.append({"translation": segment.translation_id, "segment": int(segment.idx), "start": start,
                          "end": start + len(word), "text": word})
    return spans


def start_server(corpus_dir: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from pipelines.cli import main; main()", "--corpus", str(corpus_dir), "serve", "--port", str(port)]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited: {server.stderr.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start within 60 s")


class AsyncClient:
    """One keep-alive HTTP/1.1 connection driven by asyncio: 16 of these in one event loop cost the
    benchmark far less CPU than 16 threads, so the latency measured is the server's, not the GIL's."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nAccept: application/json\r\n"

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        payload = json.dumps(body).encode() if body is not None else b""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.headers}Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
        return status, json.loads(await self.reader.readexactly(length))

    def close(self) -> None:
        self.writer.close()


def save_phase(port: int, tokens: list[str], saves: int, spans: list[dict], category: str) -> dict:
    latencies: list[float] = []
    acknowledged: list[tuple[str, str]] = []
    failures: list[str] = []

    async def work(n: int, client: AsyncClient) -> None:
        for i in range(saves):
            marker = f"bench:{n}:{i}"
            body = {**spans[(n * saves + i) % len(spans)], "category": category, "severity": "Minor", "comment": marker}
            started = time.perf_counter()
            status, data = await client.call("POST", "/api/annotations", body)
            latencies.append(time.perf_counter() - started)
            if status == 201:
                acknowledged.append((marker, data["id"]))
            else:
                failures.append(f"{status}: {data}")

    async def run() -> float:
        clients = [AsyncClient(port, token) for token in tokens]
        for client in clients:
            await client.connect()
            await client.call("GET", "/api/session")
        started = time.perf_counter()
        await asyncio.gather(*(work(n, client) for n, client in enumerate(clients)))
        wall = time.perf_counter() - started
        for client in clients:
            client.close()
        return wall

    wall = asyncio.run(run())
    return {"latencies": latencies, "acknowledged": acknowledged, "failures": failures, "wall": wall}


def counter_phase(port: int, tokens: list[str], increments: int, annotation_id: str) -> dict:
    """Every client adds `increments` to a number kept in one annotation's comment, retrying on 409
    (all as the annotation's owner, over separate connections)."""
    conflicts = Counter()
    errors: list[str] = []

    def work(n: int) -> None:
        client = Client(port, tokens[0])  # the owner's token on every connection: only owners may edit
        done = 0
        while done < increments:
            status, row = client.call("GET", f"/api/annotations/{annotation_id}")
            if status != 200:
                errors.append(f"GET {status}: {row}")
                return
            status, data = client.call("PATCH", f"/api/annotations/{annotation_id}",
                                       {"version": row["version"], "comment": str(int(row["comment"]) + 1)})
            if status == 200:
                done += 1
            elif status == 409:
                conflicts[n] += 1
            else:
                errors.append(f"PATCH {status}: {data}")
                return

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(tokens))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"conflicts": sum(conflicts.values()), "errors": errors, "wall": time.perf_counter() - started}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class DatabaseCPU:
    """CPU time of the PostgreSQL backends serving one database, when they run on this machine (their /proc
    entries readable): polled while a phase runs, so a backend that a pool opens and closes meanwhile counts too."""

    def __init__(self, database_url: str | None):
        self.engine = None
        if database_url is not None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self.engine = create_engine(database_url, poolclass=NullPool)
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()

    def _poll(self, connection) -> None:
        from sqlalchemy import text

        pids = connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND pid <> pg_backend_pid()")).scalars().all()
        for pid in pids:
            try:
                seconds = cpu_seconds(pid)
            except OSError:
                continue
            self.first.setdefault(pid, seconds)
            self.last[pid] = seconds

    def __enter__(self) -> "DatabaseCPU":
        if self.engine is not None:
            self.connection = self.engine.connect()
            self._poll(self.connection)
            self.first = dict(self.last)  # backends already open: counted from now
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._poll(self.connection)

    def __exit__(self, *exc) -> None:
        if self.engine is not None:
            self._stop.set()
            self._thread.join()
            self._poll(self.connection)
            self.connection.close()
            self.engine.dispose()

    def seconds(self) -> float | None:
        """None on SQLite, or when the database server's processes are not on this machine."""
        if self.engine is None or not self.last:
            return None
        return sum(self.last[pid] - self.first.get(pid, 0.0) for pid in self.last)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1] if len(values) > 1 else values[0]


def integrity_check(corpus_dir: Path, database_url: str | None) -> str:
    """SQLite's integrity check; on PostgreSQL, the foreign keys hold (no annotation without its segment)."""
    if database_url is None:
        with sqlite3.connect(corpus_dir / "calque.sqlite") as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        orphans = connection.execute(text(
            "SELECT count(*) FROM annotations a LEFT JOIN segments s ON s.id = a.segment_id WHERE s.id IS NULL")).scalar_one()
    engine.dispose()
    return "ok" if orphans == 0 else f"{orphans} orphan annotations"


def one_run(clients: int, saves: int, increments: int, postgres: str | None = None) -> dict:
    """A fresh demo corpus, a fresh server, both phases, then the store checked."""
    with tempfile.TemporaryDirectory() as scratch, scratch_database(postgres) as database_url:
        corpus_dir = Path(scratch) / "corpus"
        corpus = Corpus.init(corpus_dir, database_url=database_url, actor="bench")
        corpus.import_jsonl(str(demo_corpus_file()), progress=False)
        spans = targets(corpus)
        store = TokenStore(corpus_dir)
        annotators = [f"client-{n:02d}" for n in range(clients)]
        tokens = [store.add(name) for name in annotators]
        [shared] = corpus.add_annotations([{**spans[0], "category": "Other", "severity": "Neutral", "comment": "0", "annotator": annotators[0]}], actor="bench")
        corpus.close()

        port = free_port()
        server = start_server(corpus_dir, port)
        try:
            load = os.getloadavg()[0]
            with DatabaseCPU(database_url) as database:
                cpu_before, client_before = cpu_seconds(server.pid), cpu_seconds(os.getpid())
                saved = save_phase(port, tokens, saves, spans, "Accuracy/Mistranslation")
                server_cpu = cpu_seconds(server.pid) - cpu_before
                client_cpu = cpu_seconds(os.getpid()) - client_before
            load_end = os.getloadavg()[0]
            counted = counter_phase(port, tokens, increments, shared)
        finally:
            server.terminate()
            server.wait(10)

        corpus = Corpus.open(corpus_dir)
        notes = corpus.annotations()
        corpus.close()
        integrity = integrity_check(corpus_dir, database_url)

    stored = Counter(c for c in notes.comment.dropna() if c.startswith("bench:"))
    acknowledged = [marker for marker, _ in saved["acknowledged"]]
    ids = [note_id for _, note_id in saved["acknowledged"]]
    latencies_ms = [x * 1000 for x in saved["latencies"]]
    requested = clients * saves
    if saved["failures"] or counted["errors"]:
        print("first failures:", (saved["failures"] + counted["errors"])[:5], file=sys.stderr)
    return {
        "requested": requested, "acknowledged": len(acknowledged), "failed": len(saved["failures"]),
        "stored": sum(stored.values()),
        "lost": sum(1 for marker in acknowledged if stored[marker] == 0),
        "duplicated": sum(n - 1 for n in stored.values() if n > 1) + (len(ids) - len(set(ids))),
        **{f"p{q}_ms": round(percentile(latencies_ms, q), 1) for q in (50, 95, 99)},
        "max_ms": round(max(latencies_ms), 1),
        "saves_per_s": round(requested / saved["wall"]), "wall_s": round(saved["wall"], 1),
        "server_cpu_ms_per_save": round(1000 * server_cpu / requested, 2),
        "client_cpu_ms_per_save": round(1000 * client_cpu / requested, 2),
        "database_cpu_ms_per_save": None if database.seconds() is None else round(1000 * database.seconds() / requested, 2),
        "counter": int(notes.set_index("id").loc[shared, "comment"]), "counter_expected": clients * increments,
        "conflicts_409": counted["conflicts"], "counter_errors": len(counted["errors"]), "integrity": integrity,
        "load_average": round(load, 1), "load_average_end": round(load_end, 1),
    }


def _cpu(ms: float | None) -> str:
    return "in process" if ms is None else f"{ms:.2f} ms"


def backend_section(name: str, runs: list[dict], args) -> tuple[list[str], bool, float]:
    requested = args.clients * args.saves
    ok = all(r["failed"] == 0 and r["lost"] == 0 and r["duplicated"] == 0 and r["acknowledged"] == r["requested"]
             and r["counter"] == r["counter_expected"] and r["counter_errors"] == 0 and r["integrity"] == "ok" for r in runs)
    median_p95 = statistics.median(r["p95_ms"] for r in runs)
    cpu = statistics.median(r["server_cpu_ms_per_save"] for r in runs)
    check = "SQLite integrity check" if name == "SQLite" else "Foreign keys (no annotation without its segment)"
    lines = [
        f"## {name}",
        "",
        "| run | saves acknowledged | failed | lost | duplicated | p50 | p95 | p99 | max | throughput "
        "| CPU / save: server, database, clients | load average (start … end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {n} | {r['acknowledged']:,} / {requested:,} | {r['failed']} | {r['lost']} | {r['duplicated']} | {r['p50_ms']:.1f} ms | "
          f"**{r['p95_ms']:.1f} ms** | {r['p99_ms']:.1f} ms | {r['max_ms']:.0f} ms | {r['saves_per_s']} saves/s | "
          f"{r['server_cpu_ms_per_save']:.2f} ms, {_cpu(r['database_cpu_ms_per_save'])}, {r['client_cpu_ms_per_save']:.2f} ms "
          f"| {r['load_average']:.1f} … {r['load_average_end']:.1f} |" for n, r in enumerate(runs, start=1)),
        "",
        f"Median p95 over the runs: {median_p95:.1f} ms (target ≤ 30 ms).",
        "",
        f"Optimistic concurrency: {args.clients} clients each incremented one shared annotation {args.increments} times by "
        "GET + PATCH with the version just read (409 → read again): "
        + "; ".join(f"run {n}: {r['counter']} of {r['counter_expected']}, {r['conflicts_409']} stale writes refused with 409"
                    for n, r in enumerate(runs, start=1))
        + f". A lost update would leave the count short. {check} after each run: " + ", ".join(r["integrity"] for r in runs) + ".",
        "",
        f"Estimate, not a measurement: at {cpu:.2f} ms of server CPU per save, a server with a core to itself would take "
        f"≈{1000 / cpu:,.0f} saves/s" + (" (the database server's own CPU comes on top, on its own cores)." if name != "SQLite" else "."),
        "",
        f"Result on {name}: " + ("every acknowledged save stored exactly once, no update lost." if ok else "FAILED: see the figures above."),
        "",
    ]
    return lines, ok, median_p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--saves", type=int, default=500, help="annotations each client saves")
    parser.add_argument("--increments", type=int, default=20, help="optimistic read-modify-write increments per client")
    parser.add_argument("--runs", type=int, default=3, help="independent runs (fresh corpus and server each)")
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL: a server URL whose role may create databases")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()

    backends = {"SQLite": None, **({"PostgreSQL": args.postgres} if args.postgres else {})}
    results: dict[str, list[dict]] = {name: [] for name in backends}
    for n in range(args.runs):
        for name, url in backends.items():  # interleaved, so both see the same machine load
            figures = one_run(args.clients, args.saves, args.increments, url)
            print(json.dumps({"backend": name, "run": n + 1, **figures}), flush=True)
            results[name].append(figures)
    sections, all_ok = [], True
    for name, runs in results.items():
        lines, ok, median_p95 = backend_section(name, runs, args)
        sections += lines
        all_ok = all_ok and ok
        print(f"{name}: {'OK' if ok else 'FAILED'}: median p95 {median_p95:.1f} ms over {len(runs)} runs")

    if args.report:
        versions = f"SQLite {sqlite3.sqlite_version}"
        if args.postgres:
            from sqlalchemy import create_engine, text

            engine = create_engine(args.postgres)
            with engine.connect() as connection:
                versions += ", " + connection.execute(text("SELECT version()")).scalar_one().split(" on ")[0]
            engine.dispose()
        command = (f"python benchmarks/serve_bench.py --clients {args.clients} --saves {args.saves} --increments {args.increments} "
                   f"--runs {args.runs}" + (" --postgres URL" if args.postgres else ""))
        lines = [
            "# Annotation server benchmark",
            "",
            f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {versions}, "
            f"starlette {version('starlette')}, uvicorn {version('uvicorn')}.",
            "",
            f"Each run: a fresh demo corpus, `calque serve` in its own process on 127.0.0.1, {args.clients} clients (asyncio, in the",
            "benchmark process) with one keep-alive HTTP connection and one annotator token each, saving",
            f"{args.saves} annotations each through POST /api/annotations back to back (no think time); then the store is read:",
            "every acknowledged save must be there exactly once. "
            + ("Runs alternate between SQLite and PostgreSQL (a fresh database on the local server, on the same machine) "
               "so both see the same load." if args.postgres else ""),
            "",
            "Load average: the machine's 1-minute load when the save phase started and when it ended; the clients, the server, the",
            "database server and whatever else runs on the machine share its cores, so latency grows with it while CPU per save",
            "does not. CPU / save: user + system time of the `calque serve` process, of the PostgreSQL backends serving the run's",
            "database (\"in process\" on SQLite, whose work is inside the server's figure) and of the benchmark's clients.",
            "",
            *sections,
            "Result: " + ("every acknowledged save stored exactly once, no update lost, on every backend." if all_ok
                          else "FAILED: see the figures above."),
        ]
        args.report.write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
