from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from tests.corpus.helpers import store_fingerprint


@pytest.fixture
def corpus(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "corpus")
    corpus.import_jsonl(str(test_data / "corpus" / "small.jsonl"))
    return corpus


def test_text_import_keeps_paragraphs_and_exact_offsets(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_text(str(test_data / "corpus" / "article.en.txt"), lang="en", document_id="bridge")
    corpus.import_text(str(test_data / "corpus" / "article.de.txt"), lang="de", translation_of="bridge", producer="human")
    source_text = corpus.document("bridge")["source_text"]
    segments = corpus.segments(document_id="bridge", side="source")
    assert list(segments.paragraph) == [0, 1, 1, 2, 2]
    assert all(source_text[s.start : s.end] == s.text for s in segments.itertuples())
    assert "Dr. Ana Ruiz said." in segments.text.iloc[2]
    target = corpus.segments(translation_id="bridge.de.human")
    assert len(target) == 5 and target.text.iloc[3].startswith("„Wir brauchen")


def test_target_only_document_like_the_seed(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_text(str(test_data / "corpus" / "article.de.txt"), lang="de", document_id="seed", source_unavailable=True, source_lang="en")
    document = corpus.document("seed")
    assert document["source_text"] is None and document["lang"] == "en"
    assert corpus.segments(document_id="seed", side="source").empty
    assert len(corpus.segments(translation_id="seed.de.mt")) == 5


def test_parallel_import_makes_confirmed_one_to_one_links(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_parallel(str(test_data / "corpus" / "news.en"), str(test_data / "corpus" / "news.de"), "en", "de")
    links = corpus.alignments("news.de")
    assert [(s, t) for s, t in zip(links.source_idx, links.target_idx)] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert set(links.status) == {"confirmed"}
    segments = corpus.segments(translation_id="news.de")
    text = corpus.translation("news.de")["text"]
    assert all(text[s.start : s.end] == s.text for s in segments.itertuples())


def test_parallel_import_records_the_licence_of_both_texts(tmp_path, test_data):
    directory = tmp_path / "c"
    Corpus.init(directory).close()
    folder = test_data / "corpus"
    result = CliRunner().invoke(main, ["--corpus", str(directory), "import", "parallel", str(folder / "news.en"),
                                       str(folder / "news.de"), "--src-lang", "en", "--tgt-lang", "de", "--license", "CC-BY-SA-4.0"])
    assert result.exit_code == 0, result.output
    corpus = Corpus.open(directory)
    try:
        assert corpus.document("news")["license"] == "CC-BY-SA-4.0" == corpus.translation("news.de")["license"]
    finally:
        corpus.close()


def test_jsonl_import_resolves_annotation_spans_by_quoted_text(corpus):
    notes = corpus.annotations().set_index("text")
    note = notes.loc["Wachhund"]
    segment = corpus.segments(translation_id="seedlike.de.mt").set_index("id").loc[note.segment_id]
    assert segment.text[note.start : note.end] == "Wachhund"
    assert (note.category, note.severity, note.artifact_type, note.annotator, note.origin) == ("Accuracy/Mistranslation", "Major", "calque", "tester", "human")
    source_note = notes.loc["mayor"]
    assert source_note.side == "source" and pd_isnull(source_note.translation_id)


def pd_isnull(value) -> bool:
    return value is None or value != value


def _write(path, content: bytes | str):
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


BAD_JSONL = {
    "malformed JSON": ('{"type": "document", "id": "x", "lang": "en", "source": {"text": "Hi."}}\n{"type": "document", "id": \n', "bad.jsonl:2: malformed JSON"),
    "duplicate id": ('{"type": "document", "id": "dup", "lang": "en", "source": {"text": "Hi."}}\n{"type": "document", "id": "dup", "lang": "en", "source": {"text": "Ho."}}\n', "bad.jsonl:2: duplicate document id 'dup'"),
    "id already stored": ('{"type": "document", "id": "bridge", "lang": "en", "source": {"text": "Hi."}}\n', "bad.jsonl:1: duplicate document id 'bridge'"),
    "unknown language": ('{"type": "document", "id": "x", "lang": "english", "source": {"text": "Hi."}}\n', "bad.jsonl:1: lang: unknown language code 'english'"),
    "unknown severity": ('{"type": "annotation", "translation": "bridge.de.mt", "text": "Rat", "category": "Other", "severity": "huge"}\n', "bad.jsonl:1: unknown severity 'huge'"),
    "span not found": ('{"type": "annotation", "translation": "bridge.de.mt", "text": "Nirgendwo", "category": "Other", "severity": "Minor"}\n', "bad.jsonl:1: span 'Nirgendwo' occurs fewer than 1 time(s)"),
    "empty file": ("", "bad.jsonl: file is empty"),
    "invalid UTF-8": (b'{"type": "document", "id": "x", "lang": "en", "source": {"text": "caf\xe9"}}\n', "bad.jsonl:1: invalid UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSONL))
def test_bad_jsonl_is_refused_with_file_and_line_and_store_unchanged(corpus, tmp_path, case):
    content, message = BAD_JSONL[case]
    path = _write(tmp_path / "bad.jsonl", content)
    before = store_fingerprint(corpus)
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "import", "jsonl", path])
    assert result.exit_code == 1
    error_line = result.output.strip()
    assert "\n" not in error_line and error_line.startswith("Error: ") and message in error_line
    assert store_fingerprint(corpus) == before


def test_a_bad_line_late_in_the_file_rolls_back_the_documents_before_it(corpus, tmp_path):
    good = '{"type": "document", "id": "new%d", "lang": "en", "source": {"text": "Fine."}}\n'
    path = _write(tmp_path / "bad.jsonl", "".join(good % i for i in range(50)) + '{"type": "document", "id": "new0", "lang": "en", "source": {"text": "Again."}}\n')
    before = store_fingerprint(corpus)
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "import", "jsonl", path])
    assert result.exit_code == 1 and "bad.jsonl:51: duplicate document id 'new0'" in result.output
    assert store_fingerprint(corpus) == before


@pytest.mark.parametrize(
    "source,target,extra,message",
    [
        ("news.en", "short.de", ["--src-lang", "en", "--tgt-lang", "de"], "short.de:3: line counts differ: 3 source lines"),
        ("news.en", "news.de", ["--src-lang", "en", "--tgt-lang", "qq"], "unknown language code 'qq'"),
        ("empty.en", "news.de", ["--src-lang", "en", "--tgt-lang", "de"], "empty.en: file is empty"),
    ],
)
def test_bad_parallel_input_is_refused_and_store_unchanged(corpus, tmp_path, test_data, source, target, extra, message):
    (tmp_path / "empty.en").write_bytes(b"")
    paths = [str(tmp_path / name) if name == "empty.en" else str(test_data / "corpus" / name) for name in (source, target)]
    before = store_fingerprint(corpus)
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "import", "parallel", *paths, *extra])
    assert result.exit_code == 1 and message in result.output and result.output.count("\n") == 1
    assert store_fingerprint(corpus) == before


