from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the checkout; tests that need it skip cleanly without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


@pytest.fixture
def postgres_url() -> str:
    """A throw-away database on the server at CALQUE_TEST_POSTGRES_URL, dropped afterwards; skips without it."""
    server_url = os.environ.get("CALQUE_TEST_POSTGRES_URL")
    if not server_url:
        pytest.skip("CALQUE_TEST_POSTGRES_URL is not set")
    spec = importlib.util.spec_from_file_location("scratch_database", REPO / "benchmarks" / "scratch_database.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    with helper.scratch_database(server_url, prefix="calque_test") as url:
        yield url


@pytest.fixture
def demo(tmp_path):
    """The demo corpus in a new corpus, open (actor "tester")."""
    from tests.demo_corpus import open_demo

    corpus = open_demo(tmp_path / "demo", actor="tester")
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the UI tests of one module (skips where it is not installed)."""
    from tests.browser import launched

    with launched() as running:
        yield running


@pytest.fixture
def release(tmp_path, test_data) -> Path:
    """The tiny WMT test set as a corpus release (tests/bench/test_release_testset.py says how)."""
    from tests.bench.test_release_testset import tiny_release

    return tiny_release(tmp_path, test_data)
