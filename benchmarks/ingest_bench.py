"""Ingest benchmark: N synthetic aligned segment pairs through `calque import parallel`, beside its floor.

The import runs in a fresh process (`calque import parallel`, one transaction), so its CPU time, wall
time and peak RSS are its own, start-up included. The floor is the same rows written with nothing but
sqlite3: a second process reads back every row the import wrote (documents, translations, segments,
alignment links and the journal entries) 20,000 at a time and inserts them with `executemany`, in one
transaction, into a fresh corpus made by `calque init` (same schema, indexes, foreign keys and CHECK
constraints) opened with the store's own connection settings (WAL, foreign_keys=ON, ...); only the inserts
and the commit are timed. The ratio of the two CPU times is what the import costs above the database's
own work.

CPU time is the figure to compare on a busy machine; wall time only means something at a low load
average, which the report records. Import and floor alternate, each --runs times; medians are reported.

    python benchmarks/ingest_bench.py --pairs 200000 1000000 --runs 3 --report benchmarks/ingest.md
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS_EN = "the council committee watchdog report bridge harbour mayor vote million camera company government letter said on in of and".split()
WORDS_DE = "der die das Rat Ausschuss Behörde Bericht Brücke Hafen Bürgermeisterin Abstimmung Millionen Kamera Firma Regierung Brief sagte am im und".split()
# Every table an import writes, in the order the floor inserts them (parents before children).
TABLES = ("documents", "translations", "segments", "alignments", "journal")
REPO = Path(__file__).resolve().parent.parent
FLOOR_BATCH = 20_000  # rows per executemany of the floor, as many as the import's chunks


def synthetic_lines(words: list[str], n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(" ".join(rng.choices(words, k=rng.randint(6, 24))).capitalize() + f" {i}.\n" for i in range(n))


def timed_process(command: list[str]) -> dict:
    """Run command to completion; its own wall time, CPU time (user + system) and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit status {process.returncode}")
    return {"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "output": output.decode()}


def floor(imported: Path, empty: Path) -> dict:
    """Insert every row of the imported corpus into the empty one with plain sqlite3 executemany, one
    transaction; the CPU and wall time of the inserts and the commit only. Rows are read FLOOR_BATCH at a time
    (untimed) so that holding them does not make the floor pay for memory the import never holds."""
    from corpus.database import make_engine

    engine = make_engine(f"sqlite:///{empty}")
    connection = engine.raw_connection().driver_connection  # the store's pragmas, then plain sqlite3
    cpu = wall = 0.0
    counts = {}
    with sqlite3.connect(imported) as source:
        connection.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")') if r[1] != "seq"]  # journal.seq: assigned
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
            rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
            counts[table] = 0
            while batch := rows.fetchmany(FLOOR_BATCH):
                started_cpu, started_wall = time.process_time(), time.perf_counter()
                connection.executemany(insert, batch)
                cpu, wall = cpu + time.process_time() - started_cpu, wall + time.perf_counter() - started_wall
                counts[table] += len(batch)
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        connection.execute("COMMIT")
        cpu, wall = cpu + time.process_time() - started_cpu, wall + time.perf_counter() - started_wall
    return {"cpu": cpu, "wall": wall, "rows": counts}


def measure(pairs: int, runs: int, scratch: Path) -> dict:
    (scratch / "bench.en").write_text(synthetic_lines(WORDS_EN, pairs, 1), "utf-8")
    (scratch / "bench.de").write_text(synthetic_lines(WORDS_DE, pairs, 2), "utf-8")
    calque = [sys.executable, "-m", "pipelines.cli"]
    imports, floors, loads = [], [], [os.getloadavg()[0]]
    for run in range(runs):
        corpus, empty = scratch / f"import{run}", scratch / f"floor{run}"
        for path in (corpus, empty):
            timed_process([*calque, "--corpus", str(path), "init", str(path)])
        imports.append(timed_process([*calque, "--corpus", str(corpus), "import", "parallel", str(scratch / "bench.en"),
                                      str(scratch / "bench.de"), "--src-lang", "en", "--tgt-lang", "de"]))
        db_mb = sum(p.stat().st_size for p in corpus.glob("calque.sqlite*")) / 2**20
        floors.append(json.loads(timed_process([sys.executable, __file__, "--floor", str(corpus / "calque.sqlite"),
                                                str(empty / "calque.sqlite")])["output"]))
        loads.append(os.getloadavg()[0])
        for path in (corpus, empty):
            shutil.rmtree(path)
    median = statistics.median
    return {"pairs": pairs, "runs": runs, "rows": floors[0]["rows"], "db_mb": db_mb,
            "import_cpu": [r["cpu"] for r in imports], "import_wall": [r["wall"] for r in imports],
            "import_rss_mb": max(r["rss_mb"] for r in imports), "floor_cpu": [f["cpu"] for f in floors],
            "floor_wall": [f["wall"] for f in floors],
            "ratio": median(r["cpu"] for r in imports) / median(f["cpu"] for f in floors), "load": loads}


def report(results: list[dict], runs: int) -> str:
    median = statistics.median
    sizes = " ".join(str(r["pairs"]) for r in results)
    lines = [
        "# Ingest benchmark",
        "",
        f"`python benchmarks/ingest_bench.py --pairs {sizes} --runs {runs}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.",
        "",
        "`calque import parallel` in a fresh process (start-up included) against the floor: the same rows (documents, "
        "translations, segments, links, journal entries) inserted with plain sqlite3 `executemany` in one transaction "
        "into the same schema with the store's connection settings (inserts and commit only). Medians of the runs; "
        "CPU = user + system.",
        "",
        "| aligned pairs | rows written (segments + links + journal) | import CPU | floor CPU | import / floor | import wall | floor wall "
        "| peak RSS | database size | load average (start … end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rows = r["rows"]
        loads = " … ".join(f"{load:.1f}" for load in (r["load"][0], r["load"][-1]))
        lines.append(
            f"| {r['pairs']:,} | {rows['segments']:,} + {rows['alignments']:,} + {rows['journal']:,} "
            f"| {median(r['import_cpu']):.2f} s | {median(r['floor_cpu']):.2f} s | **{r['ratio']:.2f}×** "
            f"| {median(r['import_wall']):.1f} s | {median(r['floor_wall']):.1f} s | {r['import_rss_mb']:.0f} MB | {r['db_mb']:.0f} MB | {loads} |")
    lines += [
        "",
        "Aim: import ≤ 1.5× the floor's CPU; 1,000,000 pairs ≤ 60 s and ≤ 1.5 GB. Every run (CPU seconds, import / floor):",
        "",
    ]
    for r in results:
        runs_text = ", ".join(f"{i:.2f} / {f:.2f}" for i, f in zip(r["import_cpu"], r["floor_cpu"]))
        lines.append(f"- {r['pairs']:,} pairs: {runs_text}")
    lines += ["", "Wall time tracks CPU time only on an otherwise idle machine (load average below the 2 cores)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON instead of the report")
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("IMPORTED", "EMPTY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        print(json.dumps(floor(*args.floor)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        results = [measure(pairs, args.runs, Path(scratch)) for pairs in args.pairs]
    if args.json:
        print(json.dumps(results, indent=1))
        return
    text = report(results, args.runs)
    print(text)
    if args.report:
        args.report.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
