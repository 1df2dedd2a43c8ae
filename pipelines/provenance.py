"""Where a number comes from: the content hash of the data it was computed on and the Calque version
(corpus.version). Every pipeline signs its results with these, so they sit below all of them."""
from __future__ import annotations

import hashlib
from itertools import islice
from typing import Sequence

from corpus.version import calque_version

HASH_NAME = "sha256"
HASH_BLOCK = 10_000  # lines per digest update


def data_hash(*streams: Sequence[str]) -> str:
    """sha256 over the streams in order; each stream is hashed as its lines joined by LF and is
    framed by its segment count, so moving a line from one stream to the next changes the hash."""
    digest = hashlib.sha256()
    for stream in streams:
        digest.update(f"{len(stream)}\n".encode())
        lines = iter(stream)
        while block := list(islice(lines, HASH_BLOCK)):  # the same bytes as line by line, a block per update
            digest.update(("\n".join(block) + "\n").encode("utf-8"))
    return f"{HASH_NAME}:{digest.hexdigest()}"


def calque_signature(signature: str, data_hash_value: str) -> str:
    """A sacrebleu-style signature extended with the data hash (first 16 hex digits) and Calque's version."""
    short = data_hash_value.split(":", 1)[-1][:16]
    return f"{signature}|data:{short}|calque:{calque_version()}"


__all__ = ["HASH_NAME", "calque_signature", "calque_version", "data_hash"]
