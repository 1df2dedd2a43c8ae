"""Kept shards are checked before a resumed run uses them (issue 20, class 9): a truncated, empty or garbage
file, one with rows or a column gone, or another system's shard copied under a shard's name is computed
again with a one-line warning, and the run's figures are those of a fresh run."""
from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.execution import ShardStore
from pipelines.execution.shards import BadShard


def _eval(test_data, *extra: str):
    folder = test_data / "fidelity"
    arguments = ["eval", "-r", str(folder / "ref.de"), "-t", str(folder / "good.de"), str(folder / "poor.de"),
                 "--segments", "--json", *extra]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def _shard_of(shards, system: str):
    """The file of the shard that holds the named system's segments."""
    for path in shards.glob("*.parquet"):
        if ShardStore(shards).header(path.stem)["holds"]["system"] == system:
            return path
    raise AssertionError(f"no shard holds {system}")


def _truncate(path, other):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path, other):
    path.write_bytes(b"")


def _garbage(path, other):
    path.write_bytes(b"PAR1 this is not a parquet file PAR1")


def _rows_missing(path, other):
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 2), path)  # the header travels with the schema


def _rows_missing_header_lost(path, other):
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 2).replace_schema_metadata(None), path)


def _column_dropped(path, other):
    table = pq.read_table(path)
    pq.write_table(table.drop_columns([name for name in table.column_names if name.endswith(":stats")][:1]), path)


def _other_system(path, other):
    shutil.copy(other, path)


DAMAGE = {f.__name__.strip("_"): f for f in (_truncate, _empty, _garbage, _rows_missing, _rows_missing_header_lost, _column_dropped,
                                             _other_system)}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_foreign_shard_is_computed_again_with_a_warning(test_data, tmp_path, damage):
    fresh, _ = _eval(test_data)
    shards = tmp_path / "shards"
    _eval(test_data, "--shards", str(shards))
    good = _shard_of(shards, "good")
    poor = _shard_of(shards, "poor")
    DAMAGE[damage](good, poor)
    resumed, warnings = _eval(test_data, "--shards", str(shards), "--resume")
    assert resumed == fresh
    lines = warnings.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Warning: shard {good} is not usable: ") and "computing it again" in lines[0]
    again, warnings = _eval(test_data, "--shards", str(shards), "--resume")
    assert again == fresh and warnings == ""  # the file was written anew


def test_a_shard_file_records_its_key_and_what_it_holds(tmp_path):
    store = ShardStore(tmp_path)
    store.write("k1", {"segment": [0, 1, 2]}, holds={"system": "A", "segments": [0, 3]})
    assert store.header("k1") == {"key": "k1", "holds": {"system": "A", "segments": [0, 3]}, "rows": 3, "columns": ["segment"]}
    shutil.copy(store.path("k1"), store.path("k2"))
    with pytest.raises(BadShard, match="holds shard 'k1', not the one it is named after"):
        store.read("k2")


def test_check_and_align_recompute_a_damaged_shard(tmp_path, monkeypatch):
    from corpus import Corpus
    from pipelines.align import corpus_align
    from pipelines.align.corpus_align import align_documents
    from pipelines.checks import corpus_run
    from pipelines.checks.corpus_run import run_corpus_checks
    from tests.execution.test_corpus_workers import demo
    from tests.execution.test_seam import CountingExecutor

    monkeypatch.setattr(corpus_run, "CHECK_SHARD", 1)
    monkeypatch.setattr(corpus_align, "ALIGN_SHARD", 1)
    corpus = Corpus.open(demo(tmp_path / "corpus"))
    warned: list[str] = []
    try:
        findings_store = ShardStore(tmp_path / "check-shards", warn=warned.append)
        fresh = [(t["id"], found) for t, found in run_corpus_checks(corpus, executor=CountingExecutor(), shards=findings_store)]
        first, second = sorted(findings_store.directory.glob("*.parquet"))[:2]
        shutil.copy(second, first)  # another task's findings under this task's name
        resumed = CountingExecutor()
        assert [(t["id"], found) for t, found in run_corpus_checks(corpus, executor=resumed, shards=findings_store, resume=True)] == fresh
        assert resumed.computed == 1 and len(warned) == 1 and str(first) in warned[0]

        links_store = ShardStore(tmp_path / "align-shards", warn=warned.append)
        expected = align_documents(corpus, executor=CountingExecutor(), shards=links_store)
        victim = sorted(links_store.directory.glob("*.parquet"))[0]
        victim.write_bytes(victim.read_bytes()[:20])
        resumed = CountingExecutor()
        again = align_documents(corpus, executor=resumed, shards=links_store, resume=True)
        assert [{k: v for k, v in r.items() if k != "removed"} for r in again] == [{k: v for k, v in r.items() if k != "removed"} for r in expected]
        assert resumed.computed == 1 and len(warned) == 2 and str(victim) in warned[1]
    finally:
        corpus.close()
