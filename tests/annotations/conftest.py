from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import Corpus
from corpus.formats.annotations import import_annotations
from corpus.store import _clean
from tests.corpus.helpers import store_fingerprint

DATA = Path(__file__).resolve().parent.parent / "data" / "annotations"
GOOGLE_SAMPLE = DATA / "mqm_ted_ende.sample.tsv"


@pytest.fixture
def google_corpus(tmp_path) -> Corpus:
    corpus = Corpus.init(tmp_path / "google", actor="tester")
    import_annotations(corpus, "google-mqm", GOOGLE_SAMPLE)
    return corpus


@pytest.fixture
def council(tmp_path) -> Corpus:
    corpus = Corpus.init(tmp_path / "council", actor="tester")
    corpus.import_jsonl(str(DATA / "agreement.jsonl"))
    return corpus


def bare_copy(corpus: Corpus, directory: Path) -> Corpus:
    """The same documents, translations and alignments, without any annotation."""
    records = directory.parent / f"{directory.name}.jsonl"
    with open(records, "w", encoding="utf-8") as stream:
        for record in corpus.iter_export_records():
            if record["type"] != "annotation":
                stream.write(json.dumps(_clean(record), ensure_ascii=False, default=str) + "\n")
    copy = Corpus.init(directory, actor="tester")
    copy.import_jsonl(str(records))
    return copy


def annotation_facts(corpus: Corpus) -> list[tuple]:
    """What an annotation says, without ids and timestamps."""
    frame = corpus.annotations()
    columns = ["translation_id", "side", "segment_idx", "start", "end", "text", "category", "severity", "annotator", "comment", "status"]
    rows = [tuple(None if v != v else v for v in row) for row in frame[columns].astype(object).itertuples(index=False)]
    return sorted(rows, key=lambda row: tuple((v is not None, str(v)) for v in row))


def snapshot(corpus: Corpus) -> tuple:
    return store_fingerprint(corpus), len(corpus.journal()), corpus.stats()
