"""Exports of a finished campaign: the Google MQM TSV re-imports (existing importer) with the same MQM
scores per system, WMT ESA JSONL carries every judgement, the per-system table separates a clearly
worse system into its own significance cluster, and agreement is computed per annotator pair."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.campaigns.annotations import add_span
from corpus.campaigns.claims import claim, submit
from pipelines.campaign.build import create_campaign
from pipelines.campaign.exports import esa_records, system_table
from pipelines.cli import main
from tests.campaign.conftest import HUMAN, MT


def annotate_everything(corpus, name, annotators, protocol):
    """Deterministic annotators: the MT gets a Major error on its first word (and a Minor one from 'b'
    on even rows), the human translation is clean; scores follow the errors."""
    for annotator in annotators:
        while (slot := claim(corpus, name, annotator)) is not None:
            unit = CampaignStore(corpus).unit(slot["unit_id"])
            penalty = 0
            if unit["system"] == "literal-mt" or unit["check_kind"]:
                for item, row in enumerate(unit["rows"]):
                    end = row["target"].find(" ") if " " in row["target"] else len(row["target"])
                    add_span(corpus, slot["id"], annotator, {"item": item, "start": 0, "end": end, "severity": "Major",
                                                             "category": "Accuracy/Mistranslation", "comment": "first word"})
                    penalty += 5
                    if annotator == "b" and row["idx"] % 2 == 0:
                        add_span(corpus, slot["id"], annotator, {"item": item, "start": end, "end": len(row["target"]), "severity": "Minor",
                                                                 "category": "Fluency/Grammar"})
                        penalty += 1
            submit(corpus, slot["id"], annotator, None if protocol == "mqm" else max(0, 95 - 10 * penalty))


@pytest.fixture
def finished(corpus):
    create_campaign(corpus, CampaignSpec(name="ende", translations=MT + HUMAN, annotators=["a", "b", "c"], overlap=2, protocol="esa",
                                         attention_rate=0.1, seed=5))
    annotate_everything(corpus, "ende", ["a", "b", "c"], "esa")
    return corpus


def test_google_mqm_tsv_reimports_with_the_same_scores(finished, tmp_path):
    runner = CliRunner()
    tsv = tmp_path / "campaign_ende.tsv"
    result = runner.invoke(main, ["--corpus", str(finished.path), "campaign", "export", "ende", "--format", "google-mqm", "-o", str(tsv)])
    assert result.exit_code == 0, result.output
    lines = tsv.read_text("utf-8").splitlines()
    assert lines[0].split("\t") == ["system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category", "severity", "comment"]
    assert not any("\tSystem " in line for line in lines)  # real names, not blind ones
    fresh = tmp_path / "fresh"
    Corpus.init(fresh, actor="importer").close()
    imported = runner.invoke(main, ["--corpus", str(fresh), "annotate", "import", "--format", "google-mqm", str(tsv)])
    assert imported.exit_code == 0, imported.output
    scored = json.loads(runner.invoke(main, ["--corpus", str(fresh), "mqm", "score", "--by", "system", "--json"]).output)
    reimported = {row["system"]: row["score"] for row in scored["scores"]}
    table = system_table(finished, "ende")["measures"]["mqm"]["systems"]
    assert reimported == pytest.approx({row["system"]: row["mean_all_items"] for row in table})
    assert reimported["translator-A"] == 0 and reimported["literal-mt"] > 5


def test_esa_jsonl_has_every_finished_judgement_and_no_attention_check(finished):
    records = list(esa_records(finished, "ende"))
    store = CampaignStore(finished)
    units = {u["id"]: u for u in store.units("ende")}
    real_slots = [s for s in store.slots("ende") if not units[s["unit_id"]]["check_kind"]]
    assert len(records) == len(real_slots) and all(s["state"] == "done" for s in real_slots)
    for record in records:
        spans = [s for s in store.spans("ende", unit_id=record["item_id"], annotator=record["annotator"])]
        assert [(s["start"], s["end"], s["severity"].lower()) for s in spans] == [(x["start_i"], x["end_i"], x["severity"]) for x in record["esa_spans"]]
        assert 0 <= record["score"] <= 100
        for span in record["esa_spans"]:
            assert record["tgt"][span["start_i"]:span["end_i"]] == span["text"]


def test_system_table_separates_the_worse_system_with_intervals(finished):
    table = system_table(finished, "ende")
    score = table["measures"]["score"]
    assert score["higher_is_better"] and score["paired"]
    best, worst = score["systems"]
    assert (best["system"], worst["system"]) == ("translator-A", "literal-mt")
    assert (best["cluster"], worst["cluster"]) == (1, 2)
    for row in score["systems"]:
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    assert table["signature"].startswith("calque") or "campaign:ende" in table["signature"]


def test_agreement_per_annotator_pair(finished):
    result = json.loads(CliRunner().invoke(main, ["--corpus", str(finished.path), "campaign", "agreement", "ende", "--json"]).output)
    pairs = {(p["reference"], p["hypothesis"]): p for p in result["pairwise"]}
    assert set(pairs) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert pairs[("a", "c")]["spans"]["exact"]["f1"] == 1.0  # a and c mark identically
    assert pairs[("a", "b")]["spans"]["exact"]["precision"] < 1.0  # b adds Minor spans
    assert result["segments"] == len([u for u in CampaignStore(finished).units("ende") if not u["check_kind"]])


def test_da_campaign_refuses_an_mqm_tsv(corpus):
    create_campaign(corpus, CampaignSpec(name="da", translations=MT[:1], annotators=["a"], protocol="da"))
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "campaign", "export", "da", "--format", "google-mqm"])
    assert result.exit_code == 1 and "uses the da protocol" in result.output


def test_html_report_shows_quality_control_systems_and_agreement(finished, tmp_path):
    out = tmp_path / "ende.html"
    result = CliRunner().invoke(main, ["--corpus", str(finished.path), "campaign", "export", "ende", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    from pipelines.campaign.quality import status

    for person in status(finished, "ende")["annotators"]:
        assert f"<td>{person['annotator']}</td><td class=\"n\">{person['assigned']}</td><td class=\"n\">{person['done']}</td>" in page
    assert "<td>translator-A</td>" in page and "<td>a / b</td>" in page and "Agreement before adjudication" in page


def test_corpus_report_has_a_campaign_section_with_its_figure(finished, tmp_path):
    from tests.report.browser import assert_page_is_clean

    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["--corpus", str(finished.path), "report", "--out", str(out), "--n-samples", "100",
                                       "--no-store"])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    section = page[page.index('<section id="campaigns">'):]
    section = section[:section.index("</section>")]
    table = system_table(finished, "ende")
    for row in table["measures"]["score"]["systems"]:
        assert f"<td>{row['system']}</td><td class=\"num\">{row['mean']:.2f}</td>" in section
    assert '<a href="#campaigns">Campaigns</a>' in page and table["signature"] in page
    assert "ESA, " in section and 'alt="Campaign ende system means"' in section
    assert_page_is_clean(out)
