"""Benchmark-suite cost: 10 systems × 10,000 segments × (BLEU, chrF, TER, checks) against the same metrics alone.

The test set is resampled from WMT22 en→de (../shared/data/wmt22_ende): segment i is WMT22 line perm[i] (source,
reference A); systems are the 6 WMT22 outputs plus 4 variants of them with seeded edits (a word dropped, two
words swapped, a word repeated, a source line copied), so all 10 differ. Without ../shared the tiny test set of
tests/data/bench is resampled the same way (the figures are then not comparable).

Timed, each in one process on the same files:
  metrics alone    sacrebleu BLEU(), CHRF(), TER() corpus_score per system (what `sacrebleu -m bleu chrf ter` does)
  bench, metrics   calque's scoring: statistics once per system and metric, segment scores, 1000 bootstrap
                   resamples (95% CI) and paired tests between all 45 system pairs, per metric
  checks alone     pipelines.checks over every system, in blocks of 20 segments
  suite            `calque bench` end to end: read the WMT-layout directory, metrics + CIs + clusters + checks,
                   write the HTML report
Wall time depends on what else runs on the machine; CPU time (user+sys of the process and its children) does not.

    python benchmarks/bench_suite.py --systems 10 --segments 10000 --report benchmarks/bench.md
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WMT = REPO.parent / "shared" / "data" / "wmt22_ende"
TINY = REPO / "tests" / "data" / "bench" / "tiny_wmt"


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def read_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").split("\n")[:-1]


def base_data() -> tuple[str, list[str], list[str], dict[str, list[str]]]:
    if WMT.is_dir():
        folder, name = WMT, "generaltest2022"
    else:
        folder, name = TINY, "tinytest2024"
    sources = read_lines(folder / "sources" / f"{name}.en-de.src.en")
    refs = read_lines(folder / "references" / f"{name}.en-de.ref.A.de")
    systems = {p.name.split(".hyp.")[1][: -len(".de")]: read_lines(p)
               for p in sorted((folder / "system-outputs").glob(f"{name}.en-de.hyp.*.de"))}
    return ("WMT22 en-de" if folder == WMT else "tiny test set (no ../shared)"), sources, refs, systems


def variant(lines: list[str], sources: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for line, source in zip(lines, sources):
        words = line.split()
        roll = rng.random()
        if roll < 0.01:
            out.append(source)
            continue
        if len(words) > 3 and roll < 0.21:
            del words[rng.randrange(len(words))]
        elif len(words) > 3 and roll < 0.31:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif words and roll < 0.33:
            i = rng.randrange(len(words))
            words.insert(i, words[i])
        out.append(" ".join(words))
    return out


def build_testset(directory: Path, n_systems: int, n_segments: int) -> str:
    origin, sources, refs, systems = base_data()
    rng = random.Random(2024)
    picks = [rng.randrange(len(sources)) for _ in range(n_segments)]
    names = list(systems)
    for k in range(n_systems - len(names)):
        base = names[k % len(names)]
        systems[f"{base}-v{k + 1}"] = variant(systems[base], sources, seed=k)
    chosen = dict(list(systems.items())[:n_systems])
    for sub in ("sources", "references", "system-outputs"):
        (directory / sub).mkdir(parents=True)
    prefix = "synth.en-de"

    def write(path: Path, lines: list[str]) -> None:
        path.write_text("".join(lines[i] + "\n" for i in picks), encoding="utf-8")

    write(directory / "sources" / f"{prefix}.src.en", sources)
    write(directory / "references" / f"{prefix}.ref.A.de", refs)
    for name, lines in chosen.items():
        write(directory / "system-outputs" / f"{prefix}.hyp.{name}.de", lines)
    return origin


def timed(label: str, function, results: dict) -> object:
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = function()
    results[label] = {"wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu}
    print(f"{label:<16} wall {results[label]['wall']:8.1f} s   cpu {results[label]['cpu']:8.1f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="above 1: a local Dask cluster of this many worker processes")
    parser.add_argument("--report", help="write the figures as Markdown here")
    args = parser.parse_args()

    import sacrebleu
    from click.testing import CliRunner

    from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
    from pipelines.bench.checking import run_system_checks
    from pipelines.cli import main as calque
    from pipelines.execution import executor_for

    executor = executor_for(workers=args.workers if args.workers > 1 else None, progress=False)
    cluster_option = ["--workers", str(args.workers)] if args.workers > 1 else []

    directory = Path(tempfile.mkdtemp(prefix="calque-bench-suite-"))
    try:
        origin = build_testset(directory / "testset", args.systems, args.segments)
        testset = load_wmt_testset(directory / "testset", "en-de")
        refs = testset.references["A"]
        print(f"{len(testset.systems)} systems × {len(testset)} segments resampled from {origin}; load {os.getloadavg()[0]:.1f}")
        results: dict[str, dict] = {}

        def metrics_alone():
            for hyps in testset.systems.values():
                for metric in (sacrebleu.BLEU(), sacrebleu.CHRF(), sacrebleu.TER()):
                    metric.corpus_score(hyps, [refs])

        timed("metrics alone", metrics_alone, results)
        timed("bench, metrics", lambda: run_bench(testset, BenchConfig(checks=False), executor=executor), results)
        timed("checks alone", lambda: run_system_checks(testset.systems, testset.sources, "en", "de", executor=executor), results)

        def suite():
            outcome = CliRunner().invoke(calque, ["bench", "--no-store", "--testset",
                                                  str(directory / "testset"), "--langs", "en-de", *cluster_option,
                                                  "--report", str(directory / "report.html"), "--format", "csv"])
            if outcome.exit_code != 0:
                raise SystemExit(outcome.output)
            return outcome.output

        table = timed("suite", suite, results)
        load_after = os.getloadavg()[0]
    finally:
        executor.close()
        shutil.rmtree(directory, ignore_errors=True)

    base = results["metrics alone"]
    ratio = {k: {m: v[m] / base[m] for m in ("wall", "cpu")} for k, v in results.items()}
    print(f"suite / metrics alone: wall {ratio['suite']['wall']:.2f}×, cpu {ratio['suite']['cpu']:.2f}×")
    if args.report:
        lines = [
            "# Benchmark suite cost",
            "",
            f"{len(testset.systems)} systems × {len(testset):,} segments resampled from {origin} (reference A), "
            "BLEU, chrF, TER and the deterministic checks.",
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load_after:.1f} when done (other processes shared the cores: CPU time is the stable figure); "
            f"workers {args.workers}.",
            "",
            "| run | wall s | CPU s | wall × metrics alone | CPU × metrics alone |",
            "|---|---:|---:|---:|---:|",
            *[f"| {k} | {v['wall']:.1f} | {v['cpu']:.1f} | {ratio[k]['wall']:.2f} | {ratio[k]['cpu']:.2f} |" for k, v in results.items()],
            "",
            "- *metrics alone*: sacrebleu `BLEU()`, `CHRF()`, `TER()` `corpus_score` per system, one process.",
            "- *bench, metrics*: Calque's scoring of the same metrics plus segment scores, 1000 bootstrap resamples per system "
            "(95% CI) and paired bootstrap tests between all pairs (significance clusters).",
            "- *checks alone*: every registered check on every system, blocks of 20 segments.",
            "- *suite*: `calque bench --testset DIR --langs en-de --report r.html` end to end (read, score, test, check, report).",
            "",
            "Command:",
            "",
            "```",
            f"python benchmarks/bench_suite.py --systems {args.systems} --segments {args.segments} --workers {args.workers} --report {args.report}",
            "```",
            "",
            "Systems of the resampled set (suite output, CSV):",
            "",
            "```",
            table.strip(),
            "```",
            "",
        ]
        Path(args.report).write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
