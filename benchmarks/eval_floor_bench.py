"""`calque eval` against its floor, the sacrebleu CLI, on the same files and metrics: CPU time (user + system of
the process, start-up and imports included) of each, several runs interleaved, median.

    sacrebleu REF -i SYS1 … SYS6 -m bleu chrf ter -l en-de
    calque eval -r REF -t SYS1 … SYS6 -m bleu,chrf,ter --langs en-de --json

on the six WMT22 en-de systems against reference A (../shared/data/wmt22_ende). Both print every system's BLEU,
chrF2 and TER; the script checks that the figures agree (to the one decimal sacrebleu prints). CPU time does not
depend much on what else runs on the machine; wall time does, and is not reported as a figure.

    python benchmarks/eval_floor_bench.py --runs 5 --report benchmarks/eval_floor.md
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WMT = REPO.parent / "shared" / "data" / "wmt22_ende"
SET = "generaltest2022.en-de"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def commands(folder: Path) -> dict[str, list[str]]:
    ref = str(folder / "references" / f"{SET}.ref.A.de")
    systems = [str(p) for p in sorted((folder / "system-outputs").glob(f"{SET}.hyp.*.de"))]
    bin_dir = Path(sys.executable).parent
    sacrebleu = str(bin_dir / "sacrebleu") if (bin_dir / "sacrebleu").exists() else "sacrebleu"
    return {
        "sacrebleu": [sacrebleu, ref, "-i", *systems, "-m", "bleu", "chrf", "ter", "-l", "en-de"],
        "calque eval": [sys.executable, "-m", "pipelines.cli", "eval", "-r", ref, "-t", *systems, "-m", "bleu,chrf,ter",
                        "--langs", "en-de", "--json"],
    }


def run(command: list[str]) -> tuple[float, str]:
    before = children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return children_cpu() - before, done.stdout


def same_figures(sacrebleu_out: str, calque_out: str) -> bool:
    """sacrebleu prints each system's scores with one decimal; calque's JSON has them at full precision."""
    theirs = {Path(row["system"]).name.split(".hyp.")[1][:-3]: row for row in json.loads(sacrebleu_out)}
    ours = json.loads(calque_out)["results"]
    return all(f"{row['score']:.1f}" == theirs[row['system']][row['name']] for row in ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    if not WMT.is_dir():
        raise SystemExit(f"needs {WMT} (../shared/data/wmt22_ende)")
    load_before = os.getloadavg()
    cpu: dict[str, list[float]] = {name: [] for name in commands(WMT)}
    outputs = {}
    for number in range(args.runs):
        for name, command in commands(WMT).items():
            seconds, outputs[name] = run(command)
            cpu[name].append(seconds)
            print(f"run {number + 1} {name:<12} CPU {seconds:6.2f} s  load {os.getloadavg()[0]:.1f}", flush=True)
    if not same_figures(outputs["sacrebleu"], outputs["calque eval"]):
        raise SystemExit("calque eval and sacrebleu disagree")
    median = {name: statistics.median(values) for name, values in cpu.items()}
    ratio = median["calque eval"] / median["sacrebleu"]
    print(f"median CPU: sacrebleu {median['sacrebleu']:.2f} s, calque eval {median['calque eval']:.2f} s, ratio {ratio:.3f}")
    if args.report:
        args.report.write_text(report(args.runs, cpu, median, ratio, load_before, os.getloadavg()), "utf-8")


def report(runs: int, cpu: dict[str, list[float]], median: dict[str, float], ratio: float, load_before, load_after) -> str:
    names = list(cpu)
    return "\n".join([
        "# `calque eval` at the floor: the sacrebleu CLI",
        "",
        f"`python benchmarks/eval_floor_bench.py --runs {runs} --report benchmarks/eval_floor.md`",
        "",
        "BLEU, chrF and TER of the six WMT22 en→de systems against reference A (2,037 segments each), by the sacrebleu "
        "CLI (`sacrebleu REF -i SYS… -m bleu chrf ter -l en-de`) and by `calque eval -r REF -t SYS… -m bleu,chrf,ter "
        "--langs en-de --json`, each a fresh process (start-up and imports included), runs interleaved; CPU = user + "
        "system seconds of the process. Both gave the same figures (checked to the one decimal sacrebleu prints). "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{', '.join(f'{x:.2f}' for x in load_before)} before, {', '.join(f'{x:.2f}' for x in load_after)} after.",
        "",
        "| run | " + " | ".join(f"{name} CPU s" for name in names) + " |",
        "|---:|" + "---:|" * len(names),
        *(f"| {i + 1} | " + " | ".join(f"{cpu[name][i]:.2f}" for name in names) + " |" for i in range(runs)),
        "| **median** | " + " | ".join(f"**{median[name]:.2f}**" for name in names) + " |",
        "",
        f"`calque eval` costs **{ratio:.3f}×** the CPU of sacrebleu (aim ≤ 1.02×).",
        "",
    ])


if __name__ == "__main__":
    main()
