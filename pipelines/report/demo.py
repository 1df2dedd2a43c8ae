"""The demo's last word: the report of the demo corpus, written to DIR/reports/demo-report.html."""
from __future__ import annotations

from pathlib import Path

from pipelines.report.corpus_report import corpus_report

DEMO_REPORT = Path("reports") / "demo-report.html"


def write_demo_report(corpus, workdir: Path) -> str:
    path, result = corpus_report(corpus, Path(workdir) / DEMO_REPORT, title="Calque demo corpus", store=True)
    systems = len(result["systems"])
    findings = sum((result.get("checks") or {}).get("totals", {}).values())
    return f"report with {systems} systems and {findings} check findings: {path.resolve()}"
