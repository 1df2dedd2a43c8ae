"""`calque import tmx`: Calque's own TMX export comes back as aligned documents; bad files are refused in one line."""
from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main


@pytest.fixture
def memory(tmp_path, test_data):
    """A TMX export of an aligned parallel corpus, and that corpus."""
    source = Corpus.init(tmp_path / "source", actor="tester")
    source.import_parallel(str(test_data / "corpus" / "news.en"), str(test_data / "corpus" / "news.de"), "en", "de", progress=False)
    path = tmp_path / "memory.tmx"
    assert CliRunner().invoke(main, ["--corpus", str(source.path), "export", str(path), "--format", "tmx"]).exit_code == 0
    return path, source


def run(corpus_dir, *args):
    return CliRunner().invoke(main, ["--corpus", str(corpus_dir), *args])


def test_import_tmx_restores_the_aligned_pairs(tmp_path, memory):
    path, source = memory
    target = Corpus.init(tmp_path / "target", actor="tester")
    result = run(target.path, "import", "tmx", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["documents.insert"] == 1
    assert list(target.segments(side="target").text) == list(source.segments(side="target").text)
    assert len(target.alignments()) == len(source.alignments())


@pytest.mark.parametrize("content, problem", [
    (b'<?xml version="1.0" encoding="bogus-8"?><tmx version="1.4"><body/></tmx>', "unknown encoding"),
    (b"\x1f\x8b\x08\x00garbage-not-deflate", "unreadable TMX"),
    (b"<tmx><body><tu><tuv xml:lang='en'><seg>a</seg></tuv></tu></body></tmx>", "needs exactly two"),
    (b"<tmx><body><tu><tuv>", "malformed TMX"),
    (b"<tmx><body>" + b"<x>" * 5000, "deeper than 256 levels"),
])
def test_bad_tmx_is_refused_in_one_line_and_writes_nothing(tmp_path, content, problem):
    corpus = Corpus.init(tmp_path / "c", actor="tester")
    path = tmp_path / ("bad.tmx.gz" if content.startswith(b"\x1f\x8b") else "bad.tmx")
    path.write_bytes(content)
    result = run(corpus.path, "import", "tmx", str(path))
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert problem in result.output and len(result.output.strip().splitlines()) == 1
    assert corpus.stats()["documents"] == 0 and corpus.journal().empty


def test_gzipped_memory_imports_too(tmp_path, memory):
    path, source = memory
    packed = tmp_path / "memory.tmx.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    target = Corpus.init(tmp_path / "target", actor="tester")
    assert run(target.path, "import", "tmx", str(packed)).exit_code == 0
    assert len(target.alignments()) == len(source.alignments())


def test_re_importing_the_export_into_the_same_corpus_adds_nothing(memory):
    from tests.corpus.helpers import store_fingerprint

    path, source = memory
    before = store_fingerprint(source)
    result = run(source.path, "import", "tmx", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == []
    assert store_fingerprint(source) == before


def test_an_edited_unit_under_a_stored_tuid_is_not_taken_for_the_stored_one(memory):
    path, source = memory
    edited = path.with_name("edited.tmx")
    text = path.read_text("utf-8")
    first_seg = text.index("<seg>") + len("<seg>")
    edited.write_text(text[:first_seg] + "Changed: " + text[first_seg:], encoding="utf-8")
    result = run(source.path, "import", "tmx", str(edited))
    assert result.exit_code == 1 and "duplicate" in result.output
