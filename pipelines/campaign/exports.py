"""Campaign exports: Google MQM TSV (re-importable with `calque annotate import --format google-mqm`,
giving the same MQM scores), WMT ESA JSONL, and a per-system table with bootstrap confidence intervals
and significance clusters (pipelines.bench.clusters, as `calque bench` does for metrics).

Only finished judgements of real units count; attention checks and unfinished items are left out,
and dismissed suggestions are no marks. Real system names are written (blinding is for annotators).
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterator

import numpy as np

from corpus.campaigns import CampaignStore
from corpus.errors import InputError
from corpus.formats.google_mqm import COLUMNS, _cell, _mark
from corpus.typology import NO_ERROR, resolve_weights
from pipelines.bench.clusters import clusters_from_tests, pairwise_tests
from pipelines.bench.scores import Draws
from pipelines.campaign.quality import counts
from pipelines.provenance import calque_signature, data_hash

BOOTSTRAP_SAMPLES = 1000


def judgements(corpus, name: str) -> Iterator[dict]:
    """Each finished (unit, annotator) of a real unit: the unit, the slot and the spans that count."""
    store = CampaignStore(corpus)
    units = {u["id"]: u for u in store.units(name)}
    spans = defaultdict(list)
    for span in store.spans(name):
        if counts(span):
            spans[span["slot_id"]].append(span)
    for slot in store.slots(name):
        unit = units[slot["unit_id"]]
        if slot["state"] == "done" and not unit["check_kind"]:
            yield {"unit": unit, "slot": slot, "spans": sorted(spans[slot["id"]], key=lambda s: (s["item"], s["side"], s["start"], s["end"], s["id"]))}


# -- Google MQM TSV ---------------------------------------------------------------------------------
def _doc_names(units: list[dict]) -> dict[tuple[str, str], str]:
    """(document, system) -> the TSV's doc: the document id where every system's rows pair the same source
    with each target index (as Google's files do), else one doc per system so sources never clash."""
    sources: dict[str, dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for unit in units:
        for row in unit["rows"]:
            sources[unit["document_id"]][unit["system"]][row["idx"]] = row["source"] or ""
    names = {}
    for document, by_system in sources.items():
        shared = len({json.dumps(sorted(m.items())) for m in by_system.values()}) == 1
        for system in by_system:
            names[(document, system)] = document if shared else f"{document}.{system}"
    return names


def mqm_tsv_rows(corpus, name: str) -> list[list[str]]:
    """Header and one row per error span (or one No-error row per item a rater left unmarked)."""
    campaign = CampaignStore(corpus).get(name)
    if campaign["protocol"] == "da":
        raise InputError(f"campaign {name!r} uses the da protocol: it has no error spans for an MQM TSV (export esa-jsonl or the table)")
    done = list(judgements(corpus, name))
    docs = _doc_names([j["unit"] for j in done])
    seg_ids: dict[tuple[str, int], int] = {}
    for doc, idx in sorted({(docs[(j["unit"]["document_id"], j["unit"]["system"])], r["idx"]) for j in done for r in j["unit"]["rows"]}):
        seg_ids[(doc, idx)] = len(seg_ids) + 1
    rows = [list(COLUMNS)]
    for judgement in sorted(done, key=lambda j: (j["unit"]["position"], j["slot"]["annotator"])):
        unit, rater = judgement["unit"], judgement["slot"]["annotator"]
        doc = docs[(unit["document_id"], unit["system"])]
        for item, row in enumerate(unit["rows"]):
            where = f"row {row['idx']} of {unit['translation_id']}"
            if not row["source"]:
                raise InputError(f"{where} has no aligned source text, which a Google MQM TSV needs (align it, or export esa-jsonl)")
            source, target = _cell(row["source"] or "", f"the source of {where}"), _cell(row["target"], where)
            marks = [s for s in judgement["spans"] if s["item"] == item]
            common = [_cell(unit["system"], "a system name"), _cell(doc, "a document name"), str(row["idx"] + 1), str(seg_ids[(doc, row["idx"])]),
                      _cell(rater, "an annotator name")]
            if not marks:
                rows.append(common + [source, target, NO_ERROR, NO_ERROR, ""])
            for span in marks:
                marked_source = _mark(source, span["start"], span["end"]) if span["side"] == "source" else source
                marked_target = _mark(target, span["start"], span["end"]) if span["side"] == "target" else target
                rows.append(common + [marked_source, marked_target, _cell(span["category"], "a category"), span["severity"],
                                      _cell(span["comment"] or "", f"a comment on {where}")])
    return rows


def mqm_tsv(corpus, name: str) -> str:
    return "".join("\t".join(row) + "\n" for row in mqm_tsv_rows(corpus, name))


# -- WMT ESA JSONL ------------------------------------------------------------------------------------
def esa_records(corpus, name: str) -> Iterator[dict]:
    """One JSON object per finished (unit, annotator) in the shape of WMT's ESA releases: source, target,
    the 0-100 score and the error spans (start_i/end_i are code-point offsets into that row's target)."""
    campaign = CampaignStore(corpus).get(name)
    for judgement in sorted(judgements(corpus, name), key=lambda j: (j["unit"]["position"], j["slot"]["annotator"])):
        unit, slot = judgement["unit"], judgement["slot"]
        yield {
            "campaign": name, "protocol": campaign["protocol"], "item_id": unit["id"], "system": unit["system"],
            "doc_id": unit["document_id"], "segment_ids": [r["idx"] for r in unit["rows"]], "annotator": slot["annotator"],
            "src": "\n".join(r["source"] or "" for r in unit["rows"]), "tgt": "\n".join(r["target"] for r in unit["rows"]),
            "score": slot["score"],
            "esa_spans": [{"row": s["item"], "side": s["side"], "start_i": s["start"], "end_i": s["end"], "text": s["text"],
                           "severity": s["severity"].lower(), "category": s["category"], "origin": s["origin"]} for s in judgement["spans"]],
            "seconds": slot["seconds"],
        }


def esa_jsonl(corpus, name: str) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in esa_records(corpus, name))


# -- per-system table -----------------------------------------------------------------------------------
def item_scores(corpus, name: str, measure: str) -> dict[str, dict[tuple[str, int], float]]:
    """system -> item -> mean over the item's raters of the measure: `mqm` the sum of error weights on one
    target segment (as pipelines.mqm scores a unit), `score` the unit's 0-100 score (item: its first segment)."""
    campaign = CampaignStore(corpus).get(name)
    weights = resolve_weights(campaign["weights"])
    raters: dict[str, dict[tuple[str, int], list[float]]] = defaultdict(lambda: defaultdict(list))
    for judgement in judgements(corpus, name):
        unit = judgement["unit"]
        if measure == "mqm":  # per target segment, as pipelines.mqm scores (a document unit gives one item per row)
            for item, row in enumerate(unit["rows"]):
                value = sum(weights.weight(s["severity"], s["category"]) for s in judgement["spans"] if s["item"] == item)
                raters[unit["system"]][(unit["document_id"], row["idx"])].append(value)
        elif judgement["slot"]["score"] is not None:
            raters[unit["system"]][(unit["document_id"], unit["rows"][0]["idx"])].append(judgement["slot"]["score"])
    return {system: {key: float(np.mean(values)) for key, values in items.items()} for system, items in raters.items()}


def human_scores(corpus, name: str):
    """The campaign's segment scores as pipelines.human.HumanScores (columns system, document_id, segment, score),
    for training and meta-evaluating metrics on them: MQM campaigns their error weights (lower is better),
    ESA and DA campaigns their 0-100 scores (higher is better), each the mean over the item's raters."""
    import pandas as pd

    from pipelines.human import HumanScores

    campaign = CampaignStore(corpus).get(name)
    mqm = campaign["protocol"] == "mqm"
    by_system = item_scores(corpus, name, "mqm" if mqm else "score")
    rows = [{"system": system, "document_id": document_id, "segment": idx, "score": value}
            for system, items in sorted(by_system.items()) for (document_id, idx), value in sorted(items.items())]
    if not rows:
        raise InputError(f"campaign {name!r} has no finished judgements yet")
    hashed = data_hash([f"{r['system']}|{r['document_id']}|{r['segment']}|{r['score']!r}" for r in rows])
    signature = calque_signature(f"metric:{campaign['protocol']}|campaign:{name}|level:segment|segment:mean-of-raters", hashed)
    return HumanScores(campaign["protocol"], "segment", pd.DataFrame(rows), not mqm, signature, hashed)


def system_table(corpus, name: str, samples: int = BOOTSTRAP_SAMPLES, alpha: float = 0.05) -> dict:
    """Per system and measure: mean, 95% bootstrap interval, items, rank cluster. Systems are compared on
    the items all of them were judged on (paired bootstrap, the same draws for every system); with fewer
    than two shared items each system is resampled on its own and no clusters are formed."""
    campaign = CampaignStore(corpus).get(name)
    measures = {"mqm": [("mqm", False)], "esa": [("score", True), ("mqm", False)], "da": [("score", True)]}[campaign["protocol"]]
    result = {"campaign": name, "protocol": campaign["protocol"], "weights": campaign["weights"], "bootstrap_samples": samples, "measures": {}}
    hashed = data_hash(sorted(json.dumps([j["slot"]["id"], j["slot"]["score"], [(s["item"], s["start"], s["end"], s["severity"], s["category"])
                                                                                  for s in j["spans"]]]) for j in judgements(corpus, name)))
    for measure, higher_is_better in measures:
        scores = item_scores(corpus, name, measure)
        if not scores:
            continue
        shared = sorted(set.intersection(*(set(items) for items in scores.values())))
        paired = len(shared) >= 2 and len(scores) >= 2
        rows, resampled, means = [], {}, {}
        for system, items in sorted(scores.items()):
            keys = shared if paired else sorted(items)
            values = np.array([[items[k]] for k in keys])
            draws = Draws.sacrebleu(len(keys), samples)
            boot = draws.resampled_sums(values)[:, 0] / len(keys)
            means[system] = float(values.mean())
            resampled[system] = boot
            low, high = np.percentile(boot, [2.5, 97.5])
            rows.append({"system": system, "mean": means[system], "ci_low": float(low), "ci_high": float(high), "items": len(keys),
                         "all_items": len(items), "mean_all_items": float(np.mean(list(items.values())))})
        clusters, tests = {}, []
        if paired:
            ordered, tests = pairwise_tests(means, resampled, higher_is_better=higher_is_better, alpha=alpha)
            clusters = clusters_from_tests(ordered, tests, alpha)
        order = sorted(rows, key=lambda r: (-r["mean"] if higher_is_better else r["mean"], r["system"]))
        for row in order:
            row["cluster"] = clusters.get(row["system"])
        result["measures"][measure] = {"higher_is_better": higher_is_better, "paired": paired, "shared_items": len(shared),
                                       "systems": order, "tests": [t.to_dict() for t in tests]}
    result["data_hash"] = hashed
    result["signature"] = calque_signature(f"campaign:{name}|protocol:{campaign['protocol']}|weights:{campaign['weights']}|"
                                           f"bootstrap:{samples}|test:paired-bs|correction:holm", hashed)
    return result


def table_text(table: dict) -> str:
    lines = [f"campaign {table['campaign']} ({table['protocol']}); {table['signature']}"]
    for measure, data in table["measures"].items():
        direction = "higher is better" if data["higher_is_better"] else "lower is better"
        lines.append(f"\n{measure} ({direction}; {'paired on ' + str(data['shared_items']) + ' shared items' if data['paired'] else 'unpaired'})")
        lines.append(f"{'cluster':>7}  {'system':<24} {'mean':>8}  {'95% CI':>17}  {'items':>5}")
        for row in data["systems"]:
            cluster = "" if row["cluster"] is None else str(row["cluster"])
            lines.append(f"{cluster:>7}  {row['system']:<24} {row['mean']:8.2f}  [{row['ci_low']:7.2f}, {row['ci_high']:7.2f}]  {row['items']:>5}")
    return "\n".join(lines) + "\n"


def gold_records(corpus, name: str) -> Iterator[dict]:
    """The adjudicated gold set: each accepted or merged span with its unit and who decided; a later
    decision on the same spans does not erase an earlier one (the journal keeps the order)."""
    store = CampaignStore(corpus)
    units = {u["id"]: u for u in store.units(name)}
    for gold in store.gold(name):
        if gold["decision"] == "dismiss":
            continue
        unit = units[gold["unit_id"]]
        row = unit["rows"][gold["item"]]
        yield {"campaign": name, "item_id": unit["id"], "system": unit["system"], "doc_id": unit["document_id"], "translation": unit["translation_id"],
               "segment": row["idx"], "side": gold["side"], "start": gold["start"], "end": gold["end"], "text": gold["text"],
               "category": gold["category"], "severity": gold["severity"], "decision": gold["decision"], "sources": gold["sources"],
               "decided_by": gold["decided_by"], "decided_at": gold["created_at"]}
