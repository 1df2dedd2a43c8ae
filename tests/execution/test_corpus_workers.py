"""`calque align --all` and `calque check` with --workers 2 (a local Dask cluster) store the same links
and findings as in process."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from tests.demo_corpus import open_demo

pytestmark = pytest.mark.slow

VOLATILE = {"id", "created", "created_at", "updated", "updated_at", "modified", "time", "timestamp"}


def demo(directory):
    open_demo(directory).close()
    return directory


def run(directory, *arguments: str) -> str:
    result = CliRunner().invoke(main, ["--corpus", str(directory), *arguments])
    assert result.exit_code == 0, result.output
    return result.stdout


def stored(directory, table: str) -> list[dict]:
    corpus = Corpus.open(directory)
    try:
        frame = getattr(corpus, table)()
    finally:
        corpus.close()
    rows = [{k: (list(v) if hasattr(v, "tolist") else v) for k, v in row.items() if k not in VOLATILE}
            for row in frame.to_dict("records")]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))


def test_align_all_and_check_with_two_workers_store_what_in_process_stores(tmp_path):
    here, there = demo(tmp_path / "here"), demo(tmp_path / "there")
    run(here, "align", "--all")
    run(there, "align", "--all", "--workers", "2")
    links = stored(here, "alignments")
    assert len(links) > 40 and links == stored(there, "alignments")

    findings_here = run(here, "check", "--json")
    findings_there = run(there, "check", "--json", "--workers", "2")
    assert findings_here.count("\n") > 20 and findings_here == findings_there
    annotations = stored(here, "annotations")
    assert any(str(row.get("origin", "")).startswith("auto:") for row in annotations)
    assert annotations == stored(there, "annotations")


def test_check_and_align_keep_their_shards_and_resume_from_them(tmp_path, monkeypatch):
    """Each task's findings and links are kept as Parquet; a resumed run computes no task again and stores
    the same rows, and a task whose input changed is computed afresh."""
    from pipelines.align import corpus_align
    from pipelines.align.corpus_align import align_documents
    from pipelines.checks import corpus_run
    from pipelines.checks.corpus_run import run_corpus_checks
    from pipelines.execution import ShardStore
    from tests.execution.test_seam import CountingExecutor

    monkeypatch.setattr(corpus_run, "CHECK_SHARD", 1)  # one translation per task, so tasks can be counted
    monkeypatch.setattr(corpus_align, "ALIGN_SHARD", 1)
    reference = demo(tmp_path / "reference")
    run(reference, "align", "--all")
    expected_links = stored(reference, "alignments")

    directory = demo(tmp_path / "kept")
    corpus = Corpus.open(directory)
    try:
        links_store, findings_store = ShardStore(tmp_path / "align-shards"), ShardStore(tmp_path / "check-shards")
        first = CountingExecutor()
        align_documents(corpus, executor=first, shards=links_store)
        tasks = first.computed
        assert tasks > 5 and len(links_store.keys()) == tasks
        again = CountingExecutor()
        results = align_documents(corpus, executor=again, shards=links_store, resume=True)
        assert again.computed == 0 and sum(r.get("stored", 0) for r in results) > 40

        checked = CountingExecutor()
        fresh = [(t["id"], found) for t, found in run_corpus_checks(corpus, executor=checked, shards=findings_store)]
        assert checked.computed == len(findings_store.keys()) > 5
        assert sum(len(found) for _, found in fresh) > 20
        resumed = CountingExecutor()
        assert [(t["id"], found) for t, found in run_corpus_checks(corpus, executor=resumed, shards=findings_store,
                                                                   resume=True)] == fresh
        assert resumed.computed == 0
        changed = CountingExecutor()
        list(run_corpus_checks(corpus, only=["repetition"], executor=changed, shards=findings_store, resume=True))
        assert changed.computed == checked.computed  # other checks asked for: other keys, nothing reused
    finally:
        corpus.close()
    assert stored(directory, "alignments") == expected_links


def test_check_cli_resumes_from_its_shards(tmp_path):
    directory = demo(tmp_path / "corpus")
    shards = tmp_path / "shards"
    first = run(directory, "check", "--json", "--dry-run", "--shards", str(shards))
    assert first.count("\n") > 20 and list(shards.glob("check-*.parquet"))
    assert run(directory, "check", "--json", "--dry-run", "--shards", str(shards), "--resume") == first
    result = CliRunner().invoke(main, ["--corpus", str(directory), "check", "--resume"])
    assert result.exit_code != 0 and "--resume needs --shards" in result.output
