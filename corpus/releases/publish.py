"""`create_release`: snapshot → card → changelog → manifest → checksums, all in a temporary directory
that one rename publishes. A build killed at any moment leaves no release (its .tmp-* folder is removed
by the next build); a rename that happened leaves a whole, verifiable one.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.pool import NullPool

from corpus import schema
from corpus.atomic import atomic_write, current_umask
from corpus.clock import utc_now
from corpus.releases.card import render_card
from corpus.releases.changelog import journal_summary, render_changelog, render_entry
from corpus.releases.checksums import release_files, render_sums, sha256_file
from corpus.releases.contenthash import release_hash
from corpus.releases.errors import ReleaseError
from corpus.releases.exports import write_exports
from corpus.releases.layout import (
    CARD,
    CHANGELOG,
    CHECKSUMS,
    MANIFEST,
    TEMP_PREFIX,
    exclusive,
    fsync_directory,
    read_manifest,
    release_versions,
    releases_root,
    remove_leftovers,
)
from corpus.releases.semver import Version
from corpus.releases.snapshot import write_snapshot
from corpus.releases.statistics import corpus_statistics
from corpus.version import calque_version

FORMAT = "calque-release/1"


def _sqlite_reader(engine: Engine) -> Engine:
    """An engine whose transactions are plain (deferred) BEGINs: in WAL mode that is a read snapshot which
    writers do not wait for, where the store's own engine begins IMMEDIATE and would hold them back."""
    reader = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(reader, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(reader, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")

    return reader


@contextlib.contextmanager
def snapshot_connection(engine: Engine):
    """One consistent read of the whole corpus, taken while others may go on writing."""
    if engine.dialect.name == "sqlite":
        reader = _sqlite_reader(engine)
        try:
            with reader.connect() as connection, connection.begin():
                yield connection
        finally:
            reader.dispose()
        return
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _publishable(directory: Path) -> None:
    """Readable by everyone the umask allows (mkdtemp and mkstemp make owner-only paths), then synced to disk."""
    umask = current_umask()
    for path in sorted(directory.rglob("*"), reverse=True):
        os.chmod(path, (0o755 if path.is_dir() else 0o644) & ~umask)
        if path.is_dir():
            fsync_directory(path)
    os.chmod(directory, 0o755 & ~umask)
    fsync_directory(directory)


def _default_license(licenses: dict[str, int]) -> str | None:
    named = [key for key in licenses if key != "(none)"]
    return named[0] if len(named) == 1 and "(none)" not in licenses else None


def check_new_version(root: Path, version: str) -> str | None:
    """Refuse a version that exists or is not greater than the last release; returns the previous release."""
    wanted = Version.parse(version)
    existing = release_versions(root)
    if (root / version).exists() or wanted in existing:
        raise ReleaseError(f"release {version} already exists; releases are immutable, pick a greater version")
    if existing and not wanted > existing[-1]:
        raise ReleaseError(f"version {version} is not greater than the last release {existing[-1]}")
    return str(existing[-1]) if existing else None


def rewrite_changelog(root: Path) -> Path:
    """releases/CHANGELOG.md: every release's own entry, newest first (rebuilt, so a killed run cannot skip one)."""
    entries = []
    for version in reversed(release_versions(root)):
        entry = root / str(version) / CHANGELOG
        if entry.is_file():
            entries.append(entry.read_text("utf-8"))
    target = root / CHANGELOG
    with atomic_write(target) as stream:
        stream.write(render_changelog(entries))
    return target


def create_release(
    corpus,
    version: str,
    notes: str | None = None,
    title: str | None = None,
    license: str | None = None,
    exports: list[str] | None = None,
    progress=None,
) -> dict:
    """Publish CORPUS/releases/VERSION and return its manifest."""
    Version.parse(version)
    root = releases_root(corpus.path)
    with exclusive(root):
        remove_leftovers(root)
        previous = check_new_version(root, version)
        previous_manifest = read_manifest(root / previous) if previous else None
        build = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{version}-", dir=root))
        try:
            manifest = _build(corpus, build, version, notes, title, license, exports, previous, previous_manifest, progress)
            os.rename(build, root / version)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        fsync_directory(root)
        rewrite_changelog(root)
    return manifest


def _build(corpus, build: Path, version, notes, title, license, exports, previous, previous_manifest, progress) -> dict:
    with snapshot_connection(corpus.engine) as connection:
        seq = int(connection.execute(select(func.coalesce(func.max(schema.journal.c.seq), 0))).scalar_one())
        stats = corpus_statistics(connection)
        release_license = license or _default_license(stats["licenses"])
        tables = write_snapshot(connection, build, release_license, progress)
        journal = journal_summary(connection, int(previous_manifest["seq"]) if previous_manifest else 0, seq)
    manifest = {
        "format": FORMAT,
        "version": version,
        "title": title or f"Calque corpus {Path(corpus.path).resolve().name}",
        "notes": notes,
        "license": license,
        "created_at": utc_now(),
        "created_by": corpus.actor,
        "calque_version": calque_version(),
        "pyarrow_version": pyarrow.__version__,
        "previous": previous,
        "seq": seq,
        "content_hash": release_hash({name: info["content_hash"] for name, info in tables.items()}),
        "tables": tables,
        "statistics": stats,
        "journal": journal,
    }
    manifest["exports"], manifest["exports_skipped"] = write_exports(build, corpus, seq, exports)
    _write_text(build / CHANGELOG, render_entry(manifest, previous_manifest["tables"] if previous_manifest else None))
    _write_text(build / CARD, render_card(manifest, stats))
    files, _ = release_files(build)
    digests = {name: sha256_file(path) for name, path in files.items()}
    manifest["files"] = {name: {"sha256": digests[name], "bytes": files[name].stat().st_size} for name in sorted(files)}
    _write_text(build / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n")
    digests[MANIFEST] = sha256_file(build / MANIFEST)
    _write_text(build / CHECKSUMS, render_sums(digests))
    _publishable(build)
    return manifest
