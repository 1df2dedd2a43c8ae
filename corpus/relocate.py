"""Moving a corpus to another database (typically SQLite → PostgreSQL when a team outgrows one file).

Every table of the schema is copied row by row (the journal and stored results too, so nothing is lost)
in one transaction on the target: a failure leaves the target without the tables. Row counts are checked
before the commit. Only then does the corpus config point at the new database; the old SQLite file stays
where it was, untouched, as the backup.
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from corpus import schema
from corpus.atomic import atomic_write
from corpus.database import make_engine, migrate
from corpus.errors import CorpusError, InputError

BATCH_ROWS = 5_000


def move_database(directory: str | Path, to_url: str, batch_rows: int = BATCH_ROWS) -> dict[str, int]:
    """Copy the corpus at `directory` into the empty database `to_url` and switch the corpus to it;
    returns the rows copied per table."""
    from corpus.store import CONFIG_FILE, Corpus

    directory = Path(directory)
    config_path = directory / CONFIG_FILE
    try:
        target = make_engine(to_url)
    except Exception as problem:  # a malformed URL or a missing driver
        raise InputError(f"--to {make_url(to_url).render_as_string(hide_password=True) if '://' in to_url else to_url!r}: {problem}") from None
    source = Corpus.open(directory)
    try:
        if str(source.engine.url) == str(target.url):
            raise InputError("the corpus already uses that database")
        migrate(source.engine)
        existing = set(inspect(target).get_table_names())
        if existing & set(schema.metadata.tables):
            raise CorpusError(f"{target.url.render_as_string(hide_password=True)} already holds Calque tables; "
                              "move into an empty database")
        copied: dict[str, int] = {}
        with source.engine.connect() as reading, target.begin() as writing:
            schema.metadata.create_all(writing)
            for table in schema.metadata.sorted_tables:
                rows = reading.execution_options(yield_per=batch_rows).execute(select(table))
                count = 0
                for batch in rows.partitions():
                    writing.execute(table.insert(), [dict(row._mapping) for row in batch])
                    count += len(batch)
                expected = reading.execute(select(func.count()).select_from(table)).scalar_one()
                written = writing.execute(select(func.count()).select_from(table)).scalar_one()
                if not count == expected == written:
                    raise CorpusError(f"table {table.name}: {expected} rows in the corpus, {written} written; nothing moved")
                copied[table.name] = written
            _advance_sequences(writing)
        config = json.loads(config_path.read_text("utf-8"))
        config["database"] = to_url
        config["moved_from"] = str(source.engine.url)
        with atomic_write(config_path) as stream:
            json.dump(config, stream, indent=2)
        return copied
    finally:
        source.close()
        target.dispose()


def _advance_sequences(connection) -> None:
    """PostgreSQL hands out serial numbers from a sequence that copied rows did not advance."""
    if connection.dialect.name != "postgresql":
        return
    for table in schema.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
