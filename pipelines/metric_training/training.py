"""Learning a metric from human judgements (MQM, ESA, DA…): features of every rated segment, a pairwise
objective inside each item, settings chosen by cross-validation on the training data only.

- Human scores are oriented higher = better and z-normalised per set, so MQM and ESA sets pool.
- The loss is logistic on the order of two systems' translations of the same item, each pair weighted by how
  far apart the people put them (|Δz|): the model never has to compare different source sentences, and a
  pair counts as much as it moves a system mean. Each set weighs the same in total. Optionally (`system`)
  a second logistic term orders the systems' mean scores of each set.
- Settings (feature list, L2 strength, system term) are chosen from a small grid by leave-one-set-out over
  the training sets (K-fold over items when there is one set): the setting that best beats the metric it
  replaces (sentence chrF; embed-sim for a reference-free model) at both levels on the held-out splits —
  system pairwise accuracy and segment acc_eq, as `pipelines.metaeval.stats` computes them. A model never
  sees its test set.
- Two heads: `encoder` on the sets whose languages the bundled encoder covers, `general` on all sets.
- The score 0–100 is 100·σ(1.702·(a·raw + b)), with a, b fitted so that a·raw + b predicts the z-score:
  about the share of the training segments that people rated lower.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.learned import features as feature_table
from pipelines.fidelity.learned.model import ENCODER_HEAD, GENERAL_HEAD, Head, encoder_covers

ENCODER = "use-multilingual-v3"
LOGISTIC_SCALE = 1.702  # σ(1.702 x) ≈ Φ(x)
INNER_FOLDS = 5  # item folds when only one set trains a head

# Feature lists fixed before looking at held-out data: what every script and language pair shares.
REFERENCE_FEATURES = {
    "core": ["chrf", "bleu", "ref_length_ratio", "src_length_ratio", "src_copy", "copy_excess"],
    "core+checks": ["chrf", "bleu", "ref_length_ratio", "src_length_ratio", "src_copy", "copy_excess",
                    "target_language", "check_findings"],
    "all": ["chrf", "chrf_precision", "chrf_recall", "bleu", "word_f1", "ref_length_ratio", "ref_length_gap",
            "ref_numbers_f1", "ref_punctuation_f1", "src_length_ratio", "src_copy", "copy_excess", "src_numbers_f1",
            "target_script", "empty", "target_language", "check_findings"],
}
QE_FEATURES = {
    "core": ["src_length_ratio", "src_copy", "src_numbers_f1", "src_punctuation_f1", "target_script", "empty",
             "target_language"],
    "core+checks": ["src_length_ratio", "src_copy", "src_numbers_f1", "src_punctuation_f1", "target_script", "empty",
                    "target_language", "check_findings"],
}
ENCODER_FEATURES = {True: ["cos_hyp_ref", "cos_hyp_src", "cos_ref_src"], False: ["cos_hyp_src"]}


@dataclass(frozen=True)
class Settings:
    features: str  # a key of REFERENCE_FEATURES / QE_FEATURES
    l2: float  # L2 penalty on the standardised weights
    system: float = 0.0  # weight of the term ordering each set's system means
    synthetic: float = 0.0  # weight of the synthetic failures (SYNTHETIC), relative to a set's real pairs

    @property
    def label(self) -> str:
        return f"features={self.features},l2={self.l2:g},system={self.system:g},synthetic={self.synthetic:g}"


def default_grid(reference: bool) -> list[Settings]:
    names = REFERENCE_FEATURES if reference else QE_FEATURES
    return [Settings(f, l2, system, synthetic) for f in names for l2 in (1e-4, 1e-2) for system in (0.0, 0.3, 3.0)
            for synthetic in (0.0, 0.1)]


@dataclass
class PreparedSet:
    """One human-judged set with the features of its segments: values (systems × items × features, NaN where
    not computed), oriented z-scored human scores (systems × items, NaN = unrated)."""

    name: str
    src_lang: str
    tgt_lang: str
    features: list[str]
    values: np.ndarray
    target: np.ndarray
    data_hash: str
    systems: list[str] = field(default_factory=list)
    # Features of the synthetic failures of each item (len(SYNTHETIC) × items × features), NaN where not computed.
    synthetic: np.ndarray | None = None

    @property
    def covered(self) -> bool:
        return encoder_covers(ENCODER, self.src_lang, self.tgt_lang)

    def columns(self, names: Sequence[str]) -> np.ndarray:
        return self.values[:, :, [self.features.index(n) for n in names]]

    def synthetic_columns(self, names: Sequence[str]) -> np.ndarray | None:
        return None if self.synthetic is None else self.synthetic[:, :, [self.features.index(n) for n in names]]

    def subset(self, items: np.ndarray) -> "PreparedSet":
        return PreparedSet(self.name, self.src_lang, self.tgt_lang, self.features, self.values[:, items],
                           self.target[:, items], self.data_hash, self.systems,
                           None if self.synthetic is None else self.synthetic[:, items])


# Failures every rater puts below any real translation of the same item, in any language: the source left
# untranslated, and the first half of the reference (an omission). Each item's rated translations are paired
# with them, weighing `Settings.synthetic` of a set's real pairs in total. They can teach what the dev sets
# rarely show (copies, cut-offs); whether they help is judged on real judgements only, like any setting.
SYNTHETIC = ("copied source", "first half of the reference")


def synthetic_failures(source: str, reference: str) -> list[str]:
    """The synthetic failures of one item, in SYNTHETIC order."""
    half = len(reference) // 2
    cut = reference.rfind(" ", 0, half + 1)
    return [source, reference[: cut if cut > 0 else half].rstrip()]


def normalised_target(dataset) -> np.ndarray:
    """Human scores oriented higher = better, z-normalised over the set's rated segments."""
    human = np.asarray(dataset.human_oriented, dtype=float)
    rated = human[~np.isnan(human)]
    if rated.size < 2:
        raise InputError(f"set {dataset.name}: fewer than two rated segments")
    spread = rated.std()
    if spread == 0:
        raise InputError(f"set {dataset.name}: every rated segment has the same human score")
    return (human - rated.mean()) / spread


