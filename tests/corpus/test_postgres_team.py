"""A team's corpus on PostgreSQL: two `calque import` processes and one `calque check` writing to one
corpus at once lose nothing and leave nothing half-written; `calque migrate --to URL` moves a SQLite
corpus, journal included, to PostgreSQL.

Runs when CALQUE_TEST_POSTGRES_URL names a role that may create databases (`make test` sets it when a
local PostgreSQL server is running); skipped otherwise.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from pipelines.demo import demo_corpus_file
from tests.conftest import REPO

SERVER_URL = os.environ.get("CALQUE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER_URL, reason="CALQUE_TEST_POSTGRES_URL is not set")
TABLES = ("documents", "translations", "segments", "alignments", "annotations", "glossary", "artifacts")
CLI = [sys.executable, "-c", "from pipelines.cli import main; main()"]


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


def synthetic_jsonl(path: Path, prefix: str, documents: int) -> Path:
    """Documents with a source of 12 sentences and a machine translation each (numbers vary, so checks find things)."""
    with open(path, "w", encoding="utf-8") as out:
        for n in range(documents):
            source = " ".join(f"Sentence {i} of report {prefix}{n} cites {1000 + i * n} votes." for i in range(12))
            target = " ".join(f"Satz {i} des Berichts {prefix}{n} nennt {1000 + i * n + (i % 5 == 0)} Stimmen." for i in range(12))
            out.write(json.dumps({"type": "document", "id": f"{prefix}{n:04d}", "lang": "en", "source": {"text": source},
                                  "translations": [{"id": f"{prefix}{n:04d}.de", "lang": "de", "producer": "mt", "text": target}]}) + "\n")
    return path


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def test_two_imports_and_a_check_at_once(tmp_path, database_url):
    corpus = Corpus.init(tmp_path / "team", database_url=database_url)
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.close()
    files = [synthetic_jsonl(tmp_path / f"{p}.jsonl", p, 300) for p in ("a", "b")]
    runs = [subprocess.Popen([*CLI, "--corpus", str(tmp_path / "team"), "import", "jsonl", str(f)], env=environment(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    runs.append(subprocess.Popen([*CLI, "--corpus", str(tmp_path / "team"), "check", "--json"], env=environment(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_, errors) in zip(runs, outputs):
        assert run.returncode == 0, errors

    # the same files imported one after the other into SQLite: the reference for every row
    reference = Corpus.init(tmp_path / "alone")
    for f in files:
        reference.import_jsonl(str(f), progress=False)
    team = Corpus.open(tmp_path / "team")
    try:
        for prefix in ("a", "b"):
            mine = team.segments()
            mine = mine[mine.document_id.str.startswith(prefix)].sort_values(["document_id", "side", "translation_id", "idx"])
            theirs = reference.segments().sort_values(["document_id", "side", "translation_id", "idx"])
            theirs = theirs[theirs.document_id.str.startswith(prefix)]
            assert len(mine) == 300 * 24  # 12 source + 12 target segments per document
            columns = ["document_id", "translation_id", "side", "idx", "text", "start", "end"]
            pd.testing.assert_frame_equal(mine[columns].reset_index(drop=True), theirs[columns].reset_index(drop=True))
        # every finding the check reported is stored exactly once as an open automatic annotation
        reported = [json.loads(line) for line in outputs[2][0].splitlines()]
        stored = team.annotations()
        stored = stored[stored.origin.fillna("").str.startswith("auto:")]
        assert len(reported) > 0 and len(stored) == len(reported)
        assert sorted((f["translation_id"], f["segment"], f["start"], f["end"], f"auto:{f['check']}") for f in reported) == sorted(
            (r.translation_id, int(r.segment_idx), int(r.start), int(r.end), r.origin) for r in stored.itertuples())
    finally:
        team.close()
        reference.close()


def test_migrate_moves_a_sqlite_corpus_to_postgresql(tmp_path, database_url):
    directory = tmp_path / "corpus"
    corpus = Corpus.init(directory)
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    corpus.close()
    runner = CliRunner()
    assert runner.invoke(main, ["--corpus", str(directory), "check"]).exit_code == 0
    before = Corpus.open(directory)
    frames = {table: getattr(before, table)() for table in TABLES}
    journal = before.journal()
    before.close()

    result = runner.invoke(main, ["--corpus", str(directory), "migrate", "--to", database_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["segments"] == len(frames["segments"])
    assert json.loads((directory / "corpus.json").read_text())["database"] == database_url
    after = Corpus.open(directory)
    try:
        assert after.engine.dialect.name == "postgresql"
        for table in TABLES:
            pd.testing.assert_frame_equal(getattr(after, table)(), frames[table], obj=table, check_dtype=False)
        pd.testing.assert_frame_equal(after.journal(), journal, check_dtype=False)
        # the journal keeps numbering after the copied entries
        note = after.annotations().iloc[0]
        after.update_annotation(note.id, {"comment": "moved"}, expected_version=int(note.version))
        assert len(after.journal()) == len(journal) + 1
    finally:
        after.close()
    # the SQLite file stays as it was, the backup; a second move into the same database is refused
    assert (directory / "calque.sqlite").is_file()
    again = runner.invoke(main, ["--corpus", str(directory), "migrate", "--to", database_url])
    assert again.exit_code == 1 and "already" in again.output


def test_serve_benchmark_on_postgresql_loses_and_duplicates_nothing():
    """benchmarks/serve_bench.py, scaled down: concurrent clients saving through `calque serve` on PostgreSQL."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("serve_bench", REPO / "benchmarks" / "serve_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.one_run(clients=8, saves=40, increments=5, postgres=SERVER_URL)
    assert figures["acknowledged"] == figures["requested"] == 320 and figures["failed"] == 0
    assert figures["lost"] == 0 and figures["duplicated"] == 0 and figures["stored"] == 320
    assert figures["counter"] == figures["counter_expected"] == 40 and figures["integrity"] == "ok"
