"""`calque metric`: learn a metric from human judgements (train), judge it on held-out data (evaluate), read
a model file (show). The library is pipelines.fidelity.learned."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from corpus.errors import InputError
from pipelines.cli.common import (CONTEXT_SETTINGS, campaign_option, corpus_judgements, echo_json, echo_table, json_option,
                                  progress_enabled, protocol_option, refuse_corpus_choice_beside)

FORMAT_CHOICE = click.Choice(["text", "json", "markdown"])


def judged_set_options(function):
    """Where the human judgements come from: a sets file, one Google MQM TSV, one score file with its WMT-layout
    test set, or (none of these) the corpus's MQM annotations, its ESA/DA scores (--protocol) or a campaign's
    results (--campaign)."""
    options = [
        click.option("--sets", "sets_path", type=click.Path(exists=True, dir_okay=False),
                     help="A JSON file listing several judged sets (see pipelines/bench/judged_sets.py)."),
        click.option("--mqm", "mqm_path", type=click.Path(exists=True, dir_okay=False), help="A Google MQM TSV."),
        click.option("--scores", "scores_path", type=click.Path(exists=True, dir_okay=False),
                     help="A score file: system, seg_id and one score column (with --testset and --langs)."),
        click.option("--testset", "testset_dir", type=click.Path(exists=True, file_okay=False),
                     help="The WMT-layout test set the score file's seg_ids refer to."),
        click.option("--langs", help="Language pair, e.g. en-de."),
        click.option("--reference", help="The reference: a test set reference name (A), or the MQM system holding it (ref)."),
        click.option("--higher-is-better", is_flag=True, help="The score file's scores are higher-is-better (ESA, DA)."),
        click.option("--weights", help="MQM weighting scheme for MQM annotations (default: Google's)."),
        protocol_option,
        campaign_option,
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _datasets(ctx, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better, weights,
              protocol=None, campaign=None) -> list:
    from pipelines.bench.judged_sets import JudgedSetSpec, load_sets

    chosen = [name for name, value in (("--sets", sets_path), ("--mqm", mqm_path), ("--scores", scores_path)) if value]
    if len(chosen) > 1:
        raise InputError(f"give one of --sets, --mqm and --scores (got {' and '.join(chosen)})")
    refuse_corpus_choice_beside(chosen[0] if chosen else None, protocol, campaign)
    if sets_path:
        return load_sets(sets_path)
    if mqm_path or scores_path:
        return [JudgedSetSpec(mqm=mqm_path, scores=scores_path, testset=testset_dir, langs=langs, reference=reference,
                              higher_is_better=higher_is_better, weights=weights).load()]
    from corpus import Corpus

    corpus = Corpus.open(ctx.find_root().obj["corpus_dir"])
    try:
        return [corpus_judgements(corpus, reference, weights, protocol, campaign)]
    finally:
        corpus.close()


class _Steps:
    """A tqdm bar on stderr (off when it is not a terminal) naming the step in progress."""

    def __init__(self, label: str):
        from tqdm import tqdm

        self.bar = tqdm(desc=label, unit="step", disable=not progress_enabled(), leave=False, file=sys.stderr)

    def __call__(self, step: str) -> None:
        self.bar.set_postfix_str(step[:60], refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


@click.group("metric", context_settings=CONTEXT_SETTINGS)
def metric() -> None:
    """Calque's learned metric: train one on human judgements, evaluate it on held-out data.

    \b
    Example:
      calque metric train my-metric.npz --mqm ../shared/data/mqm/ted_ende/mqm_ted_ende.tsv --langs en-de --reference ref
      calque metric evaluate my-metric.npz --scores esa.tsv --testset wmt24_encs --langs en-cs --reference A --higher-is-better
      calque eval --metrics learned:my-metric.npz ...
    """


@metric.command("train")
@click.argument("output", type=click.Path(dir_okay=False))
@judged_set_options
@click.option("--qe", is_flag=True, help="Learn a reference-free metric (source and translation only), like learned-qe.")
@click.option("--name", help="The model's name in signatures (default: the output file's stem).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the item folds (when one set trains a head).")
@json_option
@click.pass_context
def train_command(ctx, output, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better, weights,
                  protocol, campaign, qe, name, seed, as_json) -> None:
    """Learn a metric from human judgements and write it as one model file that `--metrics learned:FILE` uses.

    Human scores (MQM, ESA, DA…) are normalised per set; settings are chosen by cross-validation on these
    sets only (leave one set out; item folds for a single set). The file holds the weights, the feature
    lists, the training data's hashes, this command and the seed.

    \b
    Example:
      calque metric train ted.npz --mqm ../shared/data/mqm/ted_ende/mqm_ted_ende.tsv --langs en-de --reference ref
      calque metric train encs-qe.npz --qe --scores esa_scores.en-cs.tsv --testset wmt24_encs --langs en-cs \\
          --reference A --higher-is-better
      calque --corpus ./mqm-corpus metric train mine.npz --reference ref --json
      calque --corpus ./esa-corpus metric train mine.npz --protocol esa --reference A
      calque --corpus ./corpus metric train ours.npz --campaign spring-esa --reference A
      calque metric train all.npz --sets my_sets.json
    """
    from pipelines.fidelity.learned import read_model, save_model
    from pipelines.metric_training.training import train

    output_path = Path(output)
    if output_path.suffix != ".npz":
        raise InputError("the model file name must end in .npz", output)
    datasets = _datasets(ctx, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better, weights,
                         protocol, campaign)
    steps = _Steps("metric train")
    command = "calque metric " + " ".join(shlex.quote(a) for a in sys.argv[sys.argv.index("train"):]) \
        if "train" in sys.argv else None
    trained = train(datasets, reference=not qe, name=name or output_path.stem, seed=seed, command=command, progress=steps)
    steps.close()
    save_model(output_path, trained.header, trained.heads)
    model = read_model(output_path)
    summary = _summary(model)
    if as_json:
        echo_json(summary)
        return
    click.echo(f"wrote {output_path} ({output_path.stat().st_size:,} bytes)")
    _echo_summary(summary)


def _summary(model) -> dict:
    training = model.header.get("training") or {}
    table = training.get("cross_validation", [])
    chosen = max(table, key=lambda r: r["criterion"]) if table else {}
    heads = [{"head": name, "features": ", ".join(head.features),
              "trained_on": ", ".join((training.get("heads") or {}).get(name, {}).get("trained_on", []))}
             for name, head in model.heads.items()]
    return {"name": model.name, "path": str(model.path) if model.path else None, "sha256": model.sha256,
            "signature": model.signature, "needs_reference": model.needs_reference,
            "training_data": training.get("data_hash"), "command": training.get("command"),
            "settings": chosen.get("settings"), "cv_criterion": chosen.get("criterion"),
            "cv_splits": [{k: s[k] for k in ("split", "head", "sys_accuracy", "seg_acc_eq", "margin")}
                          for s in chosen.get("splits", [])],
            "heads": heads}


def _echo_summary(summary: dict) -> None:
    click.echo(f"signature: {summary['signature']}")
    click.echo(f"training data: {summary['training_data']}")
    for head in summary["heads"]:
        click.echo(f"head {head['head']} (trained on {head['trained_on']}): {head['features']}")
    click.echo(f"settings: {summary['settings']} (chosen on held-out splits of the training data)")
    for split in summary["cv_splits"]:
        click.echo(f"  {split['split']} ({split['head']} head): system accuracy {split['sys_accuracy']:.3f}, "
                   f"acc_eq {split['seg_acc_eq']:.4f}, margin over the replaced metric {split['margin']:+.2f}")


@metric.command("evaluate")
@click.argument("model_name", required=False, metavar="[MODEL]")
@judged_set_options
@click.option("--leave-one-set-out", "loso", is_flag=True,
              help="Instead of a model: for each set of --sets, train on the others and judge on it.")
@click.option("--qe", is_flag=True, help="With --leave-one-set-out: train reference-free metrics.")
@click.option("--baselines", help="Metrics to show beside it (default: chrf,bleu; embed-sim for a reference-free model).")
@click.option("--seed", type=int, default=0, show_default=True, help="With --leave-one-set-out: the training seed.")
@click.option("--sig-samples", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Permutation draws of the significance test against each baseline (0 skips the tests).")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True)
@json_option
@click.pass_context
def evaluate_command(ctx, model_name, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better,
                     weights, protocol, campaign, loso, qe, baselines, seed, sig_samples, fmt, as_json) -> None:
    """How a learned metric agrees with people on held-out data: system pairwise accuracy, SPA and segment
    acc_eq (as `calque meta-eval` computes them) beside baseline metrics, each row naming its split; on a
    baseline's row, the metric minus that baseline with the permutation test's p-value ("learned beats chrF
    here, p < 0.05").

    MODEL is a model file, `learned` or `learned-qe` (the shipped ones).

    \b
    Example:
      calque metric evaluate ted.npz --scores mqm_scores.en-de.tsv --testset newstest2021_ende --langs en-de --reference A
      calque metric evaluate learned-qe --mqm ../shared/data/mqm/ted_ende/mqm_ted_ende.tsv --langs en-de --reference ref
      calque metric evaluate --leave-one-set-out --sets scripts/learned_metric_sets.json --format markdown
    """
    from pipelines.fidelity.learned import load_model
    from pipelines.metric_training import evaluation

    baseline_names = [b.strip() for b in baselines.split(",") if b.strip()] if baselines else None
    steps = _Steps("metric evaluate")
    if loso:
        if model_name:
            raise InputError("--leave-one-set-out trains its own models: give no MODEL")
        if not sets_path:
            raise InputError("--leave-one-set-out needs --sets FILE with at least two sets")
        datasets = _datasets(ctx, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better,
                             weights, protocol, campaign)
        if len(datasets) < 2:
            raise InputError("--leave-one-set-out needs at least two sets", sets_path)
        folds = evaluation.leave_one_set_out(datasets, reference=not qe, seed=seed, baselines=baseline_names, progress=steps,
                                             sig_samples=sig_samples)
    else:
        if qe:
            raise InputError("--qe applies to --leave-one-set-out; for a model give learned-qe or its file")
        model = load_model(model_name or "learned")
        datasets = _datasets(ctx, sets_path, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better, weights,
                             protocol, campaign)
        folds = [evaluation.evaluate(model, dataset, baseline_names, sig_samples=sig_samples) for dataset in datasets]
        for _ in datasets:
            steps("evaluated")
    steps.close()
    if as_json or fmt == "json":
        echo_json({"folds": [f.to_dict() for f in folds]})
        return
    rows = evaluation.table_rows(folds)
    if fmt == "markdown":
        click.echo(evaluation.markdown_table(rows))
        return
    echo_table(rows)
    if any(fold.versus for fold in folds):
        click.echo(f"vs_X: on a baseline's row, the metric's X minus the baseline's, with the one-sided p-value of that "
                   f"direction (mt-metrics-eval's permutation test, {sig_samples} draws)")
    for fold in folds:
        for name, reason in fold.refused.items():
            click.echo(f"{fold.held_out}: {name} refused: {reason}")
        for row in fold.rows:
            click.echo(f"{fold.held_out}: {row.metric}: {row.signature}")


@metric.command("show")
@click.argument("model_name", metavar="MODEL")
@json_option
def show_command(model_name, as_json) -> None:
    """What a model file holds: name, hash, signature, heads, features, training data and command.

    \b
    Example:
      calque metric show learned
      calque metric show my-metric.npz --json
    """
    from pipelines.fidelity.learned import load_model

    model = load_model(model_name)
    if as_json:
        echo_json({**_summary(model), "header": model.header})
        return
    _echo_summary(_summary(model))


def register(main: click.Group) -> None:
    main.add_command(metric)
