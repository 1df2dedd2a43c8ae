"""Corpus commands: init, import, ls, show, stats, export, log, demo, migrate."""
from __future__ import annotations

from pathlib import Path

import click

from corpus.formats.exporters import EXPORTERS
from corpus.formats.exporters import export as export_corpus
from pipelines.cli.common import echo_json, echo_table, json_option, open_corpus, progress_enabled


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--database", help="SQLAlchemy URL of a database server (default: SQLite inside DIRECTORY).")
@json_option
def init(directory: str, database: str | None, as_json: bool) -> None:
    """Create an empty corpus in DIRECTORY.

    \b
    Example:
      calque init ./my-corpus
      calque init ./team-corpus --database postgresql://calque@localhost/calque
    """
    from corpus import Corpus

    corpus = Corpus.init(directory, database_url=database)
    if as_json:
        echo_json({"corpus": str(corpus.path)})
    else:
        click.echo(f"Created corpus {corpus.path}")


def _report(result: dict, as_json: bool) -> None:
    if as_json:
        echo_json(result)
        return
    rows = result["rows"]
    parts = [f"{n} {key.split('.')[0]}" for key, n in rows.items() if key.endswith(".insert")]
    present = f"; {result['already_present']} already present" if result.get("already_present") else ""
    click.echo("Imported " + (", ".join(parts) or "nothing") + f"{present} (batch {result['batch']})")


@click.group("import")
def import_group() -> None:
    """Import documents, translations, annotations and glossaries.

    \b
    Example:
      calque import jsonl corpus.jsonl
      calque import text article.en.txt --lang en
      calque import parallel train.en train.de --src-lang en --tgt-lang de
      calque import tmx memory.tmx
      calque import wmt ../shared/data/wmt22_ende
      calque import dataset ./flores_dev --src-lang en --tgt-lang de
    """


@import_group.command("jsonl")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
@click.pass_context
def import_jsonl(ctx: click.Context, paths: tuple[str, ...], as_json: bool) -> None:
    """Import Calque JSONL files (documents with source and translations, pairs, annotations, glossary).

    Each file is one transaction: a bad line leaves the corpus as it was.

    \b
    Example:
      calque import jsonl corpus.jsonl
    """
    corpus = open_corpus(ctx)
    for path in paths:
        _report(corpus.import_jsonl(path, progress=progress_enabled()), as_json)


@import_group.command("text")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lang", required=True, help="Language of the text (BCP-47, e.g. en, de-CH).")
@click.option("--id", "document_id", help="Document id (default: the file name without extensions).")
@click.option("--title", help="Document title (default: the first line).")
@click.option("--translation-of", metavar="DOC", help="Import as a translation of an existing document.")
@click.option("--source-unavailable", is_flag=True, help="The file is a translation whose source is not available.")
@click.option("--source-lang", help="Original language when the source is unavailable.")
@click.option("--producer", type=click.Choice(["mt", "human", "post-edit"]), default="mt", show_default=True)
@click.option("--system", help="MT system or translator name.")
@click.option("--license", "license_id", metavar="SPDX", help="Licence of the text, e.g. CC-BY-4.0 (dataset cards and releases show it).")
@json_option
@click.pass_context
def import_text_command(ctx, paths, lang, document_id, title, translation_of, source_unavailable, source_lang, producer, system,
                        license_id, as_json) -> None:
    """Import plain-text documents: paragraphs on blank lines, cut into sentences.

    \b
    Example:
      calque import text article.en.txt --lang en --id article --license CC-BY-4.0
      calque import text article.de.txt --lang de --translation-of article --producer human
      calque import text seed.de.txt --lang de --source-unavailable --source-lang en
    """
    if source_unavailable and not source_lang:
        raise click.UsageError("--source-unavailable needs --source-lang")
    if document_id and len(paths) > 1:
        raise click.UsageError("--id names one document; give one file")
    corpus = open_corpus(ctx)
    for path in paths:
        result = corpus.import_text(path, lang=lang, document_id=document_id, title=title, translation_of=translation_of,
                                    source_unavailable=source_unavailable, source_lang=source_lang, producer=producer, system=system,
                                    license=license_id)
        _report(result, as_json)


