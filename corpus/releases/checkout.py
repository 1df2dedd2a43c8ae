"""`checkout_release`: a new working corpus from a release, with ids, offsets and timestamps intact.

The corpus is built beside the target in a temporary folder, in one transaction, and renamed into
place, so a failed checkout leaves nothing behind. Releasing it again reproduces the content hash.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from corpus import schema
from corpus.releases.errors import ReleaseError
from corpus.releases.layout import read_manifest
from corpus.releases.tables import BATCH_ROWS, SPECS
from corpus.releases.verify import require_verified


def checkout_directory(release: Path, target: str | Path, actor: str | None = None, progress=None):
    """Restore the release at `release` into a new corpus directory `target`; returns the opened Corpus."""
    from corpus.store import Corpus

    require_verified(release)
    manifest = read_manifest(release)
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ReleaseError(f"{target}: exists and is not an empty directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.checkout-", dir=target.parent))
    try:
        corpus = Corpus.init(build, actor=actor)
        try:
            with corpus.transaction(f"checkout release {manifest['version']}") as tx:
                for name in schema.CONTENT_TABLES:
                    info = manifest["tables"].get(name)
                    if info is None:
                        continue
                    spec = SPECS[name]
                    reader = pq.ParquetFile(release / info["file"])
                    offset = 0
                    for batch in reader.iter_batches(batch_size=BATCH_ROWS, columns=spec.base_columns):
                        rows = spec.rows_for_insert(batch)
                        tx.insert_bulk(name, rows, f"release {manifest['version']} {name}@{offset}", {"release": manifest["version"], "content_hash": info["content_hash"]})
                        offset += len(rows)
                        if progress is not None:
                            progress.update(len(rows))
        finally:
            corpus.close()
        if target.exists():
            target.rmdir()
        build.rename(target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return Corpus.open(target, actor=actor)
