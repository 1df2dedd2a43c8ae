"""--scheduler pointed at something that is not a Dask scheduler (issue 20, class 10): an HTTP server, a port
that accepts and never answers, a Dask worker. Each is one line and exit 1 once the connect timeout has
passed, as a closed port is, instead of a silent hang."""
from __future__ import annotations

import http.server
import socket
import threading

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.execution import executors


@pytest.fixture
def quick_timeout(monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 2)


@pytest.fixture
def silent_port():
    """A port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept():
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:  # closed at the end of the test
            pass

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for connection in accepted:
        connection.close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        pass


@pytest.fixture
def http_port():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _eval_on(address: str, test_data):
    """`calque eval --scheduler address` in a thread that must end: a hang fails the test instead of holding it."""
    folder = test_data / "fidelity"
    outcome = {}

    def run():
        outcome["result"] = CliRunner().invoke(main, ["eval", "-r", str(folder / "ref.de"), "-t", str(folder / "good.de"),
                                                      "--scheduler", address])

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), f"--scheduler {address} hung"
    return outcome["result"]


@pytest.mark.parametrize("service", ["silent_port", "http_port"])
def test_a_service_that_is_not_a_dask_scheduler_is_one_line(quick_timeout, test_data, request, service):
    address = f"tcp://127.0.0.1:{request.getfixturevalue(service)}"
    result = _eval_on(address, test_data)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach the Dask scheduler at {address}: ") and result.output.count("\n") == 1
    if service == "silent_port":
        assert "no answer in Dask's protocol within 2 s" in result.output


def test_a_dask_worker_is_not_taken_for_a_scheduler(test_data):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        worker = next(iter(cluster.workers.values())).address
        result = _eval_on(worker, test_data)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "the service there is a Dask Worker, not a scheduler" in result.output
