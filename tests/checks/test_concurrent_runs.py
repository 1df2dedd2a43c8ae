"""Two `calque check` runs at once store every finding once, on SQLite and on PostgreSQL: a unique key on
the automatic findings (origin, segment, span, segment text) stands behind the run's read of what is stored."""
from __future__ import annotations

import pytest

from corpus import Corpus
from pipelines.checks.corpus_run import run_corpus_checks, write_findings
from tests.checks.conftest import CHECKS_DATA
from tests.concurrency import all_at_once, reads_before_writes

RUNS = 4


@pytest.fixture(params=["sqlite", "postgresql"])
def checked_corpus(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    corpus = Corpus.init(tmp_path / request.param, database_url=url)
    corpus.import_jsonl(str(CHECKS_DATA / "corpus.jsonl"), progress=False)
    yield corpus
    corpus.close()


def test_check_runs_at_once_store_every_finding_once(checked_corpus):
    corpus = checked_corpus
    runs = list(run_corpus_checks(corpus))
    expected = sum(len({(f.check, f.segment, f.start, f.end) for f in findings}) for _, findings in runs)
    assert expected >= 3  # enough findings for a race to matter
    written: list[dict] = []

    def run(_):
        for translation, findings in runs:
            written.append(write_findings(corpus, findings, [translation["id"]]))

    with reads_before_writes(corpus.engine, "annotations", RUNS):
        assert all_at_once(run, ["check"], RUNS) == []
    auto = corpus.annotations(include_resolved=True)
    auto = auto[auto.origin.str.startswith("auto:")]
    assert len(auto) == expected and not auto.duplicated(["origin", "segment_id", "start", "end"]).any()
    assert sum(w["added"] for w in written) == expected and set(auto.status) == {"open"}
