"""What the campaign UI can do, as a Python API (the HTTP routes in pipelines.serve.campaign_routes are a
thin shell over it). Annotators see blind system names and never learn which items are attention checks;
owners and reviewers see progress, quality and the k annotations of a unit side by side.

On SQLite every write takes the server's one write lock first (waiting on a Python lock is fairer than
many connections spinning on the database's busy timeout); on PostgreSQL claims rely on row locks.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any

from corpus.campaigns import CampaignStore, claims
from corpus.campaigns import annotations as spans_api
from corpus.campaigns.store import may_review
from corpus.errors import CalqueError
from corpus.formats.units import translation_units
from corpus.typology import load
from corpus.validation import CampaignSpan, CampaignSpanChange, GoldDecision, Submission, SuggestionDecision, parse, parse_version
from pipelines.campaign.quality import counts, status

CONTEXT_ROWS = 2
GUIDELINES = {
    "mqm": ["Read the source and the translation; use the document context around the item.",
            "Select each error span in the translation (or in the source, for an omission) and give it a severity and a category.",
            "Major: the meaning changes or the reader is misled. Minor: a flaw that does not change the meaning. "
            "Critical: harmful or unusable. Neutral: a preference, not an error.",
            "Mark nothing if the translation is correct, then press Done (Ctrl+Enter)."],
    "esa": ["Error Span Annotation (Kocmi et al., 2024): first mark error spans, then score the whole item.",
            "Select each error span and press m (minor) or M (major); no categories are needed.",
            "Then give a score from 0 (no meaning preserved) to 100 (perfect meaning and grammar) and press Done (Ctrl+Enter).",
            "Pre-filled suggestions, if any, come from automatic checks: accept (a) or dismiss (d) each one."],
    "da": ["Direct Assessment: read the source and the translation and score how well the translation expresses the source's "
           "meaning, from 0 (not at all) to 100 (perfectly).",
           "Type the score and press Done (Ctrl+Enter)."],
}


class Forbidden(CalqueError):
    """Someone asking for what only the campaign's owner or reviewers may see or do."""


