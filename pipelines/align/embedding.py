"""Embedding bead costs over any `pipelines.encoders` encoder: two scorings.

`scoring="margin"` (default; Bertalign, Liu & Zhu 2023): a bead earns its cosine minus the mean
cosine of each side with the other side's neighbouring sentences, times a length agreement; a 1-0 or
0-1 bead costs `skip_cost` (see `MarginCosts`). Measured best on Text+Berg and MAC-Dev.

`scoring="vecalign"` (Thompson & Koehn 2019): for a bead of a source and b target sentences with overlap embeddings x and y:

    cost = 2·a·b·(1 - cos(x, y)) / (norm(x) + norm(y))

norm(v) = 1 - mean cosine of v with randomly drawn overlap embeddings of the other text, so a
sentence that resembles everything (a short title, a number) is not rewarded for resembling its
candidate. A 1-0 or 0-1 bead costs a fixed penalty: the `skip_quantile` of the costs of random 1-1
pairs. The factor a·b makes bigger beads prove themselves.

Overlap embeddings (several consecutive sentences read as one text) come from
- `overlap="concat"`: embedding the joined sentences, as Vecalign does (about 3× the encoder work);
- `overlap="compose"`: adding the sentences' pooled token sums and running only the pooling head,
  for encoders that pool additively (the bundled USE): each sentence is encoded once;
- `overlap="sum"`: the normalised sum of the sentence embeddings (any encoder, least faithful).
`auto` picks compose when the encoder can, else concat. `length_weight` weighs the length term:
the exponent of the length agreement (margin), or the weight of a Gale–Church cost (vecalign).
"""
from __future__ import annotations

import numpy as np

from dataclasses import dataclass
from typing import Mapping

from pipelines.align.combined import CombinedCosts
from pipelines.align.dp import DEFAULT_MAX_BEAD, PairCosts
from pipelines.align.registry import Aligner, SearchOptions, register
from pipelines.align.length import length_cost, sentence_lengths
from corpus.errors import InputError
from pipelines.encoders import SentenceEncoder, l2_normalise

OVERLAPS = ("auto", "compose", "concat", "sum")
NORM_SAMPLES = 100
SKIP_SAMPLES = 20_000
SEED = 1234


def _summed_overlaps(vectors: np.ndarray, size: int) -> np.ndarray:
    """Row k (a node 0..n) = normalised sum of sentence vectors k-size .. k-1 (zeros for k < size)."""
    n, dim = vectors.shape
    prefix = np.vstack([np.zeros((1, dim), dtype=np.float64), np.cumsum(vectors, axis=0, dtype=np.float64)])
    out = np.zeros((n + 1, dim), dtype=np.float32)
    if n >= size:
        out[size:] = l2_normalise(prefix[size:] - prefix[: n + 1 - size])
    return out


def _concatenated_overlaps(sentences: list[str], vectors: np.ndarray, size: int, encoder: SentenceEncoder,
                           batch_size: int) -> np.ndarray:
    n, dim = vectors.shape
    out = np.zeros((n + 1, dim), dtype=np.float32)
    if size == 1:
        out[1:] = vectors
    elif n >= size:
        joined = [" ".join(sentences[k - size : k]) for k in range(size, n + 1)]
        out[size:] = encoder.encode(joined, batch_size=batch_size)
    return out


def _composed_overlaps(parts, n: int, size: int, encoder) -> np.ndarray:
    out = np.zeros((n + 1, encoder.dim), dtype=np.float32)
    if n >= size:
        stops = np.arange(size, n + 1)
        out[size:] = encoder.compose_spans(parts, stops - size, stops)
    return out


def can_compose(encoder: SentenceEncoder) -> bool:
    if not hasattr(encoder, "compose_spans"):
        return False
    encoder._load()
    return bool(getattr(encoder, "composable", False))


def _downsample(vectors: np.ndarray) -> np.ndarray:
    """Vecalign's coarse resolution: neighbouring pairs summed, the mean removed, rows normalised."""
    even = len(vectors) - len(vectors) % 2
    half = vectors[0:even:2].astype(np.float64) + vectors[1:even:2]
    if len(half):
        half -= half.mean(axis=0)
    return l2_normalise(half)