@import_group.command("parallel")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--src-lang", required=True, help="Source language (BCP-47).")
@click.option("--tgt-lang", required=True, help="Target language (BCP-47).")
@click.option("--id", "document_id", help="Document id (default: the source file name).")
@click.option("--doc-ids", type=click.Path(dir_okay=False), help="File with one document id per line (WMT style).")
@click.option("--producer", type=click.Choice(["mt", "human", "post-edit"]), default="human", show_default=True)
@click.option("--system", help="MT system or translator name.")
@click.option("--license", "license_id", metavar="SPDX", help="Licence of both texts, e.g. CC-BY-4.0 (dataset cards and releases show it).")
@json_option
@click.pass_context
def import_parallel_command(ctx, source, target, src_lang, tgt_lang, document_id, doc_ids, producer, system, license_id,
                            as_json) -> None:
    """Import line-aligned parallel files (Moses): SOURCE then TARGET, one segment per line.

    \b
    Example:
      calque import parallel news.en news.de --src-lang en --tgt-lang de
      calque import parallel wmt.en wmt.de --src-lang en --tgt-lang de --doc-ids wmt.docs --license CC-BY-SA-4.0
    """
    corpus = open_corpus(ctx)
    result = corpus.import_parallel(source, target, src_lang, tgt_lang, progress=progress_enabled(), document_id=document_id,
                                    document_ids_path=doc_ids, producer=producer, system=system, license=license_id)
    _report(result, as_json)


@import_group.command("tmx")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
@click.pass_context
def import_tmx_command(ctx: click.Context, paths: tuple[str, ...], as_json: bool) -> None:
    """Import TMX 1.4 translation memories (plain or .gz): each translation unit becomes one aligned
    source/target segment pair, grouped into documents by their x-document / x-translation props
    (else the file name). Each file is one transaction: a bad unit leaves the corpus as it was.

    \b
    Example:
      calque import tmx memory.tmx
      calque import tmx exported.tmx.gz --json
    """
    from corpus.formats.tmx import import_tmx_into

    corpus = open_corpus(ctx)
    for path in paths:
        _report(import_tmx_into(corpus, path), as_json)


@import_group.command("wmt")
@click.argument("path", type=click.Path())
@click.option("--langs", help="Language pair SRC-TGT, when the directory holds several (default: from the file names).")
@click.option("--name", "set_name", help="Test set name, when the directory holds several for the pair.")
@click.option("--license", "license_id", metavar="SPDX", help="Licence of the texts, e.g. CC-BY-SA-4.0 (dataset cards and releases show it).")
@json_option
@click.pass_context
def import_wmt_command(ctx: click.Context, path: str, langs: str | None, set_name: str | None, license_id: str | None,
                       as_json: bool) -> None:
    """Import a WMT test set: the text layout (a directory with sources/, references/, system-outputs/ and
    optionally documents/<set>.<src>-<tgt>.docs) or WMT XML (WMT21-25, plain or .gz).

    One document per WMT document (the whole set without document ids), references as human translations,
    system outputs as MT translations named after their systems, segments as the lines are, aligned 1-1 and
    confirmed. Re-importing the same set is a no-op; other text under a stored id is refused.

    \b
    Example:
      calque import wmt ../shared/data/wmt22_ende
      calque import wmt ../shared/data/esa/wmt24_enzh --json
      calque import wmt wmttest2024.en-de.all.xml.gz --license research-only
    """
    from tqdm import tqdm

    from corpus.formats.wmt import import_wmt_into

    with tqdm(desc=f"import {Path(path).name}", unit="doc", disable=not progress_enabled(), leave=False) as bar:
        result = import_wmt_into(open_corpus(ctx), path, langs, set_name, license_id, progress=bar)
    for note in result["notes"]:
        click.echo(f"note: {note}", err=True)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{result['set']}: {result['lines']:,} lines in {result['documents']:,} document(s), "
               f"{len(result['references'])} reference(s), {len(result['systems'])} system(s)")
    _report(result, False)


