"""`calque align --all` and `calque check` with --workers 2 (a local Dask cluster) store the same links
and findings as in process."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from pipelines.demo import demo_corpus_file

pytestmark = pytest.mark.slow

VOLATILE = {"id", "created", "created_at", "updated", "updated_at", "modified", "time", "timestamp"}


def demo(directory):
    corpus = Corpus.init(directory)
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.close()
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
