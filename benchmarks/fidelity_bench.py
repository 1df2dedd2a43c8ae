"""Fidelity benchmark: BLEU+chrF+TER on N segments through Calque vs plain sacrebleu on the same data
in the same run (overhead ratio), and segment-level scoring with 1 vs 2 worker processes.

Data: WMT22 en-de OpenNMT output and reference A from ../shared/data, resampled with a fixed seed to N
segments; without ../shared, synthetic German-like sentences.

    python benchmarks/fidelity_bench.py                # 100k segments, writes benchmarks/fidelity.md
    python benchmarks/fidelity_bench.py --segments 20000 --out /tmp/f.md
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sacrebleu  # noqa: E402
from sacrebleu.metrics import BLEU, CHRF, TER  # noqa: E402

from pipelines.fidelity import score_corpus, score_segments  # noqa: E402
from pipelines.fidelity.textfile import read_segments  # noqa: E402

WMT22 = REPO.parent / "shared" / "data" / "wmt22_ende"


def load(n: int, seed: int = 1) -> tuple[list[str], list[str], str]:
    rng = random.Random(seed)
    if WMT22.is_dir():
        hyps = read_segments(WMT22 / "system-outputs" / "generaltest2022.en-de.hyp.OpenNMT.de")
        refs = read_segments(WMT22 / "references" / "generaltest2022.en-de.ref.A.de")
        idx = [rng.randrange(len(hyps)) for _ in range(n)]
        return [hyps[i] for i in idx], [refs[i] for i in idx], f"WMT22 en-de OpenNMT vs ref A, resampled to {n:,} segments (seed {seed})"
    words = "der die das Ausschuss Bericht Regierung forderte Verbot Kamera Firma wurde hat nicht und in von mit".split()
    refs = [" ".join(rng.choice(words) for _ in range(rng.randint(8, 30))) + "." for _ in range(n)]
    hyps = [" ".join(w if rng.random() > 0.3 else rng.choice(words) for w in r[:-1].split()) + "." for r in refs]
    return hyps, refs, f"synthetic German-like sentences, {n:,} segments (seed {seed})"


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function):
    """(value, wall seconds, CPU seconds of this process and its worker processes)."""
    start_wall, start_cpu = time.perf_counter(), _cpu()
    value = function()
    return value, time.perf_counter() - start_wall, _cpu() - start_cpu


def plain_sacrebleu(hyps, refs):
    return [metric.corpus_score(hyps, [refs]).score for metric in (BLEU(), CHRF(), TER())]


def calque(hyps, refs):
    results = score_corpus(hyps, [refs], ["bleu", "chrf", "ter"])
    return [results[m].score for m in ("bleu", "chrf", "ter")]


def two_workers(hyps, refs):
    """Segment scores on a local Dask cluster of 2 worker processes (its start-up included)."""
    from pipelines.execution import executor_for

    with executor_for(workers=2, progress=False) as executor:
        return score_segments(hyps, [refs], ["bleu", "chrf", "ter"], executor=executor)


def _runs(values: list[float]) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=2, help="Interleaved repetitions; the fastest of each is reported.")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "fidelity.md")
    args = parser.parse_args()
    hyps, refs, description = load(args.segments)
    load_before = os.getloadavg()

    plain_runs, calque_runs, one_runs, two_runs = [], [], [], []
    cpu: dict[str, list[float]] = {"sacrebleu": [], "calque": [], "1 worker": [], "2 workers": []}
    for repeat in range(args.repeats):
        plain_scores, wall, used = timed(lambda: plain_sacrebleu(hyps, refs))
        plain_runs.append(wall)
        cpu["sacrebleu"].append(used)
        calque_scores, wall, used = timed(lambda: calque(hyps, refs))
        calque_runs.append(wall)
        cpu["calque"].append(used)
        assert plain_scores == calque_scores, (plain_scores, calque_scores)
        print(f"[{repeat + 1}] corpus: sacrebleu {plain_runs[-1]:.1f}s  calque {calque_runs[-1]:.1f}s", flush=True)
        seg1, wall, used = timed(lambda: score_segments(hyps, [refs], ["bleu", "chrf", "ter"]))
        one_runs.append(wall)
        cpu["1 worker"].append(used)
        seg2, wall, used = timed(lambda: two_workers(hyps, refs))
        two_runs.append(wall)
        cpu["2 workers"].append(used)
        assert seg1 == seg2
        print(f"[{repeat + 1}] segments: 1 worker {one_runs[-1]:.1f}s  2 workers {two_runs[-1]:.1f}s", flush=True)
    plain_wall, calque_wall, one_wall, two_wall = min(plain_runs), min(calque_runs), min(one_runs), min(two_runs)
    print(f"overhead {calque_wall / plain_wall:.3f}x  speed-up {one_wall / two_wall:.2f}x", flush=True)
    load_after = os.getloadavg()

    lines = [
        "# Fidelity benchmark",
        "",
        f"Command: `python benchmarks/fidelity_bench.py --segments {args.segments}`  ",
        f"Data: {description}.  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared with other work; 1-minute load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after), Python {platform.python_version()}, sacrebleu {sacrebleu.__version__}.",
        "",
        "| measurement | plain sacrebleu | Calque | ratio |",
        "|---|---|---|---|",
        f"| corpus BLEU+chrF+TER, {args.segments:,} segments (wall s) | {plain_wall:.1f} | {calque_wall:.1f} | {calque_wall / plain_wall:.3f}× |",
        "",
        "| measurement | 1 worker | 2 workers | speed-up |",
        "|---|---|---|---|",
        f"| segment-level BLEU+chrF+TER, {args.segments:,} segments (wall s) | {one_wall:.1f} | {two_wall:.1f} | {one_wall / two_wall:.2f}× |",
        "",
        f"Scores are identical between sacrebleu and Calque (BLEU {plain_scores[0]:.4f}, chrF {plain_scores[1]:.4f}, "
        f"TER {plain_scores[2]:.4f}) and the segment scores are identical for 1 and 2 workers (asserted by the script).",
        f"Fastest of {args.repeats} interleaved runs; all runs (s): sacrebleu {_runs(plain_runs)}, Calque {_runs(calque_runs)}, "
        f"1 worker {_runs(one_runs)}, 2 workers {_runs(two_runs)}.",
        "CPU seconds of each run (this process plus its workers; wall ≫ CPU means the CPUs were busy with other work): "
        + "; ".join(f"{name} {_runs(values)}" for name, values in cpu.items()) + ".",
        "Calque's overhead is hashing the inputs (sha256) and building result records; the sufficient statistics",
        "are sacrebleu's own. Targets: overhead ≤ 1.10×, 2-worker speed-up ≥ 1.6×.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
