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
    "list as a pair's source": '{"type": "pair", "document": "p", "src_lang": "en", "tgt_lang": "de", "source": ["One."], "target": "Eins."}',
    "object as a pair's producer": '{"type": "pair", "document": "p", "src_lang": "en", "tgt_lang": "de", "source": "One.", "target": "Eins.", '
                                   '"producer": {"mt": 1}}',
    "number as a pair's document": '{"type": "pair", "document": 7, "src_lang": "en", "tgt_lang": "de", "source": "One.", "target": "Eins."}',
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
    message = str(refused(demo, lambda: import_annotations(demo, "label-studio", path), path))
    assert "labels" in message and "list" in message


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


# -- issue 20: a value of the wrong type at any depth, XML nested thousands of levels deep -------------
WRONG_TYPES = {"list": ["Fluency"], "object": {"a": "b"}, "number": 3, "null": None, "bool": True}


@pytest.mark.parametrize("field, wrong", [(field, wrong) for field, right in (("error_type", "null"), ("severity", ""), ("start_i", "number"))
                                          for wrong in sorted(WRONG_TYPES) if wrong != right])
def test_a_wrong_type_inside_an_appraise_error_span_is_one_line(demo, tmp_path, field, wrong):
    span = {"start_i": 0, "end_i": 3, "severity": "major", "error_type": "Fluency", field: WRONG_TYPES[wrong]}
    path = tmp_path / "scores.csv"
    path.write_text(f'rater1,literal-mt,0,TGT,eng,deu,,harbour-bridge#literal-mt,False,"{json.dumps([span]).replace(chr(34), chr(34) * 2)}"\n',
                    encoding="utf-8")
    error = refused(demo, lambda: import_annotations(demo, "appraise", path), path)
    assert error.line == 1 and field in str(error)


@pytest.mark.parametrize("where", [("annotations", 0, "completed_by"), ("annotations", 0, "result", 0, "value", "start"),
                                   ("annotations", 0, "result", 0, "value", "labels", 0), ("annotations", 0, "result", 0, "to_name"),
                                   ("data", "calque", "source_segments", 0), ("annotations", 0, "was_cancelled")])
@pytest.mark.parametrize("wrong", ["list", "object"])
def test_a_wrong_type_deep_inside_a_label_studio_task_is_one_line(demo, tmp_path, where, wrong):
    path = tmp_path / "ls.json"
    export_annotations(demo, "label-studio", path)
    tasks = json.loads(path.read_text("utf-8"))
    number, task = next((n, t) for n, t in enumerate(tasks) if t["annotations"] and t["annotations"][0]["result"])
    task["data"]["calque"]["source_segments"] = task["data"]["calque"]["source_segments"] or [0]
    tasks[number] = with_(task, where, WRONG_TYPES[wrong])
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert f"task {number + 1}" in str(refused(demo, lambda: import_annotations(demo, "label-studio", path), path))


def _nested(text: str, after: str, depth: int = 5000) -> str:
    """text with `depth` nested elements opened and closed right after the first `after`."""
    at = text.index(after) + len(after)
    return text[:at] + "<x>" * depth + "</x>" * depth + text[at:]


def test_xliff_nested_thousands_deep_is_refused_before_recursion_can_fail(demo, tmp_path):
    path = tmp_path / "deep.xlf"
    export_annotations(demo, "xliff", path)
    path.write_text(_nested(path.read_text("utf-8"), "<target>"), encoding="utf-8")
    assert "deeper than 256 levels" in str(refused(demo, lambda: import_annotations(demo, "xliff", path), path))


@pytest.mark.parametrize("packed", [False, True], ids=["tmx", "tmx.gz"])
def test_tmx_nested_thousands_deep_is_refused_in_one_line(corpus, tmp_path, packed):
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n'
            '<tu tuid="1"><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="de"><seg>Eins.</seg></tuv></tu>\n</body></tmx>\n')
    path = tmp_path / ("deep.tmx.gz" if packed else "deep.tmx")
    data = _nested(text, "<seg>").encode("utf-8")
    path.write_bytes(gzip.compress(data) if packed else data)
    assert "deeper than 256 levels" in str(refused(corpus, lambda: import_tmx_into(corpus, path), path))


def test_tbx_nested_thousands_deep_is_refused_in_one_line(tmp_path, test_data):
    from pipelines.terminology.formats import read_terms

    path = tmp_path / "deep.tbx"
    path.write_text(_nested((test_data / "terminology" / "glossary_v3.tbx").read_text("utf-8"), "<term>"), encoding="utf-8")
    with pytest.raises(InputError, match="deeper than 256 levels") as caught:
        read_terms(path, "en", "de")
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.parametrize("field, wrong", [("source_term", ["harbour"]), ("source_term", 3), ("approved", [["Hafen"]]),
                                          ("variants", "[not json"), ("forbidden", {"a": "b"}), ("id", ["c1"])])
def test_a_wrong_type_in_a_concept_jsonl_glossary_is_one_line(tmp_path, field, wrong):
    from pipelines.terminology import evaluate_terms, read_terms

    concept = {"type": "concept", "id": "c1", "src_lang": "en", "tgt_lang": "de", "source_term": "harbour", "approved": ["Hafen"], field: wrong}
    path = tmp_path / "glossary.jsonl"
    path.write_text(json.dumps(concept) + "\n", encoding="utf-8")
    try:
        glossary = read_terms(path, "en", "de")
    except InputError as error:
        assert str(error).startswith(f"{path}:1: ") and field in str(error) and "\n" not in str(error)
        return
    # what is accepted is a string where a list was expected: read as one term, and usable
    assert isinstance(wrong, str)
    evaluate_terms(["Der Hafen."], glossary, ["The harbour."], src_lang="en", tgt_lang="de")


def test_a_google_mqm_row_placed_beyond_an_existing_document_is_one_line(demo, tmp_path):
    path = tmp_path / "mqm.tsv"
    export_annotations(demo, "google-mqm", path, translation_ids=["harbour-bridge.de.mt"])
    header, first, *rest = path.read_text("utf-8").splitlines()
    cells = dict(zip(header.split("\t"), first.split("\t")))
    cells.update(system="another-system", doc_id="999")
    path.write_text("\n".join([header, "\t".join(cells.values()), *rest]) + "\n", encoding="utf-8")
    error = refused(demo, lambda: import_annotations(demo, "google-mqm", path, src_lang="en", tgt_lang="de"), path)
    assert error.line == 2 and "position 999" in str(error)
