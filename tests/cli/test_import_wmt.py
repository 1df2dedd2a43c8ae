"""The WMT commands through the CLI: `import wmt`, `annotate import --format scores|appraise`, `human score`,
`export --format wmt`, `import dataset`; their errors are one line and exit 1."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from tests.corpus.helpers import store_fingerprint


def run(corpus_dir, *args):
    return CliRunner().invoke(main, ["--corpus", str(corpus_dir), *args])


@pytest.fixture
def corpus(tmp_path):
    opened = Corpus.init(tmp_path / "corpus", actor="tester")
    yield opened
    opened.close()


def test_import_wmt_then_judgements_then_human_scores(corpus, test_data, tmp_path):
    folder = test_data / "wmt" / "docs_wmt"
    result = run(corpus.path, "import", "wmt", str(folder))
    assert result.exit_code == 0, result.output
    assert "tinydocs2024.en-de: 8 lines in 2 document(s), 2 reference(s), 3 system(s)" in result.output
    result = run(corpus.path, "annotate", "import", "--format", "scores", str(test_data / "wmt" / "esa_scores.tsv"), "--protocol", "esa")
    assert result.exit_code == 0, result.output
    assert "Imported scores: 9 scores, 1 unrated, 5 systems, 0 already present" in result.output
    result = run(corpus.path, "human", "score", "--protocol", "esa", "--by", "system", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["higher_is_better"] and data["signature"].startswith("metric:esa|level:system|segment:mean-of-ratings")
    scores = {row["system"]: row["score"] for row in data["scores"]}
    assert scores == pytest.approx({"A": 100.0, "B": 88.0, "careful": 87.5, "literal": 37.5, "broken": 20.0})
    table = run(corpus.path, "human", "score", "--protocol", "esa", "--by", "document")
    assert table.exit_code == 0 and "tinydocs2024.en-de.harbour-vote" in table.output and "higher is better" in table.output
    out = tmp_path / "out"
    exported = run(corpus.path, "export", str(out), "--format", "wmt")
    assert exported.exit_code == 0, exported.output
    assert (out / "documents" / "tinydocs2024.en-de.docs").read_bytes() == (folder / "documents" / "tinydocs2024.en-de.docs").read_bytes()


def test_appraise_layout_option_and_protocol_checks(corpus, test_data):
    assert run(corpus.path, "import", "wmt", str(test_data / "wmt" / "docs_wmt")).exit_code == 0
    result = run(corpus.path, "annotate", "import", "--format", "appraise", str(test_data / "wmt" / "appraise_wmt.csv"), "--layout", "wmt",
                 "--protocol", "esa", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"]["skipped_quality_control_items"] == 1
    wrong = run(corpus.path, "annotate", "import", "--format", "xliff", "x.xlf", "--protocol", "esa")
    assert wrong.exit_code == 1 and "--protocol applies to --format scores and appraise" in wrong.output


@pytest.mark.parametrize("args, message", [
    (["import", "wmt", "no-such-dir"], "no-such-dir: no such file or directory"),
    (["annotate", "import", "--format", "scores", "{scores}"], "needs --protocol (esa or da)"),
    (["human", "score", "--protocol", "da"], "the corpus holds no da scores"),
    (["import", "dataset", "facebook/flores", "--src-lang", "en", "--tgt-lang", "de"], "is not a local path"),
])
def test_errors_are_one_line_and_exit_1(corpus, test_data, args, message):
    assert run(corpus.path, "import", "wmt", str(test_data / "wmt" / "docs_wmt")).exit_code == 0
    before = store_fingerprint(corpus)
    result = run(corpus.path, *[a.format(scores=test_data / "wmt" / "esa_scores.tsv") for a in args])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert store_fingerprint(corpus) == before


def test_import_dataset_from_the_command_line(corpus, tmp_path):
    import datasets

    path = tmp_path / "ntrex"
    datasets.Dataset.from_dict({"translation": [{"en": "Hello.", "fr": "Bonjour."}, {"en": "Bye.", "fr": "Salut."}]}).save_to_disk(str(path))
    result = run(corpus.path, "import", "dataset", str(path), "--src-lang", "en", "--tgt-lang", "fr", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["created"] == ["ntrex"] and data["rows"]["alignments.insert"] == 2 and data["dataset"]["columns"] == {"translation": "translation"}


def test_every_new_command_has_help_with_an_example():
    for args in (["import", "wmt"], ["import", "dataset"], ["human", "score"]):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
