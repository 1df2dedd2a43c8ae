from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from pipelines.cli import main


def _all_commands(group: click.Group, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):  # the top-level group loads its command modules lazily
        command = group.get_command(context, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _all_commands(main)], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


@pytest.fixture
def corpus_dir(tmp_path, test_data):
    runner = CliRunner()
    directory = str(tmp_path / "c")
    assert runner.invoke(main, ["init", directory]).exit_code == 0
    result = runner.invoke(main, ["--corpus", directory, "import", "jsonl", str(test_data / "corpus" / "small.jsonl")])
    assert result.exit_code == 0, result.output
    return directory


def test_stats_json(corpus_dir):
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "stats", "--json"])
    data = json.loads(result.output)
    assert {k: data[k] for k in ("documents", "translations", "segments", "annotations")} == {"documents": 2, "translations": 3, "segments": data["segments"], "annotations": 3}
    assert data["segments"] > 6


def test_corpus_from_environment_variable(corpus_dir, monkeypatch):
    result = CliRunner().invoke(main, ["ls", "--json"], env={"CALQUE_CORPUS": corpus_dir})
    assert [d["id"] for d in json.loads(result.output)] == ["bridge", "seedlike"]


def test_show_marks_annotated_spans_side_by_side(corpus_dir):
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "show", "bridge", "--width", "120"])
    assert result.exit_code == 0, result.output
    assert "⟦Es trifft sich⟧" in result.output and "⟦mayor⟧" in result.output
    assert " │ " in result.output
    assert "[Minor] Fluency/Grammar: “Es trifft sich”" in result.output


def test_show_target_only_document(corpus_dir):
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "show", "seedlike"])
    assert "source unavailable" in result.output and "⟦Wachhund⟧" in result.output


def test_show_json_and_unknown_document(corpus_dir):
    data = json.loads(CliRunner().invoke(main, ["--corpus", corpus_dir, "show", "bridge", "--json"]).output)
    human = next(t for t in data["translations"] if t["translation"]["id"] == "bridge.de.human")
    assert human["aligned"] and human["rows"][0]["status"] == "confirmed"
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "show", "nope"])
    assert result.exit_code == 1 and result.output.strip() == "Error: no document with id 'nope'"


def test_log_shows_who_changed_what(corpus_dir):
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "log", "--json", "--entity", "annotations"], env={"CALQUE_USER": "x"})
    entries = json.loads(result.output)
    assert len(entries) == 3 and {e["action"] for e in entries} == {"insert"}
    assert all(e["after"]["annotator"] == "tester" for e in entries)
    table = CliRunner().invoke(main, ["--corpus", corpus_dir, "log", "--entity", "annotations"]).output.splitlines()[2:]
    first = entries[0]["after"]
    assert len(table) == 3 and all("insert" in line and "new: text: " in line for line in table)
    assert any(f"text: {first['text']!r}, category: {first['category']!r}" in line for line in table)


def test_export_jsonl_and_tsv(corpus_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["--corpus", corpus_dir, "export", str(tmp_path / "out.jsonl"), "--json"])
    assert json.loads(result.output)["records"] == 2 + 3 + 1 + 1 + 1
    result = runner.invoke(main, ["--corpus", corpus_dir, "export", str(tmp_path / "tables"), "--format", "tsv"])
    assert result.exit_code == 0 and (tmp_path / "tables" / "annotations.tsv").exists()


def test_commands_refuse_a_directory_that_is_not_a_corpus(tmp_path):
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path), "stats"])
    assert result.exit_code == 1 and "not a Calque corpus" in result.output


def test_resegment_command_reports_reanchored_annotations(corpus_dir):
    result = CliRunner().invoke(main, ["--corpus", corpus_dir, "resegment", "seedlike.de.mt", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["annotations_reanchored"] == 1 and data["annotations_stale"] == 0
    bad = CliRunner().invoke(main, ["--corpus", corpus_dir, "resegment", "seedlike.de.mt", "--abbreviation", "Corp."])
    assert bad.exit_code == 2 and "LANG:ABBR" in bad.output


def test_import_text_license_reaches_the_dataset_card_and_no_local_path_is_released(tmp_path):
    import pyarrow.parquet as pq

    runner = CliRunner()
    corpus_dir = str(tmp_path / "c")
    source, target = tmp_path / "article.en.txt", tmp_path / "article.de.txt"
    source.write_text("The council met. It voted.\n", "utf-8")
    target.write_text("Der Rat tagte. Er stimmte ab.\n", "utf-8")
    assert runner.invoke(main, ["init", corpus_dir]).exit_code == 0
    for args in (["import", "text", str(source), "--lang", "en", "--id", "article", "--license", "CC-BY-4.0"],
                 ["import", "text", str(target), "--lang", "de", "--translation-of", "article", "--producer", "human",
                  "--license", "CC-BY-SA-4.0"]):
        result = runner.invoke(main, ["--corpus", corpus_dir, *args])
        assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["--corpus", corpus_dir, "release", "create", "1.0.0", "--exports", ""]).exit_code == 0
    release = tmp_path / "c" / "releases" / "1.0.0"
    card = (release / "README.md").read_text("utf-8")
    assert "license:\n- cc-by-4.0\n- cc-by-sa-4.0" in card or ("cc-by-4.0" in card and "cc-by-sa-4.0" in card)
    assert "unknown" not in card.split("---")[1]
    rows = pq.read_table(release / "data" / "translations.parquet").to_pylist()
    assert rows[0]["license"] == "CC-BY-SA-4.0" and rows[0]["provenance"] == "imported from article.de.txt"
    released = b"".join(p.read_bytes() for p in release.rglob("*") if p.is_file())
    assert str(tmp_path).encode() not in released
