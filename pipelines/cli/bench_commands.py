"""Benchmark commands: bench (systems × metrics × checks, significance clusters, HTML report),
report (the corpus report) and meta-eval (metrics against human MQM scores)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from corpus.errors import InputError
from pipelines.cli.common import (
    METRICS_HELP,
    bootstrap_option,
    echo_json,
    echo_table,
    execution_options,
    json_option,
    open_executor,
    open_shards,
    progress_enabled,
    protocol_option,
    campaign_option,
    corpus_judgements,
    refuse_corpus_choice_beside,
    shard_options,
    tokenize_option,
)

FORMAT_CHOICE = click.Choice(["text", "json", "csv", "latex", "markdown"])


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


def _corpus_if_any(ctx: click.Context, required: bool = False):
    """The corpus from --corpus/CALQUE_CORPUS; when neither was given and '.' is no corpus, None."""
    from corpus import Corpus
    from corpus.store import CONFIG_FILE

    root = ctx.find_root()
    directory = Path(root.obj["corpus_dir"])
    source = root.get_parameter_source("corpus_dir")
    explicit = source is not None and source.name != "DEFAULT"
    if not explicit and not (directory / CONFIG_FILE).is_file() and not required:
        return None
    return Corpus.open(directory)


class _Progress:
    """A tqdm bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int | None, label: str):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=label, unit="step", disable=not progress_enabled(), leave=False, file=sys.stderr)

    def __call__(self, step: str) -> None:
        self.bar.set_postfix_str(step, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


@click.command("bench")
@click.argument("suite", required=False, type=click.Path(dir_okay=False, exists=True))
@click.option("--testset", "testset_dir", type=click.Path(), help="Test set: a directory in the WMT text layout (sources/, references/, system-outputs/), "
                   "Parquet (a file or a directory of part files) with columns source, ref:NAME, sys:SYSTEM, or a release "
                   "directory (CORPUS/releases/VERSION: its MT translations against its human ones).")
@click.option("--langs", help="Language pair of the test set, e.g. en-de.")
@click.option("--name", "set_name", help="Test set name when the directory holds several for the pair.")
@click.option("--refs", help="Reference name(s), comma-separated; several are used together (multi-reference). Default: the first.")
@click.option("--systems", help="Only these systems (comma-separated).")
@click.option("-m", "--metrics", default="bleu,chrf,ter", show_default=True, help=METRICS_HELP)
@tokenize_option
@click.option("--checks/--no-checks", default=True, show_default=True, help="Run the deterministic artifact checks.")
@click.option("--only-checks", help="Run only these checks (names or finding types, comma-separated).")
@click.option("--terms", "terms_path", type=click.Path(dir_okay=False), help="Term list or glossary for terminology success and consistency.")
@click.option("--terms-key", help="Key of the term object in JSONL term files (WMT25: proper or random).")
@click.option("--mqm", "mqm_path", type=click.Path(dir_okay=False), help="Google MQM TSV annotating these systems.")
@click.option("--n-samples", type=click.IntRange(min=0), default=1000, show_default=True, help="Bootstrap resamples for CIs and paired tests (0: none).")
@click.option("--test", type=click.Choice(["bs", "ar"]), default="bs", show_default=True, help="Paired test between all systems.")
@click.option("--correction", type=click.Choice(["holm", "bh", "none"]), default="holm", show_default=True, help="Correction across all system pairs.")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05, show_default=True)
@bootstrap_option
@execution_options
@shard_options
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write the HTML report here.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True, help="Table format on stdout.")
@click.option("--no-store", is_flag=True, help="Do not store the results in the corpus.")
@json_option
@click.pass_context
def bench(ctx, suite, testset_dir, langs, set_name, refs, systems, metrics, tokenize, checks, only_checks, terms_path, terms_key,
          mqm_path, n_samples, test, correction, alpha, bootstrap, scheduler, workers, shards_dir, resume, report_path, fmt,
          no_store, as_json) -> None:
    """Benchmark systems: scores with CIs, significance clusters, check findings, report.

    Reads a suite file (TOML/YAML), a WMT-layout test set (--testset), or, with neither, the corpus
    (its machine translations against its human translations). Results go to the corpus given by
    --corpus/CALQUE_CORPUS with the data hash and every metric signature. BLEU tokenises for the test
    set's target language as `sacrebleu -l` does; segment-level metrics (comet:…, metricx:…) read its sources.

    Segment statistics and checks run in shards: in this process, on a local Dask cluster
    (--workers N) or on a running scheduler (--scheduler); the figures are the same everywhere.
    Beyond 500,000 system-segments (or with --bootstrap sharded) the workers reduce each system's
    statistics to totals and bootstrap resamples drawn shard by shard: the same corpus scores, CIs of
    the same distribution (signature: draws:sharded), and the client's memory does not grow with the data.

    \b
    Example:
      calque bench --testset ../shared/data/wmt22_ende --langs en-de --report r.html --json
      calque bench benchmarks/suites/wmt22_ende.toml --format markdown
      calque --corpus ./demo-corpus bench --report demo.html
      calque bench --testset wmt22_ende --langs en-de --scheduler tcp://10.0.0.5:8786 --shards run1/ --resume
      calque bench --testset /shared/wmt22.en-de/ --langs en-de --workers 8   # Parquet parts
      calque bench --testset corpus/releases/1.2.0 --langs en-de --workers 8   # a release's tables
      calque bench --testset big_set --langs en-de --scheduler tcp://10.0.0.5:8786 --bootstrap sharded --shards run2/
    """
    from pipelines.bench import BenchConfig, format_table, load_suite, load_testset, run_bench, run_suite, store_results

    if as_json:
        fmt = "json"
    corpus = None if no_store else _corpus_if_any(ctx, required=not (suite or testset_dir))
    executor = None
    try:
        shards = open_shards(shards_dir, resume)
        if shards is not None and not testset_dir:
            raise InputError("--shards/--resume work with --testset")
        if suite:
            if testset_dir:
                raise InputError("give either a suite file or --testset, not both")
            loaded = load_suite(suite)
            if scheduler or workers:
                executor = open_executor(scheduler, workers)
            progress = _Progress(None, "bench")
            result = run_suite(loaded, progress, executor)
            progress.close()
            report_path = report_path or (str(loaded.report) if loaded.report else None)
        else:
            config = BenchConfig(
                metrics=[m for m in (_csv(metrics) or [])], references=_csv(refs),
                checks=_csv(only_checks) if (checks and only_checks) else checks, terms=terms_path, terms_key=terms_key,
                mqm=mqm_path, n_bootstrap=n_samples, test=test, correction=correction, alpha=alpha, tokenize=tokenize,
                bootstrap=bootstrap,
            )
            executor = open_executor(scheduler, workers)
            if testset_dir:
                if not langs:
                    raise InputError("--testset needs --langs (e.g. en-de)")
                # on a cluster the client keeps where each segment lies; each worker reads its own shard's rows
                testset = load_testset(testset_dir, langs, set_name, lazy=executor.name == "dask", executor=executor)
                for note in testset.notes:
                    click.echo(f"note: {note}", err=True)
                if systems:
                    testset = testset.select(systems=_csv(systems))
                progress = _Progress(len(config.metrics) * len(testset.systems), "bench")
                result = run_bench(testset, config, progress, executor, shards, resume)
                progress.close()
            else:
                from pipelines.bench.corpus_bench import bench_corpus, progress_steps

                source = corpus if corpus is not None else _corpus_if_any(ctx, required=True)
                progress = _Progress(progress_steps(source, config), "bench")
                result = bench_corpus(source, config, progress=progress, executor=executor)
                progress.close()
        if corpus is not None and result["metric_info"]:
            store_results(corpus, result)
            result["corpus"] = str(corpus.path)
    finally:
        if executor is not None:
            executor.close()
        if corpus is not None:
            corpus.close()
    if report_path:
        from pipelines.report import write_report

        result["report"] = str(write_report(result, report_path).resolve())
    click.echo(format_table(result, fmt), nl=False)
    if report_path and fmt == "text":
        click.echo(f"report: {result['report']}")