@import_group.command("dataset")
@click.argument("path", type=click.Path())
@click.option("--src-lang", required=True, help="Source language (BCP-47).")
@click.option("--tgt-lang", required=True, help="Target language (BCP-47).")
@click.option("--source-column", help="Column of source texts (default: the column named after --src-lang, else 'source').")
@click.option("--target-column", help="Column of target texts (default: the column named after --tgt-lang, else 'target').")
@click.option("--translation-name", help="Column of {language: text} dicts (default: 'translation' when there is one).")
@click.option("--document-column", help="Column of document ids: consecutive rows with one id form a document.")
@click.option("--split", help="Split of a saved DatasetDict (needed when it has several).")
@click.option("--id", "document_id", help="Document id without --document-column (default: the file or folder name).")
@click.option("--producer", type=click.Choice(["mt", "human", "post-edit"]), default="human", show_default=True)
@click.option("--system", help="MT system or translator name.")
@click.option("--license", "license_id", metavar="SPDX", help="Licence of the texts, e.g. CC-BY-SA-4.0.")
@json_option
@click.pass_context
def import_dataset_command(ctx, path, src_lang, tgt_lang, source_column, target_column, translation_name, document_column, split,
                           document_id, producer, system, license_id, as_json) -> None:
    """Import a parallel data set saved on disk with Hugging Face `datasets` (save_to_disk), or Parquet, JSON
    or CSV files it reads: one segment per row and side, aligned 1-1 and confirmed. Local paths only: nothing
    is downloaded from the Hub.

    \b
    Example:
      calque import dataset ./flores_dev --src-lang en --tgt-lang de --document-column URL
      calque import dataset wmt19-de-en/ --src-lang de --tgt-lang en --split validation
      calque import dataset pairs.parquet --src-lang en --tgt-lang fr --source-column en_text --target-column fr_text
    """
    from corpus.formats.hf_dataset import Columns, import_dataset_into

    from tqdm import tqdm

    columns = Columns(source_column, target_column, document_column, translation_name)
    with tqdm(desc=f"import {Path(path).name}", unit="row", disable=not progress_enabled(), leave=False) as bar:
        result = import_dataset_into(open_corpus(ctx), path, src_lang, tgt_lang, columns, split, document_id, producer, system,
                                     license_id, progress=bar)
    _report(result, as_json)


@click.command("ls")
@json_option
@click.pass_context
def ls(ctx: click.Context, as_json: bool) -> None:
    """List documents with their translations and annotation counts.

    \b
    Example:
      calque --corpus ./demo-corpus ls
    """
    corpus = open_corpus(ctx)
    documents = corpus.documents()
    translations = corpus.translations()
    notes = corpus.annotations()
    rows = []
    for doc in documents.to_dict("records"):
        mine = translations[translations.document_id == doc["id"]]
        rows.append({
            "id": doc["id"],
            "lang": doc["lang"],
            "source": "yes" if doc["source_text"] is not None else "unavailable",
            "translations": ", ".join(f"{t.id} ({t.producer})" for t in mine.itertuples()),
            "annotations": int((notes.document_id == doc["id"]).sum()) if not notes.empty else 0,
            "title": doc["title"],
        })
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["id", "lang", "source", "annotations", "translations", "title"], max_width=50)


@click.command()
@click.argument("document_id", metavar="DOC")
@click.option("--translation", "translation_id", help="Show only this translation.")
@click.option("--width", type=int, help="Output width (default: the terminal's).")
@json_option
@click.pass_context
def show(ctx: click.Context, document_id: str, translation_id: str | None, width: int | None, as_json: bool) -> None:
    """Show a document: source and translations side by side, annotated spans marked ⟦…⟧.

    \b
    Example:
      calque --corpus ./demo-corpus show seed-hikvision
    """
    from pipelines.views.document import document_view, render

    view = document_view(open_corpus(ctx), document_id, translation_id)
    if as_json:
        echo_json(view)
    else:
        click.echo(render(view, width))


