"""Annotation commands: annotate add|ls|rm|confirm|reject|import|export, mqm score, agreement, typology."""
from __future__ import annotations

import click

from corpus.errors import InputError
from pipelines.cli.common import annotator_option, echo_json, echo_table, json_option, open_corpus, progress_enabled, resolve_annotator

FORMAT_NAMES = ["google-mqm", "appraise", "label-studio", "xliff"]
IMPORT_FORMAT_NAMES = [*FORMAT_NAMES, "scores"]


@click.group("annotate")
def annotate() -> None:
    """Mark translation errors on spans, list, confirm or reject them, and exchange them with other tools.

    \b
    Example:
      calque annotate add seed-hikvision --translation seed-hikvision.de.mt --text Wachhund \\
          --category Accuracy/Mistranslation --severity Major --comment "watchdog"
      calque annotate ls seed-hikvision
      calque annotate import --format google-mqm mqm_ted_ende.tsv
    """


@annotate.command("add")
@click.argument("document")
@click.option("--translation", "translation_id", metavar="T", help="The translation the annotation judges.")
@click.option("--source", "on_source", is_flag=True, help="Mark the span in the source (omissions); with --translation it judges that translation.")
@click.option("--segment", type=int, metavar="N", help="Segment index (0-based) on that side.")
@click.option("--start", type=int, help="Span start, a character offset within the segment.")
@click.option("--end", type=int, help="Span end (exclusive) within the segment.")
@click.option("--text", "span_text", help="The span's text, located in the segment (with --segment) or the whole text.")
@click.option("--occurrence", type=int, default=1, show_default=True, help="Which occurrence of --text to mark.")
@click.option("--category", help="MQM category of the corpus typology (see `calque typology show`).")
@click.option("--severity", type=click.Choice(["Neutral", "Minor", "Major", "Critical"], case_sensitive=False))
@click.option("--artifact-type", help="Calque artifact type (calque, untranslated, omission, …); sets the category when none is given.")
@click.option("--no-error", is_flag=True, help="Record that the segment was rated and has no errors.")
@click.option("--comment")
@click.option("--correction", help="The corrected text for the span.")
@annotator_option()
@click.option("--any-category", is_flag=True, help="Accept a category outside the corpus typology.")
@json_option
@click.pass_context
def annotate_add(ctx, document, translation_id, on_source, segment, start, end, span_text, occurrence, category, severity,
                 artifact_type, no_error, comment, correction, annotator, any_category, as_json) -> None:
    """Add one span annotation to a translation (or to the source side).

    \b
    Example:
      calque annotate add seed-hikvision --translation seed-hikvision.de.mt --segment 3 \\
          --start 10 --end 18 --category Accuracy/Mistranslation --severity Major
      calque annotate add talk.1 --translation talk.1.Nemo --segment 0 --no-error --annotator rater1
      calque annotate add bridge --source --translation bridge.de.mt --text "at noon" \\
          --category Accuracy/Omission --severity Minor
    """
    from corpus.annotation_input import annotation_record

    corpus = open_corpus(ctx)
    if translation_id is None and not on_source:
        raise InputError("say which side: --translation T (target) or --source")
    record = annotation_record(corpus, document, translation=translation_id, side="source" if on_source else "target", segment=segment,
                               start=start, end=end, text=span_text, occurrence=occurrence, category=category, severity=severity,
                               artifact_type=artifact_type, no_error=no_error, comment=comment, correction=correction,
                               annotator=resolve_annotator(annotator), any_category=any_category)
    annotation_id = corpus.add_annotations([record], actor=record["annotator"])[0]
    if as_json:
        row = corpus.annotations(document_id=document)
        echo_json(_plain_rows(row[row.id == annotation_id])[0])
    else:
        click.echo(f"Added {annotation_id} by {record['annotator']}")


def _plain_rows(frame) -> list[dict]:
    from pipelines.mqm.scoring import _plain

    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return _plain(rows)


@annotate.command("ls")
@click.argument("document", required=False)
@click.option("--translation", "translation_id", metavar="T", help="Only this translation.")
@click.option("--annotator", help="Only this annotator.")
@click.option("--origin", help="Only this origin (human, auto:<check>).")
@click.option("--status", type=click.Choice(["open", "confirmed", "rejected", "resolved"]),
              help="Only this status; 'resolved' lists automatic findings that no longer fire (hidden otherwise).")
