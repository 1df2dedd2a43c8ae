"""The benchmark overview as a table: one row per system (best first by the first metric), each metric's
score, 95% CI half-width and significance cluster, then check findings, terminology and MQM when present.
Formats: text, json (the whole result), csv, markdown, latex."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from corpus.errors import InputError

FORMATS = ("text", "json", "csv", "markdown", "latex")
METRIC_LABELS = {"bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER"}


def overview_frame(result: dict[str, Any]) -> pd.DataFrame:
    rows = []
    mqm = {r["system"]: r["score"] for r in (result.get("mqm") or {}).get("systems", [])}
    checks = result.get("checks")
    terms = (result.get("terminology") or {}).get("systems", {})
    for entry in result["systems"]:
        system = entry["system"]
        row: dict[str, Any] = {"system": system}
        for metric in result["metrics"]:
            cell = entry["scores"].get(metric)
            if cell is None:
                continue
            row[f"{metric}"] = round(cell["score"], 4)
            if cell.get("ci"):
                row[f"{metric}_ci95"] = round(cell["ci"]["halfwidth"], 4)
            if cell.get("cluster") is not None:
                row[f"{metric}_cluster"] = cell["cluster"]
        if checks:
            n = checks["segments"].get(system) or 0
            row["findings"] = checks["totals"].get(system, 0)
            row["findings_per_100"] = round(100 * row["findings"] / n, 2) if n else None
        if system in terms:
            rate = terms[system]["success_rate"]
            row["term_success"] = None if rate is None else round(rate, 4)
        if system in mqm:
            row["mqm"] = round(mqm[system], 4)
        rows.append(row)
    return pd.DataFrame(rows)


def _latex_escape(value: Any) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                          ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")):
        text = text.replace(char, escaped)
    return text


def latex_table(frame: pd.DataFrame, caption: str) -> str:
    align = "l" + "r" * (len(frame.columns) - 1)
    lines = [r"\begin{table}[t]", r"\centering", rf"\begin{{tabular}}{{{align}}}", r"\toprule",
             " & ".join(_latex_escape(c) for c in frame.columns) + r" \\", r"\midrule"]
    previous = None
    cluster_column = next((c for c in frame.columns if c.endswith("_cluster")), None)
    for row in frame.itertuples(index=False):
        values = dict(zip(frame.columns, row))
        if cluster_column and previous is not None and values[cluster_column] != previous:
            lines.append(r"\midrule")
        previous = values.get(cluster_column) if cluster_column else None
        lines.append(" & ".join(_latex_escape(values[c]) for c in frame.columns) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", rf"\caption{{{_latex_escape(caption)}}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def _number(value, digits: int) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else f"{value:,.{digits}f}"


def text_table(result: dict[str, Any]) -> str:
    """The overview for people: one column per metric as 'score ±CI95 [cluster]', rounded, numbers right-aligned."""
    frame = overview_frame(result)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    headers = ["system"]
    for metric in result["metrics"]:
        if metric in frame:
            headers.append(METRIC_LABELS.get(metric, metric))
    extra = [("findings", "findings"), ("findings_per_100", "per 100 seg."), ("term_success", "term success"), ("mqm", "MQM")]
    headers += [label for column, label in extra if column in frame]
    rows = []
    for record in records:
        row = [str(record["system"])]
        for metric in result["metrics"]:
            if metric not in frame:
                continue
            cell = _number(record.get(metric), 2)
            if cell and record.get(f"{metric}_ci95") is not None:
                cell += f" ±{record[f'{metric}_ci95']:.2f}"
            if cell and record.get(f"{metric}_cluster") is not None:
                cell += f" [{int(record[f'{metric}_cluster'])}]"
            row.append(cell)
        for column, _label in extra:
            if column not in frame:
                continue
            value = record.get(column)
            if column == "findings":
                row.append("" if value is None else f"{int(value):,}")
            elif column == "term_success":
                row.append("" if value is None else f"{100 * value:.1f}%")
            else:
                row.append(_number(value, 2))
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    legend = ["score ±95% CI half-width [significance cluster: 1 = best group]"] if any("[" in c for r in rows for c in r[1:]) else []
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows), *legend])


def format_table(result: dict[str, Any], fmt: str = "text") -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown table format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2, default=str)
    frame = overview_frame(result)
    if fmt == "csv":
        return frame.to_csv(index=False)
    shown = frame.astype(object).where(frame.notna(), "")  # systems without a score show blanks, not NaN
    if fmt == "markdown":
        return shown.to_markdown(index=False) + "\n"
    caption = f"{result.get('title', '')}; data {result['testset']['data_hash'].split(':')[-1][:16]}; calque {result['tool_version']}"
    if fmt == "latex":
        return latex_table(frame, caption)
    lines = [text_table(result), ""]
    for metric in result["metrics"]:
        lines.append(f"{metric}: {result['metric_info'][metric]['calque_signature']}")
    for key in ("checks", "terminology", "mqm"):
        if (result.get(key) or {}).get("signature"):
            lines.append(f"{key}: {result[key]['signature']}")
    return "\n".join(lines) + "\n"
