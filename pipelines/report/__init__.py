"""Self-contained HTML reports of benchmark results (figures as data URIs, inline CSS, no scripts).

    from pipelines.report import write_report, corpus_report
    write_report(run_bench(testset), "wmt22.html")
    corpus_report(corpus, "reports/corpus.html")
"""
from pipelines.report.corpus_report import corpus_report
from pipelines.report.page import render_report, write_report

__all__ = ["corpus_report", "render_report", "write_report"]
