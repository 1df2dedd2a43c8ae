"""`calque align …`, `calque align-files`, `calque align-eval`: sentence alignment on the corpus and on files."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from types import SimpleNamespace

import click

from corpus.errors import InputError
from pipelines.cli.common import (
    echo_json,
    echo_table,
    execution_options,
    json_option,
    open_corpus,
    open_executor,
    open_shards,
    progress_enabled,
    shard_options,
)

METHOD_HELP = "auto (default: embedding when the bundled encoder covers both languages, else lexical), embedding, lexical or length."


method_option = click.option("--method", "-m", default="auto", show_default=True, metavar="METHOD", help=METHOD_HELP)
option_option = click.option("--option", "-o", "settings", multiple=True, metavar="KEY=VALUE",
                             help="A method option, e.g. -o self_train=no -o width=20 (repeatable).")
encoder_option = click.option("--encoder", "--model", "encoder",
                               help="Sentence encoder for embedding: 'use' (bundled) or a local transformers folder (e.g. LaBSE).")
max_bead_option = click.option("--max-bead", type=click.IntRange(1, 8), default=None, metavar="N",
                               help="Largest side of a bead (default 5: shapes up to 1-5, 2-4, 3-3; 3: up to 1-3 and 2-2).")


def _options(method: str, src_lang: str, tgt_lang: str, settings, encoder: str | None,
             max_bead: int | None = None) -> dict:
    from pipelines.align.methods import parse_options

    options = parse_options(method, src_lang, tgt_lang, settings, encoder)
    if encoder:
        options["encoder"] = encoder
    if max_bead is not None:
        options["max_bead"] = max_bead
    return options


def _parse_ids(value: str, name: str) -> list[int]:
    value = value.strip()
    if not value:
        return []
    try:
        ids = [int(part) for part in value.split(",")]
    except ValueError:
        raise InputError(f"--{name} {value!r}: expected segment numbers separated by commas, e.g. 0,1") from None
    if any(i < 0 for i in ids):
        raise InputError(f"--{name} {value!r}: segment numbers start at 0")
    return ids


# -- files --------------------------------------------------------------------------------------------
@click.command("align-files")
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", required=True, help="Language of SRC (BCP-47, e.g. de).")
@click.option("--tgt-lang", required=True, help="Language of TGT (BCP-47, e.g. fr).")
@method_option
@encoder_option
@max_bead_option
@option_option
@click.option("--scores", is_flag=True, help="Append each bead's score: [0]:[0, 1]:0.83.")
@click.option("--force", is_flag=True, help="Align even if the sentence counts are very different.")
@execution_options
@json_option
def align_files(src, tgt, src_lang, tgt_lang, method, encoder, max_bead, settings, scores, force, scheduler, workers,
                as_json):
    """Align two files of one sentence per line; print beads, one per line (Vecalign/Bertalign format).

    \b
    Output lines look like  [0]:[0, 1]   [6, 7]:[9]   []:[16]
    (0-based line numbers of SRC and TGT; an empty side is an omission or addition).
    \b
    Example:
      calque align-files test0.de test0.fr --src-lang de --tgt-lang fr > test0.hyp
      calque align-files a.en b.is --src-lang en --tgt-lang is --method lexical -o self_train=no
      calque align-files big.en big.de --src-lang en --tgt-lang de --scheduler tcp://10.0.0.5:8786
      calque align-files zh/001 en/001 --src-lang zh --tgt-lang en --max-bead 6
    """
    from pipelines.align import format_bead, get_aligner
    from pipelines.align.files import check_parallel, read_sentence_file
    from pipelines.align.methods import check_language

    src_lang = check_language(src_lang, "--src-lang")
    tgt_lang = check_language(tgt_lang, "--tgt-lang")
    source, target = read_sentence_file(src), read_sentence_file(tgt)
    if not force:
        check_parallel(source, target, src, tgt)
    aligner = get_aligner(method, src_lang, tgt_lang, **_options(method, src_lang, tgt_lang, settings, encoder, max_bead))
    if scheduler or workers:
        from pipelines.align.corpus_align import align_job

        job = {"aligner": aligner, "source": source, "target": target, "src_lang": src_lang, "tgt_lang": tgt_lang,
               "confirmed": []}
        with open_executor(scheduler, workers) as executor:
            (beads,) = executor.map(align_job, [job], label="align")
    else:
        beads = aligner.align(source, target, src_lang, tgt_lang)
    if as_json:
        echo_json({"method": aligner.name, "signature": aligner.signature(), "beads": [b.to_dict() for b in beads]})
        return
    for bead in beads:
        click.echo(format_bead(bead) + (f":{bead.score:.6f}" if scores else ""))


@click.command("align-eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@json_option
def align_eval(paths, as_json):
    """Strict and lax precision/recall/F1 of alignments (Sennrich & Volk 2011), pooled over documents.

    PATHS are GOLD HYP pairs: `GOLD HYP`, `GOLD1 HYP1 GOLD2 HYP2 …`, or two folders whose files
    are paired by name. Precision counts every hypothesis bead (1-0 and 0-1 too); recall counts the
    gold beads with both sides non-empty.
    \b
    Example:
      calque align-eval test0.defr test0.hyp --json
      calque align-eval gold/ hyp/
    """
    from pipelines.align import evaluate, read_beads

    pairs = _gold_hyp_pairs([Path(p) for p in paths])
    result = evaluate([read_beads(g) for g, _ in pairs], [read_beads(h) for _, h in pairs])
    if as_json:
        echo_json({"strict": result["strict"], "lax": result["lax"]})
        return
    rows = [{"": name, "precision": f"{result[name]['precision']:.4f}", "recall": f"{result[name]['recall']:.4f}",
             "f1": f"{result[name]['f1']:.4f}"} for name in ("strict", "lax")]
    echo_table(rows, ["", "precision", "recall", "f1"])
    click.echo(f"({len(pairs)} document pair{'s' if len(pairs) != 1 else ''}, counts pooled)")


def _gold_hyp_pairs(paths: list[Path]) -> list[tuple[Path, Path]]:
    if len(paths) % 2:
        raise InputError(f"expected GOLD HYP pairs, got {len(paths)} path(s): the last one has no partner")
    pairs = []
    for gold, hyp in zip(paths[::2], paths[1::2]):
        if gold.is_dir() != hyp.is_dir():
            raise InputError(f"{gold} and {hyp}: pair two files or two folders")
        if not gold.is_dir():
            pairs.append((gold, hyp))
            continue
        gold_files = {p.name: p for p in sorted(gold.iterdir()) if p.is_file() and not p.name.startswith(".")}
        hyp_files = {p.name: p for p in sorted(hyp.iterdir()) if p.is_file() and not p.name.startswith(".")}
        if not gold_files:
            raise InputError("folder holds no gold files", str(gold))
        missing = sorted(set(gold_files) - set(hyp_files))
        if missing:
            raise InputError(f"no hypothesis for gold file {missing[0]!r}", str(hyp))
        pairs += [(gold_files[name], hyp_files[name]) for name in gold_files]
    return pairs


# -- corpus -------------------------------------------------------------------------------------------
class _AlignGroup(click.Group):
    """`calque align DOC` runs the aligner; `calque align show|set …` are subcommands."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("align", cls=_AlignGroup)
