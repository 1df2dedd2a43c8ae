"""The `calque` command line: a thin shell over the corpus and pipelines APIs.

Each command module defines click commands and registers them on `main` in COMMAND_MODULES order.
"""
from __future__ import annotations

import importlib
import sys

import click

from corpus.errors import CalqueError
from pipelines.cli.common import CONTEXT_SETTINGS

COMMAND_MODULES = [
    "pipelines.cli.corpus_commands",
    "pipelines.cli.eval_commands",
    "pipelines.cli.serve_commands",
    "pipelines.cli.release_commands",
    "pipelines.cli.annotate_commands",
    "pipelines.cli.check_commands",
    "pipelines.cli.bench_commands",
    "pipelines.cli.align_commands",
    "pipelines.cli.campaign_commands",
]


class CalqueGroup(click.Group):
    """Turns CalqueError into a one-line `Error: …` and exit status 1 instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CalqueError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)


@click.group(cls=CalqueGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--corpus",
    "corpus_dir",
    envvar="CALQUE_CORPUS",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Corpus directory (or set CALQUE_CORPUS).",
)
@click.version_option(package_name="calque-corpus")
@click.pass_context
def main(ctx: click.Context, corpus_dir: str) -> None:
    """Calque: a versioned translation-quality corpus with evaluation pipelines.

    \b
    Example:
      calque demo ./demo-corpus
      calque --corpus ./demo-corpus stats --json
    """
    ctx.ensure_object(dict)
    ctx.obj["corpus_dir"] = corpus_dir


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(main)
