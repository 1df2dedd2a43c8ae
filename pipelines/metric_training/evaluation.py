"""How a learned metric agrees with people on data it was not trained on, judged as `calque meta-eval` judges
every metric (pipelines.metaeval: system pairwise accuracy, segment acc_eq grouped by item…).

- `evaluate(model, dataset)`: one model file against one human-judged set, beside baseline metrics.
- `leave_one_set_out(datasets)`: for each set, train on all the others (settings chosen on those only) and
  judge on the held-out one; each row names its split.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from corpus.errors import CalqueError
from pipelines.fidelity.learned.model import LearnedModel, model_bytes, model_from_bytes
from pipelines.metric_training.training import PreparedSet, TrainedModel, all_features, fit_model, prepare
from pipelines.metaeval.metrics import MetricScores, metric_scores
from pipelines.metaeval.run import MetricRow, evaluate_metric

REFERENCE_BASELINES = ("chrf", "bleu")
QE_BASELINES = ("embed-sim",)


@dataclass
class FoldResult:
    """One held-out set: the metric's row and the baselines' rows (a refused baseline has a reason instead)."""

    held_out: str
    langs: str
    trained_on: list[str]
    rows: list[MetricRow]
    refused: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    head: str = ""

    def row(self, metric: str) -> MetricRow | None:
        return next((r for r in self.rows if r.metric == metric), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows"] = [{k: v for k, v in asdict(r).items() if k != "system_scores"} for r in self.rows]
        return data


def model_scores(model: LearnedModel, dataset, progress=None) -> MetricScores:
    """Segment scores of every system on every item, the system score their mean (as `--metrics learned`)."""
    sources = [dataset.sources[c] for _ in dataset.systems for c in range(len(dataset.items))]
    hypotheses = [h for s in dataset.systems for h in dataset.hypotheses[s]]
    references = ([dataset.references[c] for _ in dataset.systems for c in range(len(dataset.items))]
                  if model.needs_reference else None)
    flat = model.score(sources, hypotheses, references, dataset.src_lang, dataset.tgt_lang, progress=progress)
    segment = flat.reshape(len(dataset.systems), len(dataset.items))
    system = {s: float(np.mean(row)) for s, row in zip(dataset.systems, segment)}
    return MetricScores(model.metric, system, segment, True, model.signature, reference_free=not model.needs_reference)


def baseline_rows(dataset, names: Sequence[str]) -> tuple[list[MetricRow], dict[str, str]]:
    rows, refused = [], {}
    for name in names:
        try:
            rows.append(evaluate_metric(dataset, metric_scores(dataset, name)))
        except CalqueError as error:
            refused[name] = str(error)
    return rows, refused


def evaluate(model: LearnedModel, dataset, baselines: Sequence[str] | None = None, progress=None) -> FoldResult:
    baselines = (REFERENCE_BASELINES if model.needs_reference else QE_BASELINES) if baselines is None else baselines
    row = evaluate_metric(dataset, model_scores(model, dataset, progress))
    rows, refused = baseline_rows(dataset, baselines)
    head = model.head_for(dataset.src_lang, dataset.tgt_lang).name
    return FoldResult(dataset.name, f"{dataset.src_lang}-{dataset.tgt_lang}", list_training(model), [row, *rows],
                      refused, head=head)


def list_training(model: LearnedModel) -> list[str]:
    return [s["name"] for s in (model.header.get("training") or {}).get("sets", [])]


def in_memory(trained: TrainedModel) -> LearnedModel:
    """The model exactly as its file would load (same bytes, same hash), without writing it."""
    return model_from_bytes(model_bytes(trained.header, trained.heads))


def leave_one_set_out(datasets: Sequence, reference: bool = True, seed: int = 0, baselines: Sequence[str] | None = None,
                      name: str | None = None, progress: Callable[[str], None] | None = None,
                      prepared: Sequence[PreparedSet] | None = None) -> list[FoldResult]:
    """Train on every set but one (settings chosen by held-out splits of those sets only), judge on that one.
    `prepared`: the sets' features of every segment (`prepare(..., all_segments=True)`), when already computed."""
    baselines = (REFERENCE_BASELINES if reference else QE_BASELINES) if baselines is None else baselines
    if prepared is None:
        prepared = []
        for dataset in datasets:
            prepared.append(prepare(dataset, all_features(reference), all_segments=True))
            if progress is not None:
                progress(f"features of {dataset.name}")
    folds = []
    for held, dataset in zip(prepared, datasets):
        training = [p for p in prepared if p is not held]
        trained = fit_model(training, reference=reference, name=name, seed=seed)
        model = in_memory(trained)
        head = model.head_for(dataset.src_lang, dataset.tgt_lang)
        values = held.columns(head.features).reshape(-1, len(head.features))
        segment = np.clip(head.scale_to_100(head.raw(values)), 0.0, 100.0).reshape(held.target.shape)
        system = {s: float(np.mean(row)) for s, row in zip(dataset.systems, segment)}
        scores = MetricScores(model.metric, system, segment, True, model.signature, reference_free=not reference)
        rows, refused = baseline_rows(dataset, baselines)
        folds.append(FoldResult(dataset.name, f"{dataset.src_lang}-{dataset.tgt_lang}", [p.name for p in training],
                                [evaluate_metric(dataset, scores), *rows], refused,
                                settings=trained.header["training"]["chosen"], head=head.name))
        if progress is not None:
            progress(f"held out {dataset.name}")
    return folds


