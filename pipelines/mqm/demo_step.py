"""The demo's MQM step: score the demo translations from their hand annotations."""
from __future__ import annotations

from pathlib import Path

from pipelines.mqm.scoring import score


def mqm_step(corpus, workdir: Path) -> str:
    """One entry per annotated demo translation: its MQM score under the Google 2021 weights (lower is
    better). The demo's annotator marked errors only, so a segment without marks counts as reviewed and
    faultless (complete_review)."""
    result = score(corpus, by="segment", complete_review=True)
    if result.frame.empty:
        return "no annotations to score"
    per_translation = result.frame.groupby("translation_id").agg(score=("score", "mean"), errors=("errors", "sum"), segments=("segment", "size"))
    parts = [f"{row.Index} {row.score:.2f} ({int(row.errors)} errors, {int(row.segments)} segments)" for row in per_translation.itertuples()]
    return "MQM, google-2021 weights, lower is better: " + "; ".join(parts)
