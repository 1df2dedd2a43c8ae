"""Start-up time of the `calque` command line: wall time of short commands in fresh processes.

    python benchmarks/startup_bench.py --runs 7 --report benchmarks/startup.md

Each command runs --runs times through the installed `calque` script (or `python -m pipelines.cli`
where it is not installed); the median and the minimum are reported beside a bare `python -c pass`,
with the load average, since a busy machine inflates every figure. `stats` and `ls` open a scratch
corpus (built once with `calque init` + a small import), so they include SQLAlchemy (and pandas for ls).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = [["--version"], ["--help"], ["check", "--help"], ["bench", "--help"], ["serve", "--help"], ["stats"], ["ls"]]


def calque() -> list[str]:
    script = shutil.which("calque")
    return [script] if script else [sys.executable, "-m", "pipelines.cli"]


def timed(argv: list[str], runs: int, env: dict) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--report", help="write the Markdown report here")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="calque-startup-") as directory:
        corpus = Path(directory) / "corpus"
        env = {**os.environ, "PYTHONPATH": str(REPO), "CALQUE_CORPUS": str(corpus)}
        subprocess.run([*calque(), "init", str(corpus)], check=True, stdout=subprocess.DEVNULL, env=env)
        text = Path(directory) / "a.en.txt"
        text.write_text("One sentence. Another one.\n", "utf-8")
        subprocess.run([*calque(), "import", "text", str(text), "--lang", "en", "--id", "a"], check=True, stdout=subprocess.DEVNULL, env=env)
        rows = [("python -c pass", timed([sys.executable, "-c", "pass"], args.runs, env))]
        for command in COMMANDS:
            rows.append(("calque " + " ".join(command), timed([*calque(), *command], args.runs, env)))
    load_after = os.getloadavg()[0]
    lines = [
        "# `calque` start-up",
        "",
        f"`python benchmarks/startup_bench.py --runs {args.runs}`: wall time of fresh processes, {args.runs} runs each; "
        f"load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores.",
        "",
        "| command | median | min |",
        "|---|---:|---:|",
        *(f"| `{name}` | {statistics.median(t):.2f} s | {min(t):.2f} s |" for name, t in rows),
        "",
        "`--version`, `--help` and every command's `--help` import no pandas, SQLAlchemy, numpy, sacrebleu or pyarrow "
        "(`tests/cli/test_startup.py`); a command loads them when it needs them (`stats`: SQLAlchemy; `ls`: also pandas).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.report:
        Path(args.report).write_text(report, "utf-8")


if __name__ == "__main__":
    main()
