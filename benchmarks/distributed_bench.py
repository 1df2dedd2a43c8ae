"""Scaling out on Dask: `run_bench` (BLEU, chrF, TER corpus and segment scores, plus the checks) in
process against a local Dask cluster of 1 and of 2 worker processes, on systems × segments resampled
from WMT22 en→de (the same resampling as benchmarks/bench_suite.py; without ../shared the tiny test set).

Each mode runs in its own child process, so its peak memory (ru_maxrss) is the client's alone (the
cluster's workers are further processes, counted apart). Every mode must give the same figures: the
script compares each system's scores, signatures and segment scores, and stops if any differs.

    python benchmarks/distributed_bench.py --systems 8 --segments 200000 --report benchmarks/distributed.md
    python benchmarks/distributed_bench.py --systems 8 --segments 20000 --report benchmarks/distributed.md  # scaled down
    python benchmarks/distributed_bench.py --systems 8 --segments 20000 --parquet --modes "2 workers"  # Parquet inputs
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

MODES = {"in process": None, "1 worker": 1, "2 workers": 2}


def uptime() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_one(testset_dir: Path, workers: int | None, out: Path) -> None:
    """Child: one bench run; writes timings, memory and the figures to compare."""
    from pipelines.bench import BenchConfig, load_testset, run_bench
    from pipelines.execution import executor_for

    started = time.perf_counter()
    testset = load_testset(testset_dir, "en-de", lazy=workers is not None)  # as `calque bench` loads it
    loaded = time.perf_counter()
    with executor_for(workers=workers, progress=False) as executor:
        ready = time.perf_counter()
        result = run_bench(testset, BenchConfig(n_bootstrap=0, segments=True), executor=executor)
        done = time.perf_counter()
    figures = {
        "systems": result["systems"], "metric_info": result["metric_info"], "segment_scores": result["segment_scores"],
        "checks": {k: result["checks"][k] for k in ("counts", "totals", "segments_flagged")},
    }
    out.write_text(json.dumps({
        "wall_s": done - started, "read_s": loaded - started, "cluster_start_s": ready - loaded, "bench_s": done - ready,
        "timings": result["timings"], "client_cpu_s": cpu_seconds(resource.RUSAGE_SELF),
        "workers_cpu_s": cpu_seconds(resource.RUSAGE_CHILDREN),
        "client_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "figures": figures, "segments": len(testset), "systems": len(testset.systems),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=8)
    parser.add_argument("--segments", type=int, default=200_000, help="segments per system (the issue's size: 200000)")
    parser.add_argument("--report", type=Path, help="Markdown report; the raw figures go beside it as .json")
    parser.add_argument("--from-json", type=Path, help="re-write --report from the .json of an earlier run")
    parser.add_argument("--parquet", action="store_true", help="read the test set as Parquet parts instead of text files")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated subset of: {', '.join(MODES)} "
                        "(a report needs all three)")
    parser.add_argument("--run-one", nargs=3, metavar=("TESTSET", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        testset_dir, workers, out = args.run_one
        run_one(Path(testset_dir), int(workers) or None, Path(out))
        return

    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        args.systems, args.segments = saved["systems"], saved["segments"]
        args.report.write_text(report(args, saved["origin"], saved["runs"], saved["load_before"], saved["load_after"]), "utf-8")
        return
    from bench_suite import build_testset

    scratch = Path(tempfile.mkdtemp(prefix="calque-distributed-"))
    load_before = uptime()
    runs: dict[str, dict] = {}
    try:
        origin = build_testset(scratch / "testset", args.systems, args.segments)
        testset = as_parquet(scratch / "testset", scratch / "synth.en-de") if args.parquet else scratch / "testset"
        print(f"{args.systems} systems × {args.segments:,} segments from {origin}{' as Parquet' if args.parquet else ''}; "
              f"{load_before}", flush=True)
        for mode in args.modes.split(","):
            workers = MODES[mode]
            out = scratch / f"{workers or 0}.json"
            load = os.getloadavg()[0]
            subprocess.run([sys.executable, __file__, "--run-one", str(testset), str(workers or 0), str(out)],
                           check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
            runs[mode] = {**json.loads(out.read_text()), "load": load}
            r = runs[mode]
            print(f"{mode:<11} wall {r['wall_s']:8.1f} s  bench {r['bench_s']:8.1f} s  client CPU {r['client_cpu_s']:7.1f} s  "
                  f"workers CPU {r['workers_cpu_s']:7.1f} s  client peak {r['client_peak_mib']:7.0f} MiB  load {load:.1f}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_after = uptime()
    reference = next(iter(runs.values()))["figures"]
    for mode, r in runs.items():
        if r["figures"] != reference:
            raise SystemExit(f"{mode}: the figures differ from the in-process run")
    print("every mode gave the same scores, signatures, segment scores and check counts", flush=True)
    if args.report and set(runs) == set(MODES):
        args.report.with_suffix(".json").write_text(json.dumps(
            {"systems": args.systems, "segments": args.segments, "origin": origin, "load_before": load_before,
             "load_after": load_after, "runs": {m: {k: v for k, v in r.items() if k != "figures"} for m, r in runs.items()}},
            indent=1))
        args.report.write_text(report(args, origin, runs, load_before, load_after), "utf-8")


def as_parquet(text_layout: Path, target: Path, parts: int = 4) -> Path:
    """The text-layout test set as Parquet parts (columns source, ref:NAME, sys:SYSTEM), row groups of 5,000 rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipelines.bench import load_wmt_testset

    testset = load_wmt_testset(text_layout, "en-de")
    table = pa.table({"source": testset.sources, **{f"ref:{k}": v for k, v in testset.references.items()},
                      **{f"sys:{k}": v for k, v in testset.systems.items()}})
    target.mkdir()
    size = -(-len(table) // parts)
    for number in range(parts):
        pq.write_table(table.slice(number * size, size), target / f"part-{number:04d}.parquet", row_group_size=5_000)
    return target


def cpu(run: dict) -> float:
    return run["client_cpu_s"] + run["workers_cpu_s"]


def report(args, origin: str, runs: dict[str, dict], load_before: str, load_after: str) -> str:
    base = runs["in process"]
    one, two = runs["1 worker"], runs["2 workers"]
    n_segments = args.systems * args.segments
    # CPU, not wall: on a machine other jobs keep busy, wall time measures the queue for the cores
    per_segment_ms = 1000 * cpu(base) / n_segments
    share = base["timings"]["metrics"] / max(1e-9, base["timings"]["metrics"] + base["timings"].get("checks", 0))
    metrics_ms, checks_ms = per_segment_ms * share, per_segment_ms * (1 - share)
    from pipelines.execution.shards import shard_size

    shard = shard_size(args.segments)
    lines = [
        "# Scaling out on Dask",
        "",
        f"`python benchmarks/distributed_bench.py --systems {args.systems} --segments {args.segments} --report {args.report}`",
        "",
        f"{args.systems} systems × {args.segments:,} segments resampled from {origin} (reference A); BLEU, chrF and TER corpus "
        "and segment scores (no bootstrap) and the deterministic checks, through `run_bench` on each executor. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {load_before} before, "
        f"{load_after} after. Wall times depend on what else ran on the two cores; the load column (the 1-minute load "
        "average as each mode started) says how busy the machine was.",
        "",
        "| mode | wall s (bench) | cluster start s | wall × in process | client CPU s | workers CPU s | CPU × in process | client peak MiB | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {mode} | {r['bench_s']:.1f} | {r['cluster_start_s']:.1f} | {r['bench_s'] / base['bench_s']:.2f} | "
          f"{r['client_cpu_s']:.1f} | {r['workers_cpu_s']:.1f} | {cpu(r) / cpu(base):.2f} | {r['client_peak_mib']:.0f} | "
          f"{r['load']:.1f} |" for mode, r in runs.items()),
        "",
        "Wall s (bench): from the executor's start to the result, cluster start-up excluded (it is the next column). "
        "CPU: user + system seconds of the client and of its worker processes, start-up and imports included; it "
        "does not depend on how busy the machine is, so its ratio is the steadier measure of the overhead.",
        "",
        f"- overhead of 1 worker vs in process: **{one['bench_s'] / base['bench_s']:.2f}×** wall, "
        f"**{cpu(one) / cpu(base):.2f}×** CPU (aim ≤ 1.15×)",
        f"- speed-up of 2 workers vs 1 worker: **{one['bench_s'] / two['bench_s']:.2f}×** wall, vs in process "
        f"**{base['bench_s'] / two['bench_s']:.2f}×** (aim ≥ 1.7× on 2 cores); 2 workers spent "
        f"{cpu(two) / cpu(one):.2f}× the CPU of 1, so on two free cores the speed-up over 1 worker would be at most "
        f"≈{2 * cpu(one) / cpu(two):.2f}× (an estimate: it assumes no straggling shard)",
        f"- client peak memory: in process {base['client_peak_mib']:.0f} MiB, with 2 workers {two['client_peak_mib']:.0f} MiB",
        "- every mode gave the same scores, signatures, segment scores and check counts (the script compares them).",
        "",
        *([f"Scaled down from the issue's 8 × 200,000 segments: at the CPU cost measured here that size needs "
           f"≈{8 * 200_000 * per_segment_ms / 3.6e6:.1f} CPU hours per mode, ≈{3 * 8 * 200_000 * per_segment_ms / 3.6e6:.0f} "
           "for the three, more than this 2-core machine could give in one working session. The fixed costs (cluster "
           "start, imports in each worker) weigh more at this size than they would at the full one. Re-run with "
           "`--segments 200000` (or `make bench-distributed`) where the time is available.", ""]
          if args.segments < 200_000 else []),
        "Likely sources of the cluster's extra CPU (not measured one by one): starting each worker process and "
        "importing the pipelines there (Dask, sacrebleu, the checks' language data), each worker reading its shard's "
        "lines from the test set's files (tasks carry paths and line offsets, not texts) and pickling its statistics back, and the Dask client's and workers' event loops, which tick all through "
        "a run that the busy machine stretched to many minutes.",
        "",
        "## Measured costs",
        "",
        f"In process, CPU per segment of one system: {per_segment_ms:.2f} ms in all (start-up and reading included), "
        f"≈{metrics_ms:.2f} ms for the three metrics (statistics and segment scores) and ≈{checks_ms:.2f} ms for the "
        f"checks (split as their wall times were). A score shard of {shard:,} segments thus costs ≈"
        f"{shard * metrics_ms / 1000:.1f} CPU s.",
        "",
    ]
    lines += projection(per_segment_ms, metrics_ms)
    return "\n".join(lines) + "\n"


