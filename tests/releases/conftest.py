from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.releases import Releases


@pytest.fixture
def small_corpus(tmp_path, test_data) -> Corpus:
    """Two documents (one without source), three translations, confirmed and auto links, annotations,
    a concept, an artifact and a stored result: every content table has rows."""
    corpus = Corpus.init(tmp_path / "corpus", actor="alice")
    corpus.import_jsonl(str(test_data / "releases" / "small.jsonl"), progress=False)
    yield corpus
    corpus.close()


@pytest.fixture
def released(small_corpus) -> Releases:
    releases = Releases(small_corpus)
    releases.create("1.0.0", notes="first release")
    return releases
