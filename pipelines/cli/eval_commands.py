"""Evaluation commands: eval (BLEU/chrF/chrF++/TER and learned metrics with signatures and paired tests), semantic
(embedding similarity), terms eval / terms drift (terminology)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import click

from corpus.errors import InputError
from pipelines.cli.common import (
    METRICS_HELP,
    bootstrap_option,
    echo_json,
    echo_table,
    execution_options,
    json_option,
    open_corpus,
    open_executor,
    open_shards,
    shard_options,
    tokenize_option,
)


def _split_langs(langs: str | None) -> tuple[str | None, str | None]:
    if not langs:
        return None, None
    parts = langs.split("-", 1)
    if len(parts) != 2 or not all(parts):
        raise InputError(f"--langs must look like SRC-TGT (e.g. en-de), not {langs!r}")
    return parts[0], parts[1]


def _hyp_paths(hyps: tuple[str, ...], extra: tuple[str, ...]) -> list[str]:
    paths = list(hyps) + list(extra)
    if len(set(paths)) != len(paths):
        raise InputError("the same hypothesis file is given twice")
    return paths


def _read(path: str, field: str | None) -> Sequence[str]:
    from pipelines.fidelity.textfile import read_segment_file

    return read_segment_file(path, field)


def _read_all(paths: dict[str, str | None], lazy: bool, executor=None) -> dict[str, Sequence[str]]:
    """The segments of each file (path -> its JSONL field). With `lazy`, plain text files give FileLines (a mark
    per MiB, not texts), indexed by byte-range tasks on `executor`, so the tasks of a cluster run carry paths and
    line ranges and each worker reads its own shard; JSONL and SGML files are read here."""
    plain = [p for p in paths if lazy and Path(p).suffix.lower() not in (".jsonl", ".sgm", ".sgml")]
    read: dict[str, Sequence[str]] = {}
    if plain:
        from pipelines.fidelity.file_lines import index_files

        read.update(zip(plain, index_files(plain, executor)))
    return {path: read[path] if path in read else _read(path, field) for path, field in paths.items()}


# -- calque eval ---------------------------------------------------------------------------------
@click.command("eval")
@click.option("-s", "--source", "source_path", type=click.Path(dir_okay=False), help="Source file (needed by metrics that read the source).")
@click.option("-r", "--ref", "ref_paths", multiple=True, type=click.Path(dir_okay=False), help="Reference file; repeat for several references (none for reference-free metrics).")
@click.option("-t", "--hyp", "hyp_paths", multiple=True, type=click.Path(dir_okay=False), help="Hypothesis (system output) file; several may follow -t.")
@click.argument("extra_hyps", nargs=-1, type=click.Path(dir_okay=False))
@click.option("-m", "--metrics", default="bleu,chrf,ter", show_default=True, help=METRICS_HELP)
@click.option("--langs", help="SRC-TGT: BLEU's tokeniser follows the target language; the fields of JSONL files.")
@tokenize_option
@click.option("--baseline", help="Baseline for paired tests: a hypothesis path or system name (default: the first -t).")
@click.option("--paired-bs", "paired", flag_value="bs", help="Paired bootstrap resampling against the baseline.")
@click.option("--paired-ar", "paired", flag_value="ar", help="Paired approximate randomization against the baseline.")
@click.option("--n-samples", type=click.IntRange(min=0), default=0, help="Resamples/trials for the paired test (0: sacrebleu's 1000 / 10000).")
@click.option("--correction", type=click.Choice(["holm", "bh", "none"]), default="holm", show_default=True, help="Multiple-comparison correction across systems.")
@click.option("--ci", "n_bootstrap", type=click.IntRange(min=0), default=0, help="Bootstrap resamples for 95% confidence intervals (e.g. 1000).")
@click.option("--segments", is_flag=True, help="Include segment-level scores (with --bootstrap sharded: in --shards only).")
@bootstrap_option
@execution_options
@shard_options
@click.option("--document", "document_id", help="Corpus mode: only this document.")
@click.option("--no-store", is_flag=True, help="Corpus mode: do not store results in the corpus.")
@json_option
@click.pass_context
def eval_command(ctx, source_path, ref_paths, hyp_paths, extra_hyps, metrics, langs, tokenize, baseline, paired, n_samples,
                 correction, n_bootstrap, segments, bootstrap, scheduler, workers, shards_dir, resume, document_id, no_store,
                 as_json) -> None:
    """Score system outputs with BLEU, chrF, chrF++, TER (sacrebleu) and learned metrics, with signatures.

    With -t files: one segment per line (or JSONL with --langs, or WMT SGML). Without files:
    scores the corpus's machine translations against its human translations and stores the results.
    BLEU tokenises as `sacrebleu -l SRC-TGT` does for the target language of --langs (the corpus's
    translation language in corpus mode). Segment-level metrics (learned, learned-qe,
    embed-sim, comet:CHECKPOINT, metricx:FOLDER) read the source (-s); a reference-free one needs no -r.

    \b
    Example:
      calque eval -s src.en -r ref.A.de -r ref.B.de -t sysA.de sysB.de --metrics bleu,chrf,ter --json
      calque eval -r ref.zh -t sys.zh --langs en-zh            # BLEU with tok:zh, as sacrebleu -l en-zh
      calque eval -r ref.de -t base.de new.de --paired-bs --baseline base.de --ci 1000
      calque eval -s src.en -t hyp.de --langs en-de --metrics embed-sim,comet:models/cometkiwi/checkpoints/model.ckpt
      calque --corpus ./demo-corpus eval --metrics bleu,chrf
      calque eval -r ref.de -t sys*.de --workers 4 --shards scores/ --resume
      calque eval -r ref.de -t sys*.de --scheduler tcp://10.0.0.5:8786 --bootstrap sharded --ci 1000
    """
    from pipelines.fidelity import get_metric, parse_metric_list

    metric_names = parse_metric_list(metrics)
    hyps = _hyp_paths(hyp_paths, extra_hyps)
    if not hyps:
        if ref_paths or source_path:
            raise InputError("give the system outputs to score with -t HYP [HYP ...]")
        if shards_dir or resume or bootstrap != "auto":
            raise InputError("--shards/--resume/--bootstrap belong to file mode (-r/-t)")
        return _eval_corpus(ctx, metric_names, document_id, n_bootstrap, segments, not no_store, scheduler, workers,
                            tokenize, as_json)
    chosen = [get_metric(name) for name in metric_names]
    for metric in chosen:
        if metric.needs_reference and not ref_paths:
            raise InputError(f"metric {metric.name} needs a reference: give it with -r REF")
        if metric.needs_source and not source_path:
            raise InputError(f"metric {metric.name} needs the source segments: give them with -s SRC")
    src_lang, tgt_lang = _split_langs(langs)
    from pipelines.execution import SCHEDULER_ENV
    from pipelines.fidelity import ScoringContext
    from pipelines.fidelity.resampling import resampling_mode
    from pipelines.fidelity.system_names import short_names
    from pipelines.fidelity.textfile import check_parallel

    # on a cluster the client keeps a mark per MiB of each file; every figure comes from the shards
    lazy = bool(scheduler or workers or os.environ.get(SCHEDULER_ENV))
    context = ScoringContext(src_lang, tgt_lang, tokenize)
    shards = open_shards(shards_dir, resume)
    names = short_names(hyps)
    with open_executor(scheduler, workers) as executor:
        files = _read_all({**({source_path: src_lang} if source_path else {}), **{p: tgt_lang for p in ref_paths},
                           **{p: tgt_lang for p in hyps}}, lazy, executor)
        check_parallel(files)
        sources = files[source_path] if source_path else None
        refs = [files[p] for p in ref_paths]
        systems = {name: files[p] for name, p in zip(names, hyps)}
        sharded = resampling_mode(bootstrap, len(systems), len(files[hyps[0]])) == "sharded"
        if sharded:
            scored, tests = _eval_sharded(systems, refs, chosen, sources, context, segments, n_bootstrap, paired, n_samples,
                                          _baseline(baseline, names, hyps), correction, executor, shards, resume)
        else:
            from pipelines.fidelity.shard_scores import system_statistics

            tables = system_statistics(systems, refs, chosen, sources=sources, context=context,
                                       segments=chosen if segments else [], executor=executor, shards=shards, resume=resume)
    if not sharded:
        from pipelines.fidelity.scoring import score_many

        scored = score_many(systems, refs, chosen, sources=sources, context=context, segments=segments,
                            n_bootstrap=n_bootstrap, tables=tables)
        tests = []
        if paired:
            from pipelines.fidelity.significance import paired_test

            tests = [r.to_dict() for r in paired_test(systems, refs, chosen, _baseline(baseline, names, hyps), context=context,
                                                      tables=tables, test=paired, n_samples=n_samples, correction=correction)]
    rows: list[dict[str, Any]] = []
    for name, path in zip(names, hyps):
        for result in scored[name].values():
            rows.append({"system": name, "path": path, **result.to_dict(include_segments=segments)})
    if as_json:
        echo_json({"source": source_path, "references": list(ref_paths), "metrics": metric_names,
                   "results": rows, "paired_tests": tests})
        return
    _print_scores(rows, tests)


def _baseline(baseline: str | None, names: list[str], hyps: list[str]) -> str:
    """The baseline's system name: given as a name or a hypothesis path; default the first system."""
    base = baseline or names[0]
    return names[hyps.index(base)] if base not in names and base in hyps else base


