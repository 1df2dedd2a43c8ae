"""Regenerate tests/data/learned/shipped_scores.json: the shipped models' scores on
tests/data/learned/shipped_fixture.tsv, which tests/fidelity/learned/test_model.py expects them to reproduce.

    python scripts/learned_metric_fixture.py

Run it after retraining the shipped models (scripts/train_learned_metric.py); the test names the model's sha256,
so a stale fixture fails with a message saying to run this.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURE = REPO / "tests" / "data" / "learned" / "shipped_fixture.tsv"
EXPECTED = REPO / "tests" / "data" / "learned" / "shipped_scores.json"


def read_fixture(path: Path = FIXTURE) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]


def score_fixture(model, rows: list[dict[str, str]]) -> list[float]:
    """Scores in fixture order, one `score` call per language pair."""
    scores: list[float | None] = [None] * len(rows)
    for langs in dict.fromkeys(r["langs"] for r in rows):
        index = [i for i, r in enumerate(rows) if r["langs"] == langs]
        src, tgt = langs.split("-")
        values = model.score([rows[i]["source"] for i in index], [rows[i]["translation"] for i in index],
                             [rows[i]["reference"] for i in index] if model.needs_reference else None, src, tgt)
        for i, value in zip(index, values):
            scores[i] = float(value)
    return scores  # type: ignore[return-value]


def main() -> None:
    from pipelines.fidelity.learned import load_model

    rows = read_fixture()
    out = {}
    for name in ("learned", "learned-qe"):
        model = load_model(name)
        out[name] = {"model": model.name, "sha256": model.sha256, "scores": score_fixture(model, rows)}
    EXPECTED.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    main()
