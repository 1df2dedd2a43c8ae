"""The thread harness of the race tests: many clients released at the same moment by a barrier."""
from __future__ import annotations

import contextlib
import itertools
import threading

from sqlalchemy import event


def all_at_once(client, annotators: list[str], clients: int = 32) -> list[str]:
    """Run client(annotator) on `clients` threads released together (annotators taken in turn); what they raised."""
    barrier = threading.Barrier(clients)
    errors: list[str] = []

    def run(annotator: str):
        try:
            barrier.wait()
            client(annotator)
        except BaseException as error:  # reported to the caller
            errors.append(f"{annotator}: {error!r}")

    threads = [threading.Thread(target=run, args=(annotators[i % len(annotators)],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return errors


@contextlib.contextmanager
def reads_before_writes(engine, table: str, parties: int):
    """Hold the first INSERT INTO `table` of each of the first `parties` threads until all of them are about to
    insert, so that they have all made their reads before any of them writes: the interleaving in which a
    read-then-write check lets duplicates in. `parties` must stay below the engine's pool (15 connections),
    since each held thread keeps one. Only on a server database: SQLite's single writer allows no such
    interleaving (a held writer would hold up the others), so there it changes nothing."""
    if engine.dialect.name == "sqlite":
        yield
        return
    barrier = threading.Barrier(parties, timeout=120)
    arrivals = itertools.count()
    seen = threading.local()
    prefix = f"INSERT INTO {table} "

    def hold(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith(prefix) and not getattr(seen, "held", False):
            seen.held = True
            if next(arrivals) < parties:
                barrier.wait()

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hold)
