"""The learned metric: how it agrees with people on held-out sets, how fast it scores, how much memory it takes.

    python benchmarks/learned_metric_bench.py                  # writes benchmarks/learned_metric.md
    python benchmarks/learned_metric_bench.py --skip-quality   # speed and memory only

Quality: leave one set out over the four dev sets of scripts/learned_metric_sets.json (train `learned` and
`learned-qe` on three, with settings chosen on those three only, judge on the fourth) beside chrF and BLEU
(for `learned`) and embed-sim (for `learned-qe`), as `calque meta-eval` computes system pairwise accuracy, SPA
and segment acc_eq, with mt-metrics-eval's permutation test of each difference. Same as `calque metric evaluate
--leave-one-set-out --sets scripts/learned_metric_sets.json`.

Speed: the shipped `learned` model on WMT22 en-de (../shared/data/wmt22_ende) in a fresh process per run:
all systems against reference A (a test set's sources and references are shared by its systems, as in
`calque eval`), and one system alone (every source and reference new); segments per second after the model
and encoder are loaded, and the process's peak resident memory.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SETS = REPO / "scripts" / "learned_metric_sets.json"
WMT22 = REPO.parent / "shared" / "data" / "wmt22_ende"
REPORT = REPO / "benchmarks" / "learned_metric.md"


def quality(sets_path: Path) -> dict:
    import numpy as np

    from pipelines.bench.judged_sets import load_sets
    from pipelines.metric_training.evaluation import forced_embedding_rows, leave_one_set_out
    from pipelines.metric_training.training import all_features, prepare

    started = time.perf_counter()
    datasets = load_sets(sets_path)
    names = list(dict.fromkeys(all_features(True) + all_features(False)))
    prepared = [prepare(d, names, all_segments=True) for d in datasets]
    seconds_features = time.perf_counter() - started
    out = {"features_seconds": seconds_features, "rated": {d.name: int(np.sum(~np.isnan(d.human))) for d in datasets}}
    for key, reference in (("learned", True), ("learned-qe", False)):
        started = time.perf_counter()
        out[key] = leave_one_set_out(datasets, reference=reference, prepared=prepared)
        out[f"{key}_seconds"] = time.perf_counter() - started
    out["forced_embed_sim"] = forced_embedding_rows(datasets)
    return out


SPEED_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from pipelines.bench import load_testset
from pipelines.fidelity.learned import load_model
testset = load_testset({wmt22!r}, "en-de")
systems = sorted(testset.systems)[:{systems}]
n = {segments}
items = [i for i in range(n) if i % {parts} == {part}]  # a shard, as a Dask worker would get it
sources = [testset.sources[i] for _ in systems for i in items]
references = [testset.references["A"][i] for _ in systems for i in items]
hypotheses = [testset.systems[s][i] for s in systems for i in items]
start = time.perf_counter()
model = load_model("learned")
model.score(sources[:1], hypotheses[:1], references[:1], "en", "de")  # loads the encoder
loaded = time.perf_counter() - start
start, cpu = time.perf_counter(), time.process_time()
scores = model.score(sources, hypotheses, references, "en", "de")
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({{"segments": len(hypotheses), "systems": len(systems), "load_seconds": loaded, "seconds": wall,
                  "cpu_seconds": cpu, "segments_per_second": len(hypotheses) / wall,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "mean_score": float(scores.mean())}}))
"""


