"""Benchmark: publish and verify a release of a 1M-segment corpus.

Builds a corpus from two synthetic line-aligned files of N lines each (N source + N target segments,
N confirmed 1-1 links), then times, each in a fresh process with its peak RSS:
  release create (Parquet snapshot, card, changelog, TMX + Moses exports, checksums),
  release verify (every byte against SHA256SUMS), verify --content (content hashes recomputed too),
  and a row-level diff of the release against the working corpus after one annotation is added.

    .venv/bin/python benchmarks/release_bench.py --lines 500000 --workdir /tmp/calque-release-bench --markdown benchmarks/release.md
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS_EN = "the council said camera watchdog report new data city police system public privacy office minister plan week year people".split()
WORDS_DE = "der rat sagte kamera aufsicht bericht neue daten stadt polizei system öffentlich datenschutz amt minister plan woche jahr leute".split()


def synthetic_lines(path: Path, words: list[str], lines: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as stream:
        for i in range(lines):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24)))
            stream.write(f"{sentence.capitalize()} {i}.\n")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def step(argv: list[str]) -> dict:
    """Run one measured step in this (fresh) process; prints a JSON line."""
    sys.path.insert(0, str(REPO))
    from corpus import Corpus
    from corpus.releases import Releases

    action, directory = argv[0], Path(argv[1])
    started, cpu_started = time.perf_counter(), cpu_seconds()
    result: dict = {}
    if action == "build":
        corpus = Corpus.init(directory, actor="bench")
        corpus.import_parallel(str(directory.parent / "src.en"), str(directory.parent / "tgt.de"), "en", "de",
                               document_ids_path=str(directory.parent / "docids"), progress=False)
        result = corpus.stats()
        result = {k: result[k] for k in ("documents", "segments", "alignments")}
    elif action == "create":
        manifest = Releases(Corpus.open(directory, actor="bench")).create(argv[2], notes="benchmark release")
        sizes = {name: info["bytes"] for name, info in manifest["files"].items()}
        result = {"rows": {n: t["rows"] for n, t in manifest["tables"].items()}, "bytes": sum(sizes.values()), "files": len(sizes),
                  "parquet_bytes": sum(v for k, v in sizes.items() if k.endswith(".parquet"))}
    elif action in ("verify", "verify-content"):
        report = Releases(Corpus.open(directory)).verify(argv[2], content=action == "verify-content")
        assert report["ok"], report["problems"]
        result = {"ok": report["ok"]}
    elif action == "diff":
        corpus = Corpus.open(directory, actor="bench")
        segment = corpus.segments(translation_id=corpus.translations().id.iloc[0]).iloc[0]
        corpus.add_annotations([{"translation": segment.translation_id, "segment": int(segment.idx), "start": 0, "end": 3,
                                 "category": "Accuracy/Mistranslation", "severity": "Minor"}])
        diff = Releases(corpus).diff(argv[2], "WORKING", limit=10)
        result = {"summary": diff["summary"], "annotations": diff["tables"]["annotations"]["counts"]}
    result.update({"step": action, "seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(cpu_seconds() - cpu_started, 2),
                   "peak_rss_mib": round(peak_rss_mib()),
                   "load_average": round(os.getloadavg()[0], 1)})
    print(json.dumps(result))
    return result


def measured(workdir: Path, *args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"})
    if output.returncode != 0:
        sys.exit(f"step {args[0]} failed:\n{output.stderr}")
    result = json.loads(output.stdout.strip().splitlines()[-1])
    print(f"  {result['step']:<15} {result['seconds']:>7.2f} s  cpu {result['cpu_seconds']:>7.2f} s   peak RSS {result['peak_rss_mib']:>6} MiB   load {result['load_average']}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500_000, help="lines per side (segments = 2 x lines)")
    parser.add_argument("--documents", type=int, default=500, help="documents the lines are spread over")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/calque-release-bench"))
    parser.add_argument("--keep", action="store_true", help="reuse a corpus already built in workdir")
    parser.add_argument("--markdown", type=Path, help="write the figures to this Markdown file")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        step(options.step)
        return
    corpus_dir = options.workdir / "corpus"
    results = {}
    if not (options.keep and corpus_dir.exists()):
        shutil.rmtree(options.workdir, ignore_errors=True)
        options.workdir.mkdir(parents=True)
        synthetic_lines(options.workdir / "src.en", WORDS_EN, options.lines, 1)
        synthetic_lines(options.workdir / "tgt.de", WORDS_DE, options.lines, 2)
        per_document = max(1, options.lines // options.documents)
        (options.workdir / "docids").write_text("".join(f"doc-{i // per_document:05d}\n" for i in range(options.lines)))
        print(f"building a corpus of {2 * options.lines:,} segments in {corpus_dir}", flush=True)
        results["build"] = measured(options.workdir, "build", str(corpus_dir))
    else:
        shutil.rmtree(corpus_dir / "releases", ignore_errors=True)
    results["create"] = measured(options.workdir, "create", str(corpus_dir), "1.0.0")
    results["verify"] = measured(options.workdir, "verify", str(corpus_dir), "1.0.0")
    results["verify_content"] = measured(options.workdir, "verify-content", str(corpus_dir), "1.0.0")
    results["diff"] = measured(options.workdir, "diff", str(corpus_dir), "1.0.0")
    if options.markdown:
        write_markdown(options, results)
    print(json.dumps(results, indent=2))


def write_markdown(options, results: dict) -> None:
    create = results["create"]
    rows = create["rows"]
    lines = [
        "# Release benchmark",
        "",
        f"Command: `.venv/bin/python benchmarks/release_bench.py --lines {options.lines} --documents {options.documents} --markdown {options.markdown}`",
        "",
        f"Corpus: {rows['segments']:,} segments ({options.lines:,} synthetic English lines and their {options.lines:,} German lines, "
        f"{rows['documents']:,} documents), {rows['alignments']:,} confirmed 1-1 links, built with `Corpus.import_parallel`.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work, Python {platform.python_version()}, SQLite corpus.",
        "Each step runs in a fresh process; peak RSS is that process's maximum resident set. CPU seconds are the process's",
        "own user + system time: on a 2-core machine that other jobs kept busy (the load average column), they show what",
        "the step costs better than the wall clock does.",
        "",
        "| step | wall seconds | CPU seconds | peak RSS (MiB) | 1-min load average after | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    targets = {"create": "≤ 60 s", "verify": "≤ 30 s", "verify_content": "", "diff": "", "build": ""}
    labels = {"build": "build corpus (import_parallel)", "create": "`release create 1.0.0`", "verify": "`release verify 1.0.0`",
              "verify_content": "`release verify 1.0.0 --content`", "diff": "add 1 annotation + `release diff 1.0.0 WORKING`"}
    for key in ("build", "create", "verify", "verify_content", "diff"):
        if key in results:
            r = results[key]
            lines.append(f"| {labels[key]} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mib']:,} | {r['load_average']} | {targets[key]} |")
    lines += [
        "",
        f"Release size: {create['bytes'] / 2**20:.1f} MiB in {create['files']} files, of which Parquet {create['parquet_bytes'] / 2**20:.1f} MiB.",
        f"Diff found: {results['diff']['summary']} (annotations {results['diff']['annotations']}).",
        "",
    ]
    options.markdown.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
