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
    tables = {name: release / info["file"] for name, info in manifest["tables"].items()}
    documents = pq.read_table(tables["documents"], columns=["id", "lang"]).to_pylist()
    translations = pq.read_table(tables["translations"], columns=["id", "document_id", "lang", "producer", "system"]).to_pylist()
    segments = tables["segments"]
    runs = _runs(pq.read_table(segments, columns=["document_id", "translation_id"]), segments)

    candidates: dict[str, dict[str, dict[str, str]]] = {}
    wanted = {d["id"] for d in documents if d["lang"] == src}
    by_document: dict[str, list[dict]] = defaultdict(list)
    for translation in translations:
        if translation["document_id"] in wanted and translation["lang"] == tgt and translation["producer"] in ("mt", "human"):
            by_document[translation["document_id"]].append(translation)
    for document, items in by_document.items():
        named = {"mt": defaultdict(list), "human": defaultdict(list)}
        for t in items:
            named[t["producer"]][t["system"] or (t["id"] if t["producer"] == "mt" else "human")].append(t["id"])
        if (document, None) in runs and named["mt"] and named["human"]:
            candidates[document] = named
    if not candidates:
        raise InputError(f"no {src} document with a source and both machine and human {tgt} translations", str(release))
    systems = sorted({name for named in candidates.values() for name in named["mt"]})
    references = sorted({name for named in candidates.values() for name in named["human"]})

    entered, left_out = [], 0
    for document in sorted(candidates):
        named = candidates[document]
        complete = sorted(named["mt"]) == systems and sorted(named["human"]) == references and all(
            len(ids) == 1 for kind in named.values() for ids in kind.values())
        n = _size(runs[(document, None)])
        if complete and all(_size(runs.get((document, ids[0]), (0, 0))) == n for kind in named.values() for ids in kind.values()):
            entered.append(document)
        else:
            left_out += 1
    if not entered:
        raise InputError(f"no {src}-{tgt} document has every system and reference split as its source", str(release))

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
