"""How a learned metric agrees with people on data it was not trained on, judged as `calque meta-eval` judges
every metric (pipelines.metaeval: system pairwise accuracy, SPA, segment acc_eq grouped by item…), and whether
its difference from each baseline is significant (mt-metrics-eval's permutation tests, as meta-eval runs them).

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
from pipelines.metaeval import significance
from pipelines.metaeval.metrics import MetricScores, metric_scores
from pipelines.metaeval.run import MetricRow, compare_metrics, evaluate_metric

REFERENCE_BASELINES = ("chrf", "bleu")
QE_BASELINES = ("embed-sim",)
DECIMALS = {"sys_accuracy": 3, "sys_spa": 4, "seg_acc_eq": 4}  # in tables


@dataclass
class Versus:
    """The judged metric against one baseline on one statistic (significance.STATISTICS): its value minus the
    baseline's, and the one-sided permutation p-values that it beats the baseline by chance, and the reverse."""

    baseline: str
    statistic: str
    delta: float | None
    p_better: float | None
    p_worse: float | None

    def cell(self) -> str:
        """"+0.013 (p=0.040)": the difference, and the p-value of the direction observed (none for a tie)."""
        if self.delta is None:
            return ""
        if abs(self.delta) <= significance.TOLERANCE:
            return "0 (tie)"
        p = self.p_better if self.delta > 0 else self.p_worse
        return f"{self.delta:+.{DECIMALS[self.statistic]}f} ({'p<0.001' if p == 0 else f'p={p:.3f}'})"


@dataclass
class FoldResult:
    """One held-out set: the metric's row and the baselines' rows (a refused baseline has a reason instead),
    and the metric against each baseline (empty when no permutation draws were asked for)."""

    held_out: str
    langs: str
    trained_on: list[str]
    rows: list[MetricRow]
    refused: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    head: str = ""
    versus: list[Versus] = field(default_factory=list)
    sig_samples: int = 0

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


def against_baselines(dataset, scores: MetricScores, baselines: Sequence[str], sig_samples: int = significance.SAMPLES,
                      seed: int = significance.SEED) -> tuple[list[MetricRow], dict[str, str], list[Versus]]:
    """The metric's row and the baselines' rows (a baseline that refuses the set gets its reason), and the
    metric against each baseline with `sig_samples` permutation draws (0: no tests)."""
    rows, scored, refused = [evaluate_metric(dataset, scores)], [scores], {}
    for name in baselines:
        try:
            scored.append(metric_scores(dataset, name))
        except CalqueError as error:
            refused[name] = str(error)
            continue
        rows.append(evaluate_metric(dataset, scored[-1]))
    versus = []
    if sig_samples > 0 and len(rows) > 1:
        judged = rows[0].metric
        for statistic, comparison in compare_metrics(dataset, rows, scored, sig_samples, seed).items():
            versus += [Versus(other.metric, statistic, comparison.deltas[judged][other.metric],
                              comparison.p_values[judged][other.metric], comparison.p_values[other.metric][judged])
                       for other in rows[1:]]
    return rows, refused, versus


def evaluate(model: LearnedModel, dataset, baselines: Sequence[str] | None = None, progress=None,
             sig_samples: int = significance.SAMPLES) -> FoldResult:
    baselines = (REFERENCE_BASELINES if model.needs_reference else QE_BASELINES) if baselines is None else baselines
    rows, refused, versus = against_baselines(dataset, model_scores(model, dataset, progress), baselines, sig_samples)
    head = model.head_for(dataset.src_lang, dataset.tgt_lang).name
    return FoldResult(dataset.name, f"{dataset.src_lang}-{dataset.tgt_lang}", list_training(model), rows, refused,
                      head=head, versus=versus, sig_samples=sig_samples)


def list_training(model: LearnedModel) -> list[str]:
    return [s["name"] for s in (model.header.get("training") or {}).get("sets", [])]


def in_memory(trained: TrainedModel) -> LearnedModel:
    """The model exactly as its file would load (same bytes, same hash), without writing it."""
    return model_from_bytes(model_bytes(trained.header, trained.heads))


def leave_one_set_out(datasets: Sequence, reference: bool = True, seed: int = 0, baselines: Sequence[str] | None = None,
                      name: str | None = None, progress: Callable[[str], None] | None = None,
                      prepared: Sequence[PreparedSet] | None = None,
                      sig_samples: int = significance.SAMPLES) -> list[FoldResult]:
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
        rows, refused, versus = against_baselines(dataset, scores, baselines, sig_samples)
        folds.append(FoldResult(dataset.name, f"{dataset.src_lang}-{dataset.tgt_lang}", [p.name for p in training],
                                rows, refused, settings=trained.header["training"]["chosen"], head=head.name,
                                versus=versus, sig_samples=sig_samples))
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


TABLE_COLUMNS = ["held_out", "langs", "trained_on", "metric", "sys_accuracy", "sys_pairs_agreeing", "sys_spa",
                 "seg_acc_eq", *(f"vs_{statistic}" for statistic in significance.STATISTICS)]
# What a vs_ column holds, for a table's readers.
VERSUS_HEADING = "metric − this baseline: {statistic} (p)"


def table_rows(folds: Sequence[FoldResult]) -> list[dict[str, Any]]:
    """One row per held-out set and metric (TABLE_COLUMNS); a refused baseline gets a row saying so. On a
    baseline's row, vs_X is the judged metric's X minus the baseline's, with the permutation p-value of that
    direction."""
    rows = []
    for fold in folds:
        versus = {(v.baseline, v.statistic): v.cell() for v in fold.versus}
        split = {"held_out": fold.held_out, "langs": fold.langs, "trained_on": ", ".join(fold.trained_on)}
        for row in fold.rows:
            metric = row.metric if row.metric not in ("learned", "learned-qe") else f"{row.metric} ({fold.head} head)"
            values = {**split, "metric": metric, **{c: round(getattr(row, c), DECIMALS[c]) for c in DECIMALS},
                      "sys_pairs_agreeing": f"{round(row.sys_accuracy * row.sys_pairs)}/{row.sys_pairs}",
                      **{f"vs_{s}": versus.get((row.metric, s), "") for s in significance.STATISTICS}}
            rows.append({c: values[c] for c in TABLE_COLUMNS})
        for name in fold.refused:
            values = {**split, "metric": name, **dict.fromkeys(DECIMALS, "refused")}
            rows.append({c: values.get(c, "") for c in TABLE_COLUMNS})
    return rows


def markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] = TABLE_COLUMNS) -> str:
    headings = [VERSUS_HEADING.format(statistic=c[3:]) if c.startswith("vs_") else c for c in columns]
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(row[c], c) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value, column: str) -> str:
    return f"{value:.{DECIMALS[column]}f}" if isinstance(value, float) and column in DECIMALS else str(value)
