"""`calque terms eval` output and its one-line errors."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_terms_eval_json(test_data):
    folder = test_data / "terminology"
    result = run("terms", "eval", "-s", folder / "src.en", "-t", folder / "hyp.de", "--terms", folder / "terms.jsonl",
                 "--langs", "en-de", "--json", "--failures")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["success_rate"] == pytest.approx(4 / 6)
    assert data["consistency"]["first"]["micro"] == pytest.approx(2 / 6)
    assert [f["segment"] for f in data["failures"]] == [1, 3]
    assert data["data_hash"].startswith("sha256:")


def test_wmt21_sgm_files(test_data):
    folder = test_data / "terminology"
    result = run("terms", "eval", "-s", folder / "inline.en.sgm", "-t", folder / "inline.fr.sgm",
                 "--terms", folder / "inline.en.sgm", "--langs", "en-fr", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matched"] == 2  # "SYMPTOMES" matches accent- and case-insensitively
    strict = run("terms", "eval", "-t", folder / "inline.fr.sgm", "--terms", folder / "inline.en.sgm", "--keep-accents", "--json")
    assert json.loads(strict.stdout)["matched"] == 1


@pytest.mark.parametrize("args,message", [
    (["--terms", "malformed.jsonl"], "malformed.jsonl:3: malformed JSON"),
    (["--terms", "terms.jsonl", "-s", "../fidelity/short.de"], "has 2 lines but"),
    (["--terms", "missing.jsonl"], "missing.jsonl: no such file"),
    (["--terms", "terms.jsonl", "--langs", "ende"], "--langs must look like SRC-TGT"),
])
def test_terms_eval_errors(test_data, args, message):
    folder = test_data / "terminology"
    args = [str(folder / a) if a.endswith((".jsonl", ".de")) else a for a in args]
    result = run("terms", "eval", "-t", folder / "hyp.de", *args)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_terms_drift_without_a_glossary_says_so(tmp_path, test_data):
    from corpus import Corpus

    corpus = Corpus.init(tmp_path / "c")
    corpus.import_jsonl(str(test_data / "releases" / "small.jsonl"), progress=False)
    with corpus.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM glossary")
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "terms", "drift"])
    assert result.exit_code == 1 and "0 concept(s)" not in result.output
    assert result.output.startswith("Error: the corpus has no glossary") and "calque import jsonl" in result.output