class CampaignService:
    def __init__(self, corpus, write_lock: threading.Lock | None = None):
        self.corpus = corpus
        self.store = CampaignStore(corpus)
        self.write_lock = write_lock or threading.Lock()
        self.serialise = corpus.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def _writing(self):
        if self.serialise:
            with self.write_lock:
                yield
        else:
            yield

    # -- who may see what ---------------------------------------------------------------------------
    def _campaign(self, name: str, person: str, role: str = "annotator") -> dict:
        campaign = self.store.get(name)
        reviews = may_review(campaign, person)
        if role == "reviewer" and not reviews:
            raise Forbidden(f"only the owner or a reviewer of campaign {name!r} may do this")
        if role == "annotator" and person not in campaign["settings"]["annotators"] and not reviews:
            raise Forbidden(f"{person!r} takes no part in campaign {name!r}")
        return campaign

    def campaigns(self, person: str, only: str | None = None) -> list[dict]:
        """The campaigns `person` takes part in, with their roles (`only`: just that one, if they do)."""
        mine = []
        for row in self.store.list():
            if only is not None and row["id"] != only:
                continue
            roles = ["annotator"] * (person in row["settings"]["annotators"]) + ["reviewer"] * may_review(row, person)
            if roles:
                mine.append({"id": row["id"], "protocol": row["protocol"], "unit": row["unit"], "status": row["status"], "roles": roles})
        return mine

    # -- annotator views ----------------------------------------------------------------------------
    def queue(self, name: str, annotator: str) -> dict:
        campaign = self._campaign(name, annotator)
        mine = self.store.slots(name, annotator)
        units = {u["id"]: u for u in self.store.units(name)}
        items = [{"slot": s["id"], "position": s["position"], "state": s["state"], "system": self._system(campaign, units[s["unit_id"]]),
                  "preview": units[s["unit_id"]]["rows"][0]["target"][:80]} for s in mine]
        return {"campaign": name, "protocol": campaign["protocol"], "unit": campaign["unit"], "status": campaign["status"],
                "assigned": len(mine), "done": sum(s["state"] == "done" for s in mine), "items": items,
                "guidelines": GUIDELINES[campaign["protocol"]]}

    @staticmethod
    def _system(campaign: dict, unit: dict) -> str:
        return unit["blind_name"] if campaign["blind"] else unit["system"]

    def _context(self, unit: dict) -> dict:
        if len(unit["rows"]) != 1:
            return {"before": [], "after": []}
        idx = unit["rows"][0]["idx"]
        rows = [{"idx": u.target_idx, "source": u.source or None, "target": u.target} for u in translation_units(self.corpus, unit["translation_id"])]
        at = next((i for i, r in enumerate(rows) if r["idx"] == idx), None)
        if at is None:
            return {"before": [], "after": []}
        return {"before": rows[max(0, at - CONTEXT_ROWS):at], "after": rows[at + 1:at + 1 + CONTEXT_ROWS]}

    def item(self, slot_id: str, annotator: str) -> dict:
        with self.corpus.engine.connect() as connection:
            slot = claims.held_slot(connection, slot_id, annotator)
        campaign = self._campaign(slot["campaign_id"], annotator)
        unit = self.store.unit(slot["unit_id"])
        marks = self.store.spans(campaign["id"], unit_id=unit["id"], annotator=annotator)
        decided = {int(m["origin"].split(":")[1]): m["status"] for m in marks if m["origin"].startswith("suggestion:")}
        typology = load(campaign["typology"])
        document = self.corpus.document(unit["document_id"])
        return {
            "campaign": campaign["id"], "protocol": campaign["protocol"], "unit_kind": campaign["unit"], "slot": slot_id,
            "state": slot["state"], "score": slot["score"], "version": slot["version"], "lease_until": slot["lease_until"],
            "system": self._system(campaign, unit), "title": document.get("title"), "rows": unit["rows"], "context": self._context(unit),
            "suggestions": [{**s, "index": i, "decision": decided.get(i)} for i, s in enumerate(unit["suggestions"])],
            "spans": [self._span_view(m) for m in marks if counts(m)],
            "categories": {k: list(v) for k, v in typology.categories.items()},
            "severities": list(spans_api.SEVERITIES[campaign["protocol"]]),
        }

    @staticmethod
    def _span_view(span: dict) -> dict:
        return {k: span[k] for k in ("id", "item", "side", "start", "end", "text", "category", "severity", "comment", "origin", "status", "version")}

    def next_item(self, name: str, annotator: str) -> dict | None:
        self._campaign(name, annotator)
        slot = claims.current(self.corpus, name, annotator) or self.claim(name, annotator)
        return None if slot is None else self.item(slot["id"], annotator)

    # -- annotator writes ---------------------------------------------------------------------------
    def claim(self, name: str, annotator: str) -> dict | None:
        with self._writing():
            return claims.claim(self.corpus, name, annotator)

    def submit(self, slot_id: str, annotator: str, body: dict) -> dict:
        """Finish (or revise) an item; body {score?} (ESA and DA take a score from 0 to 100)."""
        score = parse(Submission, body).score
        with self._writing():
            return claims.submit(self.corpus, slot_id, annotator, score)

    def add_span(self, slot_id: str, annotator: str, body: dict) -> dict:
        fields = parse(CampaignSpan, body).model_dump(exclude_unset=True)
        with self._writing():
            return self._span_view(spans_api.add_span(self.corpus, slot_id, annotator, fields))

    def update_span(self, span_id: str, annotator: str, body: dict) -> dict:
        """body {version, severity?, category?, comment?}: the version last seen and what changes."""
        changes = parse(CampaignSpanChange, body).model_dump(exclude_unset=True)
        version = changes.pop("version")
        with self._writing():
            return self._span_view(spans_api.update_span(self.corpus, span_id, annotator, changes, version))

    def delete_span(self, span_id: str, annotator: str, version: Any) -> dict:
        version = parse_version(version, "span")
        with self._writing():
            spans_api.delete_span(self.corpus, span_id, annotator, version)
        return {"deleted": span_id}

    def decide_suggestion(self, slot_id: str, annotator: str, index: int, body: dict) -> dict:
        decision = parse(SuggestionDecision, body).decision
        with self._writing():
            return self._span_view(spans_api.decide_suggestion(self.corpus, slot_id, annotator, index, decision))

    # -- owner and reviewer -------------------------------------------------------------------------
    def progress(self, name: str, person: str) -> dict:
        self._campaign(name, person, "reviewer")
        return status(self.corpus, name)

    def agreement(self, name: str, person: str) -> dict:
        from pipelines.campaign.agreement import campaign_agreement

        self._campaign(name, person, "reviewer")
        return campaign_agreement(self.corpus, name)

    def review_units(self, name: str, person: str) -> list[dict]:
        """Units that at least two annotators finished, with how many spans each marked."""
        self._campaign(name, person, "reviewer")
        slots = self.store.slots(name)
        spans = self.store.spans(name)
        gold = self.store.gold(name)
        done: dict[str, list[dict]] = {}
        for slot in slots:
            if slot["state"] == "done":
                done.setdefault(slot["unit_id"], []).append(slot)
        units = {u["id"]: u for u in self.store.units(name)}
        return [{"unit": unit_id, "position": units[unit_id]["position"], "system": units[unit_id]["system"],
                 "attention_check": units[unit_id]["check_kind"], "annotators": [s["annotator"] for s in finished],
                 "spans": sum(1 for p in spans if p["unit_id"] == unit_id and counts(p)),
                 "decisions": sum(1 for g in gold if g["unit_id"] == unit_id)}
                for unit_id, finished in sorted(done.items(), key=lambda kv: units[kv[0]]["position"]) if len(finished) >= 2]

    def review_unit(self, unit_id: str, person: str) -> dict:
        unit = self.store.unit(unit_id)
        campaign = self._campaign(unit["campaign_id"], person, "reviewer")
        slots = [s for s in self.store.slots(campaign["id"]) if s["unit_id"] == unit_id]
        marks = self.store.spans(campaign["id"], unit_id=unit_id)
        return {"campaign": campaign["id"], "protocol": campaign["protocol"], "unit": unit_id, "system": unit["system"],
                "rows": unit["rows"], "check": unit["check_span"],
                "annotations": [{"annotator": s["annotator"], "state": s["state"], "score": s["score"], "seconds": s["seconds"],
                                 "spans": [self._span_view(m) for m in marks if m["slot_id"] == s["id"] and counts(m)]} for s in slots],
                "gold": self.store.gold(campaign["id"], unit_id),
                "categories": {k: list(v) for k, v in load(campaign["typology"]).categories.items()},
                "severities": list(spans_api.SEVERITIES["mqm" if campaign["protocol"] == "mqm" else "esa"])}

    def decide(self, unit_id: str, person: str, payload: dict) -> dict:
        unit = self.store.unit(unit_id)
        self._campaign(unit["campaign_id"], person, "reviewer")
        body = parse(GoldDecision, payload)
        span = None if body.span is None else body.span.model_dump(exclude_unset=True)
        with self._writing():
            return spans_api.record_gold(self.corpus, unit_id, person, body.decision, body.spans, span)

