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
    "pipelines.cli.human_commands",
    "pipelines.cli.metric_commands",
]

# Which module registers each command, so that running one command imports only its module (click's
# documented lazy-group pattern). A module in COMMAND_MODULES without an entry here is loaded eagerly.
LAZY_COMMANDS = {
    **dict.fromkeys(["init", "import", "ls", "show", "stats", "export", "log", "resegment", "demo", "migrate"], "pipelines.cli.corpus_commands"),
    **dict.fromkeys(["eval", "semantic", "terms"], "pipelines.cli.eval_commands"),
    "serve": "pipelines.cli.serve_commands",
    "release": "pipelines.cli.release_commands",
    **dict.fromkeys(["annotate", "mqm", "agreement", "typology"], "pipelines.cli.annotate_commands"),
    "check": "pipelines.cli.check_commands",
    **dict.fromkeys(["bench", "report", "meta-eval"], "pipelines.cli.bench_commands"),
    **dict.fromkeys(["align", "align-files", "align-eval"], "pipelines.cli.align_commands"),
    "campaign": "pipelines.cli.campaign_commands",
    "human": "pipelines.cli.human_commands",
    "metric": "pipelines.cli.metric_commands",
}


class CalqueGroup(click.Group):
    """Loads command modules on first use, and turns CalqueError into a one-line `Error: …` and exit
    status 1 instead of a traceback."""

    _loaded: set[str] = set()

    def _load(self, module: str) -> None:
        if module not in self._loaded:
            self._loaded.add(module)
            importlib.import_module(module).register(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in COMMAND_MODULES:
            if module not in LAZY_COMMANDS.values():
                self._load(module)
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str):
        if name not in self.commands and name in LAZY_COMMANDS:
            self._load(LAZY_COMMANDS[name])
        if name not in self.commands:
            self.list_commands(ctx)
        return self.commands.get(name)

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