def prepare(dataset, names: Sequence[str], all_segments: bool = False, progress=None) -> PreparedSet:
    """Features of a meta-evaluation set's rated segments (of every segment with `all_segments`)."""
    from pipelines.encoders import get_encoder

    if not dataset.src_lang or not dataset.tgt_lang:
        raise InputError(f"set {dataset.name}: the source and target languages are needed (--langs)")
    names = list(names)
    covered = encoder_covers(ENCODER, dataset.src_lang, dataset.tgt_lang)
    if not covered:
        names = [n for n in names if feature_table.FEATURES[n].group != "encoder"]
    target = normalised_target(dataset)
    wanted = np.ones_like(target, dtype=bool) if all_segments else ~np.isnan(target)
    rows, cols = np.nonzero(wanted)
    sources = [dataset.sources[c] for c in cols]
    hypotheses = [dataset.hypotheses[dataset.systems[r]][c] for r, c in zip(rows, cols)]
    references = [dataset.references[c] for c in cols]
    encode = get_encoder("use").encode_independent if covered and any(
        feature_table.FEATURES[n].group == "encoder" for n in names) else None
    computed = feature_table.compute(names, sources, hypotheses, references, dataset.src_lang, dataset.tgt_lang,
                                     encode=encode, progress=progress)
    values = np.full(target.shape + (len(names),), np.nan)
    values[rows, cols] = computed
    items = np.nonzero(np.any(~np.isnan(target), axis=0))[0]
    failures = [synthetic_failures(dataset.sources[c], dataset.references[c]) for c in items]
    synthetic = np.full((len(SYNTHETIC), target.shape[1], len(names)), np.nan)
    for kind in range(len(SYNTHETIC)):
        synthetic[kind, items] = feature_table.compute(
            names, [dataset.sources[c] for c in items], [f[kind] for f in failures],
            [dataset.references[c] for c in items], dataset.src_lang, dataset.tgt_lang, encode=encode)
    return PreparedSet(dataset.name, dataset.src_lang, dataset.tgt_lang, names, values, target,
                       dataset.data_hash, list(dataset.systems), synthetic)


