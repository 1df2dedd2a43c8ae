"""Campaign claim benchmark: 32 clients claiming work from one campaign at once, on SQLite and PostgreSQL.

Each run builds a fresh demo corpus, creates a campaign over all its translations (one annotator per
client, overlap 3), and starts CLIENTS threads that call CampaignService.claim — the code the server's
POST /api/campaigns/{name}/claim runs — and finish each claimed item (untimed: an annotator holds one
unfinished item per campaign) back to back until nothing is left. Then it checks the store: every slot
claimed exactly once, every unit held by exactly k distinct annotators.

    python benchmarks/campaign_bench.py --runs 3 --report benchmarks/campaign.md
    python benchmarks/campaign_bench.py --postgres postgresql+psycopg://calque:calque@localhost/postgres --report benchmarks/campaign.md
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import Corpus  # noqa: E402
from scratch_database import scratch_database  # noqa: E402
from corpus.campaigns import CampaignSpec, CampaignStore  # noqa: E402
from pipelines.campaign.build import create_campaign  # noqa: E402
from pipelines.campaign.service import CampaignService  # noqa: E402
from pipelines.demo import demo_corpus_file  # noqa: E402

OVERLAP = 3


def annotators(clients: int) -> list[str]:
    """One annotator per client (at least OVERLAP, so that every unit can have k distinct ones)."""
    return [f"ann{i}" for i in range(max(clients, OVERLAP))]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def one_run(directory: Path, database_url: str | None, clients: int, assignment: str) -> dict:
    corpus = Corpus.init(directory, database_url=database_url, actor="bench")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    translations = list(corpus.translations().id)
    people = annotators(clients)
    create_campaign(corpus, CampaignSpec(name="bench", translations=translations, annotators=people, overlap=OVERLAP,
                                         assignment=assignment, attention_rate=0.1))
    service = CampaignService(corpus)
    barrier = threading.Barrier(clients)
    latencies: list[float] = []
    claimed: list[tuple[str, str, str]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(annotator: str):
        if clients > 1:
            barrier.wait()
        try:
            while True:
                started = time.perf_counter()
                slot = service.claim("bench", annotator)
                elapsed = time.perf_counter() - started
                if slot is None:
                    break
                with lock:
                    latencies.append(elapsed)
                    claimed.append((slot["id"], slot["unit_id"], annotator))
                service.submit(slot["id"], annotator, None)
        except Exception as error:  # counted in the report
            errors.append(repr(error))

    load = os.getloadavg()[0]
    # One client (the uncontended baseline) works through every annotator's queue in turn.
    threads = ([threading.Thread(target=lambda: [client(a) for a in people])] if clients == 1 else
               [threading.Thread(target=client, args=(person,)) for person in people])
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    slots = CampaignStore(corpus).slots("bench")
    per_unit = defaultdict(set)
    for _, unit, annotator in claimed:
        per_unit[unit].add(annotator)
    ids = [c[0] for c in claimed]
    result = {
        "backend": corpus.engine.dialect.name, "assignment": assignment, "clients": clients, "slots": len(slots), "claims": len(claimed),
        "double": len(ids) - len(set(ids)), "lost": len({s["id"] for s in slots} - set(ids)),
        "over_k": sum(1 for v in per_unit.values() if len(v) > OVERLAP), "errors": len(errors),
        "p50": percentile(latencies, 0.5) * 1000, "p95": percentile(latencies, 0.95) * 1000, "p99": percentile(latencies, 0.99) * 1000,
        "max": max(latencies) * 1000, "rate": len(claimed) / wall, "load": load,
    }
    corpus.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("CALQUE_TEST_POSTGRES_URL"), help="server URL; PostgreSQL runs are skipped without it")
    parser.add_argument("--report", help="write a Markdown report here")
    args = parser.parse_args()
    rows = []
    for backend in ["sqlite"] + (["postgresql"] if args.postgres else []):
        for assignment, clients, runs in (("fixed", 1, 1), ("fixed", args.clients, args.runs), ("pool", args.clients, args.runs)):
            for _ in range(runs):
                server = args.postgres if backend == "postgresql" else None
                with tempfile.TemporaryDirectory() as tmp, scratch_database(server) as url:
                    row = one_run(Path(tmp) / "corpus", url, clients, assignment)
                rows.append(row)
                print(f"{row['backend']:10} {assignment:5} {clients:2} clients claims {row['claims']}/{row['slots']} double {row['double']} lost {row['lost']} "
                      f"over-k {row['over_k']} errors {row['errors']} p50 {row['p50']:.1f} ms p95 {row['p95']:.1f} ms "
                      f"{row['rate']:.0f} claims/s load {row['load']:.1f}")
    if args.report:
        write_report(Path(args.report), rows, args)


def write_report(path: Path, rows: list[dict], args) -> None:
    import sqlalchemy
    import sqlite3

    lines = [
        "# Campaign claim benchmark", "",
        f"`python benchmarks/campaign_bench.py --clients {args.clients} --runs {args.runs}"
        f"{' --postgres URL' if args.postgres else ''}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}.", "",
        f"Each run: a fresh demo corpus (7 translations, 130 segments), one campaign over all translations with "
        f"overlap {OVERLAP} and 10 % attention checks; {args.clients} threads, one per annotator, call CampaignService.claim "
        "(what POST /api/campaigns/{name}/claim runs) and finish each item they claim (untimed; an annotator holds one "
        "unfinished item per campaign), back to back until nothing is left. "
        "Latency is per claim, inside the process (no HTTP); with 32 clients claiming back to back it is mostly the "
        "wait for the writer (SQLite) or for CPU (2 cores shared by the clients, the database and the rest of the machine). "
        f"The 1-client row is the uncontended cost of one claim ({OVERLAP} annotators' queues worked through in turn).", "",
        "| backend | assignment | clients | claims / slots | double-claimed | lost | units over k | errors | p50 | p95 | p99 | max | claims/s | load average |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['assignment']} | {r['clients']} | {r['claims']} / {r['slots']} | {r['double']} | {r['lost']} | {r['over_k']} | "
                     f"{r['errors']} | {r['p50']:.1f} ms | **{r['p95']:.1f} ms** | {r['p99']:.1f} ms | {r['max']:.0f} ms | {r['rate']:.0f} | {r['load']:.1f} |")
    lines.append("")
    for backend in sorted({r["backend"] for r in rows}):
        p95 = statistics.median(r["p95"] for r in rows if r["backend"] == backend and r["clients"] == args.clients)
        alone = statistics.median(r["p95"] for r in rows if r["backend"] == backend and r["clients"] == 1)
        lines.append(f"Median p95 claim latency on {backend}: {p95:.1f} ms with {args.clients} clients at once; {alone:.1f} ms for one client alone.")
    lines += ["", "SQLite serialises claims through the server's one write lock (and BEGIN IMMEDIATE); PostgreSQL claims lock "
              "their candidate row with `FOR UPDATE SKIP LOCKED`. Load average: the 1-minute load when the run started; "
              "the machine is shared, so latency grows with it.", ""]
    path.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