def speed(systems: int, segments: int, processes: int = 1) -> dict:
    """Scoring in `processes` fresh processes at once, each on its share of the items (every system)."""
    load_before = os.getloadavg()[0]
    children = [subprocess.Popen([sys.executable, "-c", SPEED_CHILD.format(
        repo=str(REPO), wmt22=str(WMT22), systems=systems, segments=segments, part=part, parts=processes)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for part in range(processes)]
    results = []
    for child in children:
        out, err = child.communicate()
        if child.returncode:
            raise RuntimeError(err)
        results.append(json.loads(out.strip().splitlines()[-1]))
    total = sum(r["segments"] for r in results)
    wall = max(r["seconds"] for r in results)
    return {"segments": total, "processes": processes, "load_seconds": max(r["load_seconds"] for r in results),
            "seconds": wall, "cpu_seconds": sum(r["cpu_seconds"] for r in results), "segments_per_second": total / wall,
            "peak_rss_mib": max(r["peak_rss_mib"] for r in results),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def model_files() -> list[dict]:
    from pipelines.fidelity.learned import load_model

    rows = []
    for name in ("learned", "learned-qe"):
        model = load_model(name)
        rows.append({"name": name, "file": model.path.name, "bytes": model.path.stat().st_size, "signature": model.signature})
    return rows


def markdown(result: dict) -> str:
    from pipelines.metric_training.evaluation import TABLE_COLUMNS, markdown_table, table_rows

    lines = ["# Learned metric (`python benchmarks/learned_metric_bench.py`)", ""]
    if "quality" in result:
        q = result["quality"]
        lines += ["## Leave one set out", "",
                  "Train on three of the four dev sets (settings chosen by leave-one-set-out on those three only), "
                  "judge on the fourth, as `calque meta-eval` judges every metric: system pairwise accuracy (system "
                  "score = mean segment score; agreeing pairs / pairs), soft pairwise accuracy (SPA, WMT24) and "
                  "segment acc_eq (tie-calibrated, grouped by item). On each baseline's row, the learned metric minus "
                  "that baseline, with the one-sided p-value of the observed direction (mt-metrics-eval's permutation "
                  "test, 1,000 draws, as `calque meta-eval` runs it; p <= 0.05 is significant). Same as `calque metric "
                  "evaluate --leave-one-set-out --sets scripts/learned_metric_sets.json`.",
                  "", f"Rated segments: {q['rated']}. Features of all segments: {q['features_seconds']:.0f} s.", ""]
        columns = [c for c in TABLE_COLUMNS if c != "trained_on"]
        for key in ("learned", "learned-qe"):
            lines += [f"### {key}", "", markdown_table(table_rows(q[key]), columns), ""]
        if q.get("forced_embed_sim"):
            lines += ["embed-sim forced through the encoder where Calque refuses it (USE has no Czech), for reference only:",
                      ""] + [f"- {r['held_out']}: system accuracy {r['sys_accuracy']:.3f}, acc_eq {r['seg_acc_eq']:.4f}"
                             for r in q["forced_embed_sim"]] + [""]
    if "speed" in result:
        lines += ["## Speed and memory", "",
                  "Shipped `learned` on WMT22 en-de, a fresh process per row; segments per second after loading "
                  "(load = model + encoder + first segment), peak resident memory of the whole process. The machine "
                  "is shared: the load average before and after each run is shown.", "",
                  "| run | segments | load (s) | scoring (s) | CPU (s) | segments/s | segments per CPU second | peak RSS per process (MiB) | load average |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for label, row in result["speed"].items():
            lines.append(f"| {label} | {row['segments']} | {row['load_seconds']:.1f} | {row['seconds']:.1f} | "
                         f"{row['cpu_seconds']:.1f} | {row['segments_per_second']:.0f} | "
                         f"{row['segments'] / row['cpu_seconds']:.0f} | {row['peak_rss_mib']:.0f} | "
                         f"{row['load_average'][0]}–{row['load_average'][1]} |")
        lines.append("")
    if "models" in result:
        lines += ["## Model files", ""] + [f"- `{m['file']}`: {m['bytes']:,} bytes; `{m['signature']}`" for m in result["models"]]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=SETS)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--segments", type=int, default=2037, help="segments per system for the speed runs")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    result: dict = {}
    if not args.skip_speed:
        result["speed"] = {
            f"6 systems × {args.segments} segments, 1 process (sources and references shared by the systems)":
                speed(6, args.segments),
            f"1 system × {args.segments} segments, 1 process (every text new)": speed(1, args.segments),
            f"6 systems × {args.segments} segments, 2 processes (half the items each, as 2 Dask workers)":
                speed(6, args.segments, processes=2),
        }
        result["models"] = model_files()
        print(json.dumps(result["speed"], indent=1), flush=True)
    if not args.skip_quality:
        result["quality"] = quality(args.sets)
    text = markdown(result)
    args.report.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=lambda fold: fold.to_dict()), encoding="utf-8")
    print(text)
    print(f"peak RSS of the benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
