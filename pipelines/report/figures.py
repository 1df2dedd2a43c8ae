"""The report's figures, drawn with matplotlib (Agg, no display) and returned as PNG data URIs."""
from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DPI = 110
CLUSTER_COLOURS = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096"]
SEVERITY_COLOURS = {"Critical": "#742a2a", "Major": "#c53030", "Minor": "#ed8936", "Neutral": "#a0aec0"}
CATEGORY_COLOURS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568", "#9c4221"]


def _data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def score_bars(result: dict[str, Any]) -> str | None:
    """One panel per metric: each system's score with its 95% bootstrap CI, coloured by cluster."""
    metrics = [m for m in result["metrics"] if any(m in row["scores"] for row in result["systems"])]
    if not metrics:
        return None
    n_systems = max(len([r for r in result["systems"] if m in r["scores"]]) for m in metrics)
    columns = min(3, len(metrics))
    rows = (len(metrics) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 0.45 * n_systems * rows + 1.4 * rows), squeeze=False)
    for ax in axes.ravel()[len(metrics):]:
        ax.axis("off")
    for ax, metric in zip(axes.ravel(), metrics):
        info = result["metric_info"][metric]
        order = [s for s in result["significance"][metric]["order"]]
        cells = {r["system"]: r["scores"][metric] for r in result["systems"] if metric in r["scores"]}
        order = [s for s in order if s in cells]
        values = np.array([cells[s]["score"] for s in order])
        low = np.array([cells[s]["ci"]["low"] if cells[s].get("ci") else cells[s]["score"] for s in order])
        high = np.array([cells[s]["ci"]["high"] if cells[s].get("ci") else cells[s]["score"] for s in order])
        clusters = [cells[s].get("cluster") or 1 for s in order]
        colours = [CLUSTER_COLOURS[(c - 1) % len(CLUSTER_COLOURS)] for c in clusters]
        y = np.arange(len(order))[::-1]
        span = max(float(high.max() - low.min()), 1e-6)
        left = max(0.0, float(low.min()) - 0.6 * span)
        ax.barh(y, values - left, left=left, color=colours, alpha=0.85, height=0.62)
        ax.errorbar(values, y, xerr=[np.maximum(values - low, 0), np.maximum(high - values, 0)], fmt="none",
                    ecolor="#1a202c", elinewidth=1.2, capsize=3)
        for yi, value, top in zip(y, values, high):
            ax.text(top + 0.02 * span, yi, f"{value:.2f}", ha="left", va="center", fontsize=7.5, color="#1a202c")
        ax.set_yticks(y)
        ax.set_yticklabels([f"{_short(s)}  [{c}]" for s, c in zip(order, clusters)], fontsize=8.5)
        ax.set_xlim(left, float(high.max()) + 0.3 * span)
        direction = "higher is better" if info["higher_is_better"] else "lower is better"
        ax.set_title(f"{info['name']} ({direction})", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    figure.suptitle("Scores with 95% bootstrap confidence intervals; [n] = significance cluster", fontsize=10.5)
    figure.tight_layout()
    return _data_uri(figure)


def findings_heatmap(checks: dict[str, Any], systems: list[str]) -> str | None:
    types = checks.get("types") or []
    systems = [s for s in systems if s in checks["counts"]]
    if not types or not systems:
        return None
    matrix = np.array([[checks["counts"][s].get(t, 0) for t in types] for s in systems], dtype=float)
    per_100 = np.array([100.0 * checks["counts"][s].get(t, 0) / max(checks["segments"].get(s) or 1, 1) for s in systems for t in types])
    per_100 = per_100.reshape(len(systems), len(types))
    figure, ax = plt.subplots(figsize=(max(5.5, 0.9 * len(types) + 2.5), 0.5 * len(systems) + 1.8))
    image = ax.imshow(per_100, cmap="Oranges", aspect="auto")
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels(types, rotation=35, ha="right", fontsize=8.5)
    ax.set_yticks(range(len(systems)))
    ax.set_yticklabels([_short(s) for s in systems], fontsize=8.5)
    top = per_100.max() if per_100.size else 0
    for i in range(len(systems)):
        for j in range(len(types)):
            ax.text(j, i, f"{int(matrix[i, j])}", ha="center", va="center", fontsize=8,
                    color="white" if top and per_100[i, j] > 0.6 * top else "#1a202c")
    colourbar = figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    colourbar.set_label("per 100 segments", fontsize=8)
    ax.set_title("Check findings per system and type (cell: count)", fontsize=10)
    figure.tight_layout()
    return _data_uri(figure)


def mqm_breakdown(mqm: dict[str, Any]) -> str | None:
    breakdown = mqm.get("breakdown") or {}
    systems = [r["system"] for r in mqm.get("systems", []) if r["system"] in breakdown]
    if not systems:
        return None
    categories = sorted({c for s in systems for c in breakdown[s]})
    severities = [s for s in SEVERITY_COLOURS if any(s in breakdown[x].get(c, {}) for x in systems for c in categories)]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10.5, 0.5 * len(systems) + 2.4))
    y = np.arange(len(systems))[::-1]
    base = np.zeros(len(systems))
    for k, category in enumerate(categories):
        values = np.array([sum(v["penalty"] for v in breakdown[s].get(category, {}).values()) for s in systems])
        left.barh(y, values, left=base, color=CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)], label=category, height=0.62)
        base += values
    left.set_yticks(y)
    left.set_yticklabels([_short(s) for s in systems], fontsize=8.5)
    left.set_title("Weighted MQM penalty by category", fontsize=10)
    left.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    left.grid(axis="x", alpha=0.3)
    base = np.zeros(len(systems))
    for severity in severities:
        values = np.array([sum(breakdown[s].get(c, {}).get(severity, {}).get("count", 0) for c in categories) for s in systems])
        right.barh(y, values, left=base, color=SEVERITY_COLOURS[severity], label=severity, height=0.62)
        base += values
    right.set_yticks(y)
    right.set_yticklabels([])
    right.set_title("Errors by severity (count)", fontsize=10)
    right.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
    right.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return _data_uri(figure)