@click.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of documents, translations, segments, alignments and annotations.

    \b
    Example:
      calque --corpus ./demo-corpus stats --json
    """
    data = open_corpus(ctx).stats()
    if as_json:
        echo_json(data)
    else:
        for key, value in data.items():
            click.echo(f"{key:28} {value}")


@click.command()
@click.argument("output", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), default="jsonl", show_default=True,
              help="; ".join(f"{e.name}: {e.help}" for e in EXPORTERS.values()) + ".")
@click.option("--include-auto", is_flag=True, help="tmx, moses: automatic 1-1 links too, not only confirmed ones.")
@click.option("--min-score", type=float, metavar="X", help="tmx, moses with --include-auto: only automatic links scored at least X.")
@json_option
@click.pass_context
def export(ctx: click.Context, output: str, fmt: str, include_auto: bool, min_score: float | None, as_json: bool) -> None:
    """Export the corpus: documents, segments, alignments, annotations, glossary, catalogue.

    TMX and Moses carry 1-1 alignment links: confirmed ones (`calque align confirm`), and automatic
    ones with --include-auto. An export that would be empty writes nothing and says why.

    JSONL, TMX and Moses re-import into a fresh corpus or into the same one without duplicating
    anything (`calque import jsonl`, `import tmx`, `import parallel SRC TGT --doc-ids DOCIDS`); TSV is a
    lossy table for people and has no importer. WMT writes the corpus's WMT test sets back in the WMT text
    layout (`calque import wmt DIR` reads them again).

    \b
    Example:
      calque --corpus ./demo-corpus export corpus.jsonl
      calque --corpus ./demo-corpus export tables/ --format tsv
      calque --corpus ./demo-corpus export memory.tmx --format tmx
      calque --corpus ./demo-corpus export moses/ --format moses --include-auto --min-score 0.5
      calque --corpus ./wmt22 export wmt22-again/ --format wmt
    """
    from corpus.errors import EmptyExport

    if min_score is not None and not include_auto:
        raise click.UsageError("--min-score filters automatic links: add --include-auto")
    try:
        written = export_corpus(fmt, open_corpus(ctx), output, include_auto=include_auto, min_score=min_score)
    except EmptyExport as empty:
        if as_json:
            echo_json({"format": fmt, "files": [], "empty": str(empty)})
        click.echo(f"Warning: nothing written to {output}: {empty}", err=True)
        return
    if as_json:
        echo_json(written)
        return
    if "units" in written:
        count = f"{written['units']:,} translation units: "
    elif "pairs" in written:
        count = f"{sum(p['lines'] for p in written['pairs']):,} sentence pairs: "
    elif "records" in written:
        count = f"{written['records']:,} records: "
    else:
        count = ""
    click.echo(f"Wrote {count}" + ", ".join(written["files"]))


@click.command()
@click.option("-n", "--limit", type=int, default=50, show_default=True, help="How many entries, newest first.")
@click.option("--entity", help="Only this table (documents, annotations, …).")
@json_option
@click.pass_context
def log(ctx: click.Context, limit: int, entity: str | None, as_json: bool) -> None:
    """Show the change journal: who changed what, when, before and after.

    \b
    Example:
      calque --corpus ./demo-corpus log -n 20 --entity annotations
    """
    frame = open_corpus(ctx).journal(limit=limit, entity=entity)
    records = frame.to_dict("records")
    if as_json:
        echo_json(records)
        return
    rows = [{"seq": r["seq"], "at": r["at"][:19], "actor": r["actor"], "action": r["action"], "entity": r["entity"],
             "id": r["entity_id"], "change": _summary(r)} for r in records]
    echo_table(rows, max_width=48)


# The fields that say what an inserted or deleted row is, most telling first.
DESCRIBING_FIELDS = ("text", "category", "severity", "status", "title", "lang", "producer", "system", "source_idx", "target_idx",
                     "source_term", "target_form", "artifact_type", "kind")


def _describe(row: dict) -> str:
    parts = []
    for key in DESCRIBING_FIELDS:
        value = row.get(key)
        if value is None or value == "" or value == []:
            continue
        if key == "text":
            value = value if len(value) <= 30 else value[:29] + "…"
        parts.append(f"{key}: {value!r}" if isinstance(value, str) else f"{key}: {value}")
        if len(parts) == 3:
            break
    return ", ".join(parts)


def _summary(entry: dict) -> str:
    after, before = entry.get("after"), entry.get("before")
    if isinstance(after, dict) and "rows" in after:
        return f"{after['rows']} rows" + (f" ({_describe(after)})" if _describe(after) else "")
    if entry["action"] == "update" and isinstance(before, dict) and isinstance(after, dict):
        changed = [k for k in after if before.get(k) != after.get(k) and k not in ("updated_at", "version")]
        return ", ".join(f"{k}: {before.get(k)!r} → {after.get(k)!r}" for k in changed)
    if isinstance(before, dict) and "rows" in before:
        return f"{len(before['rows'])} rows"
    if entry["action"] == "insert" and isinstance(after, dict):
        return "new: " + _describe(after)
    if entry["action"] == "delete" and isinstance(before, dict):
        return "deleted: " + _describe(before)
    return ""


@click.command()
@click.argument("text_id", metavar="TEXT")
@click.option("--abbreviation", "abbreviations", multiple=True, metavar="LANG:ABBR",
              help="Extra abbreviation after which a full stop does not end a sentence, e.g. de:Corp. (repeatable).")
@click.option("--no-line-breaks", is_flag=True, help="Do not treat single line breaks as sentence boundaries.")
@json_option
@click.pass_context
def resegment(ctx: click.Context, text_id: str, abbreviations: tuple[str, ...], no_line_breaks: bool, as_json: bool) -> None:
    """Cut a source (document id) or translation (translation id) into sentences again.

    Annotations are re-anchored by their offsets; one that no longer fits in a single sentence is kept
    and flagged stale. Alignment links of the text are removed (re-align afterwards).

    \b
    Example:
      calque resegment harbour-bridge.de.mt --abbreviation de:Corp.
    """
    from corpus.segment import SegmenterConfig

    extra: dict[str, set[str]] = {}
    for item in abbreviations:
        lang, sep, abbreviation = item.partition(":")
        if not sep or not abbreviation:
            raise click.BadParameter(f"expected LANG:ABBR, got {item!r}", param_hint="--abbreviation")
        extra.setdefault(lang, set()).add(abbreviation)
    config = SegmenterConfig(line_breaks=not no_line_breaks, extra_abbreviations={k: frozenset(v) for k, v in extra.items()})
    result = open_corpus(ctx).resegment(text_id, config)
    if as_json:
        echo_json(result)
    else:
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))


@click.command()
@click.argument("directory", type=click.Path(file_okay=False), default="demo-corpus")
@click.option("--force", is_flag=True, help="Rebuild the demo corpus if DIRECTORY already holds one.")
def demo(directory: str, force: bool) -> None:
    """Build the demo corpus in DIRECTORY and run every pipeline over it.

    \b
    Example:
      calque demo ./demo-corpus
      calque --corpus ./demo-corpus show seed-hikvision
    """
    from pipelines.demo import run_demo

    run_demo(directory, force=force, echo=click.echo)
    click.echo(f"Demo corpus ready in {Path(directory).resolve()}")
    click.echo(f"Try: calque --corpus {directory} show seed-hikvision")


@click.command("migrate")
@click.option("--to", "to_url", required=True, metavar="URL", help="SQLAlchemy URL of an empty database, e.g. postgresql+psycopg://calque@db/team.")
@json_option
@click.pass_context
def migrate_command(ctx: click.Context, to_url: str, as_json: bool) -> None:
    """Move the corpus to another database (SQLite → PostgreSQL): every table, journal included, in one
    transaction; then the corpus uses the new database. The SQLite file stays as the backup.

    \b
    Example:
      calque --corpus ./team-corpus migrate --to postgresql+psycopg://calque:secret@db.example/team
    """
    from corpus.relocate import move_database

    copied = move_database(ctx.find_root().obj["corpus_dir"], to_url)
    if as_json:
        echo_json({"corpus": ctx.find_root().obj["corpus_dir"], "rows": copied})
    else:
        click.echo(f"moved {sum(copied.values()):,} rows in {len(copied)} tables; the corpus now uses the new database")


def register(main: click.Group) -> None:
    for command in (init, import_group, ls, show, stats, export, log, resegment, demo, migrate_command):
        main.add_command(command)
