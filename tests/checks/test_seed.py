"""The seed document (German MT, English source unavailable): the target-only checks must find its artifacts."""
import json

import pytest
from click.testing import CliRunner

from pipelines.cli import main

pytestmark = pytest.mark.shared


@pytest.fixture
def seed(shared_data):
    return shared_data / "seed" / "000_a82eac159e5b78f3.txt"


def test_seed_artifacts_are_found_without_a_source(seed, tmp_path):
    catalogue = tmp_path / "catalogue.jsonl"
    catalogue.write_text("\n".join(json.dumps(entry) for entry in [
        {"source": "knee-jerk reaction", "target": "Knie-Ruck-Reaktion", "type": "calque", "src_lang": "en", "tgt_lang": "de"},
        {"source": "watchdog", "target": "Wachhund", "type": "calque", "src_lang": "en", "tgt_lang": "de"},
    ]) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "-t", str(seed), "--langs", "en-de", "--catalogue", str(catalogue), "--json"])
    assert result.exit_code == 0, result.output
    findings = [json.loads(line) for line in result.output.splitlines()]
    lines = seed.read_text("utf-8").split("\n")
    for f in findings:
        assert lines[f["segment"]][f["start"]:f["end"]] == f["text"]
    by_type = {}
    for f in findings:
        by_type.setdefault(f["type"], []).append(f)

    quotes = by_type["quote-style"]
    assert len([f for f in quotes if f["text"] == "“"]) == 11 and len([f for f in quotes if "never closed" in f["message"]]) == 2
    assert [f["text"] for f in by_type["markup"]] == ["[enter]"]
    assert {f["text"] for f in by_type["segmentation"]} == {"laut dem Outlet IPVM", "berichtete die britische Zeitung i", "Reuters berichtete"}
    artifacts = by_type["known-artifact"]
    assert [f["text"] for f in artifacts].count("Knie-Ruck-Reaktion") == 3
    assert "CCTV-Wachhund" in lines[artifacts[[f["text"] for f in artifacts].index("Wachhund")]["segment"]]
    assert [f["text"] for f in artifacts].count("Wachhund") == 2
    assert all("no source to verify" in f["message"] for f in artifacts)
    assert [f["text"] for f in by_type["untranslated"]] == ["Biometrics and Surveillance Camera Commissioner"]
    assert [f["text"] for f in by_type["truncation"]] == ["an der die Inhaftierung von mehr als einer Million Menschen"]
    assert not set(by_type) & {"number-mismatch", "entity-mismatch", "omission"}  # they need a source
