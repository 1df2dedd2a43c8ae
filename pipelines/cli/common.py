"""Helpers every command module shares: opening the corpus, printing JSON or tables, progress bars."""
from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click

from corpus.errors import InputError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")

METRICS_HELP = ("Comma-separated: bleu, chrf, chrf++, ter, learned, learned-qe (reference-free), learned:FILE, embed-sim "
                "(reference-free), comet:CHECKPOINT, metricx:FOLDER (local models; see README).")
TOKENIZE_HELP = ("BLEU's tokeniser (sacrebleu's: 13a, zh, ja-mecab, ko-mecab, intl, char, none, …). Default: what "
                 "`sacrebleu -l SRC-TGT` uses for the target language (zh, ja-mecab, ko-mecab, else 13a).")


def tokenize_option(function):
    return click.option("--tokenize", metavar="NAME", help=TOKENIZE_HELP)(function)


def open_corpus(ctx: click.Context):
    from corpus import Corpus

    return Corpus.open(ctx.find_root().obj["corpus_dir"])


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_jsonl(rows: Iterable[dict]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False, default=str))


def echo_table(rows: list[dict], columns: list[str] | None = None, max_width: int = 60, wrap_last: bool = False) -> None:
    """A plain aligned text table for people; programs use --json.

    Cells longer than max_width are cut with "…", except, with wrap_last, the last column (a message),
    which wraps onto continuation lines within the terminal width so nothing is lost."""
    if not rows:
        click.echo("(nothing)")
        return
    columns = columns or list(rows[0])

    def cell(value: Any, limit: int | None = max_width) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"

    last = columns[-1]
    widths = {c: max(len(c), *(len(cell(r.get(c))) for r in rows)) for c in columns}
    indent = sum(widths[c] + 2 for c in columns[:-1])
    if wrap_last:
        import shutil
        import textwrap

        room = max(30, shutil.get_terminal_size((120, 40)).columns - indent)
        widths[last] = min(room, max(len(last), *(len(cell(r.get(last), None)) for r in rows)))
    click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    click.echo("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        head = "  ".join(cell(row.get(c)).ljust(widths[c]) for c in columns[:-1])
        if not wrap_last:
            click.echo((head + ("  " if head else "") + cell(row.get(last)).ljust(widths[last])).rstrip())
            continue
        lines = textwrap.wrap(cell(row.get(last), None), widths[last], break_on_hyphens=False) or [""]
        click.echo((head + ("  " if head else "") + lines[0]).rstrip())
        for line in lines[1:]:
            click.echo(" " * indent + line)


def progress_enabled() -> bool:
    return sys.stderr.isatty()


ANNOTATOR_HELP = ("Who annotates: each distinct name is one MQM rater (default: CALQUE_ANNOTATOR, "
                  "else CALQUE_USER, else your login name).")


def annotator_option(help_text: str = ANNOTATOR_HELP):
    return click.option("--annotator", envvar="CALQUE_ANNOTATOR", metavar="NAME", help=help_text)


def resolve_annotator(annotator: str | None) -> str:
    """--annotator / CALQUE_ANNOTATOR, else CALQUE_USER or the login name, said out loud on stderr so
    nobody becomes an extra MQM rater by accident."""
    if annotator:
        return annotator
    import os

    from corpus.clock import current_actor

    name = current_actor()
    source = "CALQUE_USER" if os.environ.get("CALQUE_USER") else "your login name"
    click.echo(f"annotator: {name} (from {source}; choose with --annotator NAME or CALQUE_ANNOTATOR)", err=True)
    return name
def execution_options(function):
    """--scheduler / --workers: where the heavy work of a command runs (pipelines.execution)."""
    function = click.option("--workers", type=click.IntRange(min=1), default=None,
                            help="Run on a local Dask cluster of N worker processes.")(function)
    return click.option("--scheduler", metavar="ADDRESS", envvar="CALQUE_SCHEDULER", default=None,
                        help="Run on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786 (or set CALQUE_SCHEDULER). "
                             "Without it or --workers: in this process.")(function)


def shard_options(function):
    """--shards DIR / --resume: per-segment results as Parquet shards, reused by an interrupted run."""
    function = click.option("--resume", is_flag=True, help="Reuse the shards already written to --shards.")(function)
    return click.option("--shards", "shards_dir", type=click.Path(file_okay=False), default=None,
                        help="Write per-segment statistics and scores as Parquet shards here (one file per shard).")(function)


def bootstrap_option(function):
    """--bootstrap auto|exact|sharded: how confidence intervals and paired bootstrap tests draw their resamples."""
    return click.option("--bootstrap", "bootstrap", type=click.Choice(["auto", "exact", "sharded"]), default="auto",
                        show_default=True,
                        help="exact: sacrebleu's draws, every segment's statistics gathered here; sharded: totals and "
                             "resamples reduced on the workers, drawn shard by shard with the same distribution "
                             "(signatures say draws:sharded; segment scores go to --shards only); auto: exact up to "
                             "500,000 system-segments.")(function)


def open_executor(scheduler: str | None, workers: int | None):
    """The executor for --scheduler/--workers; names the cluster and its dashboard on stderr."""
    from pipelines.execution import executor_for

    return executor_for(scheduler=scheduler, workers=workers, progress=progress_enabled(),
                        announce=lambda line: click.echo(line, err=True))


def open_shards(shards_dir: str | None, resume: bool):
    from corpus.errors import InputError

    if resume and not shards_dir:
        raise InputError("--resume needs --shards DIR (where the earlier run wrote its shards)")
    if shards_dir is None:
        return None
    from pipelines.execution import ShardStore

    return ShardStore(shards_dir, warn=lambda line: click.echo(f"Warning: {line}", err=True))


# Where a command reads human judgements from the corpus: which protocol's scores (pipelines.human), or a
# campaign's results.
protocol_option = click.option(
    "--protocol", type=click.Choice(["mqm", "esa", "da"]),
    help="Without a file of human scores: which of the corpus's human scores to use (default mqm: its error "
         "spans; esa, da: the scores `annotate import` stored).")
campaign_option = click.option(
    "--campaign", help="Without a file of human scores: the results of this campaign of the corpus (its protocol).")


def refuse_corpus_choice_beside(file_option: str | None, protocol: str | None, campaign: str | None) -> None:
    """--protocol and --campaign choose among the corpus's judgements: refused when `file_option` gave them in a file."""
    if file_option and (protocol or campaign):
        raise InputError(f"{'--protocol' if protocol else '--campaign'} chooses the corpus's human scores: leave it out "
                         f"with {file_option}")


def corpus_judgements(corpus, reference: str | None, weights: str | None, protocol: str | None, campaign: str | None):
    """The corpus's human-judged set (pipelines.metaeval.from_corpus) for --protocol or --campaign."""
    from pipelines.metaeval import from_corpus

    if campaign is None:
        return from_corpus(corpus, reference=reference, weights=weights, protocol=protocol or "mqm")
    if protocol or weights:
        raise InputError(f"--campaign scores by the campaign's own protocol and weights: leave out "
                         f"{'--protocol' if protocol else '--weights'}")
    from pipelines.campaign.exports import human_scores

    return from_corpus(corpus, reference=reference, scores=human_scores(corpus, campaign))
