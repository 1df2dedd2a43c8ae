"""Calque candidates (`calque-candidate` check) without a catalogue.

1. Recall and precision on the demo corpus's human calque annotations (the seed is target-only, like the
   text this check is for).
2. False alarms per 100 segments on the WMT22 en→de human references A and B (careful translations: every
   finding there is a false alarm or a real slip), with every finding listed.

    python benchmarks/calque_candidates_bench.py --report benchmarks/calque_candidates.md
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpus import Corpus  # noqa: E402
from pipelines.checks import run_checks  # noqa: E402
from pipelines.checks.corpus_run import corpus_score, run_corpus_checks  # noqa: E402
from pipelines.demo import demo_corpus_file  # noqa: E402
from pipelines.fidelity.textfile import read_segments  # noqa: E402

WMT = REPO.parent / "shared" / "data" / "wmt22_ende"
CHECK = "calque-candidate"


def demo_section() -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        corpus = Corpus.init(Path(directory) / "demo", actor="bench")
        corpus.import_jsonl(str(demo_corpus_file()), progress=False)
        report = corpus_score(corpus, only=[CHECK])
        annotations = corpus.annotations()
        findings = [(t["id"], f.segment, f.start, f.end) for t, fs in run_corpus_checks(corpus, only=[CHECK]) for f in fs]
        corpus.close()
    gold = annotations[(annotations.origin == "human") & (annotations.artifact_type == "calque")
                       & (annotations.side == "target")]
    hyphenated = [g for g in gold.to_dict("records") if "-" in g["text"]]
    hyphenated_found = [g for g in hyphenated if any(
        t == g["translation_id"] and s == g["segment_idx"] and start < g["end"] and g["start"] < end
        for t, s, start, end in findings)]
    calques = report["by_annotated_type"].get("calque", {"human_annotations": 0, "found": 0})
    overall = report["overall"]
    names = sorted(set(annotations[(annotations.origin == "human") & (annotations.artifact_type == "calque")].text))
    return [
        "## 1. Demo corpus: recall on the annotated calques", "",
        "| calque annotations | found | recall | findings | correct (overlap a calque annotation) | precision |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {calques['human_annotations']} | {calques['found']} | {calques['found'] / max(calques['human_annotations'], 1):.1%} "
        f"| {overall['findings']} | {overall['true_positive_findings']} | "
        f"{(overall['precision'] or 0):.1%} |", "",
        f"Of the {len(hyphenated)} calque annotations that are hyphenated compounds (the kind this rule looks for: "
        + ", ".join(sorted({f"*{g['text']}*" for g in hyphenated})) + f"), {len(hyphenated_found)} are found "
        f"({len(hyphenated_found) / max(len(hyphenated), 1):.0%}); missed: "
        + ", ".join(f"*{g['text']}*" for g in hyphenated if g not in hyphenated_found) + ". The other calque annotations "
        "are phrases, closed compounds and false friends, which this rule does not look for.", "",
        "Annotated calques: " + ", ".join(f"*{n}*" for n in names) + ".", "",
    ]


def wmt_section() -> list[str]:
    if not WMT.is_dir():
        return ["## 2. WMT22 en→de references", "", "Skipped: ../shared/data/wmt22_ende is not present.", ""]
    lines = ["## 2. WMT22 en→de human references: false alarms", "",
             "| reference | segments | findings | per 100 segments |", "|---|---:|---:|---:|"]
    listed = []
    for label in ("A", "B"):
        target = read_segments(WMT / "references" / f"generaltest2022.en-de.ref.{label}.de")
        findings = run_checks(None, target, "en", "de", only=[CHECK])
        lines.append(f"| ref {label} | {len(target)} | {len(findings)} | {100 * len(findings) / len(target):.2f} |")
        listed += [f"ref {label} #{f.segment}: *{f.text}*" for f in findings]
    return lines + ["", "Findings: " + ("; ".join(listed) if listed else "none") + ".", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", help="write the Markdown report here")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    text = "\n".join(["# Calque candidates from word frequencies", "",
                      "`python benchmarks/calque_candidates_bench.py --report benchmarks/calque_candidates.md` "
                      f"(load average {load:.1f}). The rule is in `pipelines/checks/calque_candidate.py`; its constants were "
                      "set from the rule's intent, not fitted to either data set.", "",
                      *demo_section(), *wmt_section()])
    if args.report:
        Path(args.report).write_text(text + "\n", "utf-8")
    print(text)


if __name__ == "__main__":
    main()
