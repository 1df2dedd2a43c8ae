"""Helpers every command module shares: opening the corpus, printing JSON or tables, progress bars."""
from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def open_corpus(ctx: click.Context):
    from corpus import Corpus

    return Corpus.open(ctx.find_root().obj["corpus_dir"])


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_jsonl(rows: Iterable[dict]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False, default=str))


def echo_table(rows: list[dict], columns: list[str] | None = None, max_width: int = 60) -> None:
    """A plain aligned text table for people; programs use --json."""
    if not rows:
        click.echo("(nothing)")
        return
    columns = columns or list(rows[0])

    def cell(value: Any) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    widths = {c: max(len(c), *(len(cell(r.get(c))) for r in rows)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    click.echo("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        click.echo("  ".join(cell(row.get(c)).ljust(widths[c]) for c in columns))


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
