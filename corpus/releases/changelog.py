"""Changelog entries written from the change journal: what was added, changed and removed, and by whom."""
from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, select

from corpus import schema
from corpus.releases.card import _md

EXAMPLES = 3
ACTION_WORDS = {"insert": "added", "update": "changed", "delete": "removed"}


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value


def _rows_of(action: str, before, after) -> int:
    """A bulk entry (one per imported text or alignment run) stands for many rows."""
    if action == "insert" and isinstance(after, dict) and isinstance(after.get("rows"), int):
        return after["rows"]
    if action == "delete" and isinstance(before, dict) and isinstance(before.get("rows"), list):
        return len(before["rows"])
    return 1


def journal_summary(connection: Connection, after_seq: int, up_to_seq: int) -> dict:
    """Group the journal entries after_seq < seq <= up_to_seq by table, action and actor."""
    j = schema.journal
    query = select(j.c.seq, j.c.actor, j.c.action, j.c.entity, j.c.entity_id, j.c.before, j.c.after).where(j.c.seq > after_seq, j.c.seq <= up_to_seq).order_by(j.c.seq)
    groups: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"entries": 0, "rows": 0, "examples": [], "fields": set()})
    entries = 0
    for seq, actor, action, entity, entity_id, before, after in connection.execute(query):
        before, after = _loaded(before), _loaded(after)
        group = groups[(entity, action, actor)]
        group["entries"] += 1
        group["rows"] += _rows_of(action, before, after)
        if len(group["examples"]) < EXAMPLES and entity_id not in group["examples"]:
            group["examples"].append(entity_id)
        if action == "update" and isinstance(before, dict) and isinstance(after, dict):
            group["fields"].update(k for k in after if k not in ("updated_at", "version") and before.get(k) != after.get(k))
        entries += 1
    changes = [
        {"table": entity, "action": ACTION_WORDS.get(action, action), "actor": actor, "rows": g["rows"], "entries": g["entries"],
         "fields": sorted(g["fields"]), "examples": g["examples"]}
        for (entity, action, actor), g in sorted(groups.items())
    ]
    return {"from_seq": after_seq, "to_seq": up_to_seq, "entries": entries, "changes": changes}


def render_entry(manifest: dict, previous_tables: dict | None) -> str:
    summary = manifest["journal"]
    lines = [f"## {manifest['version']} — {manifest['created_at'][:10]}", ""]
    if manifest.get("notes"):
        lines += [_md(manifest["notes"]), ""]
    since = f"since {manifest['previous']}" if manifest["previous"] else "since the corpus was created"
    lines += [
        f"Content hash `{manifest['content_hash']}`; {summary['entries']:,} journal entries {since} "
        f"(seq {summary['from_seq'] + 1}–{summary['to_seq']}).",
        "",
    ]
    if summary["changes"]:
        lines += ["| table | change | by | rows | examples |", "|---|---|---|---:|---|"]
        for change in summary["changes"]:
            what = change["action"] + (f" ({', '.join(change['fields'])})" if change["fields"] else "")
            examples = ", ".join(f"`{_md(e)}`" for e in change["examples"])
            lines.append(f"| {change['table']} | {_md(what)} | {_md(change['actor'])} | {change['rows']:,} | {examples} |")
        lines.append("")
    else:
        lines += ["No changes were journaled.", ""]
    sizes = []
    for name, info in manifest["tables"].items():
        before = (previous_tables or {}).get(name, {}).get("rows", 0)
        if info["rows"] != before or previous_tables is None:
            delta = info["rows"] - before
            sizes.append(f"{name} {before:,} → {info['rows']:,} ({delta:+,})" if previous_tables is not None else f"{name} {info['rows']:,}")
    if sizes:
        lines += ["Rows: " + "; ".join(sizes) + ".", ""]
    return "\n".join(lines)


def render_changelog(entries: list[str]) -> str:
    return "# Changelog\n\nReleases of this corpus, newest first; written by `calque release create` from the change journal.\n\n" + "\n".join(entries)
