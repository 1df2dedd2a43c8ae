"""`calque eval` on plain files: JSON output, paired tests, and one-line errors for bad input."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_lists_every_system_and_metric(test_data):
    folder = test_data / "fidelity"
    result = run("eval", "-r", folder / "ref.de", "-t", folder / "good.de", folder / "poor.de",
                 "--metrics", "bleu,chrf,ter", "--ci", "100", "--segments", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["system"], r["metric"]) for r in data["results"]] == [
        (s, m) for s in ("good", "poor") for m in ("bleu", "chrf", "ter")
    ]
    good_bleu, poor_bleu = data["results"][0], data["results"][3]
    assert good_bleu["score"] > poor_bleu["score"]
    assert good_bleu["signature"].startswith("nrefs:1|bs:100|seed:12345|")
    assert len(good_bleu["segments"]) == 5 and good_bleu["ci"]["halfwidth"] >= 0


def test_paired_bootstrap_against_baseline(test_data):
    folder = test_data / "fidelity"
    result = run("eval", "-r", folder / "ref.de", "-t", folder / "poor.de", folder / "good.de",
                 "--metrics", "chrf", "--paired-bs", "--n-samples", "100", "--correction", "bh", "--json")
    assert result.exit_code == 0, result.output
    (test,) = json.loads(result.stdout)["paired_tests"]
    assert test["system"] == "good" and test["metric"] == "chrf" and 0 < test["p_value"] <= 1
    assert test["signature"].endswith("|test:bs|correction:bh")


@pytest.mark.parametrize("name,args,message", [
    ("line counts", ["-r", "ref.de", "-t", "short.de"], "short.de: has 2 lines but"),
    ("empty file", ["-r", "ref.de", "-t", "empty.de"], "empty.de: file is empty"),
    ("missing file", ["-r", "ref.de", "-t", "missing.de"], "missing.de: text file not found"),
    ("unknown metric", ["-r", "ref.de", "-t", "good.de", "--metrics", "bleu,meteor"], "unknown metric 'meteor'"),
    ("no reference", ["-t", "good.de"], "metric bleu needs a reference: give it with -r REF"),
])
def test_bad_input_is_one_line_error(test_data, name, args, message):
    folder = test_data / "fidelity"
    args = [str(folder / a) if a.endswith(".de") else a for a in args]
    result = run("eval", *args)
    assert result.exit_code == 1, name
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr


def test_help_has_an_example():
    result = run("eval", "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "calque eval -s" in result.output


def test_sharded_bootstrap_gives_the_same_scores_and_says_how_it_drew(test_data):
    folder = test_data / "fidelity"
    arguments = ["eval", "-r", folder / "ref.de", "-t", folder / "poor.de", folder / "good.de", "--metrics", "bleu,chrf",
                 "--ci", "100", "--paired-bs", "--n-samples", "100", "--json"]
    exact, sharded = run(*arguments), run(*arguments, "--bootstrap", "sharded")
    assert exact.exit_code == 0 and sharded.exit_code == 0, sharded.output
    exact, sharded = json.loads(exact.stdout), json.loads(sharded.stdout)
    for here, there in zip(exact["results"], sharded["results"]):
        assert there["score"] == here["score"] and there["ci"]["halfwidth"] >= 0
        assert there["signature"] == here["signature"].replace("|version:", "|draws:sharded|version:")
    (test, _) = sharded["paired_tests"]
    assert test["system"] == "good" and 0 < test["p_value"] <= 1 and "|draws:sharded|" in test["signature"]
    for extra, message in ((["--paired-ar"], "--paired-ar needs every segment's statistics"),
                           (["--n-samples", "50"], "share their resamples"),
                           (["--segments"], "give --shards DIR")):
        result = run(*arguments, "--bootstrap", "sharded", *extra)
        assert result.exit_code == 1 and message in result.stderr and result.stderr.count("\n") == 1
