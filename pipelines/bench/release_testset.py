"""A corpus release as a test set: its machine translations scored against its human translations, the
texts read from the release's `segments` table (by the workers, on a cluster).

The release's tables are sorted by document, side and translation, so each text's segments are one run of
rows. A document of the source language enters when it has a source, and machine (`producer` mt) and human
translations into the target language, all split into as many segments as the source (sentence-parallel, as
`calque import parallel` and pre-segmented JSONL store them), and when it has every system and reference
that the other such documents have, once each. Systems are named by the translations' `system` (else
their id), references likewise (`human` when unnamed). Documents left out are counted in the test set's
notes. The client reads only the index columns (document, translation, side) and, to hash it, each stream
once; a task carries the file, the column and its rows' spans.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from corpus.errors import InputError
from pipelines.fidelity.parquet_lines import ParquetLines, text_column_rows

MANIFEST = "manifest.json"


def is_release(path: str | Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def load_release_testset(path: str | Path, langs: str, lazy: bool = False):
    import pyarrow.parquet as pq

    from corpus.releases.layout import read_manifest
    from pipelines.bench.testset import TestSet, split_langs

    src, tgt = split_langs(langs)
    release = Path(path)
    manifest = read_manifest(release)
    tables = {name: release / info["file"] for name, info in manifest.get("tables", {}).items()}
    missing = [name for name in ("documents", "translations", "segments") if name not in tables]
    if missing:
        raise InputError(f"the manifest lists no {', '.join(missing)} table (not a Calque release?)", str(release / MANIFEST))
    documents = pq.read_table(tables["documents"], columns=["id", "lang"]).to_pylist()
    translations = pq.read_table(tables["translations"], columns=["id", "document_id", "lang", "producer", "system"]).to_pylist()
    segments = tables["segments"]
    runs = _runs(pq.read_table(segments, columns=["document_id", "translation_id"]), segments)

    candidates = _candidates(documents, translations, runs, src, tgt)
    if not candidates:
        raise InputError(f"no {src} document with a source and both machine and human {tgt} translations", str(release))
    systems = sorted({name for named in candidates.values() for name in named["mt"]})
    references = sorted({name for named in candidates.values() for name in named["human"]})
    entered = [d for d in sorted(candidates) if _complete(candidates[d], runs, d, systems, references)]
    if not entered:
        raise InputError(f"no {src}-{tgt} document has every system and reference split as its source", str(release))
    left_out = len(candidates) - len(entered)

    parts = ((str(segments), text_column_rows(segments, "text")),)

    def stream(spans: list[tuple[int, int]]):
        lines = ParquetLines(parts, "text", tuple(spans))
        return lines if lazy else list(lines)

    sources = stream([runs[(d, None)] for d in entered])
    refs = {name: stream([runs[(d, candidates[d]["human"][name][0])] for d in entered]) for name in references}
    outputs = {name: stream([runs[(d, candidates[d]["mt"][name][0])] for d in entered]) for name in systems}
    document_ids = [d for d in entered for _ in range(_size(runs[(d, None)]))]
    version = manifest.get("version", release.name)
    notes = [f"{left_out} document(s) of the release left out: not every system and reference, split as the source"] if left_out else []
    return TestSet(f"release-{version}", src, tgt, sources, refs, outputs, document_ids,
                   {"release": str(release), "segments": str(segments)}, notes)


Named = dict[str, dict[str, list[str]]]  # producer (mt, human) -> system or reference name -> translation ids


def _candidates(documents: list[dict], translations: list[dict], runs: dict, src: str, tgt: str) -> dict[str, Named]:
    """Documents in `src` with a source and both machine and human translations into `tgt`, and those translations by name."""
    wanted = {d["id"] for d in documents if d["lang"] == src}
    named: dict[str, Named] = defaultdict(lambda: {"mt": defaultdict(list), "human": defaultdict(list)})
    for t in translations:
        if t["document_id"] in wanted and t["lang"] == tgt and t["producer"] in ("mt", "human"):
            name = t["system"] or (t["id"] if t["producer"] == "mt" else "human")
            named[t["document_id"]][t["producer"]][name].append(t["id"])
    return {d: n for d, n in named.items() if (d, None) in runs and n["mt"] and n["human"]}


def _complete(named: Named, runs: dict, document: str, systems: list[str], references: list[str]) -> bool:
    """Every system and reference once, each split into as many segments as the source."""
    if sorted(named["mt"]) != systems or sorted(named["human"]) != references:
        return False
    ids = [ids for kind in named.values() for ids in kind.values()]
    n = _size(runs[(document, None)])
    return all(len(i) == 1 and _size(runs.get((document, i[0]), (0, 0))) == n for i in ids)


def _runs(index, path: Path) -> dict[tuple[str, str | None], tuple[int, int]]:
    """(document, translation or None for the source) -> its rows [start, stop) in the segments table."""
    runs: dict[tuple[str, str | None], tuple[int, int]] = {}
    documents, translations = index.column("document_id").to_pylist(), index.column("translation_id").to_pylist()
    start = 0
    for row in range(1, len(documents) + 1):
        if row == len(documents) or (documents[row], translations[row]) != (documents[start], translations[start]):
            key = (documents[start], translations[start])
            if key in runs:
                raise InputError(f"the segments of {key[1] or key[0]} are not one run of rows (not a Calque release table?)", str(path))
            runs[key] = (start, row)
            start = row
    return runs


def _size(span: tuple[int, int]) -> int:
    return span[1] - span[0]