def forced_embedding_rows(datasets: Sequence) -> list[dict[str, Any]]:
    """embed-sim where Calque refuses it (a language the encoder does not list), computed anyway through the
    bundled encoder for reference: cos(source, translation), system score their mean."""
    from pipelines.encoders import get_encoder
    from pipelines.metaeval.metrics import EMBEDDING_METRIC

    encoder = get_encoder("use")
    rows = []
    for dataset in datasets:
        if encoder.supports(dataset.src_lang) and encoder.supports(dataset.tgt_lang):
            continue
        sources = encoder.encode(dataset.sources)
        segment = np.array([np.einsum("ij,ij->i", sources, encoder.encode(dataset.hypotheses[s])) for s in dataset.systems],
                           dtype=float)
        system = {s: float(np.mean(row)) for s, row in zip(dataset.systems, segment)}
        scores = MetricScores(f"{EMBEDDING_METRIC} (forced)", system, segment, True,
                              f"{EMBEDDING_METRIC}|forced outside {encoder.name}'s languages", reference_free=True)
        row = evaluate_metric(dataset, scores)
        rows.append({"held_out": dataset.name, "langs": f"{dataset.src_lang}-{dataset.tgt_lang}",
                     "sys_accuracy": row.sys_accuracy, "sys_pairs": row.sys_pairs, "seg_acc_eq": row.seg_acc_eq})
    return rows


TABLE_COLUMNS = ["held_out", "langs", "trained_on", "metric", "sys_accuracy", "sys_pairs_agreeing", "seg_acc_eq"]


def table_rows(folds: Sequence[FoldResult]) -> list[dict[str, Any]]:
    """One row per held-out set and metric; a refused baseline gets a row saying so."""
    rows = []
    for fold in folds:
        for row in fold.rows:
            metric = row.metric if row.metric not in ("learned", "learned-qe") else f"{row.metric} ({fold.head} head)"
            rows.append({"held_out": fold.held_out, "langs": fold.langs, "trained_on": ", ".join(fold.trained_on),
                         "metric": metric, "sys_accuracy": round(row.sys_accuracy, 3),
                         "sys_pairs_agreeing": f"{round(row.sys_accuracy * row.sys_pairs)}/{row.sys_pairs}",
                         "seg_acc_eq": round(row.seg_acc_eq, 4)})
        for name in fold.refused:
            rows.append({"held_out": fold.held_out, "langs": fold.langs, "trained_on": ", ".join(fold.trained_on),
                         "metric": name, "sys_accuracy": "refused", "sys_pairs_agreeing": "", "seg_acc_eq": "refused"})
    return rows


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "|".join("---" for _ in TABLE_COLUMNS) + "|"]
    lines += ["| " + " | ".join(str(row[c]) for c in TABLE_COLUMNS) + " |" for row in rows]
    return "\n".join(lines)
