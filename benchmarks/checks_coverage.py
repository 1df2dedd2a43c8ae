"""Which rule of each check covers which target language (from the rules' own coverage declarations), with
English as the source language.

    python benchmarks/checks_coverage.py --report benchmarks/checks_coverage.md
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.checks import registered_checks  # noqa: E402

LANGS = ["de", "es", "fr", "ru", "uk", "zh", "ja", "ko", "ar", "hi", "th", "sw"]


def table(source: str = "en", langs: list[str] = LANGS) -> list[str]:
    lines = ["| check / rule | covers | " + " | ".join(langs) + " |", "|---|---|" + "---|" * len(langs)]
    for name, check in registered_checks().items():
        for rule, coverage in check.rules.items():
            cells = ["✓" if coverage.covers(source, lang) else "–" for lang in langs]
            label = name if rule in (name, "all") else f"{name} / {rule}"
            lines.append(f"| {label} | {coverage.description} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report")
    args = parser.parse_args()
    text = "\n".join(["# Check coverage per target language (source: English)", "",
                      "`python benchmarks/checks_coverage.py --report benchmarks/checks_coverage.md`; "
                      "`calque check --json` lists the uncovered rules of a run as `{\"skipped\": …}` lines, "
                      "`calque check --list --json` every rule's coverage.", "", *table(), ""])
    if args.report:
        Path(args.report).write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
