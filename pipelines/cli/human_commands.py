"""Human-score commands: human score (MQM, ESA or DA, per system, document or segment)."""
from __future__ import annotations

import click

from pipelines.cli.common import echo_json, echo_table, json_option, open_corpus


@click.group("human")
def human() -> None:
    """Human judgements of the corpus's translations, of any protocol.

    \b
    Example:
      calque human score --protocol esa --by system
    """


@human.command("score")
@click.option("--protocol", type=click.Choice(["mqm", "esa", "da"]), default="mqm", show_default=True,
              help="mqm: error spans weighted by severity (lower is better, as `calque mqm score`); esa, da: direct 0-100 scores "
                   "(higher is better).")
@click.option("--by", type=click.Choice(["system", "document", "segment"]), default="system", show_default=True)
@click.option("--document", "document_id", help="Only this document.")
@click.option("--translation", "translation_ids", multiple=True, metavar="T", help="Only these translations (repeatable).")
@click.option("--include-stale", is_flag=True, help="Count judgements whose segment changed since.")
@click.option("--weights", help="mqm: a preset (google-2021, mqm-industry) or 'Major:5 Minor:1 …' (default google-2021).")
@json_option
@click.pass_context
def human_score(ctx, protocol, by, document_id, translation_ids, include_stale, weights, as_json) -> None:
    """Score systems, documents or segments from human judgements: a segment scores the mean of its ratings
    (for MQM: of its raters' error weights), a document or system the mean over its rated segments.

    \b
    Example:
      calque human score --protocol esa --by system
      calque human score --protocol da --by document --json
      calque human score --protocol mqm --by segment --weights mqm-industry
    """
    from pipelines.human import score

    result = score(open_corpus(ctx), protocol, by, document_id=document_id, translation_ids=list(translation_ids) or None,
                   include_stale=include_stale, weights=weights)
    if as_json:
        echo_json(result.to_dict())
        return
    rows = result.frame.to_dict("records")
    for row in rows:
        row["score"] = f"{row['score']:.3f}"
    columns = [c for c in ("rank", "document_id", "system", "producer", "translation_id", "segment", "score", "segments", "errors",
                           "ratings", "raters") if c in result.frame.columns]
    if by == "segment":
        columns = [c for c in columns if c != "document_id"]
    echo_table(rows, columns)
    excluded = {k: v for k, v in result.excluded.items() if v}
    if excluded:
        click.echo("left out: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in excluded.items()))
    click.echo(f"{'higher' if result.higher_is_better else 'lower'} is better; {result.signature}")


def register(main: click.Group) -> None:
    main.add_command(human)
