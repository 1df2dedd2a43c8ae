"""Executor.reduce: per group, the shards' results combined in shard order (a combine that is associative but not
commutative shows it), finished, and keyed by group in the order groups first appear; on Dask through a tree of
combine tasks with few shards in flight, with the same answer."""
from __future__ import annotations

import pytest

from pipelines.execution import DaskExecutor, InProcessExecutor, executors

SHARDS = [(group, number) for number in range(23) for group in ("b", "a", "c") if not (group == "c" and number > 4)]


def label(shard: tuple[str, int]) -> str:
    return f"{shard[0]}{shard[1]}."


def join(parts: list[str]) -> str:
    return "".join(parts)


def bracket(text: str) -> str:
    return f"[{text}]"


def group_of(shard: tuple[str, int]) -> str:
    return shard[0]


def expected() -> dict[str, str]:
    return {g: "[" + "".join(f"{g}{n}." for gg, n in SHARDS if gg == g) + "]" for g in ("b", "a", "c")}


def test_in_process_folds_each_group_in_order():
    result = InProcessExecutor(progress=False).reduce(label, SHARDS, group=group_of, combine=join, finish=bracket)
    assert result == expected() and list(result) == ["b", "a", "c"]


def test_dask_reduces_on_the_workers_in_a_tree_with_few_shards_in_flight(monkeypatch):
    from distributed import Client, LocalCluster

    monkeypatch.setattr(executors, "FAN_IN", 3)  # 23 shards: a tree three levels deep
    monkeypatch.setattr(executors, "MAX_IN_FLIGHT", 5)  # fewer than a group: one group at a time
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        executor = DaskExecutor(client, progress=False)
        result = executor.reduce(label, SHARDS, group=group_of, combine=join, finish=bracket)
        assert result == expected() and list(result) == ["b", "a", "c"]
        assert executor.reduce(label, SHARDS, group=group_of, combine=join) == {g: v[1:-1] for g, v in expected().items()}
        with pytest.raises(ZeroDivisionError):
            executor.reduce(label, SHARDS, group=group_of, combine=join, finish=lambda text: 1 / 0)
        assert not client.futures  # nothing left held on the workers
