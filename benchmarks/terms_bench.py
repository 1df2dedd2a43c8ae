"""WMT25 terminology track 1: Calque's term success rate against the official proper-term success rate,
for every en-de and en-es system in ../shared/data, with the default rule and the alternatives.

    python benchmarks/terms_bench.py --report benchmarks/terms.md

Official scores: the `de` and `es` parts of wmt25_track1_ende/track1_score_dict.json.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipelines.fidelity.textfile import read_segment_file
from pipelines.terminology import Matcher, evaluate_terms, read_terms

ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "terminology"
VARIANTS = {  # column: (match mode, count rule)
    "default (wmt25, in-source)": ("wmt25", "in-source"),
    "--match surface": ("surface", "in-source"),
    "--match wmt25 --count all": ("wmt25", "all"),
    "--match surface --count all (before)": ("surface", "all"),
}


def measure(lang: str, root: Path = ROOT) -> tuple[list[dict], str]:
    folder = root / f"wmt25_track1_en{lang}"
    official = json.loads((root / "wmt25_track1_ende" / "track1_score_dict.json").read_text())[lang]["proper"]
    full = folder / f"full_data.en{lang}.jsonl"
    sources, terms = read_segment_file(full, "en"), read_terms(full, "en", lang, key="proper")
    rows, signature = [], ""
    for system in sorted(official, key=str.lower):
        files = sorted(folder.glob(f"submissions/**/{system}.en{lang}.proper.jsonl"))
        if not files:
            continue
        hyps = read_segment_file(files[0], lang)
        row = {"system": system, "official": official[system]["proper_term_success_rate"]}
        for column, (mode, count) in VARIANTS.items():
            report = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang=lang, matcher=Matcher(mode), count=count)
            row[column] = report.success_rate
            row[column + " total"] = report.success["total"]
            if column.startswith("default"):
                signature = report.signature
        rows.append(row)
    return rows, signature


def table(lang: str, rows: list[dict], signature: str) -> list[str]:
    lines = [f"## en-{lang} ({len(rows)} systems)", "", f"Default signature: `{signature}`", "",
             "| system | official | " + " | ".join(VARIANTS) + " |", "|---|---:|" + "---:|" * len(VARIANTS)]
    for row in rows:
        cells = [f"{row[c]:.4f} ({row[c] - row['official']:+.4f})" for c in VARIANTS]
        lines.append(f"| {row['system']} | {row['official']:.4f} | " + " | ".join(cells) + " |")
    worst = [max(abs(row[c] - row["official"]) for row in rows) for c in VARIANTS]
    totals = [sorted({row[c + " total"] for row in rows}) for c in VARIANTS]
    lines.append("| **worst difference** | | " + " | ".join(f"**{w:.4f}**" for w in worst) + " |")
    lines.append("| terms counted | | " + " | ".join("/".join(map(str, t)) for t in totals) + " |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    if not args.root.is_dir():
        raise SystemExit(f"{args.root}: no such folder (../shared/data is needed)")
    lines = ["# WMT25 terminology track 1: term success rate against the official scores", "",
             "`python benchmarks/terms_bench.py --report benchmarks/terms.md`. Proper terms; the official rule counts",
             "a term when its lower-cased surface form or stanza lemma sequence occurs in the source and checks the",
             "target the same way in the hypothesis. Calque's default (`--match wmt25`, `--count in-source`) does the same",
             "with offline lemmatisers (simplemma for en/de/es; pymorphy3 for ru/uk, see `lemmatisers.md`) and",
             "accent-folded matching.", ""]
    for lang in ("de", "es"):
        rows, signature = measure(lang, args.root)
        lines += table(lang, rows, signature)
    text = "\n".join(lines)
    if args.report:
        args.report.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
