"""Quality control: attention checks scored per annotator in `status` (pass rate, time per item), for span
protocols and for da; suggestions accepted and dismissed are counted."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.campaigns.annotations import add_span, decide_suggestion
from corpus.campaigns.claims import claim, submit
from pipelines.campaign.build import create_campaign
from pipelines.campaign.quality import status
from pipelines.cli import main
from tests.campaign.conftest import MT


def work(corpus, name, annotator, on_check, on_unit, seconds=30.0):
    start = datetime.now(timezone.utc)
    while (slot := claim(corpus, name, annotator, start)) is not None:
        unit = CampaignStore(corpus).unit(slot["unit_id"])
        score = (on_check if unit["check_kind"] else on_unit)(slot, unit)
        start += timedelta(seconds=seconds)
        submit(corpus, slot["id"], annotator, score, now=start)


def test_status_scores_attention_checks_per_annotator(corpus):
    create_campaign(corpus, CampaignSpec(name="q", translations=MT, annotators=["careful", "careless"], overlap=2, protocol="mqm",
                                         attention_rate=0.2))

    def mark_planted(slot, unit):
        planted = unit["check_span"]
        add_span(corpus, slot["id"], "careful", {"item": planted["item"], "start": planted["start"], "end": planted["end"],
                                                 "severity": "Major", "category": "Accuracy/Mistranslation"})

    work(corpus, "q", "careful", mark_planted, lambda slot, unit: None, seconds=40)
    work(corpus, "q", "careless", lambda slot, unit: None, lambda slot, unit: None, seconds=5)
    result = json.loads(CliRunner().invoke(main, ["--corpus", str(corpus.path), "campaign", "status", "q", "--json"]).output)
    people = {p["annotator"]: p for p in result["annotators"]}
    checks = sum(1 for u in CampaignStore(corpus).units("q") if u["check_kind"])
    assert checks >= 3 and result["attention_checks"] == checks
    assert people["careful"]["checks_done"] == people["careless"]["checks_done"] == checks
    assert (people["careful"]["checks_passed"], people["careful"]["check_pass_rate"]) == (checks, 1.0)
    assert (people["careless"]["checks_passed"], people["careless"]["check_pass_rate"]) == (0, 0.0)
    assert people["careful"]["seconds_per_item_median"] == 40 and people["careless"]["seconds_per_item_median"] == 5
    assert people["careful"]["done"] == people["careful"]["assigned"]
    assert result["units_complete"] == result["units"] + result["attention_checks"]


def test_a_minor_or_misplaced_mark_does_not_pass_a_check(corpus):
    create_campaign(corpus, CampaignSpec(name="q", translations=MT, annotators=["x"], protocol="esa", attention_rate=0.2))

    def wrong(slot, unit):
        planted = unit["check_span"]
        text = unit["rows"][planted["item"]]["target"]
        add_span(corpus, slot["id"], "x", {"item": planted["item"], "start": planted["start"], "end": planted["end"], "severity": "Minor"})
        if planted["start"] > 0:
            add_span(corpus, slot["id"], "x", {"item": planted["item"], "start": 0, "end": min(planted["start"], len(text)), "severity": "Major"})
        return 50

    work(corpus, "q", "x", wrong, lambda slot, unit: 90)
    [person] = status(corpus, "q")["annotators"]
    assert person["checks_done"] > 0 and person["checks_passed"] == 0


def test_da_checks_pass_on_a_low_score(corpus):
    create_campaign(corpus, CampaignSpec(name="d", translations=MT, annotators=["low", "high"], overlap=2, protocol="da", attention_rate=0.15))
    assert {u["check_kind"] for u in CampaignStore(corpus).units("d") if u["check_kind"]} == {"unrelated"}
    work(corpus, "d", "low", lambda slot, unit: 10, lambda slot, unit: 80)
    work(corpus, "d", "high", lambda slot, unit: 85, lambda slot, unit: 80)
    people = {p["annotator"]: p for p in status(corpus, "d")["annotators"]}
    assert people["low"]["check_pass_rate"] == 1.0 and people["high"]["check_pass_rate"] == 0.0


def test_suggestion_decisions_are_recorded_and_counted(corpus):
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    for translation, findings in run_corpus_checks(corpus):
        write_findings(corpus, findings, [translation["id"]])
    create_campaign(corpus, CampaignSpec(name="s", translations=MT, annotators=["a"], protocol="esa", suggestions=True))
    accepted = dismissed = 0
    while (slot := claim(corpus, "s", "a")) is not None:
        unit = CampaignStore(corpus).unit(slot["unit_id"])
        for index, _ in enumerate(unit["suggestions"]):
            decision = "accepted" if index % 2 == 0 else "dismissed"
            decide_suggestion(corpus, slot["id"], "a", index, decision)
            accepted, dismissed = accepted + (decision == "accepted"), dismissed + (decision == "dismissed")
        submit(corpus, slot["id"], "a", 70)
    assert accepted and dismissed
    result = status(corpus, "s")
    assert result["suggestions"] == {"accepted": accepted, "dismissed": dismissed}
    assert result["annotators"][0]["spans"] == accepted
    journal = corpus.journal(entity="campaign_spans")
    assert set(journal.actor) == {"a"} and len(journal) == accepted + dismissed