@click.option("--stale", "only_stale", is_flag=True, help="Only annotations whose segment changed since.")
@click.option("--markers/--no-markers", default=False, show_default=True, help="Show No-error markers too.")
@json_option
@click.pass_context
def annotate_ls(ctx, document, translation_id, annotator, origin, status, only_stale, markers, as_json) -> None:
    """List annotations with their segment, span, category, severity, annotator and stale flag.

    \b
    Example:
      calque annotate ls seed-hikvision
      calque annotate ls --origin auto:untranslated --status open --json
    """
    from corpus.typology import MARKER_CATEGORIES

    corpus = open_corpus(ctx)
    if document is not None:
        corpus.document(document)
    frame = corpus.annotations(document_id=document, translation_id=translation_id, include_resolved=status == "resolved")
    if not frame.empty:
        keep = frame.id.notna()
        if annotator:
            keep &= frame.annotator == annotator
        if origin:
            keep &= frame.origin == origin
        if status:
            keep &= frame.status == status
        if only_stale:
            keep &= frame.stale.astype(bool)
        if not markers:
            keep &= ~frame.category.isin(MARKER_CATEGORIES)
        frame = frame[keep]
    rows = _plain_rows(frame)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        row["where"] = f"{row['translation_id'] or row['document_id']}:{row['side'][0]}{row['segment_idx']}"
        row["span"] = f"{row['start']}-{row['end']}"
        row["stale"] = "STALE" if row["stale"] else ""
    echo_table(rows, ["id", "where", "span", "text", "category", "severity", "annotator", "origin", "status", "stale"], max_width=40)


def _current_version(corpus, annotation_id: str) -> int:
    from sqlalchemy import select

    from corpus import schema
    from corpus.errors import NotFoundError

    with corpus.engine.connect() as connection:
        version = connection.execute(select(schema.annotations.c.version).where(schema.annotations.c.id == annotation_id)).scalar()
    if version is None:
        raise NotFoundError(f"no annotation with id {annotation_id!r}")
    return int(version)


def _change(ctx, annotation_id: str, changes: dict, version: int | None, verb: str) -> None:
    corpus = open_corpus(ctx)
    # Always write with an expected version, so that every change bumps it and a stale --version is refused.
    expected = version if version is not None else _current_version(corpus, annotation_id)
    after = corpus.update_annotation(annotation_id, changes, expected_version=expected)
    click.echo(f"{verb} {annotation_id} ({after.get('origin')}, now {after['status']})")


@annotate.command("rm")
@click.argument("annotation_id")
@click.option("--version", type=int, help="Refuse if the annotation changed since you read this version.")
@click.pass_context
def annotate_rm(ctx, annotation_id: str, version: int | None) -> None:
    """Delete an annotation (the change journal keeps it).

    \b
    Example:
      calque annotate rm ann-3f2a9c0d1e4b5a6f
    """
    open_corpus(ctx).delete_annotation(annotation_id, expected_version=version)
    click.echo(f"Deleted {annotation_id}")


@annotate.command("confirm")
@click.argument("annotation_id")
@click.option("--version", type=int, help="Refuse if the annotation changed since you read this version.")
@click.pass_context
def annotate_confirm(ctx, annotation_id: str, version: int | None) -> None:
    """Confirm an annotation (typically an automatic one): it then counts in MQM scores and survives re-checks.

    \b
    Example:
      calque annotate confirm ann-3f2a9c0d1e4b5a6f
    """
    _change(ctx, annotation_id, {"status": "confirmed"}, version, "Confirmed")


@annotate.command("reject")
@click.argument("annotation_id")
@click.option("--version", type=int, help="Refuse if the annotation changed since you read this version.")
@click.option("--comment", help="Why it is rejected.")
@click.pass_context
def annotate_reject(ctx, annotation_id: str, version: int | None, comment: str | None) -> None:
    """Reject an annotation (a false alarm): it no longer counts and re-checks do not bring it back.

    \b
    Example:
      calque annotate reject ann-3f2a9c0d1e4b5a6f --comment "proper name, not untranslated"
    """
    changes = {"status": "rejected", **({"comment": comment} if comment else {})}
    _change(ctx, annotation_id, changes, version, "Rejected")


@annotate.command("import")
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMAT_NAMES), required=True)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--src-lang", help="google-mqm: source language (default: from a file name like mqm_ted_ende.tsv).")
@click.option("--tgt-lang", help="google-mqm: target language.")
@click.option("--id-prefix", default="", help="google-mqm: prefix for the ids of created documents.")
@click.option("--protocol", type=click.Choice(["esa", "da", "mqm"]),
              help="scores (required: esa or da) and appraise --layout wmt (default esa): what the scores are.")
@click.option("--testset", metavar="NAME", help="scores, appraise, google-mqm: the WMT test set (name or NAME.SRC-TGT) when the corpus holds several.")
@click.option("--layout", type=click.Choice(["calque", "wmt"]),
              help="appraise: Calque's own export, or WMT's (itemID = line of a WMT test set); default: told apart by the rows.")
