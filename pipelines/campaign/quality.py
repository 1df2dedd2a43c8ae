"""Campaign progress and quality control: per annotator, how much is assigned and done, how long an item
takes, and how many attention checks they passed; suggestions accepted and dismissed.

An attention check is passed (mqm, esa) when the annotator marked a Major or Critical span overlapping
the planted error, or (da) when they scored the damaged unit at most DA_CHECK_MAX.
"""
from __future__ import annotations

import statistics

from corpus.campaigns import CampaignStore

PASSING_SEVERITIES = ("Major", "Critical")
DA_CHECK_MAX = 50.0


def counts(span: dict) -> bool:
    """Spans that count as the annotator's judgement (a dismissed suggestion does not)."""
    return span["status"] != "dismissed"


def check_passed(protocol: str, unit: dict, slot: dict, spans: list[dict]) -> bool:
    planted = unit["check_span"]
    if protocol == "da":
        return slot["score"] is not None and slot["score"] <= DA_CHECK_MAX
    return any(counts(s) and s["severity"] in PASSING_SEVERITIES and s["item"] == planted["item"] and s["side"] == planted["side"]
               and s["start"] < max(planted["end"], planted["start"] + 1) and planted["start"] < max(s["end"], s["start"] + 1)
               for s in spans)


def check_results(store: CampaignStore, name: str) -> list[dict]:
    """One row per finished attention-check slot: annotator, unit, kind, passed."""
    campaign = store.get(name)
    units = {u["id"]: u for u in store.units(name) if u["check_kind"]}
    spans_by_slot: dict[str, list[dict]] = {}
    for span in store.spans(name):
        spans_by_slot.setdefault(span["slot_id"], []).append(span)
    return [{"annotator": slot["annotator"], "unit": slot["unit_id"], "kind": units[slot["unit_id"]]["check_kind"],
             "passed": check_passed(campaign["protocol"], units[slot["unit_id"]], slot, spans_by_slot.get(slot["id"], []))}
            for slot in store.slots(name) if slot["unit_id"] in units and slot["state"] == "done"]


def status(corpus, name: str) -> dict:
    store = CampaignStore(corpus)
    campaign = store.get(name)
    units = store.units(name)
    slots = store.slots(name)
    spans = store.spans(name)
    checks = check_results(store, name)
    is_check = {u["id"]: bool(u["check_kind"]) for u in units}
    people = []
    for annotator in campaign["settings"]["annotators"]:
        mine = [s for s in slots if s["annotator"] == annotator]
        done = [s for s in mine if s["state"] == "done"]
        seconds = [s["seconds"] for s in done if s["seconds"] is not None]
        my_checks = [c for c in checks if c["annotator"] == annotator]
        passed = sum(c["passed"] for c in my_checks)
        people.append({
            "annotator": annotator,
            "assigned": len(mine),
            "done": len(done),
            "claimed": sum(s["state"] == "claimed" for s in mine),
            "checks_assigned": sum(is_check[s["unit_id"]] for s in mine),
            "checks_done": len(my_checks),
            "checks_passed": passed,
            "check_pass_rate": passed / len(my_checks) if my_checks else None,
            "seconds_per_item_median": statistics.median(seconds) if seconds else None,
            "seconds_per_item_mean": statistics.fmean(seconds) if seconds else None,
            "spans": sum(1 for p in spans if p["annotator"] == annotator and counts(p)),
        })
    suggestions = [p for p in spans if p["origin"].startswith("suggestion:")]
    return {
        "campaign": name,
        "protocol": campaign["protocol"],
        "unit": campaign["unit"],
        "status": campaign["status"],
        "overlap": campaign["overlap"],
        "units": sum(not c for c in is_check.values()),
        "attention_checks": sum(is_check.values()),
        "slots": len(slots),
        "done": sum(s["state"] == "done" for s in slots),
        "claimed": sum(s["state"] == "claimed" for s in slots),
        "open": sum(s["state"] == "open" for s in slots),
        "units_complete": sum(1 for u in units if all(s["state"] == "done" for s in slots if s["unit_id"] == u["id"])),
        "annotators": people,
        "suggestions": {"accepted": sum(p["status"] == "accepted" for p in suggestions),
                        "dismissed": sum(p["status"] == "dismissed" for p in suggestions)},
        "gold_decisions": len(store.gold(name)),
    }


def assignments(corpus, name: str) -> list[dict]:
    """(unit, annotator) pairs: every slot with its unit, current holder, state and whether it is a check."""
    store = CampaignStore(corpus)
    units = {u["id"]: u for u in store.units(name)}
    return [{"unit": s["unit_id"], "annotator": s["annotator"], "planned": s["planned"], "slot": s["slot"], "position": s["position"],
             "state": s["state"], "attention_check": bool(units[s["unit_id"]]["check_kind"]),
             "translation": units[s["unit_id"]]["translation_id"]}
            for s in store.slots(name)]
