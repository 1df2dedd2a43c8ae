"""A real Dask cluster for tests: `dask scheduler` and `dask worker` processes on 127.0.0.1, free ports."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment() -> dict[str, str]:
    """This checkout first on the path, so workers import the code under test."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def dask_command() -> list[str]:
    """This interpreter's `dask` command (`python -m dask` where the environment has no script of its own)."""
    found = shutil.which("dask", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "dask"]


class Cluster:
    """One scheduler and `n_workers` single-threaded workers without nannies (a killed worker stays dead)."""

    def __init__(self, n_workers: int, logs: Path):
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.logs = logs
        self.scheduler = self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"])
        self._wait(lambda: self._reachable(), "the scheduler to listen")
        self.workers = [self._start(f"worker-{i}", ["worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                                      "--name", f"w{i}"]) for i in range(n_workers)]
        self._wait(lambda: self.worker_count() == n_workers, f"{n_workers} workers to join")

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")
        return subprocess.Popen(dask_command() + arguments, stdout=log, stderr=subprocess.STDOUT, env=environment(),
                                start_new_session=True)

    def _reachable(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def _wait(self, condition, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}; logs in {self.logs}")
            time.sleep(0.5)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30)

    def worker_count(self) -> int:
        if not self._reachable():
            return 0
        with self.client() as client:
            return len(client.scheduler_info(n_workers=-1)["workers"])

    def processing(self) -> dict[str, int]:
        """Tasks each worker is running now, by worker name."""
        with self.client() as client:
            return client.run_on_scheduler(lambda dask_scheduler: {
                str(ws.name): len(ws.processing) for ws in dask_scheduler.workers.values()})

    def kill_worker(self, index: int) -> None:
        os.kill(self.workers[index].pid, signal.SIGKILL)
        self.workers[index].wait(timeout=30)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