@json_option
@click.pass_context
def annotate_import(ctx, fmt: str, path: str, src_lang, tgt_lang, id_prefix, protocol, testset, layout, as_json: bool) -> None:
    """Import annotations from another tool, in one transaction (a bad line changes nothing).

    google-mqm creates the documents, translations and segments it needs, unless its rows fit a WMT test
    set of the corpus (`calque import wmt`), which they then annotate; appraise, label-studio and xliff
    annotate translations already in the corpus (as `annotate export` wrote them, or, for appraise, as WMT
    publishes its exports); scores puts a segment score file (system, seg_id, score) onto a WMT test set.
    WMT's names for references rated like systems (refA, ref-A, HUMAN-A) mean that reference.

    \b
    Example:
      calque annotate import --format google-mqm mqm_ted_ende.tsv
      calque annotate import --format xliff reviewed.xlf
      calque annotate import --format scores esa_scores.en-zh.tsv --protocol esa
      calque annotate import --format appraise appraise_esa.en-zh.csv --layout wmt
    """
    from tqdm import tqdm

    from corpus.formats.annotations import import_annotations

    corpus = open_corpus(ctx)
    options = {"src_lang": src_lang, "tgt_lang": tgt_lang, "id_prefix": id_prefix, "testset": testset}
    if fmt in ("scores", "appraise"):
        options["protocol"] = protocol
    elif protocol:
        raise InputError(f"--protocol applies to --format scores and appraise, not {fmt}")
    if layout:
        if fmt != "appraise":
            raise InputError(f"--layout applies to --format appraise, not {fmt}")
        options["layout"] = layout
    with tqdm(desc=f"import {fmt}", unit="row", disable=not progress_enabled(), leave=False) as bar:
        result = import_annotations(corpus, fmt, path, progress=bar, **options)
    if as_json:
        echo_json(result)
        return
    created = result["created"]
    click.echo(f"Imported {fmt}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in created.items() if isinstance(v, int))
               + f" (batch {result['batch']})")
    for key, value in created.items():
        if isinstance(value, list) and value:
            click.echo(f"Note: {key.replace('_', ' ')} on line(s) {', '.join(map(str, value[:10]))}", err=True)


@annotate.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), required=True)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--translation", "translation_ids", multiple=True, metavar="T", help="Only these translations (repeatable).")
@json_option
@click.pass_context
def annotate_export(ctx, fmt: str, path: str, translation_ids: tuple[str, ...], as_json: bool) -> None:
    """Export annotations for another tool; the file is written whole or not at all.

    \b
    Example:
      calque annotate export --format xliff review.xlf --translation seed-hikvision.de.mt
      calque annotate export --format google-mqm all.tsv
    """
    from corpus.formats.annotations import export_annotations

    result = export_annotations(open_corpus(ctx), fmt, path, list(translation_ids) or None)
    if as_json:
        echo_json(result)
    else:
        skipped = {k: v for k, v in result.get("skipped", {}).items() if v}
        extra = f"; left out {', '.join(f'{v} {k}' for k, v in skipped.items())}" if skipped else ""
        click.echo(f"Wrote {result.get('rows', 0)} {result.get('unit', 'rows')} to {path}{extra}")


# -- mqm ---------------------------------------------------------------------------------------------
@click.group("mqm")
def mqm() -> None:
    """MQM scores from the corpus's annotations (lower is better).

    \b
    Example:
      calque mqm score --by system
    """


@mqm.command("score")
@click.option("--by", type=click.Choice(["system", "document", "segment"]), default="system", show_default=True)
@click.option("--weights", default="google-2021", show_default=True,
              help="A preset (google-2021, mqm-industry) or 'Major:5 Minor:1 Minor/Fluency/Punctuation:0.1' (most specific match wins).")
@click.option("--document", "document_id", help="Only this document.")
@click.option("--translation", "translation_ids", multiple=True, metavar="T", help="Only these translations (repeatable).")
@click.option("--include-auto", is_flag=True, help="Count automatic annotations nobody confirmed.")
@click.option("--include-stale", is_flag=True, help="Count annotations whose segment changed since.")
@click.option("--unmarked", type=click.Choice(["zero", "unrated"]), default="zero", show_default=True,
              help="Segments a rater left unmarked in a translation they annotated without No-error markers: "
                   "reviewed and error-free (zero), or not rated (unrated, mt-metrics-eval's convention).")
