"""What `calque campaign export --format` writes, by name: the exports of pipelines.campaign.exports and the
campaign report of pipelines.campaign.report (which builds on the exports, so this table sits above both)."""
from __future__ import annotations

import json

from pipelines.campaign.exports import esa_jsonl, gold_records, mqm_tsv, system_table, table_text
from pipelines.campaign.report import campaign_report

EXPORTERS = {
    "gold-jsonl": lambda corpus, name: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_records(corpus, name)),
    "google-mqm": mqm_tsv,
    "esa-jsonl": esa_jsonl,
    "table-json": lambda corpus, name: json.dumps(system_table(corpus, name), indent=2) + "\n",
    "table": lambda corpus, name: table_text(system_table(corpus, name)),
    "html": campaign_report,
}
