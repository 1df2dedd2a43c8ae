"""The real WMT data in ../shared/data: WMT22 en-de and WMT24 en-zh (with its documents file) become corpora whose
`calque bench` equals `calque bench --testset` on the same files and whose export gives the files back; on en-zh the
ESA score file and WMT's raw Appraise export (BAD and #incomplete rows included) give the score file's system means."""
from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from statistics import mean

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main

pytestmark = [pytest.mark.shared, pytest.mark.slow]
# folder, language pair, set, documents, metrics (TER on the 12,222 segment pairs of WMT22 costs minutes: en-zh and the fixtures check it)
SETS = {"wmt22_ende": ("wmt22_ende", "en-de", "generaltest2022.en-de", 1, "bleu,chrf"),
        "wmt24_enzh": ("esa/wmt24_enzh", "en-zh", "wmt24esa.en-zh", 170, "bleu,chrf,ter")}


def calque(*args) -> str:
    result = CliRunner().invoke(main, list(map(str, args)))
    assert result.exit_code == 0, result.output
    return result.output


def bench_scores(output: str) -> dict:
    return {(row["system"], metric): value["score"] for row in json.loads(output)["systems"] for metric, value in row["scores"].items()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from tests.conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    root = tmp_path_factory.mktemp("wmt")
    corpora = {}
    for name, (folder, *_) in SETS.items():
        Corpus.init(root / name, actor="tester").close()
        output = calque("--corpus", root / name, "import", "wmt", SHARED_DATA / folder, "--json")
        corpora[name] = (root / name, SHARED_DATA / folder, json.loads(output))
    return corpora


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_set_becomes_a_corpus_whose_bench_equals_bench_of_the_files(imported, name):
    corpus_dir, folder, result = imported[name]
    _, langs, key, documents, metrics = SETS[name]
    assert result["set"] == key and result["documents"] == documents and len(Corpus.open(corpus_dir).documents()) == documents
    common = ["--no-checks", "--n-samples", "0", "--no-store", "-m", metrics, "--json"]
    from_corpus = bench_scores(calque("--corpus", corpus_dir, "bench", *common))
    from_files = bench_scores(calque("bench", "--testset", folder, "--langs", langs, *common))
    assert from_corpus == pytest.approx(from_files, abs=1e-9) and len(from_files) == len(metrics.split(",")) * len(result["systems"])


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_export_gives_the_files_back_byte_for_byte(imported, name, tmp_path):
    corpus_dir, folder, _ = imported[name]
    calque("--corpus", corpus_dir, "export", tmp_path / "out", "--format", "wmt")
    written = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert written and all((folder / relative).read_bytes() == data for relative, data in written.items())
    assert set(written) == {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.parent != folder}


@pytest.mark.parametrize("fmt, filename", [("scores", "esa_scores.en-zh.tsv"), ("appraise", "appraise_esa.en-zh.csv")])
def test_en_zh_esa_means_per_system_equal_the_score_files(imported, tmp_path, fmt, filename):
    corpus_dir, folder, _ = imported["wmt24_enzh"]
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copy)
    calque("--corpus", copy, "annotate", "import", "--format", fmt, folder / filename, "--protocol", "esa")
    data = json.loads(calque("--corpus", copy, "human", "score", "--protocol", "esa", "--by", "system", "--json"))
    got = {("refA" if row["system"] == "A" else row["system"]): row["score"] for row in data["scores"]}
    per_system = defaultdict(list)
    for row in csv.DictReader(open(folder / "esa_scores.en-zh.tsv", encoding="utf-8"), delimiter="\t"):
        per_system[row["system"]].append(float(row["esa"]))
    expected = {system: mean(values) for system, values in per_system.items()}
    assert set(got) == set(expected) and len(expected) == 13
    assert got == pytest.approx(expected, abs=1e-4)  # the score file rounds each item's mean to 4 decimals