def _eval_sharded(systems, refs, chosen, sources, context, segments, n_bootstrap, paired, n_samples, baseline, correction,
                  executor, shards, resume) -> tuple[dict, list[dict]]:
    """Scores reduced on the workers with sharded draws; the CIs and a paired bootstrap share one set of resamples."""
    from pipelines.fidelity.scoring import score_many_sharded

    if paired == "ar":
        raise InputError("--paired-ar needs every segment's statistics in this process; for a run this large use "
                         "--paired-bs, or --bootstrap exact")
    resamples = n_bootstrap
    if paired == "bs":
        resamples = n_samples or 1000
        if n_bootstrap > 1 and n_bootstrap != resamples:
            raise InputError("with sharded draws the CIs and the paired bootstrap share their resamples: give --ci and "
                             "--n-samples the same number")
    scored, totals = score_many_sharded(systems, refs, chosen, sources=sources, context=context, segments=segments,
                                        n_bootstrap=resamples, ci=n_bootstrap > 1, executor=executor, shards=shards,
                                        resume=resume)
    tests = []
    if paired:
        from pipelines.fidelity.significance import paired_test_sharded

        tests = [r.to_dict() for r in paired_test_sharded(scored, totals, chosen, baseline, refs, context=context,
                                                          n_samples=resamples, correction=correction)]
    return scored, tests


