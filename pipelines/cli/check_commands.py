"""`calque check`: deterministic artifact checks on files or on the corpus, and their score."""
from __future__ import annotations

import click

from corpus.errors import InputError
from pipelines.cli.common import (
    echo_json,
    echo_jsonl,
    echo_table,
    execution_options,
    json_option,
    open_corpus,
    open_executor,
    open_shards,
    progress_enabled,
    shard_options,
)


def parse_langs(value: str) -> tuple[str, str]:
    """'en-de' or 'pt-BR:de' → (source, target) language codes."""
    from corpus.languages import normalize_language

    parts = value.split(":") if ":" in value else value.split("-")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise InputError(f"--langs {value!r}: expected SRC-TGT such as en-de (or SRC:TGT such as pt-BR:de)")
    try:
        return normalize_language(parts[0]), normalize_language(parts[1])
    except ValueError as problem:
        raise InputError(f"--langs {value!r}: {problem}") from None


def parse_only(value: str | None) -> list[str] | None:
    if value is None:
        return None
    from pipelines.checks import resolve_checks

    names = [v for v in value.split(",") if v.strip()]
    resolve_checks(names)  # fails early on an unknown name
    return names


def _finding_rows(findings) -> list[dict]:
    return [{"segment": f.segment, "type": f.type, "text": f.text, "message": f.message} for f in findings]


@click.group("check", invoke_without_command=True)
@click.option("-s", "--source", "source_path", type=click.Path(dir_okay=False), help="Source file, one segment per line (optional: without it, checks that need a source do not run).")
@click.option("-t", "--target", "target_path", type=click.Path(dir_okay=False), help="Translation (hypothesis) file, one segment per line; each file is one document.")
@click.option("--langs", help="Language pair SRC-TGT, e.g. en-de (file mode).")
@click.option("--catalogue", "catalogue_path", type=click.Path(dir_okay=False), help="Artifact catalogue (JSONL): corpus artifact records {type: artifact, artifact_type, source_cue, target_form, "
                   "src_lang, tgt_lang}, as `calque export` writes them (other corpus records are skipped), or the short "
                   "form {type, source, target, src_lang, tgt_lang}.")
@click.option("--only", help="Comma-separated checks to run (names as in --list).")
@click.option("--doc", "documents", multiple=True, metavar="DOC", help="Corpus mode: check only this document (repeatable; default all).")
@click.option("--dry-run", is_flag=True, help="Corpus mode: report findings without writing annotations.")
@click.option("--list", "list_checks", is_flag=True, help="List the registered checks and exit.")
@execution_options
@shard_options
@json_option
@click.pass_context
def check(ctx: click.Context, source_path, target_path, langs, catalogue_path, only, documents, dry_run, list_checks,
          scheduler, workers, shards_dir, resume, as_json) -> None:
    """Run deterministic artifact checks on files (-t given) or on the corpus.

    File mode prints one finding per line with --json:
    {"segment": LINE, "type": T, "start": CHAR, "end": CHAR, "text": ..., "message": ...}.
    Corpus mode checks every translation of the corpus (or of --doc) and stores the findings as open
    annotations with origin auto:<check>. Re-running is idempotent: a finding already stored (same check,
    span and segment text) is not added again and keeps its status (confirmed, rejected); open findings
    that no longer fire are marked resolved, not deleted (`annotate ls --status resolved`). Human
    annotations are never touched. The corpus catalogue is used there.
    With --workers N or --scheduler ADDRESS, corpus mode checks on Dask workers (50 translations per
    task); reading and writing the corpus stay in this process, so the stored findings are the same.
    With --shards DIR each task's findings are also kept there as Parquet, and --resume reuses the
    tasks an interrupted run finished (a task whose translations changed since is checked again).

    \b
    Example:
      calque check -s article.en -t article.de --langs en-de --json
      calque check -t seed.de.txt --langs en-de --catalogue artifacts.jsonl
      calque --corpus ./demo-corpus check --doc seed-hikvision
      calque --corpus ./crawl-corpus check --workers 4
      calque --corpus ./crawl-corpus check --scheduler tcp://10.0.0.5:8786 --shards run1/ --resume
      calque --corpus ./demo-corpus check score
      calque check --list
    """
    if ctx.invoked_subcommand is not None:
        return
    if list_checks:
        _list(as_json)
        return
    only_names = parse_only(only)
    if target_path is not None:
        if documents or dry_run or scheduler or workers or shards_dir or resume:
            raise click.UsageError("--doc, --dry-run, --workers, --scheduler, --shards and --resume belong to corpus mode; "
                                   "leave out -t/--target")
        _files(source_path, target_path, langs, catalogue_path, only_names, as_json)
        return
    if source_path is not None:
        raise click.UsageError("-s/--source needs -t/--target (the translation to check)")
    if langs is not None:
        raise click.UsageError("--langs belongs to file mode (-t); the corpus knows its languages")
    _corpus(ctx, documents, catalogue_path, only_names, dry_run, as_json, scheduler, workers, open_shards(shards_dir, resume), resume)


def _list(as_json: bool) -> None:
    from pipelines.checks import registered_checks

    rows = [
        {"name": name, "type": cls.type, "needs_source": cls.needs_source, "document_level": cls.document_level, "description": cls.description,
         "rules": {rule: coverage.description for rule, coverage in cls.rules.items()}}
        for name, cls in registered_checks().items()
    ]
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["name", "needs_source", "description"], max_width=90)


