"""`calque campaign …`: annotation campaigns with many annotators, overlap, protocols and adjudication."""
from __future__ import annotations

import click

from pipelines.cli.common import echo_json, echo_table, json_option, open_corpus


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@click.group("campaign")
def campaign() -> None:
    """Annotation campaigns: system outputs split among annotators, each unit seen by k of them.

    \b
    Example:
      calque campaign create wmt-de --translations harbour-bridge.de.mt,harbour-bridge.de.human \\
          --annotators alice,bob,carol --overlap 2 --protocol esa --attention-rate 0.1
      calque campaign tokens wmt-de --url http://192.0.2.10:8000
      calque campaign status wmt-de --json
    """


@campaign.command("create")
@click.argument("name")
@click.option("--translations", required=True, metavar="IDS",
              help="Comma-separated translation ids (the systems' outputs), or 'all'.")
@click.option("--documents", metavar="IDS", help="Only these documents (comma-separated ids).")
@click.option("--annotators", required=True, metavar="NAMES", help="Comma-separated annotator names.")
@click.option("--overlap", "-k", default=1, show_default=True, type=int, help="How many distinct annotators see each unit.")
@click.option("--protocol", type=click.Choice(["mqm", "esa", "da"]), default="mqm", show_default=True,
              help="mqm: error spans with category and severity; esa: spans plus a 0-100 score; da: a 0-100 score only.")
@click.option("--unit", type=click.Choice(["segment", "document"]), default="segment", show_default=True,
              help="What one item is: a segment (shown with its document as context) or a whole document.")
@click.option("--assignment", type=click.Choice(["fixed", "pool"]), default="fixed", show_default=True,
              help="fixed: a balanced plan made now; pool: whoever claims first (still k distinct per unit).")
@click.option("--seed", default=1, show_default=True, type=int, help="Seed of the random order, blind names and checks.")
@click.option("--blind/--no-blind", default=True, show_default=True, help="Show annotators 'System A', not the system's name.")
@click.option("--typology", default="google-mqm", show_default=True, help="Error typology for categories (calque typology ls).")
@click.option("--weights", default="google-2021", show_default=True, help="Severity weights preset or spec for MQM scores.")
@click.option("--attention-rate", default=0.0, show_default=True, type=float,
              help="Share of items that are attention checks (unrelated sentence, changed numbers, untranslated span).")
@click.option("--suggestions/--no-suggestions", default=False, show_default=True,
              help="Pre-fill spans from Calque's own checks (auto:* findings) for annotators to accept or dismiss.")
@click.option("--lease", "lease_seconds", default=1800, show_default=True, type=int,
              help="Seconds a claimed item stays reserved before it goes back to the pool.")
@click.option("--reviewers", metavar="NAMES", help="Who adjudicates beside the owner (default: the owner alone).")
@click.option("--owner", envvar="CALQUE_ANNOTATOR", metavar="NAME",
              help="Who owns the campaign (progress, adjudication): the name `calque serve` acts as "
                   "(default: CALQUE_ANNOTATOR, else CALQUE_USER, else your login name).")
@json_option
@click.pass_context
def create(ctx, name, translations, documents, annotators, overlap, protocol, unit, assignment, seed, blind, typology,
           weights, attention_rate, suggestions, lease_seconds, reviewers, owner, as_json) -> None:
    """Create campaign NAME over some translations.

    \b
    Example:
      calque campaign create pilot --translations all --annotators a,b,c --overlap 2 --protocol esa
    """
    from corpus.campaigns import CampaignSpec
    from corpus.typology import resolve_weights
    from corpus.errors import InputError
    from pipelines.campaign.build import create_campaign

    corpus = open_corpus(ctx)
    try:
        resolve_weights(weights)
    except ValueError as problem:
        raise InputError(f"--weights: {problem}") from None
    ids = list(corpus.translations().id) if translations.strip() == "all" else _names(translations)
    spec = CampaignSpec(name=name, translations=ids, annotators=_names(annotators), overlap=overlap, protocol=protocol, unit=unit,
                        assignment=assignment, seed=seed, blind=blind, typology=typology, weights=weights,
                        attention_rate=attention_rate, suggestions=suggestions, lease_seconds=lease_seconds, owner=owner or corpus.actor,
                        reviewers=_names(reviewers), documents=_names(documents) or None)
    result = create_campaign(corpus, spec)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"Created campaign {name}: {result['units']} units ({result['checks']} attention checks), "
                   f"{result['slots']} assignments, protocol {protocol}, overlap {overlap}")


@campaign.command("ls")
@json_option
@click.pass_context
def ls(ctx, as_json) -> None:
    """List the corpus's campaigns with their progress.

    \b
    Example:
      calque campaign ls --json
    """
    from corpus.campaigns import CampaignStore

    rows = [{k: r[k] for k in ("id", "protocol", "unit", "overlap", "assignment", "status", "owner", "units", "slots", "done", "created_at")}
            for r in CampaignStore(open_corpus(ctx)).list()]
    echo_json(rows) if as_json else echo_table(rows)


@campaign.command("status")
@click.argument("name")
@json_option
@click.pass_context
def status(ctx, name, as_json) -> None:
    """Progress and quality control: per annotator assigned, done, attention checks passed, time per item.

    \b
    Example:
      calque campaign status pilot --json
    """
    from pipelines.campaign.quality import status as campaign_status

    result = campaign_status(open_corpus(ctx), name)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{name}: {result['protocol']}, {result['status']}; {result['done']}/{result['slots']} assignments done, "
               f"{result['units_complete']}/{result['units'] + result['attention_checks']} units complete")
    rows = [{**p, "check_pass_rate": None if p["check_pass_rate"] is None else f"{p['check_pass_rate']:.0%}",
             "seconds_per_item_median": None if p["seconds_per_item_median"] is None else round(p["seconds_per_item_median"], 1)}
            for p in result["annotators"]]
    echo_table(rows, ["annotator", "assigned", "done", "claimed", "checks_done", "checks_passed", "check_pass_rate", "seconds_per_item_median"])


