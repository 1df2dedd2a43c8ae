from __future__ import annotations

import os
import uuid
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
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"calque_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
