"""A campaign's HTML report: progress and quality control per annotator (assigned, done, attention checks
passed, time per item), the per-system table with confidence intervals and clusters, and agreement per
annotator pair. One self-contained page; every value is escaped."""
from __future__ import annotations

from html import escape

from pipelines.campaign.agreement import campaign_agreement
from pipelines.campaign.exports import system_table
from pipelines.campaign.quality import status

STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2329}table{border-collapse:collapse;margin:0.5rem 0 1.5rem}"
         "td,th{border-bottom:1px solid #dde2e7;padding:0.3rem 0.6rem;text-align:left}td.n{text-align:right}.muted{color:#66707a}")


def _number(value, digits: int = 2, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{escape(str(c))}</td>' if isinstance(c, (int, float)) else f"<td>{escape(str(c))}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def campaign_report(corpus, name: str) -> str:
    progress = status(corpus, name)
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Campaign {escape(name)}</title><style>{STYLE}</style></head><body>",
             f"<h1>Campaign {escape(name)}</h1>",
             f"<p class=muted>{escape(progress['protocol'].upper())}, one {escape(progress['unit'])} per item, overlap {progress['overlap']}, "
             f"{escape(progress['status'])}: {progress['done']} of {progress['slots']} assignments done, {progress['units_complete']} of "
             f"{progress['units'] + progress['attention_checks']} items complete ({progress['attention_checks']} attention checks).</p>",
             "<h2>Annotators and quality control</h2>",
             _table(["annotator", "assigned", "done", "attention checks done", "passed", "pass rate", "median s / item", "spans"],
                    [[p["annotator"], p["assigned"], p["done"], p["checks_done"], p["checks_passed"],
                      _number(None if p["check_pass_rate"] is None else 100 * p["check_pass_rate"], 0, "%"),
                      _number(p["seconds_per_item_median"], 1), p["spans"]] for p in progress["annotators"]]),
             f"<p class=muted>Suggestions accepted: {progress['suggestions']['accepted']}, dismissed: {progress['suggestions']['dismissed']}; "
             f"gold decisions: {progress['gold_decisions']}.</p>"]
    table = system_table(corpus, name)
    for measure, data in table["measures"].items():
        direction = "higher is better" if data["higher_is_better"] else "lower is better"
        parts.append(f"<h2>Systems: {escape(measure)} ({direction})</h2>")
        parts.append(_table(["cluster", "system", "mean", "95% CI", "items"],
                            [[row["cluster"] if row["cluster"] is not None else "–", row["system"], _number(row["mean"]),
                              f"[{row['ci_low']:.2f}, {row['ci_high']:.2f}]", row["items"]] for row in data["systems"]]))
    parts.append(f"<p class=muted>{escape(table['signature'])}</p>")
    agreement = campaign_agreement(corpus, name)
    parts.append(f"<h2>Agreement before adjudication</h2><p class=muted>{agreement['segments']} items with two or more annotators; "
                 f"Krippendorff's alpha on MQM weights: {_number(agreement['krippendorff_alpha'], 3)}</p>")
    parts.append(_table(["pair", "items", "Cohen's kappa", "span F1 (overlap)", "span F1 (exact)"],
                        [[f"{p['reference']} / {p['hypothesis']}", p["segments"], _number(p["cohen_kappa"], 3),
                          _number(p["spans"]["overlap"]["f1"], 3), _number(p["spans"]["exact"]["f1"], 3)] for p in agreement["pairwise"]]))
    parts.append("</body></html>\n")
    return "".join(parts)


def campaign_summaries(corpus) -> list[dict]:
    """What the corpus report shows of each campaign: progress, the per-system table and agreement."""
    from corpus.campaigns import CampaignStore

    summaries = []
    for campaign in CampaignStore(corpus).list():
        name = campaign["id"]
        progress = status(corpus, name)
        table = system_table(corpus, name)
        agreement = campaign_agreement(corpus, name) if progress["done"] else None
        summaries.append({
            "name": name, "protocol": progress["protocol"], "status": progress["status"], "done": progress["done"],
            "slots": progress["slots"], "annotators": len(progress["annotators"]), "measures": table["measures"],
            "signature": table["signature"],
            "krippendorff_alpha": None if agreement is None else agreement["krippendorff_alpha"],
            "agreement_items": 0 if agreement is None else agreement["segments"],
        })
    return summaries