def projection(per_segment_ms: float, metrics_ms: float) -> list[str]:
    """500 systems × 2M segments on 100 workers, on paper, from the measured per-segment cost."""
    from pipelines.execution.shards import MAX_SHARD_SEGMENTS

    systems, segments, workers = 500, 2_000_000, 100
    total = systems * segments
    shards = systems * -(-segments // MAX_SHARD_SEGMENTS)
    cpu_h = total * per_segment_ms / 1000 / 3600
    hours = cpu_h / workers
    stats_bytes = total * 30 * 8  # BLEU 10 + chrF 18 + TER 2 statistics per segment, 8 bytes each
    return [
        "## On paper: 500 systems × 2,000,000 segments on 100 workers",
        "",
        f"- Work: {total:,} system-segments × {per_segment_ms:.2f} ms ≈ {cpu_h:,.0f} CPU hours (this machine's cores); "
        f"on 100 single-threaded workers ≈ **{hours:.1f} h** if they are as fast as these cores and stay busy.",
        f"- Shards: {MAX_SHARD_SEGMENTS:,} segments per shard (the cap; the layout depends on the data only) → "
        f"{segments // MAX_SHARD_SEGMENTS} shards per system, {shards:,} tasks, ≈ {shards / workers:.0f} per worker, "
        f"each ≈ {MAX_SHARD_SEGMENTS * metrics_ms / 1000:.0f} s of metrics. Dask's scheduler handles thousands of tasks "
        "per second, so 50,000 tasks of about a minute each leave it idle; the per-shard Parquet outputs (≈1 billion rows, a few "
        "tens of GB) go to storage all workers see, and `--resume` restarts a lost run from them.",
        f"- The client is the bottleneck at this scale, as built today. It no longer holds texts: on a cluster it keeps "
        f"each file's line offsets (8 bytes a line, ≈{total * 8 / 1e9:,.0f} GB for {total:,} lines) and hands workers "
        "paths and offsets; but it still streams every text once (≈100 GB for segments of ~100 bytes) to index and "
        f"hash the test set, and it gathers every segment's sufficient statistics (≈{stats_bytes / 1e9:,.0f} GB) to "
        "aggregate exactly. Before such a run the client must (a) keep only shard-boundary offsets and hash per shard "
        "on the workers, and (b) gather per-shard sums of the statistics (integer counts for BLEU and chrF: the sum of "
        "sums is exact) and per-shard bootstrap sums (counts-matrix products are linear), so it holds kilobytes per "
        "shard instead of megabytes.",
        "- The store is not a bottleneck: results go to it from the client only, one row per system and metric "
        "(1,500 rows); per-segment scores stay in the Parquet shards.",
    ]


if __name__ == "__main__":
    main()
