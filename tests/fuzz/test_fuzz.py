"""Hypothesis-driven mutation fuzzing (tests/fuzz/harness.py): every importer and every API route answers
hostile input with a clean refusal (a CalqueError, or a 4xx) that leaves the store as it was, never a
traceback or a 5xx: wrong types at every depth, XML nested thousands deep, integers past what a database
column holds. CALQUE_FUZZ_CASES sets the cases per importer/route (default 300); benchmarks/fuzz.py
runs a larger campaign."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.fuzz.harness import IMPORTERS, ROUTES, Tally, Targets, Workbench, open_campaign, route_case, run_case

CASES = int(os.environ.get("CALQUE_FUZZ_CASES", "300"))
FUZZ = settings(max_examples=CASES, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    bench = Workbench(tmp_path_factory.mktemp("fuzz"))
    yield bench
    bench.close()


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_importer_refuses_hostile_input_cleanly(bench, importer):
    tally, fresh = Tally(), [True]

    @FUZZ
    @given(st.randoms(use_true_random=False))
    def case(rng):
        run_case(bench, importer, rng, tally, fresh)

    case()
    assert tally.crashes == []
    assert tally.refused > 0  # the mutations do reach the checks


@pytest.fixture(scope="module")
def server(bench):
    from pipelines.serve import AccessPolicy, TokenStore, create_app

    corpus = bench.corpus("demo", fresh=True, user="server")
    app = create_app(corpus, AccessPolicy.for_binding("127.0.0.1", TokenStore(corpus.path), "alice"))
    client = TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    created = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10,
                                                    "category": "Accuracy/Mistranslation", "severity": "Major"})
    assert created.status_code == 201
    targets = open_campaign(client, corpus, Targets([created.json()["id"], *corpus.annotations().id[:5]]))
    yield client, corpus, targets
    app.service.close()


@pytest.mark.parametrize("route", ROUTES)
def test_route_answers_hostile_requests_with_4xx(server, route):
    client, corpus, targets = server
    tally = Tally()

    @FUZZ
    @given(st.randoms(use_true_random=False))
    def case(rng):
        route_case(client, corpus, targets, route, rng, tally)

    case()
    assert tally.crashes == []
