"""Human-judged sets for training and meta-evaluating metrics, read from the inputs `calque meta-eval` reads:
a Google MQM TSV, or a score file (`system seg_id score`) with a WMT-layout test set.

A sets file lists several of them (JSON; relative paths are relative to the file):

    {"sets": [
      {"name": "ted-en-de", "mqm": "mqm_ted_ende.tsv", "langs": "en-de", "reference": "ref"},
      {"name": "wmt24-en-cs", "scores": "esa_scores.en-cs.tsv", "testset": "wmt24_encs", "langs": "en-cs",
       "reference": "A", "higher_is_better": true}
    ]}
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import InputError

KEYS = {"name", "mqm", "scores", "testset", "langs", "reference", "higher_is_better", "weights"}


@dataclass(frozen=True)
class JudgedSetSpec:
    """Where one set's texts and human scores are: `mqm` (a Google MQM TSV) or `scores` + `testset`."""

    name: str | None = None
    mqm: str | None = None
    scores: str | None = None
    testset: str | None = None
    langs: str | None = None
    reference: str | None = None
    higher_is_better: bool = False
    weights: str | None = None

    def load(self):
        """The set as a pipelines.metaeval MetaEvalSet (named `name` when given)."""
        from pipelines.metaeval import from_google_mqm, from_score_file

        if bool(self.mqm) == bool(self.scores):
            raise InputError("a judged set names either an MQM TSV (mqm) or a score file (scores) with a test set")
        if self.mqm:
            src, tgt = self.langs.split("-", 1) if self.langs else (None, None)
            dataset = from_google_mqm(self.mqm, reference=self.reference or "ref", weights=self.weights,
                                      src_lang=src, tgt_lang=tgt)
        else:
            if not self.testset or not self.langs:
                raise InputError("a score file needs its test set folder (testset) and languages (langs)", self.scores)
            from pipelines.bench.layouts import load_testset

            dataset = from_score_file(self.scores, load_testset(self.testset, self.langs), self.reference,
                                      self.higher_is_better)
        if self.name:
            dataset.name = self.name
        return dataset


def read_sets_file(path: str | Path) -> list[JudgedSetSpec]:
    """The sets listed in a JSON sets file; paths in it are resolved against the file's folder."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("sets file not found", str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(f"not valid JSON ({getattr(error, 'msg', error)})", str(path), line) from None
    entries = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError('expected {"sets": [ ... ]} with at least one set', str(path))
    return [_spec(entry, number, path) for number, entry in enumerate(entries, start=1)]


def _spec(entry: Any, number: int, path: Path) -> JudgedSetSpec:
    where = f"set {number}"
    if not isinstance(entry, dict):
        raise InputError(f"{where} is not an object", str(path))
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise InputError(f"{where} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(KEYS))}", str(path))
    for key in ("mqm", "scores", "testset"):
        if key in entry and not isinstance(entry[key], str):
            raise InputError(f"{where}: {key} must be a path", str(path))
    resolved = {k: str((path.parent / entry[k]).resolve()) if k in ("mqm", "scores", "testset") and entry.get(k) else entry.get(k)
                for k in KEYS if k in entry}
    if bool(resolved.get("mqm")) == bool(resolved.get("scores")):
        raise InputError(f"{where} must name either mqm or scores", str(path))
    if resolved.get("scores") and not (resolved.get("testset") and resolved.get("langs")):
        raise InputError(f"{where}: a score file needs testset and langs", str(path))
    resolved["higher_is_better"] = bool(resolved.get("higher_is_better", False))
    return JudgedSetSpec(**resolved)


def load_sets(path: str | Path) -> list:
    return [spec.load() for spec in read_sets_file(path)]
