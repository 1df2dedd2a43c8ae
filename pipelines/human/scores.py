"""Human scores of the corpus per system, document or segment, for each protocol people rate translations by:

* `mqm`: error spans weighted by severity (pipelines.mqm, lower is better);
* `esa`, `da`: direct 0–100 scores (ESA: after marking error spans; DA: a score alone), stored as score markers
  (corpus.typology.SCORE_MARKERS) by `calque annotate import` (Appraise exports, score files) — higher is better.

For esa and da a segment's score is the mean of its ratings (a segment rated by several annotators, or twice by one,
averages them, as WMT's score files do), a document's and a system's the mean over their rated segments. Rejected
ratings never count, stale ones (their segment changed since) only when asked for.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corpus.errors import InputError
from corpus.typology import SCORE_MARKERS
from pipelines.provenance import calque_signature, data_hash
from pipelines.mqm import LEVELS

PROTOCOLS = ("mqm", "esa", "da")


@dataclass
class HumanScores:
    protocol: str
    level: str
    frame: pd.DataFrame
    higher_is_better: bool
    signature: str
    data_hash: str
    excluded: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from pipelines.mqm.scoring import _plain

        return {"protocol": self.protocol, "level": self.level, "higher_is_better": self.higher_is_better, "signature": self.signature,
                "data_hash": self.data_hash, "excluded": self.excluded, "scores": _plain(self.frame.to_dict("records"))}


def _ratings(corpus, marker: str, document_id: str | None, translation_ids: list[str] | None,
             include_stale: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    notes = corpus.annotations(document_id=document_id)
    excluded = {"rejected": 0, "stale": 0, "not_a_number": 0}
    if notes.empty:
        return notes, excluded
    notes = notes[notes.category == marker]
    if translation_ids is not None:
        notes = notes[notes.translation_id.isin(translation_ids)]
    rejected = notes.status == "rejected"
    stale = notes.stale.astype(bool) & ~rejected
    values = pd.to_numeric(notes.comment, errors="coerce")
    unreadable = values.isna() & ~rejected & (include_stale | ~stale)
    excluded = {"rejected": int(rejected.sum()), "stale": 0 if include_stale else int(stale.sum()), "not_a_number": int(unreadable.sum())}
    keep = ~rejected & (include_stale | ~stale) & ~unreadable
    return notes[keep].assign(value=values[keep]), excluded


def _direct(corpus, protocol: str, by: str, document_id: str | None, translation_ids: list[str] | None,
            include_stale: bool) -> HumanScores:
    ratings, excluded = _ratings(corpus, SCORE_MARKERS[protocol], document_id, translation_ids, include_stale)
    if ratings.empty:
        raise InputError(f"the corpus holds no {protocol} scores (import them: `calque annotate import --format scores FILE "
                         f"--protocol {protocol}`, or an Appraise export with --format appraise)")
    translations = corpus.translations()
    system_of = {t.id: (t.system if isinstance(t.system, str) and t.system else t.id) for t in translations.itertuples()}
    producer_of = dict(zip(translations.id, translations.producer))
    segments = (ratings.groupby(["document_id", "translation_id", "segment_idx"], sort=True)
                .agg(score=("value", "mean"), ratings=("value", "size"), raters=("annotator", "nunique")).reset_index()
                .rename(columns={"segment_idx": "segment"}))
    segments.insert(0, "system", segments.translation_id.map(system_of))
    segments.insert(1, "producer", segments.translation_id.map(producer_of))
    if by == "segment":
        frame = segments
    else:
        keys = ["system", "producer"] if by == "system" else ["document_id", "system", "producer"]
        frame = (segments.groupby(keys, sort=False).agg(score=("score", "mean"), segments=("segment", "size"), ratings=("ratings", "sum"))
                 .reset_index())
        if by == "system":
            frame = frame.sort_values(["score", "system"], ascending=[False, True]).reset_index(drop=True)
            frame.insert(0, "rank", range(1, len(frame) + 1))
        else:
            frame = frame.sort_values(["document_id", "score", "system"], ascending=[True, False, True]).reset_index(drop=True)
            frame.insert(0, "rank", frame.groupby("document_id").cumcount() + 1)
    lines = sorted(f"{n.segment_id}|{n.segment_hash}|{n.annotator}|{n.comment}" for n in ratings.itertuples(index=False))
    hashed = data_hash(lines)
    signature = calque_signature(f"metric:{protocol}|level:{by}|segment:mean-of-ratings|aggregate:mean-over-rated-segments"
                                 f"|stale:{'included' if include_stale else 'excluded'}", hashed)
    return HumanScores(protocol, by, frame, True, signature, hashed, excluded)


def score(corpus, protocol: str = "mqm", by: str = "system", document_id: str | None = None, translation_ids: list[str] | None = None,
          include_stale: bool = False, weights: str | None = None) -> HumanScores:
    """Human scores of one protocol at the system, document or segment level (see the module docstring)."""
    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r} (expected one of {', '.join(PROTOCOLS)})")
    if by not in LEVELS:
        raise InputError(f"unknown level {by!r} (expected one of {', '.join(LEVELS)})")
    if protocol != "mqm":
        if weights is not None:
            raise InputError("--weights apply to MQM only")
        return _direct(corpus, protocol, by, document_id, translation_ids, include_stale)
    from pipelines.mqm import score as mqm_score

    result = mqm_score(corpus, by=by, weights=weights, include_stale=include_stale, document_id=document_id, translation_ids=translation_ids)
    return HumanScores("mqm", by, result.frame, False, result.signature, result.data_hash, result.excluded)
