"""Suite files (TOML, YAML) and the `calque bench` command."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from corpus.errors import InputError
from pipelines.bench import load_suite, run_suite
from pipelines.cli import main

SUITE = """
name = "Tiny suite"
metrics = ["chrf", "bleu"]
checks = ["repetition", "markup"]
report = "out/tiny.html"
[testset]
path = "{path}"
langs = "en-de"
systems = ["literal", "broken"]
[significance]
n_samples = 200
correction = "bh"
"""


@pytest.fixture
def tiny(test_data):
    return test_data / "bench" / "tiny_wmt"


def test_toml_suite(tmp_path, tiny):
    suite_path = tmp_path / "suite.toml"
    suite_path.write_text(SUITE.format(path=tiny), encoding="utf-8")
    suite = load_suite(suite_path)
    assert suite.name == "Tiny suite"
    assert suite.config.metrics == ["chrf", "bleu"]
    assert suite.report == (tmp_path / "out" / "tiny.html").resolve()
    result = run_suite(suite)
    assert result["title"] == "Tiny suite"
    assert [row["system"] for row in result["systems"]] == ["literal", "broken"]
    assert result["significance"]["chrf"]["n_samples"] == 200 and result["significance"]["chrf"]["correction"] == "bh"
    assert result["checks"]["checks"] == ["markup", "repetition"]
    assert set(result["checks"]["counts"]["broken"]) == {"markup", "repetition"}


def test_yaml_suite_with_a_relative_path(tmp_path, tiny):
    pytest.importorskip("yaml")
    (tmp_path / "data").symlink_to(tiny, target_is_directory=True)
    suite_path = tmp_path / "suite.yaml"
    suite_path.write_text("name: y\nmetrics: [ter]\nchecks: false\ntestset:\n  path: data\n  langs: en-de\n", encoding="utf-8")
    suite = load_suite(suite_path)
    assert suite.config.checks is False
    assert run_suite(suite)["systems"][0]["system"] == "careful"


@pytest.mark.parametrize("text, problem", [
    ("metrics = ['bleu']\n", r"suite.toml: \[testset\] needs path"),
    ("colour = 'red'\n[testset]\npath='x'\nlangs='en-de'\n", "unknown setting.*colour"),
    ("[testset]\npath='x'\nlangs='en-de'\nsize=3\n", r"unknown setting\(s\) size in \[testset\]"),
    ("metrics = ['bleurt']\n[testset]\npath='x'\nlangs='en-de'\n", "suite.toml: unknown metric 'bleurt'"),
    ("[testset\n", "suite.toml: not valid TOML"),
    ("[testset]\npath='x'\nlangs='en-de'\n[significance]\nalpha=2\n", "alpha"),
])
def test_bad_suites(tmp_path, text, problem):
    path = tmp_path / "suite.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_suite(path)


def test_bench_command_json_report_and_store(tmp_path, tiny):
    runner = CliRunner()
    corpus_dir = tmp_path / "c"
    Corpus.init(corpus_dir).close()
    report = tmp_path / "r.html"
    result = runner.invoke(main, ["--corpus", str(corpus_dir), "bench", "--testset", str(tiny), "--langs", "en-de",
                                  "--metrics", "bleu,chrf", "--n-samples", "100", "--report", str(report), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["system"] for row in data["systems"]] == ["careful", "literal", "broken"]
    assert data["report"] == str(report.resolve()) and report.is_file()
    assert len(data["result_ids"]) == 3
    with Corpus.open(corpus_dir) as corpus:
        assert len(corpus.results("bench")) == 2


def test_bench_command_formats_and_errors(tmp_path, tiny, monkeypatch):
    monkeypatch.chdir(tmp_path)  # '.' is no corpus: results are printed, not stored
    runner = CliRunner()
    latex = runner.invoke(main, ["bench", "--testset", str(tiny), "--langs", "en-de", "-m", "chrf", "--no-checks",
                                 "--n-samples", "0", "--format", "latex"])
    assert latex.exit_code == 0, latex.output
    assert latex.output.startswith(r"\begin{table}")
    missing = runner.invoke(main, ["bench", "--testset", str(tiny)])
    assert missing.exit_code == 1 and "Error: --testset needs --langs" in missing.output
    wrong = runner.invoke(main, ["bench", "--testset", str(tiny), "--langs", "en-de", "--systems", "nobody"])
    assert wrong.exit_code == 1 and "unknown system(s) nobody" in wrong.output
    no_corpus = runner.invoke(main, ["bench"])
    assert no_corpus.exit_code == 1 and "not a Calque corpus" in no_corpus.output


def test_bench_command_with_a_suite(tmp_path, tiny):
    suite_path = tmp_path / "suite.toml"
    suite_path.write_text(SUITE.format(path=tiny), encoding="utf-8")
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "nope"), "bench", str(suite_path), "--no-store",
                                       "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| literal" in result.output
    assert (tmp_path / "out" / "tiny.html").is_file()


def test_the_shipped_wmt22_suite_parses():
    from tests.conftest import REPO, SHARED_DATA

    suite = load_suite(REPO / "benchmarks" / "suites" / "wmt22_ende.toml")
    assert suite.testset_path == (SHARED_DATA / "wmt22_ende").resolve()
    assert suite.config.references == ["A"] and suite.config.metrics == ["bleu", "chrf", "ter"]
    assert suite.report == (REPO / "benchmarks" / "out" / "wmt22_ende.html").resolve()
