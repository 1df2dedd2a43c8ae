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
