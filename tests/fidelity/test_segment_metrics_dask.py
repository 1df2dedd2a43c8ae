"""Segment-level metrics on a real Dask cluster (a `dask scheduler` and two `dask worker` processes on
127.0.0.1): the figures equal the in-process run's, each worker loads a scorer once (not once per task), and
the tiny MetricX / COMET checkpoints (when torch / unbabel-comet are installed) score the same there."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.execution import DaskExecutor
from pipelines.fidelity import ScoringContext, registry, score_many
from pipelines.fidelity.file_lines import FileLines
from pipelines.fidelity.textfile import read_segments
from tests.execution.cluster import Cluster
from tests.fidelity.toy_scorer import toy_metric, worker_loads

pytestmark = [pytest.mark.slow]

COPIES = 250  # 8 lines × 250 = 2000 segments: four shards per system


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Workers with one OpenMP thread each, as Dask's nanny starts them (torch's default of one thread per
    core is very slow for tiny models on a busy machine); this process likewise, for the same arithmetic."""
    saved = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        running = Cluster(2, tmp_path_factory.mktemp("dask-logs"))
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS")
        else:
            os.environ["OMP_NUM_THREADS"] = saved
    yield running
    running.close()


@pytest.fixture
def one_thread():
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def files(tmp_path_factory, tiny):
    """The tiny test set, each file repeated COPIES times."""
    sources, texts = tiny
    out = tmp_path_factory.mktemp("texts")
    paths = {}
    for key, path in sources.items():
        paths[key] = out / path.name
        paths[key].write_text("\n".join(texts[key] * COPIES) + "\n", "utf-8")
    return paths


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(registry._FAMILIES, "toy", (toy_metric, "VARIANT"))


def scored(files, metrics, executor=None, lazy=False, systems=("careful", "literal", "broken")):
    read = FileLines.index if lazy else read_segments
    systems = {name: read(files[name]) for name in systems}
    results = score_many(systems, [read(files["ref"])], metrics, sources=read(files["src"]), segments=True, n_bootstrap=100,
                         context=ScoringContext("en", "de"), executor=executor)
    return {system: {m: r.to_dict() for m, r in by_metric.items()} for system, by_metric in results.items()}


def test_a_toy_scorer_on_the_cluster_equals_in_process_and_loads_once_per_worker(files, cluster, toy):
    expected = scored(files, ["toy:ref", "toy:qe", "chrf"])
    with cluster.client() as client:
        executor = DaskExecutor(client, progress=False)
        assert scored(files, ["toy:ref", "toy:qe", "chrf"], executor, lazy=True) == expected
        loads = client.run(worker_loads)
    # 3 systems × 4 shards = 12 tasks, two scorers (toy:ref, toy:qe): at most one build of each per worker
    assert len(loads) == 2 and all(n <= 2 for n in loads.values()) and sum(loads.values()) >= 2, loads


def test_eval_command_on_the_cluster(files, cluster, toy):
    args = ["eval", "-s", files["src"], "-r", files["ref"], "-t", files["careful"], files["broken"], "--metrics",
            "toy:ref,toy:qe,bleu", "--ci", "100", "--paired-bs", "--n-samples", "100", "--langs", "en-de", "--json"]
    local = CliRunner().invoke(main, [str(a) for a in args])
    remote = CliRunner().invoke(main, [str(a) for a in args + ["--scheduler", cluster.address]])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    ours, theirs = json.loads(local.stdout), json.loads(remote.stdout)
    assert ours["results"] == theirs["results"] and ours["paired_tests"] == theirs["paired_tests"]


def test_metricx_on_the_cluster_equals_in_process(files, cluster, one_thread, tmp_path_factory):
    from tests.fidelity.tiny_models import tiny_metricx

    name = f"metricx:{tiny_metricx(tmp_path_factory.mktemp('mx') / 'metricx-24-tiny')}"
    expected = scored(files, [name], systems=("careful", "broken"))
    with cluster.client() as client:
        assert scored(files, [name], DaskExecutor(client, progress=False), lazy=True, systems=("careful", "broken")) == expected


@pytest.mark.comet
def test_comet_on_the_cluster_equals_in_process(files, cluster, one_thread, tmp_path_factory):
    pytest.importorskip("comet")
    from tests.fidelity.tiny_models import tiny_comet

    name = f"comet:{tiny_comet(tmp_path_factory.mktemp('comet') / 'tiny-comet-da')}"
    expected = scored(files, [name], systems=("careful", "broken"))
    with cluster.client() as client:
        assert scored(files, [name], DaskExecutor(client, progress=False), lazy=True, systems=("careful", "broken")) == expected
