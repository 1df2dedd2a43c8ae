from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main


@pytest.fixture
def corpus_dir(small_corpus):
    return str(small_corpus.path)


def calque(corpus_dir, *args):
    return CliRunner().invoke(main, ["--corpus", corpus_dir, *args])


def test_create_list_verify_load_as_json(corpus_dir):
    created = calque(corpus_dir, "release", "create", "1.0.0", "--notes", "first", "--json")
    assert created.exit_code == 0, created.output
    data = json.loads(created.output)
    assert data["version"] == "1.0.0" and data["rows"]["annotations"] == 3 and data["content_hash"].startswith("sha256:")
    listed = json.loads(calque(corpus_dir, "release", "list", "--verify", "--json").output)
    assert [(r["version"], r["ok"], r["notes"]) for r in listed] == [("1.0.0", True, "first")]
    verified = calque(corpus_dir, "release", "verify", "1.0.0", "--content", "--json")
    assert verified.exit_code == 0 and json.loads(verified.output)["content_checked"] is True
    loaded = calque(corpus_dir, "release", "load", "1.0.0", "--table", "glossary", "--json")
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["tables"]["glossary"]["rows"] == 1
    human = calque(corpus_dir, "release", "list")
    assert "1.0.0" in human.output and "sha256:" in human.output


