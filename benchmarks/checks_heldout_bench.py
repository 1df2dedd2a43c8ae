"""Artifact checks on a held-out set of hand-written pairs with gold findings (English into de, es, fr, ru, zh, ar).

The set, `benchmarks/data/checks_heldout.jsonl`, holds 170 English→target pairs written for this benchmark
(none comes from the demo corpus or a test): clean translations, institution names translated as they should
be, partly and wholly untranslated segments, segments in a third language, known calques of the catalogue
`benchmarks/data/checks_heldout_catalogue.jsonl`, number errors, dropped and altered names, truncations and
doubled words. Each pair has a `split`: `dev` (looked at while the checks were changed) or `test` (scored
only at the end; see `benchmarks/checks_heldout.md`).

The pairs of one language pair are checked as one document, one segment per pair (as `calque check -s SRC -t
TGT` checks a file). Scoring is one finding per gold annotation: a finding is correct when it overlaps a gold annotation of its own
artifact type (a catalogue entry's type, `calque` for calque candidates) that no earlier finding has claimed, so
a problem reported twice counts once right and once wrong, and a wrong-language finding does not answer a
partly untranslated segment (`pipelines.checks.score`, `one_per_annotation=True, related=False`).

    python benchmarks/checks_heldout_bench.py                       # the dev split, with every error listed
    python benchmarks/checks_heldout_bench.py --split test --report benchmarks/checks_heldout.md
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.checks import load_catalogue, run_checks  # noqa: E402
from pipelines.checks.score import Span, detectable_types, match, score  # noqa: E402

DATA = REPO / "benchmarks" / "data" / "checks_heldout.jsonl"
CATALOGUE = REPO / "benchmarks" / "data" / "checks_heldout_catalogue.jsonl"
SPLITS = ("dev", "test", "all")


def read_pairs(path: Path = DATA) -> list[dict]:
    pairs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for pair in pairs:
        if pair.get("split") not in ("dev", "test"):
            raise SystemExit(f"{path}: pair {pair.get('id')!r} has no dev/test split")
    return pairs


def gold_spans(pair: dict) -> list[Span]:
    """Gold annotations as spans: `text` located in the target (None: the whole segment)."""
    target = pair["target"]
    spans = []
    for gold in pair["gold"]:
        if gold["text"] is None:
            start, end = len(target) - len(target.lstrip()), len(target.rstrip())
        else:
            start = target.find(gold["text"])
            if start < 0:
                raise SystemExit(f"{pair['id']}: gold text {gold['text']!r} is not in the target")
            end = start + len(gold["text"])
        spans.append(Span((pair["id"], 0), start, end, gold["type"]))
    return spans


def evaluate(pairs: list[dict], catalogue) -> tuple[dict, list[tuple[dict, object]], list[Span]]:
    """The score of the checks on these pairs, with every finding (pair, Finding) and every gold span."""
    found: list[tuple[dict, object]] = []
    gold = [span for pair in pairs for span in gold_spans(pair)]
    documents: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for pair in pairs:
        documents[pair["src_lang"], pair["tgt_lang"]].append(pair)
    for (src_lang, tgt_lang), members in documents.items():
        findings = run_checks([p["source"] for p in members], [p["target"] for p in members], src_lang, tgt_lang,
                              catalogue=catalogue)
        found += [(members[f.segment], f) for f in findings]
    detectable = detectable_types(e.type for e in catalogue)
    return score(_spans(found), gold, detectable, one_per_annotation=True, related=False), found, gold


def _spans(found: list[tuple[dict, object]]) -> list[Span]:
    return [Span((pair["id"], 0), f.start, f.end, f.artifact_type, f.type) for pair, f in found]


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _row(label: str, report: dict) -> str:
    o = report["overall"]
    return (f"| {label} | {o['findings']} | {o['true_positive_findings']} | {_pct(o['precision'])} | {o['human_annotations']} "
            f"| {round((o['recall_all'] or 0) * o['human_annotations'])} | {_pct(o['recall_all'])} |")


def errors(pairs: list[dict], found: list[tuple[dict, object]], gold: list[Span]) -> tuple[list[str], list[str]]:
    """False alarms and duplicates (findings not credited) and misses (gold annotations no finding is credited with)."""
    hits, _ = match(_spans(found), gold, one_per_annotation=True, related=False)
    credited = set().union(*hits) if hits else set()
    false_alarms = [f"`{pair['id']}` {f.check}: *{f.text}* — {f.message}" for (pair, f), hit in zip(found, hits) if not hit]
    by_id = {pair["id"]: pair for pair in pairs}
    misses = [f"`{g.key[0]}` {g.artifact_type}: *{by_id[g.key[0]]['target'][g.start:g.end]}*"
              for n, g in enumerate(gold) if n not in credited]
    return false_alarms, misses


def report_lines(split: str, pairs: list[dict], catalogue) -> list[str]:
    chosen = [p for p in pairs if split == "all" or p["split"] == split]
    overall, found, gold = evaluate(chosen, catalogue)
    header = ["| | findings | correct | precision % | gold | found | recall % |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines = [f"## Split `{split}`: {len(chosen)} pairs, {len(gold)} gold annotations", "", *header, _row("**all**", overall)]
    for lang in sorted({p["tgt_lang"] for p in chosen}):
        lines.append(_row(f"en→{lang}", evaluate([p for p in chosen if p["tgt_lang"] == lang], catalogue)[0]))
    lines += ["", "By kind of pair (what the pair was written to test):", "", *header]
    for kind in sorted({p["kind"] for p in chosen}):
        lines.append(_row(kind, evaluate([p for p in chosen if p["kind"] == kind], catalogue)[0]))
    lines += ["", "| check | findings | correct | precision % |", "|---|---:|---:|---:|"]
    for name, row in overall["by_check"].items():
        lines.append(f"| {name} | {row['findings']} | {row['true_positive_findings']} | {_pct(row['precision'])} |")
    false_alarms, misses = errors(chosen, found, gold)
    lines += ["", f"False alarms and duplicates ({len(false_alarms)}):", ""] + [f"- {e}" for e in false_alarms]
    lines += ["", f"Misses ({len(misses)}):", ""] + [f"- {e}" for e in misses] + [""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--report", type=Path, help="write the Markdown report here")
    args = parser.parse_args()
    pairs = read_pairs()
    catalogue = load_catalogue(CATALOGUE)
    lines = report_lines(args.split, pairs, catalogue)
    text = "\n".join(lines)
    if args.report:
        args.report.write_text(text + "\n", "utf-8")
    print(text)


if __name__ == "__main__":
    main()
