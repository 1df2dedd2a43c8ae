"""TMX and Moses exports of confirmed 1-1 links, each re-imported (round trip), alone and inside a release."""
from __future__ import annotations

import pyarrow as pa
import pytest

from corpus import Corpus, InputError
from corpus.formats.aligned_pairs import one_to_one_pairs, tables_from_corpus, tables_from_release
from corpus.formats.moses import export_moses, import_moses_into
from corpus.formats.tmx import export_tmx, import_tmx_into, read_tmx

TRICKY = {
    "type": "document", "id": "tricky", "lang": "en", "license": "CC-BY-4.0", "provenance": "hand-written test",
    "source": {"text": 'Fish & "chips" <b>bold</b>\nTabs\there, \'quotes\'\nA form\x0cfeed line'},
    "translations": [{"id": "tricky.de.mt", "lang": "de", "producer": "mt", "system": "sys<1>",
                      "text": 'Fisch & „Pommes“ <b>fett</b>\nTabs\thier, ’Zitate’\nEin Seiten\x0cvorschub'}],
}
LINKS = [{"type": "alignment", "translation": "tricky.de.mt", "source": [i], "target": [i], "status": "confirmed"} for i in range(3)]


@pytest.fixture
def corpus_with_tricky_text(small_corpus):
    small_corpus.import_records([TRICKY, *LINKS], label="tricky")
    return small_corpus


def _content(pairs):
    pairs = pairs.to_pandas()
    return sorted(zip(pairs.src_lang, pairs.tgt_lang, pairs.source, pairs.target, pairs.producer, pairs.system.astype(str), pairs.license))


def test_tmx_round_trip_keeps_every_confirmed_one_to_one_pair(corpus_with_tricky_text, tmp_path):
    original = corpus_with_tricky_text
    summary = export_tmx(original, tmp_path / "out.tmx")
    pairs = one_to_one_pairs(tables_from_corpus(original))
    assert summary["units"] == pairs.num_rows == 6  # 2 confirmed links of news-1.de.mt, 1 of .human (its 2-1 link is not 1-1), 3 tricky
    assert summary["replaced_characters"] == 2  # the form feeds cannot be XML
    text = (tmp_path / "out.tmx").read_text("utf-8")
    assert "Fish &amp; \"chips\" &lt;b&gt;bold&lt;/b&gt;" in text and '<tmx version="1.4">' in text
    copy = Corpus.init(tmp_path / "copy")
    import_tmx_into(copy, tmp_path / "out.tmx")
    again = one_to_one_pairs(tables_from_corpus(copy))
    expected = pairs.to_pandas()
    expected = expected.assign(source=expected.source.str.replace("\x0c", "\ufffd"), target=expected.target.str.replace("\x0c", "\ufffd"))
    assert _content(again) == _content(pa.Table.from_pandas(expected, preserve_index=False))
    assert set(copy.documents().id) == {"tricky", "news-1.de.mt", "news-1.de.human"}  # news-1 has two translations in the file
    export_tmx(copy, tmp_path / "again.tmx.gz")
    units = [{k: u[k] for k in ("src_lang", "tgt_lang", "source", "target", "license")} for u in read_tmx(str(tmp_path / "again.tmx.gz"))]
    assert sorted(map(str, units)) == sorted(map(str, ({k: u[k] for k in ("src_lang", "tgt_lang", "source", "target", "license")}
                                                      for u in read_tmx(str(tmp_path / "out.tmx")))))


def test_moses_round_trip_through_import_parallel(corpus_with_tricky_text, tmp_path):
    original = corpus_with_tricky_text
    [written] = export_moses(original, tmp_path / "moses")
    assert written["lines"] == 6 and written["flattened_line_breaks"] == 2
    source_lines = (tmp_path / "moses" / "corpus.en-de.en").read_text("utf-8").split("\n")
    assert len(source_lines) == 7 and source_lines[-1] == ""
    copy = Corpus.init(tmp_path / "copy")
    import_moses_into(copy, written)
    pairs, again = one_to_one_pairs(tables_from_corpus(original)).to_pandas(), one_to_one_pairs(tables_from_corpus(copy)).to_pandas()
    flat = lambda s: s.str.replace("\x0c", " ")
    assert sorted(zip(again.document_id, again.source, again.target)) == sorted(zip(pairs.translation_id, flat(pairs.source), flat(pairs.target)))
    [rewritten] = export_moses(copy, tmp_path / "again")
    for role in ("source", "target"):
        assert open(rewritten[role], encoding="utf-8").read() == open(written[role], encoding="utf-8").read()