@campaign.command("assignments")
@click.argument("name")
@click.option("--annotator", help="Only this annotator's assignments.")
@json_option
@click.pass_context
def assignments(ctx, name, annotator, as_json) -> None:
    """The (unit, annotator) pairs of a campaign, in the randomised order.

    \b
    Example:
      calque campaign assignments pilot --json
    """
    from pipelines.campaign.quality import assignments as campaign_assignments

    rows = campaign_assignments(open_corpus(ctx), name)
    if annotator:
        rows = [r for r in rows if r["annotator"] == annotator]
    echo_json(rows) if as_json else echo_table(rows, ["unit", "annotator", "state", "attention_check", "translation"])


@campaign.command("close")
@click.argument("name")
@json_option
@click.pass_context
def close(ctx, name, as_json) -> None:
    """Close a campaign: no more claims or edits (exports and adjudication still work).

    \b
    Example:
      calque campaign close pilot
    """
    from corpus.campaigns import CampaignStore

    corpus = open_corpus(ctx)
    row = CampaignStore(corpus).close(name, corpus.actor)
    echo_json({"campaign": name, "status": row["status"], "closed_at": row["closed_at"]}) if as_json else click.echo(f"Closed campaign {name}")


@campaign.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["google-mqm", "esa-jsonl", "gold-jsonl", "table", "table-json", "html"]), default="google-mqm",
              show_default=True, help="google-mqm: Google MQM TSV (re-importable); esa-jsonl: WMT ESA records; gold-jsonl: the "
                                      "adjudicated gold spans; table: per-system "
                                      "scores with 95% bootstrap intervals and significance clusters; html: the campaign report "
                                      "(quality control per annotator, systems, agreement).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here (atomically) instead of standard output.")
@click.pass_context
def export(ctx, name, fmt, output) -> None:
    """Export a campaign's finished judgements (attention checks left out).

    \b
    Example:
      calque campaign export pilot --format google-mqm -o pilot_ende.tsv
      calque annotate import --format google-mqm pilot_ende.tsv      # into another corpus: the same MQM scores
      calque campaign export pilot --format table
    """
    from corpus.atomic import atomic_write
    from pipelines.campaign.exporters import EXPORTERS

    text = EXPORTERS[fmt](open_corpus(ctx), name)
    if output:
        with atomic_write(output) as stream:
            stream.write(text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@campaign.command("agreement")
@click.argument("name")
@json_option
@click.pass_context
def agreement(ctx, name, as_json) -> None:
    """Agreement before adjudication: span P/R/F1 per annotator pair, Cohen's kappa, Krippendorff's alpha.

    \b
    Example:
      calque campaign agreement pilot --json
    """
    from pipelines.campaign.agreement import campaign_agreement

    result = campaign_agreement(open_corpus(ctx), name)
    if as_json:
        echo_json(result)
        return
    alpha = result["krippendorff_alpha"]
    click.echo(f"{name}: {result['segments']} units with 2+ annotators, {result['pairs']} pairs; "
               f"overlap F1 {result['spans']['overlap']['f1'] if result['spans'] else None}; "
               f"kappa {result['cohen_kappa']['mean']}; alpha(MQM) {alpha}")
    rows = [{"pair": f"{p['reference']} / {p['hypothesis']}", "units": p["segments"], "kappa": p["cohen_kappa"],
             "overlap_f1": p["spans"]["overlap"]["f1"]} for p in result["pairwise"]]
    echo_table(rows)


@campaign.command("tokens")
@click.argument("name")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="Where `calque serve` will be reachable.")
@click.option("--reissue", is_flag=True, help="Replace this campaign's links that exist already (the old ones stop working).")
@json_option
@click.pass_context
def tokens(ctx, name, url, reissue, as_json) -> None:
    """Print a sign-in link per annotator, reviewer and the owner (tokens are stored hashed; shown only now).

    A link opens this campaign's pages and nothing else of the corpus (no documents or findings, no
    other campaign). People who already hold a link to this campaign keep it (and get no new one) unless
    --reissue, which replaces this campaign's links only.

    \b
    Example:
      calque campaign tokens pilot --url http://192.0.2.10:8000
      calque serve --host 0.0.0.0 --port 8000
    """
    from urllib.parse import quote

    from corpus.campaigns import CampaignStore
    from pipelines.serve.auth import TokenStore

    corpus = open_corpus(ctx)
    campaign = CampaignStore(corpus).get(name)
    settings = campaign["settings"]
    store = TokenStore(corpus.path)
    roles: dict[str, list[str]] = {}
    for role, people in (("annotator", settings["annotators"]), ("reviewer", settings["reviewers"]), ("owner", [campaign["owner"]])):
        for person in people:
            roles.setdefault(person, []).append(role)
    rows = []
    for person, held in roles.items():
        if store.holds(person, name):
            if not reissue:
                rows.append({"annotator": person, "link": None, "note": "has a link already (use --reissue)"})
                continue
            store.revoke(person, name)
        token = store.add(person, campaign=name)
        link = f"{url.rstrip('/')}/campaign#campaign={quote(name, safe='')}&token={quote(token, safe='')}"
        rows.append({"annotator": person, "link": link, "note": ", ".join(held)})
    echo_json(rows) if as_json else echo_table(rows, ["annotator", "link", "note"], max_width=200)


def register(main: click.Group) -> None:
    main.add_command(campaign)
