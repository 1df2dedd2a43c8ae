"""Official WMT22 en-de BLEU and chrF (expected_scores.en-de.tsv) reproduced to 4 decimals."""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.fidelity import score_corpus
from pipelines.fidelity.textfile import read_segments

SYSTEMS = ["JDExploreAcademy", "Lan-Bridge", "Online-B", "Online-W", "OpenNMT", "PROMT"]
REFSETS = {"A": ["A"], "B": ["B"], "all": ["A", "B"]}


def expected(root) -> dict[tuple[str, str, str], float]:
    with open(root / "expected_scores.en-de.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {(r["system"], *r["metric"].split("-")): float(r["score"]) for r in rows if r["metric"].startswith(("bleu", "chrf"))}


@pytest.fixture(scope="module")
def wmt22(request):
    from tests.conftest import SHARED_DATA

    root = SHARED_DATA / "wmt22_ende"
    if not root.is_dir():
        pytest.skip("../shared/data is not present")
    refs = {k: read_segments(root / "references" / f"generaltest2022.en-de.ref.{k}.de") for k in "AB"}
    return root, refs, expected(root)


@pytest.mark.shared
@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("refset", list(REFSETS))
def test_bleu_and_chrf_match_official(wmt22, system, refset):
    root, refs, official = wmt22
    hyps = read_segments(root / "system-outputs" / f"generaltest2022.en-de.hyp.{system}.de")
    results = score_corpus(hyps, [refs[k] for k in REFSETS[refset]], ["bleu", "chrf"])
    assert round(results["bleu"].score, 4) == round(official[(system, "bleu", refset)], 4)
    assert round(results["chrf"].score, 4) == round(official[(system, "chrf", refset)], 4)
    nrefs = len(REFSETS[refset])
    assert results["bleu"].signature == f"nrefs:{nrefs}|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    assert results["chrf"].signature == f"nrefs:{nrefs}|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"


@pytest.mark.shared
def test_cli_json_reports_every_system_with_signature(wmt22):
    root, _, official = wmt22
    hyps = [str(root / "system-outputs" / f"generaltest2022.en-de.hyp.{s}.de") for s in SYSTEMS]
    result = CliRunner().invoke(main, [
        "eval", "-s", str(root / "sources" / "generaltest2022.en-de.src.en"),
        "-r", str(root / "references" / "generaltest2022.en-de.ref.A.de"),
        "-r", str(root / "references" / "generaltest2022.en-de.ref.B.de"),
        "-t", *hyps, "--metrics", "bleu,chrf", "--json",
    ])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert len(rows) == len(SYSTEMS) * 2
    assert {row["system"] for row in rows} == set(SYSTEMS)  # short names: file stems without the shared prefix/suffix
    for row in rows:
        system = row["system"]
        assert round(row["score"], 4) == round(official[(system, row["metric"], "all")], 4)
        assert row["signature"].startswith("nrefs:2|")
        assert row["data_hash"].startswith("sha256:") and "|data:" in row["calque_signature"]