def _print_scores(rows: list[dict], tests: list[dict]) -> None:
    p_values = {(t["system"], t["metric"]): t for t in tests}
    table = []
    for row in rows:
        line = {"system": row["system"], "metric": row["name"], "score": f"{row['score']:.2f}"}
        if row.get("ci"):
            line["95% CI"] = f"±{row['ci']['halfwidth']:.2f}"
        test = p_values.get((row["system"], row["metric"]))
        if tests:
            line["p (adj.)"] = "baseline" if test is None else f"{test['p_adjusted']:.4f}{' *' if test['significant'] else ''}"
        line["signature"] = row["signature"]
        table.append(line)
    echo_table(table, max_width=120)


def _eval_corpus(ctx, metric_names, document_id, n_bootstrap, segments, store, scheduler, workers, tokenize,
                 as_json) -> None:
    from pipelines.fidelity.corpus_eval import evaluate_corpus

    corpus = open_corpus(ctx)
    try:
        with open_executor(scheduler, workers) as executor:
            rows = evaluate_corpus(corpus, metric_names, document_id=document_id, n_bootstrap=n_bootstrap,
                                   segments=segments, store=store, executor=executor, tokenize=tokenize)
    finally:
        corpus.close()
    if as_json:
        echo_json({"corpus": str(corpus.path), "metrics": metric_names, "results": rows})
        return
    _print_scores(rows, [])


