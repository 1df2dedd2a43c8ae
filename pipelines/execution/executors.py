"""The executors: one small interface (map a function over shards, results in shard order) and two
implementations, in process and Dask (a local cluster of processes, or a running scheduler).

Dask does the fault handling: a task whose worker dies is re-run on another worker (the scheduler
allows `distributed.scheduler.allowed-failures` retries), so a run's result does not depend on which
worker computed a shard. Shard functions must be pure (same input, same output) for that to hold.
"""
from __future__ import annotations

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Hashable, Sequence

from corpus.errors import CalqueError, InputError

SCHEDULER_ENV = "CALQUE_SCHEDULER"
CONNECT_TIMEOUT_S = 10
FAN_IN = 8  # results per combine task of a reduction tree
MAX_IN_FLIGHT = 2_000  # shards of a reduction submitted and not yet reduced (whole groups: at least one)


class Executor:
    """Maps a function over shards; `workers` is the parallelism shards should be cut for."""

    name = "executor"
    workers = 1
    dashboard: str | None = None

    def map(self, function: Callable[[Any], Any], shards: Sequence[Any], label: str | None = None) -> list[Any]:
        raise NotImplementedError

    def reduce(self, function: Callable[[Any], Any], shards: Sequence[Any], *, group: Callable[[Any], Hashable],
               combine: Callable[[list], Any], finish: Callable[[Any], Any] | None = None,
               label: str | None = None) -> dict[Hashable, Any]:
        """`function` over the shards, and per group (`group(shard)`, computed here) the results combined in
        shard order by `combine` (a list of results -> one; associative), then `finish`ed: only the finished
        results come back, keyed by group in the order groups first appear. All functions must be picklable."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers, "dashboard": self.dashboard}

    def close(self) -> None:
        pass

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _bar(total: int, label: str | None, enabled: bool):
    """A bar on stderr when it is a terminal and progress is wanted; silent otherwise."""
    from tqdm import tqdm

    return tqdm(total=total, desc=label or "shards", unit="shard", disable=not (enabled and sys.stderr.isatty()),
                leave=False, file=sys.stderr)


class InProcessExecutor(Executor):
    """Runs every shard here, in order: the default, and what the distributed runs must equal."""

    name = "in-process"

    def __init__(self, progress: bool = True):
        self.progress = progress

    def map(self, function, shards, label=None):
        results = []
        with _bar(len(shards), label, self.progress) as bar:
            for shard in shards:
                results.append(function(shard))
                bar.update(1)
        return results

    def reduce(self, function, shards, *, group, combine, finish=None, label=None):
        folded: dict[Hashable, Any] = {}
        with _bar(len(shards), label, self.progress) as bar:
            for shard in shards:
                key, result = group(shard), function(shard)
                folded[key] = combine([folded[key], result]) if key in folded else result
                bar.update(1)
        return {key: finish(value) if finish else value for key, value in folded.items()}


class DaskExecutor(Executor):
    """Shards as Dask futures on a `distributed.Client`; a bar advances as futures complete."""

    name = "dask"

    def __init__(self, client, cluster=None, progress: bool = True):
        self.client, self.cluster, self.progress = client, cluster, progress
        self.workers = max(1, sum(client.nthreads().values()))
        self.address = client.scheduler.address
        try:
            self.dashboard = client.dashboard_link
        except Exception:  # no bokeh: no dashboard, nothing else changes
            self.dashboard = None

    def map(self, function, shards, label=None):
        from distributed import as_completed

        if not shards:
            return []
        futures = self.client.map(function, list(shards), pure=False)
        position = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        with _bar(len(futures), label, self.progress) as bar:
            for future in as_completed(futures):
                results[position[future.key]] = future.result()
                future.release()
                bar.update(1)
        return results

    def reduce(self, function, shards, *, group, combine, finish=None, label=None):
        """A tree of `combine` tasks per group on the workers (FAN_IN results each), `finish` at its root; at most
        about MAX_IN_FLIGHT shards are submitted and not yet reduced, so the client holds a bounded number of
        futures and only finished results, however many shards there are."""
        from distributed import as_completed

        groups: dict[Hashable, list[Any]] = {}
        for shard in shards:
            groups.setdefault(group(shard), []).append(shard)
        waiting = iter(groups.items())
        results: dict[Hashable, Any] = {}
        done = as_completed()
        submitted: dict[str, tuple[Hashable, int, Any]] = {}
        in_flight = 0

        def submit_next() -> bool:
            nonlocal in_flight
            key, members = next(waiting, (None, None))
            if members is None:
                return False
            level = self.client.map(function, members, pure=False)
            while len(level) > 1:
                level = [self.client.submit(combine, level[i:i + FAN_IN], pure=False) for i in range(0, len(level), FAN_IN)]
            root = self.client.submit(finish, level[0], pure=False) if finish else level[0]
            submitted[root.key] = (key, len(members), root)
            done.add(root)
            in_flight += len(members)
            return True

        while in_flight < MAX_IN_FLIGHT and submit_next():
            pass
        try:
            with _bar(len(shards), label, self.progress) as bar:
                for root in done:
                    key, size, _ = submitted[root.key]
                    results[key] = root.result()
                    del submitted[root.key]
                    root.release()
                    in_flight -= size
                    bar.update(size)
                    while in_flight < MAX_IN_FLIGHT and submit_next():
                        pass
        except BaseException:  # a failed task: nothing of this reduction stays on the cluster
            done.clear()
            self.client.cancel([root for _, _, root in submitted.values()])
            raise
        return {key: results[key] for key in groups}

    def describe(self):
        return {**super().describe(), "scheduler": self.address}

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _local_cluster(workers: int):
    import dask
    from distributed import Client, LocalCluster

    # one single-threaded process per worker: the metrics and checks are pure Python, so threads would
    # share one interpreter lock; the dashboard is off unless bokeh is installed, and so is the workers'
    # statistical profiler (it samples every task every 10 ms, CPU that a local run does not want to spend)
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=_dashboard_port(), silence_logs=40)
    return Client(cluster), cluster


def _dashboard_port() -> str | None:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return None
    return ":0"


async def _identity(address: str) -> Any:
    """What the service at `address` says it is, asked in Dask's own protocol (handshake included)."""
    from distributed.core import rpc

    async with rpc(address, timeout=CONNECT_TIMEOUT_S) as service:
        return await service.identity()


