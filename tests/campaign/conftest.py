"""Fixtures for campaigns: the shipped demo corpus in a temporary directory, and PostgreSQL when offered."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import Corpus
from tests.demo_corpus import open_demo

MT = ["harbour-bridge.de.mt", "hot-nights-study.de.mt", "retailer-fine.de.mt"]
HUMAN = ["harbour-bridge.de.human", "hot-nights-study.de.human", "retailer-fine.de.human"]


def demo(path: Path, database_url: str | None = None) -> Corpus:
    return open_demo(path, database_url=database_url, actor="owner")


@pytest.fixture(scope="session")
def aligned_demo(tmp_path_factory) -> Path:
    """The demo corpus with its bilingual documents aligned (lexical, as `calque align` does), built once."""
    from pipelines.align.corpus_align import align_documents

    path = tmp_path_factory.mktemp("template") / "corpus"
    corpus = demo(path)
    align_documents(corpus, method="lexical")
    corpus.close()
    return path


@pytest.fixture
def corpus(tmp_path: Path, aligned_demo: Path):
    shutil.copytree(aligned_demo, tmp_path / "corpus")
    corpus = Corpus.open(tmp_path / "corpus", actor="owner")
    yield corpus
    corpus.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_corpus(request, tmp_path: Path):
    """The demo corpus on SQLite, and on PostgreSQL when CALQUE_TEST_POSTGRES_URL is set."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    corpus = demo(tmp_path / request.param, url)
    yield corpus
    corpus.close()