def test_release_exports_are_made_from_the_release_data_and_re_import(corpus_with_tricky_text, tmp_path):
    import gzip
    import shutil

    from corpus.releases import Releases

    releases = Releases(corpus_with_tricky_text)
    manifest = releases.create("1.0.0")
    assert set(manifest["exports"]) == {"exports/corpus.tmx.gz", "exports/moses/corpus.en-de.en.gz", "exports/moses/corpus.en-de.de.gz",
                                        "exports/moses/corpus.en-de.docids.gz", "exports/annotations.en-de.xlf.gz",
                                        "exports/annotations.en-de.mqm.tsv.gz"}
    assert not manifest.get("exports_skipped")
    root = releases.root / "1.0.0"
    expected = _content(one_to_one_pairs(tables_from_corpus(corpus_with_tricky_text)))
    assert _content(one_to_one_pairs(tables_from_release(root))) == expected
    from_tmx = Corpus.init(tmp_path / "from-tmx")
    import_tmx_into(from_tmx, root / "exports" / "corpus.tmx.gz")
    assert len(read_tmx(str(root / "exports" / "corpus.tmx.gz"))) == 6
    assert _content(one_to_one_pairs(tables_from_corpus(from_tmx))) == [
        (*row[:2], row[2].replace("\x0c", "\ufffd"), row[3].replace("\x0c", "\ufffd"), *row[4:]) for row in expected]
    plain = {}
    for role, name in (("source", "corpus.en-de.en"), ("target", "corpus.en-de.de"), ("docids", "corpus.en-de.docids")):
        plain[role] = str(tmp_path / name)
        with gzip.open(root / "exports" / "moses" / f"{name}.gz", "rb") as packed, open(plain[role], "wb") as unpacked:
            shutil.copyfileobj(packed, unpacked)
    from_moses = Corpus.init(tmp_path / "from-moses")
    import_moses_into(from_moses, {**plain, "src_lang": "en", "tgt_lang": "de"})
    pairs = one_to_one_pairs(tables_from_corpus(from_moses)).to_pandas()
    assert sorted(zip(pairs.source, pairs.target)) == sorted((row[2].replace("\x0c", " "), row[3].replace("\x0c", " ")) for row in expected)


def test_gzipped_exports_are_byte_for_byte_reproducible(released):
    released.create("1.0.1")
    first, second = released.manifest("1.0.0")["files"], released.manifest("1.0.1")["files"]
    for name in ("exports/corpus.tmx.gz", "exports/moses/corpus.en-de.en.gz"):
        assert first[name]["sha256"] == second[name]["sha256"], name


def test_malformed_and_unsafe_tmx_are_refused_with_file_and_line(tmp_path, small_corpus):
    broken = tmp_path / "broken.tmx"
    broken.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/>\n<body><tu><tuv xml:lang="en"><seg>x</tuv></tu></body></tmx>\n')
    with pytest.raises(InputError, match=r"broken\.tmx:3: malformed TMX"):
        read_tmx(str(broken))
    bomb = tmp_path / "bomb.tmx"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                    '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv>'
                    '<tuv xml:lang="de"><seg>x</seg></tuv></tu></body></tmx>\n')
    with pytest.raises(InputError, match="refused unsafe XML"):
        read_tmx(str(bomb))
    one_sided = tmp_path / "one.tmx"
    one_sided.write_text('<tmx version="1.4"><header srclang="en"/><body><tu tuid="t1"><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>')
    before = small_corpus.stats()
    with pytest.raises(InputError, match="'t1' needs exactly two"):
        import_tmx_into(small_corpus, one_sided)
    assert small_corpus.stats() == before


def test_moses_refuses_unsafe_names(small_corpus, tmp_path):
    with pytest.raises(InputError, match="file name"):
        export_moses(small_corpus, tmp_path, name="../evil")


def test_release_carries_xliff_and_mqm_of_annotated_translations_which_re_import(released, tmp_path):
    import gzip
    import shutil

    from corpus.formats.annotations import import_annotations

    manifest = released.manifest("1.0.0")
    assert manifest["exports_skipped"] == {}
    assert {"exports/annotations.en-de.xlf.gz", "exports/annotations.en-de.mqm.tsv.gz"} <= set(manifest["exports"])
    copy = released.checkout("1.0.0", tmp_path / "copy")
    notes = copy.annotations().id.tolist()
    with copy.transaction("drop annotations") as tx:
        for note in notes:
            tx.delete("annotations", note)
    plain = tmp_path / "annotations.xlf"
    with gzip.open(released.root / "1.0.0" / "exports" / "annotations.en-de.xlf.gz", "rb") as packed, open(plain, "wb") as out:
        shutil.copyfileobj(packed, out)
    import_annotations(copy, "xliff", plain)
    key = ["translation_id", "segment_id", "start", "end", "category", "severity"]
    original = released.corpus.annotations()
    original = original[original.translation_id.notna()]
    assert sorted(map(tuple, copy.annotations()[key].values.tolist())) == sorted(map(tuple, original[key].values.tolist()))
