"""Acceptance: `calque bench` on a real Dask cluster (a `dask scheduler` and two `dask worker` processes on
127.0.0.1) gives every system's BLEU, chrF and TER, their signatures, CIs and clusters exactly as the
in-process run; a run in which one worker is killed mid-run gives them too."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
from tests.execution.cluster import Cluster, environment, free_port

pytestmark = [pytest.mark.shared, pytest.mark.slow]

CLI = [sys.executable, "-c", "from pipelines.cli import main; main()"]
COMPARED = ("metrics", "metric_info", "significance", "systems", "worst_segments")


@pytest.fixture(scope="module")
def wmt22():
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "wmt22_ende"
    if not folder.is_dir():
        pytest.skip("../shared/data is not present")
    return folder


@pytest.fixture(scope="module")
def in_process(wmt22):
    """The in-process run with the CLI's defaults (checks aside: they are not figures of the metrics)."""
    result = run_bench(load_wmt_testset(wmt22, "en-de"), BenchConfig(checks=False))
    return json.loads(json.dumps(result, default=str))


@pytest.fixture
def cluster(tmp_path):
    running = Cluster(2, tmp_path)
    yield running
    running.close()


def bench(wmt22, address: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "bench", "--testset", str(wmt22), "--langs", "en-de", "--json", "--scheduler", address,
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(), text=True)


def assert_same_figures(output: str, expected: dict) -> None:
    data = json.loads(output)
    for key in COMPARED:
        assert data[key] == expected[key], key
    assert {row["system"] for row in data["systems"]} == set(data["testset"]["systems"]) and len(data["systems"]) == 6


def test_bench_on_a_dask_cluster_equals_in_process(wmt22, in_process, cluster, tmp_path):
    run = bench(wmt22, cluster.address, "--no-store")
    output, errors = run.communicate(timeout=900)
    assert run.returncode == 0, errors
    assert_same_figures(output, in_process)
    assert f"Dask scheduler {cluster.address}" in errors
    assert json.loads(output)["checks"]["segments"]["Online-B"] == 2037


def test_a_worker_killed_mid_run_changes_nothing(wmt22, in_process, cluster):
    run = bench(wmt22, cluster.address, "--no-store", "--no-checks")
    # kill worker w1 while it runs a shard and others wait
    deadline = time.monotonic() + 300
    while not cluster.processing().get("w1"):
        assert run.poll() is None, run.communicate()[1]
        assert time.monotonic() < deadline, "the run never reached worker w1"
        time.sleep(0.2)
    cluster.kill_worker(1)
    assert run.poll() is None, "the run ended before the worker was killed"
    output, errors = run.communicate(timeout=900)
    assert run.returncode == 0, errors
    assert cluster.worker_count() == 1
    assert_same_figures(output, in_process)


def test_an_unreachable_scheduler_is_a_one_line_error(wmt22):
    address = f"tcp://127.0.0.1:{free_port()}"
    run = subprocess.run([*CLI, "bench", "--testset", str(wmt22), "--langs", "en-de", "--scheduler", address],
                         capture_output=True, text=True, env=environment(), timeout=120)
    assert run.returncode == 1
    assert run.stderr.startswith(f"Error: cannot reach the Dask scheduler at {address}")
    assert run.stderr.count("\n") == 1 and run.stdout == ""


def test_workers_read_a_parquet_test_set_and_give_the_same_figures(wmt22, in_process, cluster, tmp_path):
    """The same test set as Parquet parts on storage the workers see: each worker reads its shard's rows."""
    from tests.bench.test_parquet_testset import write_parquet_testset

    parts = write_parquet_testset(load_wmt_testset(wmt22, "en-de"), tmp_path / "generaltest2022.en-de", parts=3, row_group=250)
    run = bench(parts, cluster.address, "--no-store", "--no-checks")
    output, errors = run.communicate(timeout=900)
    assert run.returncode == 0, errors
    assert_same_figures(output, in_process)


def test_sharded_bootstrap_on_the_cluster_gives_the_exact_scores_and_cis_within_tolerance(wmt22, in_process, cluster):
    """--bootstrap sharded: the workers reduce each system to totals and resamples; the client gets no segment's
    statistics. Corpus scores, order, worst segments and check counts are the in-process run's; each CI lies within
    the stated Monte-Carlo tolerance (pipelines.fidelity.resampling.ci_tolerance) of sacrebleu's."""
    from pipelines.bench.checking import system_check_summary
    from pipelines.checks import resolve_checks
    from pipelines.fidelity.resampling import ci_tolerance

    run = bench(wmt22, cluster.address, "--no-store", "--bootstrap", "sharded")
    output, errors = run.communicate(timeout=900)
    assert run.returncode == 0, errors
    data = json.loads(output)
    assert data["worst_segments"] == in_process["worst_segments"]
    exact = {row["system"]: row["scores"] for row in in_process["systems"]}
    for metric, info in data["metric_info"].items():
        assert info["signature"] == in_process["metric_info"][metric]["signature"].replace("|version:", "|draws:sharded|version:")
        assert data["significance"][metric]["order"] == in_process["significance"][metric]["order"]
    for row in data["systems"]:
        for metric, there in row["scores"].items():
            here = exact[row["system"]][metric]
            assert there["score"] == here["score"] and there["data_hash"] == here["data_hash"]
            mean_tolerance, halfwidth_tolerance = ci_tolerance(here["ci"]["halfwidth"], 1000)
            assert abs(there["ci"]["mean"] - here["ci"]["mean"]) < mean_tolerance, (row["system"], metric)
            assert abs(there["ci"]["halfwidth"] - here["ci"]["halfwidth"]) < halfwidth_tolerance, (row["system"], metric)
    testset = load_wmt_testset(wmt22, "en-de")
    checks = system_check_summary(testset.systems, testset.sources, "en", "de", None, resolve_checks(None))
    assert {key: data["checks"][key] for key in checks} == json.loads(json.dumps(checks))