@click.command("report")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Output file (default: CORPUS/reports/report.html).")
@click.option("--title", help="Report title.")
@click.option("-m", "--metrics", default="bleu,chrf,ter", show_default=True, help=METRICS_HELP)
@tokenize_option
@click.option("--n-samples", type=click.IntRange(min=0), default=1000, show_default=True, help="Bootstrap resamples for CIs and paired tests.")
@click.option("--no-store", is_flag=True, help="Do not store the scores in the corpus.")
@json_option
@click.pass_context
def report(ctx, out_path, title, metrics, tokenize, n_samples, no_store, as_json) -> None:
    """Write the HTML report of the corpus: scores, MQM, check findings, terminology, worst segments.

    \b
    Example:
      calque --corpus ./demo-corpus report --out demo.html
      calque --corpus ./demo-corpus report --json
      calque --corpus ./demo-corpus report --metrics chrf,comet:models/wmt22-comet-da/checkpoints/model.ckpt
    """
    from pipelines.bench import BenchConfig
    from pipelines.report import corpus_report

    corpus = _corpus_if_any(ctx, required=True)
    try:
        out = Path(out_path) if out_path else Path(corpus.path) / "reports" / "report.html"
        config = BenchConfig(metrics=_csv(metrics) or [], n_bootstrap=n_samples, tokenize=tokenize)
        path, result = corpus_report(corpus, out, config, title, store=not no_store)
    finally:
        corpus.close()
    if as_json:
        echo_json({"report": str(path.resolve()), "data_hash": result["testset"]["data_hash"],
                   "systems": [row["system"] for row in result["systems"]],
                   "signatures": {m: i["calque_signature"] for m, i in result["metric_info"].items()}})
    else:
        click.echo(f"report: {path.resolve()}")


