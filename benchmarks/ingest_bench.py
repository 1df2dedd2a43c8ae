"""Ingest benchmark: N synthetic aligned segment pairs through `calque import parallel`.

Measures wall time and peak RSS of the import process (a fresh subprocess, so the figure is the
import's own), and writes a Markdown report.

    python benchmarks/ingest_bench.py --pairs 1000000 --report benchmarks/ingest.md
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS_EN = "the council committee watchdog report bridge harbour mayor vote million camera company government letter said on in of and".split()
WORDS_DE = "der die das Rat Ausschuss Behörde Bericht Brücke Hafen Bürgermeisterin Abstimmung Millionen Kamera Firma Regierung Brief sagte am im und".split()


def synthetic_lines(words: list[str], n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(" ".join(rng.choices(words, k=rng.randint(6, 24))).capitalize() + f" {i}.\n" for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "bench.en").write_text(synthetic_lines(WORDS_EN, args.pairs, 1), "utf-8")
        (scratch / "bench.de").write_text(synthetic_lines(WORDS_DE, args.pairs, 2), "utf-8")
        cli = [sys.executable, "-c", "from pipelines.cli import main; main()", "--corpus", str(scratch / "c")]
        subprocess.run([*cli, "init", str(scratch / "c")], check=True, stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        subprocess.run([*cli, "import", "parallel", str(scratch / "bench.en"), str(scratch / "bench.de"),
                        "--src-lang", "en", "--tgt-lang", "de"], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        cpu_seconds = usage.ru_utime + usage.ru_stime
        load = os.getloadavg()[0]
        db_mb = sum(p.stat().st_size for p in (scratch / "c").glob("calque.sqlite*")) / 2**20
    lines = [
        "# Ingest benchmark",
        "",
        f"`python benchmarks/ingest_bench.py --pairs {args.pairs}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| aligned pairs | rows written | wall time | CPU time | peak RSS | database size | target |",
        "|---:|---:|---:|---:|---:|---:|---|",
        f"| {args.pairs:,} | {3 * args.pairs:,} (2 segments + 1 link per pair) | {seconds:.1f} s | {cpu_seconds:.1f} s | {peak_mb:.0f} MB | {db_mb:.0f} MB | ≤ 60 s, ≤ 1.5 GB |",
        "",
        f"Load average at the end of the run: {load:.1f} (on an otherwise idle machine wall time ≈ CPU time).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
