"""A throw-away PostgreSQL database for benchmarks and tests: created on the server, dropped afterwards."""
from __future__ import annotations

import contextlib
import uuid
from typing import Iterator


@contextlib.contextmanager
def scratch_database(server_url: str | None, prefix: str = "calque_bench") -> Iterator[str | None]:
    """None when no server is given (SQLite inside the corpus), else the URL of a fresh database on it."""
    if server_url is None:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
