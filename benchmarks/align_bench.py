"""Sentence-alignment benchmark: quality on Text+Berg de–fr, ParIce en–is and MAC-Dev zh–en, speed on
synthetic pairs, and the bundled encoder's throughput batched vs one sentence at a time.

    .venv/bin/python benchmarks/align_bench.py                # everything, writes benchmarks/align.md
    .venv/bin/python benchmarks/align_bench.py --quick        # Text+Berg test only, no synthetic 20k
    .venv/bin/python benchmarks/align_bench.py --output /tmp/align.md --encoder-sentences 16000

Every measurement runs in a fresh Python process, so seconds include loading the encoder and peak
RSS is that process's own maximum resident set. Quality follows Sennrich & Volk (strict/lax,
counts pooled over the documents of a set). Parameters were tuned on the Text+Berg dev document and
on MAC-Dev (both development sets); Text+Berg test and ParIce are held out.
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
    ("auto, beads up to 3 a side (`--max-bead 3`)", "auto", {"max_bead": 3}),
    ("embedding, Vecalign scoring + anchors + self-training (the previous default)", "embedding",
     {"scoring": "vecalign", "anchor_weight": 0.05, "self_train": True, "skip_quantile": 0.1}),
    ("embedding, Vecalign-style (no anchors, no length, no self-training)", "embedding",
     {"scoring": "vecalign", "anchor_weight": 0.0, "length_weight": 0.0, "self_train": False, "skip_quantile": 0.2}),
    ("embedding, overlaps re-encoded (concat)", "embedding", {"overlap": "concat"}),
    ("embedding, overlaps as summed sentence vectors", "embedding", {"overlap": "sum"}),
]
MAC_CONFIGS = CONFIGS[:7] + [  # without the overlap ablations (Text+Berg test has them)
    ("length, beads up to 3 a side", "length", {"max_bead": 3}),
    ("lexical, beads up to 3 a side", "lexical", {"max_bead": 3}),
    ("lexical, Chinese words by jieba (not bigrams)", "lexical", {"segmenter": "jieba"}),
]

MAC_ANCHORS = [
    ("Gale–Church", "0.485", "0.737", "published"),
    ("Hunalign", "0.610", "0.852", "published"),
    ("Bleualign", "0.641", "0.873", "published"),
    ("Vecalign + bundled multilingual encoder (alignment_max_size 4 / 8)", "0.815 / 0.807", "", "measured (issue 10)"),
    ("Vecalign + LASER", "0.863", "0.997", "published"),
    ("Bertalign + LaBSE", "0.911", "0.998", "published"),
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
    from pipelines.align.goldsets import mac, parice, textberg
    from pipelines.align.signature import content_hash

    pairs = {"textberg": lambda: textberg(SHARED / "textberg_de-fr", split),
             "parice": lambda: parice(SHARED / "parice_en-is"),
             "mac": lambda: mac(SHARED / "mac_zh-en_dev")}[dataset]()
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


def encoder_sentences(count: int) -> list[str]:
    """`count` distinct real sentences: every sentence of the three gold sets, then neighbouring pairs and
    triples joined (the overlaps an aligner embeds)."""
    from pipelines.align.goldsets import mac, parice, textberg

    pairs = (textberg(SHARED / "textberg_de-fr", "test") + textberg(SHARED / "textberg_de-fr", "dev")
             + parice(SHARED / "parice_en-is") + mac(SHARED / "mac_zh-en_dev"))
    texts = [side for p in pairs for side in (p.src, p.tgt)]
    sentences = list(dict.fromkeys(s for text in texts for s in text))
    joined = [f"{a} {b}" for text in texts for a, b in zip(text, text[1:])]
    joined += [f"{a} {b} {c}" for text in texts for a, b, c in zip(text, text[1:], text[2:])]
    return list(dict.fromkeys(sentences + joined))[:count]


def run_encoder(count: int, token_budget: int | None) -> dict:
    """Sentences per second of the bundled encoder on `count` distinct sentences (a fresh cache)."""
    from pipelines.encoders.use import TOKEN_BUDGET, USEEncoder

    sentences = encoder_sentences(count)
    encoder = USEEncoder(token_budget=token_budget or TOKEN_BUDGET)
    encoder._load()
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode(sentences, batch_size=1024)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"sentences": len(sentences), "seconds": wall, "cpu_seconds": cpu, "per_second": len(sentences) / wall,
            "token_budget": encoder.token_budget, "peak_rss_mib": _peak_rss_mib(),
            "checksum": float(abs(vectors).sum())}


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


MAC_TITLE = "MAC-Dev zh–en (6 chapters, 1,343 gold beads, a tuning set)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="Text+Berg test only, synthetic 2,000 only.")
    parser.add_argument("--repeats", type=int, default=2, help="Synthetic speed runs per size (the fastest counts).")
    parser.add_argument("--encoder-sentences", type=int, default=16000,
                        help="Sentences for the encoder throughput figure (0: skip it).")
    parser.add_argument("--output", "--report", type=Path, default=REPORT)
    args = parser.parse_args()

    if args.job:
        job = json.loads(args.job)
        if job["kind"] == "quality":
            print(json.dumps(run_quality(job["dataset"], job["split"], job["method"], job["options"])))
        elif job["kind"] == "encoder":
            print(json.dumps(run_encoder(job["n"], job["token_budget"])))
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
                     ("ParIce en–is (10 documents, 549 gold beads)", "parice", "test"),
                     (MAC_TITLE, "mac", "dev")]
    for title, dataset, split in datasets:
        configs = {("textberg", "test"): CONFIGS, ("mac", "dev"): MAC_CONFIGS}.get((dataset, split), CONFIGS[:4])
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

    encoder = {}
    if args.encoder_sentences:
        for label, budget in (("one sentence per forward pass (before)", 1), ("batched (now)", None)):
            encoder[label] = in_fresh_process({"kind": "encoder", "n": args.encoder_sentences, "token_budget": budget})
            print(f"encoder {label}: {encoder[label]['per_second']:.0f} sentences/s", flush=True)

    lines = ["# Sentence alignment benchmark", "",
             f"Run {started:%Y-%m-%d %H:%M} UTC by `benchmarks/align_bench.py` on {platform.machine()}, "
             f"{os.cpu_count()} CPU cores, Python {platform.python_version()}; load average before / after: "
             f"{load_before} → {load()} (other jobs shared the cores, so wall seconds are pessimistic; CPU seconds "
             "count this process only).", "",
             "Each row runs in a fresh process: seconds include loading the encoder, peak RSS is the process's "
             "own. Scores: Sennrich & Volk strict/lax precision, recall, F1 with counts pooled over the documents "
             "(`calque align-eval`). Parameters were tuned on the development sets only (Text+Berg **dev**, "
             "MAC-Dev); Text+Berg test and ParIce are held out.", ""]
    for title, rows in sections.items():
        lines += quality_table(title, rows)
    lines += ["### Anchors on Text+Berg de–fr test (strict / lax F1)", "", "| method | strict F1 | lax F1 | source |",
              "|---|---|---|---|"]
    lines += [f"| {name} | {strict} | {lax} | {source} |" for name, strict, lax, source in ANCHORS]
    ours = dict(sections[datasets[0][0]])
    for label in ("lexical", "auto"):
        s = ours[label]["scores"]
        lines.append(f"| **Calque {label}** | **{s['strict']['f1']:.3f}** | **{s['lax']['f1']:.3f}** | this run |")
    if MAC_TITLE in sections:
        lines += ["", "### Anchors on MAC-Dev zh–en (strict / lax F1)", "", "| method | strict F1 | lax F1 | source |",
                  "|---|---|---|---|"]
        lines += [f"| {name} | {strict} | {lax} | {source} |" for name, strict, lax, source in MAC_ANCHORS]
        mac_rows = dict(sections[MAC_TITLE])
        for label in ("length (Gale–Church)", "lexical", "auto"):
            s = mac_rows[label]["scores"]
            lines.append(f"| **Calque {label}** | **{s['strict']['f1']:.3f}** | **{s['lax']['f1']:.3f}** | this run |")
    if encoder:
        lines += ["", "### Encoder throughput: bundled USE, distinct real sentences (Text+Berg, ParIce, MAC-Dev; "
                  "then neighbouring pairs and triples joined)", "",
                  "| forward pass | sentences | seconds | CPU s | sentences / s | peak RSS MiB |", "|---|---|---|---|---|---|"]
        for label, r in encoder.items():
            lines.append(f"| {label} | {r['sentences']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
                         f"{r['per_second']:.0f} | {r['peak_rss_mib']:.0f} |")
        before, after = encoder.values()
        lines += ["", f"Batched / one at a time: ×{after['per_second'] / before['per_second']:.1f} sentences per second "
                      "(one BLAS thread in both)."]
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
