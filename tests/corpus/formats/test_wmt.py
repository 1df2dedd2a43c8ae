"""`import wmt`: WMT test sets (text layout with and without documents, WMT XML) become documents with their
references, systems and confirmed 1-1 links; re-imports are no-ops, other text is refused; bad files are one-line
errors that leave the corpus unchanged; the export gives the files back byte for byte; releases load back."""
from __future__ import annotations

import gzip
import shutil

import pytest

from corpus import Corpus
from corpus.errors import InputError
from corpus.formats.exporters import export
from corpus.formats.wmt import import_wmt_into
from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
from pipelines.bench.corpus_bench import bench_corpus
from tests.corpus.helpers import store_fingerprint


@pytest.fixture
def corpus(tmp_path):
    opened = Corpus.init(tmp_path / "corpus", actor="tester")
    yield opened
    opened.close()


@pytest.fixture
def wmt_data(test_data):
    return test_data / "wmt"


def lines(path) -> list[str]:
    return path.read_text("utf-8").split("\n")[:-1]


def files(root) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_set_without_documents_is_one_document_with_every_reference_and_system(corpus, test_data):
    folder = test_data / "bench" / "tiny_wmt"
    result = import_wmt_into(corpus, folder)
    assert result["set"] == "tinytest2024.en-de" and result["systems"] == ["broken", "careful", "literal"] and result["references"] == ["A"]
    document = corpus.document("tinytest2024.en-de")
    assert document["lang"] == "en" and document["metadata"]["wmt"]["first_line"] == 0
    translations = corpus.translations().set_index("id")
    assert translations.loc["tinytest2024.en-de.ref.A", ["producer", "system", "lang"]].tolist() == ["human", "A", "de"]
    assert translations.loc["tinytest2024.en-de.hyp.broken", ["producer", "system"]].tolist() == ["mt", "broken"]
    source = lines(folder / "sources" / "tinytest2024.en-de.src.en")
    assert corpus.segments(document_id=document["id"], side="source").text.tolist() == source
    hyp = corpus.segments(translation_id="tinytest2024.en-de.hyp.literal").text.tolist()
    assert hyp == lines(folder / "system-outputs" / "tinytest2024.en-de.hyp.literal.de")
    links = corpus.alignments(translation_id="tinytest2024.en-de.hyp.literal")
    assert set(links.status) == {"confirmed"} and len(links) == len(source)
    assert all(s == t == [i] for i, (s, t) in enumerate(zip(links.source_idx, links.target_idx)))


def test_a_documents_file_makes_one_document_per_wmt_document_with_its_domain(corpus, wmt_data):
    import_wmt_into(corpus, wmt_data / "docs_wmt")
    documents = corpus.documents().set_index("id")
    assert documents.domain.to_dict() == {"tinydocs2024.en-de.harbour-bridge": "news", "tinydocs2024.en-de.harbour-vote": "politics"}
    assert documents.loc["tinydocs2024.en-de.harbour-vote", "metadata"]["wmt"]["first_line"] == 5
    vote = corpus.segments(translation_id="tinydocs2024.en-de.harbour-vote.ref.B").text.tolist()
    assert vote == lines(wmt_data / "docs_wmt" / "references" / "tinydocs2024.en-de.ref.B.de")[5:]
    assert len(corpus.translations()) == 2 * 5


def test_wmt_xml_keeps_documents_paragraphs_references_and_system_names(corpus, wmt_data, tmp_path):
    packed = tmp_path / "tiny.xml.gz"
    packed.write_bytes(gzip.compress((wmt_data / "tiny.xml").read_bytes()))
    for path in (wmt_data / "tiny.xml", packed):
        fresh = Corpus.init(tmp_path / path.name.replace(".", "-"), actor="tester")
        result = import_wmt_into(fresh, path)
        assert result["notes"] == ["1 test-suite document(s) left out"] and result["lines"] == 6
        documents = fresh.documents().set_index("id")
        assert list(documents.index) == ["tinyxml2024.en-de.harbour-bridge", "tinyxml2024.en-de.harbour-vote", "tinyxml2024.en-de.work-start"]
        assert documents.loc["tinyxml2024.en-de.work-start", "metadata"]["wmt"]["attributes"] == {"origlang": "de", "collection": "general"}
        bridge = fresh.segments(document_id="tinyxml2024.en-de.harbour-bridge", side="source")
        assert bridge.paragraph.tolist() == [0, 0, 1]
        assert documents.loc["tinyxml2024.en-de.harbour-bridge", "source_text"].split("\n\n")[1] == "Residents said the bridge was long overdue."
        systems = fresh.translations(document_id="tinyxml2024.en-de.harbour-vote")
        assert sorted(systems.system) == ["A", "B", "broken", "careful", "literal"]
        # seg ids, not document order, decide which segment a translation is
        assert fresh.segments(translation_id="tinyxml2024.en-de.harbour-vote.hyp.broken").text.tolist() == [
            "Die Abstimmung war 13 zu 21.", "Das Komitee wird"]
        assert fresh.segments(document_id="tinyxml2024.en-de.harbour-vote", side="source").text.iloc[0] == (
            "The vote was 31 to 12 & the R&D budget stays < £2m.")
        assert sorted(fresh.translations(document_id="tinyxml2024.en-de.work-start").system) == ["A", "broken", "careful", "literal"]
        fresh.close()


