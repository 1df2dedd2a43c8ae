"""Engines and schema migrations: SQLite (WAL, foreign keys) by default, any SQLAlchemy URL otherwise."""
from __future__ import annotations

import contextlib
import os
from typing import Callable, Iterator

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from corpus import schema, unique_keys
from corpus.errors import CorpusBusy, CorpusError, DuplicateRow


def busy_timeout_ms() -> int:
    """How long a write waits for another writer's lock before CorpusBusy (CALQUE_BUSY_TIMEOUT_MS, default 30 s)."""
    value = os.environ.get("CALQUE_BUSY_TIMEOUT_MS", "")
    return int(value) if value.isdigit() else 30000


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
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        # Reads begin DEFERRED: in WAL mode that is a snapshot that never waits for a writer. Writes
        # (write_transaction) begin IMMEDIATE, so they queue for the lock up front instead of failing
        # half-way when a read transaction tries to become a write one.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    return engine


WRITE_OPTION = "calque_write"
BUSY = "corpus is busy: another process is writing to it; retry in a moment"


def is_busy(error: BaseException) -> bool:
    """True for the database's "locked"/"busy" refusal: a writer waited out the busy timeout."""
    if not isinstance(error, OperationalError):
        return False
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text or "lock timeout" in text


def is_duplicate(error: BaseException) -> bool:
    """True for a unique key's refusal (SQLSTATE 23505; SQLite's "UNIQUE constraint failed")."""
    if not isinstance(error, IntegrityError):
        return False
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) == "23505" or str(orig).startswith("UNIQUE constraint failed")


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: takes the write lock when it begins (SQLite), all or nothing; a
    lock that cannot be had within the busy timeout becomes CorpusBusy, and a row that a unique key
    refuses DuplicateRow (a ConflictError), instead of a traceback."""
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection
    except OperationalError as error:
        if is_busy(error):
            raise CorpusBusy(BUSY) from None
        raise
    except IntegrityError as error:
        if is_duplicate(error):
            detail = str(error.orig).strip().splitlines()[0]
            raise DuplicateRow(f"refused a duplicate: what this change would store is stored already ({detail})") from None
        raise


def schema_version(connection: Connection) -> int | None:
    if not connection.dialect.has_table(connection, "meta"):
        return None
    value = connection.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar()
    return int(value) if value is not None else None


def _allow_resolved_annotations(connection: Connection) -> None:
    """Schema 1 → 2: annotation status 'resolved' (an automatic finding that no longer fires)."""
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("ALTER TABLE annotations DROP CONSTRAINT annotation_status")
        connection.exec_driver_sql(
            "ALTER TABLE annotations ADD CONSTRAINT annotation_status "
            "CHECK (status IN ('open', 'confirmed', 'rejected', 'resolved'))"
        )
        return
    # SQLite cannot alter a CHECK constraint: rebuild the table (nothing references annotations).
    for index in schema.annotations.indexes:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    connection.exec_driver_sql("ALTER TABLE annotations RENAME TO annotations_schema1")
    schema.annotations.create(connection)
    # Schema 2 had no unique key on automatic findings: migration 3 → 4 adds it once duplicates are gone.
    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {unique_keys.AUTO_FINDING_KEY}")
    columns = ", ".join(f'"{c.name}"' for c in schema.annotations.columns)
    connection.exec_driver_sql(f"INSERT INTO annotations ({columns}) SELECT {columns} FROM annotations_schema1")
    connection.exec_driver_sql("DROP TABLE annotations_schema1")


def _create_campaign_tables(connection: Connection) -> None:
    """Schema 2 → 3: the campaign tables (new tables only; nothing existing changes)."""
    schema.metadata.create_all(connection, tables=list(schema.CAMPAIGN_TABLES.values()))


# MIGRATIONS[n] upgrades a corpus from schema version n to n + 1; append, never edit.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _allow_resolved_annotations,
    2: _create_campaign_tables,
    3: unique_keys.add_unique_keys,
}


def create_schema(engine: Engine) -> None:
    with write_transaction(engine) as connection:
        schema.metadata.create_all(connection)
        connection.execute(
            schema.meta.insert(), [{"key": "schema_version", "value": str(schema.SCHEMA_VERSION)}]
        )


def migrate(engine: Engine) -> int:
    """Bring the database up to SCHEMA_VERSION; refuse a database written by a newer Calque. Only a corpus
    that needs migrating takes the write lock: opening a current one never waits for a writer."""
    with engine.connect() as connection:
        version = schema_version(connection)
    if version == schema.SCHEMA_VERSION:
        return version
    with write_transaction(engine) as connection:
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
