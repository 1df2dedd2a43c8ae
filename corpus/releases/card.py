"""The dataset card (releases/VERSION/README.md): Hugging Face YAML front matter and readable statistics."""
from __future__ import annotations

import re

import yaml

from corpus.releases.tables import SPECS

SIZE_CATEGORIES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
]
LICENSE_ID = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
DEFAULT_CONFIG = "segments"


def size_category(rows: int) -> str:
    for limit, label in SIZE_CATEGORIES:
        if rows < limit:
            return label
    return "n>1T"


def card_license(licenses: dict[str, int], override: str | None = None) -> str | list[str]:
    """The `license` field: Hugging Face ids (lower case) of the rows' licences, `other` or `unknown`."""
    if override:
        return override
    named = sorted({key.strip().lower() for key in licenses if key != "(none)"})
    if not named:
        return "unknown"
    ids = sorted({key if LICENSE_ID.match(key) else "other" for key in named})
    return ids[0] if len(ids) == 1 else ids


def _md(text) -> str:
    """Untrusted text as inert Markdown inside a table cell or a line."""
    value = str(text).replace("\n", " ").replace("\r", " ")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!])", r"\\\1", value)


def _counts_table(title: str, counts: dict[str, int], key: str) -> list[str]:
    if not counts:
        return []
    lines = [f"### {title}", "", f"| {key} | rows |", "|---|---:|"]
    lines += [f"| {_md(name)} | {count:,} |" for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return lines + [""]


def front_matter(manifest: dict, stats: dict) -> dict:
    tables = manifest["tables"]
    configs = []
    for name, info in tables.items():
        if info["rows"] == 0:
            continue  # `datasets` refuses a config whose only file holds no rows
        config = {"config_name": name, "data_files": [{"split": "train", "path": info["file"]}]}
        if name == DEFAULT_CONFIG:
            config["default"] = True
        configs.append(config)
    task_categories = ["translation"] + (["token-classification"] if stats["annotations"] else [])
    return {
        "license": card_license(stats["licenses"], manifest.get("license")),
        "language": stats["languages"],
        "multilinguality": "translation",
        "task_categories": task_categories,
        "size_categories": [size_category(stats["segments"])],
        "pretty_name": manifest["title"],
        "tags": ["calque", "translation-quality", "mqm", "parallel-corpus"],
        "configs": configs,
    }


def render_card(manifest: dict, stats: dict) -> str:
    version = manifest["version"]
    meta = yaml.safe_dump(front_matter(manifest, stats), sort_keys=False, allow_unicode=True, width=1000)
    tables = manifest["tables"]
    lines = ["---", meta.rstrip("\n"), "---", "", f"# {_md(manifest['title'])} — release {version}", ""]
    if manifest.get("notes"):
        lines += [_md(manifest["notes"]), ""]
    lines += [
        f"- Version: `{version}` (semantic versioning; every release is immutable)",
        f"- Content hash: `{manifest['content_hash']}`",
        f"- Created: {manifest['created_at']} by {_md(manifest['created_by'])} with Calque {manifest['calque_version']}",
        f"- Previous release: {manifest['previous'] or 'none'}",
        "",
        "## Loading",
        "",
        "Each table is one Parquet file under `data/` and one config of this card:",
        "",
        "```python",
        "from datasets import load_dataset",
        'segments = load_dataset("parquet", data_files="data/segments.parquet", split="train")',
        'annotations = load_dataset("path/to/this/folder", "annotations", split="train")',
        "```",
        "",
        f"or, beside the corpus, `calque release load {version}` (a `datasets.DatasetDict` keyed by table).",
        "",
        "## Statistics",
        "",
        "| | count |",
        "|---|---:|",
        f"| documents | {stats['documents']:,} |",
        f"| documents without an available source | {stats['documents_without_source']:,} |",
        f"| translations | {stats['translations']:,} |",
        f"| segments | {stats['segments']:,} |",
        f"| alignment links | {stats['alignments']:,} |",
        f"| annotations | {stats['annotations']:,} |",
        f"| glossary concepts | {stats['glossary_concepts']:,} |",
        f"| artifact catalogue entries | {stats['artifacts']:,} |",
        f"| stored results | {stats['results']:,} |",
        "",
    ]
    lines += _counts_table("Translations per producer", stats["translations_by_producer"], "producer")
    lines += _counts_table("Language pairs (translations)", stats["language_pairs"], "pair")
    lines += _counts_table("Segments per language", stats["segments_by_language"], "language")
    lines += _counts_table("Alignment links per status", stats["alignments_by_status"], "status")
    lines += _counts_table("Annotations per category", stats["annotations_by_category"], "MQM category")
    lines += _counts_table("Annotations per severity", stats["annotations_by_severity"], "severity")
    lines += _counts_table("Annotations per artifact type", stats["annotations_by_artifact_type"], "artifact type")
    lines += ["## Tables", "", "| config | rows | file | content | ", "|---|---:|---|---|"]
    for name, info in tables.items():
        lines.append(f"| {name} | {info['rows']:,} | `{info['file']}` | {SPECS[name].description} |")
    lines += ["", "Columns after the stored ones are joined for convenience and left out of content hashes and diffs:", ""]
    for name, info in tables.items():
        stored = ", ".join(f"`{c}`" for c in info["columns"])
        derived = ", ".join(f"`{c}`" for c in info["derived_columns"]) or "none"
        lines.append(f"- **{name}**: {stored}; joined: {derived}")
    lines += [
        "",
        "JSON-valued columns (`metadata`, `examples`, `payload`) hold canonical JSON strings; segment indexes and glossary terms are lists.",
        "",
        "## Licence and provenance",
        "",
        "Every row carries `license` and `provenance`: documents and translations their own, segments, alignments and",
        "annotations those of the text they belong to, catalogue, glossary and results the release licence and who added them.",
        "",
    ]
    lines += _counts_table("Licences of documents and translations", stats["licenses"], "license")
    if manifest.get("exports") or manifest.get("exports_skipped"):
        lines += ["## Exports for other tools", "",
                  "Gzipped, under `exports/`: TMX 1.4 and Moses text of confirmed 1-1 alignment links; XLIFF 2.1 with ITS",
                  "quality-issue markup and Google MQM TSV of the annotated translations, one file per language pair.", ""]
        lines += [f"- `{name}`" for name in manifest.get("exports", [])]
        lines += [f"- {_md(name)} left out: {_md(reason)}" for name, reason in (manifest.get("exports_skipped") or {}).items()]
        lines.append("")
    lines += [
        "## Integrity",
        "",
        "`manifest.json` lists the sha256 of every file and the content hash; `SHA256SUMS` (readable by `sha256sum -c`)",
        f"covers every file including the manifest. Check a copy with `calque release verify {version}`.",
        "",
        "## Citation",
        "",
        "```bibtex",
        f"@misc{{{re.sub(r'[^A-Za-z0-9]+', '_', manifest['title']).strip('_').lower() or 'calque'}_{re.sub(r'[^0-9A-Za-z]+', '_', version)},",
        f"  title = {{{manifest['title'].replace('{', '(').replace('}', ')')} (release {version})}},",
        f"  year = {{{manifest['created_at'][:4]}}},",
        f"  note = {{Content hash {manifest['content_hash']}}},",
        "}",
        "```",
        "",
    ]
    return "\n".join(lines)