def _check_scheduler(address: str) -> None:
    """Raise a one-line error unless a Dask scheduler answers at `address` within CONNECT_TIMEOUT_S.

    distributed's own connect bounds the TCP connection but not the handshake after it, so a service that
    accepts and never answers (or an HTTP server, which waits for a request line) would hold Client()
    forever. The question runs on its own event loop in a thread of its own, so that a caller inside a
    running loop (a notebook) is not disturbed."""
    unreachable = f"cannot reach the Dask scheduler at {address}"
    question = asyncio.wait_for(_identity(address), CONNECT_TIMEOUT_S)
    with ThreadPoolExecutor(1) as thread:
        try:
            identity = thread.submit(asyncio.run, question).result()
        except asyncio.TimeoutError:
            raise CalqueError(f"{unreachable}: no answer in Dask's protocol within {CONNECT_TIMEOUT_S} s "
                              "(is a Dask scheduler listening there?)") from None
        except ValueError as problem:  # an address distributed cannot parse
            raise InputError(f"--scheduler {address!r}: {_first_line(problem)}") from None
        except OSError as problem:  # refused, unreachable, or closed after an answer that is not Dask's
            raise CalqueError(f"{unreachable}: {_first_line(problem)}") from None
        except Exception as problem:  # noqa: BLE001 - bytes that are not Dask messages fail in many ways
            raise CalqueError(f"{unreachable}: it does not answer in Dask's protocol ({type(problem).__name__})") from None
    kind = identity.get("type") if isinstance(identity, dict) else None
    if not str(kind).endswith("Scheduler"):
        raise CalqueError(f"{unreachable}: the service there is a Dask {kind or 'service'}, not a scheduler")


def _first_line(problem: BaseException) -> str:
    return (str(problem).strip().splitlines() or [type(problem).__name__])[0]


def _connect(address: str):
    from distributed import Client

    _check_scheduler(address)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as problem:
        raise CalqueError(f"cannot reach the Dask scheduler at {address}: {_first_line(problem)}") from None
    except ValueError as problem:
        raise InputError(f"--scheduler {address!r}: {_first_line(problem)}") from None


def executor_for(scheduler: str | None = None, workers: int | None = None, progress: bool = True,
                 announce: Callable[[str], None] | None = None) -> Executor:
    """In process (neither given), a local cluster of `workers` processes, or the scheduler at `scheduler`
    (default: $CALQUE_SCHEDULER). `announce` receives a line naming the cluster and its dashboard."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler and workers:
        raise InputError("give either --scheduler or --workers, not both")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    if not scheduler and not workers:
        return InProcessExecutor(progress)
    if scheduler:
        executor = DaskExecutor(_connect(scheduler), progress=progress)
        where = f"Dask scheduler {executor.address} ({executor.workers} worker threads)"
    else:
        client, cluster = _local_cluster(workers)
        executor = DaskExecutor(client, cluster, progress)
        where = f"local Dask cluster of {workers} worker process{'es' if workers > 1 else ''}"
    if announce is not None:
        announce(where + (f"; dashboard {executor.dashboard}" if executor.dashboard else ""))
    return executor