def test_diff_against_working_by_flag_or_keyword(corpus_dir, small_corpus):
    assert calque(corpus_dir, "release", "create", "1.0.0").exit_code == 0
    small_corpus.delete_annotation(small_corpus.annotations().id.iloc[0])
    for args in (["--working"], ["WORKING"]):
        result = calque(corpus_dir, "release", "diff", "1.0.0", *args, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["tables"]["annotations"]["counts"]["removed"] == 1
    text = calque(corpus_dir, "release", "diff", "1.0.0", "--working")
    assert "annotations: +0 -1 ~0" in text.output and "  - ann-" in text.output


def test_checkout_command_restores_a_corpus(corpus_dir, tmp_path):
    assert calque(corpus_dir, "release", "create", "1.0.0").exit_code == 0
    result = calque(corpus_dir, "release", "checkout", "1.0.0", str(tmp_path / "restored"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stats"]["annotations"] == 3
    stats = json.loads(CliRunner().invoke(main, ["--corpus", str(tmp_path / "restored"), "stats", "--json"]).output)
    assert stats["segments"] == 11


def test_tampered_release_fails_verify_with_exit_1_naming_the_file(corpus_dir, small_corpus):
    assert calque(corpus_dir, "release", "create", "1.0.0").exit_code == 0
    path = small_corpus.path / "releases" / "1.0.0" / "data" / "documents.parquet"
    data = bytearray(path.read_bytes())
    data[100] ^= 0x10
    path.write_bytes(bytes(data))
    result = calque(corpus_dir, "release", "verify", "1.0.0")
    assert result.exit_code == 1
    assert "data/documents.parquet: changed" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: release 1.0.0 failed verification")
    as_json = calque(corpus_dir, "release", "verify", "1.0.0", "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.output)["problems"] == ["data/documents.parquet: changed (sha256 differs)"]


@pytest.mark.parametrize("args, message", [
    (["release", "create", "1.0"], "Error: '1.0' is not a semantic version"),
    (["release", "create", "0.1.0"], "Error: version 0.1.0 is not greater than the last release 1.0.0"),
    (["release", "create", "1.0.0"], "Error: release 1.0.0 already exists"),
    (["release", "create", "2.0.0", "--exports", "pdf"], "unknown export(s) pdf"),
    (["release", "verify", "9.9.9"], "Error: no release 9.9.9"),
    (["release", "diff", "1.0.0"], "give the release to compare with, or --working"),
    (["release", "diff", "1.0.0", "1.0.0", "--working"], "give either RIGHT or --working"),
    (["release", "diff", "1.0.0", "--working", "--table", "nope"], "unknown table(s) nope"),
    (["release", "checkout", "9.9.9", "x"], "Error: no release 9.9.9"),
])
def test_error_paths_are_one_line_with_a_non_zero_exit(corpus_dir, args, message):
    assert calque(corpus_dir, "release", "create", "1.0.0").exit_code == 0
    result = calque(corpus_dir, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_create_without_exports(corpus_dir, small_corpus):
    result = calque(corpus_dir, "release", "create", "1.0.0", "--exports", "", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["exports"] == []
    assert not (small_corpus.path / "releases" / "1.0.0" / "exports").exists()


@pytest.mark.parametrize("fmt, target, produced", [("tmx", "memory.tmx", ["memory.tmx"]),
                                                   ("moses", "moses", ["moses/corpus.en-de.en", "moses/corpus.en-de.de", "moses/corpus.en-de.docids"])])
def test_export_command_formats(corpus_dir, tmp_path, fmt, target, produced):
    result = calque(corpus_dir, "export", str(tmp_path / target), "--format", fmt, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"] == [str(tmp_path / p) for p in produced]
    assert all((tmp_path / p).stat().st_size > 0 for p in produced)


def test_verify_and_load_a_release_folder_copied_away_from_its_corpus(corpus_dir, small_corpus, tmp_path):
    import shutil

    assert calque(corpus_dir, "release", "create", "1.0.0").exit_code == 0
    copy = tmp_path / "download" / "corpus-1.0.0"
    shutil.copytree(small_corpus.path / "releases" / "1.0.0", copy)
    elsewhere = str(tmp_path / "no-corpus-here")
    result = calque(elsewhere, "release", "verify", str(copy), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"]
    loaded = calque(elsewhere, "release", "load", str(copy), "--table", "annotations", "--json")
    assert loaded.exit_code == 0, loaded.output
    (copy / "README.md").write_text("edited")
    failed = calque(elsewhere, "release", "verify", str(copy))
    assert failed.exit_code == 1 and "README.md: changed" in failed.output


def _units(path) -> int:
    return path.read_text("utf-8").count("<tu ")


def test_empty_link_exports_say_why_and_bulk_confirm_fills_them(tmp_path, test_data):
    from corpus import Corpus

    lines = [line for line in (test_data / "releases" / "small.jsonl").read_text("utf-8").splitlines()]
    auto_only = tmp_path / "auto.jsonl"
    auto_only.write_text("\n".join(line.replace('"status": "confirmed"', '"status": "auto", "score": 0.4') for line in lines) + "\n", "utf-8")
    corpus = Corpus.init(tmp_path / "auto", actor="alice")
    corpus.import_jsonl(str(auto_only), progress=False)
    corpus_dir = str(corpus.path)

    tmx = calque(corpus_dir, "export", str(tmp_path / "memory.tmx"), "--format", "tmx")
    assert tmx.exit_code == 0 and "Wrote" not in tmx.output and not (tmp_path / "memory.tmx").exists()
    assert "Warning: nothing written to" in tmx.stderr and "align confirm --all" in tmx.stderr and "--include-auto" in tmx.stderr
    moses = calque(corpus_dir, "export", str(tmp_path / "moses"), "--format", "moses")
    assert "Wrote" not in moses.output and "nothing written" in moses.stderr and not (tmp_path / "moses").exists()

    # automatic links on request, filtered by score (the 0.8 link only)
    high = calque(corpus_dir, "export", str(tmp_path / "auto.tmx"), "--format", "tmx", "--include-auto", "--min-score", "0.5")
    assert high.exit_code == 0 and _units(tmp_path / "auto.tmx") == 1
    every = calque(corpus_dir, "export", str(tmp_path / "all.tmx"), "--format", "tmx", "--include-auto")
    assert every.exit_code == 0 and _units(tmp_path / "all.tmx") == 4  # the 2-1 link is not 1-1
    assert calque(corpus_dir, "export", str(tmp_path / "x.tmx"), "--format", "tmx", "--min-score", "0.5").exit_code == 2

    empty_release = json.loads(calque(corpus_dir, "release", "create", "1.0.0", "--json").output)
    assert set(empty_release["exports_skipped"]) >= {"tmx", "moses"}
    assert empty_release["exports_skipped"]["tmx"].startswith("empty: none of the 5 alignment links is a confirmed 1-1 link")
    manifest = json.loads((corpus.path / "releases" / "1.0.0" / "manifest.json").read_text("utf-8"))
    assert manifest["exports_skipped"]["moses"].startswith("empty:")

    some = json.loads(calque(corpus_dir, "align", "confirm", "--all", "--min-score", "0.5", "--json").output)
    assert (some["confirmed"], some["left_auto"]) == (1, 4)
    rest = calque(corpus_dir, "align", "confirm", "news-1")
    assert rest.exit_code == 0 and "confirmed 4 automatic link(s)" in rest.output
    assert set(corpus.alignments().status) == {"confirmed"}
    assert calque(corpus_dir, "export", str(tmp_path / "memory.tmx"), "--format", "tmx").exit_code == 0
    assert _units(tmp_path / "memory.tmx") == 4
    released = json.loads(calque(corpus_dir, "release", "create", "1.1.0", "--json").output)
    assert "exports/corpus.tmx.gz" in released["exports"] and "tmx" not in released["exports_skipped"]
    assert calque(corpus_dir, "align", "confirm", "--all", "news-1").exit_code == 2
