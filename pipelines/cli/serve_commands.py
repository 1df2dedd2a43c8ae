"""`calque serve`: the browser annotation UI, and `calque serve token …` to manage annotator tokens."""
from __future__ import annotations

import click

from pipelines.cli.common import annotator_option, echo_json, echo_table, json_option


def _corpus_dir(ctx: click.Context) -> str:
    return ctx.find_root().obj["corpus_dir"]


@click.group("serve", invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback requires annotator tokens.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@annotator_option("Who annotates on a loopback server without tokens; each distinct name is one MQM rater "
                  "(default: CALQUE_ANNOTATOR, else CALQUE_USER, else your login name).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, annotator: str | None) -> None:
    """Serve the browser annotation UI and its JSON API for the corpus.

    Open the printed address, pick a document, select a span with the mouse, press M (major) or
    m (minor) and a digit for the category, Enter to save. Bound to any address but loopback, every
    request needs an annotator token (`calque serve token add NAME`).

    \b
    Example:
      calque --corpus ./demo-corpus serve --annotator alice
      calque --corpus ./team serve token add bob
      calque --corpus ./team serve --host 0.0.0.0 --port 8080
    """
    if ctx.invoked_subcommand is not None:
        return
    from pipelines.serve.server import serve as run_server

    run_server(_corpus_dir(ctx), host=host, port=port, annotator=annotator, echo=click.echo)


@serve.group("token")
def token() -> None:
    """Annotator tokens (hashed in CORPUS/serve_tokens.json) for a server others can reach.

    A token made here opens the whole corpus; campaign sign-in links (`calque campaign tokens`) open one
    campaign only.

    \b
    Example:
      calque serve token add alice
      calque serve token list
      calque serve token revoke alice
    """


def _store(ctx: click.Context):
    from corpus import Corpus
    from pipelines.serve.auth import TokenStore

    return TokenStore(Corpus.open(_corpus_dir(ctx)).path)


@token.command("add")
@click.argument("name")
@json_option
@click.pass_context
def token_add(ctx: click.Context, name: str, as_json: bool) -> None:
    """Create a token for annotator NAME and print it once (only its hash is stored).

    \b
    Example:
      calque --corpus ./team serve token add alice
    """
    secret = _store(ctx).add(name)
    if as_json:
        echo_json({"annotator": name, "token": secret})
    else:
        click.echo(f"Token for {name} (shown once; send it as 'Authorization: Bearer …', or open http://HOST:PORT/#token=…):")
        click.echo(secret)


@token.command("list")
@json_option
@click.pass_context
def token_list(ctx: click.Context, as_json: bool) -> None:
    """List the annotators that hold a token.

    \b
    Example:
      calque --corpus ./team serve token list --json
    """
    rows = [{"annotator": e["annotator"], "campaign": e.get("campaign"), "created_at": e.get("created_at")} for e in _store(ctx).entries()]
    echo_json(rows) if as_json else echo_table([{**r, "campaign": r["campaign"] or "(whole corpus)"} for r in rows],
                                               ["annotator", "campaign", "created_at"])


@token.command("revoke")
@click.argument("name")
@click.option("--campaign", metavar="CAMPAIGN", help="Only NAME's sign-in link to this campaign (default: all of NAME's tokens).")
@click.pass_context
def token_revoke(ctx: click.Context, name: str, campaign: str | None) -> None:
    """Revoke annotator NAME's tokens; a running server refuses them from the next request on.

    \b
    Example:
      calque --corpus ./team serve token revoke alice
      calque --corpus ./team serve token revoke bob --campaign pilot
    """
    store = _store(ctx)
    if campaign is not None:
        store.revoke(name, campaign)
        click.echo(f"Revoked the sign-in link of {name} to campaign {campaign}")
        return
    count = store.revoke_all(name)
    click.echo(f"Revoked {count} token(s) of {name}")


def register(main: click.Group) -> None:
    main.add_command(serve)
