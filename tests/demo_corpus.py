"""The shipped demo corpus, imported into a new corpus for a test."""
from __future__ import annotations

from pathlib import Path

from corpus import Corpus
from pipelines.demo import demo_corpus_file


def open_demo(path: Path, **options) -> Corpus:
    """A new corpus at `path` (Corpus.init options: actor, database_url) holding the demo corpus, open."""
    corpus = Corpus.init(path, **options)
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    return corpus