def test_bad_text_input_is_refused(corpus, tmp_path):
    before = store_fingerprint(corpus)
    for content, message in ((b"", "file is empty"), (b"ok\n\xc3\x28 broken\n", "bad.txt:2: invalid UTF-8"), (b"\n  \n", "file has no text")):
        path = _write(tmp_path / "bad.txt", content)
        result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "import", "text", path, "--lang", "de"])
        assert result.exit_code == 1 and message in result.output
    assert store_fingerprint(corpus) == before


def test_export_import_round_trip_preserves_every_field(corpus, tmp_path):
    corpus.set_alignments("bridge.de.mt", [{"source": [0], "target": [0], "score": 0.75}], method="test")
    corpus.add_result("test", "sha256:abc", "metric:x|version:1", {"score": 1.5})
    first = tmp_path / "first.jsonl"
    corpus.export_jsonl(first)
    copy = Corpus.init(tmp_path / "copy")
    copy.import_jsonl(str(first))
    second = tmp_path / "second.jsonl"
    copy.export_jsonl(second)
    assert first.read_text("utf-8") == second.read_text("utf-8")
    for table in ("documents", "translations", "segments", "alignments", "annotations", "glossary", "artifacts", "results"):
        pd.testing.assert_frame_equal(getattr(corpus, table)(), getattr(copy, table)(), obj=table)
    records = [json.loads(line) for line in first.read_text("utf-8").splitlines()]
    assert {r["type"] for r in records} == {"document", "annotation", "alignment", "concept", "artifact", "result"}