def test_re_importing_a_set_changes_nothing_and_a_new_system_is_added(corpus, wmt_data, tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(wmt_data / "docs_wmt", folder)
    moved = folder / "system-outputs" / "tinydocs2024.en-de.hyp.broken.de"
    held_back = moved.read_bytes()
    moved.unlink()
    import_wmt_into(corpus, folder)
    before = store_fingerprint(corpus)
    again = import_wmt_into(corpus, folder)
    assert again["created"] == [] and again["already_present"] == 2 and store_fingerprint(corpus) == before
    moved.write_bytes(held_back)
    added = import_wmt_into(corpus, folder)
    assert added["rows"]["translations.insert"] == 2 and "documents.insert" not in added["rows"]
    assert sorted(set(corpus.translations().system)) == ["A", "B", "broken", "careful", "literal"]


def test_other_text_under_a_stored_id_is_refused_naming_file_and_line(corpus, wmt_data, tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(wmt_data / "docs_wmt", folder)
    import_wmt_into(corpus, folder)
    before = store_fingerprint(corpus)
    hyp = folder / "system-outputs" / "tinydocs2024.en-de.hyp.careful.de"
    changed = lines(hyp)
    changed[6] = "Geändert."
    hyp.write_text("\n".join(changed) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"hyp\.careful\.de:7: .*stored with other text") as error:
        import_wmt_into(corpus, folder)
    assert "\n" not in str(error.value)
    assert store_fingerprint(corpus) == before


def write_set(root, source, refs=None, hyps=None, docs=None):
    for folder, name, text in [("sources", "bad.en-de.src.en", source), *[("references", f"bad.en-de.ref.{n}.de", t) for n, t in (refs or {}).items()],
                               *[("system-outputs", f"bad.en-de.hyp.{n}.de", t) for n, t in (hyps or {}).items()],
                               *([("documents", "bad.en-de.docs", docs)] if docs is not None else [])]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(text, encoding="utf-8")
    return root


def invalid_utf8(root):
    (root / "references" / "bad.en-de.ref.A.de").write_bytes(b"x\n\xff\n")
    return root


XML_HEAD = '<dataset id="bad"><doc id="d1" origlang="en"><src lang="en"><p><seg id="1">One.</seg><seg id="2">Two.</seg></p></src>'


@pytest.mark.parametrize("make, message", [
    (lambda root: write_set(root, "a\nb\nc\n", {"A": "x\ny\n"}, {"s": "1\n2\n3\n"}), r"ref\.A\.de:3: has 2 lines but the source"),
    (lambda root: write_set(root, "a\nb\n", {"A": "x\ny\n"}, docs="news\td1\nnews\n"), r"bad\.en-de\.docs:2: expected 2 tab-separated"),
    (lambda root: write_set(root, "a\nb\nc\n", {"A": "x\ny\nz\n"}, docs="d1\nd2\nd1\n"), r"bad\.en-de\.docs:3: document 'd1' appears again"),
    (lambda root: invalid_utf8(write_set(root, "a\nb\n", {"A": "x\ny\n"})), r"ref\.A\.de:2: invalid UTF-8"),
    (lambda root: write_set(root, "a\nb\n"), r"no references/bad\.en-de\.ref\.<NAME>\.de and no system-outputs"),
])
def test_bad_text_layouts_are_one_line_errors_and_write_nothing(corpus, tmp_path, make, message):
    root = make(tmp_path / "set")
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=message) as error:
        import_wmt_into(corpus, root)
    assert "\n" not in str(error.value) and store_fingerprint(corpus) == before


@pytest.mark.parametrize("content, message", [
    (XML_HEAD + "<ref lang='de' translator='A'><p><seg id='1'>Eins.</seg></p></ref></doc></dataset>", r"bad\.xml:1: reference 'A' lacks segment 2"),
    (XML_HEAD + "<hyp lang='de' system='s'><p><seg id='1'>Eins.</seg><seg id='3'>Drei.</seg></p></hyp></doc></dataset>",
     r"bad\.xml:1: system 's' has seg id 3, which the source"),
    (XML_HEAD + "<hyp lang='de' system='s'><p><seg id='1'>Eins.</seg><seg id='2'>Zwei.</p></hyp></doc></dataset>", r"bad\.xml:1: malformed XML: mismatched tag"),
    ('<dataset id="bad">\n<doc id="d1" origlang="en">\n<src lang="en"><p><seg id="1">One.</seg></p></src>\n'
     '<hyp lang="de" system="s"><p><seg id="1">Eins.</seg></p></hyp>\n</doc>\n<doc id="d2" origlang="en">\n'
     '<src lang="en"><p><seg id="1">Two.</seg></p></src>\n</doc></dataset>', r"bad\.xml:6: system 's' has no translation of document 'd2'"),
    ('<!DOCTYPE d [<!ENTITY e "boom">]><dataset id="bad">&e;</dataset>', "refused unsafe XML"),
    ('<dataset id="bad">' + '<doc id="x">' * 100, r"bad\.xml:1: unexpected element <doc> inside <doc>"),
    ('<dataset id="bad"><collection id="c">' + "<collection>" * 50, r"nested deeper than 32 levels|unexpected element"),
    (XML_HEAD.replace('<seg id="2">', '<seg id="two">') + "</doc></dataset>", r"<seg> needs a positive integer id"),
])
def test_bad_wmt_xml_is_a_one_line_error_naming_file_and_line(corpus, tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=message) as error:
        import_wmt_into(corpus, path)
    assert "\n" not in str(error.value) and store_fingerprint(corpus) == before


def test_export_gives_a_text_layout_import_back_byte_for_byte(corpus, wmt_data, test_data, tmp_path):
    import_wmt_into(corpus, wmt_data / "docs_wmt")
    import_wmt_into(corpus, test_data / "bench" / "tiny_wmt")
    out = tmp_path / "out"
    written = export("wmt", corpus, out)
    assert {s["set"] for s in written["sets"]} == {"tinydocs2024.en-de", "tinytest2024.en-de"}
    assert files(out) == {**files(wmt_data / "docs_wmt"), **files(test_data / "bench" / "tiny_wmt")}


def test_export_of_an_xml_import_leaves_out_a_reference_that_misses_a_document(corpus, wmt_data, tmp_path):
    import_wmt_into(corpus, wmt_data / "tiny.xml")
    written = export("wmt", corpus, tmp_path / "out")["sets"][0]
    assert written["left_out"] == {"reference B": "has no translation of document 'tinyxml2024.en-de.work-start'"}
    again = Corpus.init(tmp_path / "again", actor="tester")
    import_wmt_into(again, tmp_path / "out")
    assert again.segments(side="source").text.tolist() == corpus.segments(side="source").sort_values(["document_id", "idx"]).text.tolist()


def test_corpus_bench_equals_bench_of_the_files(corpus, wmt_data):
    import_wmt_into(corpus, wmt_data / "docs_wmt")
    config = BenchConfig(metrics=["bleu", "chrf", "ter"], checks=False, n_bootstrap=0)
    from_corpus = bench_corpus(corpus, config)
    from_files = run_bench(load_wmt_testset(wmt_data / "docs_wmt", "en-de"), config)

    def scores(result):
        return {(row["system"], m): row["scores"][m]["score"] for row in result["systems"] if row["scores"] for m in config.metrics}

    assert scores(from_corpus) == pytest.approx(scores(from_files), abs=1e-9) and len(scores(from_files)) == 3 * 3


def test_a_release_of_an_imported_set_loads_back_with_the_same_rows(corpus, wmt_data):
    from corpus.releases import Releases

    import_wmt_into(corpus, wmt_data / "tiny.xml")
    releases = Releases(corpus)
    releases.create("1.0.0")
    loaded = releases.load("1.0.0")
    segments = corpus.segments()
    assert loaded["segments"].num_rows == len(segments)
    assert sorted(loaded["segments"]["text"]) == sorted(segments.text)
    assert sorted(loaded["translations"]["system"]) == sorted(corpus.translations().system)
    assert sorted(loaded["alignments"]["id"]) == sorted(corpus.alignments().id)
