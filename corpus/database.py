"""Engines and schema migrations: SQLite (WAL, foreign keys) by default, any SQLAlchemy URL otherwise."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url

from corpus import campaign_schema, schema
from corpus.errors import CorpusError


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    engine = create_engine(url, future=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so a whole import is one real transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def schema_version(connection: Connection) -> int | None:
    if not connection.dialect.has_table(connection, "meta"):
        return None
    value = connection.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar()
    return int(value) if value is not None else None


# MIGRATIONS[n] upgrades a corpus from schema version n to n + 1; append, never edit.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: campaign_schema.create_campaign_tables,
}


def create_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        schema.metadata.create_all(connection)
        connection.execute(
            schema.meta.insert(), [{"key": "schema_version", "value": str(schema.SCHEMA_VERSION)}]
        )


def migrate(engine: Engine) -> int:
    """Bring the database up to SCHEMA_VERSION; refuse a database written by a newer Calque."""
    with engine.begin() as connection:
        version = schema_version(connection)
        if version is None:
            raise CorpusError("database has no Calque schema (run `calque init` first)")
        if version > schema.SCHEMA_VERSION:
            raise CorpusError(
                f"corpus schema version {version} is newer than this Calque ({schema.SCHEMA_VERSION}); upgrade calque-corpus"
            )
        while version < schema.SCHEMA_VERSION:
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(
                schema.meta.update()
                .where(schema.meta.c.key == "schema_version")
                .values(value=str(version))
            )
    return version
