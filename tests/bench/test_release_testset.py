"""A corpus release as a bench test set: its machine translations against its human ones, the texts read from
the release's segments table; the same segments as a WMT-layout test set give the same per-system figures."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from corpus.errors import InputError
from pipelines.bench import load_testset, load_wmt_testset
from pipelines.cli import main
from pipelines.fidelity.parquet_lines import ParquetLines

DOCUMENTS = {"d1": (0, 3), "d2": (3, 8)}  # the tiny test set's 8 lines as two documents


def document_record(document: str, rows: tuple[int, int], testset, systems=None) -> dict:
    def text(lines) -> dict:
        sentences, spans, start = list(lines[rows[0]:rows[1]]), [], 0
        for sentence in sentences:
            spans.append({"start": start, "end": start + len(sentence)})
            start += len(sentence) + 1
        return {"text": " ".join(sentences), "segments": spans}

    translations = [{"id": f"{document}.ref.{name}", "lang": "de", "producer": "human", "system": name, **text(lines)}
                    for name, lines in testset.references.items()]
    translations += [{"id": f"{document}.{name}", "lang": "de", "producer": "mt", "system": name, **text(lines)}
                     for name, lines in testset.systems.items() if systems is None or name in systems]
    return {"type": "document", "id": document, "lang": "en", "license": "CC0-1.0", "source": text(testset.sources),
            "translations": translations}


def tiny_release(tmp_path, test_data):
    """A corpus of the tiny test set's documents (and one that lacks a system), released as 1.0.0."""
    tiny = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    records = [document_record(d, rows, tiny) for d, rows in DOCUMENTS.items()]
    records.append(document_record("d3-partial", (0, 2), tiny, systems={"careful"}))
    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    corpus = Corpus.init(tmp_path / "corpus")
    corpus.import_jsonl(str(source), progress=False)
    corpus.close()
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "corpus"), "release", "create", "1.0.0", "--license", "CC0-1.0"])
    assert result.exit_code == 0, result.output
    return tmp_path / "corpus" / "releases" / "1.0.0"


@pytest.mark.parametrize("lazy", [False, True])
def test_a_release_is_a_test_set_of_its_complete_documents(release, test_data, lazy):
    tiny = load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de")
    testset = load_testset(release, "en-de", lazy=lazy)
    assert testset.name == "release-1.0.0" and list(testset.references) == ["A"]
    assert sorted(testset.systems) == sorted(tiny.systems)
    assert list(testset.sources) == tiny.sources and testset.documents == ["d1"] * 3 + ["d2"] * 5
    assert all(list(testset.systems[s]) == tiny.systems[s] for s in tiny.systems)
    assert testset.notes == ["1 document(s) of the release left out: not every system and reference, split as the source"]
    if lazy:
        careful = testset.systems["careful"]
        assert isinstance(careful, ParquetLines) and len(careful.spans) == 2  # one run of rows per document
        assert list(careful[2:5]) == tiny.systems["careful"][2:5]  # a shard across the documents' boundary


def test_bench_on_a_release_gives_the_figures_of_the_same_texts(release, test_data):
    def bench(testset) -> dict:
        result = CliRunner().invoke(main, ["bench", "--testset", str(testset), "--langs", "en-de", "--n-samples", "0",
                                           "--no-store", "--json"])
        assert result.exit_code == 0, result.output
        return result

    there = bench(release)
    assert "note: 1 document(s) of the release left out" in there.stderr
    here = json.loads(bench(test_data / "bench" / "tiny_wmt").stdout)
    assert json.loads(there.stdout)["systems"] == here["systems"] and len(here["systems"]) == 3


def test_a_release_without_the_pair_says_so(release):
    with pytest.raises(InputError, match="no de document with a source and both machine and human en translations"):
        load_testset(release, "de-en")


def test_a_manifest_without_the_tables_says_so(tmp_path):
    (tmp_path / "manifest.json").write_text('{"version": "1.0.0", "tables": {}}', "utf-8")
    with pytest.raises(InputError, match=r"manifest\.json: the manifest lists no documents, translations, segments table"):
        load_testset(tmp_path, "en-de")
