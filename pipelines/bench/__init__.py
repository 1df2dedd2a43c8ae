"""Benchmarks: several systems on one test set (WMT text layout, Parquet, or a corpus), scored with sacrebleu metrics
(confidence intervals, significance clusters), checked for artifacts, with terminology and MQM when given.

    from pipelines.bench import BenchConfig, load_wmt_testset, run_bench, format_table
    result = run_bench(load_wmt_testset("wmt22_ende", "en-de"), BenchConfig(metrics=["bleu", "chrf"]))
    print(format_table(result, "markdown"))
"""
from pipelines.bench.clusters import assign_clusters, bootstrap_p_value, pairwise_tests
from pipelines.bench.layouts import load_testset
from pipelines.bench.run import RESULT_KIND, BenchConfig, run_bench, store_results
from pipelines.bench.suite import Suite, load_suite, run_suite
from pipelines.bench.tables import FORMATS, format_table, overview_frame
from pipelines.bench.testset import TestSet, load_wmt_testset

__all__ = [
    "FORMATS", "RESULT_KIND", "BenchConfig", "Suite", "TestSet", "assign_clusters", "bootstrap_p_value",
    "format_table", "load_suite", "load_testset", "load_wmt_testset", "overview_frame", "pairwise_tests", "run_bench", "run_suite",
    "store_results",
]