def align_group():
    """Align the corpus: `calque align DOC|--all`, then `calque align show DOC`.

    \b
    Example:
      calque --corpus ./demo-corpus align --all
      calque --corpus ./demo-corpus align harbour-bridge --method lexical
      calque --corpus ./demo-corpus align show harbour-bridge
      calque --corpus ./demo-corpus align set harbour-bridge --translation harbour-bridge.de.mt --source 7 --target 7,8
      calque --corpus ./demo-corpus align confirm --all --min-score 0.5
    """


@align_group.command("run")
@click.argument("document_id", metavar="DOC", required=False)
@click.option("--all", "all_documents", is_flag=True, help="Align every document that has a source text.")
@click.option("--translation", "translation_id", help="Only this translation of DOC.")
@method_option
@encoder_option
@max_bead_option
@option_option
@click.option("--no-learn", is_flag=True, help="Do not learn a word list from the corpus's confirmed links.")
@execution_options
@shard_options
@json_option
@click.pass_context
def align_run(ctx, document_id, all_documents, translation_id, method, encoder, max_bead, settings, no_learn, scheduler,
              workers, shards_dir, resume, as_json):
    """Align DOC (or --all): store links with method and score; confirmed links are kept.

    With --workers N or --scheduler ADDRESS the translations are aligned on Dask workers, 20 per task;
    reading and storing stay in this process, so the stored links are the same. With --shards DIR each
    task's links are also kept there as Parquet, and --resume reuses the tasks an interrupted run
    finished (a task whose texts, confirmed links or aligner changed since is aligned again).

    \b
    Example:
      calque align harbour-bridge
      calque align --all --method lexical --json
      calque align --all --workers 4
      calque align --all --scheduler tcp://10.0.0.5:8786 --shards run1/ --resume
    """
    from pipelines.align.corpus_align import align_documents

    if bool(document_id) == bool(all_documents):
        raise click.UsageError("give a document id or --all (not both)")
    corpus = open_corpus(ctx)
    options = {} if max_bead is None else {"max_bead": max_bead}
    if settings or encoder:
        documents = corpus.documents()
        row = documents[documents.id == document_id] if document_id else documents[documents.source_text.notna()]
        if row.empty:
            raise InputError(f"no document {document_id!r} with a source text" if document_id else "the corpus has no document with a source text")
        translations = corpus.translations(row.iloc[0]["id"])
        tgt_lang = translations.iloc[0]["lang"] if not translations.empty else row.iloc[0]["lang"]
        options = _options(method, row.iloc[0]["lang"], tgt_lang, settings, encoder, max_bead)
    shards = open_shards(shards_dir, resume)
    targets = [document_id] if document_id else None
    total = len(corpus.translations(document_id)) if document_id else len(corpus.translations())
    executor = open_executor(scheduler, workers) if (scheduler or workers) else None
    try:
        with _progress(total) as bar:
            results = align_documents(corpus, targets, translation_id, method, progress=bar.update, executor=executor,
                                      shards=shards, resume=resume, learn_from_confirmed=not no_learn, **options)
    finally:
        if executor is not None:
            executor.close()
    if as_json:
        echo_json(results)
        return
    rows = [{"translation": r["translation"], "method": r.get("method", "-"), "links": r.get("stored", 0),
             "kept confirmed": r.get("kept_confirmed", 0), "note": r.get("skipped", "")} for r in results]
    echo_table(rows, ["translation", "method", "links", "kept confirmed", "note"])