@click.command("meta-eval")
@click.option("--mqm", "mqm_path", type=click.Path(dir_okay=False, exists=True), help="Google MQM TSV (e.g. mqm_ted_ende.tsv).")
@click.option("--scores", "scores_path", type=click.Path(dir_okay=False, exists=True),
              help="Human segment scores: columns system, seg_id and a score (needs --testset).")
@click.option("--testset", "testset_dir", type=click.Path(), help="Test set with the texts for --scores (WMT text layout or Parquet, as for bench).")
@click.option("--langs", help="Language pair, e.g. en-de.")
@click.option("--reference", help="System or reference whose translations are the reference (Google MQM: ref).")
@click.option("--higher-is-better", is_flag=True, help="--scores: higher human scores are better (default: lower, as MQM).")
@click.option("-m", "--metrics", default="bleu,chrf,ter,embed-sim", show_default=True, help=METRICS_HELP)
@tokenize_option
@click.option("--weights", help="MQM weights preset or spec (default google-2021).")
@protocol_option
@campaign_option
@click.option("--sig-samples", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Permutation draws per pair of metrics for the significance tests (0: no tests).")
@click.option("--seed", type=int, default=4, show_default=True, help="Seed of the permutation draws.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True, help="Table format on stdout.")
@execution_options
@json_option
@click.pass_context
def meta_eval(ctx, mqm_path, scores_path, testset_dir, langs, reference, higher_is_better, metrics, tokenize, weights, protocol,
              campaign, sig_samples, seed, fmt, scheduler, workers, as_json) -> None:
    """How well metrics agree with human scores: system-level Pearson, pairwise accuracy and soft pairwise
    accuracy (SPA), segment-level Pearson, Kendall tau-b and tie-calibrated acc_eq (as mt-metrics-eval
    defines them), and for every two metrics whether one beats the other significantly on sys_accuracy,
    sys_spa and seg_acc_eq (mt-metrics-eval's permutation tests, as WMT24): each metric's rank is its
    significance cluster; the text and markdown output show the one-sided p-values, --json the full matrices.

    Human scores come from a Google MQM TSV (--mqm), a score file with a WMT-layout test set
    (--scores, --testset), or the corpus's MQM annotations, its ESA/DA scores (--protocol) or a campaign's
    results (--campaign).

    \b
    Example:
      calque meta-eval --mqm ../shared/data/mqm/ted_ende/mqm_ted_ende.tsv --reference ref \\
          --metrics bleu,chrf,ter,embed-sim --format markdown
      calque meta-eval --scores human.tsv --testset wmt22_ende --langs en-de --reference A --json
      calque --corpus ./mqm-corpus meta-eval --reference ref
      calque --corpus ./esa-corpus meta-eval --protocol esa --reference A -m chrf,learned
      calque meta-eval --mqm mqm_ted_ende.tsv --reference ref --workers 2
      calque meta-eval --mqm mqm_ted_ende.tsv --reference ref -m bleu,chrf --sig-samples 1000 --seed 7
    """
    from pipelines.bench.tables import latex_table
    from pipelines.metaeval import from_google_mqm, from_score_file, meta_evaluate, parse_metrics
    from pipelines.metaeval.run import significance_steps

    names = parse_metrics(metrics)
    if as_json:
        fmt = "json"
    corpus = None
    if mqm_path and scores_path:
        raise InputError("give either --mqm or --scores")
    refuse_corpus_choice_beside("--mqm" if mqm_path else "--scores" if scores_path else None, protocol, campaign)
    if mqm_path:
        src, tgt = langs.split("-", 1) if langs else (None, None)
        dataset = from_google_mqm(mqm_path, reference=reference or "ref", weights=weights, src_lang=src, tgt_lang=tgt)
    elif scores_path:
        if not testset_dir or not langs:
            raise InputError("--scores needs --testset DIR and --langs for the texts")
        from pipelines.bench import load_testset

        dataset = from_score_file(scores_path, load_testset(testset_dir, langs), reference, higher_is_better)
    else:
        corpus = _corpus_if_any(ctx, required=True)
        try:
            dataset = corpus_judgements(corpus, reference, weights, protocol, campaign)
        except Exception:
            corpus.close()
            raise
    progress = _Progress(len(names) + significance_steps(len(names), sig_samples), "meta-eval")
    with open_executor(scheduler, workers) as executor:
        report = meta_evaluate(dataset, names, progress, executor if (scheduler or workers) else None,
                               sig_samples=sig_samples, seed=seed, tokenize=tokenize)
    progress.close()
    data = report.to_dict()
    if corpus is not None:
        try:
            from pipelines.metaeval import RESULT_KIND
            from pipelines.provenance import calque_signature

            data["result_id"] = corpus.add_result(RESULT_KIND, report.data_hash, calque_signature(report.signature, report.data_hash),
                                                  data, report.tool_version)
        finally:
            corpus.close()
    if fmt == "json":
        echo_json(data)
        return
    table = report.table().round(4)
    if fmt == "csv":
        click.echo(table.to_csv(index=False), nl=False)
    elif fmt == "markdown":
        click.echo(table.to_markdown(index=False))
        for comparison in report.significance.values():
            click.echo(f"\n{_significance_caption(comparison)}\n")
            click.echo(_significance_frame(comparison).to_markdown(index=False))
    elif fmt == "latex":
        click.echo(latex_table(table, f"{report.name}: {report.human} vs metrics"), nl=False)
    else:
        click.echo(f"{report.name}: {len(report.systems)} systems, {report.items} items, {report.rated_segments} rated segments; "
                   f"human = {report.human} (reference: {report.reference})")
        echo_table(table.to_dict("records"))
        for comparison in report.significance.values():
            click.echo(f"\n{_significance_caption(comparison)}")
            echo_table(_significance_frame(comparison).to_dict("records"))
        click.echo("")
        for row in report.rows:
            click.echo(f"{row.metric}: {row.signature}")
        click.echo(f"human: {report.human_signature}")
        click.echo(f"meta-eval: {data['calque_signature']}")


def _significance_caption(comparison) -> str:
    return (f"{comparison.statistic}: one-sided p-value that the row metric beats the column metric "
            f"({comparison.samples} permutation draws, seed {comparison.seed}); rank = significance cluster, "
            f"a new one where p <= {comparison.alpha}")


def _significance_frame(comparison):
    import pandas as pd

    frame = pd.DataFrame(comparison.matrix_rows())
    frame = frame.round({comparison.statistic: 4, **{m: 3 for m in comparison.metrics}})
    return frame.astype(object).where(frame.notna(), "–")  # a metric against itself


def register(main: click.Group) -> None:
    for command in (bench, report, meta_eval):
        main.add_command(command)