def test_tsv_export_writes_one_file_per_table(corpus, tmp_path):
    files = corpus.export_tsv(tmp_path / "tables")
    assert sorted(p.rsplit("/", 1)[1] for p in files) == ["alignments.tsv", "annotations.tsv", "documents.tsv", "segments.tsv", "translations.tsv"]
    segments = pd.read_csv(tmp_path / "tables" / "segments.tsv", sep="\t", escapechar="\\", keep_default_na=False)
    assert list(segments.text) == list(corpus.segments().text)


def test_read_lines_splits_and_strips_like_the_line_reader(tmp_path):
    from corpus.formats.reading import iter_lines, read_lines

    path = tmp_path / "lines.txt"
    # A byte-order mark, CRLF and a stray trailing CR, a CR, U+0085 and U+2028 inside lines (not line ends), no final newline.
    path.write_bytes("\ufeffEins\r\nzwei\r\r\ndr\rei\u0085vier\u2028\n\nfünf".encode())
    assert read_lines(path) == [line for _, line in iter_lines(path)] == ["Eins", "zwei", "dr\rei\u0085vier\u2028", "", "fünf"]
    path.write_bytes(b"\n")
    assert read_lines(path) == [""]


@pytest.mark.parametrize("content,message", [(b"ok\nfine\n\xc3\x28 broken\n", "bad.txt:3: invalid UTF-8 at byte 0 of the line"),
                                             (b"ok\nn\x00l\n", "bad.txt:2: contains NUL characters"), (b"", "bad.txt: file is empty")])
def test_read_lines_names_the_line_of_bad_input(tmp_path, content, message):
    from corpus.errors import InputError
    from corpus.formats.reading import read_lines

    path = _write(tmp_path / "bad.txt", content)
    with pytest.raises(InputError) as raised:
        read_lines(path)
    assert message in str(raised.value)


def test_parallel_import_rows_across_chunks(tmp_path, monkeypatch):
    """Segments, links and journal of a parallel import written in several chunks: offsets run on from chunk to
    chunk, each row has its hash and id, each chunk its journal entries."""
    import hashlib

    from corpus.formats import parallel

    monkeypatch.setattr(parallel, "CHUNK", 3)
    sources, targets = ["One.", "Twö 2.", "", "Four, 4.", "Five."], ["Eins.", "Zwei 2.", "Drei.", "", "Fünf."]
    (tmp_path / "doc.en").write_text("\r\n".join(sources) + "\r\n", "utf-8")
    (tmp_path / "doc.de").write_text("\n".join(targets), "utf-8")
    corpus = Corpus.init(tmp_path / "c")
    corpus.import_parallel(str(tmp_path / "doc.en"), str(tmp_path / "doc.de"), "en", "de")
    for side, lines, text in (("source", sources, corpus.document("doc")["source_text"]),
                              ("target", targets, corpus.translation("doc.de")["text"])):
        segments = corpus.segments(document_id="doc", side=side).sort_values("idx")
        prefix = "doc" if side == "source" else "doc.de"
        assert text == "\n".join(lines)
        assert list(segments.id) == [f"{prefix}:{i}" for i in range(5)] and list(segments.paragraph) == list(range(5))
        assert list(segments.text) == lines and all(text[s.start : s.end] == s.text for s in segments.itertuples())
        assert list(segments.text_hash) == [hashlib.sha1(line.encode()).hexdigest() for line in lines]
    links = corpus.alignments("doc.de").sort_values("source_idx")
    assert list(links.id) == [f"doc.de|{i}|{i}" for i in range(5)]
    assert [(s, t) for s, t in zip(links.source_idx, links.target_idx)] == [([i], [i]) for i in range(5)]
    assert set(links.method) == {"parallel-import"} and set(links.status) == {"confirmed"}
    journal = corpus.journal()
    chunks = sorted(journal[journal.entity.isin(["segments", "alignments"])].entity_id)
    assert chunks == sorted(f"{name}@{offset}" for offset in (0, 3) for name in ("doc", "doc.de", "doc.de"))
    assert sorted(after["rows"] for after in journal[journal.entity == "segments"].after) == [2, 2, 3, 3]
    corpus.close()