class EmbeddingCosts(PairCosts):
    vecalign_terms = True  # the sampled norms and skip penalty of Vecalign's cost

    def __init__(
        self,
        src_overlaps: dict[int, np.ndarray],
        tgt_overlaps: dict[int, np.ndarray],
        src_lengths: np.ndarray,
        tgt_lengths: np.ndarray,
        skip_quantile: float = 0.2,
        length_weight: float = 0.0,
        seed: int = SEED,
    ):
        self.src_overlaps, self.tgt_overlaps = src_overlaps, tgt_overlaps
        self.n_src, self.n_tgt = len(src_overlaps[1]) - 1, len(tgt_overlaps[1]) - 1
        self.src_lengths = np.asarray(src_lengths, dtype=np.float64)
        self.tgt_lengths = np.asarray(tgt_lengths, dtype=np.float64)
        self.skip_quantile = skip_quantile
        self.length_weight = length_weight
        self.seed = seed
        total_src = self.src_lengths.sum()
        self.ratio = float(self.tgt_lengths.sum() / total_src) if total_src > 0 else 1.0
        self.ratio = self.ratio if self.ratio > 0 else 1.0
        self._src_prefix = np.concatenate([[0.0], np.cumsum(self.src_lengths)])
        self._tgt_prefix = np.concatenate([[0.0], np.cumsum(self.tgt_lengths)])
        if self.vecalign_terms:
            rng = np.random.default_rng(seed)
            self.src_norms = self._norms(src_overlaps, tgt_overlaps, rng)
            self.tgt_norms = self._norms(tgt_overlaps, src_overlaps, rng)
            self.skip = self._skip_penalty(rng)

    @staticmethod
    def _norms(own: dict[int, np.ndarray], other: dict[int, np.ndarray], rng) -> dict[int, np.ndarray]:
        """1 - mean cosine with random overlap embeddings of the other text, per node and overlap size."""
        samples = []
        for size, vectors in other.items():
            valid = np.arange(size, len(vectors))
            if len(valid):
                samples.append(vectors[rng.choice(valid, size=NORM_SAMPLES // len(other) + 1)])
        if not samples:
            return {size: np.ones(len(v)) for size, v in own.items()}
        sample = np.vstack(samples)
        return {size: 1.0 - (vectors @ sample.T).mean(axis=1).astype(np.float64) for size, vectors in own.items()}

    def _skip_penalty(self, rng) -> float:
        if self.n_src == 0 or self.n_tgt == 0:
            return 1.0
        count = min(SKIP_SAMPLES, self.n_src * self.n_tgt)
        i = rng.integers(1, self.n_src + 1, size=count)
        j = rng.integers(1, self.n_tgt + 1, size=count)
        cos = np.einsum("ij,ij->i", self.src_overlaps[1][i], self.tgt_overlaps[1][j])
        costs = 2 * (1 - cos) / (self.src_norms[1][i] + self.tgt_norms[1][j] + 1e-6)
        return float(np.quantile(costs, self.skip_quantile))

    def _window(self, prefix: np.ndarray, size: int, start: int, stop: int) -> np.ndarray:
        nodes = np.arange(start, stop)
        return prefix[nodes] - prefix[np.maximum(nodes - size, 0)]

    def cosines(self, a, b, i0, i1, j0, j1) -> np.ndarray:
        return self.src_overlaps[a][i0:i1] @ self.tgt_overlaps[b][j0:j1].T

    def block(self, a, b, i0, i1, j0, j1):
        cos = self.cosines(a, b, i0, i1, j0, j1).astype(np.float64)
        norms = self.src_norms[a][i0:i1, None] + self.tgt_norms[b][None, j0:j1] + 1e-6
        costs = 2.0 * a * b * (1.0 - cos) / norms
        if self.length_weight:
            l_src = self._window(self._src_prefix, a, i0, i1)[:, None]
            l_tgt = self._window(self._tgt_prefix, b, j0, j1)[None, :]
            costs += self.length_weight * length_cost(l_src, l_tgt, self.ratio)
        return costs

    def skip_src(self):
        return np.full(self.n_src, self.skip)

    def skip_tgt(self):
        return np.full(self.n_tgt, self.skip)

    def coarsen(self):
        src = _downsample(self.src_overlaps[1][1:])
        tgt = _downsample(self.tgt_overlaps[1][1:])
        if len(src) == 0 or len(tgt) == 0:
            return None

        def halve(lengths):
            even = len(lengths) - len(lengths) % 2
            return lengths[0:even:2] + lengths[1:even:2]

        return EmbeddingCosts(
            {k: _summed_overlaps(src, k) for k in (1, 2)},
            {k: _summed_overlaps(tgt, k) for k in (1, 2)},
            halve(self.src_lengths),
            halve(self.tgt_lengths),
            self.skip_quantile,
            self.length_weight,
            self.seed,
        )

    def bead_score(self, a, b, i, j, cost):
        """Cosine similarity of the bead's two sides (0 for 1-0 and 0-1 beads)."""
        if a == 0 or b == 0:
            return 0.0
        return float(self.src_overlaps[a][i] @ self.tgt_overlaps[b][j])

    def bead_scores(self, path):
        scores = np.zeros(len(path))
        for a, b, positions, i, j in self._grouped(path):
            if a and b:
                scores[positions] = np.einsum("ij,ij->i", self.src_overlaps[a][i], self.tgt_overlaps[b][j])
        return scores


class MarginCosts(EmbeddingCosts):
    """Bertalign's bead score (Liu & Zhu 2023) as a cost: -(cos(x, y) - neighbour similarity) · length agreement.

    The neighbour similarity is the mean cosine of each side with the sentences just before and after
    the other side's span, so a bead only scores when it fits better than its shifted neighbours; the
    length agreement is log2(1 + min/max) of the two sides' lengths (ratio-corrected). Every bead earns
    its score, so splitting a wide bead into well-matching smaller ones always wins: wide beads appear
    only where no split matches. A 1-0 or 0-1 bead costs `skip_cost`.
    """

    vecalign_terms = False

    def __init__(self, *args, skip_cost: float = 0.1, **kwargs):
        super().__init__(*args, **kwargs)
        self.skip_cost = skip_cost
        self._products: dict = {}
        self._products_for: tuple | None = None

    def _neighbour_means(self, side: str, size: int, vectors: np.ndarray, singles: np.ndarray, other_size: int,
                         k0: int, k1: int, region: tuple) -> np.ndarray:
        """Per node k in k0..k1 of the other text (a span of `other_size` sentences ending at k), the mean
        cosine of each row of `vectors` with the sentences just before (row k - other_size) and after
        (row k + 1) that span; rows of `singles` are sentences (row r = sentence r - 1).

        The products with the other text's sentences are shared by every bead shape of one DP block."""
        if self._products_for != region:
            self._products, self._products_for = {}, region
        n = len(singles) - 1
        first = max(1, k0 - max(self.src_overlaps if side == "tgt" else self.tgt_overlaps))
        last = min(n, k1)  # rows first..last cover every neighbour of nodes k0..k1-1
        key = (side, size)
        if key not in self._products:
            self._products[key] = (vectors @ singles[first : last + 1].T).astype(np.float64) if last >= first \
                else np.zeros((len(vectors), 0))
        products = self._products[key]
        nodes = np.arange(k0, k1)
        before, after = nodes - other_size, nodes + 1
        has_before, has_after = before >= 1, after <= n
        total = np.zeros((len(vectors), len(nodes)))
        total[:, has_before] += products[:, before[has_before] - first]
        total[:, has_after] += products[:, after[has_after] - first]
        return total / np.maximum(has_before.astype(np.float64) + has_after, 1.0)

    def block(self, a, b, i0, i1, j0, j1):
        x, y = self.src_overlaps[a][i0:i1], self.tgt_overlaps[b][j0:j1]
        region = (i0, i1, j0, j1)
        cos = (x @ y.T).astype(np.float64)
        tgt_side = self._neighbour_means("src", a, x, self.tgt_overlaps[1], b, j0, j1, region)
        src_side = self._neighbour_means("tgt", b, y, self.src_overlaps[1], a, i0, i1, region).T
        score = cos - (tgt_side + src_side) / 2.0
        if self.length_weight:
            l_src = self._window(self._src_prefix, a, i0, i1)[:, None] * self.ratio
            l_tgt = self._window(self._tgt_prefix, b, j0, j1)[None, :]
            agreement = np.log2(1.0 + np.minimum(l_src, l_tgt) / np.maximum(np.maximum(l_src, l_tgt), 1e-9))
            score = score * agreement ** self.length_weight
        return -score

    def skip_src(self):
        return np.full(self.n_src, self.skip_cost)

    def skip_tgt(self):
        return np.full(self.n_tgt, self.skip_cost)


def embedding_costs(
    src: list[str],
    tgt: list[str],
    encoder: SentenceEncoder,
    overlap: str = "auto",
    skip_quantile: float = 0.2,
    length_weight: float = 0.0,
    batch_size: int = 64,
    max_overlap: int = DEFAULT_MAX_BEAD,
    scoring: str = "vecalign",
    skip_cost: float = 0.1,
) -> EmbeddingCosts:
    if overlap not in OVERLAPS:
        raise ValueError(f"overlap must be one of {', '.join(OVERLAPS)}, not {overlap!r}")
    if overlap == "auto":
        overlap = "compose" if can_compose(encoder) else "concat"
    elif overlap == "compose" and not can_compose(encoder):
        raise ValueError(f"encoder {encoder.name} cannot compose overlap embeddings; use overlap='concat' or 'sum'")
    vectors = encoder.encode(list(src) + list(tgt), batch_size=batch_size)
    src_vectors, tgt_vectors = vectors[: len(src)], vectors[len(src) :]

    def overlaps(sentences, sentence_vectors):
        if overlap == "compose":
            parts = encoder.pooled(sentences)
            return {k: _composed_overlaps(parts, len(sentences), k, encoder) for k in range(1, max_overlap + 1)}
        if overlap == "sum":
            return {k: _summed_overlaps(sentence_vectors, k) for k in range(1, max_overlap + 1)}
        return {k: _concatenated_overlaps(sentences, sentence_vectors, k, encoder, batch_size)
                for k in range(1, max_overlap + 1)}

    extra = {"skip_cost": skip_cost} if scoring == "margin" else {}
    return SCORINGS[scoring](
        overlaps(src, src_vectors),
        overlaps(tgt, tgt_vectors),
        sentence_lengths(src),
        sentence_lengths(tgt),
        skip_quantile,
        length_weight,
        **extra,
    )


SCORINGS: dict[str, type[EmbeddingCosts]] = {"vecalign": EmbeddingCosts, "margin": MarginCosts}
DEFAULT_LENGTH_WEIGHTS = {"vecalign": 0.05, "margin": 0.5}


@dataclass(frozen=True)
class EmbeddingOptions(SearchOptions):
    """`encoder`: 'use' (bundled) or a local transformers folder; `scoring`: 'margin' (Bertalign) or
    'vecalign'; `length_weight`: the length term's weight (None: 0.5 for margin, 0.05 for vecalign; tuned on the Text+Berg and MAC dev sets);
    `anchor_weight` × lexical anchor matches (numbers, names, …) joins the cosine evidence (off by
    default: no measurable gain with margin scoring); `self_train` adds word pairs learned from a first
    pass to those anchors (tuned on
    Text+Berg dev)."""

    encoder: str = "use"
    overlap: str = "auto"
    skip_quantile: float = 0.1
    length_weight: float | None = None
    anchor_weight: float = 0.0
    self_train: bool = False
    min_dice: float = 0.6
    word_list: Mapping[str, list[str]] | str | None = None
    batch_size: int = 64
    scoring: str = "margin"
    skip_cost: float = 0.1


@register("embedding")
class EmbeddingAligner(Aligner):
    """Vecalign-style cosine costs over a multilingual sentence encoder, with length and anchor terms."""

    Options = EmbeddingOptions

    def check_options(self):
        super().check_options()
        if self.options.overlap not in OVERLAPS:
            raise InputError(f"overlap must be one of {', '.join(OVERLAPS)}")
        if not 0 < self.options.skip_quantile < 1:
            raise InputError("skip_quantile must lie between 0 and 1")
        if self.options.scoring not in SCORINGS:
            raise InputError(f"scoring must be one of {', '.join(SCORINGS)}")

    def length_weight(self) -> float:
        if self.options.length_weight is not None:
            return self.options.length_weight
        return DEFAULT_LENGTH_WEIGHTS[self.options.scoring]

    @property
    def encoder(self) -> SentenceEncoder:
        from pipelines.encoders import get_encoder

        return get_encoder(self.options.encoder)

    def costs(self, src, tgt, src_lang, tgt_lang, dictionary=None):
        from pipelines.align.lexical import AnchorCosts, LexicalWeights, lexical_costs

        with _single_blas_thread():
            parts: list[tuple[float, PairCosts]] = [(1.0, embedding_costs(
                list(src), list(tgt), self.encoder, self.options.overlap, self.options.skip_quantile,
                self.length_weight(), self.options.batch_size, max_overlap=self.options.max_bead,
                scoring=self.options.scoring, skip_cost=self.options.skip_cost,
            ))]
        if self.options.anchor_weight:
            anchors = lexical_costs(list(src), list(tgt), LexicalWeights(), dictionary=dictionary, cls=AnchorCosts,
                                    max_size=self.options.max_bead, src_lang=src_lang, tgt_lang=tgt_lang)
            parts.append((self.options.anchor_weight, anchors))
        return CombinedCosts(parts)

    def describe_options(self):
        described = super().describe_options()
        described.pop("encoder")
        described.pop("batch_size")
        described["length_weight"] = self.length_weight()
        if described["scoring"] == "margin":
            described.pop("skip_quantile")
        else:
            described.pop("skip_cost")
        if described["overlap"] == "auto":
            described["overlap"] = "compose" if can_compose(self.encoder) else "concat"
        return described

    def signature_parts(self):
        encoder = self.encoder
        return {"encoder": encoder.name, "model": f"sha256={encoder.model_hash[:16]}", **super().signature_parts()}


def _single_blas_thread():
    """Encoders run many small matrix products: one BLAS thread is faster than two fighting over the cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")
