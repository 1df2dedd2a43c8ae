"""The demo's last word: the report of the demo corpus, written to DIR/reports/demo-report.html."""
from __future__ import annotations

from pathlib import Path

from pipelines.bench.run import BenchConfig
from pipelines.report.corpus_report import corpus_report

DEMO_REPORT = Path("reports") / "demo-report.html"
# The lexical metrics and Calque's learned ones, with and without the reference.
DEMO_METRICS = ["bleu", "chrf", "ter", "learned", "learned-qe"]


def write_demo_report(corpus, workdir: Path) -> str:
    path, result = corpus_report(corpus, Path(workdir) / DEMO_REPORT, BenchConfig(metrics=DEMO_METRICS),
                                 title="Calque demo corpus", store=True)
    systems = len(result["systems"])
    findings = sum((result.get("checks") or {}).get("totals", {}).values())
    return f"report with {systems} systems and {findings} check findings: {path.resolve()}"
