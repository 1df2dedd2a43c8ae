"""Calque's own exports of the demo corpus (hand annotations with comments, documents not from Google
MQM data) re-import into a fresh corpus and into the same corpus without duplicating anything."""
from __future__ import annotations

import json

import pytest

from corpus import Corpus, InputError
from corpus.formats.annotations import export_annotations, import_annotations
from tests.annotations.conftest import annotation_facts, bare_copy

SUFFIX = {"appraise": "csv", "label-studio": "json", "xliff": "xlf", "google-mqm": "tsv"}
OPTIONS = {"google-mqm": {"src_lang": "en", "tgt_lang": "de"}}


def errors_per_translation(corpus: Corpus) -> dict:
    frame = corpus.annotations()
    return frame.groupby("translation_id").size().to_dict()


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_re_importing_the_demo_export_into_the_same_corpus_adds_nothing(demo, tmp_path, fmt):
    path = tmp_path / f"demo.{SUFFIX[fmt]}"
    summary = export_annotations(demo, fmt, path)
    assert summary["rows"] > 0
    before = annotation_facts(demo)
    import_annotations(demo, fmt, path, **OPTIONS.get(fmt, {}))
    assert annotation_facts(demo) == before


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_the_demo_export_imports_into_a_fresh_corpus_and_again_without_doubling(demo, tmp_path, fmt):
    path = tmp_path / f"demo.{SUFFIX[fmt]}"
    export_annotations(demo, fmt, path)
    fresh = bare_copy(demo, tmp_path / "fresh")
    import_annotations(fresh, fmt, path, **OPTIONS.get(fmt, {}))
    once = annotation_facts(fresh)
    assert once and errors_per_translation(fresh)
    import_annotations(fresh, fmt, path, **OPTIONS.get(fmt, {}))
    assert annotation_facts(fresh) == once
    again = tmp_path / f"again.{SUFFIX[fmt]}"
    export_annotations(fresh, fmt, again)
    assert again.read_text("utf-8") == path.read_text("utf-8")


def test_google_mqm_export_imports_into_an_empty_corpus(tmp_path):
    """The TSV carries the texts of aligned translations, so it needs no corpus to land in."""
    from tests.annotations.conftest import GOOGLE_SAMPLE

    source = Corpus.init(tmp_path / "source", actor="tester")
    import_annotations(source, "google-mqm", GOOGLE_SAMPLE)
    path = tmp_path / "out.tsv"
    summary = export_annotations(source, "google-mqm", path)
    empty = Corpus.init(tmp_path / "empty", actor="tester")
    import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    assert len(empty.annotations()) == len(source.annotations()) == summary["rows"]


def test_google_mqm_export_of_unaligned_translations_is_refused_by_an_empty_corpus_in_one_line(demo, tmp_path):
    path = tmp_path / "demo.tsv"
    export_annotations(demo, "google-mqm", path)
    empty = Corpus.init(tmp_path / "empty", actor="tester")
    with pytest.raises(InputError, match="has no source text"):
        import_annotations(empty, "google-mqm", path, src_lang="en", tgt_lang="de")
    assert empty.stats()["documents"] == 0


def test_jsonl_export_round_trips_into_a_fresh_corpus(demo, tmp_path):
    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    fresh = Corpus.init(tmp_path / "fresh", actor="tester")
    fresh.import_jsonl(str(path), progress=False)
    assert annotation_facts(fresh) == annotation_facts(demo)
    assert fresh.stats() == demo.stats()


def test_jsonl_export_re_imports_into_the_same_corpus_as_a_no_op(demo, tmp_path):
    from tests.corpus.helpers import store_fingerprint

    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    before = store_fingerprint(demo)
    result = demo.import_jsonl(str(path), progress=False)
    assert result["created"]["already_present"] == sum(result["created"][k] for k in ("document", "annotation", "concept", "artifact"))
    assert result["rows"] == {}
    assert store_fingerprint(demo) == before


def test_jsonl_record_with_a_stored_id_but_other_content_is_still_a_duplicate(demo, tmp_path):
    path = tmp_path / "demo.jsonl"
    demo.export_jsonl(path)
    lines = path.read_text("utf-8").splitlines()
    changed = [line.replace('"severity": "Minor"', '"severity": "Major"', 1) if '"type": "annotation"' in line else line for line in lines]
    assert changed != lines
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate"):
        demo.import_jsonl(str(path), progress=False)


# -- whole-corpus exports (`calque export --format NAME`) ------------------------------------------------------
from click.testing import CliRunner  # noqa: E402

from corpus.formats.exporters import EXPORTERS  # noqa: E402
from pipelines.cli import main  # noqa: E402
from tests.corpus.helpers import store_fingerprint  # noqa: E402
from tests.releases.test_exports import LINKS, TRICKY  # noqa: E402

MOSES = "corpus.en-de"
# How each re-importable export comes back, as its `reimport` entry in corpus.formats.exporters says.
REIMPORT = {
    "jsonl": lambda out: ["import", "jsonl", str(out)],
    "tmx": lambda out: ["import", "tmx", str(out)],
    "moses": lambda out: ["import", "parallel", str(out / f"{MOSES}.en"), str(out / f"{MOSES}.de"), "--src-lang", "en",
                          "--tgt-lang", "de", "--doc-ids", str(out / f"{MOSES}.docids")],
    "wmt": lambda out: ["import", "wmt", str(out)],
}
OUTPUT = {"jsonl": "corpus.jsonl", "tmx": "memory.tmx", "moses": "moses", "tsv": "tables", "wmt": "wmt"}


