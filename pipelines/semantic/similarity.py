"""Semantic fidelity as cross-lingual embedding similarity, with any encoder of pipelines.encoders
(the bundled multilingual USE by default, or a local transformers folder).

Per segment: cosine source↔translation (reference-free) and, given references, translation↔reference.
A segment is flagged when its source↔translation similarity is unusually low for this file — more than
`k` robust standard deviations (1.4826·MAD) below the median, or below `floor` — and the flag is named
by the length ratio against the file's typical ratio: much shorter → likely omission, much longer →
likely hallucination (added content), otherwise low-similarity (mistranslation or unrelated text).
An empty translation of a non-empty source is always an omission.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.provenance import calque_signature, calque_version, data_hash


@dataclass
class FlagRule:
    k: float = 3.0
    floor: float = 0.2
    short: float = 0.6
    long: float = 1.6

    @property
    def signature(self) -> str:
        return f"flag:mad{self.k:g}|floor:{self.floor:g}|short:{self.short:g}|long:{self.long:g}"


@dataclass
class SemanticReport:
    src_hyp: list[float]
    hyp_ref: list[float] | None
    length_ratio: list[float]
    flags: list[str | None]
    signature: str
    data_hash: str
    tool_version: str
    threshold: float
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, include_segments: bool = True) -> dict[str, Any]:
        row = asdict(self)
        row["calque_signature"] = calque_signature(self.signature, self.data_hash)
        row["flagged"] = [
            {"segment": i, "flag": flag, "src_hyp": self.src_hyp[i], "length_ratio": self.length_ratio[i]}
            for i, flag in enumerate(self.flags) if flag
        ]
        if not include_segments:
            for key in ("src_hyp", "hyp_ref", "length_ratio", "flags"):
                row.pop(key)
        return row


def cosines(encoder, left: Sequence[str], right: Sequence[str], batch_size: int) -> np.ndarray:
    a = encoder.encode(list(left), batch_size=batch_size)
    b = encoder.encode(list(right), batch_size=batch_size)
    return np.clip(np.einsum("ij,ij->i", a.astype(np.float64), b.astype(np.float64)), -1.0, 1.0)


def _cosine_shard(task: tuple) -> tuple[np.ndarray, np.ndarray | None, str]:
    """Worker: the cosines of one shard with the named encoder (loaded once per worker process)."""
    from pipelines.encoders import get_encoder

    encoder, sources, hyps, refs, batch_size = task
    model = get_encoder(encoder)
    return (cosines(model, sources, hyps, batch_size), None if refs is None else cosines(model, hyps, refs, batch_size),
            model.signature)


def flag_segments(sources: Sequence[str], hyps: Sequence[str], similarity: np.ndarray, rule: FlagRule) -> tuple[list, list, float]:
    ratios = np.array([len(h.strip()) / max(1, len(s.strip())) for s, h in zip(sources, hyps)], dtype=float)
    typical_ratio = float(np.median(ratios[ratios > 0])) if np.any(ratios > 0) else 1.0
    relative = ratios / typical_ratio
    median = float(np.median(similarity))
    spread = 1.4826 * float(np.median(np.abs(similarity - median)))
    threshold = max(rule.floor, median - rule.k * spread)
    flags: list[str | None] = []
    for source, hyp, sim, rel in zip(sources, hyps, similarity, relative):
        if source.strip() and not hyp.strip():
            flags.append("omission")
        elif sim < threshold:
            flags.append("omission" if rel < rule.short else "hallucination" if rel > rule.long else "low-similarity")
        else:
            flags.append(None)
    return flags, relative.tolist(), threshold


def semantic_fidelity(
    sources: Sequence[str],
    hyps: Sequence[str],
    refs: Sequence[str] | None = None,
    *,
    encoder: str | Any = "use",
    batch_size: int = 64,
    rule: FlagRule | None = None,
    executor=None,
) -> SemanticReport:
    """Embedding similarity source↔translation (and translation↔reference) per segment, with flags.
    With an executor (pipelines.execution) the embeddings are computed on its workers shard by shard
    (each sentence's embedding does not depend on its batch); the flags need the whole file, here."""
    from pipelines.encoders import get_encoder

    if len(hyps) == 0:
        raise InputError("no segments to score")
    if len(sources) != len(hyps):
        raise InputError(f"the source has {len(sources)} segments but the translation has {len(hyps)}")
    if refs is not None and len(refs) != len(hyps):
        raise InputError(f"the reference has {len(refs)} segments but the translation has {len(hyps)}")
    rule = rule or FlagRule()
    if executor is not None and isinstance(encoder, (str, type(None))):
        from pipelines.execution.shards import shard_bounds, shard_size

        shards = [(encoder, list(sources[a:b]), list(hyps[a:b]), None if refs is None else list(refs[a:b]), batch_size)
                  for a, b in shard_bounds(len(hyps), shard_size(len(hyps)))]
        parts = executor.map(_cosine_shard, shards, label="semantic")
        model_signature = parts[0][2]
        src_hyp = np.concatenate([p[0] for p in parts])
        hyp_ref = np.concatenate([p[1] for p in parts]) if refs is not None else None
    else:
        model = get_encoder(encoder) if isinstance(encoder, (str, type(None))) or hasattr(encoder, "__fspath__") else encoder
        model_signature = model.signature
        src_hyp = cosines(model, sources, hyps, batch_size)
        hyp_ref = cosines(model, hyps, refs, batch_size) if refs is not None else None
    flags, ratios, threshold = flag_segments(sources, hyps, src_hyp, rule)
    summary: dict[str, Any] = {
        "segments": len(hyps),
        "src_hyp_mean": float(src_hyp.mean()),
        "flagged": sum(f is not None for f in flags),
        "omissions": flags.count("omission"),
        "hallucinations": flags.count("hallucination"),
        "low_similarity": flags.count("low-similarity"),
    }
    if hyp_ref is not None:
        summary["hyp_ref_mean"] = float(hyp_ref.mean())
    pairs = "src-hyp" + ("+hyp-ref" if refs is not None else "")
    return SemanticReport(
        src_hyp=src_hyp.tolist(),
        hyp_ref=None if hyp_ref is None else hyp_ref.tolist(),
        length_ratio=ratios,
        flags=flags,
        signature=f"semantic:cosine|pairs:{pairs}|{model_signature}|{rule.signature}",
        data_hash=data_hash(sources, hyps, refs or []),
        tool_version=calque_version(),
        threshold=threshold,
        summary=summary,
    )
