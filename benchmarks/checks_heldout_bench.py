"""Artifact checks on a held-out set of hand-written pairs with gold findings (English into de, es, fr, ru, zh, ar).

The set, `benchmarks/data/checks_heldout.jsonl`, holds 170 English→target pairs written for this benchmark
(none comes from the demo corpus or a test): clean translations, institution names translated as they should
be, partly and wholly untranslated segments, segments in a third language, known calques of the catalogue
`benchmarks/data/checks_heldout_catalogue.jsonl`, number errors, dropped and altered names, truncations and
doubled words. Each pair has a `split`: `dev` (looked at while the checks were changed) or `test` (scored
only at the end; see `benchmarks/checks_heldout.md`).

The pairs of one language pair and split are checked as one document, one segment per pair (as `calque check
-s SRC -t TGT` checks a file). Scoring is one finding per gold annotation: a finding is correct when it overlaps
a gold annotation of its own artifact type (a catalogue entry's type, `calque` for calque candidates) that no
earlier finding has claimed, so a problem reported twice counts once right and once wrong, and a wrong-language
finding does not answer a partly untranslated segment (`pipelines.checks.score`, `one_per_annotation=True,
related=False`). The rows per language and per kind of pair score the same findings, a subset at a time.

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


def check_pairs(pairs: list[dict], catalogue) -> list[tuple[dict, object]]:
    """Every finding of the checks on these pairs, as (pair, Finding)."""
    found: list[tuple[dict, object]] = []
    documents: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for pair in pairs:
        documents[pair["src_lang"], pair["tgt_lang"]].append(pair)
    for (src_lang, tgt_lang), members in documents.items():
        findings = run_checks([p["source"] for p in members], [p["target"] for p in members], src_lang, tgt_lang,
                              catalogue=catalogue)
        found += [(members[f.segment], f) for f in findings]
    return found


def evaluate(pairs: list[dict], found: list[tuple[dict, object]], catalogue) -> tuple[dict, list[tuple[dict, object]], list[Span]]:
    """The score of the findings on these pairs (those of other pairs are left out), the findings and the gold."""
    ids = {pair["id"] for pair in pairs}
    found = [(pair, f) for pair, f in found if pair["id"] in ids]
    gold = [span for pair in pairs for span in gold_spans(pair)]
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
    every = check_pairs(chosen, catalogue)
    overall, found, gold = evaluate(chosen, every, catalogue)
    header = ["| | findings | correct | precision % | gold | found | recall % |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines = [f"## Split `{split}`: {len(chosen)} pairs, {len(gold)} gold annotations", "", *header, _row("**all**", overall)]
    for lang in sorted({p["tgt_lang"] for p in chosen}):
        lines.append(_row(f"en→{lang}", evaluate([p for p in chosen if p["tgt_lang"] == lang], every, catalogue)[0]))
    lines += ["", "By kind of pair (what the pair was written to test):", "", *header]
    for kind in sorted({p["kind"] for p in chosen}):
        lines.append(_row(kind, evaluate([p for p in chosen if p["kind"] == kind], every, catalogue)[0]))
    lines += ["", "| check | findings | correct | precision % |", "|---|---:|---:|---:|"]
    for name, row in overall["by_check"].items():
        lines.append(f"| {name} | {row['findings']} | {row['true_positive_findings']} | {_pct(row['precision'])} |")
    false_alarms, misses = errors(chosen, found, gold)
    lines += ["", f"False alarms and duplicates ({len(false_alarms)}):", ""] + [f"- {e}" for e in false_alarms]
    lines += ["", f"Misses ({len(misses)}):", ""] + [f"- {e}" for e in misses] + [""]
    return lines


PROTOCOL = """# Artifact checks on held-out pairs

`python benchmarks/checks_heldout_bench.py --split test --report benchmarks/checks_heldout.md` (the report holds
both splits). 170 English→target pairs written for issue 20 (`benchmarks/data/checks_heldout.jsonl`, 28–30 per
target language: de, es, fr, ru, zh, ar), English sources in news style written for this set (none from WMT, the
demo or a test), each target a clean translation (institution names translated as a translator would: "Oberster
Gerichtshof", "Organización Mundial de la Salud", "欧盟委员会") or one with known errors and its gold findings: partly
and wholly untranslated segments, a third language, catalogue calques (`checks_heldout_catalogue.jsonl`), a
hyphenated calque not in the catalogue, changed numbers, dropped and altered names, truncations, doubled words.
Scoring: one finding per gold annotation and the finding's own type (see the script's docstring).

**Protocol.** Each pair's split was fixed when the set was written (within each language, the half of the ids
with the lower SHA-256 is `dev`). The checks were changed while looking at the dev split only; the test split
was scored once, blind, when the changes for issue 20 (class 3) were done (commit 2828b2b). Its misses showed
one more family (two-word names opening a sentence were never demanded); the fix for it (commit 8276975) was
checked on the dev split and the WMT22 references, and the test figures after it are no longer held out.
"Before" is the checks of main at 535b0d6, scored the same way.

| split | before issue 20: precision / recall | after: precision / recall |
|---|---:|---:|
| dev (looked at) | 72.5% / 85.3% (29 of 40 findings, 29 of 34 gold) | 96.9% / 91.2% (31 of 32, 31 of 34) |
| test, first and only blind scoring | 73.1% / 82.6% (38 of 52, 38 of 46) | 97.6% / 87.0% (40 of 41, 40 of 46) |
| test after the sentence-initial name fix (not held out) | – | 97.7% / 93.5% (43 of 44, 43 of 46) |

Before issue 20 the test split showed the three reported failures: `Knie-Ruck-Reaktion` reported as known-artifact
and calque-candidate, "Federal Reserve", "Security Council", "Education" reported missing or altered in correct
translations, a half-English Chinese segment reported as wrong-language, and untranslated stretches split into
two or three findings ("am to", "Monday to Friday"). The remaining misses are names in another script (ru, zh:
the names rule covers pairs that share a script) and a Japanese segment in a Chinese translation (py3langid says
`ja` with p≈1.0, but the word splitter runs Han and kana together into one token, so the segment counts as
shorter than three words, and the short-segment rules only look for scripts the target never uses). The
remaining false alarm is the number of a truncated segment (the number is indeed missing; the gold marks only
the truncation). The set was written by the same hand that changed the checks: read the figures as a check of
these families, not as a general precision.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev", help="the split to print (default dev)")
    parser.add_argument("--report", type=Path, help="write the Markdown report (protocol, test and dev splits) here")
    args = parser.parse_args()
    pairs = read_pairs()
    catalogue = load_catalogue(CATALOGUE)
    lines = report_lines(args.split, pairs, catalogue)
    print("\n".join(lines))
    if args.report:
        sections = [PROTOCOL, *report_lines("test", pairs, catalogue), *report_lines("dev", pairs, catalogue)]
        args.report.write_text("\n".join(sections) + "\n", "utf-8")


if __name__ == "__main__":
    main()