def calque(corpus: Corpus, *args):
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def aligned(demo, tmp_path, test_data) -> Corpus:
    """The demo corpus plus confirmed 1-1 links: a plain parallel file, a text with a form feed and tabs, and a WMT test set."""
    from corpus.formats.wmt import import_wmt_into

    demo.import_parallel(str(test_data / "corpus" / "news.en"), str(test_data / "corpus" / "news.de"), "en", "de", progress=False)
    demo.import_records([TRICKY, *LINKS], label="tricky")
    import_wmt_into(demo, test_data / "bench" / "tiny_wmt")
    return demo


def test_every_export_format_is_either_re_importable_and_round_tripped_here_or_stated_lossy():
    assert set(REIMPORT) == {e.name for e in EXPORTERS.values() if e.reimport}
    lossy = {e.name for e in EXPORTERS.values() if not e.reimport}
    assert lossy == {"tsv"}
    help_text = " ".join(CliRunner().invoke(main, ["export", "--help"]).output.split())
    assert "not re-importable" in help_text and "TSV is a lossy table for people and has no importer" in help_text


@pytest.mark.parametrize("fmt", sorted(REIMPORT))
def test_an_export_re_imported_into_the_same_corpus_changes_nothing(aligned, tmp_path, fmt):
    out = tmp_path / OUTPUT[fmt]
    calque(aligned, "export", str(out), "--format", fmt)
    before = store_fingerprint(aligned)
    calque(aligned, *REIMPORT[fmt](out))
    assert store_fingerprint(aligned) == before


@pytest.mark.parametrize("fmt", sorted(REIMPORT))
def test_an_export_imports_into_a_fresh_corpus_once_and_exports_the_same_again(aligned, tmp_path, fmt):
    out = tmp_path / OUTPUT[fmt]
    calque(aligned, "export", str(out), "--format", fmt)
    fresh = Corpus.init(tmp_path / "fresh", actor="tester")
    calque(fresh, *REIMPORT[fmt](out))
    once = store_fingerprint(fresh)
    assert fresh.stats()["alignments"] > 0
    calque(fresh, *REIMPORT[fmt](out))
    assert store_fingerprint(fresh) == once
    again = tmp_path / f"again-{OUTPUT[fmt]}"
    calque(fresh, "export", str(again), "--format", fmt)
    if fmt == "moses":  # the .docids name the fresh corpus's own translations (one document per exported translation)
        for lang in ("en", "de"):
            assert (again / f"{MOSES}.{lang}").read_text("utf-8") == (out / f"{MOSES}.{lang}").read_text("utf-8")
    elif fmt == "tmx":
        from corpus.formats.tmx import read_tmx

        pairs = lambda path: sorted((u["src_lang"], u["tgt_lang"], u["source"], u["target"]) for u in read_tmx(str(path)))  # noqa: E731
        assert pairs(again) == pairs(out)
    elif fmt == "wmt":  # the test sets alone, file for file
        files = lambda root: {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}  # noqa: E731
        assert files(again) == files(out) and len(files(out)) == 5
    else:
        assert again.read_text("utf-8") == out.read_text("utf-8")
        assert annotation_facts(fresh) == annotation_facts(aligned)


def test_moses_export_re_imported_without_its_document_ids_is_still_recognised(aligned, tmp_path):
    out = tmp_path / "moses"
    calque(aligned, "export", str(out), "--format", "moses")
    before = store_fingerprint(aligned)
    result = calque(aligned, "import", "parallel", str(out / f"{MOSES}.en"), str(out / f"{MOSES}.de"), "--src-lang", "en",
                    "--tgt-lang", "de", "--json")
    assert json.loads(result.output)["already_present"] == 1 and json.loads(result.output)["created"] == []
    assert store_fingerprint(aligned) == before


def test_moses_line_with_other_text_under_a_stored_id_is_refused_in_one_line(aligned, tmp_path):
    out = tmp_path / "moses"
    calque(aligned, "export", str(out), "--format", "moses")
    target = out / f"{MOSES}.de"
    lines = target.read_text("utf-8").split("\n")
    lines[1] = "Geändert: " + lines[1]
    target.write_text("\n".join(lines), encoding="utf-8")
    before = store_fingerprint(aligned)
    result = CliRunner().invoke(main, ["--corpus", str(aligned.path), *REIMPORT["moses"](out)])
    assert result.exit_code == 1
    assert f"{MOSES}.de:2:" in result.output and "with other text" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert store_fingerprint(aligned) == before


def test_a_new_moses_document_among_stored_ones_is_the_only_thing_added(aligned, tmp_path):
    out = tmp_path / "moses"
    calque(aligned, "export", str(out), "--format", "moses")
    for role, line in (("en", "A new line."), ("de", "Eine neue Zeile."), ("docids", "brand-new")):
        path = out / f"{MOSES}.{role}"
        path.write_text(path.read_text("utf-8") + line + "\n", encoding="utf-8")
    stats = aligned.stats()
    result = calque(aligned, *REIMPORT["moses"](out), "--json")
    assert json.loads(result.output)["created"] == ["brand-new"]
    after = aligned.stats()
    assert (after["documents"], after["alignments"]) == (stats["documents"] + 1, stats["alignments"] + 1)
