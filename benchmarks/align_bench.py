"""Sentence-alignment benchmark: quality on Text+Berg de–fr and ParIce en–is, speed on synthetic pairs.

    .venv/bin/python benchmarks/align_bench.py                # everything, writes benchmarks/align.md
    .venv/bin/python benchmarks/align_bench.py --quick        # Text+Berg test only, no synthetic 20k

Every measurement runs in a fresh Python process, so seconds include loading the encoder and peak
RSS is that process's own maximum resident set. Quality follows Sennrich & Volk (strict/lax,
counts pooled over the documents of a set). Parameters were tuned on the Text+Berg dev document only.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data" / "alignment"
REPORT = REPO / "benchmarks" / "align.md"

# (label, method, options) — the first block is what users get; the others are ablations.
CONFIGS = [
    ("length (Gale–Church)", "length", {}),
    ("lexical", "lexical", {}),
    ("lexical, no self-training", "lexical", {"self_train": False}),
    ("auto", "auto", {}),
    ("embedding, Vecalign-style (no anchors, no length, no self-training)", "embedding",
     {"anchor_weight": 0.0, "length_weight": 0.0, "self_train": False, "skip_quantile": 0.2}),
    ("embedding, overlaps re-encoded (concat)", "embedding", {"overlap": "concat"}),
    ("embedding, overlaps as summed sentence vectors", "embedding", {"overlap": "sum"}),
]

ANCHORS = [
    ("Gale–Church", "0.686", "0.799", "measured on a 2-core machine"),
    ("hunalign, no dictionary", "0.751", "0.868", "measured on a 2-core machine"),
    ("Bleualign with 2010 MT", "0.807", "0.948", "measured on a 2-core machine"),
    ("Vecalign + bundled multilingual encoder", "0.878", "0.978", "measured on a 2-core machine"),
    ("Vecalign + LASER", "0.902", "0.986", "published"),
    ("Bertalign + LaBSE (1.8 GB hub model)", "0.936", "0.989", "published"),
]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_quality(dataset: str, split: str, method: str, options: dict) -> dict:
    from pipelines.align import evaluate, get_aligner
    from pipelines.align.goldsets import parice, textberg
    from pipelines.align.signature import content_hash

    pairs = textberg(SHARED / "textberg_de-fr", split) if dataset == "textberg" else parice(SHARED / "parice_en-is")
    wall, cpu = time.perf_counter(), time.process_time()
    hypotheses, resolved, signature = [], None, None
    for pair in pairs:
        aligner = get_aligner(method, pair.src_lang, pair.tgt_lang, **options)
        hypotheses.append(aligner.align(pair.src, pair.tgt, pair.src_lang, pair.tgt_lang))
        resolved, signature = aligner.name, signature or aligner.signature()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    scores = evaluate([p.gold for p in pairs], hypotheses)
    return {"scores": scores, "seconds": wall, "cpu_seconds": cpu, "peak_rss_mib": _peak_rss_mib(),
            "resolved": resolved, "signature": signature, "documents": len(pairs),
            "data_sha256": content_hash(text for p in pairs for text in (p.src, p.tgt)),
            "sentences": sum(len(p.src) + len(p.tgt) for p in pairs)}


def run_speed(n_sentences: int, method: str, options: dict) -> dict:
    from pipelines.align import align, evaluate
    from pipelines.align.synthetic import synthetic_pair

    src, tgt, gold = synthetic_pair(n_sentences, seed=0)
    wall, cpu = time.perf_counter(), time.process_time()
    beads = align(src, tgt, "de", "fr", method=method, **options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"seconds": wall, "cpu_seconds": cpu, "peak_rss_mib": _peak_rss_mib(), "src": len(src), "tgt": len(tgt),
            "strict_f1": evaluate([gold], [beads])["strict"]["f1"]}


def in_fresh_process(job: dict) -> dict:
    command = [sys.executable, __file__, "--job", json.dumps(job)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    if result.returncode != 0:
        raise RuntimeError(f"job {job} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def quality_table(title: str, rows: list[tuple[str, dict]]) -> list[str]:
    lines = [f"### {title}", "", f"Data: {rows[0][1]['sentences']:,} sentences, sha256 `{rows[0][1]['data_sha256'][:16]}` "
             "(all sentences of the set, in order).", "",
             "| method | runs as | strict P | strict R | strict F1 | lax F1 | seconds | CPU s | peak RSS MiB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, r in rows:
        s, lax = r["scores"]["strict"], r["scores"]["lax"]
        lines.append(f"| {label} | {r['resolved']} | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** | "
                     f"{lax['f1']:.3f} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mib']:.0f} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="Text+Berg test only, synthetic 2,000 only.")
    parser.add_argument("--repeats", type=int, default=2, help="Synthetic speed runs per size (the fastest counts).")
    parser.add_argument("--output", type=Path, default=REPORT)
    args = parser.parse_args()

    if args.job:
        job = json.loads(args.job)
        if job["kind"] == "quality":
            print(json.dumps(run_quality(job["dataset"], job["split"], job["method"], job["options"])))
        else:
            print(json.dumps(run_speed(job["n"], job["method"], job["options"])))
        return

    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is missing: the benchmark needs ../shared/data/alignment")
    started, load_before = datetime.now(timezone.utc), load()
    sections: dict[str, list[tuple[str, dict]]] = {}
    datasets = [("Text+Berg de–fr test (7 documents, 916 gold beads)", "textberg", "test")]
    if not args.quick:
        datasets += [("Text+Berg de–fr dev (1 document, the tuning set)", "textberg", "dev"),
                     ("ParIce en–is (10 documents, 549 gold beads)", "parice", "test")]
    for title, dataset, split in datasets:
        configs = CONFIGS if dataset == "textberg" and split == "test" else CONFIGS[:4]
        rows = []
        for label, method, options in configs:
            result = in_fresh_process({"kind": "quality", "dataset": dataset, "split": split, "method": method, "options": options})
            print(f"{title[:24]:24s} {label[:48]:48s} strict F1 {result['scores']['strict']['f1']:.3f} "
                  f"lax {result['scores']['lax']['f1']:.3f} {result['seconds']:.1f}s {result['peak_rss_mib']:.0f} MiB", flush=True)
            rows.append((label, result))
        sections[title] = rows

    speed = {}
    for n in ([2000] if args.quick else [2000, 20000]):
        runs = [in_fresh_process({"kind": "speed", "n": n, "method": "lexical", "options": {}}) for _ in range(args.repeats)]
        speed[n] = min(runs, key=lambda r: r["seconds"])
        speed[n]["cpu_seconds"] = min(r["cpu_seconds"] for r in runs)
        print(f"synthetic {n}: {speed[n]['seconds']:.2f}s wall, {speed[n]['cpu_seconds']:.2f}s CPU, "
              f"{speed[n]['peak_rss_mib']:.0f} MiB, strict F1 {speed[n]['strict_f1']:.3f}", flush=True)

    lines = ["# Sentence alignment benchmark", "",
             f"Run {started:%Y-%m-%d %H:%M} UTC by `benchmarks/align_bench.py` on {platform.machine()}, "
             f"{os.cpu_count()} CPU cores, Python {platform.python_version()}; load average before / after: "
             f"{load_before} → {load()} (other jobs shared the cores, so wall seconds are pessimistic; CPU seconds "
             "count this process only).", "",
             "Each row runs in a fresh process: seconds include loading the encoder, peak RSS is the process's "
             "own. Scores: Sennrich & Volk strict/lax precision, recall, F1 with counts pooled over the documents "
             "(`calque align-eval`). All parameters were tuned on the Text+Berg **dev** document only.", ""]
    for title, rows in sections.items():
        lines += quality_table(title, rows)
    lines += ["### Anchors on Text+Berg de–fr test (strict / lax F1)", "", "| method | strict F1 | lax F1 | source |",
              "|---|---|---|---|"]
    lines += [f"| {name} | {strict} | {lax} | {source} |" for name, strict, lax, source in ANCHORS]
    ours = dict(sections[datasets[0][0]])
    for label in ("lexical", "auto"):
        s = ours[label]["scores"]
        lines.append(f"| **Calque {label}** | **{s['strict']['f1']:.3f}** | **{s['lax']['f1']:.3f}** | this run |")
    lines += ["", "### Speed: lexical on synthetic pairs", "",
              "| source sentences | target sentences | seconds | CPU s | peak RSS MiB | strict F1 |", "|---|---|---|---|---|---|"]
    for n, r in speed.items():
        lines.append(f"| {r['src']:,} | {r['tgt']:,} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | {r['peak_rss_mib']:.0f} | {r['strict_f1']:.3f} |")
    if 20000 in speed:
        lines += ["", f"20,000 vs 2,000 sentences: ×{speed[20000]['seconds'] / speed[2000]['seconds']:.1f} wall time, "
                      f"×{speed[20000]['cpu_seconds'] / speed[2000]['cpu_seconds']:.1f} CPU time (target: ≤ ×12)."]
    signatures = sorted({r["signature"] for rows in sections.values() for _, r in rows if r["signature"]})
    lines += ["", "### Signatures", "", *[f"- `{s}`" for s in signatures], ""]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