# -- calque semantic ----------------------------------------------------------------------------
@click.command("semantic")
@click.option("-s", "--source", "source_path", required=True, type=click.Path(dir_okay=False), help="Source file.")
@click.option("-t", "--hyp", "hyp_path", required=True, type=click.Path(dir_okay=False), help="Translation file.")
@click.option("-r", "--ref", "ref_path", type=click.Path(dir_okay=False), help="Reference file (adds translation-reference similarity).")
@click.option("--model", default="use", show_default=True,
              help="'use' (bundled multilingual USE) or the folder of a local transformers encoder.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True, help="Sentences per batch (scores do not depend on it).")
@click.option("--langs", help="SRC-TGT; needed when files are JSONL.")
@click.option("--comet", "comet_checkpoint", type=click.Path(dir_okay=False),
              help="Also score with COMET from this local checkpoint (the metric comet:CHECKPOINT; needs calque-corpus[comet]).")
@click.option("--segments/--no-segments", default=False, help="Include every segment's scores (flagged segments are always listed).")
@execution_options
@json_option
def semantic_command(source_path, hyp_path, ref_path, model, batch_size, langs, comet_checkpoint, segments, scheduler,
                     workers, as_json) -> None:
    """Semantic fidelity: cross-lingual embedding similarity, with likely omissions and hallucinations.

    With --workers N or --scheduler ADDRESS the embeddings are computed on Dask workers (a local model
    folder must then be at the same path on every worker); the scores are the same.

    \b
    Example:
      calque semantic -s src.en -t hyp.de -r ref.de --json
      calque semantic -s src.en -t hyp.de --model ./models/LaBSE --batch-size 16
      calque semantic -s src.en -t hyp.de --workers 2
    """
    from pipelines.fidelity.textfile import check_parallel
    from pipelines.semantic import semantic_fidelity

    src_lang, tgt_lang = _split_langs(langs)
    comet = None
    if comet_checkpoint:
        from pipelines.fidelity import get_metric

        comet = get_metric(f"comet:{comet_checkpoint}")  # a missing package or checkpoint stops the command now
    sources, hyps = _read(source_path, src_lang), _read(hyp_path, tgt_lang)
    files = {source_path: sources, hyp_path: hyps}
    refs = None
    if ref_path:
        refs = files[ref_path] = _read(ref_path, tgt_lang)
    check_parallel(files)
    from pipelines.encoders import USE_NAMES

    if model.lower() not in USE_NAMES and not Path(model).is_dir():
        raise InputError("model folder not found or not readable (give 'use' or a local transformers folder)", model)
    with open_executor(scheduler, workers) as executor:
        distributed = executor if (scheduler or workers) else None
        report = semantic_fidelity(sources, hyps, refs, encoder=model, batch_size=batch_size, executor=distributed)
        if comet is not None:
            from pipelines.fidelity import ScoringContext, score_corpus

            comet_result = score_corpus(hyps, [refs] if refs is not None else [], [comet], sources=sources, segments=True,
                                        context=ScoringContext(src_lang, tgt_lang), executor=distributed)[comet.name]
    data = {"source": source_path, "hypothesis": hyp_path, "reference": ref_path, **report.to_dict(include_segments=segments)}
    if comet is not None:
        data["comet"] = {key: value for key, value in comet_result.to_dict(include_segments=segments).items()
                         if key in ("score", "segments", "signature", "data_hash", "calque_signature")}
    if as_json:
        echo_json(data)
        return
    summary = report.summary
    click.echo(f"source-translation similarity  mean {summary['src_hyp_mean']:.4f}  ({summary['segments']} segments)")
    if "hyp_ref_mean" in summary:
        click.echo(f"translation-reference similarity  mean {summary['hyp_ref_mean']:.4f}")
    click.echo(f"flagged {summary['flagged']}: {summary['omissions']} likely omissions, {summary['hallucinations']} likely "
               f"hallucinations, {summary['low_similarity']} low similarity (threshold {report.threshold:.3f})")
    rows = [{"line": f["segment"] + 1, "flag": f["flag"], "similarity": f"{f['src_hyp']:.3f}",
             "length": f"{f['length_ratio']:.2f}", "translation": hyps[f["segment"]]} for f in data["flagged"]]
    if rows:
        echo_table(rows, max_width=70)
    if comet is not None:
        click.echo(f"COMET {data['comet']['score']:.4f}  {data['comet']['signature']}")
    click.echo(report.signature)


# -- calque terms ------------------------------------------------------------------------------
@click.group("terms")
def terms_group() -> None:
    """Terminology: term success rate and consistency, and target-only drift.

    \b
    Example:
      calque terms eval -s src.en -t hyp.de --terms terms.jsonl --langs en-de --json
      calque --corpus ./demo-corpus terms drift seed-hikvision
    """


@terms_group.command("eval")
@click.option("-s", "--source", "source_path", type=click.Path(dir_okay=False), help="Source file (needed with a glossary).")
@click.option("-t", "--hyp", "hyp_path", required=True, type=click.Path(dir_okay=False), help="Translation to check.")
@click.option("--terms", "terms_path", required=True, type=click.Path(dir_okay=False),
              help="Per-segment term list (JSONL, WMT21 .sgm) or glossary (.tbx, .csv, .tsv, concept JSONL).")
@click.option("--langs", help="SRC-TGT, e.g. en-de (JSONL fields, TBX languages, lemma mode).")
@click.option("--terms-key", help="Key of the term object in JSONL records (WMT25 full_data: proper or random).")
@click.option("--match", "mode", type=click.Choice(["wmt25", "surface", "word-start", "word", "lemma"]), default="wmt25",
              show_default=True,
              help="wmt25: surface or lemma sequence, lemmatiser per language (surface where none); surface: substring; "
                   "word-start/word: word-boundary-aware; lemma: like wmt25 but fails without a lemmatiser.")
@click.option("--count", "count", type=click.Choice(["in-source", "all"]), default="in-source", show_default=True,
              help="in-source: count only terms found in the source (WMT25; the rest reported apart); all: every listed term.")
@click.option("--keep-accents", is_flag=True, help="Match accents exactly (default: accent-insensitive).")
@click.option("--docs", "docs_path", type=click.Path(dir_okay=False), help="Document id per line, for document-level consistency.")
@click.option("--min-occurrences", type=click.IntRange(min=1), default=2, show_default=True,
              help="Consistency counts source terms occurring at least this often (1 = WMT25's population).")
@click.option("--failures", is_flag=True, help="List the terms not found.")
@json_option
def terms_eval(source_path, hyp_path, terms_path, langs, terms_key, mode, count, keep_accents, docs_path,
               min_occurrences, failures, as_json) -> None:
    """Term success rate and consistency of a translation.

    By default the WMT25 scorer's rule: a term counts when its source form or lemma sequence occurs in
    the source, and succeeds when a target form or its lemma sequence occurs in the translation
    (case-insensitive). The signature names the lemmatiser used per language.

    \b
    Example:
      calque terms eval -s src.en -t hyp.de --terms terms.jsonl --langs en-de --json
      calque terms eval -s full_data.ende.jsonl -t system.ende.proper.jsonl \\
          --terms full_data.ende.jsonl --terms-key proper --langs en-de
      calque terms eval -s dev.en-fr.en.sgm -t hyp.sgm --terms dev.en-fr.en.sgm --langs en-fr
    """
    from pipelines.fidelity.textfile import check_parallel
    from pipelines.terminology import Matcher, evaluate_terms, read_terms

    src_lang, tgt_lang = _split_langs(langs)
    matcher = Matcher(mode, fold_accents=not keep_accents)
    matcher.check_language(tgt_lang)
    hyps = _read(hyp_path, tgt_lang)
    files = {hyp_path: hyps}
    sources = None
    if source_path:
        sources = files[source_path] = _read(source_path, src_lang)
    documents = None
    if docs_path:
        documents = files[docs_path] = _read(docs_path, None)
    check_parallel(files)
    terms = read_terms(terms_path, src_lang, tgt_lang, terms_key)
    report = evaluate_terms(hyps, terms, sources, src_lang=src_lang, tgt_lang=tgt_lang, matcher=matcher,
                            documents=documents, min_occurrences=min_occurrences, count=count)
    data = {"hypothesis": hyp_path, "terms": terms_path, **report.to_dict(include_checks=failures)}
    if as_json:
        echo_json(data)
        return
    c = report.consistency
    click.echo(f"term success rate  {report.success_rate:.4f}  ({report.success['matched']}/{report.success['total']})")
    if report.success["count"] == "in-source" and report.success["source_not_found"]:
        click.echo(f"not counted        {report.success['source_not_found']} listed terms not found in the source")
    for name in ("first", "frequent", "predefined"):
        micro, macro = c[name]["micro"], c[name]["macro"]
        if micro is not None:
            click.echo(f"consistency {name:<10} micro {micro:.4f}  macro {macro:.4f}  ({c['terms']} terms, {c['occurrences']} occurrences)")
    inconsistent = [t for t in c["repeated_terms"] if not t["consistent"]]
    if inconsistent:
        click.echo("inconsistent terms:")
        echo_table([{"source": t["source"], "n": t["occurrences"],
                     "renderings": ", ".join(f"{r}×{n}" for r, n in t["renderings"].items())} for t in inconsistent[:20]])
    if failures:
        echo_table([{"segment": f["segment"] + 1, "source": f["source"], "expected": "|".join(f["targets"])}
                    for f in data["failures"]])
    click.echo(report.signature)


@terms_group.command("drift")
@click.argument("document_id", required=False)
@click.option("--text", "text_path", type=click.Path(dir_okay=False), help="Check this text file instead of the corpus.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Glossary for --text (.tbx, .csv, .tsv, concept JSONL).")
@click.option("--lang", help="Language of --text (e.g. de).")
@click.option("--match", "mode", type=click.Choice(["word-start", "surface", "word", "lemma"]), default="word-start", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list concepts used one way only.")
@json_option
@click.pass_context
def terms_drift(ctx, document_id, text_path, glossary_path, lang, mode, show_all, as_json) -> None:
    """Target-only drift: which renderings of each glossary concept a translation uses.

    Needs no source: the corpus glossary's approved terms, variants and forbidden terms are looked
    up in each translation (of DOCUMENT_ID, or of every document).

    \b
    Example:
      calque --corpus ./demo-corpus terms drift seed-hikvision
      calque terms drift --text seed.de.txt --glossary glossary.tbx --lang de --json
    """
    from pipelines.terminology import Matcher
    from pipelines.terminology.drift import concept_renderings, translation_drift

    matcher = Matcher(mode)
    if text_path:
        if not glossary_path:
            raise InputError("--text needs --glossary")
        from pipelines.fidelity.textfile import read_text
        from pipelines.terminology import read_terms

        glossary = read_terms(glossary_path, None, lang)
        if not hasattr(glossary, "concepts"):
            raise InputError("drift needs a glossary of concepts, not a per-segment term list", glossary_path)
        matcher.check_language(lang)
        concepts = [c for c in glossary.concepts if not lang or not c.tgt_lang or c.tgt_lang.split("-")[0] == lang.split("-")[0]]
        if not concepts:
            raise InputError(f"the glossary has no concept for target language {lang!r}", glossary_path)
        report = [{"document": None, "translation": text_path, "lang": lang,
                   "concepts": concept_renderings(read_text(text_path), concepts, matcher, lang)}]
        for entry in report:
            entry["drifting"] = sum(r["drift"] for r in entry["concepts"])
    else:
        corpus = open_corpus(ctx)
        try:
            if corpus.glossary().empty:
                raise InputError("the corpus has no glossary, so there is nothing to drift: import concepts with "
                                 "`calque import jsonl glossary.jsonl` (lines {\"type\": \"concept\", \"source_term\", \"approved\", …}), "
                                 "or check a file with --text FILE --glossary GLOSSARY")
            report = translation_drift(corpus, document_id, matcher)
        finally:
            corpus.close()
    if as_json:
        echo_json({"match": matcher.signature, "translations": report})
        return
    for entry in report:
        click.echo(f"{entry['translation']}: {entry['drifting']} concept(s) named more than one way")
        rows = [{"concept": r["concept"], "ways": r["distinct"],
                 "renderings": "; ".join(f"{x['form']} ({x['kind']}) ×{x['count']}" for x in r["renderings"])}
                for r in entry["concepts"] if show_all or r["drift"]]
        if rows:
            echo_table(rows, max_width=110)


def register(main: click.Group) -> None:
    for command in (eval_command, semantic_command, terms_group):
        main.add_command(command)