# -- fitting ---------------------------------------------------------------------------------------------

def _pairs(sets: Sequence[PreparedSet], names: Sequence[str], synthetic_weight: float = 0.0
           ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Flat matrix of rated segments and the within-item pairs (indices into it) with signs and weights."""
    matrices, first, second, sign, weight = [], [], [], [], []
    sys_members, sys_sign, sys_weight = [], [], []
    synthetic_rows, synthetic_pairs = [], []  # rows appended after the real ones; (set, real row, synthetic row)
    offset = 0
    for number, prepared in enumerate(sets):
        values, target = prepared.columns(names), prepared.target
        rated = ~np.isnan(target) & ~np.any(np.isnan(values), axis=2)
        index = np.full(target.shape, -1)
        index[rated] = offset + np.arange(int(rated.sum()))
        matrices.append(values[rated])
        a, b = np.triu_indices(target.shape[0], k=1)
        f, s, g, w = [], [], [], []
        for item in range(target.shape[1]):
            ok = rated[a, item] & rated[b, item]
            if not ok.any():
                continue
            diff = target[a[ok], item] - target[b[ok], item]
            keep = diff != 0
            if not keep.any():
                continue
            f.append(index[a[ok][keep], item])
            s.append(index[b[ok][keep], item])
            g.append(np.sign(diff[keep]))
            w.append(np.abs(diff[keep]) / ok.sum())
        if w:
            total = np.concatenate(w)
            first += f
            second += s
            sign += g
            weight.append(total / total.sum() / len(sets))
        system_rows = [index[r][index[r] >= 0] for r in range(target.shape[0])]
        means = np.array([np.nanmean(row) if np.any(~np.isnan(row)) else np.nan for row in target])
        pairs = [(i, j) for i, j in zip(a, b) if system_rows[i].size and system_rows[j].size
                 and not math.isnan(means[i]) and not math.isnan(means[j]) and means[i] != means[j]]
        for i, j in pairs:
            sys_members.append((system_rows[i], system_rows[j]))
            sys_sign.append(float(np.sign(means[i] - means[j])))
            sys_weight.append(1.0 / len(pairs) / len(sets))
        failures = prepared.synthetic_columns(names) if synthetic_weight > 0 else None
        if failures is not None:
            for item in range(target.shape[1]):
                for kind in range(failures.shape[0]):
                    if rated[:, item].any() and not np.any(np.isnan(failures[kind, item])):
                        synthetic_rows.append(failures[kind, item])
                        synthetic_pairs += [(number, row, len(synthetic_rows) - 1)
                                            for row in index[:, item][index[:, item] >= 0]]
        offset += int(rated.sum())
    if not first:
        raise InputError("no pair of systems with different human scores on the same item: nothing to learn from")
    real = np.concatenate(matrices)
    weight = np.concatenate(weight)
    first, second, sign = np.concatenate(first), np.concatenate(second), np.concatenate(sign)
    if synthetic_rows:
        set_of, real_row, synthetic_row = (np.array(column) for column in zip(*synthetic_pairs))
        per_set = np.bincount(set_of, minlength=len(sets))
        first = np.concatenate([first, real_row])
        second = np.concatenate([second, len(real) + synthetic_row])
        sign = np.concatenate([sign, np.ones(len(synthetic_pairs))])
        weight = np.concatenate([weight, synthetic_weight / len(sets) / per_set[set_of]])
        flat = np.vstack([real, np.array(synthetic_rows)])
    else:
        flat = real
    return flat, {
        "real_rows": len(real), "first": first, "second": second, "sign": sign, "weight": weight,
        "system_members": sys_members, "system_sign": np.array(sys_sign), "system_weight": np.array(sys_weight),
    }


def _system_matrix(members, n_rows: int) -> np.ndarray:
    """(system pairs × segments): +1/|A| over system A's rows, −1/|B| over system B's."""
    matrix = np.zeros((len(members), n_rows))
    for k, (rows_a, rows_b) in enumerate(members):
        matrix[k, rows_a] += 1.0 / rows_a.size
        matrix[k, rows_b] -= 1.0 / rows_b.size
    return matrix


def fit_linear(sets: Sequence[PreparedSet], names: Sequence[str], settings: Settings) -> Head:
    """A linear head: L-BFGS on the pairwise logistic loss (convex; the optimum does not depend on a seed)."""
    from scipy.optimize import minimize

    flat, pairs = _pairs(sets, names, settings.synthetic)
    mean = flat[: pairs["real_rows"]].mean(axis=0)
    scale = flat[: pairs["real_rows"]].std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (flat - mean) / scale
    diff = z[pairs["first"]] - z[pairs["second"]]
    sign, weight = pairs["sign"], pairs["weight"]
    use_system = settings.system > 0 and len(pairs["system_sign"]) > 0
    if use_system:
        system_diff = _system_matrix(pairs["system_members"], len(z)) @ z
        system_sign, system_weight = pairs["system_sign"], pairs["system_weight"] * settings.system

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (diff @ w)
        value = float(weight @ np.logaddexp(0.0, -margin)) + settings.l2 * float(w @ w)
        gradient = diff.T @ (weight * -sign * _sigmoid(-margin)) + 2 * settings.l2 * w
        if use_system:
            system_margin = system_sign * (system_diff @ w)
            value += float(system_weight @ np.logaddexp(0.0, -system_margin))
            gradient += system_diff.T @ (system_weight * -system_sign * _sigmoid(-system_margin))
        return value, gradient

    result = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B",
                      options={"maxiter": 1000, "gtol": 1e-9})
    head = Head(name="", features=list(names), mean=mean, scale=scale,
                hidden_weights=np.zeros((1, len(names), 0)), hidden_bias=np.zeros((1, 0)),
                output_weights=np.zeros((1, 0)), linear_weights=result.x[None, :])
    head.slope, head.offset = _calibration(head, sets, names)
    return head


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def _calibration(head: Head, sets: Sequence[PreparedSet], names: Sequence[str]) -> tuple[float, float]:
    """(slope, offset) so that σ(slope·raw + offset) ≈ Φ(z): least squares of z on raw, each set equal weight."""
    xs, ys, ws = [], [], []
    for prepared in sets:
        values, target = prepared.columns(names), prepared.target
        rated = ~np.isnan(target) & ~np.any(np.isnan(values), axis=2)
        xs.append(head.raw(values[rated]))
        ys.append(target[rated])
        ws.append(np.full(int(rated.sum()), 1.0 / max(1, int(rated.sum()))))
    x, y, w = np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)
    mx, my = w @ x / w.sum(), w @ y / w.sum()
    spread = w @ (x - mx) ** 2
    a = float(w @ ((x - mx) * (y - my)) / spread) if spread > 0 else 0.0
    a = max(a, 1e-3)
    b = my - a * mx
    return LOGISTIC_SCALE * a, LOGISTIC_SCALE * float(b)


# -- choosing settings -----------------------------------------------------------------------------------

def judge(prepared: PreparedSet, segment_scores: np.ndarray) -> dict[str, float]:
    """System pairwise accuracy (system score = mean segment score over the rated segments) and segment
    acc_eq grouped by item, from pipelines.metaeval.stats, on one held-out set."""
    from pipelines.metaeval import stats

    target = prepared.target
    scores = np.where(np.isnan(target), np.nan, segment_scores)
    human_system = np.array([np.nanmean(r) if np.any(~np.isnan(r)) else np.nan for r in target])
    metric_system = np.array([np.nanmean(r) if np.any(~np.isnan(r)) else np.nan for r in scores])
    accuracy = stats.pairwise_accuracy(human_system, metric_system)[0]
    tie = stats.tie_calibrated_accuracy(target, scores, variant="acc23", average_by="item")
    return {"sys_accuracy": float(accuracy), "seg_acc_eq": float(tie.value)}


def _head_scores(head: Head, prepared: PreparedSet) -> np.ndarray:
    values = prepared.columns(head.features)
    shape = values.shape[:2]
    flat = values.reshape(-1, len(head.features))
    out = np.full(flat.shape[0], np.nan)
    ok = ~np.any(np.isnan(flat), axis=1)
    out[ok] = head.scale_to_100(head.raw(flat[ok]))
    return out.reshape(shape)


def _splits(sets: Sequence[PreparedSet], seed: int) -> list[tuple[str, list[PreparedSet], PreparedSet]]:
    """Held-out splits of the training data: each set once (two sets or more), else item folds of the one set."""
    if len(sets) >= 2:
        return [(f"held out {held.name}", [s for s in sets if s is not held], held) for held in sets]
    only = sets[0]
    items = np.arange(only.target.shape[1])
    rng = np.random.default_rng(seed)
    order = rng.permutation(items)
    folds = np.array_split(order, min(INNER_FOLDS, len(items)))
    return [(f"{only.name} item fold {k + 1}/{len(folds)}", [only.subset(np.setdiff1d(items, fold))], only.subset(np.sort(fold)))
            for k, fold in enumerate(folds) if len(fold)]


# What the learned metric replaces, judged on the same held-out split: sentence chrF with a reference, the
# source-translation cosine (embed-sim) without one; a constant (every pair tied) where that is not computed.
BASELINE_FEATURE = {True: "chrf", False: "cos_hyp_src"}
# Typical noise of each level on these sets (a system pair is 0.01–0.02 of system accuracy; acc_eq moves by a
# few thousandths between metrics), so that a margin of 1 means as much at either level.
MARGIN_SCALE = {"sys_accuracy": 0.05, "seg_acc_eq": 0.005}


def _baseline(held: PreparedSet, reference: bool) -> dict[str, float]:
    name = BASELINE_FEATURE[reference]
    if name in held.features:
        values = held.columns([name])[:, :, 0]
    else:
        values = np.zeros_like(held.target)
    return judge(held, values)


def fit_heads(sets: Sequence[PreparedSet], settings: Settings, reference: bool,
              only_for: PreparedSet | None = None) -> dict[str, Head]:
    """The encoder head (on the sets the encoder covers) and the general head (on all sets); with `only_for`,
    just the head that would score that set."""
    heads = {}
    covered = [p for p in sets if p.covered]
    if covered and (only_for is None or only_for.covered):
        heads[ENCODER_HEAD] = fit_linear(covered, feature_lists(reference, True)[settings.features], settings)
    if only_for is None or ENCODER_HEAD not in heads:
        heads[GENERAL_HEAD] = fit_linear(sets, feature_lists(reference, False)[settings.features], settings)
    for name, head in heads.items():
        head.name = name
    return heads


def choose_settings(sets: Sequence[PreparedSet], grid: Sequence[Settings], reference: bool = True, seed: int = 0,
                    progress: Callable[[str], None] | None = None) -> tuple[Settings, list[dict[str, Any]]]:
    """The grid point that best beats the baseline metric on held-out splits at both levels: the mean over
    splits of the smaller of its two margins (system accuracy and acc_eq, each over its noise scale). Each
    held-out set is scored by the head that would score it (encoder or general), trained on the other sets."""
    table = []
    best: tuple[float, Settings] | None = None
    splits = _splits(sets, seed)
    baselines = [_baseline(held, reference) for _, _, held in splits]
    for settings in grid:
        results = []
        for (label, train_sets, held), baseline in zip(splits, baselines):
            head = next(iter(fit_heads(train_sets, settings, reference, only_for=held).values()))
            judged = judge(held, _head_scores(head, held))
            margin = min((judged[k] - baseline[k]) / scale for k, scale in MARGIN_SCALE.items())
            results.append({"split": label, "head": head.name, **judged, "baseline": baseline, "margin": margin})
        criterion = float(np.mean([r["margin"] for r in results]))
        table.append({"settings": settings.label, "criterion": criterion, "splits": results})
        if progress is not None:
            progress(settings.label)
        if best is None or criterion > best[0] + 1e-12:
            best = (criterion, settings)
    return best[1], table


# -- the whole training ----------------------------------------------------------------------------------

@dataclass
class TrainedModel:
    header: dict[str, Any]
    heads: dict[str, Head]


def feature_lists(reference: bool, encoder: bool) -> dict[str, list[str]]:
    base = REFERENCE_FEATURES if reference else QE_FEATURES
    extra = ENCODER_FEATURES[reference] if encoder else []
    return {key: names + extra for key, names in base.items()}


def all_features(reference: bool) -> list[str]:
    names: list[str] = []
    for lists in (feature_lists(reference, True), feature_lists(reference, False)):
        for values in lists.values():
            names += [n for n in values if n not in names]
    return names


def fit_model(prepared: Sequence[PreparedSet], reference: bool = True, name: str | None = None, seed: int = 0,
              grid: Sequence[Settings] | None = None, command: str | None = None,
              progress: Callable[[str], None] | None = None) -> TrainedModel:
    """Both heads from prepared sets: settings by held-out splits of these sets, then a fit on all of them."""
    if not prepared:
        raise InputError("no human-judged set to train on")
    grid = list(grid or default_grid(reference))
    settings, table = choose_settings(prepared, grid, reference, seed, progress)
    heads = fit_heads(prepared, settings, reference)
    trained_on = {ENCODER_HEAD: [p.name for p in prepared if p.covered], GENERAL_HEAD: [p.name for p in prepared]}
    metric = "learned" if reference else "learned-qe"
    header = {
        "name": name or f"calque-{metric}",
        "needs_reference": reference,
        "encoder": _encoder_description() if ENCODER_HEAD in heads else None,
        "objective": "within-item pairwise logistic, pairs weighted by |delta z|, sets weighted equally; "
                     "linear heads over standardised features; settings by leave-one-set-out on the training sets "
                     "(item folds for one set), the best smaller margin over the replaced metric at system and "
                     "segment level",
        "training": {
            "sets": [{"name": p.name, "langs": f"{p.src_lang}-{p.tgt_lang}", "data_hash": p.data_hash,
                      "systems": int(p.target.shape[0]), "items": int(p.target.shape[1]),
                      "rated": int(np.sum(~np.isnan(p.target)))} for p in prepared],
            "data_hash": training_data_hash(prepared),
            "command": command,
            "seed": seed,
            "grid": [asdict(s) for s in grid],
            "chosen": asdict(settings),
            "heads": {name: {"trained_on": trained_on[name], "features": heads[name].features} for name in heads},
            "cross_validation": table,
        },
        "features": {n: feature_table.FEATURES[n].description for n in all_features(reference)},
    }
    return TrainedModel(header, heads)


def training_data_hash(prepared: Sequence[PreparedSet]) -> str:
    digest = hashlib.sha256()
    for p in sorted(prepared, key=lambda p: p.data_hash):
        digest.update(p.data_hash.encode())
        digest.update(b"\n")
    return f"sha256:{digest.hexdigest()}"


def _encoder_description() -> dict[str, str]:
    from pipelines.encoders import get_encoder

    encoder = get_encoder("use")
    return {"name": encoder.name, "sha256": encoder.model_hash, "signature": encoder.signature}


def train(datasets: Sequence, reference: bool = True, name: str | None = None, seed: int = 0,
          grid: Sequence[Settings] | None = None, command: str | None = None,
          progress: Callable[[str], None] | None = None) -> TrainedModel:
    """Learn a metric from meta-evaluation sets (pipelines.metaeval: from_corpus, from_google_mqm,
    from_score_file): features of their rated segments, then `fit_model`."""
    names = all_features(reference)
    prepared = [prepare(d, names) for d in datasets]
    return fit_model(prepared, reference=reference, name=name, seed=seed, grid=grid, command=command, progress=progress)


def describe(trained: TrainedModel) -> str:
    return json.dumps(trained.header, indent=1, sort_keys=True)
