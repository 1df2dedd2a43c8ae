"""The bad inputs of issue 15, each refused in one line naming file, line and problem, with the store untouched."""
from __future__ import annotations

import gzip
import json

import pytest

from corpus import Corpus, InputError
from corpus.formats.annotations import export_annotations, import_annotations
from corpus.formats.tmx import import_tmx_into
from tests.corpus.helpers import store_fingerprint

DOC = {"type": "document", "id": "d1", "lang": "en", "source": {"text": "One. Two."},
       "translations": [{"id": "d1.de", "lang": "de", "text": "Eins. Zwei."}]}
NOTE = {"type": "annotation", "translation": "d1.de", "segment": 0, "start": 0, "end": 4, "category": "Accuracy/Mistranslation", "severity": "Minor"}


def with_(record: dict, path: tuple, value) -> dict:
    copy = json.loads(json.dumps(record))
    holder = copy
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return copy


JSONL_CASES = {
    "deep nesting": '{"type": "document", "id": "x", "lang": "en", "metadata": ' + "[" * 5000 + "]" * 5000 + "}",
    "5000-digit integer": json.dumps(NOTE).replace('"start": 0', '"start": ' + "9" * 5000),
    "1e400 offset": json.dumps(NOTE).replace('"end": 4', '"end": 1e400'),
    "Infinity offset": json.dumps(NOTE).replace('"end": 4', '"end": Infinity'),
    "NaN score": '{"type": "alignment", "translation": "d1.de", "source": [0], "target": [0], "score": NaN}',
    "list as id": json.dumps(with_(NOTE, ("id",), ["a"])),
    "lone surrogate": json.dumps(with_(NOTE, ("comment",), "\ud800")),
    "NUL in text": json.dumps(with_(DOC, ("id",), "d2")).replace("One.", "On\\u0000e."),
    "version abc": json.dumps(with_(NOTE, ("version",), "abc")),
    "producer robot": json.dumps(with_(with_(DOC, ("id",), "d2"), ("translations", 0, "producer"), "robot")).replace("d1.de", "d2.de"),
    "segment_hash without text": json.dumps(with_(NOTE, ("segment_hash",), "0" * 40)),
    "dict as comment": json.dumps(with_(NOTE, ("comment",), {"a": 1})),
    "category outside the typology": json.dumps(with_(NOTE, ("category",), "F")),
    "document id of an existing translation": json.dumps(with_(DOC, ("id",), "d1.de")).replace('"id": "d1.de", "lang": "de"', '"id": "d9.de", "lang": "de"'),
    "bad artifact_type": '{"type": "artifact", "artifact_type": "bogus", "target_form": "x", "src_lang": "en", "tgt_lang": "de"}',
    "backwards segment": json.dumps(with_(with_(DOC, ("id",), "d3"), ("source", "segments"), [{"start": 4, "end": 1}])),
    "overlapping segments": json.dumps(with_(with_(DOC, ("id",), "d3"), ("source", "segments"), [{"start": 0, "end": 4}, {"start": 2, "end": 9}])),
}


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    corpus = Corpus.init(tmp_path / "c", actor="tester")
    corpus.import_records([DOC], label="seed")
    yield corpus
    corpus.close()


def refused(corpus: Corpus, run, path) -> InputError:
    before = store_fingerprint(corpus)
    with pytest.raises(InputError) as caught:
        run()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    assert store_fingerprint(corpus) == before
    return caught.value


@pytest.mark.parametrize("case", sorted(JSONL_CASES))
def test_jsonl_garbage_is_refused_with_file_and_line(corpus, tmp_path, case):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "document", "id": "ok", "lang": "en", "source": "Fine."}\n' + JSONL_CASES[case] + "\n", encoding="utf-8")
    error = refused(corpus, lambda: corpus.import_jsonl(str(path), progress=False), path)
    assert error.line == 2


@pytest.mark.parametrize("content", [b"\n\n  \n", "Hello world.\n".encode("utf-16-le")], ids=["blank only", "UTF-16 without BOM"])
def test_empty_or_mis_encoded_files_are_refused(corpus, tmp_path, content):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    refused(corpus, lambda: corpus.import_jsonl(str(path), progress=False), path)
    text = tmp_path / "bad.txt"
    text.write_bytes(content)
    refused(corpus, lambda: corpus.import_text(str(text), lang="en"), text)


def test_label_studio_labels_must_be_a_list(demo, tmp_path):
    path = tmp_path / "ls.json"
    export_annotations(demo, "label-studio", path)
    tasks = json.loads(path.read_text("utf-8"))
    task = next(t for t in tasks if any(r["type"] == "labels" for a in t["annotations"] for r in a["result"]))
    region = next(r for a in task["annotations"] for r in a["result"] if r["type"] == "labels")
    region["value"]["labels"] = "Fluency"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert "labels must be a list" in str(refused(demo, lambda: import_annotations(demo, "label-studio", path), path))


@pytest.mark.parametrize("score", ["nan", "inf", "1000", "-1"])
def test_appraise_scores_outside_0_to_100_are_refused(demo, tmp_path, score):
    path = tmp_path / "scores.csv"
    path.write_text(f"rater1,literal-mt,0,TGT,eng,deu,{score},harbour-bridge#literal-mt,False,[]\n", encoding="utf-8")
    assert "score" in str(refused(demo, lambda: import_annotations(demo, "appraise", path), path))


def test_xliff_bogus_status_and_unknown_encoding_are_refused(demo, tmp_path):
    path = tmp_path / "a.xlf"
    export_annotations(demo, "xliff", path)
    text = path.read_text("utf-8")
    bogus = tmp_path / "bogus.xlf"
    bogus.write_text(text.replace('calque:status="confirmed"', 'calque:status="bogus"', 1), encoding="utf-8")
    assert "status" in str(refused(demo, lambda: import_annotations(demo, "xliff", bogus), bogus))
    encoding = tmp_path / "encoding.xlf"
    encoding.write_text(text.replace('encoding="UTF-8"', 'encoding="bogus-8"', 1), encoding="utf-8")
    assert "encoding" in str(refused(demo, lambda: import_annotations(demo, "xliff", encoding), encoding))


def test_corrupt_gzip_tmx_and_unknown_encoding_tbx_are_refused(corpus, tmp_path):
    from pipelines.terminology.formats import read_terms

    tmx = tmp_path / "memory.tmx.gz"
    tmx.write_bytes(gzip.compress(b"<tmx><body></body></tmx>" * 20)[:40] + b"\x00" * 40)
    refused(corpus, lambda: import_tmx_into(corpus, tmx), tmx)
    tbx = tmp_path / "glossary.tbx"
    tbx.write_text('<?xml version="1.0" encoding="bogus-8"?><tbx/>', encoding="utf-8")
    with pytest.raises(InputError, match="encoding"):
        read_terms(tbx, "en", "de")


@pytest.mark.parametrize("changes", [{"comment": "\udcff"}, {"comment": {"a": 1}}, {"status": "bogus"}, {"correction": "a\x00b"}],
                         ids=["surrogate from a mis-encoded argv", "dict", "bogus status", "NUL"])
def test_annotation_updates_are_checked_too(corpus, changes):
    corpus.add_annotations([{k: v for k, v in NOTE.items() if k != "type"}])
    annotation_id = corpus.annotations().id.iloc[0]
    before = store_fingerprint(corpus)
    with pytest.raises(InputError):
        corpus.update_annotation(annotation_id, changes)
    assert store_fingerprint(corpus) == before
