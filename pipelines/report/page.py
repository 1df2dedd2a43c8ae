"""The HTML report: one self-contained file (inline CSS, figures as PNG data URIs, no script, no external
resource) rendered from a benchmark result. Every piece of text from the data is escaped."""
from __future__ import annotations

import html
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from corpus.atomic import atomic_write
from pipelines.report import figures
from pipelines.report.diffs import char_diff

CSS = """
:root { --ink:#1a202c; --muted:#4a5568; --line:#e2e8f0; --accent:#2b6cb0; --bg:#f7fafc; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 22px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; } .meta code { font-size: 12px; }
nav { margin: 8px 0 14px; } nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
.kind { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; min-width: 4em; }  /* long headers (finding types) wrap at their hyphens */
tr.cluster-start td { border-top: 2px solid #718096; }
.cluster { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 9px; color: #fff; font-size: 11px; padding: 0 5px; }
.ci { color: var(--muted); font-size: 11.5px; }
figure { margin: 10px 0 18px; } figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 12.5px; }
.note { color: var(--muted); font-size: 12.5px; max-width: 900px; }
.seg { font-size: 13px; width: 100%; table-layout: fixed; }
.seg td { word-wrap: break-word; }
del { background: #fed7d7; color: #742a2a; text-decoration: none; border-radius: 2px; }
ins { background: #c6f6d5; color: #22543d; text-decoration: none; border-radius: 2px; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
.yes { color: #276749; } .no { color: #9b2c2c; } .warn { color: #975a16; }
footer { margin-top: 36px; padding: 14px 24px 28px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
footer code { word-break: break-all; }
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def _table(headers: list[tuple[str, bool]], rows: Iterable[list[str]], row_classes: list[str] | None = None) -> str:
    head = "".join(f'<th class="num">{esc(h)}</th>' if numeric else f"<th>{esc(h)}</th>" for h, numeric in headers)
    body = []
    for index, row in enumerate(rows):
        cells = "".join(f'<td class="num">{c}</td>' if numeric else f"<td>{c}</td>" for c, (_, numeric) in zip(row, headers))
        css = f' class="{row_classes[index]}"' if row_classes and row_classes[index] else ""
        body.append(f"<tr{css}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _cluster_badge(cluster: int | None) -> str:
    if cluster is None:
        return "–"
    colour = figures.CLUSTER_COLOURS[(cluster - 1) % len(figures.CLUSTER_COLOURS)]
    return f'<span class="cluster" style="background:{colour}">{int(cluster)}</span>'


def _figure(uri: str | None, alt: str, caption: str) -> str:
    if not uri:
        return ""
    return f'<figure><img src="{uri}" alt="{esc(alt)}"><figcaption>{esc(caption)}</figcaption></figure>'


def overview_section(result: dict[str, Any]) -> str:
    metrics = result["metrics"]
    first = metrics[0]
    checks, mqm, terms = result.get("checks"), result.get("mqm"), result.get("terminology")
    mqm_scores = {r["system"]: r["score"] for r in (mqm or {}).get("systems", [])}
    headers = [("cluster", False), ("system", False)]
    headers += [(result["metric_info"][m]["name"] if m in result["metric_info"] else m, True) for m in metrics]
    if checks:
        headers.append(("findings / 100 seg.", True))
    if terms:
        headers.append(("term success", True))
    if mqm_scores:
        headers.append(("MQM ↓", True))
    rows, classes, previous = [], [], None
    for entry in result["systems"]:
        system, scores = entry["system"], entry["scores"]
        cluster = scores.get(first, {}).get("cluster")
        row = [_cluster_badge(cluster), esc(system)]
        for metric in metrics:
            cell = scores.get(metric)
            if not cell:
                row.append("–")
                continue
            ci = cell.get("ci")
            ci_text = f' <span class="ci">±{_num(ci["halfwidth"])}</span>' if ci else ""
            badge = f" {_cluster_badge(cell.get('cluster'))}" if metric != first and cell.get("cluster") is not None else ""
            row.append(f"{_num(cell['score'])}{ci_text}{badge}")
        if checks:
            n = checks["segments"].get(system) or 0
            row.append(_num(100 * checks["totals"].get(system, 0) / n, 1) if n else "–")
        if terms:
            rate = terms["systems"].get(system, {}).get("success_rate")
            row.append("–" if rate is None else f"{100 * rate:.1f}%")
        if mqm_scores:
            row.append(_num(mqm_scores.get(system)))
        rows.append(row)
        classes.append("cluster-start" if previous is not None and cluster != previous else "")
        previous = cluster
    sig = result["significance"].get(first, {})
    if sig.get("test"):
        test = {"bs": "paired bootstrap resampling", "ar": "paired approximate randomization"}[sig["test"]]
        note = (f"Systems are ordered by {esc(result['metric_info'][first]['name'])}. A cluster (coloured number) groups systems "
                f"that are not significantly different: {esc(test)} ({esc(sig['n_samples'])} resamples) between every pair, "
                f"p-values corrected with {esc(sig['correction'])} across all pairs, α = {esc(sig['alpha'])}; a new cluster starts "
                f"at a system that a member of the cluster above significantly outperforms (as in the WMT findings). "
                f"Other metrics show their own cluster after the score; ± is the 95% bootstrap CI half-width.")
    else:
        note = esc(sig.get("note") or "No paired test was run (one system, or no resamples).")
    return (f'<section id="overview"><h2>Systems</h2>{_table(headers, rows, classes)}<p class="note">{note}</p>'
            f"{_figure(figures.score_bars(result), 'Score bars with confidence intervals', 'Each bar is a system score; whiskers span the 95% bootstrap confidence interval; colours are significance clusters.')}"
            "</section>")


def pairs_section(result: dict[str, Any]) -> str:
    parts = []
    for metric in result["metrics"]:
        pairs = result["significance"].get(metric, {}).get("pairs") or []
        if not pairs:
            continue
        rows = [[esc(p["better"]), esc(p["worse"]), _num(p["delta"]), _num(p["p_value"], 4), _num(p["p_adjusted"], 4),
                 '<span class="yes">yes</span>' if p["significant"] else '<span class="no">no</span>'] for p in pairs]
        table = _table([("ahead", False), ("behind", False), ("Δ", True), ("p", True), ("p adj.", True), ("significant", False)], rows)
        parts.append(f"<details><summary>{esc(result['metric_info'][metric]['name'])}: {len(pairs)} pairs</summary>{table}</details>")
    if not parts:
        return ""
    return '<section id="pairs"><h2>Pairwise tests</h2>' + "".join(parts) + "</section>"


def mqm_section(mqm: dict[str, Any] | None) -> str:
    if not mqm:
        return ""
    breakdown = mqm.get("breakdown") or {}
    categories = sorted({c for cats in breakdown.values() for c in cats})
    headers = [("system", False), ("MQM ↓", True), ("segments", True), ("errors", True)] + [(c, True) for c in categories]
    rows = []
    for row in mqm["systems"]:
        cats = breakdown.get(row["system"], {})
        cells = []
        for category in categories:
            by_severity = cats.get(category, {})
            cells.append(" ".join(f"{esc(sev[:3])} {v['count']}" for sev, v in sorted(by_severity.items())) or "–")
        rows.append([esc(row["system"]), _num(row["score"]), str(row["segments"]), str(row["errors"]), *cells])
    caption = f"MQM weights {mqm.get('weights')}; lower is better; penalties per category on the left, counts per severity on the right."
    return (f'<section id="mqm"><h2>MQM errors</h2>{_table(headers, rows)}'
            f"{_figure(figures.mqm_breakdown(mqm), 'MQM error breakdown', caption)}</section>")


def campaigns_section(campaigns: list[dict[str, Any]] | None) -> str:
    """Human evaluation campaigns of the corpus: progress, per-system means with CIs and clusters, agreement."""
    if not campaigns:
        return ""
    parts = []
    for campaign in campaigns:
        alpha = campaign["krippendorff_alpha"]
        parts.append(f"<h3>{esc(campaign['name'])}</h3><p class=\"note\">{esc(campaign['protocol'].upper())}, {esc(campaign['status'])}: "
                     f"{campaign['done']} of {campaign['slots']} assignments done by {campaign['annotators']} annotators; "
                     f"Krippendorff's alpha {_num(alpha, 3)} on {campaign['agreement_items']} items rated twice or more.</p>")
        for measure, data in campaign["measures"].items():
            direction = "↑" if data["higher_is_better"] else "↓"
            headers = [("cluster", False), ("system", False), (f"{measure} {direction}", True), ("95% CI", True), ("items", True)]
            rows = [[_cluster_badge(r["cluster"]), esc(r["system"]), _num(r["mean"]), f"[{_num(r['ci_low'])}, {_num(r['ci_high'])}]",
                     str(r["items"])] for r in data["systems"]]
            parts.append(_table(headers, rows))
        caption = "Systems compared on the items all of them were judged on (paired bootstrap); unpaired when fewer than two are shared."
        parts.append(_figure(figures.campaign_means(campaign), f"Campaign {campaign['name']} system means", caption))
    return '<section id="campaigns"><h2>Human evaluation campaigns</h2>' + "".join(parts) + "</section>"


META_EVAL_COLUMNS = [("sys_pearson", "sys Pearson", None), ("sys_accuracy", "sys accuracy", "sys_accuracy_rank"),
                     ("sys_spa", "sys SPA", "sys_spa_rank"), ("seg_pearson", "seg Pearson", None),
                     ("seg_kendall_tau_b", "seg Kendall τb", None), ("seg_acc_eq", "seg acc_eq", "seg_acc_eq_rank"),
                     ("acc_eq_epsilon", "acc_eq ε", None)]


def _p_value_table(comparison: dict[str, Any]) -> str:
    metrics = comparison.get("metrics") or []
    headers = [("rank", False), ("metric", False), (comparison["statistic"], True)] + [(m, True) for m in metrics]
    rows = []
    for metric, rank, value in zip(metrics, comparison.get("ranks") or [], comparison.get("values") or []):
        cells = []
        for other in metrics:
            p = (comparison.get("p_values") or {}).get(metric, {}).get(other)
            text = "–" if p is None else _num(p, 3)
            cells.append(f"<strong>{text}</strong>" if p is not None and p <= comparison["alpha"] else text)
        rows.append([_cluster_badge(rank), esc(metric), _num(value, 4), *cells])
    return _table(headers, rows)


def metaeval_section(reports: list[dict[str, Any]] | None) -> str:
    """Stored meta-evaluations of the corpus: each metric's agreement with the human scores, its significance
    cluster on sys accuracy, SPA and acc_eq, and the p-values between metrics."""
    if not reports:
        return ""
    parts = []
    for report in reports:
        parts.append(f"<h3>{esc(report.get('name'))}: {esc(report.get('human'))} vs metrics</h3>"
                     f"<p class=\"note\">{esc(len(report.get('systems') or []))} systems, {esc(report.get('items'))} items, "
                     f"{esc(report.get('rated_segments'))} rated segments; reference {esc(report.get('reference'))}; "
                     f"stored {esc(report.get('created_at'))}.</p>")
        headers = [("metric", False)] + [(label, True) for _, label, _ in META_EVAL_COLUMNS]
        rows = []
        for row in report.get("rows") or []:
            cells = [esc(row.get("metric"))]
            for key, _, rank_key in META_EVAL_COLUMNS:
                badge = f" {_cluster_badge(row.get(rank_key))}" if rank_key and row.get(rank_key) is not None else ""
                cells.append(f"{_num(row.get(key), 4)}{badge}")
            rows.append(cells)
        parts.append(_table(headers, rows))
        comparisons = report.get("significance") or {}
        tested = [c for c in comparisons.values() if c.get("samples")]
        if tested:
            first = tested[0]
            parts.append(f"<p class=\"note\">The coloured number is the metric's significance cluster: metrics ordered by the "
                         f"statistic, a new cluster starting at a metric that one of the cluster above beats with p ≤ "
                         f"{esc(first['alpha'])} (mt-metrics-eval's permutation tests between every two metrics, "
                         f"{esc(first['samples'])} draws, seed {esc(first['seed'])}, as in WMT24). SPA is soft pairwise "
                         "accuracy: 1 − the mean gap between the human and the metric p-values of every system pair.</p>")
            for comparison in tested:
                parts.append(f"<details><summary>{esc(comparison['statistic'])}: one-sided p-value that the row metric beats "
                             f"the column metric ({esc(comparison.get('test'))})</summary>{_p_value_table(comparison)}</details>")
    return '<section id="metaeval"><h2>Metric meta-evaluation</h2>' + "".join(parts) + "</section>"


def checks_section(checks: dict[str, Any] | None, systems: list[str]) -> str:
    if not checks:
        return ""
    types = checks.get("types") or []
    shown = [s for s in systems if s in checks["counts"]]
    headers = [("system", False), ("segments", True), ("flagged", True), ("findings", True)] + [(t, True) for t in types]
    rows = [[esc(s), str(checks["segments"].get(s, 0)), str(checks["segments_flagged"].get(s, 0)), str(checks["totals"].get(s, 0)),
             *[str(checks["counts"][s].get(t, 0)) for t in types]] for s in shown]
    examples = []
    for system in shown:
        items = checks["findings"].get(system) or []
        if not items:
            continue
        where = [esc(f["translation"]) + " " if f.get("translation") else "" for f in items[:40]]
        lines = [[f"{w}{f['segment'] + 1}", f'<span class="kind">{esc(f["type"])}</span>', f"<q>{esc(f.get('text'))}</q>",
                  esc(f.get("message"))]
                 for w, f in zip(where, items[:40])]
        more = f" (first 40 of {checks['totals'].get(system, len(items))})" if checks["totals"].get(system, 0) > 40 else ""
        examples.append(f"<details><summary>{esc(system)}: findings{esc(more)}</summary>"
                        f"{_table([('segment', True), ('type', False), ('span', False), ('message', False)], lines)}</details>")
    origin = f" Findings come from the corpus's {esc(checks['origin'])}." if checks.get("origin") else ""
    return (f'<section id="checks"><h2>Check findings</h2>{_table(headers, rows)}'
            f'<p class="note">Deterministic artifact checks: {esc(", ".join(checks.get("checks", [])))}.{origin}</p>'
            f"{_figure(figures.findings_heatmap(checks, shown), 'Check findings heatmap', 'Colour: findings per 100 segments; number: count.')}"
            f"{''.join(examples)}</section>")


def _term_verdict(cell: dict[str, Any]) -> str:
    """Coloured by correctness first: one rendering throughout is only green when it is an expected one."""
    consistent, found, total = cell.get("consistent"), cell.get("found", 0), cell.get("total", 0)
    if consistent is None or not total:
        return ""
    if found == total:
        label, css = ("consistent, correct", "yes") if consistent else ("correct, varied", "yes")
    elif found == 0:
        label, css = ("consistently wrong", "no") if consistent else ("wrong, inconsistent", "no")
    else:
        label, css = "partly wrong, inconsistent" if not consistent else "partly wrong", "warn"
    return f' <span class="{css}">{label}</span>'


def terminology_section(terms: dict[str, Any] | None, systems: list[str]) -> str:
    if not terms:
        return ""
    shown = [s for s in systems if s in terms.get("systems", {})] or sorted(terms.get("systems", {}))
    summary = [[esc(s), "–" if terms["systems"][s].get("success_rate") is None else f"{100 * terms['systems'][s]['success_rate']:.1f}%",
                f"{terms['systems'][s].get('matched', 0)}/{terms['systems'][s].get('total', 0)}",
                _num(terms["systems"][s].get("consistency"), 3)] for s in shown]
    per_term = []
    for term, by_system in sorted(terms.get("terms", {}).items(), key=lambda kv: kv[0].lower()):
        row = [esc(term)]
        for system in shown:
            cell = by_system.get(system)
            if not cell:
                row.append("–")
                continue
            mark = _term_verdict(cell)
            forms = cell.get("renderings") or {}
            shown_forms = "; ".join(f"{esc(form)} ×{count}" for form, count in list(forms.items())[:4])
            row.append(f"{cell['found']}/{cell['total']}{mark}" + (f'<br><span class="ci">{shown_forms}</span>' if shown_forms else ""))
        per_term.append(row)
    headers = [("term", False)] + [(s, False) for s in shown]
    return (f'<section id="terminology"><h2>Terminology</h2>'
            f"{_table([('system', False), ('success', True), ('matched', True), ('consistency', True)], summary)}"
            f"{_figure(figures.term_success(terms), 'Terminology success per system', 'Share of term occurrences rendered in an expected form.')}"
            f"<h3>Per term</h3>{_table(headers, per_term)}"
            f'<p class="note">Per term: occurrences in an expected form / all occurrences found. Green: every occurrence in an '
            f'expected form; amber: some; red: none (&ldquo;consistently wrong&rdquo;: one rendering throughout, not an expected one). '
            f"Source: {esc(terms.get('source'))}.</p></section>")


def worst_section(result: dict[str, Any]) -> str:
    worst = result.get("worst_segments")
    if not worst or not worst.get("systems"):
        return ""
    name = result["metric_info"].get(worst["metric"], {}).get("name", worst["metric"])
    parts = []
    for system in [row["system"] for row in result["systems"] if row["system"] in worst["systems"]]:
        rows = []
        for segment in worst["systems"][system]:
            reference, hypothesis = char_diff(segment["reference"], segment["hypothesis"])
            source = esc(segment.get("source")) if segment.get("source") is not None else '<span class="ci">(source not paired)</span>'
            rows.append(f'<tr><td class="num">{segment["segment"] + 1}</td><td class="num">{_num(segment["score"], 1)}</td>'
                        f"<td>{source}</td><td>{reference}</td><td>{hypothesis}</td></tr>")
        if rows:
            parts.append(f"<details><summary>{esc(system)}</summary><table class=\"seg\"><colgroup><col style=\"width:4em\">"
                         "<col style=\"width:4.5em\"><col><col><col></colgroup><thead><tr><th class=\"num\">#</th>"
                         f"<th class=\"num\">{esc(name)}</th><th>source</th><th>reference</th><th>translation</th></tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table></details>")
    return (f'<section id="worst"><h2>Worst segments</h2><p class="note">Lowest segment {esc(name)} per system. '
            "In the reference, <del>red</del> marks text the translation lacks; in the translation, <ins>green</ins> marks "
            f"text the reference lacks.</p>{''.join(parts)}</section>")


def footer(result: dict[str, Any]) -> str:
    lines = [f"<div>Data hash: <code>{esc(result['testset']['data_hash'])}</code></div>",
             f"<div>Calque {esc(result['tool_version'])}; generated {esc(datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))}</div>"]
    for metric in result["metrics"]:
        info = result["metric_info"].get(metric)
        if info:
            lines.append(f"<div>{esc(info['name'])}: <code>{esc(info['calque_signature'])}</code>"
                         f" — segments: <code>{esc(info.get('segment_signature'))}</code></div>")
    for key, label in (("checks", "Checks"), ("terminology", "Terminology"), ("mqm", "MQM")):
        section = result.get(key)
        if section and section.get("signature"):
            lines.append(f"<div>{label}: <code>{esc(section['signature'])}</code></div>")
    for campaign in result.get("campaigns") or []:
        lines.append(f"<div>Campaign {esc(campaign['name'])}: <code>{esc(campaign['signature'])}</code></div>")
    for report in result.get("meta_eval") or []:
        lines.append(f"<div>Meta-evaluation {esc(report.get('name'))}: <code>{esc(report.get('calque_signature'))}</code></div>")
    hashes = []
    for row in result["systems"]:
        first = next(iter(row["scores"].values()), None)
        if first and first.get("data_hash"):
            hashes.append(f"{esc(row['system'])} <code>{esc(first['data_hash'].split(':')[-1][:16])}</code>")
    if hashes:
        lines.append("<div>Per-system data (hypotheses + references): " + ", ".join(hashes) + "</div>")
    return "<footer>" + "".join(lines) + "</footer>"


def render_report(result: dict[str, Any]) -> str:
    testset = result["testset"]
    systems = [row["system"] for row in result["systems"]]
    sections = [
        overview_section(result) if result["metric_info"] else "",
        pairs_section(result),
        mqm_section(result.get("mqm")),
        checks_section(result.get("checks"), systems),
        terminology_section(result.get("terminology"), systems),
        campaigns_section(result.get("campaigns")),
        metaeval_section(result.get("meta_eval")),
        worst_section(result),
    ]
    nav_items = [(key, label) for key, label in (("overview", "Systems"), ("pairs", "Pairwise tests"), ("mqm", "MQM"),
                                                  ("checks", "Checks"), ("terminology", "Terminology"), ("campaigns", "Campaigns"),
                                                  ("metaeval", "Meta-evaluation"), ("worst", "Worst segments"))
                 if any(f'id="{key}"' in s for s in sections)]
    nav = "".join(f'<a href="#{key}">{esc(label)}</a>' for key, label in nav_items)
    refs = ", ".join(testset.get("references") or [])
    meta = (f"{esc(testset.get('langs'))} · {esc(testset.get('segments'))} segments · {len(systems)} systems · "
            f"references: {esc(refs)} · data <code>{esc(testset['data_hash'].split(':')[-1][:16])}</code>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(result.get('title') or testset.get('name'))} — Calque report</title><style>{CSS}</style></head><body>"
            f"<header><h1>{esc(result.get('title') or testset.get('name'))}</h1><p class=\"meta\">{meta}</p><nav>{nav}</nav></header>"
            f"<main>{''.join(sections)}</main>{footer(result)}</body></html>\n")


def write_report(result: dict[str, Any], path: str | Path) -> Path:
    """Render and write atomically; returns the path."""
    path = Path(path)
    text = render_report(result)
    with atomic_write(path) as stream:
        stream.write(text)
    return path
