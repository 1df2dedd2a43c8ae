"""`calque demo`: build the shipped demo corpus and run every pipeline step over it.

Each step is a function `step(corpus, workdir) -> str` (a one-line summary) named in DEMO_STEPS as
"module:function"; pipelines add their own step to the list, in the order the demo should run them.
"""
from __future__ import annotations

import importlib
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Callable

from corpus import Corpus, CorpusError
from corpus.store import CONFIG_FILE

DEMO_STEPS: list[tuple[str, str]] = [
    ("import", "pipelines.demo.run:import_demo_corpus"),
    ("align", "pipelines.align.corpus_align:demo_step"),
    ("checks", "pipelines.checks.corpus_run:demo_step"),
    ("mqm", "pipelines.mqm.demo_step:mqm_step"),
    ("fidelity", "pipelines.fidelity.corpus_eval:demo_step"),
    ("terminology", "pipelines.terminology.corpus_terms:demo_step"),
    ("stats", "pipelines.demo.run:summarise"),
    ("report", "pipelines.report.demo:write_demo_report"),
    ("release", "pipelines.demo.release_step:publish_first_release"),
]


def demo_corpus_file() -> Path:
    return Path(str(files("corpus") / "demo" / "demo.jsonl"))


def import_demo_corpus(corpus: Corpus, workdir: Path) -> str:
    result = corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    rows = result["rows"]
    return (f"imported {rows.get('documents.insert', 0)} documents, {rows.get('translations.insert', 0)} translations, "
            f"{rows.get('segments.insert', 0)} segments, {rows.get('annotations.insert', 0)} annotations")


def summarise(corpus: Corpus, workdir: Path) -> str:
    stats = corpus.stats()
    return (f"{stats['documents']} documents ({stats['documents_without_source']} target-only), {stats['translations']} translations, "
            f"{stats['segments']} segments, {stats['annotations_human']} human and {stats['annotations_auto']} automatic annotations, "
            f"{stats['alignments']} alignment links")


def _resolve(reference: str) -> Callable:
    module, function = reference.split(":")
    return getattr(importlib.import_module(module), function)


def prepare_directory(directory: Path, force: bool) -> None:
    if (directory / CONFIG_FILE).exists():
        if not force:
            raise CorpusError(f"{directory}: a corpus already exists here (use --force to rebuild the demo)")
        for name in (CONFIG_FILE, "calque.sqlite", "calque.sqlite-wal", "calque.sqlite-shm"):
            (directory / name).unlink(missing_ok=True)
        for name in ("releases", "reports"):
            shutil.rmtree(directory / name, ignore_errors=True)
    elif directory.exists() and any(directory.iterdir()):
        raise CorpusError(f"{directory}: directory is not empty and not a corpus")


def run_demo(directory: str | Path, force: bool = False, echo: Callable[[str], None] = print) -> list[dict]:
    """Build the demo corpus in `directory` and run each step; returns what each step did."""
    directory = Path(directory)
    prepare_directory(directory, force)
    corpus = Corpus.init(directory, actor="calque-demo")
    done = []
    try:
        for name, reference in DEMO_STEPS:
            summary = _resolve(reference)(corpus, directory)
            echo(f"[{name}] {summary}")
            done.append({"step": name, "summary": summary})
    finally:
        corpus.close()
    return done
