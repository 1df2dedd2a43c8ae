"""The sentence-encoder interface shared by alignment and evaluation pipelines.

`encode(sentences, batch_size)` returns one L2-normalised float32 row per sentence. Encoders embed
a batch in one forward pass (`_embed_batch`) but never let sentences of a batch see each other
(no cross-sentence context; padding masked), so a vector depends on its batch only through
floating-point rounding: batched and one-at-a-time vectors agree to cosine ≥ 0.99999, and a cache
of identical sentences is exact up to that rounding.
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from corpus.languages import base_language


def sha256_of_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """One sha256 over the files' relative names and contents (sorted), as a model fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else path.name
        digest.update(name.encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentenceEncoder(ABC):
    """A multilingual sentence encoder with an exact cache of identical sentences."""

    name: str = "encoder"
    languages: frozenset[str] | None = None  # base language subtags; None when unknown

    def __init__(self, cache_size: int = 200_000):
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._alone_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model_hash: str | None = None

    @property
    @abstractmethod
    def dim(self) -> int:
        """Embedding size."""

    @abstractmethod
    def _embed_one(self, sentence: str) -> np.ndarray:
        """The raw (unnormalised) vector of a single sentence."""

    def _embed_batch(self, sentences: list[str]) -> np.ndarray:
        """Raw vectors of several sentences (rows); encoders with a real batched forward pass override this."""
        return np.stack([self._embed_one(s) for s in sentences])

    @abstractmethod
    def _model_files(self) -> tuple[list[Path], Path | None]:
        """The files whose bytes define the model, and the folder their names are relative to."""

    @abstractmethod
    def _version(self) -> str:
        """Version of the code that runs the model (package versions)."""

    def supports(self, lang: str) -> bool:
        return self.languages is None or base_language(lang) in self.languages

    @property
    def model_hash(self) -> str:
        if self._model_hash is None:
            files, root = self._model_files()
            self._model_hash = sha256_of_files(files, root)
        return self._model_hash

    @property
    def signature(self) -> str:
        return f"encoder:{self.name}|model:sha256={self.model_hash[:16]}|dim:{self.dim}|version:{self._version()}"

    def encode(self, sentences: Sequence[str], batch_size: int = 64, progress=None) -> np.ndarray:
        """Embeddings (len(sentences) × dim, float32, unit rows); `progress(n_done)` is called per batch."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        texts = [s if isinstance(s, str) else str(s) for s in sentences]
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = l2_normalise(self._embed_batch(batch))
            for text, vector in zip(batch, vectors):
                self._remember(text, vector)
            if progress is not None:
                progress(len(batch))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = self._cache.get(text)
            if vector is None:  # evicted by an encode() larger than the cache
                vector = l2_normalise(self._embed_one(text)[None, :])[0]
            out[row] = vector
        return out

    def _embed_independent(self, sentences: list[str]) -> np.ndarray:
        """Raw vectors of several sentences, each the same bit for bit as the sentence alone would get. Here one
        forward pass per sentence; an encoder whose batched pass has that property overrides this."""
        return np.stack([self._embed_one(s) for s in sentences])

    def encode_independent(self, sentences: Sequence[str], progress=None, batch_size: int = 256) -> np.ndarray:
        """Embeddings like `encode`, but each sentence's vector is the same bit for bit whatever else is in the
        batch (`encode`'s batched vectors agree only up to rounding). For scores that must not depend on how
        segments were sharded."""
        texts = [s if isinstance(s, str) else str(s) for s in sentences]
        found = {t: self._alone_cache[t] for t in texts if t in self._alone_cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            for text, vector in zip(batch, l2_normalise(self._embed_independent(batch))):
                found[text] = self._alone_cache[text] = vector
            while len(self._alone_cache) > self.cache_size:
                self._alone_cache.popitem(last=False)
            if progress is not None:
                progress(len(batch))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = found[text]
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
