"""Agreement in a campaign before adjudication, with pipelines.agreement: span P/R/F1 per annotator pair
and overall, Cohen's kappa (error / no error), Krippendorff's alpha on the units' MQM weight sums and,
for esa and da, on the 0-100 scores. Attention checks are left out; a unit counts once two or more
annotators finished it."""
from __future__ import annotations

from corpus.campaigns import CampaignStore
from corpus.typology import resolve_weights
from pipelines.agreement import Span, agreement, krippendorff_alpha
from pipelines.campaign.exports import judgements


def rated_units(corpus, name: str, value: str = "mqm") -> dict:
    campaign = CampaignStore(corpus).get(name)
    weights = resolve_weights(campaign["weights"])
    units: dict[str, dict[str, dict]] = {}
    for judgement in judgements(corpus, name):
        spans = [Span(f"{s['item']}:{s['side']}", s["start"], s["end"], s["severity"]) for s in judgement["spans"]]
        score = (sum(weights.weight(s["severity"], s["category"]) for s in judgement["spans"]) if value == "mqm"
                 else judgement["slot"]["score"])
        units.setdefault(judgement["unit"]["id"], {})[judgement["slot"]["annotator"]] = {"spans": spans, "score": score}
    return units


def campaign_agreement(corpus, name: str) -> dict:
    import numpy as np

    from pipelines.provenance import calque_signature, data_hash

    campaign = CampaignStore(corpus).get(name)
    units = rated_units(corpus, name)
    result = {"campaign": name, "protocol": campaign["protocol"], **agreement(units)}
    result["data_hash"] = data_hash(sorted(f"{unit}|{annotator}|{sorted((s.side, s.start, s.end, s.severity) for s in rated['spans'])}|{rated['score']}"
                                           for unit, raters in units.items() for annotator, rated in raters.items()))
    result["signature"] = calque_signature(f"metric:campaign-agreement|campaign:{name}|spans:greedy-1to1|kappa:error-vs-none|"
                                           f"alpha:krippendorff-interval|weights:{campaign['weights']}", result["data_hash"])
    if campaign["protocol"] in ("esa", "da"):
        scored = {k: v for k, v in rated_units(corpus, name, "score").items() if len(v) >= 2}
        annotators = sorted({a for raters in scored.values() for a in raters})
        matrix = np.full((len(annotators), len(scored)), np.nan)
        for column, key in enumerate(sorted(scored)):
            for row, annotator in enumerate(annotators):
                if annotator in scored[key] and scored[key][annotator]["score"] is not None:
                    matrix[row, column] = scored[key][annotator]["score"]
        result["score_krippendorff_alpha"] = krippendorff_alpha(matrix) if scored else None
    return result