def _progress(total: int):
    if progress_enabled():
        return click.progressbar(length=total, label="aligning", file=sys.stderr)
    return contextlib.nullcontext(SimpleNamespace(update=lambda _n: None))


@align_group.command("show")
@click.argument("document_id", metavar="DOC")
@click.option("--translation", "translation_id", help="Only this translation of DOC.")
@click.option("--width", type=int, default=60, show_default=True, help="Characters of text per column.")
@json_option
@click.pass_context
def align_show(ctx, document_id, translation_id, width, as_json):
    """Show the stored links of DOC: segment numbers, status, method, score and both texts.

    \b
    Example:
      calque align show harbour-bridge --translation harbour-bridge.de.mt
    """
    from pipelines.align.corpus_align import alignment_rows

    rows = alignment_rows(open_corpus(ctx), document_id, translation_id)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(f"{document_id}: no alignment links yet (run: calque align {document_id})")
        return
    table = [{**r, "source": ",".join(map(str, r["source"])) or "-", "target": ",".join(map(str, r["target"])) or "-",
              "score": "" if r["score"] is None or r["score"] != r["score"] else f"{r['score']:.3f}"} for r in rows]
    echo_table(table, ["translation", "source", "target", "status", "method", "score", "source_text", "target_text"], max_width=width)


@align_group.command("set")
@click.argument("document_id", metavar="DOC")
@click.option("--translation", "translation_id", required=True, help="The translation of DOC the link belongs to.")
@click.option("--source", "source_ids", required=True, help="Source segment numbers, e.g. 0,1 (empty '' for an addition).")
@click.option("--target", "target_ids", required=True, help="Target segment numbers, e.g. 2 (empty '' for an omission).")
@json_option
@click.pass_context
def align_set(ctx, document_id, translation_id, source_ids, target_ids, as_json):
    """Set a link by hand: it is confirmed and re-aligning never overwrites it.

    \b
    Example:
      calque align set harbour-bridge --translation harbour-bridge.de.mt --source 7 --target 7,8
    """
    from pipelines.align.corpus_align import set_link

    source, target = _parse_ids(source_ids, "source"), _parse_ids(target_ids, "target")
    link_id = set_link(open_corpus(ctx), document_id, translation_id, source, target)
    if as_json:
        echo_json({"id": link_id, "translation": translation_id, "source": source, "target": target, "status": "confirmed"})
    else:
        click.echo(f"confirmed {source}:{target} ({link_id})")


@align_group.command("confirm")
@click.argument("document_id", metavar="DOC", required=False)
@click.option("--all", "all_documents", is_flag=True, help="Confirm the automatic links of every document.")
@click.option("--translation", "translation_id", help="Only this translation of DOC.")
@click.option("--min-score", type=float, metavar="X", help="Only links scored at least X (unscored links are left automatic).")
@json_option
@click.pass_context
def align_confirm(ctx, document_id, all_documents, translation_id, min_score, as_json):
    """Confirm automatic links in bulk: they are then kept by re-alignment and go into TMX/Moses exports.

    Review them first with `calque align show DOC`; links set by hand are confirmed already.

    \b
    Example:
      calque align confirm harbour-bridge
      calque align confirm --all --min-score 0.5
    """
    if bool(document_id) == bool(all_documents):
        raise click.UsageError("give a document id or --all (not both)")
    if translation_id and not document_id:
        raise click.UsageError("--translation needs its document id: calque align confirm DOC --translation T")
    result = open_corpus(ctx).confirm_alignments([document_id] if document_id else None, translation_id, min_score)
    if as_json:
        echo_json(result)
        return
    for translation, count in result["by_translation"].items():
        click.echo(f"{translation}: confirmed {count} link(s)")
    line = f"confirmed {result['confirmed']} automatic link(s)"
    if min_score is not None:
        line += f"; {result['left_auto']} scored below {min_score:g} (or unscored) stay automatic"
    click.echo(line)


def register(main: click.Group) -> None:
    for command in (align_group, align_files, align_eval):
        main.add_command(command)
