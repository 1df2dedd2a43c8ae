"""Campaigns as data: creation from the CLI on the demo corpus, balanced k-overlap assignment, status,
blind names, reproducible order, clear errors, and the schema migration of an older corpus."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from corpus import Corpus
from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.schema import SCHEMA_VERSION
from pipelines.campaign.build import build_campaign, create_campaign
from pipelines.cli import main
from tests.campaign.conftest import HUMAN, MT


def run(corpus, *args, ok=True):
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), *args])
    assert (result.exit_code == 0) == ok, result.output
    return result


def test_create_then_assignments_give_every_unit_k_distinct_annotators_with_balanced_loads(corpus):
    run(corpus, "campaign", "create", "pilot", "--translations", ",".join(MT + HUMAN[:1]), "--annotators", "a,b,c",
        "--overlap", "2", "--protocol", "esa", "--attention-rate", "0.1")
    pairs = json.loads(run(corpus, "campaign", "assignments", "pilot", "--json").output)
    by_unit = defaultdict(list)
    for pair in pairs:
        by_unit[pair["unit"]].append(pair["annotator"])
    units = CampaignStore(corpus).units("pilot")
    assert set(by_unit) == {u["id"] for u in units}
    assert all(len(names) == 2 == len(set(names)) for names in by_unit.values())
    loads = Counter(p["annotator"] for p in pairs)
    assert set(loads) == {"a", "b", "c"} and max(loads.values()) - min(loads.values()) <= 1
    segments = sum(len(corpus.segments(translation_id=t)) for t in MT + HUMAN[:1])
    checks = [u for u in units if u["check_kind"]]
    assert len(units) - len(checks) == segments
    assert round(len(checks) / len(units), 2) == pytest.approx(0.1, abs=0.02)

    status = json.loads(run(corpus, "campaign", "status", "pilot", "--json").output)
    assert {p["annotator"]: p["assigned"] for p in status["annotators"]} == dict(loads)
    assert all(p["done"] == 0 and p["checks_passed"] == 0 for p in status["annotators"])
    assert status["attention_checks"] == len(checks)
    listed = json.loads(run(corpus, "campaign", "ls", "--json").output)
    assert [(r["id"], r["protocol"], r["overlap"], r["units"]) for r in listed] == [("pilot", "esa", 2, len(units))]


@pytest.mark.parametrize("annotators,k", [(["a", "b", "c", "d", "e"], 3), (["a", "b"], 2), (["a", "b", "c", "d"], 1)])
def test_plan_balance_holds_for_other_shapes(corpus, annotators, k):
    spec = CampaignSpec(name="x", translations=MT, annotators=annotators, overlap=k, attention_rate=0.2, seed=7)
    units, slots = build_campaign(corpus, spec)
    per_unit = defaultdict(set)
    for slot in slots:
        per_unit[slot["unit_id"]].add(slot["annotator"])
    assert all(len(v) == k for v in per_unit.values()) and len(per_unit) == len(units)
    loads = Counter(s["annotator"] for s in slots)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_same_seed_same_campaign_other_seed_other_order(corpus):
    def plan(seed):
        units, slots = build_campaign(corpus, CampaignSpec(name="x", translations=MT, annotators=["a", "b", "c"], overlap=2, seed=seed,
                                                           attention_rate=0.1))
        return [(u["translation_id"], json.dumps(u["rows"])) for u in units], [s["annotator"] for s in slots]

    assert plan(3) == plan(3)
    assert plan(3)[0] != plan(4)[0]


def test_blind_names_hide_systems_and_document_units_keep_whole_documents(corpus):
    result = create_campaign(corpus, CampaignSpec(name="docs", translations=MT + HUMAN, annotators=["a", "b"], unit="document",
                                                  protocol="mqm", attention_rate=0.25))
    units = CampaignStore(corpus).units("docs")
    real = {u["system"] for u in units}
    assert real == {"literal-mt", "translator-A"}
    names = {u["system"]: u["blind_name"] for u in units}
    assert sorted(names.values()) == ["System A", "System B"] and all(u["blind_name"] == names[u["system"]] for u in units)
    plain = [u for u in units if not u["check_kind"]]
    assert len(plain) == 6 and result["checks"] == 2
    for unit in plain:
        assert [r["target"] for r in unit["rows"]] == list(corpus.segments(translation_id=unit["translation_id"]).text)
    for check in (u for u in units if u["check_kind"]):
        original = next(u for u in units if u["id"] == check["checked_unit"])
        changed = [i for i, (a, b) in enumerate(zip(original["rows"], check["rows"])) if a != b]
        assert changed == [check["check_span"]["item"]]


def test_suggestions_come_from_calques_own_checks(corpus):
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    [(translation, findings)] = list(run_corpus_checks(corpus, ["harbour-bridge"]))[1:]
    assert translation["id"] == "harbour-bridge.de.mt"
    write_findings(corpus, findings, [translation["id"]])
    notes = corpus.annotations(translation_id="harbour-bridge.de.mt")
    auto = notes[notes.origin.str.startswith("auto:") & (notes.status != "rejected")]
    create_campaign(corpus, CampaignSpec(name="s", translations=["harbour-bridge.de.mt"], annotators=["a"], suggestions=True))
    units = CampaignStore(corpus).units("s")
    suggested = [(u["rows"][0]["idx"], s["start"], s["end"], s["origin"]) for u in units for s in u["suggestions"]]
    assert suggested and set(suggested) <= {(int(n.segment_idx), int(n.start), int(n.end), n.origin) for n in auto.itertuples()}


@pytest.mark.parametrize("args,message", [
    (["--annotators", "a,b", "--overlap", "3"], "overlap 3 must be between 1 and the number of annotators (2)"),
    (["--annotators", "a,a"], "an annotator is named twice"),
    (["--annotators", "a", "--translations", "nope"], "--translations: no translation with id 'nope'"),
    (["--annotators", "a", "--attention-rate", "1.5"], "attention-check rate 1.5 must be in [0, 1)"),
    (["--annotators", "a", "--weights", "Major:x"], "--weights: "),
    (["--annotators", "a", "--protocol", "da", "--suggestions"], "the da protocol marks no spans"),
])
def test_bad_requests_fail_with_one_line_and_write_nothing(corpus, args, message):
    if "--translations" not in args:
        args = [*args, "--translations", MT[0]]
    result = run(corpus, "campaign", "create", "bad", *args, ok=False)
    assert message in result.output and result.output.count("\n") == 1
    assert CampaignStore(corpus).list() == []


def test_duplicate_name_is_refused(corpus):
    run(corpus, "campaign", "create", "one", "--translations", MT[0], "--annotators", "a")
    result = run(corpus, "campaign", "create", "one", "--translations", MT[0], "--annotators", "a", ok=False)
    assert "a campaign named 'one' exists already" in result.output


def test_close_stops_claims(corpus):
    from corpus.campaigns.claims import claim
    from corpus.errors import ConflictError

    run(corpus, "campaign", "create", "c", "--translations", MT[0], "--annotators", "a")
    run(corpus, "campaign", "close", "c")
    assert CampaignStore(corpus).get("c")["status"] == "closed"
    with pytest.raises(ConflictError, match="closed"):
        claim(corpus, "c", "a")


def test_a_version_1_corpus_is_migrated_with_new_tables_only(tmp_path, corpus):
    with corpus.engine.begin() as connection:
        for table in ("campaign_gold_sources", "campaign_gold", "campaign_spans", "campaign_slots", "campaign_units", "campaigns"):
            connection.exec_driver_sql(f"DROP TABLE {table}")
        connection.exec_driver_sql("UPDATE meta SET value='1' WHERE key='schema_version'")
    before = corpus.stats()
    corpus.close()
    reopened = Corpus.open(corpus.path)
    with reopened.engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM meta WHERE key='schema_version'")).scalar() == str(SCHEMA_VERSION) == "4"
    assert reopened.stats() == before
    create_campaign(reopened, CampaignSpec(name="after", translations=MT[:1], annotators=["a"]))
    assert CampaignStore(reopened).get("after")["protocol"] == "mqm"
    reopened.close()


def test_tokens_print_one_sign_in_link_per_annotator_and_reviewer(corpus):
    from pipelines.serve.auth import Identity, TokenStore

    run(corpus, "campaign", "create", "t", "--translations", MT[0], "--annotators", "a,b", "--reviewers", "rev")
    owner = CampaignStore(corpus).get("t")["owner"]
    rows = json.loads(run(corpus, "campaign", "tokens", "t", "--url", "http://192.0.2.1:8080", "--json").output)
    assert [(r["annotator"], r["note"]) for r in rows] == [("a", "annotator"), ("b", "annotator"), ("rev", "reviewer"), (owner, "owner")]
    store = TokenStore(corpus.path)
    for row in rows:
        assert row["link"].startswith("http://192.0.2.1:8080/campaign#campaign=t&token=")
        assert store.identity_for(row["link"].split("token=")[1]) == Identity(row["annotator"], "t")
    again = json.loads(run(corpus, "campaign", "tokens", "t", "--json").output)
    assert all(r["link"] is None for r in again)