@json_option
@click.pass_context
def mqm_score(ctx, by, weights, document_id, translation_ids, include_auto, include_stale, unmarked, as_json) -> None:
    """Score systems, documents or segments: segment = sum of error weights averaged over raters,
    system and document = mean over rated segments (a No-error marker rates a segment 0).

    \b
    Example:
      calque mqm score --by system --json
      calque mqm score --by document --weights mqm-industry
      calque mqm score --by segment --weights "Major:10 Minor:1 Neutral:0"
      calque mqm score --by document --unmarked unrated
    """
    from pipelines.mqm import score

    result = score(open_corpus(ctx), by=by, weights=weights, include_auto=include_auto, include_stale=include_stale,
                   document_id=document_id, translation_ids=list(translation_ids) or None, unmarked=unmarked)
    if as_json:
        echo_json(result.to_dict())
        return
    rows = result.frame.to_dict("records")
    for row in rows:
        row["score"] = f"{row['score']:.3f}"
        if "raters" in row and by != "segment":
            row["raters"] = f"{row['raters']:.2f}"
    columns = {"system": ["rank", "system", "score", "segments", "errors", "raters"],
               "document": ["rank", "document_id", "system", "score", "segments", "errors"],
               "segment": ["system", "translation_id", "segment", "score", "errors", "raters"]}[by]
    echo_table(rows, columns)
    excluded = {k: v for k, v in result.excluded.items() if v}
    if excluded:
        click.echo("left out: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in excluded.items()))
    click.echo(result.signature)


# -- agreement ---------------------------------------------------------------------------------------
@click.command("agreement")
@click.option("--translation", "translation_ids", multiple=True, metavar="T", help="Only these translations (repeatable).")
@click.option("--weights", default="google-2021", show_default=True, help="Weights for the segment MQM scores behind Krippendorff's alpha.")
@json_option
@click.pass_context
def agreement(ctx, translation_ids, weights, as_json) -> None:
    """Inter-annotator agreement on segments rated by two or more annotators: span precision/recall/F1
    (exact and overlap, with and without matching severity), Cohen's kappa on error/no-error, and
    Krippendorff's alpha (interval) on segment MQM scores.

    \b
    Example:
      calque agreement
      calque agreement --json
    """
    from pipelines.agreement import corpus_agreement

    result = corpus_agreement(open_corpus(ctx), translation_ids=list(translation_ids) or None, weights=weights)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{result['segments']} segments rated by 2+ annotators ({result['annotators']} annotators, {result['pairs']} rater pairs)")
    rows = []
    for name, values in result["spans"].items():
        rows.append({"span match": name, "precision": _f(values["precision"]), "recall": _f(values["recall"]), "f1": _f(values["f1"])})
    echo_table(rows)
    click.echo(f"Cohen's kappa (error / no error), mean over pairs: {_f(result['cohen_kappa']['mean'])}")
    click.echo(f"Krippendorff's alpha (interval, segment MQM): {_f(result['krippendorff_alpha'])}")
    click.echo(result["signature"])


def _f(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


# -- typology ----------------------------------------------------------------------------------------
@click.group("typology")
def typology() -> None:
    """Error typologies (MQM-Core, WMT/Google MQM) and the one this corpus uses.

    \b
    Example:
      calque typology show mqm-core
      calque typology use mqm-core
    """


@typology.command("show")
@click.argument("name", required=False)
@json_option
@click.pass_context
def typology_show(ctx, name: str | None, as_json: bool) -> None:
    """Show a typology's categories, where Calque's artifact types land, and the weight presets.

    Without NAME: the corpus's typology (google-mqm unless `typology use` chose another), or
    google-mqm outside a corpus.

    \b
    Example:
      calque typology show
      calque typology show mqm-core --json
    """
    from corpus.errors import CorpusError
    from corpus.typology import DEFAULT_TYPOLOGY, corpus_typology, load, names, weight_presets

    if name is None:
        try:
            chosen = corpus_typology(open_corpus(ctx))
        except CorpusError:
            chosen = load(DEFAULT_TYPOLOGY)
    else:
        chosen = load(name)
    if as_json:
        echo_json({**chosen.to_dict(), "available": names(), "weight_presets": weight_presets()})
        return
    click.echo(f"{chosen.title} ({chosen.name}) — {chosen.description}")
    for top, subs in chosen.categories.items():
        click.echo(f"  {top}")
        for sub in subs:
            click.echo(f"    {top}/{sub}")
    click.echo("Artifact types:")
    for artifact, category in chosen.artifact_types.items():
        click.echo(f"  {artifact:<27} → {category}")
    click.echo("Weight presets:")
    for preset, info in weight_presets().items():
        click.echo(f"  {preset:<13} {info['weights']}")
    click.echo(f"Other typologies: {', '.join(n for n in names() if n != chosen.name)}")


@typology.command("use")
@click.argument("name")
@click.pass_context
def typology_use(ctx, name: str) -> None:
    """Choose the typology `annotate add` checks categories against in this corpus.

    \b
    Example:
      calque typology use mqm-core
    """
    from corpus.typology import set_corpus_typology

    chosen = set_corpus_typology(open_corpus(ctx), name)
    click.echo(f"This corpus now uses {chosen.title} ({chosen.name})")


def register(main: click.Group) -> None:
    for command in (annotate, mqm, agreement, typology):
        main.add_command(command)
