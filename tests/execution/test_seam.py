"""The execution seam: choosing an executor, shard files written once, and `calque semantic`,
`calque meta-eval`, `calque eval` giving the same output on Dask workers as in process."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.errors import InputError
from pipelines.cli import main
from pipelines.execution import InProcessExecutor, ShardStore, executor_for, shard_bounds
from pipelines.execution.shards import MAX_SHARD_SEGMENTS, shard_size


def test_in_process_is_the_default_and_both_options_at_once_are_refused(monkeypatch):
    monkeypatch.delenv("CALQUE_SCHEDULER", raising=False)
    executor = executor_for()
    assert isinstance(executor, InProcessExecutor)
    assert executor.map(lambda x: x * x, [1, 2, 3]) == [1, 4, 9]
    with pytest.raises(InputError, match="either --scheduler or --workers"):
        executor_for(scheduler="tcp://127.0.0.1:1", workers=2)
    monkeypatch.setenv("CALQUE_SCHEDULER", "tcp://127.0.0.1:1")
    with pytest.raises(InputError, match="either --scheduler or --workers"):
        executor_for(workers=2)  # the environment names a scheduler too


def test_shard_layout_depends_on_the_data_only():
    assert shard_bounds(5, 2) == [(0, 2), (2, 4), (4, 5)]
    assert shard_size(2037) == 500 and shard_size(200_000) == 20_000 <= MAX_SHARD_SEGMENTS
    assert shard_size(10_000_000) == MAX_SHARD_SEGMENTS


def test_shard_files_are_written_whole_and_read_back(tmp_path):
    store = ShardStore(tmp_path / "shards")
    stats = np.arange(12, dtype=np.int64).reshape(4, 3)
    store.write("k1", {"segment": np.arange(4), "bleu:stats": stats, "bleu:score": np.array([1.5, 2.0, 0.0, 3.25])})
    store.write("k1", {"segment": np.arange(4), "bleu:stats": stats, "bleu:score": np.array([1.5, 2.0, 0.0, 3.25])})
    assert store.keys() == ["k1"] and [p.name for p in (tmp_path / "shards").iterdir()] == ["k1.parquet"]
    back = store.read("k1")
    assert back["bleu:stats"].dtype == np.int64 and (back["bleu:stats"] == stats).all()
    assert back["bleu:score"].tolist() == [1.5, 2.0, 0.0, 3.25]


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def cli(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def same_up_to_float32(here, there) -> bool:
    """Equal, numbers up to float32 rounding: the encoder's matrix products round differently with another BLAS
    thread count, and a worker process runs with its own."""
    if isinstance(here, dict):
        return isinstance(there, dict) and here.keys() == there.keys() and all(same_up_to_float32(here[k], there[k]) for k in here)
    if isinstance(here, list):
        return isinstance(there, list) and len(here) == len(there) and all(same_up_to_float32(a, b) for a, b in zip(here, there))
    if isinstance(here, float) and isinstance(there, float):
        return here == pytest.approx(there, rel=1e-6, abs=1e-7)
    return here == there


def test_semantic_on_workers_equals_in_process(scheduler, test_data):
    folder = test_data / "terminology"
    arguments = ["semantic", "-s", str(folder / "src.en"), "-t", str(folder / "hyp.de"), "-r", str(folder / "hyp.de"),
                 "--segments", "--json"]
    here = json.loads(cli(*arguments))
    assert same_up_to_float32(here, json.loads(cli(*arguments, "--scheduler", scheduler)))
    assert len(here["src_hyp"]) == 5


def test_meta_eval_on_workers_equals_in_process(scheduler, test_data):
    arguments = ["meta-eval", "--mqm", str(test_data / "bench" / "tiny_mqm.tsv"), "--langs", "en-de", "--reference", "ref",
                 "-m", "bleu,chrf,ter,embed-sim", "--json"]
    here = json.loads(cli(*arguments))
    assert [row["metric"] for row in here["rows"]] == ["bleu", "chrf", "ter", "embed-sim"]
    assert same_up_to_float32(here, json.loads(cli(*arguments, "--scheduler", scheduler)))


def test_eval_on_workers_with_shards_and_resume(scheduler, test_data, tmp_path):
    folder = test_data / "fidelity"
    arguments = ["eval", "-r", str(folder / "ref.de"), "-t", str(folder / "good.de"), str(folder / "poor.de"),
                 "--segments", "--ci", "100", "--json"]
    here = json.loads(cli(*arguments))
    shards = tmp_path / "shards"
    there = json.loads(cli(*arguments, "--scheduler", scheduler, "--shards", str(shards)))
    assert here == there and len(list(shards.glob("*.parquet"))) == 2  # one shard per system
    assert json.loads(cli(*arguments, "--shards", str(shards), "--resume")) == here
    result = CliRunner().invoke(main, [*arguments, "--resume"])
    assert result.exit_code == 1 and "--resume needs --shards" in result.output


def test_align_files_on_workers_equals_in_process(scheduler, test_data):
    folder = test_data / "align"
    arguments = ["align-files", str(folder / "hut.de"), str(folder / "hut.fr"), "--src-lang", "de", "--tgt-lang", "fr",
                 "-m", "lexical", "--json"]
    here = json.loads(cli(*arguments))
    assert len(here["beads"]) > 5
    assert here == json.loads(cli(*arguments, "--scheduler", scheduler))


class RecordingExecutor(InProcessExecutor):
    """In process, but every task goes through pickle first, as it would to a Dask worker."""

    def __init__(self):
        super().__init__(progress=False)
        self.payloads: list[bytes] = []

    def map(self, function, shards, label=None):
        import pickle

        self.payloads += [pickle.dumps(shard) for shard in shards]
        return super().map(function, [pickle.loads(p) for p in self.payloads[-len(shards):]], label)

    def reduce(self, function, shards, **options):
        import pickle

        self.payloads += [pickle.dumps(shard) for shard in shards]
        return super().reduce(function, [pickle.loads(p) for p in self.payloads[-len(shards):]], **options)


def test_lazy_testset_tasks_carry_no_texts_and_give_the_same_result(test_data):
    from pipelines.bench import BenchConfig, load_wmt_testset, run_bench

    folder = test_data / "bench" / "tiny_wmt"
    config = BenchConfig(n_bootstrap=100, segments=True)
    eager = run_bench(load_wmt_testset(folder, "en-de"), config)
    executor = RecordingExecutor()
    lazy_set = load_wmt_testset(folder, "en-de", lazy=True)
    lazy = run_bench(lazy_set, config, executor=executor)
    for result in (eager, lazy):
        result.pop("timings")
    assert lazy == eager and "checks" in lazy
    texts = [line for lines in (lazy_set.sources, *lazy_set.references.values(), *lazy_set.systems.values())
             for line in lines if len(line) > 8]
    assert len(executor.payloads) > len(lazy_set.systems) and texts  # score shards, then check shards
    assert not [t for t in texts for p in executor.payloads if t.encode("utf-8") in p]


class CountingExecutor(InProcessExecutor):
    """In process, counting the tasks it is given to compute."""

    def __init__(self):
        super().__init__(progress=False)
        self.computed = 0

    def map(self, function, shards, label=None):
        self.computed += len(shards)
        return super().map(function, shards, label)


def _square_rows(numbers: list[int]) -> list[int]:
    return [n * n for n in numbers]


def test_resumable_map_keeps_each_result_and_reads_back_only_matching_keys(tmp_path):
    from pipelines.execution.resumable import content_key, map_resumable

    store = ShardStore(tmp_path / "kept")
    shards = [[1, 2], [3], []]

    def run(shards, resume):
        executor = CountingExecutor()
        results = map_resumable(executor, _square_rows, shards, keys=[content_key("sq", s) for s in shards],
                                encode=lambda r: {"value": r}, decode=lambda store, key, s: [row["value"] for row in store.read_rows(key)],
                                store=store, resume=resume)
        return results, executor.computed

    assert run(shards, resume=False) == ([[1, 4], [9], []], 3)
    assert len(store.keys()) == 3 and not list((tmp_path / "kept").glob(".*"))  # no temp file left behind
    assert run(shards, resume=True) == ([[1, 4], [9], []], 0)
    assert run([[1, 2], [4], []], resume=True) == ([[1, 4], [16], []], 1)  # a changed shard is computed afresh
    assert run(shards, resume=False)[1] == 3  # without --resume every shard is computed again
    assert content_key("sq", [1, 2]) != content_key("sq", [1, 3]) and content_key("sq", [1]).startswith("sq-")


def test_bench_reads_a_release_on_the_workers(scheduler, release):
    from pipelines.bench import load_testset
    from pipelines.fidelity.parquet_lines import ParquetLines

    assert isinstance(load_testset(release, "en-de", lazy=True).sources, ParquetLines)  # what a cluster run hands out
    arguments = ["bench", "--testset", str(release), "--langs", "en-de", "--n-samples", "50", "--no-store", "--json"]
    here = json.loads(cli(*arguments))
    there = json.loads(cli(*arguments, "--scheduler", scheduler))
    assert here.pop("timings") and there.pop("timings")
    assert here == there and len(here["systems"]) == 3
