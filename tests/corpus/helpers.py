"""What a test compares to prove that a failed write left the store exactly as it was."""
from __future__ import annotations

import hashlib

from sqlalchemy import text

from corpus import Corpus
from corpus.schema import metadata


def store_fingerprint(corpus: Corpus) -> str:
    """A hash over every row of every table (the journal included)."""
    digest = hashlib.sha256()
    with corpus.engine.connect() as connection:
        for table in sorted(metadata.tables):
            for row in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
