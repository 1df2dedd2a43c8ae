"""The demo's MQM step: score the demo translations from their hand annotations."""
from __future__ import annotations

from pathlib import Path

from pipelines.mqm.scoring import score


def mqm_step(corpus, workdir: Path) -> str:
    """One entry per annotated demo translation: its MQM score with the defaults every command uses
    (Google 2021 weights, unmarked segments of a reviewed translation count 0; lower is better)."""
    result = score(corpus, by="segment")
    if result.frame.empty:
        return "no annotations to score"
    per_translation = result.frame.groupby("translation_id").agg(score=("score", "mean"), errors=("errors", "sum"), segments=("segment", "size"))
    parts = [f"{row.Index} {row.score:.2f} ({int(row.errors)} errors, {int(row.segments)} segments)" for row in per_translation.itertuples()]
    return f"MQM per segment ({result.signature}), lower is better: " + "; ".join(parts)
