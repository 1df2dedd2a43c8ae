"""Building a campaign: its units (segments or whole documents of the chosen translations, with their
aligned source), blind system names, pre-filled suggestions, attention checks, and the assignment of
every unit to exactly k distinct annotators with loads that differ by at most one.

Everything random draws from one `random.Random(seed)`, so the same request builds the same campaign.
"""
from __future__ import annotations

import math
import random
import string

from corpus.campaigns import CampaignSpec, CampaignStore
from corpus.errors import InputError, NotFoundError
from corpus.formats.units import translation_units
from corpus.typology import load, severity_name
from pipelines.campaign.checks import KINDS_BY_PROTOCOL, plant


def system_name(translation: dict) -> str:
    return translation.get("system") or translation["producer"]


def blind_names(systems: list[str], rng: random.Random) -> dict[str, str]:
    shuffled = sorted(set(systems))
    rng.shuffle(shuffled)
    letters = string.ascii_uppercase
    def label(i: int) -> str:
        return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]
    return {system: f"System {label(i)}" for i, system in enumerate(shuffled)}


def _suggestions(corpus, translation_id: str, items: dict[int, int], protocol: str, typology) -> dict[int, list[dict]]:
    """Open or confirmed automatic findings (auto:<check>) on the translation, by unit item index."""
    notes = corpus.annotations(translation_id=translation_id)
    found: dict[int, list[dict]] = {}
    if notes.empty:
        return found
    notes = notes[notes.origin.str.startswith("auto:") & (notes.status != "rejected") & (notes.side == "target") & ~notes.stale.astype(bool)]
    allowed = ("Minor", "Major") if protocol == "esa" else ("Minor", "Major", "Critical")
    for note in notes.itertuples(index=False):
        idx = int(note.segment_idx)
        if idx not in items:
            continue
        try:
            severity = severity_name(note.severity)
            category = typology.validate(note.category)
        except ValueError:
            continue
        if severity not in allowed:
            severity = "Major" if severity == "Critical" else None
        if severity is None:
            continue
        found.setdefault(items[idx], []).append({"item": items[idx], "side": "target", "start": int(note.start), "end": int(note.end),
                                                 "text": note.text, "category": category, "severity": severity, "origin": note.origin})
    return found


def base_units(corpus, spec: CampaignSpec, typology) -> list[dict]:
    """One unit per target segment (or per translation, for document units), before ordering."""
    units = []
    for translation_id in spec.translations:
        try:
            translation = corpus.translation(translation_id)
        except NotFoundError:
            raise InputError(f"--translations: no translation with id {translation_id!r}") from None
        if spec.documents and translation["document_id"] not in spec.documents:
            continue
        rows = [{"idx": u.target_idx, "source": u.source or None, "target": u.target} for u in translation_units(corpus, translation_id)]
        rows = [r for r in rows if r["target"].strip()]
        if not rows:
            continue
        groups = [rows] if spec.unit == "document" else [[r] for r in rows]
        for group in groups:
            items = {r["idx"]: i for i, r in enumerate(group)}
            suggestions = _suggestions(corpus, translation_id, items, spec.protocol, typology) if spec.suggestions else {}
            units.append({"document_id": translation["document_id"], "translation_id": translation_id, "system": system_name(translation),
                          "rows": group, "suggestions": [s for i in range(len(group)) for s in suggestions.get(i, [])]})
    if not units:
        raise InputError("the chosen translations have no target segments to annotate")
    return units


def attention_checks(units: list[dict], spec: CampaignSpec, rng: random.Random) -> list[dict]:
    """round(rate × all units) damaged copies, so checks make up `rate` of what annotators see."""
    wanted = math.floor(spec.attention_rate * len(units) / (1 - spec.attention_rate) + 0.5) if spec.attention_rate else 0
    kinds = KINDS_BY_PROTOCOL[spec.protocol]
    checks: list[dict] = []
    order = list(range(len(units)))
    rng.shuffle(order)
    attempts = 0
    while len(checks) < wanted and attempts < 4 * len(units) * len(kinds):
        base = units[order[attempts % len(order)]]
        kind = kinds[(len(checks) + attempts // len(order)) % len(kinds)]
        attempts += 1
        others = [r["target"] for u in units if u["document_id"] != base["document_id"] for r in u["rows"]]
        others = others or [r["target"] for u in units if u is not base for r in u["rows"]]
        planted = plant(base["rows"], kind, others, rng)
        if planted is None:
            continue
        rows, span = planted
        checks.append({**base, "rows": rows, "suggestions": [], "check_kind": kind, "check_span": span, "base": base})
    if len(checks) < wanted:
        raise InputError(f"could plant only {len(checks)} of {wanted} attention checks in these units")
    return checks


def plan(spec: CampaignSpec, count: int, rng: random.Random) -> list[list[str | None]]:
    """The annotators of each of `count` units: walking the (shuffled) annotators cyclically k at a time
    gives k distinct names per unit (k ≤ n) and loads that differ by at most one."""
    if spec.assignment == "pool":
        return [[None] * spec.overlap for _ in range(count)]
    annotators = list(spec.annotators)
    rng.shuffle(annotators)
    n, k = len(annotators), spec.overlap
    return [[annotators[(i * k + j) % n] for j in range(k)] for i in range(count)]


def build_campaign(corpus, spec: CampaignSpec) -> tuple[list[dict], list[dict]]:
    """Campaign unit rows and slot rows, ready for CampaignStore.create()."""
    spec.validate()
    try:
        typology = load(spec.typology)
    except (ValueError, KeyError, FileNotFoundError) as problem:
        raise InputError(f"--typology: {problem}") from None
    rng = random.Random(spec.seed)
    units = base_units(corpus, spec, typology)
    names = blind_names([u["system"] for u in units], rng)
    checks = attention_checks(units, spec, rng)
    everything = units + checks
    rng.shuffle(everything)
    ids = {id(u): f"{spec.name}:{position}" for position, u in enumerate(everything)}
    unit_rows, slot_rows = [], []
    for position, (unit, annotators) in enumerate(zip(everything, plan(spec, len(everything), rng))):
        unit_id = ids[id(unit)]
        unit_rows.append({"id": unit_id, "campaign_id": spec.name, "position": position, "document_id": unit["document_id"],
                          "translation_id": unit["translation_id"], "system": unit["system"], "blind_name": names[unit["system"]],
                          "rows": unit["rows"], "suggestions": unit["suggestions"], "check_kind": unit.get("check_kind"),
                          "check_span": unit.get("check_span"), "checked_unit": ids[id(unit["base"])] if "base" in unit else None})
        for slot, annotator in enumerate(annotators):
            slot_rows.append({"id": f"{unit_id}-{slot}", "campaign_id": spec.name, "unit_id": unit_id, "slot": slot, "position": position,
                              "planned": annotator, "annotator": annotator, "state": "open", "lease_until": None, "claimed_at": None,
                              "done_at": None, "seconds": None, "score": None, "version": 1})
    return unit_rows, slot_rows


def create_campaign(corpus, spec: CampaignSpec, actor: str | None = None) -> dict:
    units, slots = build_campaign(corpus, spec)
    row = CampaignStore(corpus).create(spec, units, slots, actor)
    return {**row, "units": len(units), "checks": sum(1 for u in units if u["check_kind"]), "slots": len(slots)}
