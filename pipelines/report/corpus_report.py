"""The report of a corpus: its machine translations against its human translations, MQM, check findings
and terminology (pipelines.bench.corpus_bench), its human evaluation campaigns and its stored metric
meta-evaluations, written as one HTML file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.bench.corpus_bench import bench_corpus
from pipelines.bench.run import BenchConfig
from pipelines.campaign.report import campaign_summaries
from pipelines.metaeval.run import stored_reports
from pipelines.report.page import write_report


def corpus_report(corpus, out: str | Path, config: BenchConfig | None = None, title: str | None = None,
                  store: bool = False) -> tuple[Path, dict[str, Any]]:
    """Write the report to `out`; with store=True the scores also go to the corpus results table."""
    result = bench_corpus(corpus, config, title)
    result["campaigns"] = campaign_summaries(corpus)
    result["meta_eval"] = stored_reports(corpus)
    if store and result["metric_info"]:
        from pipelines.bench.run import store_results

        store_results(corpus, result)
    path = write_report(result, out)
    result["report"] = str(path)
    return path, result
