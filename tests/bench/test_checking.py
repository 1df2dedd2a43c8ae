"""Checks over system outputs: document spans, and the same findings with one or two worker processes."""
from __future__ import annotations

from pipelines.bench import load_wmt_testset
from pipelines.bench.checking import document_spans, run_system_checks, summarise_findings


def test_document_spans():
    assert document_spans(45, None, block=20) == [(0, 20), (20, 40), (40, 45)]
    assert document_spans(5, ["a", "a", "b", "c", "c"]) == [(0, 2), (2, 3), (3, 5)]
    assert document_spans(0, None) == []


def test_findings_do_not_depend_on_workers(test_data):
    from pipelines.execution import executor_for

    testset = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    one = run_system_checks(testset.systems, testset.sources, "en", "de", block=3)
    with executor_for(workers=2, progress=False) as executor:
        two = run_system_checks(testset.systems, testset.sources, "en", "de", block=3, executor=executor)
    assert one == two
    # segment numbers are positions in the whole test set, not in the block
    assert {f["segment"] for f in one["broken"]} >= {4, 5}
    summary = summarise_findings(one, {s: 8 for s in one}, ["repetition"])
    assert summary["totals"]["careful"] == 0 and summary["segments_flagged"]["broken"] <= 8
