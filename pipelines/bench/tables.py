"""The benchmark overview as a table: one row per system (best first by the first metric), each metric's
score, 95% CI half-width and significance cluster, then check findings, terminology and MQM when present.
Formats: text, json (the whole result), csv, markdown, latex."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from corpus.errors import InputError

FORMATS = ("text", "json", "csv", "markdown", "latex")


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
            row["term_success"] = terms[system]["success_rate"]
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
    lines = [shown.to_string(index=False), ""]
    for metric in result["metrics"]:
        lines.append(f"{metric}: {result['metric_info'][metric]['calque_signature']}")
    for key in ("checks", "terminology", "mqm"):
        if (result.get(key) or {}).get("signature"):
            lines.append(f"{key}: {result[key]['signature']}")
    return "\n".join(lines) + "\n"