def _files(source_path, target_path, langs, catalogue_path, only, as_json: bool) -> None:
    from pipelines.checks import load_catalogue, run_checks
    from pipelines.fidelity.textfile import check_parallel, read_segments

    if langs is None:
        raise click.UsageError("--langs is required with -t (e.g. --langs en-de)")
    src_lang, tgt_lang = parse_langs(langs)
    catalogue = load_catalogue(catalogue_path) if catalogue_path else []
    target = read_segments(target_path)
    source = None
    if source_path is not None:
        source = read_segments(source_path)
        check_parallel({source_path: source, target_path: target})
    from pipelines.checks import skipped_rules

    findings = run_checks(source, target, src_lang, tgt_lang, catalogue=catalogue, only=only)
    skipped = skipped_rules(src_lang, tgt_lang, only)
    if as_json:
        # After the findings, one {"skipped": check/rule, ...} line per rule that does not cover these languages.
        echo_jsonl([*(f.to_dict() for f in findings), *skipped])
        return
    echo_table(_finding_rows(findings), ["segment", "type", "text", "message"], max_width=40, wrap_last=True)
    for row in skipped:
        click.echo(f"skipped {row['skipped']} for {row['langs']}: {row['reason']}", err=True)
    mode = "" if source is not None else " (target only: checks that need a source were skipped)"
    click.echo(f"{len(findings)} finding(s) in {len(target)} segment(s){mode}", err=True)


def _corpus(ctx: click.Context, documents, catalogue_path, only, dry_run: bool, as_json: bool, scheduler=None,
            workers=None, shards=None, resume: bool = False) -> None:
    from tqdm import tqdm

    from pipelines.checks import load_catalogue
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings
    from pipelines.checks.corpus_run import summary as run_summary

    corpus = open_corpus(ctx)
    extra = load_catalogue(catalogue_path) if catalogue_path else []
    total = len(corpus.translations()) if not documents else sum(len(corpus.translations(document_id=d)) for d in documents)
    findings, translation_ids = [], []
    executor = open_executor(scheduler, workers) if (scheduler or workers) else None
    try:
        with tqdm(total=total, desc="check", unit="translation", disable=not progress_enabled(), leave=False) as bar:
            for translation, found in run_corpus_checks(corpus, documents or None, only=only, progress=bar,
                                                        extra_catalogue=extra, executor=executor, shards=shards,
                                                        resume=resume):
                translation_ids.append(translation["id"])
                findings.extend(found)
    finally:
        if executor is not None:
            executor.close()
    written = None if dry_run else write_findings(corpus, findings, translation_ids, only)
    if as_json:
        echo_jsonl(f.to_dict() for f in findings)
    else:
        echo_table(
            [{"translation": f.translation_id, "segment": f.segment, "type": f.type, "text": f.text, "message": f.message} for f in findings],
            ["translation", "segment", "type", "text", "message"], max_width=40, wrap_last=True,
        )
    summary = f"{len(findings)} finding(s) in {len(translation_ids)} translation(s)"
    if written is not None:
        summary += f"; {run_summary(written)}"
    click.echo(summary, err=True)


@check.command("score")
@click.option("--only", help="Comma-separated checks to score (default all).")
@json_option
@click.pass_context
def score(ctx: click.Context, only: str | None, as_json: bool) -> None:
    """Precision and recall of the checks against the corpus's human annotations.

    The checks run in memory (nothing is written). A finding is correct when it overlaps a human
    annotation on the same segment with a compatible artifact type; human annotations of types no check
    can produce (grammar, terminology inconsistency, none) are counted apart, and recall is given over the
    detectable ones and over all.

    \b
    Example:
      calque --corpus ./demo-corpus check score
      calque --corpus ./demo-corpus check score --json
    """
    from pipelines.checks.corpus_run import corpus_score

    report = corpus_score(open_corpus(ctx), only=parse_only(only))
    if as_json:
        echo_json(report)
        return
    click.echo(format_report(report))


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def format_report(report: dict) -> str:
    """The score as plain text tables (the same tables the benchmark notes use)."""
    o = report["overall"]
    lines = [
        f"findings {o['findings']}, correct {o['true_positive_findings']}: precision {_pct(o['precision'])}% "
        f"(overlapping any human annotation: {_pct(o['precision_any_annotation'])}%)",
        f"human annotations {o['human_annotations']} ({o['detectable']} detectable, {o['not_detectable']} not detectable): "
        f"recall {_pct(o['recall_detectable'])}% of detectable, {_pct(o['recall_all'])}% of all; F1 {_pct(o['f1_detectable'])}%",
        "",
        "| check | findings | correct | precision % |",
        "|---|---:|---:|---:|",
    ]
    for name, row in report["by_check"].items():
        lines.append(f"| {name} | {row['findings']} | {row['true_positive_findings']} | {_pct(row['precision'])} |")
    lines += ["", "| annotated type | human | detectable | found | recall % |", "|---|---:|---|---:|---:|"]
    for name, row in report["by_annotated_type"].items():
        lines.append(f"| {name} | {row['human_annotations']} | {'yes' if row['detectable'] else 'no'} | {row['found']} | {_pct(row['recall'])} |")
    clean = report["unannotated_translations"]
    lines += [
        "",
        f"translations without human annotations: {clean['translations']} ({clean['segments']} segments), findings {clean['findings']}",
        f"signature: {report['signature']}",
    ]
    return "\n".join(lines)


def register(main: click.Group) -> None:
    main.add_command(check)