def term_success(terminology: dict[str, Any]) -> str | None:
    systems = [s for s, row in terminology.get("systems", {}).items() if row.get("success_rate") is not None]
    if not systems:
        return None
    values = np.array([terminology["systems"][s]["success_rate"] for s in systems])
    figure, ax = plt.subplots(figsize=(6.5, 0.45 * len(systems) + 1.4))
    y = np.arange(len(systems))[::-1]
    ax.barh(y, 100 * values, color="#2f855a", height=0.6)
    for yi, value in zip(y, values):
        ax.text(100 * value + 1, yi, f"{100 * value:.1f}%", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([_short(s) for s in systems], fontsize=8.5)
    ax.set_xlim(0, 110)
    ax.set_xlabel("term occurrences in an expected (approved) form, %", fontsize=8.5)
    ax.set_title("Terminology success per system", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return _data_uri(figure)


def campaign_means(campaign: dict[str, Any]) -> str | None:
    """One panel per measure of a human evaluation campaign: each system's mean with its 95% bootstrap CI,
    coloured by rank cluster."""
    measures = [(name, data) for name, data in campaign["measures"].items() if data["systems"]]
    if not measures:
        return None
    n_systems = max(len(data["systems"]) for _, data in measures)
    figure, axes = plt.subplots(1, len(measures), figsize=(4.6 * len(measures), 0.45 * n_systems + 1.4), squeeze=False)
    for ax, (name, data) in zip(axes.ravel(), measures):
        rows = data["systems"]
        values = np.array([r["mean"] for r in rows])
        low, high = np.array([r["ci_low"] for r in rows]), np.array([r["ci_high"] for r in rows])
        clusters = [r["cluster"] or 1 for r in rows]
        y = np.arange(len(rows))[::-1]
        ax.barh(y, values, color=[CLUSTER_COLOURS[(c - 1) % len(CLUSTER_COLOURS)] for c in clusters], alpha=0.85, height=0.62)
        ax.errorbar(values, y, xerr=[np.maximum(values - low, 0), np.maximum(high - values, 0)], fmt="none",
                    ecolor="#1a202c", elinewidth=1.2, capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels([f"{_short(r['system'])}  [{c}]" for r, c in zip(rows, clusters)], fontsize=8.5)
        direction = "higher is better" if data["higher_is_better"] else "lower is better"
        ax.set_title(f"{name} ({direction})", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    figure.suptitle(f"Campaign {_short(campaign['name'], 40)}: means with 95% bootstrap CIs; [n] = rank cluster", fontsize=10.5)
    figure.tight_layout()
    return _data_uri(figure)
